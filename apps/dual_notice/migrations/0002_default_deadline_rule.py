"""Seed the default claim deadline: 5 working days from 2015-10-01 (国发〔2015〕62号 era).

[R] No national deadline for claiming was found (BRIEF.md 5.2); five working
days is this platform's default, editable by provincial administrators as a
new rule with a later valid-from date.
"""

from __future__ import annotations

import datetime

from django.db import migrations


def seed(apps, schema_editor):
    rule = apps.get_model("dual_notice", "ClaimDeadlineRule")
    rule.objects.get_or_create(
        valid_from=datetime.date(2015, 10, 1),
        defaults={
            "working_days": 5,
            "note": "[R] 平台默认值：未查到全国统一的认领时限（BRIEF.md 5.2），可由省级管理员调整。",
        },
    )


def unseed(apps, schema_editor):
    apps.get_model("dual_notice", "ClaimDeadlineRule").objects.filter(
        valid_from=datetime.date(2015, 10, 1)
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("dual_notice", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
