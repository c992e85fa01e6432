"""Each request answered in its caller's language: `Accept-Language` picks Dutch or English.

`Language` wraps the whole app, so every `_()` run while a request is handled speaks the
caller's language: the routes' and dependencies' own words, and the services' and the
domain's refusals raised on the way (a sync route runs in a worker thread, which gets a
copy of the request's context, language included). Every answer says which language it
speaks (`Content-Language`), and that it depends on `Accept-Language` (`Vary`).

Operator log lines stay English: they are written for the server's log, not the caller.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from deskterm.i18n import DEFAULT_LANGUAGE, parse_language, using


def accepted_language(header: str | None) -> str:
    """The language of ours an `Accept-Language` header ranks highest, else English:
    `nl-NL,nl;q=0.9,en;q=0.8` → `nl`; `de, nl;q=0.5` → `nl`; `fr`, `*`, nothing → `en`.

    A language given `q=0` is refused by its caller and never chosen; equal weights keep
    the header's order.
    """
    ranked: list[tuple[float, int, str]] = []
    for order, item in enumerate((header or "").split(",")):
        tag, *parameters = (part.strip() for part in item.split(";"))
        weight = 1.0
        for parameter in parameters:
            name, _sep, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0  # a weight that does not parse counts as none
        language = parse_language(tag)
        if language is not None and weight > 0:
            ranked.append((-weight, order, language))
    return min(ranked)[2] if ranked else DEFAULT_LANGUAGE


def request_language(scope: Scope) -> str:
    """The language the request in `scope` asks for (see `accepted_language`)."""
    for name, value in scope.get("headers", ()):
        if name == b"accept-language":
            return accepted_language(value.decode("latin-1"))
    return DEFAULT_LANGUAGE


class Language:
    """Run each HTTP request inside `i18n.using` its caller's language, and say which
    language the answer speaks."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        language = request_language(scope)

        async def saying_language(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                headers = MutableHeaders(scope=message)
                headers.setdefault("Content-Language", language)
                headers.append("Vary", "Accept-Language")
            await send(message)

        with using(language):
            await self.app(scope, receive, saying_language)
