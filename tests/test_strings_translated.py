"""Every user-facing string goes through the catalog: a check over the source.

Extraction (.ci/catalog.py check) proves that every MARKED string is translated; this
proves the marking. It reads every module of the app and fails on a string literal or
f-string with words in it that reaches a person unmarked: the message of a raised
deskterm error or HTTPException, a notification, a widget's label, title, placeholder or
tooltip, a CLI help text, a binding's description. Such a string must be `_("...")`,
`ngettext(...)`, `pgettext(...)`, or `N_("...")` (translated where it is shown).

A literal a person never reads in those places (a CSS id, a key name) has no words; a
real exception carries `# untranslated: <why>` on its line.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "deskterm"
#: Not the app: a developer's benchmarks, speaking English only.
SKIPPED = ("bench/",)
_WORDS = re.compile(r"[^\W\d_]{2,}")
_MARKERS = {"_", "N_", "ngettext", "pgettext", "npgettext"}
#: Calls whose first argument a person reads.
_SHOWN_FIRST = {"notify", "Label", "Static", "Button", "Checkbox", "RadioButton",
                "SystemCommand", "Hit", "DiscoveryHit", "Option", "set_status", "bell_notify",
                "HTTPException", "usage_error", "Confirm", "Toast", "Collapsible"}
#: Keyword arguments a person reads, wherever they are passed.
_SHOWN_KEYWORDS = {"help", "description", "epilog", "placeholder", "tooltip", "title",
                   "sub_title", "label", "summary", "detail", "message", "prompt"}
#: Attributes a person reads when a string is assigned to them.
_SHOWN_ATTRIBUTES = {"border_title", "border_subtitle", "title", "sub_title", "tooltip",
                     "placeholder", "label"}
#: Calls whose `summary`, `description` and `title` document the HTTP API or the server's
#: settings (the OpenAPI document is English by design, like the wire it describes).
_API_DOCUMENTATION = {"Field", "Query", "Header", "Path", "Body", "Security", "FastAPI",
                      "APIRouter", "APIKeyHeader", "HTTPBearer", "get", "post", "put",
                      "patch", "delete", "api_route"}
#: A machine-readable code (`forbidden`, `clock_ahead`) beside a message, not words.
_CODE = re.compile(r"^[a-z][a-z0-9_]*$")
#: Exceptions raised for a programmer, never shown to a person as such.
_PROGRAMMER_ERRORS = {"ValueError", "TypeError", "RuntimeError", "AssertionError",
                      "KeyError", "NotImplementedError", "AttributeError", "IndexError",
                      "SystemExit", "StopIteration", "OSError", "LookupError"}


def modules() -> list[Path]:
    return sorted(path for path in PACKAGE.rglob("*.py")
                  if not str(path.relative_to(PACKAGE)).startswith(SKIPPED))


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _has_words(node: ast.expr) -> bool:
    """An unmarked literal with words: a str constant, an f-string or a concatenation."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return bool(_WORDS.search(node.value)) and not _CODE.match(node.value)
    if isinstance(node, ast.JoinedStr):
        return any(_has_words(part) for part in node.values
                   if isinstance(part, ast.Constant))
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Mod):
        return _has_words(node.left) or _has_words(node.right)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
            and node.func.attr in {"format", "join"}:
        return _has_words(node.func.value)  # "...{x}".format(...) unmarked
    return False


def unmarked(path: Path) -> Iterator[tuple[int, str]]:
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    tree = ast.parse(source)

    def found(node: ast.AST, why: str) -> Iterator[tuple[int, str]]:
        line = lines[node.lineno - 1] if hasattr(node, "lineno") else ""
        if "# untranslated:" not in line:
            yield node.lineno, f"{why}: {ast.unparse(node)[:90]}"  # type: ignore[attr-defined]

    for node in ast.walk(tree):
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            error = _name(node.exc.func)
            if error not in _PROGRAMMER_ERRORS | {"OperationalError"}:
                for argument in node.exc.args:
                    if _has_words(argument):
                        yield from found(argument, f"raise {error}")
        if isinstance(node, ast.Call):
            called = _name(node.func)
            if called in _MARKERS:
                continue
            if called in _SHOWN_FIRST and node.args and _has_words(node.args[0]):
                yield from found(node.args[0], f"{called}()")
            if called == "Binding" and len(node.args) >= 3 and _has_words(node.args[2]):
                yield from found(node.args[2], "Binding description")
            for keyword in node.keywords:
                if called in _API_DOCUMENTATION and keyword.arg in {"summary", "description",
                                                                    "title"}:
                    continue
                if keyword.arg in _SHOWN_KEYWORDS and _has_words(keyword.value):
                    yield from found(keyword.value, f"{keyword.arg}=")
        if isinstance(node, ast.Assign) and _has_words(node.value):
            for target in node.targets:
                if isinstance(target, ast.Attribute) and target.attr in _SHOWN_ATTRIBUTES:
                    yield from found(node.value, f".{target.attr} =")


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_every_string_a_person_reads_is_marked_for_translation(path: Path) -> None:
    problems = [f"{path.relative_to(PACKAGE)}:{line}: {what}" for line, what in unmarked(path)]
    assert not problems, "unmarked user-facing strings:\n" + "\n".join(problems)
