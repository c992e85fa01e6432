"""The queue's text match is one: `ticket list --search` and the workspace's filter find
the same tickets for the same words (subject, customer, owner, or the ticket's key)."""

from __future__ import annotations

from deskterm.services import tickets
from deskterm.store.queue import QueueSource, QueueSpec, QueueView
from tests.cli.conftest import Cli
from tests.conftest import Desk

#: Words as people type them, each finding tickets through a different field.
TYPED = [
    "printer",  # subject
    "PRINTER jam",  # subject, two words, ASCII case ignored
    "klaassen",  # customer only
    "blake",  # owner only
    "alex vpn",  # owner and subject
    "SD-12", "sd-012", "12",  # the key (and "12" as a word: floor 12)
    "SD-١٢",  # not a key: Arabic-Indic digits are words, found nowhere
    "100%", "_",  # LIKE's wildcards are plain characters
    "über", "Über", "uber",  # neither case nor accents count
    '"printer jam"', '"jam printer"',  # a phrase: its words in this order
    "printer -jam", '-"printer jam"',  # -word and -"phrase" exclude
    "[floor] (12)", "pr*nter",  # brackets and * only separate words
    "nothing-like-this",
]


def test_the_cli_and_the_workspace_find_the_same_tickets(cli: Cli, desk: Desk) -> None:
    made = {
        "printer": tickets.create_ticket(desk.alex, customer="jo@example.com",
                                         subject="Printer jam on floor 12"),
        "vpn": tickets.create_ticket(desk.alex, customer="jo@example.com",
                                     subject="VPN 100% down"),
        "kim": tickets.create_ticket(desk.blake, customer="kim@example.com",
                                     subject="Über-long wait_time"),
        "closed": tickets.create_ticket(desk.alex, customer="kim@example.com",
                                        subject="Old printer"),
    }
    tickets.resolve_ticket(desk.alex, made["closed"].id, resolution="Replaced")
    with desk.store.raw() as connection:
        connection.execute("UPDATE ticket SET number = 12 WHERE id = ?", (made["vpn"].id,))
    names = {ticket.id: name for name, ticket in made.items()}

    source = QueueSource(str(desk.store.path), QueueSpec(view=QueueView.ALL))
    try:
        found_by: dict[str, tuple[set[str], set[str]]] = {}
        for typed in TYPED:
            listed = cli("ticket", "list", "--all", "--search", typed, "--limit", "100",
                         "--json")
            assert listed.code == 0, listed.err
            source.set_spec(source.spec.with_(text=typed))
            shown = source.rows(0, source.count())
            found_by[typed] = ({names[row["id"]] for row in listed.data},
                               {names[row.id] for row in shown})
    finally:
        source.close()

    assert {typed: cli_found for typed, (cli_found, _) in found_by.items()} == \
        {typed: workspace_found for typed, (_, workspace_found) in found_by.items()}
    # And what both find is the one meaning: subject, customer, owner or key.
    assert {typed: found for typed, (found, _) in found_by.items()} == {
        "printer": {"printer", "closed"},
        "PRINTER jam": {"printer"},
        "klaassen": {"kim", "closed"},
        "blake": {"kim"},
        "alex vpn": {"vpn"},
        "SD-12": {"vpn"}, "sd-012": {"vpn"}, "12": {"vpn", "printer"},
        "SD-١٢": set(),
        "100%": {"vpn"}, "_": {"kim"},
        "über": {"kim"}, "Über": {"kim"}, "uber": {"kim"},
        '"printer jam"': {"printer"}, '"jam printer"': set(),
        "printer -jam": {"closed"}, '-"printer jam"': {"vpn", "kim", "closed"},
        "[floor] (12)": {"printer"}, "pr*nter": {"printer", "closed"},
        "nothing-like-this": set(),
    }
