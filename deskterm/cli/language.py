"""The language the command line speaks, chosen before its parser is built (the help is
translated): `--lang`, else DESKTERM_LANG, else the config's `language`, else the system
locale, else English. argparse's own words follow it too (cli/argparse_words.py)."""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence

from deskterm import i18n
from deskterm.cli.errors import UsageError
from deskterm.config import load_config
from deskterm.domain.errors import DeskError
from deskterm.i18n import LANGUAGES, _, parse_language


def lang_flag(argv: Sequence[str]) -> str | None:
    """The value of `--lang X` or `--lang=X` in `argv` (the last one given), or None. A
    `--lang` without its value is left to the parser to refuse."""
    found = None
    words = list(argv)
    for index, word in enumerate(words):
        if word == "--":
            break
        if word == "--lang" and index + 1 < len(words):
            found = words[index + 1]
        elif word.startswith("--lang="):
            found = word.partition("=")[2]
    return found


def start_language(argv: Sequence[str]) -> str:
    """Choose and set the process's language for this command line; returns it.

    A `--lang` that names no language we speak is a usage error, said in the language the
    rest would choose. A config file that cannot be read chooses nothing here: the command
    that needs it says what is wrong with it.
    """
    try:
        configured = load_config().language
    except (DeskError, OSError):
        configured = None
    flag = lang_flag(argv)
    i18n.set_language(i18n.choose_language(os.environ.get("DESKTERM_LANG"), configured))
    if flag is not None and parse_language(flag) is None:
        raise UsageError(_("--lang must be one of {languages}, not '{value}'").format(
            languages=", ".join(LANGUAGES), value=flag), "deskterm")
    chosen = i18n.choose_language(flag, os.environ.get("DESKTERM_LANG"), configured)
    i18n.set_language(chosen)
    speak_argparse()
    return chosen


def speak_argparse() -> None:
    """Point argparse's own gettext functions at ours: its words ("usage:", "options",
    "the following arguments are required: %s") come from our catalog."""
    argparse._ = i18n._  # type: ignore[attr-defined]
    argparse.ngettext = i18n.ngettext  # type: ignore[attr-defined]


def add_lang_option(parser: argparse.ArgumentParser, *, suppress: bool = False) -> None:
    """The `--lang` option (read before parsing by `start_language`; declared for the help
    and so the parser accepts it anywhere)."""
    parser.add_argument("--lang", metavar="LANG",
                        default=argparse.SUPPRESS if suppress else None,
                        help=_("the language to speak: {languages} (default: DESKTERM_LANG, "
                               "config `language`, the system locale)").format(
                                   languages=", ".join(LANGUAGES)))
