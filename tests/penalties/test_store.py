"""The PenaltyStore as the registry offers it: columns, extra, field values, public records."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from apps.penalties import services
from apps.penalties.stores import PenaltyStore
from apps.records.registry import public_records_for
from apps.records.selectors import revisions_of

pytestmark = pytest.mark.django_db

D = datetime.date


def test_standard_fields_become_columns_and_others_go_to_extra(load_penalty, dept):
    penalty = load_penalty(dept, decided=D(2025, 6, 30), fine="2.5", DFBM="460100")
    assert penalty.document_number.startswith("琼测罚") and penalty.fine_amount == 2.5
    assert penalty.authority == dept.name and penalty.reported_status == "0"
    assert penalty.extra == {"BZ": "测试", "CF_XDR_LB": "法人及非法人组织", "DFBM": "460100"}
    values = PenaltyStore().field_values(penalty)
    assert values["CF_WSH"] == penalty.document_number and values["CF_JDRQ"] == D(2025, 6, 30)
    assert values["CF_XDR_SHXYM"] == penalty.subject_uscc and values["DFBM"] == "460100"


def test_a_changed_row_updates_with_history_and_a_same_row_changes_nothing(load_penalty, dept):
    first = load_penalty(dept, decided=D(2025, 6, 30), fine="2", document_number="琼改〔2025〕1号")
    same = load_penalty(dept, decided=D(2025, 6, 30), fine="2", document_number="琼改〔2025〕1号")
    assert same.updated_at == first.updated_at and not revisions_of(first).exists()
    low = load_penalty(dept, decided=D(2025, 6, 30), fine="0.1", document_number="琼改〔2025〕1号")
    assert low.pk == first.pk and low.max_until == D(2025, 9, 30)
    revision = revisions_of(first).get()
    assert revision.before["fine_amount"] == 2 and revision.after["severity"] == "low"


def test_portal_gets_public_penalties_until_revoked(load_penalty, dept, enterprise, clerk):
    penalty = load_penalty(dept, decided=D(2025, 6, 30), fine="2")
    load_penalty(dept, decided=D(2025, 6, 30), category="警告")
    day = D(2025, 12, 1)
    records = [r for r in public_records_for(enterprise.pk, on=day) if r.resource_code == "XZCF"]
    assert [r.record_id for r in records] == [penalty.pk]
    assert records[0].public_until == D(2028, 6, 30)
    assert records[0].values["CF_NR_FK"] == 2
    services.revoke_penalty(penalty, reason="撤销", actor=clerk)
    assert not [r for r in public_records_for(enterprise.pk, on=day) if r.resource_code == "XZCF"]


def test_penalty_list_page_query_count_is_bounded(
    login, province_admin, load_penalty, dept, django_assert_max_num_queries
):
    for _ in range(6):
        load_penalty(dept, decided=D(2025, 6, 30), fine="2")
    client = login(province_admin)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("penalties:penalty-list")).status_code == 200


def test_memoised_publicity_columns_equal_the_rules_for_every_combination(catalogue):
    """DerivedCache keys on everything publicity_columns reads: the same answer, row by row."""
    import itertools
    import random
    from decimal import Decimal

    from apps.penalties import rules
    from apps.penalties.stores import DerivedCache, pg_array, publicity_columns

    regimes = rules.RegimeCache("XZCF")
    cache = DerivedCache()
    chooser = random.Random(4204)
    dates = [D(2019, 6, 30), D(2021, 7, 15), D(2024, 1, 31), D(2025, 2, 28)]
    categories = ["罚款", "警告", "没收违法所得", "吊销许可证件", "通报批评", "其他", "罚款;警告"]
    contents = ["", "罚款人民币1千元", "责令停产停业", "警告并没收违法所得"]
    fines = [None, Decimal("0"), Decimal("0.3"), Decimal("0.31"), Decimal("2.5"), Decimal("50")]
    confiscated = [None, Decimal("0"), Decimal("1")]
    texts = ["虚假宣传", "销售不符合食品安全标准的食品", "", "违反《药品管理法》"]
    ends = [None, D(2026, 1, 1)]
    combos = list(
        itertools.product(dates, categories, contents, fines, confiscated, texts, ends, ["", "YJ"])
    )
    for decided, category, content, fine, taken, text, end, line in chooser.sample(combos, 3000):
        columns = {
            "category": category,
            "content": content,
            "fine_amount": fine,
            "confiscated_amount": taken,
            "violation_type": text,
            "facts": "经查",
            "legal_basis": "",
            "reported_publicity_end": end,
        }
        expected = publicity_columns(
            decision_date=decided,
            category=category,
            content=content,
            fine=fine,
            confiscated=taken,
            texts=[text, "经查", ""],
            line=line,
            regimes=regimes,
            reported_end=end,
        )
        expected["categories"] = pg_array(expected["categories"])
        assert cache.get(columns, decided, line, regimes) == expected


def test_an_ingestion_run_keeps_its_regimes_and_the_next_run_sees_a_changed_one(
    load_penalty, health_dept
):
    """The publicity memos live in one run's ``run_memo`` (all its chunks), not longer."""
    from apps.catalogue.models import PublicityRegime

    decided = datetime.date(2024, 3, 1)
    run: dict = {}
    first = load_penalty(health_dept, decided=decided, fine="1", run_memo=run)
    assert first.max_until == datetime.date(2025, 3, 1)
    PublicityRegime.objects.filter(name="信用网站一般失信行为处罚公示").update(max_months=24)
    # A later chunk of the same run: the run reads one set of regimes.
    same_run = load_penalty(health_dept, decided=decided, fine="1", run_memo=run)
    assert same_run.max_until == datetime.date(2025, 3, 1)
    # The next run, and a load outside any run (a correction, a release), see the change.
    next_run = load_penalty(health_dept, decided=decided, fine="1", run_memo={})
    assert next_run.max_until == datetime.date(2026, 3, 1)
    single = load_penalty(health_dept, decided=decided, fine="1")
    assert single.max_until == datetime.date(2026, 3, 1)
