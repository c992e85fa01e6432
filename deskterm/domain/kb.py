"""Knowledge-base articles: Markdown help written by 2nd line for the 1st line."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from deskterm.domain.ids import uuid7
from deskterm.domain.types import StringList, UtcDateTime, utcnow


class KbArticle(SQLModel, table=True):
    __tablename__ = "kb_article"

    id: str = Field(default_factory=uuid7, primary_key=True)
    title: str
    body: str = ""
    tags: list[str] = Field(default_factory=list, sa_type=StringList)
    department_id: str | None = Field(default=None, foreign_key="department.id")
    author_id: str | None = Field(default=None, foreign_key="agent.id")
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    deleted: bool = False
