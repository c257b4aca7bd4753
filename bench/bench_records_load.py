"""Benchmark: loading generic records through GenericStore against two baselines.

Run (never part of the test suite)::

    make bench-records_load
    # or: DATABASE_URL=postgres://postgres@127.0.0.1:5432/<bench db> \
    #     BENCH_N=100000 BENCH_REPEATS=3 python bench/bench_records_load.py

It migrates its database, loads the Hainan fixtures (for a department),
generates N load rows once, then measures (tables emptied before each run):

1. ``generic_store``: ``GenericStore.load`` (COPY into a TEMP staging table,
   one ``INSERT ... ON CONFLICT DO UPDATE ... WHERE IS DISTINCT FROM`` per
   chunk, revisions CTE, every index of the table in place) on an empty table;
2. ``generic_store_reload``: the same N rows again (all unchanged: nothing
   written) — the idempotent re-send path;
3. ``raw_copy``: COPY of pre-rendered rows into an unindexed copy of the table
   (the floor: no index upkeep, no conflict check, no history);
4. ``orm_update_or_create``: Django ``update_or_create`` per row, measured on a
   ``BENCH_ORM_N`` (default 5,000) subset and **extrapolated** linearly to N.

Prints medians and ratios; writes ``bench/results/records_load.json``.
"""

from __future__ import annotations

import datetime
import io
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
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from apps.organizations.models import Department  # noqa: E402
from apps.records.loading import copy_text_value  # noqa: E402
from apps.records.models import GenericRecord, RecordRevision  # noqa: E402
from apps.records.registry import LoadContext, LoadRow  # noqa: E402
from apps.records.stores import GENERIC_SPEC, GenericStore  # noqa: E402

N = int(os.environ.get("BENCH_N", "100000"))
ORM_N = min(N, int(os.environ.get("BENCH_ORM_N", "5000")))
REPEATS = int(os.environ.get("BENCH_REPEATS", "3"))
COPY_TABLE = "bench_generic_record_copy"
RESULTS = ROOT / "bench" / "results" / "records_load.json"


def setup() -> tuple[list[LoadRow], LoadContext]:
    """Migrate, make sure a department exists, generate the rows once."""
    call_command("migrate", verbosity=0)
    if not Department.objects.exists():
        call_command("load_hainan_fixtures", verbosity=0)
    department = Department.objects.order_by("pk").first()
    context = LoadContext(
        department_id=department.pk,
        resource_code="BENCH_RES",
        resource_version=1,
        channel="file",
        submission_id=1,
        received_at=timezone.now(),
    )
    base = datetime.date(2025, 1, 1)
    rows = [
        LoadRow(
            row_number=n,
            business_key=f"琼市监许〔2025〕{n:07d}号",
            decision_date=base + datetime.timedelta(days=n % 365),
            subject_kind="organization",
            subject_uscc=f"9146{n:014d}",
            subject_name=f"海南基准测试第{n}号有限公司",
            enterprise_id=None,
            values={
                "XK_WSH": f"琼市监许〔2025〕{n:07d}号",
                "XK_XKWS": "食品经营许可证",
                "XK_NR": f'预包装食品销售\t第{n}项，含"引号"与\\反斜杠',
                "XK_YXQZ": "2030-12-31",
            },
        )
        for n in range(1, N + 1)
    ]
    return rows, context


def empty_tables() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {GenericRecord._meta.db_table}, {RecordRevision._meta.db_table}")
        cursor.execute(f"DROP TABLE IF EXISTS {COPY_TABLE}")
        cursor.execute(f"VACUUM ANALYZE {GenericRecord._meta.db_table}")


def run_store(rows: list[LoadRow], context: LoadContext) -> float:
    start = time.perf_counter()
    with transaction.atomic():
        GenericStore().load(rows, context)
    return time.perf_counter() - start


def run_raw_copy(rows: list[LoadRow], context: LoadContext) -> float:
    columns = GENERIC_SPEC.columns
    json_columns = set(GENERIC_SPEC.json_columns)
    buffer = io.StringIO()
    for row in rows:
        values = {
            "department_id": context.department_id,
            "resource_code": context.resource_code,
            "business_key": row.business_key,
            "payload": row.values,
            "decision_date": row.decision_date,
            "subject_kind": row.subject_kind,
            "subject_uscc": row.subject_uscc,
            "subject_name": row.subject_name,
            "enterprise_id": None,
            "resource_version": 1,
            "channel": context.channel,
            "submission_id": context.submission_id,
            "received_at": context.received_at,
        }
        fields = [copy_text_value(values[c], as_json=c in json_columns) for c in columns]
        buffer.write("\t".join(fields) + "\n")
    buffer.seek(0)
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE {COPY_TABLE} AS SELECT {', '.join(columns)} "  # noqa: S608
            f"FROM {GenericRecord._meta.db_table} WITH NO DATA"
        )
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.cursor.copy_expert(
            f"COPY {COPY_TABLE} ({', '.join(columns)}) FROM STDIN WITH (FORMAT text)", buffer
        )
    return time.perf_counter() - start


def run_orm(rows: list[LoadRow], context: LoadContext) -> float:
    start = time.perf_counter()
    with transaction.atomic():
        for row in rows[:ORM_N]:
            GenericRecord.objects.update_or_create(
                department_id=context.department_id,
                resource_code=context.resource_code,
                business_key=row.business_key,
                defaults={
                    "payload": row.values,
                    "decision_date": row.decision_date,
                    "subject_kind": row.subject_kind,
                    "subject_uscc": row.subject_uscc,
                    "subject_name": row.subject_name,
                    "enterprise_id": None,
                    "resource_version": context.resource_version,
                    "channel": context.channel,
                    "submission_id": context.submission_id,
                    "received_at": context.received_at,
                },
            )
    return time.perf_counter() - start


def main() -> None:
    rows, context = setup()
    print(f"N={N} rows, ORM subset {ORM_N} (extrapolated to N), {REPEATS} repeats")
    timings: dict[str, list[float]] = {
        "generic_store": [],
        "generic_store_reload": [],
        "raw_copy": [],
        "orm_update_or_create": [],
    }
    for repeat in range(REPEATS):
        empty_tables()
        timings["generic_store"].append(run_store(rows, context))
        timings["generic_store_reload"].append(run_store(rows, context))
        empty_tables()
        timings["raw_copy"].append(run_raw_copy(rows, context))
        empty_tables()
        measured = run_orm(rows, context)
        timings["orm_update_or_create"].append(measured * N / ORM_N)
        print(
            f"  repeat {repeat + 1}: " + ", ".join(f"{k} {v[-1]:.2f}s" for k, v in timings.items())
        )
    empty_tables()
    medians = {name: statistics.median(values) for name, values in timings.items()}
    summary = {
        "benchmark": "records_load",
        "rows": N,
        "orm_subset_rows": ORM_N,
        "orm_extrapolated": True,
        "repeats": REPEATS,
        "python": platform.python_version(),
        "postgres": connection.cursor().connection.server_version,
        "results": {
            name: {
                "median_seconds": round(medians[name], 3),
                "rows_per_second": int(N / medians[name]) if medians[name] else None,
                "ratio_to_raw_copy": round(medians[name] / medians["raw_copy"], 2),
                "ratio_to_generic_store": round(medians[name] / medians["generic_store"], 2),
                "runs_seconds": [round(v, 3) for v in values],
                **(
                    {"note": f"measured on {ORM_N} rows, extrapolated linearly to {N}"}
                    if name == "orm_update_or_create"
                    else {}
                ),
            }
            for name, values in timings.items()
        },
    }
    print("\nmedians:")
    for name, data in summary["results"].items():
        print(
            f"  {name:22s} {data['median_seconds']:8.2f} s {data['rows_per_second']:10,} rows/s"
            f"  x{data['ratio_to_raw_copy']} of raw COPY,"
            f" x{data['ratio_to_generic_store']} of generic_store"
        )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
