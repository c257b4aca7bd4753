"""Keys for heavy users of the public API: authentication, quota and rate.

A request with ``X-Api-Key: hcp_<prefix>_<secret>`` is authenticated by
:class:`PortalKeyAuthentication` as a :class:`PortalClient` (never a staff
principal: it has no role, so every scoped queryset is empty for it) and
counted by :class:`PortalKeyThrottle` against the key's per-minute rate and
daily quota. Requests without the header stay anonymous and are limited per
client address by :class:`apps.core.api.throttling.PublicAnonThrottle`.

Every public endpoint uses both through :class:`PublicApiMixin` (or the
``PUBLIC_AUTHENTICATION``/``PUBLIC_THROTTLES`` lists). Counters live in the
cache (Redis in production, shared by every web process); over the limit the
answer is 429 with ``Retry-After``.
"""

from __future__ import annotations

import datetime
import time
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions
from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle

from apps.core.api.throttling import PublicAnonThrottle

from ..models import PortalApiKey
from ..services import PORTAL_KEY_PREFIX, hash_portal_key

HEADER = "X-Api-Key"
# last_used_at is written at most this often per key (not once per request).
LAST_USED_EVERY = datetime.timedelta(minutes=1)


@dataclass
class PortalClient:
    """The principal of a request authenticated by a portal API key."""

    key: PortalApiKey
    is_authenticated: bool = True
    is_anonymous: bool = False
    is_staff: bool = False
    is_superuser: bool = False
    is_active: bool = True
    role: None = None
    department: None = None
    pk: None = None

    @property
    def audit_name(self) -> str:
        return f"公示接口密钥 {self.key.name}（{self.key.prefix}）"

    def __str__(self) -> str:
        return self.audit_name


class PortalKeyAuthentication(authentication.BaseAuthentication):
    """``X-Api-Key`` header -> :class:`PortalClient`; a wrong or revoked key answers 401."""

    def authenticate(self, request: Request) -> tuple[PortalClient, PortalApiKey] | None:
        raw = request.headers.get(HEADER, "").strip()
        if not raw:
            return None
        if not raw.startswith(f"{PORTAL_KEY_PREFIX}_") or len(raw) > 200:
            raise exceptions.AuthenticationFailed(gettext("接口密钥格式不正确（X-Api-Key）。"))
        key = PortalApiKey.objects.filter(key_hash=hash_portal_key(raw)).first()
        if key is None:
            raise exceptions.AuthenticationFailed(gettext("接口密钥无效（X-Api-Key）。"))
        if not key.is_active:
            raise exceptions.AuthenticationFailed(gettext("接口密钥已被吊销（X-Api-Key）。"))
        now = timezone.now()
        if key.last_used_at is None or now - key.last_used_at > LAST_USED_EVERY:
            PortalApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        return PortalClient(key=key), key

    def authenticate_header(self, request: Request) -> str:
        return HEADER


class PortalKeySchema(OpenApiAuthenticationExtension):
    """OpenAPI description of the ``X-Api-Key`` header."""

    target_class = "apps.disclosure.api.keys.PortalKeyAuthentication"
    name = "portalApiKey"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "apiKey", "in": "header", "name": HEADER}


def _seconds_to_midnight(now: datetime.datetime) -> int:
    local = timezone.localtime(now)
    tomorrow = (local + datetime.timedelta(days=1)).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    return max(1, int((tomorrow - local).total_seconds()) + 1)


def _count(cache_key: str, timeout: int) -> int:
    """Increment a cache counter atomically (Redis INCR), creating it with ``timeout``."""
    if cache.add(cache_key, 1, timeout):
        return 1
    try:
        return cache.incr(cache_key)
    except ValueError:
        # Expired between add() and incr(): start a new window.
        cache.set(cache_key, 1, timeout)
        return 1


class PortalKeyThrottle(BaseThrottle):
    """Per-key limits: ``per_minute`` in fixed one-minute windows and ``daily_quota`` per day.

    Fixed windows with atomic counters, so concurrent web processes never
    over-admit. Requests without a key are left to :class:`PublicAnonThrottle`.
    """

    def __init__(self) -> None:
        self._wait: float | None = None

    def allow_request(self, request: Request, view: Any) -> bool:
        key = getattr(request.user, "key", None)
        if not isinstance(key, PortalApiKey):
            return True
        now = timezone.now()
        epoch = time.time()
        minute = int(epoch // 60)
        day = timezone.localtime(now).strftime("%Y%m%d")
        used_today = _count(f"portalkey:{key.pk}:day:{day}", 2 * 86400)
        if used_today > key.daily_quota:
            self._wait = _seconds_to_midnight(now)
            return False
        used_minute = _count(f"portalkey:{key.pk}:min:{minute}", 120)
        if used_minute > key.per_minute:
            self._wait = max(1.0, 60 - (epoch % 60))
            return False
        return True

    def wait(self) -> float | None:
        return self._wait


def usage_today(key: PortalApiKey) -> int:
    """Requests counted for ``key`` today (for the key administration page)."""
    day = timezone.localtime().strftime("%Y%m%d")
    return int(cache.get(f"portalkey:{key.pk}:day:{day}", 0) or 0)


PUBLIC_AUTHENTICATION = [PortalKeyAuthentication]
PUBLIC_THROTTLES = [PublicAnonThrottle, PortalKeyThrottle]


class PublicApiMixin:
    """Public endpoints: open to everyone, keyed clients on their quota, others rate limited."""

    authentication_classes = PUBLIC_AUTHENTICATION
    permission_classes = [permissions.AllowAny]
    throttle_classes = PUBLIC_THROTTLES
