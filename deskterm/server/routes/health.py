"""Liveness for load balancers and monitors: no token needed."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool

from deskterm.server.database import newest_seq
from deskterm.server.deps import DatabaseDep
from deskterm.server.routes.problems import problems

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="Is the server up and its database reachable",
            responses=problems(503))
async def healthz(db: DatabaseDep) -> dict[str, object]:
    head = await run_in_threadpool(newest_seq, db)
    return {"status": "ok", "database": db.engine.dialect.name, "head": head}

