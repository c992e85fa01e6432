"""The revisions, oldest first; each names the release whose schema it brings."""
