"""Load the list types, grounds, dated regimes and memoranda measures (reference_data.py)."""

from __future__ import annotations

from django.db import migrations


def forwards(apps, schema_editor):
    from apps.joint_punishment.reference_data import sync_reference_data

    sync_reference_data(apps)


class Migration(migrations.Migration):
    dependencies = [("joint_punishment", "0001_lists_measures_checks")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
