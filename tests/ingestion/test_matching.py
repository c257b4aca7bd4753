"""Registry matching per chunk: matches remembered across chunks, misses asked again."""

from __future__ import annotations

import pytest

from apps.enterprises.models import Enterprise
from apps.ingestion import services
from apps.ingestion.models import HeldRow
from apps.ingestion.services import create_submission, process_submission
from apps.records.models import GenericRecord
from tests.factories.enterprises import EnterpriseFactory

pytestmark = pytest.mark.django_db

HEADER = "行政相对人名称,统一社会信用代码,行政许可决定文书号,许可决定日期"


def test_an_entity_registered_between_chunks_is_matched_in_the_later_chunk(
    resource, dept, clerk, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(services, "CHUNK_SIZE", 2)
    known = EnterpriseFactory()
    newcomer_uscc = EnterpriseFactory.build().uscc
    lines = [HEADER]
    for n in range(1, 7):
        uscc = newcomer_uscc if n in (2, 5) else known.uscc
        lines.append(f"海南匹配{n}有限公司,{uscc},琼许字〔2024〕{n}号,2024-03-01")
    content = ("\n".join(lines) + "\n").encode()

    def register_after_first_chunk(submission_id, checkpoint):
        if checkpoint == 2:
            EnterpriseFactory(uscc=newcomer_uscc)

    monkeypatch.setattr(services, "chunk_committed", register_after_first_chunk)
    with django_capture_on_commit_callbacks(execute=False):
        submission = create_submission(
            department=dept,
            resource=resource,
            content=content,
            filename="data.csv",
            channel="file",
            actor=clerk,
        )
    submission = process_submission(submission.pk)
    assert submission.held_count == 1
    assert list(HeldRow.objects.values_list("row_number", flat=True)) == [2]
    newcomer_id = Enterprise.objects.get(uscc=newcomer_uscc).pk
    assert GenericRecord.objects.filter(enterprise_id=newcomer_id).count() == 1
    assert GenericRecord.objects.filter(enterprise_id=known.pk).count() == 4
