from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from apps.records.loading import copy_text_value
from apps.records.models import GenericRecord, RecordRevision
from apps.records.registry import RowOutcome, get_store
from apps.records.stores import GenericStore
from tests.factories.enterprises import EnterpriseFactory
from tests.factories.records import make_context, make_row

pytestmark = pytest.mark.django_db


def _load(rows, context):
    with transaction.atomic():
        return GenericStore().load(rows, context)


def test_generic_store_is_the_registered_fallback():
    assert isinstance(get_store("some_kind_without_store", "ANY"), GenericStore)


def test_loading_a_batch_creates_records(dept):
    enterprise = EnterpriseFactory()
    rows = [make_row(n, enterprise_id=enterprise.pk) for n in range(1, 4)]
    result = _load(rows, make_context(dept, submission_id=7))
    assert result.count(RowOutcome.CREATED) == 3
    assert GenericRecord.objects.count() == 3
    record = GenericRecord.objects.get(pk=result.record_ids[2])
    assert record.payload == {"XK_MC": "许可2", "XK_NR": "内容"}
    assert record.enterprise_id == enterprise.pk
    assert record.submission_id == 7
    assert record.department_id == dept.pk
    assert RecordRevision.objects.count() == 0


def test_the_same_batch_twice_is_unchanged_and_writes_nothing(dept):
    rows = [make_row(n) for n in range(1, 6)]
    first = _load(rows, make_context(dept, submission_id=1))
    stamps = dict(GenericRecord.objects.values_list("pk", "updated_at"))
    second = _load(rows, make_context(dept, submission_id=2))
    assert second.count(RowOutcome.UNCHANGED) == 5
    assert second.record_ids == first.record_ids
    assert RecordRevision.objects.count() == 0
    assert dict(GenericRecord.objects.values_list("pk", "updated_at")) == stamps
    assert set(GenericRecord.objects.values_list("submission_id", flat=True)) == {1}


def test_a_changed_row_is_updated_with_one_revision_holding_the_old_payload(dept):
    rows = [make_row(n) for n in range(1, 4)]
    _load(rows, make_context(dept, submission_id=1))
    changed = [*rows[:2], make_row(3, values={"XK_MC": "许可3（更正）", "XK_NR": "内容"})]
    result = _load(changed, make_context(dept, submission_id=2))
    assert result.outcomes == {
        1: RowOutcome.UNCHANGED,
        2: RowOutcome.UNCHANGED,
        3: RowOutcome.UPDATED,
    }
    revision = RecordRevision.objects.get()
    assert revision.object_id == result.record_ids[3]
    assert revision.revision == 1
    assert revision.before["payload"] == {"XK_MC": "许可3", "XK_NR": "内容"}
    assert revision.after["payload"]["XK_MC"] == "许可3（更正）"
    assert revision.submission_id == 2
    record = GenericRecord.objects.get(pk=result.record_ids[3])
    assert record.submission_id == 2
    again = [*rows[:2], make_row(3, values={"XK_MC": "许可3（再更正）", "XK_NR": "内容"})]
    _load(again, make_context(dept, submission_id=3))
    assert list(RecordRevision.objects.values_list("revision", flat=True)) == [1, 2]


def test_natural_person_rows_are_never_attached_to_an_enterprise(dept):
    enterprise = EnterpriseFactory()
    row = make_row(1, enterprise_id=enterprise.pk, subject_kind="natural_person", subject_uscc="")
    result = _load([row], make_context(dept))
    assert GenericRecord.objects.get(pk=result.record_ids[1]).enterprise_id is None


def test_same_business_key_in_other_department_is_a_separate_record(dept, other_dept):
    _load([make_row(1)], make_context(dept))
    result = _load([make_row(1)], make_context(other_dept))
    assert result.outcomes[1] == RowOutcome.CREATED
    assert GenericRecord.objects.count() == 2


def test_duplicate_business_keys_in_one_batch_the_last_row_wins(dept):
    rows = [
        make_row(1, business_key="DUP-1", values={"XK_MC": "旧"}),
        make_row(2, business_key="OTHER"),
        make_row(3, business_key="DUP-1", values={"XK_MC": "新"}),
    ]
    result = _load(rows, make_context(dept))
    assert GenericRecord.objects.count() == 2
    assert GenericRecord.objects.get(business_key="DUP-1").payload == {"XK_MC": "新"}
    assert result.record_ids[1] == result.record_ids[3]
    assert result.outcomes[1] == result.outcomes[3] == RowOutcome.CREATED


@pytest.mark.parametrize(
    "text",
    [
        '带"引号"的值',
        "多行\n文本\r\n第三行",
        "制表\t符",
        "反斜杠 \\ 与 \\N 与 C:\\path\\new",
        "中文名称：海南省市场监督管理局（行政许可）",
        "",
    ],
)
def test_the_loader_escapes_awkward_text_for_copy(dept, text):
    row = make_row(1, values={"XK_MC": text, "XK_NR": [text, None, 3]}, subject_name=text or "空")
    result = _load([row], make_context(dept))
    record = GenericRecord.objects.get(pk=result.record_ids[1])
    assert record.payload == {"XK_MC": text, "XK_NR": [text, None, 3]}
    assert record.subject_name == (text or "空")
    assert _load([row], make_context(dept)).outcomes[1] == RowOutcome.UNCHANGED


def test_copy_text_value_writes_null_marker_for_none_and_escapes_backslash():
    assert copy_text_value(None) == "\\N"
    assert copy_text_value("\\N") == "\\\\N"
    assert copy_text_value(None, as_json=True) == "null"


def test_a_large_batch_loads_in_chunks(dept):
    rows = [make_row(n, values={"N": n}) for n in range(1, 5001)]
    context = make_context(dept)
    store = GenericStore(chunk_size=1_000)
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        result = store.load(rows, context)
    assert sum("ON CONFLICT" in q["sql"] for q in queries.captured_queries) == 5
    assert result.count(RowOutcome.CREATED) == 5000
    assert GenericRecord.objects.count() == 5000
    changed = [make_row(n, values={"N": n + (1 if n % 10 == 0 else 0)}) for n in range(1, 5001)]
    with transaction.atomic():
        second = store.load(changed, context)
    assert second.count(RowOutcome.UPDATED) == 500
    assert second.count(RowOutcome.UNCHANGED) == 4500
    assert RecordRevision.objects.count() == 500


def test_the_fast_line_renderer_matches_value_by_value_rendering():
    """_render_line (one escape pass per line) writes exactly what copy_text_value writes."""
    import datetime
    import random
    from decimal import Decimal

    from apps.records.loading import _render_line

    plan = [("a", False), ("b", False), ("c", True), ("d", False), ("e", False)]
    samples = [
        "x",
        "",
        None,
        "a\\b",
        "tab\there",
        "nl\nx\r",
        "\x01soh",
        "nul\x00",
        "\\N",
        "中文，全角ＡＢＣ",
        Decimal("1.50"),
        0,
        3,
        True,
        False,
        2.5,
        datetime.date(2024, 1, 2),
        datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.UTC),
        {"k": "v\\\n", "n": None},
        [1, None, "t\t"],
    ]
    from apps.enterprises.choices import SubjectKind

    samples += [{"k": "1"}, {"k": 1}, {"k": True}, {"k": Decimal("1")}, {"k": None}]
    samples.append(SubjectKind.INDIVIDUAL_BUSINESS)  # a str subclass: rendered as its value
    chooser = random.Random(4204)
    memo: dict = {}  # shared like a buffer's: JSON memo hits must render the same
    for ordinal in range(1, 5001):
        values = {column: chooser.choice(samples) for column, _ in plan}
        expected = "\t".join(
            [str(ordinal)] + [copy_text_value(values[c], as_json=j) for c, j in plan]
        )
        assert _render_line(ordinal, values, plan) == expected, values
        assert _render_line(ordinal, values, plan, memo) == expected, values
    assert memo  # the memo was used


def test_a_reload_in_a_second_chunk_finds_the_existing_records(dept):
    """The key probe of the upsert sees records of earlier chunks (updated, not duplicated)."""
    rows = [make_row(n, values={"N": n}) for n in range(1, 21)]
    store = GenericStore(chunk_size=7)
    with transaction.atomic():
        first = store.load(rows, make_context(dept))
    changed = [make_row(n, values={"N": n * (2 if n % 5 == 0 else 1)}) for n in range(1, 21)]
    with transaction.atomic():
        second = store.load(changed, make_context(dept))
    assert first.count(RowOutcome.CREATED) == 20
    assert second.count(RowOutcome.UPDATED) == 4
    assert second.count(RowOutcome.UNCHANGED) == 16
    assert second.record_ids == first.record_ids
    assert GenericRecord.objects.count() == 20
    assert RecordRevision.objects.count() == 4
