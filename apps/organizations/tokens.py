"""Department API token keys: generation, hashing and the token principal."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .choices import Role

if TYPE_CHECKING:
    from .models import ApiToken, Department

KEY_PREFIX = "hc"


def hash_key(key: str) -> str:
    """SHA-256 of the full key; keys are 256-bit random, so no salt or slow hash is needed."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def generate_key() -> tuple[str, str]:
    """Return (prefix, full key) for a new token: ``hc_<prefix>_<secret>``."""
    prefix = secrets.token_hex(4)
    return prefix, f"{KEY_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"


@dataclass
class DepartmentSystem:
    """The principal of a request authenticated by a department API token.

    Scoped like department staff of ``department``; never a Django user, so it
    cannot sign in to pages or the admin.
    """

    token: ApiToken
    department: Department
    role: str = Role.DEPARTMENT_STAFF
    is_authenticated: bool = True
    is_anonymous: bool = False
    is_staff: bool = False
    is_superuser: bool = False
    is_active: bool = True
    pk: None = None

    @property
    def department_id(self) -> int:
        return self.department.pk

    @property
    def region_id(self) -> None:
        return None

    @property
    def audit_name(self) -> str:
        return f"接口令牌 {self.token.name}（{self.token.prefix}）"

    def __str__(self) -> str:
        return self.audit_name
