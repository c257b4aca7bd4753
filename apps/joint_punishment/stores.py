"""The record store of list entries (catalogue resources of kind ``list_entry``).

Ingested rows of JYYC, YZWF, SXBZXR (and any further list resource) load
here through the shared set-based loader (:func:`apps.records.loading.load_rows`):
catalogue field codes are mapped to the listing and removal columns of
:class:`~.models.ListEntry` by :data:`FIELD_MAPS`; a list resource the
catalogue adds later gets its :class:`~.models.ListType` on first load and a
mapping by the common field-code suffixes (``_LRRQ``, ``_YCRQ`` ...).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from apps.catalogue.choices import ResourceKind
from apps.enterprises.choices import SubjectKind
from apps.records.loading import CHUNK_SIZE, LoadSpec, staged_load
from apps.records.registry import (
    LoadContext,
    LoadResult,
    LoadRow,
    PublicRecord,
    RowOutcome,
    StagedLoad,
)

from .exceptions import IngestedRowRefused
from .models import ListEntry, ListingGround, ListType


@dataclass(frozen=True)
class FieldMap:
    """Catalogue field codes of one list resource, by entry column (blank: not delivered)."""

    listed_on: str
    listing_authority: str
    listing_document: str
    listing_reason: str
    ground: str = ""
    removed_on: str = ""
    removal_authority: str = ""
    removal_document: str = ""
    removal_reason: str = ""
    # SXBZXR: the court both lists and removes, so its name is the removal authority too.
    removal_authority_fallback: str = ""


FIELD_MAPS: dict[str, FieldMap] = {
    "JYYC": FieldMap(
        listed_on="JYYC_LRRQ",
        listing_authority="JYYC_LRJG",
        listing_document="JYYC_LRWSH",
        listing_reason="JYYC_LRYY",
        ground="JYYC_LRYY",
        removed_on="JYYC_YCRQ",
        removal_authority="JYYC_YCJG",
        removal_reason="JYYC_YCYY",
    ),
    "YZWF": FieldMap(
        listed_on="YZWF_LRRQ",
        listing_authority="YZWF_LRJG",
        listing_document="YZWF_LRWSH",
        listing_reason="YZWF_LRYY",
        removed_on="YZWF_YCRQ",
        removal_authority="YZWF_YCJG",
        removal_reason="YZWF_YCYY",
    ),
    "SXBZXR": FieldMap(
        listed_on="SX_FBRQ",
        listing_authority="SX_ZXFY",
        listing_document="SX_AH",
        listing_reason="SX_SXQX",
        removed_on="SX_YCRQ",
        removal_authority_fallback="SX_ZXFY",
    ),
}


def field_map_for(resource_code: str) -> FieldMap:
    """The mapping of a list resource; unknown ones by the common suffix convention."""
    if resource_code in FIELD_MAPS:
        return FIELD_MAPS[resource_code]
    p = resource_code
    return FieldMap(
        listed_on=f"{p}_LRRQ",
        listing_authority=f"{p}_LRJG",
        listing_document=f"{p}_LRWSH",
        listing_reason=f"{p}_LRYY",
        removed_on=f"{p}_YCRQ",
        removal_authority=f"{p}_YCJG",
        removal_reason=f"{p}_YCYY",
    )


LIST_ENTRY_SPEC = LoadSpec(
    model=ListEntry,
    key_columns=("department_id", "resource_code", "business_key"),
    content_columns=(
        "list_type_id",
        "ground_id",
        "listing_authority",
        "listing_document",
        "listed_on",
        "listing_reason",
        "removal_authority",
        "removal_document",
        "removed_on",
        "removal_reason",
        "values",
        "decision_date",
        "subject_kind",
        "subject_uscc",
        "subject_name",
        "enterprise_id",
        "resource_version",
    ),
    provenance_columns=("channel", "submission_id", "received_at"),
    json_columns=("values",),
)


def _as_date(value: Any) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value)[:10])


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def list_type_for_resource(resource_code: str) -> ListType:
    """The list type of a catalogue list resource, created from the catalogue on first use."""
    found = ListType.objects.filter(resource_code=resource_code).first()
    if found is not None:
        return found
    from apps.catalogue.models import Resource

    resource = Resource.objects.filter(code=resource_code).first()
    name = resource.name if resource else resource_code
    list_type, _created = ListType.objects.get_or_create(
        code=resource_code[:16],
        defaults={
            "name": name[:64],
            "name_en": getattr(resource, "name_en", "")[:128] if resource else "",
            "resource_code": resource_code,
            "legal_basis": getattr(resource, "legal_basis", "") if resource else "",
            "sort_order": 100,
        },
    )
    return list_type


class ListEntryStore:
    """Keeps list entries (``ListEntry``); registered for ``ResourceKind.LIST_ENTRY``.

    Loads set-based and idempotently on (department, resource, business key);
    a later row with the same key (e.g. the removal of a listing) updates the
    entry and keeps the old content as a ``RecordRevision``. A row whose
    removal date precedes its listing date refuses the load, naming the row,
    field and rule. New entries in force get their feedback obligations.
    """

    kind = ResourceKind.LIST_ENTRY
    model = ListEntry

    def __init__(self, *, chunk_size: int = CHUNK_SIZE) -> None:
        self.chunk_size = chunk_size

    def _prepare(
        self,
        row: LoadRow,
        context: LoadContext,
        list_type: ListType,
        grounds: dict[str, tuple[int, str]],
    ) -> dict[str, Any]:
        fmap = field_map_for(context.resource_code)
        values = row.values
        listed_on = _as_date(values.get(fmap.listed_on)) or row.decision_date
        removed_on = _as_date(values.get(fmap.removed_on)) if fmap.removed_on else None
        if removed_on is not None and removed_on < listed_on:
            raise IngestedRowRefused(
                _(
                    "第 %(row)d 行，字段 %(field)s：移出日期 %(removed)s 早于列入日期 %(listed)s"
                    "（规则：移出不得早于列入）。"
                )
                % {
                    "row": row.row_number,
                    "field": fmap.removed_on,
                    "removed": removed_on.isoformat(),
                    "listed": listed_on.isoformat(),
                }
            )
        ground = grounds.get(_text(values.get(fmap.ground))) if fmap.ground else None
        ground_id = ground[0] if ground else None
        reason = ground[1] if ground else _text(values.get(fmap.listing_reason))
        removal_authority = (
            _text(values.get(fmap.removal_authority)) if fmap.removal_authority else ""
        )
        if removed_on and not removal_authority and fmap.removal_authority_fallback:
            removal_authority = _text(values.get(fmap.removal_authority_fallback))
        return {
            "department_id": context.department_id,
            "resource_code": context.resource_code,
            "business_key": row.business_key,
            "list_type_id": list_type.pk,
            "ground_id": ground_id,
            "listing_authority": _text(values.get(fmap.listing_authority)),
            "listing_document": _text(values.get(fmap.listing_document)),
            "listed_on": listed_on,
            "listing_reason": reason,
            "removal_authority": removal_authority,
            "removal_document": _text(values.get(fmap.removal_document))
            if fmap.removal_document
            else "",
            "removed_on": removed_on,
            "removal_reason": _text(values.get(fmap.removal_reason)) if fmap.removal_reason else "",
            "values": values,
            "decision_date": listed_on,
            "subject_kind": row.subject_kind,
            "subject_uscc": row.subject_uscc,
            "subject_name": row.subject_name,
            "enterprise_id": None
            if row.subject_kind == SubjectKind.NATURAL_PERSON
            else row.enterprise_id,
            "resource_version": context.resource_version,
            "channel": context.channel,
            "submission_id": context.submission_id,
            "received_at": context.received_at,
        }

    def load(self, rows: list[LoadRow], context: LoadContext) -> LoadResult:
        """Insert or update ``rows`` on (department, resource code, business key)."""
        return self.stage(rows, context).write()

    def stage(self, rows: list[LoadRow], context: LoadContext) -> StagedLoad:
        """Column values and COPY text of ``rows`` now; the writes (and the feedback
        obligations of new entries) when ``write()`` is called."""
        from .services import create_obligations

        list_type = list_type_for_resource(context.resource_code)
        grounds = {
            code: (pk, name)
            for pk, code, name in ListingGround.objects.filter(list_type=list_type).values_list(
                "pk", "code", "name"
            )
        }
        prepared = [
            (row.row_number, self._prepare(row, context, list_type, grounds)) for row in rows
        ]

        def oblige(result: LoadResult) -> None:
            created = [
                result.record_ids[n]
                for n, outcome in result.outcomes.items()
                if outcome == RowOutcome.CREATED
            ]
            if created:
                today = timezone.localdate()
                create_obligations(ListEntry.objects.filter(pk__in=created).in_force(today))

        return staged_load(
            LIST_ENTRY_SPEC, prepared, context, chunk_size=self.chunk_size, after=oblige
        )

    def field_values(self, record: ListEntry) -> dict[str, Any]:
        """The entry as catalogue field codes (delivered values, overlaid with the columns)."""
        fmap = field_map_for(record.resource_code)
        values = dict(record.values or {})
        columns = {
            fmap.listed_on: record.listed_on,
            fmap.listing_authority: record.listing_authority,
            fmap.listing_document: record.listing_document,
            fmap.removed_on: record.removed_on,
            fmap.removal_authority: record.removal_authority,
            fmap.removal_reason: record.removal_reason,
        }
        if fmap.ground and record.ground_id:
            columns[fmap.ground] = record.ground.code
        elif fmap.listing_reason:
            columns[fmap.listing_reason] = record.listing_reason
        for code, value in columns.items():
            if code:
                values[code] = value
        return values

    def public_records(self, enterprise_id: int, *, on: datetime.date) -> list[PublicRecord]:
        """The entity's entries of public catalogue lists listed by ``on``, removals included.

        As on gsxt, a removed entry stays visible with its removal decision.
        """
        entries = (
            ListEntry.objects.filter(
                enterprise_id=enterprise_id,
                listed_on__lte=on,
                list_type__is_public=True,
            )
            .exclude(list_type__resource_code="")
            .exclude(subject_kind=SubjectKind.NATURAL_PERSON)
            .select_related("ground", "list_type")
            .order_by("-listed_on", "-pk")
        )
        return [
            PublicRecord(
                resource_code=entry.resource_code,
                resource_version=entry.resource_version,
                record_id=entry.pk,
                department_id=entry.department_id,
                decision_date=entry.listed_on,
                values=self.field_values(entry),
                public_until=None,
            )
            for entry in entries
        ]

    def list_badges(self, enterprise_ids: list[int], *, on: datetime.date) -> dict[int, list[str]]:
        """Names of the public lists (and marks) each entity is in on ``on`` (English when active)."""
        english = (get_language() or "").lower().startswith("en")
        badges: dict[int, list[str]] = {}
        rows = (
            ListEntry.objects.in_force(on)
            .filter(enterprise_id__in=enterprise_ids, list_type__is_public=True)
            .order_by("list_type__sort_order")
            .values_list("enterprise_id", "list_type__name", "list_type__name_en")
            .distinct()
        )
        for enterprise_id, name_zh, name_en in rows:
            name = name_en if english and name_en else name_zh
            names = badges.setdefault(enterprise_id, [])
            if name not in names:
                names.append(name)
        return badges
