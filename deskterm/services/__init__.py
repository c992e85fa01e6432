"""Services: the only code that changes data. Each call is one transaction that validates,
writes, and records its change in the outbox; on any error nothing is written and the
caller gets a DeskError whose message a person understands."""

from deskterm.services.context import ServiceContext

__all__ = ["ServiceContext"]
