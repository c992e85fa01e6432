"""Mood privacy through the server: aggregates of 3+ agents for leads, never anyone's entry."""

from __future__ import annotations

import json
from collections.abc import Callable

import httpx

from deskterm.services.wellbeing import local_today, record_mood
from tests.sync.conftest import RunningServer
from tests.sync.support import Replica, SyncDesk


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


def test_three_agents_moods_show_only_aggregates(server: RunningServer,
                                                 replica_of: Callable[..., Replica]) -> None:
    today = _log_moods(replica_of, {"alex": 2, "blake": 4, "morgan": 3})
    body = _get(server, "morgan", f"/api/v1/team/mood?today={today}").json()
    day = next(d for d in body["days"] if d["label"] == today)
    assert (day["shown"], day["contributors"], day["mean"], day["distribution"]) == \
        (True, 3, 3.0, [0, 1, 1, 1, 0])
    text = json.dumps(body)
    assert "private note" not in text and "agent_id" not in text


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
