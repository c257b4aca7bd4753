"""Shared pieces of the catalogue services: field lists, guards, locking."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Max
from django.dispatch import Signal
from django.utils.translation import gettext

from apps.core.exceptions import ConflictError
from apps.organizations.choices import Action
from apps.organizations.scoping import scope_filter

from ..choices import VersionStatus
from ..models import (
    Resource,
    ResourceVersion,
)

# Sent on commit after a version is published (announcement ready); the hook
# point for notifying suppliers. Receivers get ``announcement`` (an instance).
version_published = Signal()

# Attributes of a version that define it (``change_note`` describes a change
# and is not part of the definition compared for idempotency and diffs).
VERSION_KEYS = (
    "name",
    "name_en",
    "description",
    "legal_basis",
    "update_frequency",
    "deadline_working_days",
    "publicity_class",
    "sharing_class",
    "business_key_fields",
    "decision_date_field",
    "subject_uscc_field",
    "subject_name_field",
)
FIELD_KEYS = (
    "code",
    "name",
    "name_en",
    "data_type",
    "required",
    "required_when",
    "max_length",
    "min_length",
    "max_digits",
    "decimal_places",
    "min_value",
    "max_value",
    "pattern",
    "enum_values",
    "unit",
    "is_public",
    "masking",
    "aliases",
    "notation",
    "description",
    "order",
)
# ``order`` moves whenever a field is inserted before it; the diff reports
# reordering once instead of one change per shifted field.
FIELD_DIFF_KEYS = tuple(k for k in FIELD_KEYS if k not in ("code", "order"))
REGIME_KEYS = (
    "name",
    "legal_basis",
    "valid_from",
    "valid_to",
    "line",
    "category",
    "severity",
    "min_months",
    "max_months",
    "repair_after_months",
    "priority",
    "note",
)


# --- permission and state guards ------------------------------------------------------


def _require_catalogue_editor(actor: Any) -> None:
    """Only provincial administrators (or the system) change the catalogue."""
    if actor is None:
        return
    if scope_filter(Resource, actor, Action.CHANGE) is None:
        raise PermissionDenied(gettext("只有省级管理员可以修改资源目录。"))


def _require_draft(version: ResourceVersion) -> None:
    stored = ResourceVersion.objects.filter(pk=version.pk).values_list("status", flat=True).first()
    if stored != VersionStatus.DRAFT:
        raise ConflictError(
            gettext("%(version)s 已发布，不能修改；请先创建新草稿。") % {"version": version},
            code="version_immutable",
        )


def _user(actor: Any) -> Any:
    """The user to store as author (token principals and the system store none)."""
    return actor if getattr(actor, "_meta", None) is not None and actor.pk else None


def _lock(resource: Resource) -> Resource:
    """Lock the resource row: drafts and publications of one resource run one at a time."""
    return Resource.objects.select_for_update().get(pk=resource.pk)


def _next_number(resource: Resource) -> int:
    last = resource.versions.aggregate(last=Max("number"))["last"]
    return (last or 0) + 1
