"""Customers: the people the desk serves. Mutable field by field; erasable (AVG/GDPR)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from deskterm.domain.ids import uuid7
from deskterm.domain.types import StringList, UtcDateTime, utcnow

#: What an erased customer's name reads as; the row and its history's shape remain.
ERASED_NAME = "(erased)"


class Customer(SQLModel, table=True):
    __tablename__ = "customer"

    id: str = Field(default_factory=uuid7, primary_key=True)
    name: str
    organisation: str | None = None
    email: str | None = Field(default=None, index=True)
    phone: str | None = None
    products: list[str] = Field(default_factory=list, sa_type=StringList)
    notes: str = ""
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    erased_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    deleted: bool = False
