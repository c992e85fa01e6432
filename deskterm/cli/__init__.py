"""The scriptable command line, in the manner of `gh`: one module per command group."""
