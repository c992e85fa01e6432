"""A real SMTP server for the sending tests (a pytest plugin registered in tests/conftest.py):
aiosmtpd on a free loopback port, a sink that keeps every message it accepts.

It answers as it is told: `sink.data_answers.extend(["451 4.3.0 Try later"] * 2)` makes the
next two messages fail at DATA (then 250 again), `sink.rcpt_answers.append("550 5.1.1 No
such user")` refuses the next recipient. With `password` set it asks for AUTH (LOGIN or
PLAIN, allowed without TLS: it is on loopback); `smtp_sink_with_starttls` insists on
STARTTLS first, with a certificate made by `openssl` for the test.
"""

from __future__ import annotations

import ssl
import subprocess
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
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
    #: The certificate it offers with STARTTLS (None: no TLS).
    certificate: Path | None = None
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


@pytest.fixture
def smtp_sink_with_starttls(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                            ) -> Iterator[SmtpSink]:
    """A running SMTP sink that insists on STARTTLS before anything, with a certificate
    for 127.0.0.1 made for the test (openssl) and trusted by this process only
    (SSL_CERT_FILE), and AUTH (as smtp_sink_with_auth) once encrypted."""
    key, certificate = tmp_path / "sink.key", tmp_path / "sink.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-keyout", str(key), "-out", str(certificate), "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True)
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate))
    sink = SmtpSink(port=free_port(), password="secret", certificate=certificate)
    yield from _running(sink, key)


def _running(sink: SmtpSink, key: Path | None = None) -> Iterator[SmtpSink]:
    options: dict[str, Any] = {}
    if sink.password is not None:
        options = dict(authenticator=sink.authenticate, auth_required=True,
                       auth_require_tls=sink.certificate is not None)
    if sink.certificate is not None:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(sink.certificate, key)
        options.update(tls_context=context, require_starttls=True)
    controller = Controller(sink, hostname=sink.host, port=sink.port, **options)
    controller.start()
    try:
        yield sink
    finally:
        controller.stop()
