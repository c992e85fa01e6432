"""Knowledge-base articles: Markdown help written by 2nd line for the 1st line."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from annotated_types import MaxLen
from sqlmodel import Field, SQLModel

from deskterm.domain.clock import utcnow
from deskterm.domain.types import MAX_INT, StringList, UtcDateTime, identifier, reference


class KbArticle(SQLModel, table=True):
    __tablename__ = "kb_article"

    id: str = identifier()
    title: str = Field(max_length=200)
    body: str = Field(default="", max_length=200_000)
    tags: list[Annotated[str, MaxLen(50)]] = Field(default_factory=list, max_length=50,
                                                   sa_type=StringList)
    department_id: str | None = reference("department.id", default=None)
    author_id: str | None = reference("agent.id", default=None)
    version: int = Field(default=1, ge=1, le=MAX_INT)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    deleted: bool = False
