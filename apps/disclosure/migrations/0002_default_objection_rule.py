"""The first answer deadline for objections: 15 working days.

An administrator changes it by adding a rule with a later ``valid_from`` in
the admin (docs/objections.md); past objections keep the deadline they got.
"""

import datetime

from django.db import migrations


def add_default_rule(apps, schema_editor):
    ObjectionRule = apps.get_model("disclosure", "ObjectionRule")
    ObjectionRule.objects.get_or_create(
        valid_from=datetime.date(2014, 10, 1),
        defaults={
            "answer_working_days": 15,
            "basis": "本平台异议处理规程（可由管理员调整）",
        },
    )


class Migration(migrations.Migration):
    dependencies = [("disclosure", "0001_objections_feed_keys")]

    operations = [migrations.RunPython(add_default_rule, migrations.RunPython.noop)]
