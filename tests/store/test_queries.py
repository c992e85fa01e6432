"""Queue queries: the text filter takes what people type, keys and numbers included."""

from __future__ import annotations

from deskterm.services import tickets
from deskterm.store.queries import OPEN_FILTER, TicketFilter, count_tickets, list_tickets
from tests.conftest import Desk


def test_text_filter_finds_by_key_number_and_subject(desk: Desk) -> None:
    vpn = tickets.create_ticket(desk.alex, customer="jo@example.com", subject="VPN 100% down")
    printer = tickets.create_ticket(desk.alex, customer="jo@example.com", subject="Printer_3")
    with desk.store.raw() as connection:
        connection.execute("UPDATE ticket SET number = 12 WHERE id = ?", (printer.id,))
        for typed, expected in [("SD-12", [printer.id]), ("12", [printer.id]),
                                ("sd-12", [printer.id]), ("100%", [vpn.id]),
                                ("_3", [printer.id]), ("%", [vpn.id]), ("_", [printer.id]),
                                ("vpn", [vpn.id]), ("", [printer.id, vpn.id])]:
            found = list_tickets(connection, TicketFilter(text=typed))
            assert sorted(r.id for r in found) == sorted(expected), typed
            assert count_tickets(connection, TicketFilter(text=typed)) == len(expected)


def test_text_filter_never_fails_on_odd_numbers(desk: Desk) -> None:
    """Numbers that are no key (superscripts, other scripts' digits, past 2^63-1) and
    apostrophes are text: they find the tickets whose subject holds them, and nothing
    else. A double quote opens a phrase: alone, it is no filter at all."""
    made = {subject: tickets.create_ticket(desk.alex, customer="jo@example.com",
                                           subject=subject).id
            for subject in ["VPN", "Floor ² heating", "Room ١٢ projector",
                            "O'Brien's \"quote\" in C:\\temp", "Order 99999999999999999999999"]}
    with desk.store.raw() as connection:
        connection.execute("UPDATE ticket SET number = 7 WHERE id = ?", (made["VPN"],))
        for typed, subjects in [
            ("²", ["Floor ² heating"]), ("SD-²", []),
            ("١٢", ["Room ١٢ projector"]),
            ("99999999999999999999999", ["Order 99999999999999999999999"]),
            ("SD-9223372036854775808", []), ("9223372036854775807", []),
            ("\\", ["O'Brien's \"quote\" in C:\\temp"]),
            ("'", ["O'Brien's \"quote\" in C:\\temp"]),
            ('"', list(made)), ('"quote"', ["O'Brien's \"quote\" in C:\\temp"]),
            ("7", ["VPN"]), ("sd-7", ["VPN"]),  # the key, with or without its prefix
        ]:
            expected = sorted(made[subject] for subject in subjects)
            found = list_tickets(connection, TicketFilter(text=typed))
            assert sorted(row.id for row in found) == expected, typed
            assert count_tickets(connection, TicketFilter(text=typed)) == len(expected), typed


def test_a_nul_in_the_filter_is_text_like_any_other(desk: Desk) -> None:
    plain = tickets.create_ticket(desk.alex, customer="jo@example.com", subject="VPN")
    with_nul = tickets.create_ticket(desk.alex, customer="jo@example.com", subject="a\x00b")
    with desk.store.raw() as connection:
        found = list_tickets(connection, TicketFilter(text="\x00"))
        assert plain.id not in {row.id for row in found}
        assert [row.id for row in found] == [with_nul.id]


def test_open_filter_and_limits(desk: Desk) -> None:
    made = [tickets.create_ticket(desk.alex, customer="jo@example.com", subject=f"T{i}")
            for i in range(3)]
    tickets.resolve_ticket(desk.alex, made[0].id, resolution="Done")
    with desk.store.raw() as connection:
        assert count_tickets(connection, OPEN_FILTER) == 2
        assert len(list_tickets(connection, TicketFilter(), limit=0)) == 1
        assert len(list_tickets(connection, TicketFilter(), limit=2, offset=-5)) == 2
