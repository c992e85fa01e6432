"""Hybrid logical clock stamps: the order in which concurrent field writes win.

A stamp is physical milliseconds, a logical counter and the node id. Its text form
sorts the same way the stamps compare, so merge code compares strings; ties between
equal times are broken by node id. The stamp lives in the domain (not in `sync`)
because the service layer stamps every write when it records it in the outbox.
"""

from __future__ import annotations

from dataclasses import dataclass

from deskterm.domain.errors import InvalidInput
from deskterm.i18n import _

#: How far ahead of our own clock a remote stamp may be before it is refused.
MAX_DRIFT_MS = 5 * 60 * 1000
#: The largest counter the five-digit text form holds. One more moves the stamp to the
#: next millisecond instead, so the text still sorts as the stamps compare.
MAX_COUNTER = 99_999


@dataclass(frozen=True, order=True)
class Hlc:
    wall_ms: int
    counter: int
    node: str

    def __str__(self) -> str:
        return f"{self.wall_ms:013d}-{self.counter:05d}-{self.node}"

    @classmethod
    def parse(cls, text: str) -> Hlc:
        try:
            wall, counter, node = text.split("-", 2)
            return cls(int(wall), int(counter), node)
        except ValueError:
            raise InvalidInput(_("'{text}' is not a clock stamp").format(text=text)) from None

    def tick(self, now_ms: int) -> Hlc:
        """The next local stamp after this one, at physical time `now_ms`."""
        if now_ms > self.wall_ms:
            return Hlc(now_ms, 0, self.node)
        return self._at(self.wall_ms, self.counter + 1)

    def receive(self, remote: Hlc, now_ms: int) -> Hlc:
        """Our clock after seeing `remote`; refuses stamps too far in the future."""
        if remote.wall_ms - now_ms > MAX_DRIFT_MS:
            raise InvalidInput(
                _("clock stamp from {node} is {seconds} s in the future; check that "
                  "machine's clock").format(node=remote.node,
                                            seconds=(remote.wall_ms - now_ms) // 1000))
        wall = max(self.wall_ms, remote.wall_ms, now_ms)
        if wall == self.wall_ms == remote.wall_ms:
            counter = max(self.counter, remote.counter) + 1
        elif wall == self.wall_ms:
            counter = self.counter + 1
        elif wall == remote.wall_ms:
            counter = remote.counter + 1
        else:
            counter = 0
        return self._at(wall, counter)

    def _at(self, wall_ms: int, counter: int) -> Hlc:
        if counter > MAX_COUNTER:
            return Hlc(wall_ms + 1, 0, self.node)
        return Hlc(wall_ms, counter, self.node)
