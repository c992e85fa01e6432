"""A lean HTTP/1.1 client for the load generator only: one keep-alive connection per agent.

httpx's async client costs the generator about 1.5 ms of CPU per request, so at a
thousand requests a second on a 2-core machine the generator, not the server, sets the
pace. This one writes each request by hand and reads the answer with asyncio's stream
reader: real HTTP/1.1 over a real socket to the real server (status line, headers,
`Content-Length` or chunked body), nothing skipped that a request's check needs. The
app's own sync client (`deskterm.sync.client`) stays on httpx.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit


class WireError(Exception):
    """The connection failed or the answer is not HTTP the client understands."""


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class WireClient:
    """Requests to one server over one keep-alive connection (opened on first use, and
    again after the server closed it); `bearer` goes with every request."""

    def __init__(self, base_url: str, bearer: str, timeout: float) -> None:
        parts = urlsplit(base_url)
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or 80
        self.timeout = timeout
        self._head = (f"Host: {parts.netloc}\r\nAuthorization: Bearer {bearer}\r\n"
                      "Accept: application/json\r\n")
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def request(self, method: str, path: str, *, params: dict[str, Any] | None = None,
                      json_body: Any = None) -> Answer:
        if params:
            path = f"{path}?{urlencode(params)}"
        body = b"" if json_body is None else json.dumps(json_body).encode()
        head = f"{method} {path} HTTP/1.1\r\n{self._head}"
        if json_body is not None:
            head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        try:
            return await asyncio.wait_for(self._exchange(head.encode() + b"\r\n" + body),
                                          self.timeout)
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError,
                TimeoutError, ValueError) as error:
            await self.close()
            raise WireError(f"{type(error).__name__}: {error}") from None

    async def _exchange(self, request: bytes) -> Answer:
        if self._writer is None or self._writer.is_closing():
            self._reader, self._writer = await asyncio.open_connection(
                self.host, self.port, limit=1 << 20)
        assert self._reader is not None
        self._writer.write(request)
        header_block = await self._reader.readuntil(b"\r\n\r\n")
        status_line, *header_lines = header_block.decode("latin-1").split("\r\n")
        status = int(status_line.split(" ", 2)[1])
        headers = {}
        for line in header_lines:
            if line:
                name, _sep, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
        if "content-length" in headers:
            body = await self._reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            body = await self._chunked()
        else:
            raise ValueError("an answer with neither Content-Length nor chunks")
        if headers.get("connection", "").lower() == "close":
            await self.close()
        return Answer(status, body)

    async def _chunked(self) -> bytes:
        assert self._reader is not None
        chunks: list[bytes] = []
        while True:
            size = int((await self._reader.readuntil(b"\r\n")).split(b";")[0], 16)
            if size == 0:
                await self._reader.readuntil(b"\r\n")
                return b"".join(chunks)
            chunks.append(await self._reader.readexactly(size))
            await self._reader.readexactly(2)

    async def close(self) -> None:
        writer, self._writer, self._reader = self._writer, None, None
        if writer is not None:
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()
