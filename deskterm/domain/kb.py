"""Knowledge-base articles: Markdown help written by 2nd line for the 1st line."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from annotated_types import MaxLen
from sqlmodel import Field, SQLModel

from deskterm.domain.clock import utcnow
from deskterm.domain.types import (
    MAX_INT,
    StringList,
    UtcDateTime,
    identifier,
    reference,
    text_limit,
)


class KbArticle(SQLModel, table=True):
    __tablename__ = "kb_article"

    id: str = identifier()
    title: str = Field(max_length=200)
    body: str = Field(default="", max_length=200_000)
    #: At most 20 tags of at most 40 characters: services.kb keeps a writer to these,
    #: sync.codec refuses a change beyond them on the server and on every replica.
    tags: list[Annotated[str, MaxLen(40)]] = Field(default_factory=list, max_length=20,
                                                   sa_type=StringList)
    department_id: str | None = reference("department.id", default=None)
    author_id: str | None = reference("agent.id", default=None)
    version: int = Field(default=1, ge=1, le=MAX_INT)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    deleted: bool = False


#: What an edit may have changed, in the words `KbEdit.changed` uses.
EDITABLE_FIELDS = ("title", "body", "tags", "department")


class KbEdit(SQLModel, table=True):
    """Who saved which version of an article, and what the edit changed. Insert-only.

    Version 1 is the article's own author (`KbArticle.author_id`, `created_at`); every
    later version an agent saves adds one of these. Two agents who edited the same
    version offline both made "their" next version: both rows stay, so the article
    shows both editors (the server keeps the text that lost as a conflict copy).
    """

    __tablename__ = "kb_edit"

    id: str = identifier()
    article_id: str = reference("kb_article.id", index=True)
    #: The version this edit saved.
    version: int = Field(ge=2, le=MAX_INT)
    editor_id: str = reference("agent.id")
    #: The fields it changed (EDITABLE_FIELDS).
    changed: list[Annotated[str, MaxLen(20)]] = Field(default_factory=list, max_length=4,
                                                      sa_type=StringList)
    edited_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


#: The tag that marks the copy of an article's body that lost a concurrent edit.
CONFLICT_COPY_TAG = "conflict-copy"


def conflict_copy(title: str, tags: list[str]) -> tuple[str, list[str]]:
    """The title and tags of the conflict copy of an article with `title` and `tags`.

    Both stay within the article's field rules, so every replica can apply the copy: a
    long title is shortened to make room for the mark, and with all tags taken the last
    one gives way to the conflict-copy tag.
    """
    suffix = " (conflict copy)"
    title = title[: text_limit(KbArticle, "title") - len(suffix)] + suffix
    kept = [tag for tag in tags if tag != CONFLICT_COPY_TAG]
    return title, [*kept[: text_limit(KbArticle, "tags") - 1], CONFLICT_COPY_TAG]
