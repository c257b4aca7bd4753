"""A small XZCF file ingested through apps.ingestion lands in the PenaltyStore via the registry."""

from __future__ import annotations

import csv
import datetime
import io
import random

import pytest

from apps.catalogue.choices import ResourceKind
from apps.core.uscc import generate_uscc
from apps.ingestion.models import SubmissionStatus
from apps.ingestion.services import create_submission, process_submission
from apps.penalties.models import Penalty
from apps.penalties.stores import PenaltyStore
from apps.records.registry import get_store
from tests.factories.enterprises import EnterpriseFactory

pytestmark = pytest.mark.django_db

HEADER = [
    "行政相对人名称",
    "行政相对人类别",
    "统一社会信用代码",
    "行政处罚决定书文号",
    "违法行为类型",
    "违法事实",
    "处罚依据",
    "处罚类别",
    "处罚内容",
    "罚款金额（万元）",
    "处罚决定日期",
    "处罚机关",
    "处罚机关统一社会信用代码",
    "当前状态",
    "数据来源单位",
    "数据来源单位统一社会信用代码",
]


def _csv(rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def test_the_penalty_store_is_registered_for_the_penalty_kind():
    assert isinstance(get_store(ResourceKind.PENALTY, "XZCF"), PenaltyStore)


def test_an_xzcf_csv_is_ingested_into_penalties(
    catalogue, dept, clerk, django_capture_on_commit_callbacks
):
    authority = generate_uscc(random.Random(5), authority="1", category="1")
    firm = EnterpriseFactory()
    rows = [
        [
            firm.name,
            "法人及非法人组织",
            firm.uscc,
            "琼市监罚〔2025〕101号",
            "虚假宣传",
            "发布虚假广告",
            "《广告法》第五十五条",
            "罚款",
            "罚款 5 万元",
            "5",
            "2025/12/31",
            dept.name,
            authority,
            "0",
            dept.name,
            authority,
        ],
        [
            firm.name,
            "法人及非法人组织",
            firm.uscc,
            "琼市监罚〔2025〕102号",
            "未按规定明码标价",
            "未明码标价",
            "《价格法》第四十二条",
            "警告",
            "警告",
            "",
            "2025-12-31",
            dept.name,
            authority,
            "0",
            dept.name,
            authority,
        ],
    ]
    with django_capture_on_commit_callbacks(execute=True):
        submission = create_submission(
            department=dept,
            resource=catalogue["XZCF"],
            content=_csv(rows),
            filename="xzcf.csv",
            channel="file",
            actor=clerk,
        )
    submission = process_submission(submission.pk)
    assert submission.status == SubmissionStatus.COMPLETED, submission.error
    assert submission.created_count == 2
    fine = Penalty.objects.get(document_number="琼市监罚〔2025〕101号")
    assert fine.enterprise == firm and fine.submission_id == submission.pk
    assert fine.fine_amount == 5 and fine.max_until == datetime.date(2028, 12, 31)
    assert fine.extra["CF_XDR_LB"] == "法人及非法人组织"
    warning = Penalty.objects.get(document_number="琼市监罚〔2025〕102号")
    assert not warning.is_published
    assert list(Penalty.objects.public_on(datetime.date(2026, 1, 5))) == [fine]

    # The same file again changes nothing (idempotent on the document number).
    with django_capture_on_commit_callbacks(execute=True):
        again = create_submission(
            department=dept,
            resource=catalogue["XZCF"],
            content=_csv(rows),
            filename="xzcf-again.csv",
            channel="file",
            actor=clerk,
        )
    again = process_submission(again.pk)
    assert again.unchanged_count == 2 and Penalty.objects.count() == 2
