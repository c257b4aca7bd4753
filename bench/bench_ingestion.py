"""Benchmark: the ingestion pipeline on a million penalty rows against two baselines.

Run (never part of the test suite)::

    make bench-ingestion
    # or: DATABASE_URL=postgres://postgres@127.0.0.1:5432/<bench db> \
    #     BENCH_N=1000000 BENCH_IE_N=100000 python bench/bench_ingestion.py

Setup (not timed): migrate, the Hainan fixtures and the published catalogue
(resource XZCF, kind ``penalty``), ``BENCH_ENTERPRISES`` (50,000) registry
entities loaded with the registry's COPY loader, then a CSV of N valid XZCF
rows written by PostgreSQL itself (``COPY (SELECT ... generate_series ...) TO
STDOUT``), every row naming one of those entities.

Measured, in the same run:

1. ``pipeline``: ``process_submission`` on the stored file, end to end (charset
   sniffing, streaming CSV parse, header mapping, the catalogue validator and
   row rules on every row, registry matching per chunk, the record store that
   is registered for kind ``penalty`` through ``get_store``, rejected/held
   rows, per-chunk checkpoint and progress). It runs in a **separate process**
   so that its peak resident memory (``ru_maxrss``) is the pipeline's alone;
   that process also reports the Python-heap peak (tracemalloc) of a
   ``BENCH_TRACE_N``-row run.
2. ``raw_copy``: ``COPY ... FROM STDIN (FORMAT csv, HEADER)`` of the same file
   into a bare table of text columns (no index, no checks): the floor.
3. ``import_export``: django-import-export 4 importing the first
   ``BENCH_IE_N`` rows through a plain ``ModelResource`` on a bare model
   (``import_id_fields`` = the decision number, like our business key);
   compared in rows per second.

Targets (issue 4): pipeline <= 3x raw COPY; >= 50x import-export's rows/s;
peak memory <= 300 MB. Prints medians and ratios; writes
``bench/results/ingestion.json``.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hainan_credit.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, models, transaction  # noqa: E402

N = int(os.environ.get("BENCH_N", "1000000"))
IE_N = min(N, int(os.environ.get("BENCH_IE_N", "100000")))
TRACE_N = min(N, int(os.environ.get("BENCH_TRACE_N", "100000")))
ENTERPRISES = int(os.environ.get("BENCH_ENTERPRISES", "50000"))
REPEATS = int(os.environ.get("BENCH_REPEATS", "1"))
COPY_REPEATS = int(os.environ.get("BENCH_COPY_REPEATS", "3"))
DEPARTMENT = os.environ.get("BENCH_DEPARTMENT", "460100-SCJG")
RESULTS = ROOT / "bench" / "results" / "ingestion.json"
WORK = ROOT / "var" / "bench"
RAW_TABLE = "bench_ingestion_raw_copy"
IE_TABLE = "bench_ingestion_ie_penalty"

# Column order of the generated file (canonical XZCF field codes as headers).
COLUMNS = [
    "CF_XDR_MC",
    "CF_XDR_LB",
    "CF_XDR_SHXYM",
    "CF_FRDB",
    "CF_WSH",
    "CF_WFXW",
    "CF_SY",
    "CF_YJ",
    "CF_CFLB",
    "CF_NR",
    "CF_NR_FK",
    "CF_JDRQ",
    "CF_CFJG",
    "CF_CFJGDM",
    "CF_ZT",
    "CF_SJLY",
    "CF_SJLYDM",
]


def authority_uscc() -> str:
    from apps.core.uscc import make_uscc

    return make_uscc("11460100MB0123457")


def setup() -> None:
    """Migrate, fixtures, catalogue, enterprises (all idempotent; not timed)."""
    from apps.catalogue.models import Resource
    from apps.enterprises.models import Enterprise
    from apps.organizations.models import Department, Region

    call_command("migrate", verbosity=0)
    if not Department.objects.filter(code=DEPARTMENT).exists():
        call_command("load_hainan_fixtures", verbosity=0)
    xzcf = Resource.objects.filter(code="XZCF").first()
    if xzcf is None or xzcf.current_version is None:
        call_command("load_catalogue", "--publish", verbosity=0)
    have = Enterprise.objects.count()
    if have < ENTERPRISES:
        from apps.enterprises.demo import DemoEnterpriseGenerator
        from apps.enterprises.loader import copy_enterprises

        region_ids = dict(Region.objects.values_list("code", "id"))
        rows = DemoEnterpriseGenerator(region_ids, seed=4204).rows(ENTERPRISES)
        with transaction.atomic():
            copy_enterprises(rows)
    print(f"registry: {Enterprise.objects.count():,} enterprises")


def generate_csv(path: Path) -> int:
    """N valid XZCF rows written by PostgreSQL; returns the file size."""
    from apps.enterprises.models import Enterprise

    authority = authority_uscc()
    table = Enterprise._meta.db_table
    # Literal SQL: only module constants and a generated code; no input.
    select = f"""
        WITH e AS (
            SELECT row_number() OVER (ORDER BY id) - 1 AS i, uscc, name, legal_representative
            FROM {table} ORDER BY id LIMIT {ENTERPRISES}
        ), n AS (SELECT count(*) AS c FROM e)
        SELECT e.name AS "CF_XDR_MC",
               '法人及非法人组织' AS "CF_XDR_LB",
               e.uscc AS "CF_XDR_SHXYM",
               e.legal_representative AS "CF_FRDB",
               '琼市监罚〔' || (2024 + g % 2) || '〕' || lpad(g::text, 7, '0') || '号' AS "CF_WSH",
               (ARRAY['未按规定公示年度报告', '销售不符合食品安全标准的食品',
                      '虚假宣传', '无照经营'])[1 + g % 4] AS "CF_WFXW",
               '经查，当事人于' || (date '2024-01-01' + (g % 600)) ||
                 '在经营场所实施上述违法行为，事实清楚，证据确凿。' AS "CF_SY",
               '《中华人民共和国食品安全法》第一百二十四条第一款' AS "CF_YJ",
               (ARRAY['罚款', '警告', '没收违法所得', '通报批评'])[1 + g % 4] AS "CF_CFLB",
               '罚款人民币' || (1 + g % 50) || '千元' AS "CF_NR",
               round((g % 5000)::numeric / 100, 2)::text AS "CF_NR_FK",
               (date '2024-01-01' + (g % 600))::text AS "CF_JDRQ",
               '海口市市场监督管理局' AS "CF_CFJG",
               '{authority}' AS "CF_CFJGDM",
               '0' AS "CF_ZT",
               '海口市市场监督管理局' AS "CF_SJLY",
               '{authority}' AS "CF_SJLYDM"
        FROM generate_series(1, {N}) AS g
        JOIN n ON true
        JOIN e ON e.i = g % n.c
        ORDER BY g
    """  # noqa: S608
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle, connection.cursor() as cursor:
        cursor.cursor.copy_expert(f"COPY ({select}) TO STDOUT WITH (FORMAT csv, HEADER)", handle)
    return path.stat().st_size


def store_submission(path: Path):
    """A received submission whose raw file is the generated CSV (copied into MEDIA_ROOT)."""
    from apps.catalogue.models import Resource
    from apps.enterprises.choices import RecordChannel
    from apps.ingestion.models import Submission, SubmissionStatus
    from apps.organizations.models import Department

    xzcf = Resource.objects.get(code="XZCF")
    name = f"submissions/bench/{path.name}"
    target = Path(settings.MEDIA_ROOT) / name
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists() or target.stat().st_size != path.stat().st_size:
        shutil.copyfile(path, target)
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    submission = Submission(
        department=Department.objects.get(code=DEPARTMENT),
        resource=xzcf,
        resource_version=xzcf.current_version,
        channel=RecordChannel.FILE,
        original_filename=path.name,
        content_type="text/csv",
        size=path.stat().st_size,
        sha256=digest.hexdigest(),
        status=SubmissionStatus.RECEIVED,
    )
    submission.raw.name = name
    submission.save()
    return submission


def empty_store() -> None:
    """Empty the registered penalty store's table, revisions and problem rows."""
    from apps.ingestion.models import HeldRow, RejectedRow
    from apps.records.models import RecordRevision
    from apps.records.registry import get_store

    store = get_store("penalty", "XZCF")
    tables = [store.model._meta.db_table, RecordRevision._meta.db_table]
    tables += [RejectedRow._meta.db_table, HeldRow._meta.db_table]
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(tables)} CASCADE")
        cursor.execute(f"VACUUM ANALYZE {store.model._meta.db_table}")


def run_pipeline_child(submission_id: int, trace: bool) -> None:
    """In the child process: run the pipeline, print JSON figures on the last line."""
    import tracemalloc

    from apps.ingestion.services import process_submission
    from apps.records.registry import get_store

    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    submission = process_submission(submission_id)
    elapsed = time.perf_counter() - started
    figures = {
        "seconds": elapsed,
        "status": submission.status,
        "error": submission.error,
        "total": submission.total,
        "created": submission.created_count,
        "rejected": submission.rejected_count,
        "held": submission.held_count,
        "store": type(get_store("penalty", "XZCF")).__name__,
        "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    if trace:
        figures["tracemalloc_peak_mb"] = tracemalloc.get_traced_memory()[1] / 1024 / 1024
    print(json.dumps(figures))


def run_pipeline(path: Path, *, trace: bool = False) -> dict:
    empty_store()
    submission = store_submission(path)
    output = subprocess.run(  # noqa: S603  (our own interpreter and script)
        [sys.executable, __file__, "--pipeline", str(submission.pk), "--trace" if trace else ""],
        check=True,
        capture_output=True,
        text=True,
        env=os.environ.copy(),
    )
    figures = json.loads(output.stdout.strip().splitlines()[-1])
    if figures["status"] != "completed":
        raise SystemExit(f"pipeline failed: {figures}")
    return figures


def run_raw_copy(path: Path) -> float:
    columns = ", ".join(f'"{c}" text' for c in COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {RAW_TABLE}")
        cursor.execute(f"CREATE TABLE {RAW_TABLE} ({columns})")
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor, path.open("rb") as handle:
        cursor.cursor.copy_expert(
            f"COPY {RAW_TABLE} FROM STDIN WITH (FORMAT csv, HEADER)", handle, size=1 << 20
        )
    elapsed = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {RAW_TABLE}")  # noqa: S608
        assert cursor.fetchone()[0] == N
        cursor.execute(f"DROP TABLE {RAW_TABLE}")
    return elapsed


def run_table_floor() -> float:
    """Seconds the store's table itself takes to take the same rows, already typed.

    The pipeline's records are copied aside, the table emptied, and the copy
    inserted back with one ``INSERT ... SELECT`` and its deferred foreign-key
    checks: every index entry and constraint check a record costs, and nothing
    else (no parsing, validation, matching, COPY rendering, upsert or history).
    No pipeline that stores these rows in this table can be faster, so this is
    the floor to read the pipeline's time against, beside raw COPY into a bare
    text table.
    """
    from apps.records.registry import get_store

    table = get_store("penalty", "XZCF").model._meta.db_table
    model = get_store("penalty", "XZCF").model
    columns = ", ".join(f'"{f.column}"' for f in model._meta.concrete_fields if not f.primary_key)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_ingestion_floor_rows")
        cursor.execute(
            f"CREATE UNLOGGED TABLE bench_ingestion_floor_rows AS "  # noqa: S608
            f"SELECT {columns} FROM {table} ORDER BY id"
        )
    empty_store()
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        cursor.execute("SET LOCAL synchronous_commit = off")
        cursor.execute(
            f"INSERT INTO {table} ({columns}) "  # noqa: S608
            f"SELECT {columns} FROM bench_ingestion_floor_rows"
        )
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    elapsed = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608
        assert cursor.fetchone()[0] == N
        cursor.execute("DROP TABLE bench_ingestion_floor_rows")
    empty_store()
    return elapsed


def bench_model():
    """A bare model for django-import-export: one text column per CSV column."""
    attrs = {
        "__module__": "apps.ingestion.models",
        "Meta": type("Meta", (), {"app_label": "ingestion", "db_table": IE_TABLE}),
    }
    for column in COLUMNS:
        attrs[column.lower()] = models.TextField(blank=True, default="")
    attrs["cf_wsh"] = models.CharField(max_length=64, unique=True)
    return type("BenchPenalty", (models.Model,), attrs)


def run_import_export(path: Path, model) -> float:
    import csv

    import tablib
    from import_export import resources

    class PenaltyResource(resources.ModelResource):
        class Meta:
            pass

    PenaltyResource.Meta.model = model
    PenaltyResource.Meta.import_id_fields = ("cf_wsh",)
    PenaltyResource.Meta.fields = [c.lower() for c in COLUMNS]
    resource_class = resources.modelresource_factory(model=model, resource_class=PenaltyResource)
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        headers = [h.lower() for h in next(reader)]
        dataset = tablib.Dataset(headers=headers)
        for index, row in enumerate(reader):
            if index >= IE_N:
                break
            dataset.append(row)
    with connection.schema_editor() as editor:
        editor.execute(f"DROP TABLE IF EXISTS {IE_TABLE}")
        editor.create_model(model)
    started = time.perf_counter()
    result = resource_class().import_data(dataset, dry_run=False, raise_errors=True)
    elapsed = time.perf_counter() - started
    assert not result.has_errors()
    assert model.objects.count() == IE_N
    with connection.schema_editor() as editor:
        editor.delete_model(model)
    return elapsed


def main() -> None:
    setup()
    path = WORK / f"xzcf_{N}.csv"
    started = time.perf_counter()
    size = generate_csv(path)
    print(f"generated {N:,} rows, {size / 1e6:.0f} MB in {time.perf_counter() - started:.1f}s")

    pipeline_runs = [run_pipeline(path) for _ in range(REPEATS)]
    for run in pipeline_runs:
        print(f"  pipeline: {run['seconds']:.1f}s, peak RSS {run['max_rss_mb']:.0f} MB, {run}")
    floor_s = run_table_floor()
    print(
        f"  table floor (INSERT of the typed rows into {pipeline_runs[0]['store']}'s table): "
        f"{floor_s:.1f}s"
    )
    traced = None
    if TRACE_N:
        trace_path = WORK / f"xzcf_trace_{TRACE_N}.csv"
        with trace_path.open("w", encoding="utf-8") as out, path.open(encoding="utf-8") as src:
            for index, line in enumerate(src):
                if index > TRACE_N:
                    break
                out.write(line)
        traced = run_pipeline(trace_path, trace=True)
        print(f"  tracemalloc run ({TRACE_N:,} rows): {traced}")
    copies = [run_raw_copy(path) for _ in range(COPY_REPEATS)]
    print(f"  raw COPY: {', '.join(f'{c:.1f}s' for c in copies)}")
    model = bench_model()
    ie_seconds = run_import_export(path, model)
    print(f"  import-export ({IE_N:,} rows): {ie_seconds:.1f}s")
    empty_store()

    pipeline_s = statistics.median(r["seconds"] for r in pipeline_runs)
    copy_s = statistics.median(copies)
    pipeline_rps = N / pipeline_s
    ie_rps = IE_N / ie_seconds
    peak_rss = max(r["max_rss_mb"] for r in pipeline_runs)
    summary = {
        "benchmark": "ingestion",
        "rows": N,
        "file_bytes": size,
        "import_export_rows": IE_N,
        "enterprises": ENTERPRISES,
        "store": pipeline_runs[0]["store"],
        "repeats": {"pipeline": REPEATS, "raw_copy": COPY_REPEATS, "import_export": 1},
        "chunk_size": __import__("apps.ingestion.services").ingestion.services.CHUNK_SIZE,
        "python": platform.python_version(),
        "postgres": connection.cursor().connection.server_version,
        "cpus": os.cpu_count(),
        "note": "shared 2-core machine: read the ratios of one run, baselines measured beside it",
        "results": {
            "pipeline": {
                "median_seconds": round(pipeline_s, 2),
                "rows_per_second": int(pipeline_rps),
                "runs_seconds": [round(r["seconds"], 2) for r in pipeline_runs],
                "peak_rss_mb": round(peak_rss, 1),
                "created": pipeline_runs[0]["created"],
                "rejected": pipeline_runs[0]["rejected"],
                "held": pipeline_runs[0]["held"],
            },
            "table_floor": {
                "seconds": round(floor_s, 2),
                "rows_per_second": int(N / floor_s),
                "what": "the pipeline's typed rows inserted back into the emptied store table "
                "with one INSERT ... SELECT, its indexes and deferred FK checks",
            },
            "raw_copy": {
                "median_seconds": round(copy_s, 2),
                "rows_per_second": int(N / copy_s),
                "runs_seconds": [round(c, 2) for c in copies],
            },
            "import_export": {
                "seconds": round(ie_seconds, 2),
                "rows": IE_N,
                "rows_per_second": int(ie_rps),
                "extrapolated_seconds_for_all_rows": round(N / ie_rps, 1),
            },
        },
        "ratios": {
            "pipeline_over_raw_copy": round(pipeline_s / copy_s, 2),
            "pipeline_over_table_floor": round(pipeline_s / floor_s, 2),
            "table_floor_over_raw_copy": round(floor_s / copy_s, 2),
            "pipeline_speedup_over_import_export": round(pipeline_rps / ie_rps, 1),
        },
        "targets": {
            "pipeline_over_raw_copy_max": 3,
            "speedup_over_import_export_min": 50,
            "peak_memory_mb_max": 300,
        },
    }
    if traced:
        summary["results"]["tracemalloc_run"] = {
            "rows": TRACE_N,
            "python_heap_peak_mb": round(traced["tracemalloc_peak_mb"], 1),
            "peak_rss_mb": round(traced["max_rss_mb"], 1),
        }
    ratios = summary["ratios"]
    print("\nmedians:")
    print(
        f"  pipeline       {pipeline_s:8.1f} s {int(pipeline_rps):>10,} rows/s  peak RSS {peak_rss:.0f} MB"
    )
    print(f"  table floor    {floor_s:8.1f} s {int(N / floor_s):>10,} rows/s")
    print(f"  raw COPY       {copy_s:8.1f} s {int(N / copy_s):>10,} rows/s")
    print(f"  import-export  {ie_seconds:8.1f} s {int(ie_rps):>10,} rows/s ({IE_N:,} rows)")
    print(
        f"  pipeline / raw COPY = x{ratios['pipeline_over_raw_copy']} (target <= 3); "
        f"speed-up over import-export = x{ratios['pipeline_speedup_over_import_export']} "
        f"(target >= 50); peak memory {peak_rss:.0f} MB (target <= 300)"
    )
    print(
        f"  table floor / raw COPY = x{ratios['table_floor_over_raw_copy']}; "
        f"pipeline / table floor = x{ratios['pipeline_over_table_floor']}"
    )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nwrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--pipeline":
        run_pipeline_child(int(sys.argv[2]), trace="--trace" in sys.argv[3:])
    else:
        main()
