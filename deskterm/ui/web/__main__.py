"""One browser session's app process, as `deskterm web` starts it for each browser:
`python -m deskterm.ui.web --server URL --lang LANG` (no token: it is typed in the app)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from deskterm.config import load_config
from deskterm.i18n import LANGUAGES, set_language


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deskterm.ui.web")
    parser.add_argument("--server", required=True)
    parser.add_argument("--lang", choices=LANGUAGES, required=True)
    args = parser.parse_args(argv)
    set_language(args.lang)
    from deskterm.ui.web.app import WebDeskApp

    WebDeskApp(load_config(), args.server).run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
