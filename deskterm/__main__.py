"""Entry point: `deskterm` and `python -m deskterm`."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """Open the workspace straight away when only global options are given; else the CLI."""
    args = list(sys.argv[1:] if argv is None else argv)
    from deskterm.cli.launch import launch, workspace_options

    options = workspace_options(args)
    if options is not None:
        from deskterm.cli.errors import run_guarded
        from deskterm.cli.language import start_language

        def start() -> int | None:
            start_language(args)  # the workspace speaks it too
            return launch(options)

        result = run_guarded(start)
        if result is not None:
            return result
    from deskterm.cli.main import main as cli_main

    return cli_main(args)


__all__ = ["main"]

if __name__ == "__main__":
    sys.exit(main())
