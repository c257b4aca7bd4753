"""Benchmark: scorecards and coverage for every department over 10,000,000 records.

Run (never part of the test suite)::

    make bench-quality
    # or: DATABASE_URL=postgres://postgres@127.0.0.1:5432/<bench db> \
    #     BENCH_N=10000000 BENCH_REPEATS=3 python bench/bench_quality.py

Set-up (kept between runs: a table that already holds ``BENCH_N`` bench rows is reused):

- migrate, the Hainan regions and departments, the resource catalogue;
- ``BENCH_N`` generic records generated in SQL (``generate_series``), spread
  over every active department, the resources it is obliged to supply, and the
  12 months of 2025 (receipt time), indexes rebuilt afterwards;
- about 3% of them get an open quality issue (one per record dimension in turn).

Measured, ``BENCH_REPEATS`` times each, medians reported:

1. ``scorecards_year``: :func:`apps.quality.scoring.compute_scorecards` for the
   12 months and 4 quarters of 2025 (departments, cities/counties, province,
   coverage per area and resource) — the figure the issue asks for (≤ 30 s);
2. ``scorecards_month``: one month only (what the hourly task recomputes);
3. ``baseline_scan``: ``SELECT department_id, count(*) ... GROUP BY`` over the
   whole table: the floor any per-department figure over all records pays.

Writes ``bench/results/quality.json``. The machine is shared (2 cores, other
sessions running): figures are taken under load; compare the ratio to the
baseline measured in the same run.
"""

from __future__ import annotations

import datetime
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hainan_credit.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from apps.catalogue.models import Resource  # noqa: E402
from apps.organizations.models import Department  # noqa: E402
from apps.quality.choices import PeriodKind  # noqa: E402
from apps.quality.models import CoverageFigure, QualityRule, Scorecard  # noqa: E402
from apps.quality.scoring import Period, compute_scorecards  # noqa: E402

N = int(os.environ.get("BENCH_N", "10000000"))
REPEATS = int(os.environ.get("BENCH_REPEATS", "3"))
RESULTS = ROOT / "bench" / "results" / "quality.json"
MARK = "BENCH-Q"
CHUNK = 1_000_000


def say(message: str) -> None:
    print(f"[bench quality] {message}", flush=True)


def setup() -> dict[str, float]:
    """Fixtures, catalogue, N records and their issues (reused when already there)."""
    timings: dict[str, float] = {}
    call_command("migrate", verbosity=0)
    if not Department.objects.exists():
        call_command("load_hainan_fixtures", verbosity=0)
    if not Resource.objects.exists():
        call_command("load_catalogue", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM records_genericrecord WHERE business_key LIKE %s",
            [MARK + "%"],
        )
        (existing,) = cursor.fetchone()
    if existing == N:
        say(f"reusing {N:,} bench records")
        return timings
    say(f"generating {N:,} records in SQL")
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM quality_qualityissue")
        cursor.execute("TRUNCATE records_genericrecord CASCADE")
        # Obliged (department, resource) pairs, numbered, to spread records over.
        from apps.quality.scoring import OBLIGED_SQL

        cursor.execute("DROP TABLE IF EXISTS _q_obliged")
        cursor.execute("DROP TABLE IF EXISTS bench_pairs")
        cursor.execute(OBLIGED_SQL.replace("ON COMMIT DROP", ""))
        cursor.execute(
            "CREATE TEMP TABLE bench_pairs AS SELECT row_number() OVER (ORDER BY department_id, "
            "resource_code) - 1 AS n, department_id, resource_code FROM _q_obliged"
        )
        cursor.execute("SELECT count(*) FROM bench_pairs")
        (pairs,) = cursor.fetchone()
        # Indexes are rebuilt once after the load instead of maintained row by row.
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'records_genericrecord' "
            "AND indexname NOT LIKE '%%pkey'"
        )
        indexes = cursor.fetchall()
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = 'records_genericrecord'::regclass AND contype = 'u'"
        )
        constraints = cursor.fetchall()
        for name, _definition in constraints:
            cursor.execute(f'ALTER TABLE records_genericrecord DROP CONSTRAINT "{name}"')
        for name, _definition in indexes:
            if name not in {c for c, _d in constraints}:
                cursor.execute(f'DROP INDEX IF EXISTS "{name}"')
        for low in range(0, N, CHUNK):
            high = min(N, low + CHUNK)
            # Receipt spread over 2025 (Asia/Shanghai), decision 0-12 days before it.
            cursor.execute(
                """
INSERT INTO records_genericrecord (created_at, updated_at, subject_kind, subject_uscc,
    subject_name, department_id, channel, submission_id, resource_code, resource_version,
    business_key, decision_date, received_at, payload, enterprise_id)
SELECT now(), now(), 'organization', '', '海南基准测试有限公司', p.department_id, 'file', NULL,
       p.resource_code, 1, %(mark)s || g, (r.at AT TIME ZONE 'Asia/Shanghai')::date - (g %% 13)::int,
       r.at, '{}'::jsonb, NULL
FROM generate_series(%(low)s::bigint, %(high)s::bigint - 1) g
JOIN bench_pairs p ON p.n = (g * 7919) %% %(pairs)s
CROSS JOIN LATERAL (SELECT timestamptz '2025-01-01 00:00+08'
                           + ((g * 2654435761) %% 31536000) * interval '1 second' AS at) r
""",
                {"mark": MARK, "low": low, "high": high, "pairs": pairs},
            )
            say(f"  {high:,} rows")
        timings["generate_rows_s"] = time.perf_counter() - started
        started = time.perf_counter()
        for name, definition in constraints:
            cursor.execute(
                f'ALTER TABLE records_genericrecord ADD CONSTRAINT "{name}" {definition}'
            )
        for name, definition in indexes:
            if name not in {c for c, _d in constraints}:
                cursor.execute(definition)
        timings["rebuild_indexes_s"] = time.perf_counter() - started
        started = time.perf_counter()
        cursor.execute(
            "SELECT array_agg(id ORDER BY id), array_agg(dimension ORDER BY id) FROM "
            "quality_qualityrule WHERE code IN ('REQUIRED_FIELD', 'SPEC_VALUE', 'DUPLICATE_KEY', "
            "'UNMATCHED_ENTITY', 'NAME_MISMATCH', 'LATE_DELIVERY')"
        )
        rule_ids, dimensions = cursor.fetchone()
        cursor.execute(
            """
INSERT INTO quality_qualityissue (rule_id, dimension, content_type_id, object_id, field_code,
    department_id, resource_code, business_key, decision_date, received_on, detail, status,
    first_seen_at, last_seen_at)
SELECT (%(rules)s::int[])[1 + (t.id %% %(k)s)], (%(dims)s::text[])[1 + (t.id %% %(k)s)],
       (SELECT id FROM django_content_type WHERE app_label = 'records'
        AND model = 'genericrecord'),
       t.id, '', t.department_id, t.resource_code, t.business_key, t.decision_date,
       (t.received_at AT TIME ZONE 'Asia/Shanghai')::date, '{}'::jsonb, 'open', now(), now()
FROM records_genericrecord t WHERE t.id %% 33 = 0
""",
            {"rules": rule_ids, "dims": dimensions, "k": len(rule_ids)},
        )
        timings["generate_issues_s"] = time.perf_counter() - started
        cursor.execute("VACUUM ANALYZE records_genericrecord")
        cursor.execute("VACUUM ANALYZE quality_qualityissue")
    return timings


def timed(function) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def baseline() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT department_id, count(*) FROM records_genericrecord GROUP BY 1")
        cursor.fetchall()


def main() -> None:
    setup_timings = setup()
    year = [Period.containing(PeriodKind.MONTH, datetime.date(2025, m, 1)) for m in range(1, 13)]
    year += [
        Period.containing(PeriodKind.QUARTER, datetime.date(2025, m, 1)) for m in (1, 4, 7, 10)
    ]
    month = [year[5]]
    timings: dict[str, list[float]] = {
        "scorecards_year": [],
        "scorecards_month": [],
        "baseline_scan": [],
    }
    for repeat in range(REPEATS):
        timings["baseline_scan"].append(timed(baseline))
        timings["scorecards_year"].append(timed(lambda: compute_scorecards(year)))
        timings["scorecards_month"].append(timed(lambda: compute_scorecards(month)))
        say(
            f"run {repeat + 1}: year {timings['scorecards_year'][-1]:.1f} s, "
            f"month {timings['scorecards_month'][-1]:.1f} s, "
            f"baseline {timings['baseline_scan'][-1]:.1f} s"
        )
    medians = {name: statistics.median(values) for name, values in timings.items()}
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM records_genericrecord")
        (records,) = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM quality_qualityissue WHERE status = 'open'")
        (issues,) = cursor.fetchone()
    departments = Scorecard.objects.filter(
        period_kind="month", period_start=year[0].start, scope_kind="department"
    ).count()
    result = {
        "benchmark": "quality",
        "records": records,
        "open_issues": issues,
        "rules": QualityRule.objects.count(),
        "departments_scored_per_month": departments,
        "periods": {"months": 12, "quarters": 4},
        "scorecard_rows": Scorecard.objects.count(),
        "coverage_rows": CoverageFigure.objects.count(),
        "repeats": REPEATS,
        "timings_s": timings,
        "medians_s": medians,
        "ratio_year_to_baseline": medians["scorecards_year"] / medians["baseline_scan"],
        "target_s": 30,
        "meets_target": medians["scorecards_year"] <= 30,
        "setup_s": setup_timings,
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "note": "shared 2-core machine, other sessions running: figures taken under load",
        },
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    say(
        f"{records:,} records, {issues:,} open issues, {departments} departments per month: "
        f"12 months + 4 quarters in {medians['scorecards_year']:.1f} s (median of {REPEATS}), "
        f"one month {medians['scorecards_month']:.1f} s, baseline scan "
        f"{medians['baseline_scan']:.1f} s (ratio {result['ratio_year_to_baseline']:.2f})"
    )


if __name__ == "__main__":
    main()
