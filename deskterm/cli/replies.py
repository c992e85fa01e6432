"""`deskterm ticket reply KEY --body-file F`: answer a ticket's customer by mail.

The reply is queued as an outbound email contact (it waits in the outbox and the
server sends it after the next push); the command prints what it queued.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from deskterm.cli import shapes
from deskterm.cli.runtime import Run, Subparsers, add_command
from deskterm.domain.errors import InvalidInput
from deskterm.domain.types import HIGHEST_SCORE, LOWEST_SCORE
from deskterm.i18n import _
from deskterm.services import replies


def register(group: Subparsers) -> None:
    """`ticket reply`, in the `ticket` group."""
    parser = add_command(group, "reply", reply,
                         _("answer the ticket's customer by mail (sent by the server)"),
                         description=_("Answer the ticket's customer by mail. The reply "
                         "is queued like any change and sent by the server after the next "
                         "sync; the ticket's key goes into the subject."))
    parser.add_argument("key", metavar="KEY",
                        help=_("the ticket's key (SD-1042) or provisional key (new-3f9a2c)"))
    parser.add_argument("--body-file", required=True, metavar="FILE",
                        help=_("the reply's text, UTF-8 (- reads standard input)"))
    parser.add_argument("--subject", metavar="TEXT",
                        help=_("default: Re: and the customer's last mail's subject"))
    parser.add_argument("--rating", type=int, choices=range(LOWEST_SCORE, HIGHEST_SCORE + 1),
                        metavar=f"{LOWEST_SCORE}-{HIGHEST_SCORE}",
                        help=_("your own rating of how it went (private)"))


def read_body(name: str) -> str:
    """The text of the file named (`-`: standard input); InvalidInput when unreadable."""
    try:
        if name == "-":
            return sys.stdin.read()
        return Path(name).read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InvalidInput(_("{file} is not UTF-8 text").format(file=name)) from None
    except FileNotFoundError:
        raise InvalidInput(_("{file} does not exist").format(file=name)) from None
    except IsADirectoryError:
        raise InvalidInput(_("{file} is a folder, not a file").format(file=name)) from None
    except PermissionError:
        raise InvalidInput(_("no permission to read {file}").format(file=name)) from None
    except OSError as error:
        raise InvalidInput(_("cannot read {file}: {reason}").format(
            file=name, reason=error.strerror or error)) from None


def reply(run: Run) -> None:
    args: argparse.Namespace = run.args
    body = read_body(args.body_file)
    contact = replies.reply(run.ctx, args.key, body, subject=args.subject,
                            self_rating=args.rating)
    if run.out.as_json:
        shape = shapes.contact(run, contact, with_rating=True)
        shape.update(subject=contact.subject, address=contact.address, body=contact.body,
                     delivery="queued")
        run.out.json(shape)
        return
    # TRANSLATORS: after `ticket reply`: the address, then the mail's subject.
    run.out.line(_("Queued a reply to {address}: {subject}").format(
        address=contact.address, subject=contact.subject))
    run.out.hint(_("The server sends it after the next sync (deskterm sync)."))
