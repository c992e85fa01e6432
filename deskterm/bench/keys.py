"""Key latency, measured in the app's own process on a headless app of 120x40 cells.

A sample runs from posting the key event (as the terminal driver posts it) until the
key's effect is on screen: the app's state shows the result, no read the key started
is outstanding, and the screen has processed a refresh after that (a callback queued
with `call_after_refresh` has run). Pilot's `press` is not used to time: it sleeps in
steps of 20 ms. Between samples the app is left to go quiet, so samples do not overlap:
its debounced follow-ups have run, its workers are done, and its screen has stopped
repainting (panes that fill in after a selection lay out again for a few frames; a
key pressed into that would be timed behind their frames, not its own).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from textual import events
from textual.app import App
from textual.geometry import Offset
from textual.pilot import Pilot
from textual.widget import Widget
from textual.worker import WorkerCancelled

from deskterm.bench import TERMINAL_SIZE

SIZE = TERMINAL_SIZE
#: How often a sample's end condition is checked (seconds).
POLL = 0.0005
#: A key whose effect has not shown after this long fails the run (seconds).
STEP_TIMEOUT = 120.0
#: The screen counts as still when nothing waited to be painted for this long (seconds).
STILL_FOR = 0.06
#: A screen that never stills (an animation) is sampled anyway after this long (seconds).
STILL_TIMEOUT = 2.0
_CHARACTERS = {"slash": "/", "escape": "\x1b", "space": " ", "enter": "\r"}

Condition = Callable[[], bool]


class KeyTimeout(Exception):
    """A key's effect did not show in time."""


def key_event(key: str) -> events.Key:
    """The event Textual's driver posts for `key` (a Textual key name)."""
    character = key if len(key) == 1 else _CHARACTERS.get(key)
    return events.Key(key, character)


async def painted(app: App[object]) -> float:
    """Wait for the screen to process a refresh; returns time.perf_counter() at that moment."""
    done: asyncio.Future[float] = asyncio.get_running_loop().create_future()

    def stamp() -> None:
        if not done.done():
            done.set_result(time.perf_counter())

    app.call_after_refresh(stamp)
    return await asyncio.wait_for(done, STEP_TIMEOUT)


async def until(condition: Condition, *, timeout: float = STEP_TIMEOUT,
                what: str = "the app") -> None:
    """Poll until `condition` holds."""
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise KeyTimeout(f"{what} did not settle within {timeout:.0f} s")
        await asyncio.sleep(POLL)


def screen_busy(app: App[object]) -> bool:
    """The screen has a repaint or a layout pending (Textual keeps no public flag)."""
    screen = app.screen
    return bool(screen._dirty_widgets or screen._layout_required
                or screen._repaint_required or screen._scroll_required)


async def still(app: App[object]) -> None:
    """Until the screen has had nothing to paint for STILL_FOR (at most STILL_TIMEOUT)."""
    deadline = time.perf_counter() + STILL_TIMEOUT
    quiet_since = time.perf_counter()
    while time.perf_counter() < deadline:
        await asyncio.sleep(POLL * 4)
        now = time.perf_counter()
        if screen_busy(app) or any(not worker.is_finished for worker in app.workers):
            quiet_since = now
        elif now - quiet_since >= STILL_FOR:
            return


async def settle(app: App[object], done: Condition, *, what: str,
                 first: Condition | None = None) -> tuple[float, float]:
    """Until `done` holds and a refresh has shown it.

    Returns the perf_counter of the paint that showed `first` (an earlier stage, such as
    the rows before their count; `done` if it is not given or held no earlier) and of
    the paint that showed `done`.
    """
    stamps: list[float] = []
    if first is not None:
        def seen() -> bool:
            if first():
                app.call_after_refresh(lambda: stamps.append(time.perf_counter()))
                return True
            return done()

        await until(seen, what=what)
    while True:
        await until(done, what=what)
        moment = await painted(app)
        if done():
            return (stamps[0] if stamps else moment), moment


async def workers_done(app: App[object]) -> None:
    """Until the app's workers are done; one cancelled was overtaken by a newer one of its
    group (an exclusive read), and is no longer waited for."""
    with contextlib.suppress(WorkerCancelled):
        await app.workers.wait_for_complete()


@dataclass
class KeyRun:
    """Drives one headless app and collects samples, in milliseconds, per action name."""

    app: App[object]
    pilot: Pilot[object]
    #: Seconds to leave the app alone before a sample (its own debounced follow-ups run).
    rest: float = 0.0
    samples: dict[str, list[float]] = field(default_factory=dict)
    first: dict[str, list[float]] = field(default_factory=dict)
    #: The process's CPU time (all threads) over each sample, in milliseconds.
    cpu: dict[str, list[float]] = field(default_factory=dict)

    async def quiet(self) -> None:
        if self.rest:
            await asyncio.sleep(self.rest)
        await workers_done(self.app)
        await self.pilot.pause()
        await workers_done(self.app)
        await still(self.app)

    async def press(self, name: str, key: str, done: Condition, *,
                    first: Condition | None = None) -> None:
        """Press `key`, time it until `done` shows, and record the sample under `name`.

        With `first`, the time until that earlier stage showed is recorded too, under
        `name` in `self.first`. Call `quiet` before, then work out what `done` expects.
        """
        cpu = time.process_time()
        started = time.perf_counter()
        self.app.post_message(key_event(key))
        shown, finished = await settle(self.app, done, first=first, what=f"{name} ({key})")
        self.samples.setdefault(name, []).append((finished - started) * 1000)
        self.cpu.setdefault(name, []).append((time.process_time() - cpu) * 1000)
        if first is not None:
            self.first.setdefault(name, []).append((shown - started) * 1000)

    async def drag(self, name: str, scrollable: Widget, lines: int, done: Condition) -> None:
        """Drag `scrollable`'s vertical scrollbar thumb `lines` cells down, timed from the
        mouse's move (grabbing the thumb is not timed) until `done` shows; released after.

        The move is posted as Pilot posts it (to the screen, which hands it to the
        scrollbar holding the mouse), without Pilot's pauses around it.
        """
        bar = scrollable.vertical_scrollbar
        await self.pilot.mouse_down(bar, offset=(0, 0))
        x, y = bar.region.x, bar.region.y + lines
        move = events.MouseMove(widget=bar, x=x, y=y, delta_x=0, delta_y=lines, button=1,
                                shift=False, meta=False, ctrl=False, screen_x=x, screen_y=y)
        cpu = time.process_time()
        started = time.perf_counter()
        self.app.mouse_position = Offset(x, y)
        self.app.screen._forward_event(move)
        _shown, finished = await settle(self.app, done, what=f"{name} (mouse)")
        self.samples.setdefault(name, []).append((finished - started) * 1000)
        self.cpu.setdefault(name, []).append((time.process_time() - cpu) * 1000)
        await self.pilot.mouse_up(bar, offset=(0, lines))  # where the drag ended

    async def send(self, key: str, accepted: Condition) -> None:
        """Press `key` without timing it; returns once `accepted` holds."""
        self.app.post_message(key_event(key))
        await until(accepted, what=f"key {key}")
