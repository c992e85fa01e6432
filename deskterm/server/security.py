"""Tokens: made once, shown once, kept only as a hash.

Tokens are 256 random bits, so a plain SHA-256 is the right hash: there is nothing for
a slow password hash to protect against, and every request can check its token with one
indexed lookup.
"""

from __future__ import annotations

import hashlib
import secrets

TOKEN_PREFIX = "dkt_"


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
