"""Entry point: `deskterm` and `python -m deskterm`."""

from __future__ import annotations

import sys

from deskterm.cli.main import main

__all__ = ["main"]

if __name__ == "__main__":
    sys.exit(main())
