"""A real headless Chromium on `deskterm web`, and the screen as its terminal shows it.

The page draws the terminal on a canvas (xterm.js), which holds no text to read back, so
the screen is rebuilt from exactly what the browser received on its session's websocket,
fed to a terminal emulator (pyte) of the size the page asked for. Keys are pressed in the
page, where xterm.js turns them into what the session reads, as for a person.
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pyte
from playwright.sync_api import Page, WebSocket, sync_playwright

#: Debian's Chromium (apt-get install chromium chromium-driver; .ci/run installs them).
CHROMIUM = Path(shutil.which("chromium") or "/usr/bin/chromium")


class BrowserTerminal:
    """The session's screen, rebuilt from what the page's websocket received."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.screen = pyte.Screen(80, 24)
        self.stream = pyte.ByteStream(self.screen)
        self.sockets: list[str] = []
        page.on("websocket", self._opened)

    def _opened(self, socket: WebSocket) -> None:
        self.sockets.append(socket.url)
        size = parse_qs(urlsplit(socket.url).query)
        if "width" in size and "height" in size:
            self.screen.resize(int(size["height"][0]), int(size["width"][0]))
        socket.on("framereceived", self._received)
        socket.on("framesent", self._sent)

    def _received(self, payload: bytes | str) -> None:
        if isinstance(payload, bytes):
            self.stream.feed(payload)

    def _sent(self, payload: bytes | str) -> None:
        if isinstance(payload, str) and payload.startswith('["resize"'):
            size = json.loads(payload)[1]
            self.screen.resize(int(size["height"]), int(size["width"]))

    @property
    def text(self) -> str:
        return "\n".join(line.rstrip() for line in self.screen.display)

    def until(self, condition: Callable[[], bool], what: str, timeout: float = 60) -> None:
        """Let the page run until `condition` holds; fails naming `what`, with the screen."""
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise AssertionError(f"waited {timeout:.0f} s for {what}; the screen:\n"
                                     f"{self.text}")
            self.page.wait_for_timeout(100)

    def shows(self, *words: str, timeout: float = 60) -> None:
        self.until(lambda: all(word in self.text for word in words),
                   f"the screen to show {words}", timeout)

    def row_background(self, word: str) -> Any:
        """The background colour under the first letter of `word` on the screen."""
        for y, line in enumerate(self.screen.display):
            x = line.find(word)
            if x >= 0:
                return self.screen.buffer[y][x].bg
        raise AssertionError(f"{word!r} is not on the screen:\n{self.text}")

    def type(self, text: str) -> None:
        self.page.keyboard.type(text, delay=20)

    def press(self, key: str) -> None:
        self.page.keyboard.press(key)


@contextmanager
def browser_on(url: str) -> Iterator[BrowserTerminal]:
    """A headless Chromium with `url` open and the terminal focused."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            terminal = BrowserTerminal(page)
            page.goto(url)
            yield terminal
        finally:
            browser.close()
