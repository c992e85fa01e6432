"""The shared server: accounts, the change log, push/pull/stream over HTTP (FastAPI).

`database` holds its tables and engine (SQLite or PostgreSQL, one code path), `log` the
write path that applies pushes through the shared merge rule, `rules` who may write
what, `accounts` the people and their tokens, `app` the FastAPI factory.
"""
