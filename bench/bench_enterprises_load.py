"""Benchmark: loading generated enterprises three ways.

Run (never part of the test suite)::

    DJANGO_SETTINGS_MODULE=hainan_credit.settings \
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<bench db> \
    BENCH_N=200000 BENCH_REPEATS=3 python bench/bench_enterprises_load.py

It migrates its database, loads the Hainan regions, generates the same N rows
once, then loads them (registry emptied before each run):

1. ``copy_upsert``: the path of ``generate_demo_enterprises`` (COPY into a
   TEMP staging table, ``INSERT ... SELECT ... ON CONFLICT DO NOTHING`` with
   ``to_tsvector`` in SQL, every index of the registry in place);
2. ``raw_copy``: COPY of pre-rendered rows into an unindexed copy of the
   table (the floor: no index upkeep, no rendering, no conflict check);
3. ``orm_bulk_create``: Django ``bulk_create(batch_size=1000,
   ignore_conflicts=True)`` plus one ``UPDATE`` filling ``search_vector``.

Prints medians and ratios; writes ``bench/results/enterprises_load.json``.
"""

from __future__ import annotations

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

from django.contrib.postgres.search import SearchVector  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from apps.core.text import search_document  # noqa: E402
from apps.enterprises.demo import DemoEnterpriseGenerator  # noqa: E402
from apps.enterprises.loader import (  # noqa: E402
    COLUMNS,
    STAGE_COLUMNS,
    copy_enterprises,
    render_copy_text,
)
from apps.enterprises.models import Enterprise  # noqa: E402
from apps.organizations.models import Region  # noqa: E402

N = int(os.environ.get("BENCH_N", "200000"))
REPEATS = int(os.environ.get("BENCH_REPEATS", "3"))
BATCH = int(os.environ.get("BENCH_BATCH", "20000"))
COPY_TABLE = "bench_enterprise_copy"
RESULTS = ROOT / "bench" / "results" / "enterprises_load.json"


def setup() -> list[tuple]:
    """Migrate, make sure the regions exist, generate the rows once."""
    call_command("migrate", verbosity=0)
    if not Region.objects.filter(code="460100").exists():
        from apps.organizations.services import load_hainan_fixtures

        load_hainan_fixtures(actor=None)
    region_ids = dict(Region.objects.values_list("code", "id"))
    return list(DemoEnterpriseGenerator(region_ids, seed=7).rows(N))


def empty_registry() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {Enterprise._meta.db_table} CASCADE")
        cursor.execute(f"DROP TABLE IF EXISTS {COPY_TABLE}")
    # Keep one run's dead tuples and pending GIN entries out of the next run.
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {Enterprise._meta.db_table}")


def run_copy_upsert(rows: list[tuple]) -> float:
    started = time.perf_counter()
    with transaction.atomic():
        result = copy_enterprises(rows, batch_size=BATCH)
    elapsed = time.perf_counter() - started
    assert result.inserted == len(rows), result
    return elapsed


def run_raw_copy(rows: list[tuple]) -> float:
    buffer, _count = render_copy_text(rows)  # pre-rendered: not timed
    # Table and column names are module constants, never input.
    create_sql = (
        f"CREATE TABLE {COPY_TABLE} AS SELECT {', '.join(STAGE_COLUMNS)} "  # noqa: S608
        f"FROM {Enterprise._meta.db_table} WITH NO DATA"
    )
    with connection.cursor() as cursor:
        cursor.execute(create_sql)
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.cursor.copy_expert(
            f"COPY {COPY_TABLE} ({', '.join(STAGE_COLUMNS)}) FROM STDIN", buffer
        )
    return time.perf_counter() - started


def run_orm(rows: list[tuple]) -> float:
    started = time.perf_counter()
    name, person = COLUMNS.index("name"), COLUMNS.index("legal_representative")
    objects = []
    for row in rows:
        values = dict(zip(COLUMNS, row, strict=True))
        objects.append(Enterprise(**values, search_terms=search_document(row[name], row[person])))
    with transaction.atomic():
        Enterprise.objects.bulk_create(objects, batch_size=1000, ignore_conflicts=True)
        Enterprise.objects.update(search_vector=SearchVector("search_terms", config="simple"))
    return time.perf_counter() - started


def main() -> None:
    print(f"Generating {N:,} rows ...", flush=True)
    rows = setup()
    ways = {"copy_upsert": run_copy_upsert, "raw_copy": run_raw_copy, "orm_bulk_create": run_orm}
    timings: dict[str, list[float]] = {name: [] for name in ways}
    for repeat in range(REPEATS):
        for name, run in ways.items():
            empty_registry()
            seconds = run(rows)
            timings[name].append(seconds)
            print(f"  repeat {repeat + 1} {name:16s} {seconds:8.2f} s {N / seconds:12,.0f} rows/s")
    empty_registry()
    medians = {name: statistics.median(values) for name, values in timings.items()}
    floor = medians["raw_copy"]
    summary = {
        "n": N,
        "repeats": REPEATS,
        "batch_size": BATCH,
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "results": {
            name: {
                "median_seconds": round(medians[name], 3),
                "rows_per_second": round(N / medians[name]),
                "runs": [round(v, 3) for v in timings[name]],
                "ratio_to_raw_copy": round(medians[name] / floor, 2),
                "ratio_to_copy_upsert": round(medians[name] / medians["copy_upsert"], 2),
            }
            for name in ways
        },
    }
    print("\nmedians:")
    for name, data in summary["results"].items():
        print(
            f"  {name:16s} {data['median_seconds']:8.2f} s {data['rows_per_second']:12,} rows/s"
            f"  x{data['ratio_to_raw_copy']} of raw COPY, x{data['ratio_to_copy_upsert']} of copy_upsert"
        )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
