"""PostgreSQL advisory locks are keyed by one 64-bit integer; these are named by text."""

import hashlib


def advisory_lock_key(name: str) -> int:
    """A stable signed 64-bit key for ``name`` (the same in every process and server)."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)
