"""Weak entity tags from the body a read would send."""

import hashlib


def weak_etag(content: bytes) -> str:
    # Weak: equal JSON means the same representation, not byte-for-byte promises.
    return 'W/"' + hashlib.sha256(content).hexdigest()[:32] + '"'
