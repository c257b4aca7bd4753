"""Builders for record-store tests: load rows and contexts for the generic store."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from apps.records.registry import LoadContext, LoadRow


def make_row(
    row_number: int,
    *,
    business_key: str | None = None,
    values: dict[str, Any] | None = None,
    enterprise_id: int | None = None,
    subject_kind: str = "organization",
    subject_uscc: str = "91460000MA5T000000",
    subject_name: str = "海南测试有限公司",
    decision_date: datetime.date = datetime.date(2026, 3, 2),
) -> LoadRow:
    """One load row; the business key defaults to a document number from the row number."""
    return LoadRow(
        row_number=row_number,
        business_key=business_key or f"琼测〔2026〕{row_number}号",
        decision_date=decision_date,
        subject_kind=subject_kind,
        subject_uscc=subject_uscc,
        subject_name=subject_name,
        enterprise_id=enterprise_id,
        values=values if values is not None else {"XK_MC": f"许可{row_number}", "XK_NR": "内容"},
    )


def make_context(
    department, *, resource_code: str = "TEST_RES", version: int = 1, **kw
) -> LoadContext:
    """A load context for ``department`` received now through the file channel."""
    return LoadContext(
        department_id=department.pk,
        resource_code=resource_code,
        resource_version=version,
        channel=kw.get("channel", "file"),
        submission_id=kw.get("submission_id"),
        received_at=kw.get("received_at", timezone.now()),
    )
