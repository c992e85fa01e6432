"""The erasure log: who erased which customer's personal data (AVG/GDPR), when and why.

Insert-only and synced to every replica: each copy that receives an erasure scrubs the
customer there (deskterm.services.erasure). It holds no personal data itself: the
customer and the lead are named by id, and the reason may not name the customer (the
service refuses such a reason; the server scrubs it).
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from deskterm.domain import customers as _customers  # noqa: F401  customer_id needs its table
from deskterm.domain import people as _people  # noqa: F401  agent_id needs its table
from deskterm.domain.clock import utcnow
from deskterm.domain.types import UtcDateTime, identifier, reference


class CustomerErasure(SQLModel, table=True):
    __tablename__ = "customer_erasure"

    id: str = identifier()
    customer_id: str = reference("customer.id", index=True)
    #: The lead or admin who erased the customer's personal data.
    agent_id: str = reference("agent.id")
    #: Why (a request by the customer, a retention period ended, ...); never who.
    reason: str = Field(min_length=1, max_length=500)
    erased_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
