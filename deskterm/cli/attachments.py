"""`deskterm attachment list KEY` and `attachment save ID`: the files mail brought in.

The list comes from the store (replicas hold every attachment's name, type and size);
the bytes from the server, which keeps them (up to its size limit).
"""

from __future__ import annotations

from pathlib import Path

from deskterm.cli.runtime import Run, Subparsers, add_command, add_group
from deskterm.domain.errors import InvalidInput, NotFound
from deskterm.i18n import _
from deskterm.i18n.formats import number
from deskterm.present import local_time
from deskterm.services.attachments import find_attachment, ticket_attachments


def register(subparsers: Subparsers) -> None:
    group = add_group(subparsers, "attachment", _("files that came with a ticket's mail"))
    parser = add_command(group, "list", list_attachments,
                         _("the attachments of a ticket's mails"))
    parser.add_argument("ticket", metavar="KEY", help=_("the ticket (SD-1042)"))
    parser = add_command(group, "save", save,
                         _("fetch an attachment from the server and save it"))
    parser.add_argument("attachment", metavar="ID", help=_("the attachment's id (from list)"))
    parser.add_argument("--to", metavar="PATH", type=Path,
                        help=_("where to save it: a file, or a folder for its own name "
                               "(default: its own name in the current folder)"))


def list_attachments(run: Run) -> None:
    found = ticket_attachments(run.ctx, run.args.ticket)
    if run.out.as_json:
        run.out.json([{"id": f.attachment.id, "filename": f.attachment.filename,
                       "content_type": f.attachment.content_type, "size": f.attachment.size,
                       "sha256": f.attachment.sha256, "subject": f.subject,
                       "received_at": f.received_at.isoformat()} for f in found])
        return
    run.out.table([_("ID"), _("FILE"), _("TYPE"), _("SIZE"), _("RECEIVED")], [
        (f.attachment.id, f.attachment.filename, f.attachment.content_type,
         _size(f.attachment.size), local_time(f.received_at)) for f in found],
        empty=_("no attachments on {key}").format(key=run.args.ticket))


def _size(size: int) -> str:
    if size >= 1024 * 1024:
        return _("{size} MB").format(size=number(round(size / (1024 * 1024), 1)))
    if size >= 1024:
        return _("{size} KB").format(size=number(round(size / 1024)))
    return _("{size} bytes").format(size=number(size))


def save(run: Run) -> None:
    from deskterm.sync.client import SyncFailed, open_client

    store = run.store()
    listed = find_attachment(run.ctx, run.args.attachment)
    name = Path(listed.filename).name if listed else run.args.attachment
    target: Path = run.args.to or Path(name)
    if target.is_dir():
        target = target / name
    if target.exists():
        raise InvalidInput(_("{path} exists already; name another with --to").format(
            path=target))
    with open_client(store, run.login) as client:
        try:
            data = client.attachment(run.args.attachment)
        except SyncFailed as error:
            if error.status == 404:
                raise NotFound(error.detail or str(error)) from None
            raise
    target.write_bytes(data)
    run.out.line(_("saved {path} ({size})").format(path=target, size=_size(len(data))))
