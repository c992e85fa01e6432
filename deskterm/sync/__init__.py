"""Sync: the wire format, the merge rule shared by server and client, and the HTTP client.

Both ends import this package (see ARCHITECTURE.md, "Sync"): one definition of what a
change looks like on the wire and one `apply_change` that merges it into a database,
whether that database is an agent's SQLite store or the server's PostgreSQL.
"""
