"""Customer feedback on a ticket: overall satisfaction (CSAT 1-5) and the quality drivers.

The seven drivers are the ones contact-centre research finds behind satisfaction:
reliability, empathy, customer focus, customer knowledge, waiting time, accessibility
and the phone menu. Each is optional (a survey may ask only some); the overall score is
required. Insert-only, like contacts.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import AwareDatetime, ConfigDict
from sqlmodel import Field, SQLModel

from deskterm.domain.clock import utcnow
from deskterm.domain.types import HIGHEST_SCORE, LOWEST_SCORE, UtcDateTime, identifier, reference
from deskterm.i18n import pgettext

#: The longest comment a response may carry.
COMMENT_LIMIT = 4000
#: The longest compliment a response may carry (a kudos message's own limit).
KUDOS_LIMIT = 2000


def _score(description: str) -> Any:
    return Field(default=None, ge=LOWEST_SCORE, le=HIGHEST_SCORE, description=description)


class DriverScores(SQLModel):
    """The seven drivers of contact-centre quality, in the order surveys usually ask them,
    each 1-5 or absent. Declared once: the feedback table, the API's body and a CSV row
    all have these fields (DRIVERS names them)."""

    reliability: int | None = _score("did the desk do what it said, 1-5")
    empathy: int | None = _score("did the agent understand the customer, 1-5")
    customer_focus: int | None = _score("was the help about the customer's need, 1-5")
    customer_knowledge: int | None = _score("did the desk know the customer's case, 1-5")
    waiting_time: int | None = _score("was the wait acceptable, 1-5")
    accessibility: int | None = _score("was the desk easy to reach, 1-5")
    phone_menu: int | None = _score("was the phone menu easy, 1-5")


#: The drivers' names, in the order surveys usually ask them.
DRIVERS: tuple[str, ...] = tuple(DriverScores.model_fields)


def driver_label(driver: str) -> str:
    """A driver's name as a person reads it, in the current language (the one home of
    those words): `customer_focus` → `customer focus` / `klantgerichtheid`. A name that is
    no driver reads as it is written, its underscores as spaces."""
    labels = {"reliability": pgettext("quality driver", "reliability"),
              "empathy": pgettext("quality driver", "empathy"),
              "customer_focus": pgettext("quality driver", "customer focus"),
              "customer_knowledge": pgettext("quality driver", "customer knowledge"),
              "waiting_time": pgettext("quality driver", "waiting time"),
              "accessibility": pgettext("quality driver", "accessibility"),
              "phone_menu": pgettext("quality driver", "phone menu")}
    return labels.get(driver, driver.replace("_", " "))


class FeedbackResponse(DriverScores):
    """One customer's survey response about a ticket, as it arrives: the body of
    `POST /api/v1/feedback` and one row of a feedback CSV file (services.feedback reads
    both through this model, so both accept and refuse the same)."""

    # A request body, not a table: pydantic's own config (SQLModel types it as its own).
    model_config = ConfigDict(extra="forbid")  # type: ignore[assignment]

    ticket: str = Field(min_length=1, max_length=64, description="SD-1042, 1042 or the id")
    csat: int = Field(ge=LOWEST_SCORE, le=HIGHEST_SCORE,
                      description="overall satisfaction, 1-5")
    comment: str | None = Field(default=None, max_length=COMMENT_LIMIT)
    received_at: AwareDatetime | None = Field(
        default=None, description="when the customer answered (default: now)")
    kudos: str | None = Field(default=None, max_length=KUDOS_LIMIT,
                              description="a compliment to share on the kudos feed")


class Feedback(DriverScores, table=True):
    __tablename__ = "feedback"

    id: str = identifier()
    ticket_id: str = reference("ticket.id")
    customer_id: str = reference("customer.id")
    #: The ticket's owner when the feedback came in (feedback is about the desk's work).
    agent_id: str | None = reference("agent.id", default=None)
    csat: int = Field(ge=LOWEST_SCORE, le=HIGHEST_SCORE)
    comment: str | None = Field(default=None, max_length=COMMENT_LIMIT)
    #: Where it came from: "import" (a CSV file), "api" (the server's intake), "demo".
    source: str = Field(default="import", max_length=20)
    received_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    author_id: str | None = reference("agent.id", default=None)
