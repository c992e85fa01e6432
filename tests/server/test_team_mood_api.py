"""Mood privacy through the server: aggregates of 3+ agents for leads, never anyone's entry."""

from __future__ import annotations

import json
from collections.abc import Callable

import httpx

from deskterm.server.accounts import add_user
from deskterm.services.wellbeing import local_today, record_mood
from tests.support.servers import RunningServer
from tests.support.sync import Replica, SyncDesk


def _get(server: RunningServer, handle: str, path: str) -> httpx.Response:
    return httpx.get(server.url + path, headers={"Authorization":
                                                 f"Bearer {server.tokens[handle]}"})


def _log_moods(replica_of: Callable[..., Replica], scores: dict[str, int]) -> str:
    today = ""
    for handle, score in scores.items():
        replica = replica_of(handle)
        record_mood(replica.ctx, score, note=f"private note of {handle}")
        replica.sync()
        today = local_today(replica.ctx).isoformat()
    return today


def test_two_agents_moods_show_nothing(server: RunningServer,
                                       replica_of: Callable[..., Replica]) -> None:
    today = _log_moods(replica_of, {"alex": 1, "blake": 5})
    answer = _get(server, "morgan", f"/api/v1/team/mood?today={today}")
    assert answer.status_code == 200
    day = next(d for d in answer.json()["days"] if d["label"] == today)
    assert day == {"label": today, "start": today, "shown": False,
                   "message": "not enough entries to show"}


def test_three_other_agents_moods_show_only_the_mean(
        server: RunningServer, replica_of: Callable[..., Replica]) -> None:
    server.tokens["dana"] = add_user(server.db, "dana", role="agent", team="north")
    today = _log_moods(replica_of, {"alex": 2, "blake": 4, "dana": 3, "morgan": 5})
    body = _get(server, "morgan", f"/api/v1/team/mood?today={today}").json()
    day = next(d for d in body["days"] if d["label"] == today)
    # Morgan's own 5 is left out; three are enough for a mean, not for the spread.
    assert (day["shown"], day["contributors"], day["mean"], day["distribution"]) == \
        (True, 3, 3.0, None)
    assert (body["min_contributors"], body["min_for_distribution"]) == (3, 5)
    text = json.dumps(body)
    assert "private note" not in text and "agent_id" not in text


def test_8_the_leads_own_entry_never_makes_up_the_three(
        server: RunningServer, replica_of: Callable[..., Replica]) -> None:
    """One agent at 1, another at 4, the lead at 5: the lead must not read both scores."""
    today = _log_moods(replica_of, {"alex": 1, "blake": 4, "morgan": 5})
    body = _get(server, "morgan", f"/api/v1/team/mood?today={today}").json()
    day = next(d for d in body["days"] if d["label"] == today)
    assert day == {"label": today, "start": today, "shown": False,
                   "message": "not enough entries to show"}
    assert not body["weeks"][-1]["shown"]


def test_no_role_can_read_another_agents_mood(server: RunningServer,
                                             replica_of: Callable[..., Replica]) -> None:
    _log_moods(replica_of, {"alex": 2, "blake": 4, "morgan": 3, "casey": 1})
    for handle, role, _team in SyncDesk.ACCOUNTS:
        pulled = _get(server, handle, "/api/v1/sync/pull?cursor=0&limit=5000").json()
        moods = [c for c in pulled["changes"] if c["entity"] == "mood_entry"]
        me = _get(server, handle, "/api/v1/me").json()["agent_id"]
        assert all(c["fields"]["agent_id"] == me for c in moods), handle
        mood = _get(server, handle, "/api/v1/team/mood")
        if role == "agent":
            assert mood.status_code == 403 and "lead" in mood.json()["detail"]
        else:
            assert mood.status_code in (200, 404)
            assert "private note" not in mood.text
    other_team = _get(server, "morgan", "/api/v1/team/mood?team=south")
    assert other_team.status_code == 403
    assert _get(server, "root", "/api/v1/team/mood?team=south").status_code == 200
