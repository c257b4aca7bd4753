"""DRF authentication by department API token (``Authorization: Token <key>``)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from .models import ApiToken
from .tokens import DepartmentSystem, hash_key

# Recording every use would write once per request; once a minute is enough
# to tell an administrator whether a token is still in use.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


class DepartmentTokenAuthentication(authentication.BaseAuthentication):
    """Authenticate a department system by its token; revoked or expired tokens fail."""

    keyword = "Token"

    def authenticate(self, request: Any) -> tuple[DepartmentSystem, ApiToken] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() not in (b"token", b"bearer"):
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("令牌格式错误：应为 “Token <密钥>”。"))
        try:
            key = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("令牌含有非法字符。")) from None
        token = (
            ApiToken.objects.select_related("department", "department__region")
            .filter(key_hash=hash_key(key))
            .first()
        )
        if token is None:
            raise exceptions.AuthenticationFailed(_("令牌无效。"))
        if not token.is_active:
            raise exceptions.AuthenticationFailed(_("令牌已吊销或已过期。"))
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
            ip = request.META.get("REMOTE_ADDR") or None
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now, last_used_ip=ip)
            token.last_used_at = now
        return DepartmentSystem(token=token, department=token.department), token

    def authenticate_header(self, request: Any) -> str:
        return self.keyword


class DepartmentTokenScheme(OpenApiAuthenticationExtension):
    """Describe the department token in the OpenAPI schema (``Authorization: Token <key>``)."""

    target_class = "apps.organizations.authentication.DepartmentTokenAuthentication"
    name = "departmentToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "部门接口令牌：`Token hc_<前缀>_<密钥>`（也接受 `Bearer`）。",
        }
