"""The SQL USCC check used by the USCC_INVALID rule, and the default rules, bands and target.

``quality_uscc_status(code)`` mirrors :func:`apps.core.uscc.check_identifier`
for 18-character codes (without the allow-list, which the rule joins):
``valid`` when the shape, authority, mod-31 check character and inner
GB 11714 check pass; ``legacy`` for early pilot codes (position 9 ``M``,
region ``35…``) that fail only the mod-31 check; ``invalid`` otherwise.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import migrations

USCC_FUNCTION = r"""
CREATE OR REPLACE FUNCTION quality_uscc_status(code text) RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    alphabet constant text := '0123456789ABCDEFGHJKLMNPQRTUWXY';
    weights constant int[] := ARRAY[1,3,9,27,19,26,16,17,20,29,25,13,8,24,10,30,28];
    org_weights constant int[] := ARRAY[3,7,9,10,5,8,4,2];
    total int := 0;
    org_total int := 0;
    ch text;
    remainder int;
    check_ok boolean;
    inner_ok boolean;
BEGIN
    IF code IS NULL OR code !~ '^[1-9ANY][0-9A-HJ-NPQRTUWXY][0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$' THEN
        RETURN 'invalid';
    END IF;
    FOR i IN 1..17 LOOP
        total := total + (strpos(alphabet, substr(code, i, 1)) - 1) * weights[i];
    END LOOP;
    check_ok := substr(alphabet, ((31 - total % 31) % 31) + 1, 1) = substr(code, 18, 1);
    FOR i IN 1..8 LOOP
        ch := substr(code, 8 + i, 1);
        org_total := org_total + (CASE WHEN ch ~ '[0-9]' THEN ascii(ch) - 48 ELSE ascii(ch) - 55 END)
                                 * org_weights[i];
    END LOOP;
    remainder := 11 - org_total % 11;
    inner_ok := (CASE remainder WHEN 10 THEN 'X' WHEN 11 THEN '0' ELSE remainder::text END)
                = substr(code, 17, 1);
    IF check_ok AND inner_ok THEN
        RETURN 'valid';
    END IF;
    IF NOT check_ok AND inner_ok AND substr(code, 9, 1) = 'M' AND substr(code, 3, 2) = '35' THEN
        RETURN 'legacy';
    END IF;
    RETURN 'invalid';
END
$$;
"""


def seed(apps, schema_editor):
    from apps.quality.rules import RULES

    QualityRule = apps.get_model("quality", "QualityRule")
    for order, rule in enumerate(RULES):
        QualityRule.objects.update_or_create(
            code=rule.code,
            defaults={
                "dimension": str(rule.dimension),
                "severity": str(rule.severity),
                "name": rule.name,
                "message_zh": rule.message_zh,
                "message_en": rule.message_en,
                "order": order,
            },
        )
    ScoreBand = apps.get_model("quality", "ScoreBand")
    start = datetime.date(2016, 1, 1)
    if not ScoreBand.objects.exists():
        for code, label, colour, lower in (
            ("red", "红", "#d9363e", None),
            ("orange", "橙", "#f08a24", Decimal("90")),
            ("yellow", "黄", "#e6c619", Decimal("95")),
            ("green", "绿", "#2e9d5b", Decimal("98")),
        ):
            ScoreBand.objects.create(
                code=code, label=label, colour=colour, lower_exclusive=lower, valid_from=start
            )
    QualityTarget = apps.get_model("quality", "QualityTarget")
    if not QualityTarget.objects.filter(key="coverage").exists():
        QualityTarget.objects.create(
            key="coverage",
            percent=Decimal("70"),
            valid_from=start,
            basis="海南省涉企信息归集工作方案：年底前不少于 70% 的政府部门报送涉企信息",
        )


class Migration(migrations.Migration):
    dependencies = [("quality", "0001_initial"), ("core", "0001_initial")]

    operations = [
        migrations.RunSQL(USCC_FUNCTION, "DROP FUNCTION IF EXISTS quality_uscc_status(text);"),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
