"""`deskterm kb ...`: search, read, write and edit knowledge-base articles, link them to tickets.

`kb search --json` gives each hit's `title` and `snippet` as plain text and, in
`highlights`, the distinct words that matched in them (as they appear in the text).

`kb new --from-ticket KEY` writes an article from a ticket: a draft prefilled from its
subject, description, the resolver's solution and the resolution (services.kb_origin),
saved linked to the ticket. `--title`, `--body`, `--tag` and `--department` override the
draft. With `$EDITOR` set, stdin a terminal and no `--body`/`--body-file`, the draft
opens in that editor first (its first `# ` line is the title, the rest the body; an
emptied file or an editor that fails writes nothing); otherwise, or with `--no-edit`, it
is saved as given, so scripts never wait on an editor.
"""

from __future__ import annotations

import argparse
import os
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

from rich.console import RenderableType
from rich.text import Text

from deskterm.cli import shapes
from deskterm.cli.runtime import Run, Subparsers, add_command, add_group, add_limit
from deskterm.cli.tickets import print_changed
from deskterm.domain import KbArticle
from deskterm.domain.errors import InvalidInput
from deskterm.i18n import _, ngettext
from deskterm.i18n.formats import number
from deskterm.present import highlighted, local_time
from deskterm.services import kb, kb_origin
from deskterm.services.lookup import short_id


def register(subparsers: Subparsers) -> None:
    group = add_group(subparsers, "kb", _("search, read and write knowledge-base articles"))

    parser = add_command(group, "search", search, _("find articles, best first"))
    parser.add_argument("query", metavar="QUERY",
                        help=_('words, "a phrase", -excluded; prefixes match'))
    parser.add_argument("--department", metavar="CODE",
                        help=_("this department's articles and general ones"))
    add_limit(parser, 20)

    parser = add_command(group, "show", show, _("read an article"))
    parser.add_argument("ref", metavar="ID", help=_("id or short id"))

    parser = add_command(group, "new", new, _("write an article (or one from a ticket)"))
    parser.add_argument("--title", metavar="T", help=_("required unless --from-ticket"))
    _body_options(parser, required=False)
    parser.add_argument("--tag", action="append", dest="tags", metavar="X",
                        help=_("a tag (repeat for more)"))
    parser.add_argument("--department", metavar="CODE",
                        help=_("the department it belongs to (default: none, all)"))
    parser.add_argument("--from-ticket", metavar="KEY",
                        help=_("a draft from this ticket, linked to it; options override it, "
                        "$EDITOR opens it on a terminal"))
    parser.add_argument("--no-edit", action="store_true",
                        help=_("with --from-ticket: save the draft without opening $EDITOR"))

    parser = add_command(group, "edit", edit, _("change an article (bumps its version)"))
    parser.add_argument("ref", metavar="ID", help=_("id or short id"))
    parser.add_argument("--title", metavar="T", help=_("a new title"))
    _body_options(parser, required=False)
    parser.add_argument("--tag", action="append", dest="tags", metavar="X",
                        help=_("the article's tags from now on (repeat for more)"))
    parser.add_argument("--department", metavar="CODE",
                        help=_("the department it belongs to (default: none, all)"))
    parser.add_argument("--base-version", type=int, metavar="N",
                        help=_("the version you started from: refused if it changed since"))

    parser = add_command(group, "link", link, _("note that an article was used on a ticket"))
    parser.add_argument("key", metavar="KEY",
                        help=_("the ticket's key (SD-1042) or provisional key (new-3f9a2c)"))
    parser.add_argument("article", metavar="ARTICLE_ID", help=_("the article's id or short id"))


def _body_options(parser: argparse.ArgumentParser, *, required: bool) -> None:
    body = parser.add_mutually_exclusive_group(required=required)
    body.add_argument("--body", metavar="TEXT", help=_("the Markdown text; - reads stdin"))
    body.add_argument("--body-file", type=Path, metavar="PATH", help=_("read the text from PATH"))


def _body(run: Run) -> str | None:
    """The body from --body, --body - (stdin) or --body-file; None when not given."""
    args = run.args
    if args.body_file is not None:
        try:
            return Path(args.body_file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            reason = getattr(error, "strerror", None) or _("not UTF-8 text")
            raise InvalidInput(_("cannot read {path}: {reason}").format(
                path=args.body_file, reason=reason)) from None
    if args.body == "-":
        return sys.stdin.read()
    body: str | None = args.body
    return body


def search(run: Run) -> None:
    hits = kb.search_articles(run.store(), run.args.query, limit=run.args.limit,
                              department=run.args.department)
    if run.out.as_json:
        run.out.json([shapes.search_hit(hit) for hit in hits])
        return
    rows: list[list[RenderableType | None]] = []
    for hit in hits:
        cell = highlighted(hit.title)
        cell.stylize("bold")
        if hit.snippet:
            cell.append("\n").append_text(highlighted(hit.snippet))
        rows.append([short_id(hit.article_id), cell])
    run.out.table([_("ID"), _("ARTICLE")], rows, empty=_("no articles match"))


def show(run: Run) -> None:
    print_article(run, kb.get_article(run.store(), run.args.ref))


def print_article(run: Run, article: KbArticle, *, done: str | None = None) -> None:
    origin = kb_origin.article_origin(run.store(), article.id)
    if run.out.as_json:
        run.out.json(shapes.article(run, article, origin))
        return
    if done:
        run.out.line(done)
    run.out.card([
        (_("Id"), short_id(article.id)),
        (_("Tags"), ", ".join(article.tags)),
        (_("Department"), run.departments.get(article.department_id or "")),
        (_("Author"), run.handle_of(article.author_id)),
        (_("Version"), _("{version}, saved {when}").format(
            version=article.version, when=local_time(article.updated_at))),
        (_("Edited by"), edited_by(origin)),
        (_("Tickets"), ", ".join(t.key for t in origin.tickets)),
    ], title=article.title)
    run.out.show(Text(""))
    run.out.markdown(article.body)


def edited_by(origin: kb_origin.ArticleOrigin) -> str:
    """Who saved each version after the first: `v2 @alex (body) · v3 @blake (title)`."""
    return " · ".join(
        f"v{v.version} @{v.editor or '?'}" + (f" ({', '.join(v.changed)})" if v.changed else "")
        for v in origin.versions[1:])


def new(run: Run) -> None:
    args = run.args
    if args.from_ticket is not None:
        _new_from_ticket(run)
        return
    if args.title is None:
        raise InvalidInput(_("the following arguments are required: --title "
                           "(or --from-ticket KEY)"))
    if args.body is None and args.body_file is None:
        raise InvalidInput(_("one of the arguments --body --body-file is required "
                           "(or --from-ticket KEY)"))
    article = kb.create_article(run.ctx, title=args.title, body=_body(run) or "",
                                tags=args.tags, department=args.department)
    print_article(run, article, done=_("Wrote article {id}").format(id=short_id(article.id)))


def _new_from_ticket(run: Run) -> None:
    args = run.args
    draft = kb_origin.article_draft(run.store(), args.from_ticket)
    title = draft.title if args.title is None else args.title
    body = _body(run)
    editor = os.environ.get("EDITOR", "").strip()
    if body is None and editor and not args.no_edit and _interactive():
        title, body = _edited(editor, title, draft.body)
    article = kb.create_article(run.ctx, title=title, body=draft.body if body is None else body,
                                tags=args.tags, department=args.department or draft.department,
                                from_ticket=draft.ticket_id)
    if draft.linked_articles:
        run.out.hint(ngettext("{key} was already linked to {count} article; see "
                              "`deskterm ticket show`",
                              "{key} was already linked to {count} articles; see "
                              "`deskterm ticket show`", draft.linked_articles).format(
            key=draft.ticket_key, count=number(draft.linked_articles)))
    print_article(run, article,
                  done=_("Wrote article {id} from {key}").format(id=short_id(article.id),
                                                                 key=draft.ticket_key))


def _interactive() -> bool:
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError, OSError):
        return False


def _edited(editor: str, title: str, body: str) -> tuple[str, str]:
    """The title and body after the person edited the draft in `editor`."""
    with tempfile.TemporaryDirectory(prefix="deskterm-") as folder:
        path = Path(folder) / "article.md"
        path.write_text(f"# {title}\n\n{body}", encoding="utf-8")
        try:
            done = subprocess.run([*shlex.split(editor), str(path)], check=False)
        except (OSError, ValueError) as error:
            raise InvalidInput(_("cannot start the editor '{editor}': {error}").format(
                editor=editor, error=error)) from None
        if done.returncode != 0:
            raise InvalidInput(_("the editor exited with status {status}; no article "
                                 "written").format(status=done.returncode))
        text = path.read_text(encoding="utf-8")
    if not text.strip():
        raise InvalidInput(_("the draft was emptied; no article written"))
    lines = text.strip("\n").splitlines()
    if lines[0].startswith("# "):
        return lines[0][2:].strip(), "\n".join(lines[1:]).strip("\n")
    return title, text


def edit(run: Run) -> None:
    args = run.args
    article = kb.edit_article(run.ctx, args.ref, title=args.title, body=_body(run),
                              tags=args.tags, department=args.department,
                              base_version=args.base_version)
    print_article(run, article,
                  done=_("Saved article {id} as version {version}").format(
                      id=short_id(article.id), version=article.version))


def link(run: Run) -> None:
    found = kb.link_article(run.ctx, run.args.key, run.args.article)
    print_changed(run, found.ticket_id, _("Linked an article to {key}: {subject}"))
