"""A real SMTP server for the sending tests (a pytest plugin registered in tests/conftest.py):
aiosmtpd on a free loopback port, a sink that keeps every message it accepts.

It answers as it is told: `sink.data_answers.extend(["451 4.3.0 Try later"] * 2)` makes the
next two messages fail at DATA (then 250 again), `sink.rcpt_answers.append("550 5.1.1 No
such user")` refuses the next recipient. With `password` set it asks for AUTH (LOGIN or
PLAIN, allowed without TLS: it is on loopback).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any, cast

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, Envelope, LoginPassword, Session

from deskterm.server.runner import free_port

ACCEPTED = "250 2.0.0 Message accepted"


@dataclass(frozen=True)
class Received:
    """One message the sink accepted: its envelope and the message as parsed."""

    mail_from: str
    rcpt_tos: tuple[str, ...]
    raw: bytes
    message: EmailMessage


@dataclass
class SmtpSink:
    """What the server does and has received; its answers are set by the test."""

    host: str = "127.0.0.1"
    port: int = 0
    password: str | None = None
    user: str = "desk@example.com"
    received: list[Received] = field(default_factory=list)
    #: Answers to the next messages' DATA, in order; 250 once they are used up.
    data_answers: deque[str] = field(default_factory=deque)
    #: Answers to the next recipients (RCPT TO), in order; 250 once they are used up.
    rcpt_answers: deque[str] = field(default_factory=deque)
    #: Every DATA the sink was sent, accepted or not.
    attempts: int = 0
    logins: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"smtp://{self.host}:{self.port}"

    async def handle_RCPT(self, server: Any, session: Session, envelope: Envelope,
                          address: str, rcpt_options: list[str]) -> str:
        answer = self.rcpt_answers.popleft() if self.rcpt_answers else "250 OK"
        if answer.startswith("250"):
            envelope.rcpt_tos.append(address)
        return answer

    async def handle_DATA(self, server: Any, session: Session, envelope: Envelope) -> str:
        self.attempts += 1
        answer = self.data_answers.popleft() if self.data_answers else ACCEPTED
        if answer.startswith("250"):
            raw = cast(bytes, envelope.original_content or envelope.content)
            message = cast(EmailMessage, message_from_bytes(raw, policy=policy.default))
            self.received.append(Received(str(envelope.mail_from),
                                          tuple(envelope.rcpt_tos), raw, message))
        return answer

    def authenticate(self, server: Any, session: Session, envelope: Envelope,
                     mechanism: str, auth_data: Any) -> AuthResult:
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        login = auth_data.login.decode()
        good = login == self.user and auth_data.password.decode() == self.password
        if good:
            self.logins.append(login)
        # handled=False: aiosmtpd answers the failure itself (535)
        return AuthResult(success=good, handled=False)


@pytest.fixture
def smtp_sink() -> Iterator[SmtpSink]:
    """A running SMTP sink on loopback, answering 250 unless told otherwise."""
    sink = SmtpSink(port=free_port())
    yield from _running(sink)


@pytest.fixture
def smtp_sink_with_auth() -> Iterator[SmtpSink]:
    """A running SMTP sink that wants AUTH (user desk@example.com, password 'secret')."""
    sink = SmtpSink(port=free_port(), password="secret")
    yield from _running(sink)


def _running(sink: SmtpSink) -> Iterator[SmtpSink]:
    options: dict[str, Any] = {}
    if sink.password is not None:
        options = dict(authenticator=sink.authenticate, auth_required=True,
                       auth_require_tls=False)
    controller = Controller(sink, hostname=sink.host, port=sink.port, **options)
    controller.start()
    try:
        yield sink
    finally:
        controller.stop()
