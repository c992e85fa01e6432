"""Customers: the people the desk serves. Mutable field by field; erasable (AVG/GDPR)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from annotated_types import MaxLen
from sqlmodel import Field, SQLModel

from deskterm.domain.clock import utcnow
from deskterm.domain.types import StringList, UtcDateTime, identifier

#: What an erased customer's name reads as; the row and its history's shape remain.
ERASED_NAME = "(erased)"
#: The longest name of one product a customer uses.
PRODUCT_LIMIT = 100


class Customer(SQLModel, table=True):
    __tablename__ = "customer"

    id: str = identifier()
    name: str = Field(max_length=200)
    organisation: str | None = Field(default=None, max_length=200)
    email: str | None = Field(default=None, index=True, max_length=254)
    phone: str | None = Field(default=None, max_length=25)
    products: list[Annotated[str, MaxLen(PRODUCT_LIMIT)]] = Field(
        default_factory=list, max_length=100, sa_type=StringList)
    notes: str = Field(default="", max_length=10_000)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    erased_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    deleted: bool = False
