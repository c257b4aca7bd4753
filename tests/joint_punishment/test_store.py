"""Ingested list rows load into the list-entry store (registry kind ``list_entry``)."""

from __future__ import annotations

import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from apps.catalogue.choices import ResourceKind
from apps.joint_punishment.exceptions import IngestedRowRefused
from apps.joint_punishment.models import ListEntry, ListType, Obligation
from apps.joint_punishment.stores import ListEntryStore
from apps.records.models import RecordRevision
from apps.records.registry import RowOutcome, get_store, list_badges, public_records_for
from tests.factories.records import make_context, make_row

pytestmark = pytest.mark.django_db

D = datetime.date


def _jyyc_row(n, enterprise, *, removed=None, listed="2024-03-01"):
    values = {
        "JYYC_QYMC": enterprise.name,
        "JYYC_TYSHXYDM": enterprise.uscc,
        "JYYC_LRYY": "4",
        "JYYC_LRRQ": D.fromisoformat(listed),
        "JYYC_LRJG": "海口市市场监督管理局",
        "JYYC_LRWSH": f"琼市监异〔2024〕{n}号",
    }
    if removed:
        values.update(
            {
                "JYYC_YCRQ": D.fromisoformat(removed),
                "JYYC_YCJG": "海口市市场监督管理局",
                "JYYC_YCYY": "恢复联系",
            }
        )
    return make_row(
        n,
        business_key=f"{enterprise.uscc}|{listed}|4",
        values=values,
        enterprise_id=enterprise.pk,
        subject_uscc=enterprise.uscc,
        subject_name=enterprise.name,
        decision_date=D.fromisoformat(listed),
    )


def _load(rows, context):
    with transaction.atomic():
        return ListEntryStore().load(rows, context)


def test_the_store_is_registered_for_list_entries():
    assert isinstance(get_store(ResourceKind.LIST_ENTRY, "JYYC"), ListEntryStore)


def test_jyyc_row_maps_to_listing_columns_and_a_later_removal_updates_with_history(company, dept):
    context = make_context(dept, resource_code="JYYC")
    first = _load([_jyyc_row(1, company)], context)
    assert first.outcomes[1] == RowOutcome.CREATED
    entry = ListEntry.objects.get(pk=first.record_ids[1])
    assert entry.list_type.code == "JYYC" and entry.ground.code == "4"
    assert entry.listing_reason == "通过登记的住所或经营场所无法联系"
    assert (entry.listed_on, entry.listing_document) == (D(2024, 3, 1), "琼市监异〔2024〕1号")
    assert _load([_jyyc_row(1, company)], context).outcomes[1] == RowOutcome.UNCHANGED
    second = _load([_jyyc_row(1, company, removed="2024-08-05")], context)
    assert second.outcomes[1] == RowOutcome.UPDATED
    entry.refresh_from_db()
    assert entry.removed_on == D(2024, 8, 5) and entry.removal_reason == "恢复联系"
    revision = RecordRevision.objects.get(object_id=entry.pk)
    assert revision.before["removed_on"] is None and revision.after["removed_on"] == "2024-08-05"


def test_ingested_removal_before_listing_refuses_the_load_naming_row_and_field(company, dept):
    with pytest.raises(IngestedRowRefused) as excinfo:
        _load(
            [_jyyc_row(7, company, removed="2024-02-01")], make_context(dept, resource_code="JYYC")
        )
    assert "第 7 行" in excinfo.value.message and "JYYC_YCRQ" in excinfo.value.message
    assert isinstance(excinfo.value, ValueError)  # ingestion fails the submission with it
    assert not ListEntry.objects.exists()


def test_sxbzxr_rows_take_the_court_as_authority_and_case_number_as_document(company, hainan):
    from tests.factories.organizations import DepartmentFactory

    court = DepartmentFactory(
        code="460100-FY", name="海口市中级人民法院", line="FY", region=hainan["haikou"]
    )
    row = make_row(
        1,
        business_key="(2024)琼01执123号|" + company.uscc,
        values={
            "SX_BZXRMC": company.name,
            "SX_TYSHXYDM": company.uscc,
            "SX_ZXFY": "海口市中级人民法院",
            "SX_AH": "(2024)琼01执123号",
            "SX_SXQX": "有履行能力而拒不履行",
            "SX_FBRQ": "2024-06-03",
            "SX_YCRQ": "2025-01-06",
        },
        enterprise_id=company.pk,
        subject_uscc=company.uscc,
        decision_date=D(2024, 6, 3),
    )
    result = _load([row], make_context(court, resource_code="SXBZXR"))
    entry = ListEntry.objects.get(pk=result.record_ids[1])
    assert (entry.listing_authority, entry.listing_document) == (
        "海口市中级人民法院",
        "(2024)琼01执123号",
    )
    assert entry.removal_authority == "海口市中级人民法院"
    assert entry.is_in_force(D(2025, 1, 5)) and not entry.is_in_force(D(2025, 1, 6))


def test_a_new_catalogue_list_gets_its_list_type_on_first_load(company, dept):
    row = make_row(
        1,
        values={
            "ZFCG_LRRQ": "2025-02-03",
            "ZFCG_LRJG": "海南省财政厅",
            "ZFCG_LRYY": "提供虚假材料",
        },
        enterprise_id=company.pk,
        subject_uscc=company.uscc,
    )
    _load([row], make_context(dept, resource_code="ZFCG"))
    entry = ListEntry.objects.get()
    assert entry.list_type == ListType.objects.get(code="ZFCG")
    assert (entry.listed_on, entry.listing_reason) == (D(2025, 2, 3), "提供虚假材料")


def test_loaded_entries_in_force_get_obligations(company, dept):
    _load(
        [_jyyc_row(1, company, listed=str(timezone.localdate()))],
        make_context(dept, resource_code="JYYC"),
    )
    assert Obligation.objects.filter(department=dept).count() == 1


def test_badges_and_public_records_follow_the_dates(company, dept):
    context = make_context(dept, resource_code="JYYC")
    result = _load([_jyyc_row(1, company, removed="2024-08-05")], context)
    store = ListEntryStore()
    assert store.list_badges([company.pk], on=D(2024, 5, 1)) == {company.pk: ["经营异常名录"]}
    assert store.list_badges([company.pk], on=D(2024, 8, 5)) == {}
    assert list_badges([company.pk], on=D(2024, 5, 1))[company.pk] == ["经营异常名录"]
    records = [
        r for r in public_records_for(company.pk, on=D(2024, 9, 1)) if r.resource_code == "JYYC"
    ]
    assert [r.record_id for r in records] == [result.record_ids[1]]
    assert records[0].values["JYYC_YCRQ"] == D(2024, 8, 5)
    assert records[0].values["JYYC_LRYY"] == "4"
    assert store.public_records(company.pk, on=D(2024, 2, 1)) == []
