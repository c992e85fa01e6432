"""argparse's own words, for the catalog: argparse translates them with its module-level
`_` and `ngettext`, which `cli.language.speak_argparse` points at deskterm.i18n's. Listed
here, as Python 3.11 to 3.13 write them, so extraction finds them. Never imported: only
read by the extractor (the placeholders are argparse's own %-style ones, kept as they are).
"""

from __future__ import annotations

from deskterm.i18n import N_


def ngettext(singular: str, plural: str, count: int = 0) -> str:
    """A marker, as `N_` is for one form: the extractor records both forms."""
    return singular if count == 1 else plural


WORDS = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("subcommands"),
    N_("show this help message and exit"),
    N_("show program's version number and exit"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("%(prog)s: warning: %(message)s\n"),
    N_("%(heading)s:"),
    N_(" (default: %(default)s)"),
    N_("unrecognized arguments: %s"),
    N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"),
    N_("the following arguments are required: %s"),
    N_("one of the arguments %s is required"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    ngettext("expected %s argument", "expected %s arguments", 1),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("unexpected option string: %s"),
    N_("invalid %(type)s value: %(value)r"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("unknown parser %(parser_name)r (choices: %(choices)s)"),
    N_("argument \"-\" with mode %r"),
    N_("can't open '%(filename)s': %(error)s"),
    N_("command '%(parser_name)s' is deprecated"),
    N_("option '%(option)s' is deprecated"),
    N_("argument '%(argument_name)s' is deprecated"),
)
