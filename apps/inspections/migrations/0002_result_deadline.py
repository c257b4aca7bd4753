"""Seed the publication deadline of spot-check results: 20 working days ([R] 国发〔2019〕5号)."""

from __future__ import annotations

import datetime

from django.db import migrations


def seed(apps, schema_editor):
    ResultDeadline = apps.get_model("inspections", "ResultDeadline")
    ResultDeadline.objects.get_or_create(
        valid_from=datetime.date(2019, 2, 15),
        defaults={
            "working_days": 20,
            "basis": "国发〔2019〕5号：自检查完成之日起 20 个工作日内公示（待核实 [R]）",
        },
    )


def unseed(apps, schema_editor):
    apps.get_model("inspections", "ResultDeadline").objects.filter(
        valid_from=datetime.date(2019, 2, 15)
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("inspections", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
