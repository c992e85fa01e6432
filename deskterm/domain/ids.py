"""Time-ordered UUIDv7 ids, made where a row is created so offline replicas never collide."""

from __future__ import annotations

import os
import random
import time

_MS_MASK = (1 << 48) - 1


def uuid7(ms: int | None = None, rng: random.Random | None = None) -> str:
    """A UUIDv7 string (RFC 9562): 48 bits of Unix milliseconds, then random bits.

    `ms` and `rng` exist so demo data can be made deterministically for a seed.
    """
    if ms is None:
        ms = time.time_ns() // 1_000_000
    rand = rng.getrandbits(74) if rng is not None else int.from_bytes(os.urandom(10), "big") >> 6
    rand_a = rand >> 62  # 12 bits
    rand_b = rand & ((1 << 62) - 1)
    value = ((ms & _MS_MASK) << 80) | (0x7 << 76) | (rand_a << 64) | (0b10 << 62) | rand_b
    text = f"{value:032x}"
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


def uuid7_ms(value: str) -> int:
    """The Unix millisecond timestamp inside a UUIDv7 string."""
    return int(value.replace("-", "")[:12], 16)
