"""Issue 10, finding 3: a rejection never deletes what a person typed.

Whatever the reason, a rejected change keeps its content: `deskterm sync --status` and
`deskterm rejected list` show it in full, and the agent copies it into a new change or
discards it. Nothing is removed without the agent's say.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from deskterm.cli.main import main
from deskterm.domain.money import Money
from deskterm.services import customers, goodwill
from deskterm.sync import rejected
from deskterm.sync import replica as local
from tests.support.servers import RunningServer
from tests.support.sync import Replica, snapshot_server


def deskterm(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _overspent(replica_of: Callable[..., Replica]) -> tuple[Replica, Replica, str]:
    """Alex's laptop and desktop spend the same last euros offline: the desktop's spend,
    with the reason alex typed, is rejected."""
    morgan = replica_of("morgan")
    goodwill.allocate(morgan.ctx, "alex", Money(1000), reason="November")
    morgan.sync()
    laptop, desktop = replica_of("alex"), replica_of("alex", name="desktop")
    customer = customers.create_customer(laptop.ctx, name="Jo Jansen")
    laptop.sync()
    desktop.sync()
    goodwill.spend(laptop.ctx, Money(800), reason="Flowers after the outage",
                   customer=customer.id)
    goodwill.spend(desktop.ctx, Money(800), reason="Taxi home, the printer ate the contract",
                   customer=customer.id)
    laptop.sync()
    report = desktop.sync()
    assert [r.code for r in report.rejected] == ["insufficient_budget"]
    return laptop, desktop, customer.id


def test_3_a_rejected_change_keeps_what_was_typed_until_the_agent_decides(
        server: RunningServer, replica_of: Callable[..., Replica],
        capsys: pytest.CaptureFixture[str]) -> None:
    _, desktop, _ = _overspent(replica_of)
    [kept] = local.rejected_changes(desktop.store)
    assert kept.fields["reason"] == "Taxi home, the printer ate the contract"
    for _ in range(3):
        desktop.sync()  # later rounds leave it alone
    assert local.rejected_changes(desktop.store) == [kept]
    code, out, err = deskterm(capsys, "--db", str(desktop.store.path), "rejected", "list")
    assert code == 0, err
    # The content column folds at words to fit the width: read it as words.
    words = " ".join(out.split())
    assert "Taxi home, the printer ate the contract" in words and rejected.short_id(kept) in out
    code, out, err = deskterm(capsys, "--db", str(desktop.store.path), "sync", "--status")
    assert "Taxi home, the printer ate the contract" in " ".join(out.split())


def test_3_a_rejected_spend_copied_after_a_top_up_goes_through(
        server: RunningServer, replica_of: Callable[..., Replica],
        capsys: pytest.CaptureFixture[str]) -> None:
    _, desktop, _ = _overspent(replica_of)
    [kept] = local.rejected_changes(desktop.store)
    morgan = replica_of("morgan", name="morgan-again")
    goodwill.allocate(morgan.ctx, "alex", Money(1000), reason="top-up")
    morgan.sync()
    desktop.sync()
    code, out, err = deskterm(capsys, "--db", str(desktop.store.path), "rejected", "copy",
                              rejected.short_id(kept))
    assert code == 0, err
    assert "into a new change" in out
    assert local.rejected_changes(desktop.store) == []
    report = desktop.sync()
    assert report.rejected == []
    reasons = [row["reason"] for row in snapshot_server(
        server.db.engine, ["goodwill_entry"])["goodwill_entry"].values()]
    assert "Taxi home, the printer ate the contract" in reasons


def test_3_discarding_is_the_agents_say_and_is_one_line_when_wrong(
        server: RunningServer, replica_of: Callable[..., Replica],
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    _, desktop, _ = _overspent(replica_of)
    [kept] = local.rejected_changes(desktop.store)
    db = ("--db", str(desktop.store.path))
    code, _, err = deskterm(capsys, *db, "rejected", "discard", "abc")
    assert code == 2 and "too short" in err and err.count("\n") == 1
    code, _, err = deskterm(capsys, *db, "rejected", "discard", "zzzzzzzz")
    assert code == 1 and "no rejected change" in err
    code, out, err = deskterm(capsys, *db, "rejected", "discard", rejected.short_id(kept))
    assert code == 0, err
    assert "Taxi home" in out
    assert local.rejected_changes(desktop.store) == []
