"""The one writer of the audit history.

Services call :func:`record_event` inside their ``transaction.atomic()`` block
so that the change and its audit row commit or roll back together. No global
``post_save`` signals: they miss ``update()`` and ``bulk_create``.
"""

from __future__ import annotations

import datetime
import decimal
import uuid
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .choices import AuditEventType
from .context import channel_var, request_id_var
from .models import AuditEvent


def _jsonable(value: Any) -> Any:
    """Make a field value JSON-serialisable for the before/after snapshots."""
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    return value


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """Return a JSON-ready dict of a model instance's concrete field values."""
    names = fields or [
        f.attname for f in instance._meta.concrete_fields if f.attname not in ("password",)
    ]
    return {name: _jsonable(getattr(instance, name)) for name in names}


def diff(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Keep only the keys whose values changed, as (before, after)."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def actor_display(actor: Any) -> str:
    """A printable name for a user, a token principal or None (the system)."""
    if actor is None:
        return "系统"
    name = getattr(actor, "audit_name", None)
    if name:
        return str(name)
    full = getattr(actor, "get_full_name", lambda: "")()
    return full or getattr(actor, "username", "") or str(actor)


def record_event(
    event_type: AuditEventType | str,
    *,
    actor: Any,
    target: models.Model | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    department_code: str = "",
    enterprise_uscc: str = "",
    submission_id: int | None = None,
    message: str = "",
    channel: str | None = None,
) -> AuditEvent:
    """Write one audit row; call it inside the service's transaction.

    ``actor`` may be a user, a department-token principal (anything with an
    ``audit_name``) or ``None`` for the system. The request id and channel come
    from the request context unless ``channel`` is given.
    """
    actor_user = actor if getattr(actor, "_meta", None) is not None else None
    if not department_code and actor is not None:
        department = getattr(actor, "department", None)
        department_code = getattr(department, "code", "") or ""
    return AuditEvent.objects.create(
        actor=actor_user if actor_user is not None and actor_user.pk else None,
        actor_name=actor_display(actor)[:150],
        department_code=department_code,
        request_id=request_id_var.get(),
        channel=channel or channel_var.get(),
        event_type=str(event_type),
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:255] if target is not None else "",
        enterprise_uscc=enterprise_uscc,
        submission_id=submission_id,
        before=_jsonable(before) if before is not None else None,
        after=_jsonable(after) if after is not None else None,
        message=message[:500],
    )
