"""The public credit profile of one entity, built generically from the catalogue.

Sections follow the national system (BRIEF.md 8): the registration first
(from the registry), then one section per public catalogue resource, in the
order of its kind (licences, then other enterprise-related information such
as chattel mortgages and equity pledges, inspections, penalties, lists,
annual reports), then by code. The records come from every registered store
through :func:`apps.records.registry.public_records_for` (each store decides
publicity and the window); here each record keeps only the fields its
catalogue version marks public (``FieldSpec.is_public``), each masked by its
``FieldSpec.masking`` through :func:`apps.catalogue.masking.mask_value`, with
labels from that version. A resource added to the catalogue appears with no
portal code. The page, the print view, the PDF and the public API all read
:func:`build_profile`.
"""

from __future__ import annotations

import datetime
import threading
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection
from django.utils.translation import get_language, gettext, gettext_lazy

from apps.catalogue.choices import PublicityClass, ResourceKind, VersionStatus
from apps.catalogue.masking import mask_value
from apps.catalogue.models import FieldSpec, Resource, ResourceVersion
from apps.enterprises.models import Enterprise
from apps.organizations.models import Department
from apps.records.registry import PublicRecord, list_badges, public_records_for

# Section order by resource kind, as the national system lists them.
KIND_ORDER = {
    ResourceKind.REGISTRATION: 0,
    ResourceKind.LICENCE: 1,
    ResourceKind.GENERIC: 2,
    ResourceKind.INSPECTION: 3,
    ResourceKind.PENALTY: 4,
    ResourceKind.LIST_ENTRY: 5,
    ResourceKind.ANNUAL_REPORT: 6,
}
# Kinds shown even when the entity has no record of them ("暂无信息").
ALWAYS_SHOWN = frozenset(KIND_ORDER) - {ResourceKind.REGISTRATION}

# The registration facts shown from the registry, in national order.
REGISTRATION_FIELDS = (
    ("uscc", gettext_lazy("统一社会信用代码")),
    ("registration_number", gettext_lazy("注册号")),
    ("name", gettext_lazy("名称")),
    ("entity_type", gettext_lazy("类型")),
    ("legal_representative", gettext_lazy("法定代表人/负责人/经营者")),
    ("registered_capital", gettext_lazy("注册资本")),
    ("established_on", gettext_lazy("成立日期")),
    ("business_term_to", gettext_lazy("营业期限至")),
    ("registration_authority", gettext_lazy("登记机关")),
    ("approved_on", gettext_lazy("核准日期")),
    ("status", gettext_lazy("登记状态")),
    ("address", gettext_lazy("住所")),
    ("business_scope", gettext_lazy("经营范围")),
)


@dataclass(frozen=True)
class FieldMeta:
    """One catalogue field as the portal needs it."""

    code: str
    name: str
    name_en: str
    is_public: bool
    masking: str
    unit: str
    enum_labels: dict[str, tuple[str, str]]


@dataclass(frozen=True)
class VersionMeta:
    """One catalogue version: the resource's name and its fields in order."""

    code: str
    kind: str
    name: str
    name_en: str
    fields: tuple[FieldMeta, ...]


@dataclass(frozen=True)
class ShownField:
    """A label and its (masked) display value."""

    code: str
    label: str
    value: str


@dataclass
class ProfileRecord:
    """One public record: source department, date and the public fields."""

    record_id: int
    department: str
    decision_date: datetime.date
    public_until: datetime.date | None
    fields: list[ShownField]


@dataclass
class ProfileSection:
    """One catalogue resource on the profile."""

    code: str
    kind: str
    name: str
    records: list[ProfileRecord] = field(default_factory=list)


@dataclass
class Profile:
    """The whole public profile of one entity on one day."""

    enterprise: Enterprise
    on: datetime.date
    registration: list[ShownField]
    sections: list[ProfileSection]
    # Names of the public lists (and status marks, e.g. an individual business
    # marked abnormal, which has no catalogue section) the entity is in on ``on``.
    badges: list[str] = field(default_factory=list)

    @property
    def record_count(self) -> int:
        return sum(len(section.records) for section in self.sections)


class _CatalogueCache:
    """Catalogue metadata kept in process between requests.

    Published and superseded versions never change (catalogue rule), so their
    fields are kept by version id. The list of public resources is kept while
    the catalogue's stamp (counts and latest change of resources and versions)
    is the same; the stamp costs one small query per profile.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._stamp: tuple | None = None
        self._sections: list[tuple[str, str, str, str]] = []
        self._versions: dict[tuple[str, int], tuple[int, str]] = {}
        self._fields: dict[int, VersionMeta] = {}

    def _current_stamp(self) -> tuple:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT (SELECT count(*) FROM catalogue_resource),"
                " (SELECT max(updated_at) FROM catalogue_resource),"
                " (SELECT count(*) FROM catalogue_resourceversion),"
                " (SELECT max(updated_at) FROM catalogue_resourceversion)"
            )
            return tuple(cursor.fetchone())

    def refresh(self) -> None:
        stamp = self._current_stamp()
        if stamp == self._stamp:
            return
        sections: list[tuple[str, str, str, str]] = []
        versions: dict[tuple[str, int], tuple[int, str]] = {}
        resources = Resource.objects.select_related("current_version").filter(is_active=True)
        for resource in resources:
            current = resource.current_version
            if current is not None and current.publicity_class == PublicityClass.PUBLIC:
                sections.append((resource.code, resource.kind, current.name, current.name_en))
        for version_id, code, number, status in ResourceVersion.objects.values_list(
            "pk", "resource__code", "number", "status"
        ):
            versions[(code, number)] = (version_id, status)
        with self._lock:
            self._sections = sections
            self._versions = versions
            self._stamp = stamp

    def sections(self) -> list[tuple[str, str, str, str]]:
        return self._sections

    def version(
        self, code: str, number: int, drafts: dict[int, VersionMeta] | None = None
    ) -> VersionMeta | None:
        """A version's metadata; drafts (still editable) are kept only in ``drafts``."""
        found = self._versions.get((code, number))
        if found is None:
            return None
        version_id, status = found
        cached = self._fields.get(version_id) or (drafts or {}).get(version_id)
        if cached is not None:
            return cached
        meta = _load_version(version_id)
        if status != VersionStatus.DRAFT:
            self._fields[version_id] = meta
        elif drafts is not None:
            drafts[version_id] = meta
        return meta

    def clear(self) -> None:
        with self._lock:
            self._stamp = None
            self._fields.clear()


def _load_version(version_id: int) -> VersionMeta:
    version = ResourceVersion.objects.select_related("resource").get(pk=version_id)
    fields = tuple(
        FieldMeta(
            code=spec.code,
            name=spec.name,
            name_en=spec.name_en,
            is_public=spec.is_public,
            masking=spec.masking,
            unit=spec.unit,
            enum_labels={
                str(item.get("code")): (str(item.get("label", "")), str(item.get("label_en", "")))
                for item in (spec.enum_values or [])
                if isinstance(item, dict) and "code" in item
            },
        )
        for spec in FieldSpec.objects.filter(version_id=version_id).order_by("order", "pk")
    )
    return VersionMeta(
        code=version.resource.code,
        kind=version.resource.kind,
        name=version.name,
        name_en=version.name_en,
        fields=fields,
    )


catalogue_cache = _CatalogueCache()


def _english() -> bool:
    return (get_language() or "zh-hans").lower().startswith("en")


def display_value(value: Any, meta: FieldMeta, *, english: bool = False) -> str:
    """The public display form of one field value: enum label, unit, then masking."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        text = gettext("是") if value else gettext("否")
    elif isinstance(value, list):
        text = "、".join(str(item) for item in value)
    else:
        text = str(value)
    if meta.enum_labels and text in meta.enum_labels:
        label, label_en = meta.enum_labels[text]
        text = (label_en if english and label_en else label) or text
    masked = mask_value(text, meta.masking)
    if meta.unit and masked == text:
        masked = f"{masked} {meta.unit}"
    return masked


def public_fields(values: dict[str, Any], version: VersionMeta) -> list[ShownField]:
    """Only the catalogue-public fields of ``values``, labelled and masked, in catalogue order."""
    english = _english()
    shown: list[ShownField] = []
    for meta in version.fields:
        if not meta.is_public or meta.code not in values:
            continue
        text = display_value(values[meta.code], meta, english=english)
        if text:
            label = meta.name_en if english and meta.name_en else meta.name
            shown.append(ShownField(meta.code, label, text))
    return shown


def registration_fields(enterprise: Enterprise) -> list[ShownField]:
    """The registration section from the registry (public facts only)."""
    shown: list[ShownField] = []
    for attribute, label in REGISTRATION_FIELDS:
        value = getattr(enterprise, attribute)
        if attribute in ("entity_type", "status"):
            value = getattr(enterprise, f"get_{attribute}_display")()
        elif attribute == "registered_capital" and value is not None:
            currency = "" if enterprise.capital_currency == "CNY" else enterprise.capital_currency
            amount = Decimal(str(value)).normalize()
            value = f"{amount:f} {gettext('万元')}{currency}"
        if value in (None, ""):
            continue
        shown.append(ShownField(attribute, str(label), str(value)))
    return shown


def find_public_enterprise(uscc: str) -> Enterprise | None:
    """The entity with this USCC (any case), or None."""
    from .search import public_enterprises

    code = (uscc or "").strip().upper()
    if len(code) != 18 or not code.isascii() or not code.isalnum():
        return None
    return public_enterprises().select_related("region").filter(uscc=code).first()


def build_profile(enterprise: Enterprise, *, on: datetime.date) -> Profile:
    """The public profile of ``enterprise`` on ``on`` (see the module docstring)."""
    catalogue_cache.refresh()
    english = _english()
    records = public_records_for(enterprise.pk, on=on)
    departments = dict(
        Department.objects.filter(pk__in={r.department_id for r in records})
        .order_by()
        .values_list("pk", "name")
    )
    sections: dict[str, ProfileSection] = {}
    order: dict[str, tuple[int, str]] = {}
    for code, kind, name, name_en in catalogue_cache.sections():
        if kind in ALWAYS_SHOWN:
            sections[code] = ProfileSection(code, kind, name_en if english and name_en else name)
            order[code] = (KIND_ORDER.get(kind, 9), code)
    drafts: dict[int, VersionMeta] = {}
    for record in sorted(records, key=_record_order):
        version = catalogue_cache.version(record.resource_code, record.resource_version, drafts)
        if version is None:
            continue  # no catalogue labels: nothing says which fields are public
        section = sections.get(record.resource_code)
        if section is None:
            section = ProfileSection(
                record.resource_code,
                version.kind,
                version.name_en if english and version.name_en else version.name,
            )
            sections[record.resource_code] = section
            order[record.resource_code] = (KIND_ORDER.get(version.kind, 9), record.resource_code)
        section.records.append(
            ProfileRecord(
                record_id=record.record_id,
                department=departments.get(record.department_id, ""),
                decision_date=record.decision_date,
                public_until=record.public_until,
                fields=public_fields(record.values, version),
            )
        )
    return Profile(
        enterprise=enterprise,
        on=on,
        registration=registration_fields(enterprise),
        sections=[sections[code] for code in sorted(sections, key=order.__getitem__)],
        badges=list(dict.fromkeys(list_badges([enterprise.pk], on=on).get(enterprise.pk, []))),
    )


def _record_order(record: PublicRecord) -> tuple:
    return (record.resource_code, -record.decision_date.toordinal(), -record.record_id)
