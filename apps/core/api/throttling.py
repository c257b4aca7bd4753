"""Throttles of the public API."""

from __future__ import annotations

from rest_framework.throttling import AnonRateThrottle


class PublicAnonThrottle(AnonRateThrottle):
    """Anonymous clients of the public API, per client address (rate ``public_anon``).

    Over the limit DRF answers 429 with ``Retry-After``.
    """

    scope = "public_anon"
