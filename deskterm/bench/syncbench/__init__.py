"""`deskterm bench sync`: the sync protocol on loopback, each figure beside a plain-SQL floor.

Three figures per database (SQLite file and PostgreSQL), each measured in the same run as
the same rows written or read the plainest way (executemany, a direct SELECT):

- first pull: a brand-new replica pulls a log of N changes until caught up;
- round trip: one change from agent A to agent B through push, poke and pull;
- load: many simulated agents pulling (some pushing) every 2 s for a while.

See `deskterm.bench.syncbench.run` for the order of a run and what each figure includes.
"""

#: Seconds between one simulated agent's syncs (the issue's "every 2 s").
SYNC_INTERVAL = 2.0
#: Every how many simulated agents one also pushes a change at each of its syncs.
PUSHER_EVERY = 10
