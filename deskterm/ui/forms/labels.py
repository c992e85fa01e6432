"""The stored values a form's Select offers, as (words, value) pairs in the current
language; the words are each enum's `.label` (domain/enums.py), the values never change."""

from __future__ import annotations

from deskterm.domain.enums import Channel, Priority, TicketKind


def kind_options() -> list[tuple[str, str]]:
    """The ticket kinds as a Select offers them, capitalized: (label, stored value)."""
    return [(kind.label[:1].upper() + kind.label[1:], kind.value) for kind in TicketKind]


def priority_options() -> list[tuple[str, int]]:
    """`P1 urgent` … `P4 low`, as a Select offers them: (label, stored value)."""
    return [(f"{p} {p.label}", int(p)) for p in Priority]


def channel_options() -> list[tuple[str, str]]:
    return [(channel.label, channel.value) for channel in Channel]
