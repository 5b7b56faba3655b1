"""Fixed-window rate limits in the cache (Redis in production, memory in the embedded default)."""

from __future__ import annotations

import hashlib

from django.core.cache import cache


def _key(scope: str, identity: str) -> str:
    # Hash the identity: keys may hold an IP address or a reference, which stay out of Redis dumps.
    digest = hashlib.sha256(identity.encode()).hexdigest()[:32]
    return f"rl:{scope}:{digest}"


def hit(scope: str, identity: str, *, limit: int, window_seconds: int = 3600) -> bool:
    """Count one attempt; True while the caller is within ``limit`` attempts in the window."""
    key = _key(scope, identity)
    if cache.add(key, 1, timeout=window_seconds):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window_seconds)
        return True
    return count <= limit


def reset(scope: str, identity: str) -> None:
    cache.delete(_key(scope, identity))
