#!/usr/bin/env python3
"""The translation catalog: extract every marked string from deskterm/ and keep the Dutch
catalog (deskterm/i18n/locale/nl/LC_MESSAGES/deskterm.po, and its compiled .mo) current.

    python .ci/catalog.py update   # after changing strings: merge new ones in, drop old, compile
    python .ci/catalog.py check    # CI: fails when the catalog is not current or Dutch is
                                   # not complete (untranslated or fuzzy), naming each
    python .ci/catalog.py take A.po B.po  # fill untranslated entries from other catalogs
                                   # (two branches' catalogs at a merge), then update

The source language is English (the strings in the code); Dutch is the one catalog. The
.po is written without source locations and sorted, so a moved line changes nothing.
"""

from __future__ import annotations

import io
import sys
from datetime import datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "deskterm/i18n/locale/nl/LC_MESSAGES/deskterm.po"
MO = PO.with_suffix(".mo")
#: The gettext functions of deskterm.i18n, as Babel reads their arguments.
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2),
            "npgettext": ((1, "c"), 2, 3)}
#: Every module of the app; bench is a developer's tool and speaks English only.
METHOD_MAP = [("bench/**.py", "ignore"), ("**.py", "python")]
#: Fixed dates, so the catalog's header changes only when a person changes it.
DATE = datetime(2026, 12, 1)


def extracted() -> Catalog:
    """Every marked string of the source, with its translator comments."""
    catalog = Catalog(locale="nl", domain="deskterm", project="deskterm",
                      creation_date=DATE, revision_date=DATE, fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
            ROOT / "deskterm", METHOD_MAP, keywords=KEYWORDS,
            comment_tags=("TRANSLATORS:",), strip_comment_tags=True):
        catalog.add(message, None, [(f"deskterm/{filename}", lineno)],
                    auto_comments=comments, context=context)
    return catalog


def current() -> Catalog:
    with PO.open("rb") as handle:
        return read_po(handle, locale="nl", domain="deskterm")


def po_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(out, catalog, width=100, no_location=True, sort_output=True,
             ignore_obsolete=True, include_previous=False)
    # Which Babel wrote it is no part of the catalog (CI's may be newer than a laptop's).
    return b"".join(line for line in out.getvalue().splitlines(keepends=True)
                    if not line.startswith(b'"Generated-By:'))


def mo_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def merged() -> Catalog:
    """The extracted strings with Dutch from the catalog where it has them."""
    template = extracted()
    catalog = current() if PO.exists() else Catalog(locale="nl", domain="deskterm")
    catalog.update(template, no_fuzzy_matching=True)
    catalog.obsolete.clear()
    catalog.creation_date = catalog.revision_date = DATE
    catalog.project, catalog.version = "deskterm", ""
    catalog.language_team = "deskterm <https://github.com/deskterm>"
    catalog.last_translator = "deskterm"
    catalog.fuzzy = False
    catalog.header_comment = ("# Dutch for deskterm: the words of docs/glossary.md, written as "
                              "a Dutch\n# service desk says them. Kept by .ci/catalog.py.")
    return catalog


def update() -> int:
    catalog = merged()
    PO.parent.mkdir(parents=True, exist_ok=True)
    PO.write_bytes(po_bytes(catalog))
    MO.write_bytes(mo_bytes(current()))
    missing = problems(current())
    print(f"{PO.relative_to(ROOT)}: {len(catalog)} messages, {len(missing)} to translate")
    return 0


def problems(catalog: Catalog) -> list[str]:
    """What keeps the Dutch catalog from being complete, one line each."""
    found = []
    for message in catalog:
        if not message.id:
            continue
        name = message.id if isinstance(message.id, str) else message.id[0]
        where = f" ({message.context})" if message.context else ""
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy:
            found.append(f"fuzzy: {name!r}{where}")
        elif not all(strings):
            found.append(f"untranslated: {name!r}{where}")
    return found


def _messages(mo: bytes) -> dict[object, object]:
    """What a compiled catalog translates (its header aside)."""
    import gettext

    translations = gettext.GNUTranslations(io.BytesIO(mo))
    return {key: value for key, value in translations._catalog.items() if key != ""}


def take(paths: list[str]) -> int:
    """Fill the catalog's untranslated entries from other catalogs, then update."""
    catalog = current()
    for path in paths:
        with open(path, "rb") as handle:
            other = read_po(handle, locale="nl", domain="deskterm")
        for message in other:
            if not message.id or message.fuzzy or not message.string:
                continue
            mine = catalog.get(message.id, message.context)
            if mine is None:
                catalog.add(message.id, message.string, context=message.context)
            elif not mine.string or (isinstance(mine.string, tuple) and not all(mine.string)):
                mine.string = message.string
    PO.write_bytes(po_bytes(catalog))
    return update()


def check() -> int:
    if not PO.exists():
        print(f"catalog check FAILED: {PO.relative_to(ROOT)} is missing", file=sys.stderr)
        return 1
    failures = []
    have, want = current(), extracted()
    have_ids = {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in have if m.id}
    want_ids = {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in want if m.id}
    failures += [f"not in the catalog: {m!r}" + (f" ({c})" if c else "")
                 for c, m in sorted(want_ids - have_ids, key=str)]
    failures += [f"no longer in the source: {m!r}" + (f" ({c})" if c else "")
                 for c, m in sorted(have_ids - want_ids, key=str)]
    failures += problems(have)
    if PO.read_bytes() != po_bytes(merged()):
        failures.append(f"{PO.relative_to(ROOT)} is not as `update` writes it")
    if not MO.exists() or _messages(MO.read_bytes()) != _messages(mo_bytes(have)):
        failures.append(f"{MO.relative_to(ROOT)} is not compiled from the .po")
    for failure in failures:
        print(f"catalog: {failure}", file=sys.stderr)
    if failures:
        print(f"catalog check FAILED ({len(failures)}): run `python .ci/catalog.py update` and "
              "translate what it lists", file=sys.stderr)
        return 1
    print(f"catalog: {len(have)} messages, Dutch complete")
    return 0


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "check"
    if command == "take":
        sys.exit(take(sys.argv[2:]))
    sys.exit({"update": update, "check": check}.get(command, lambda: 2)())
