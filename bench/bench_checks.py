"""Benchmark: the joint-punishment check API on 3,000,000 entities and 1,000,000 list entries.

Run (never part of the test suite)::

    make bench-checks
    # or: DATABASE_URL=postgres://postgres@127.0.0.1:5432/<bench db> python bench/bench_checks.py
    # smaller: BENCH_ENTITIES=300000 BENCH_ENTRIES=100000 python bench/bench_checks.py

1. Generates the data in SQL (``generate_series``; kept between runs, topped up
   when missing): entities ``91460100000000001`` + check character ...; every third entity has a
   list entry (abnormal, serious, court list in turn; one in five removed).
2. **Batch check** of 1,000 USCCs (990 registered, 5 malformed, 5 unknown),
   ``BENCH_BATCHES`` times with fresh random codes:
   ``service``  = :func:`apps.joint_punishment.checks.check_for` (the one check
   statement, the set-based log insert, the per-item errors);
   ``request``  = the whole Django request in-process (token authentication,
   JSON parsing and rendering) = the server time; ``http`` = the same through
   gunicorn (client round trip). Target: server time <= 100 ms.
3. **Single-check requests/s** under gunicorn with 2 workers (``CONN_MAX_AGE``
   60), against a trivial DRF view with the same authentication, parser and
   middleware, measured in the same run: ``BENCH_ROUNDS`` rounds of
   ``BENCH_SECONDS`` each, both back to back in every round (alternating which
   goes first), with wrk when installed (else a Python client with threads);
   the figure is the median of the per-round ratios. Target: >= 0.7x trivial.

Prints medians and ratios; writes ``bench/results/checks.json``. The machine
is shared: figures are taken under whatever load other work puts on it.

When gunicorn imports this file (``bench_checks:application``) it serves the
project's URLs plus the trivial view at ``/bench/trivial/``.
"""

from __future__ import annotations

import json
import os
import platform
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

# absolute(), not resolve(): the file may be reached through a symlinked checkout.
ROOT = Path(__file__).absolute().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hainan_credit.settings")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("CONN_MAX_AGE", "60")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.urls import include, path  # noqa: E402
from django.utils import timezone  # noqa: E402
from rest_framework.request import Request  # noqa: E402
from rest_framework.response import Response  # noqa: E402
from rest_framework.views import APIView  # noqa: E402


class TrivialView(APIView):
    """The baseline: same authentication, permission, parser and renderer; no work."""

    def post(self, request: Request) -> Response:
        return Response({"ok": True, "n": len(request.data)})


urlpatterns = [
    path("bench/trivial/", TrivialView.as_view()),
    path("", include("hainan_credit.urls")),
]

if __name__ != "__main__":
    # Imported by gunicorn: serve the project plus the trivial view.
    settings.ROOT_URLCONF = __name__
    from django.core.wsgi import get_wsgi_application

    application = get_wsgi_application()


ENTITIES = int(os.environ.get("BENCH_ENTITIES", "3000000"))
ENTRIES = int(os.environ.get("BENCH_ENTRIES", "1000000"))
BATCH = 1000
BATCHES = int(os.environ.get("BENCH_BATCHES", "30"))
WARMUP = int(os.environ.get("BENCH_WARMUP", "3"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "6"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "4"))
RESULTS = ROOT / "bench" / "results" / "checks.json"
PREFIX = "9146010"
NAME = "基准测试企业"
# GB 32100 weights 3^(k-1) mod 31 and alphabet, for valid check characters in SQL.
WEIGHTS = [pow(3, k, 31) for k in range(17)]
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def code(i: int) -> str:
    """The valid USCC of bench entity ``i`` (17 digits plus its GB 32100 check character)."""
    from apps.core.uscc import uscc_check_char

    body = f"{PREFIX}{i:010d}"
    return body + uscc_check_char(body)


def generate() -> dict[str, float]:
    """Top the bench data up to ENTITIES entities and ENTRIES entries, in SQL."""
    from django.core.management import call_command
    from django.db import connection

    from apps.joint_punishment.models import ListType
    from apps.organizations.models import Department, Region

    call_command("migrate", verbosity=0)
    if not Department.objects.exists():
        call_command("load_hainan_fixtures", verbosity=0)
    region = Region.objects.get(code="460100")
    department = Department.objects.get(code="460100-SCJG")
    types = [ListType.objects.get(code=c).pk for c in ("JYYC", "YZWF", "SXBZXR")]
    timings: dict[str, float] = {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM enterprises_enterprise WHERE name LIKE %s", [NAME + "%"]
        )
        have = cursor.fetchone()[0]
        if have < ENTITIES:
            started = time.perf_counter()
            cursor.execute(
                """
                INSERT INTO enterprises_enterprise
                    (uscc, uscc_status, registration_number, organization_code, name, entity_type,
                     legal_representative, capital_currency, established_on, status,
                     registration_authority, region_id, address, business_scope, industry_code,
                     search_terms, created_at, updated_at)
                SELECT b.body || substr(%(alphabet)s::text, ((31 - c.total %% 31) %% 31 + 1)::int, 1),
                       'valid', '', '', %(name)s || b.i, 'company', '', 'CNY',
                       DATE '2015-01-01' + (b.i %% 3000), 'active', '', %(region)s, '', '', '',
                       '', now(), now()
                FROM (SELECT i, %(prefix)s || lpad(i::text, 10, '0') AS body
                      FROM generate_series(%(low)s, %(high)s) AS i) b
                CROSS JOIN LATERAL (
                    SELECT sum(substr(b.body, k, 1)::int * (%(weights)s::int[])[k]) AS total
                    FROM generate_series(1, 17) AS k
                ) c
                """,
                {
                    "prefix": PREFIX,
                    "name": NAME,
                    "alphabet": ALPHABET,
                    "weights": WEIGHTS,
                    "region": region.pk,
                    "low": have + 1,
                    "high": ENTITIES,
                },
            )
            timings["generate_entities_s"] = time.perf_counter() - started
        cursor.execute(
            "SELECT count(*) FROM joint_punishment_listentry WHERE resource_code = 'BENCH'"
        )
        entries = cursor.fetchone()[0]
        if entries < ENTRIES:
            started = time.perf_counter()
            # Entry k (1-based) lists entity 3k; list type by k mod 3; one in five removed.
            cursor.execute(
                """
                INSERT INTO joint_punishment_listentry
                    (enterprise_id, subject_kind, subject_uscc, subject_name, department_id,
                     channel, resource_code, resource_version, business_key, decision_date,
                     received_at, created_at, updated_at, list_type_id, listing_authority,
                     listing_document, listed_on, listing_reason, removal_authority,
                     removal_document, removed_on, removal_reason, "values")
                SELECT e.id, 'organization', e.uscc, e.name, %(dept)s, 'exchange', 'BENCH', 1,
                       'B' || k, d.listed_on, now(), now(), now(),
                       (%(types)s::bigint[])[1 + k %% 3], '海口市市场监督管理局',
                       '琼基准〔2025〕' || k || '号', d.listed_on, '基准测试',
                       CASE WHEN k %% 5 = 0 THEN '海口市市场监督管理局' ELSE '' END, '',
                       CASE WHEN k %% 5 = 0 THEN d.listed_on + 200 END, '', '{}'::jsonb
                FROM generate_series(%(low)s, %(high)s) AS k
                JOIN enterprises_enterprise e ON e.name = %(name)s || (3 * k)
                CROSS JOIN LATERAL (SELECT DATE '2019-01-01' + (k %% 2400) AS listed_on) d
                """,
                {
                    "dept": department.pk,
                    "types": types,
                    "low": entries + 1,
                    "high": ENTRIES,
                    "name": NAME,
                },
            )
            timings["generate_entries_s"] = time.perf_counter() - started
        # What autovacuum does in production: statistics and the visibility map.
        cursor.execute("VACUUM (ANALYZE) enterprises_enterprise")
        cursor.execute("VACUUM (ANALYZE) joint_punishment_listentry")
        cursor.execute("TRUNCATE joint_punishment_checklog")
    return timings


def batch_codes(rng: random.Random) -> list[str]:
    codes = [code(i) for i in rng.sample(range(1, ENTITIES + 1), BATCH - 10)]
    codes += ["9146010012", "91460100B00000000X", "12345", "not-a-code", "9.1310E+17"]
    # Well-formed codes of entities that are not registered.
    codes += [code(ENTITIES + 1 + rng.randrange(10**6)) for _ in range(5)]
    rng.shuffle(codes)
    return codes


def token() -> tuple[str, object]:
    from apps.organizations.models import Department
    from apps.organizations.services import create_api_token

    # Housing and construction (line ZJ) implements bidding and building measures.
    department = Department.objects.get(code="460100-ZJ")
    _token, key = create_api_token(department, name="基准测试", actor=None)
    return key, department


def measure_batches(key: str) -> dict[str, list[float]]:
    from django.db import connection, transaction
    from django.test import Client

    from apps.joint_punishment.checks import CHECK_SQL, check_for
    from apps.organizations.models import ApiToken
    from apps.organizations.tokens import DepartmentSystem, hash_key

    rng = random.Random(2026)
    api_token = ApiToken.objects.select_related("department").get(key_hash=hash_key(key))
    principal = DepartmentSystem(token=api_token, department=api_token.department)
    client = Client(HTTP_AUTHORIZATION=f"Token {key}")
    times: dict[str, list[float]] = {"service_ms": [], "request_ms": [], "listed_share": []}
    for _ in range(WARMUP):
        check_for(principal, batch_codes(rng), purpose="预热", channel="api")
    for _ in range(BATCHES):
        codes = batch_codes(rng)
        started = time.perf_counter()
        result = check_for(principal, codes, purpose="基准测试", channel="api")
        times["service_ms"].append((time.perf_counter() - started) * 1000)
        times["listed_share"].append(sum(1 for i in result.items if i.lists) / BATCH)
        body = json.dumps({"usccs": batch_codes(rng), "purpose": "基准测试"})
        started = time.perf_counter()
        response = client.post(
            "/api/v1/joint-punishment/check/", body, content_type="application/json"
        )
        times["request_ms"].append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.content[:300]
    codes = batch_codes(rng)
    params = {
        "codes": codes,
        "pre_errors": [""] * len(codes),
        "line": "ZJ",
        "on": timezone.localdate(),
        "now": timezone.now(),
        "batch": uuid.uuid4(),
        "department": None,
        "user": None,
        "actor": "explain",
        "channel": "api",
        "purpose": "explain",
    }
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT TEXT) " + CHECK_SQL, params)
        times["plan"] = [row[0] for row in cursor.fetchall()]
        transaction.set_rollback(True)
    return times


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(port: int) -> subprocess.Popen:
    env = {**os.environ, "DEBUG": "false", "CONN_MAX_AGE": "60"}
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--pythonpath",
            f"{ROOT / 'bench'},{ROOT}",
            "--log-level",
            "warning",
            "bench_checks:application",
        ],
        # Not the project root: its gunicorn.conf.py logs every request to stdout.
        cwd=ROOT / "bench",
        env=env,
        start_new_session=True,
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)  # noqa: S310
            return process
        except urllib.error.HTTPError:
            # Any answer means the server is up (503: no Celery worker heartbeat here).
            return process
        except OSError:
            time.sleep(0.5)
    os.killpg(process.pid, signal.SIGTERM)
    raise RuntimeError("gunicorn did not start")


def post(url: str, key: str, body: bytes) -> bytes:
    request = urllib.request.Request(  # noqa: S310
        url,
        data=body,
        headers={"Authorization": f"Token {key}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return response.read()


WRK_SCRIPT = """
local codes = {%s}
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Token %s"
request = function()
  local body = '{"uscc":"' .. codes[math.random(#codes)] .. '","purpose":"bench"}'
  return wrk.format(nil, nil, nil, body)
end
"""


def rate_wrk(url: str, key: str, codes: list[str]) -> float:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT % (",".join(f'"{c}"' for c in codes), key))
    try:
        out = subprocess.run(
            ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "-s", script.name, url],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        os.unlink(script.name)
    non2xx = [line for line in out.splitlines() if "Non-2xx" in line]
    if non2xx:
        raise RuntimeError(f"{url}: {non2xx[0]}")
    line = next(line for line in out.splitlines() if line.startswith("Requests/sec"))
    return float(line.split()[1])


def rate_threads(url: str, key: str, codes: list[str]) -> float:
    count = [0]
    stop = time.time() + SECONDS
    lock = threading.Lock()

    def worker(seed: int) -> None:
        rng = random.Random(seed)
        done = 0
        while time.time() < stop:
            body = json.dumps({"uscc": rng.choice(codes), "purpose": "bench"}).encode()
            post(url, key, body)
            done += 1
        with lock:
            count[0] += done

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(CONNECTIONS)]
    started = time.time()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return count[0] / (time.time() - started)


def measure_http(key: str) -> dict[str, object]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    process = start_gunicorn(port)
    rng = random.Random(7)
    codes = [code(i) for i in rng.sample(range(1, ENTITIES + 1), 2000)]
    rate = rate_wrk if shutil.which("wrk") else rate_threads
    results: dict[str, object] = {"client": "wrk" if rate is rate_wrk else "python threads"}
    try:
        check_url, trivial_url = f"{base}/api/v1/joint-punishment/check/", f"{base}/bench/trivial/"
        # Warm both workers (connections, token look-up, code paths).
        for _ in range(20):
            post(check_url, key, json.dumps({"uscc": codes[0], "purpose": "warm"}).encode())
            post(trivial_url, key, b'{"uscc": "x"}')
        http_batch = []
        for _ in range(max(5, BATCHES // 3)):
            body = json.dumps({"usccs": batch_codes(rng), "purpose": "基准测试"}).encode()
            started = time.perf_counter()
            post(check_url, key, body)
            http_batch.append((time.perf_counter() - started) * 1000)
        results["batch_http_ms"] = http_batch
        # Short rounds, alternating which goes first: the shared machine's load
        # drifts, so each round's ratio compares neighbouring measurements.
        checks, trivials = [], []
        for round_number in range(ROUNDS):
            if round_number % 2:
                checks.append(rate(check_url, key, codes))
                trivials.append(rate(trivial_url, key, codes))
            else:
                trivials.append(rate(trivial_url, key, codes))
                checks.append(rate(check_url, key, codes))
        results["single_check_rps"] = checks
        results["trivial_rps"] = trivials
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    return results


def main() -> None:
    print(f"entities {ENTITIES:,}, list entries {ENTRIES:,}; generating what is missing ...")
    generation = generate()
    for name, value in generation.items():
        print(f"  {name}: {value:.1f}")
    key, _department = token()
    load_before = os.getloadavg()
    batches = measure_batches(key)
    http = measure_http(key)
    load_after = os.getloadavg()
    median = statistics.median
    server_ms = median(batches["request_ms"])
    checks_runs, trivial_runs = http["single_check_rps"], http["trivial_rps"]
    check_rps, trivial_rps = median(checks_runs), median(trivial_runs)
    # The median of the per-round ratios (each round measures both, back to back).
    round_ratio = median(c / t for c, t in zip(checks_runs, trivial_runs, strict=True))
    summary = {
        "benchmark": "checks",
        "note": "shared 2-core machine, other work running: figures taken under load",
        "cpu_count": os.cpu_count(),
        "load_average_before": [round(v, 2) for v in load_before],
        "load_average_after": [round(v, 2) for v in load_after],
        "entities": ENTITIES,
        "list_entries": ENTRIES,
        "batch_size": BATCH,
        "batches": BATCHES,
        "python": platform.python_version(),
        "postgres": django.db.connection.cursor().connection.server_version,
        "generation_seconds": {k: round(v, 1) for k, v in generation.items()},
        "batch_check": {
            "server_time_median_ms": round(server_ms, 1),
            "server_time_p25_ms": round(statistics.quantiles(batches["request_ms"], n=4)[0], 1),
            "server_time_min_ms": round(min(batches["request_ms"]), 1),
            "warmup_batches_discarded": WARMUP,
            "service_median_ms": round(median(batches["service_ms"]), 1),
            "http_round_trip_median_ms": round(median(http["batch_http_ms"]), 1),
            "target_ms": 100,
            "meets_target": server_ms <= 100,
            "listed_share": round(median(batches["listed_share"]), 3),
            "request_runs_ms": [round(v, 1) for v in batches["request_ms"]],
            "service_runs_ms": [round(v, 1) for v in batches["service_ms"]],
            "plan": batches["plan"],
        },
        "single_check": {
            "client": http["client"],
            "gunicorn_workers": 2,
            "connections": CONNECTIONS,
            "seconds_per_round": SECONDS,
            "check_rps_median": round(check_rps, 1),
            "trivial_drf_rps_median": round(trivial_rps, 1),
            "ratio_of_medians": round(check_rps / trivial_rps, 3),
            "ratio_to_trivial": round(round_ratio, 3),
            "round_ratios": [
                round(c / t, 3) for c, t in zip(checks_runs, trivial_runs, strict=True)
            ],
            "target_ratio": 0.7,
            "meets_target": round_ratio >= 0.7,
            "check_rps_runs": [round(v, 1) for v in http["single_check_rps"]],
            "trivial_rps_runs": [round(v, 1) for v in http["trivial_rps"]],
        },
    }
    batch, single = summary["batch_check"], summary["single_check"]
    print(f"\nload average {load_before[0]:.1f} -> {load_after[0]:.1f} on {os.cpu_count()} CPUs")
    print(
        f"batch check of {BATCH}: server time median {batch['server_time_median_ms']} ms "
        f"(service {batch['service_median_ms']} ms, via gunicorn "
        f"{batch['http_round_trip_median_ms']} ms); target <= 100 ms"
    )
    print(
        f"single check: {single['check_rps_median']} req/s vs trivial DRF view "
        f"{single['trivial_drf_rps_median']} req/s; median per-round ratio "
        f"x{single['ratio_to_trivial']} "
        f"(target >= 0.7; {single['client']}, 2 gunicorn workers)"
    )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
