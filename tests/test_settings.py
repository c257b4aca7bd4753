"""Bad configuration stops start-up with one clear line, never a traceback.

Each case starts a real process (``manage.py check``, ``celery``, ``gunicorn``)
with a controlled environment, as an operator would.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
GOOD_DB = "postgres://postgres@127.0.0.1:5432/hainan_credit"
# Variables that the cases below set themselves; inherited values would blur them.
CONTROLLED = (
    "DATABASE_URL",
    "REDIS_URL",
    "HAINAN_ENV",
    "SECRET_KEY",
    "SECRET_KEY_FILE",
    "ALLOWED_HOSTS",
    "DEBUG",
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
)


def run(argv: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    """Run ``argv`` in the project root with a clean configuration plus ``env``."""
    base = {k: v for k, v in os.environ.items() if k not in CONTROLLED}
    base |= {"DJANGO_SETTINGS_MODULE": "hainan_credit.settings", "DATABASE_URL": GOOD_DB}
    base |= env
    return subprocess.run(  # noqa: S603  (fixed commands of this project)
        argv, cwd=ROOT, env=base, capture_output=True, text=True, timeout=60, check=False
    )


def check(**env: str) -> subprocess.CompletedProcess[str]:
    return run([sys.executable, "manage.py", "check"], **env)


def assert_one_line(result: subprocess.CompletedProcess[str], *, code: int, mentions: str) -> None:
    lines = result.stderr.strip().splitlines()
    assert result.returncode == code, result.stderr
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("configuration error:"), lines[0]
    assert mentions in lines[0]
    assert "Traceback" not in result.stderr + result.stdout


def test_good_configuration_passes_the_check():
    result = check()
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("url", "mentions"),
    [
        ("mysql://x", "PostgreSQL is the only supported database"),
        ("postgres://:notaport/x", "malformed"),
        ("not a url", "is not a URL"),
        ("postgres://127.0.0.1:5432/", "names no database"),
        ("postgres:///hainan_credit", "names no host"),
        ("sqlite:///db.sqlite3", "PostgreSQL is the only supported database"),
    ],
)
def test_malformed_database_url_stops_with_one_line(url, mentions):
    assert_one_line(check(DATABASE_URL=url), code=2, mentions="DATABASE_URL")
    assert mentions in check(DATABASE_URL=url).stderr


def test_database_url_error_never_shows_the_password():
    result = check(DATABASE_URL="mysql://admin:s3cret-pw@db/x")
    assert result.returncode == 2
    assert "s3cret-pw" not in result.stderr


def test_production_without_secret_key_stops_with_one_line():
    result = check(HAINAN_ENV="production", ALLOWED_HOSTS="credit.example")
    assert_one_line(result, code=2, mentions="SECRET_KEY is required")


def test_production_with_a_short_secret_key_is_refused():
    result = check(HAINAN_ENV="production", ALLOWED_HOSTS="credit.example", SECRET_KEY="short")
    assert_one_line(result, code=2, mentions="at least 50 characters")


def test_production_without_allowed_hosts_is_refused():
    result = check(HAINAN_ENV="production", SECRET_KEY="k" * 20 + "-" + "z" * 40)
    assert_one_line(result, code=2, mentions="ALLOWED_HOSTS")


def test_production_with_debug_on_is_refused():
    result = check(HAINAN_ENV="production", DEBUG="1")
    assert_one_line(result, code=2, mentions="DEBUG must be off")


@pytest.mark.parametrize("url", ["http://x", "redis://:bad/0", "redis://"])
def test_malformed_redis_url_is_refused(url):
    assert_one_line(check(REDIS_URL=url), code=2, mentions="REDIS_URL")


@pytest.mark.parametrize(("name", "value"), [("DEBUG", "maybe"), ("CONN_MAX_AGE", "sixty")])
def test_malformed_scalars_are_refused(name, value):
    assert_one_line(check(**{name: value}), code=2, mentions=name)


def test_celery_worker_with_bad_configuration_prints_one_line():
    result = run([str(BIN / "celery"), "-A", "hainan_credit", "worker"], DATABASE_URL="mysql://x")
    assert_one_line(result, code=2, mentions="DATABASE_URL")


def test_gunicorn_with_bad_configuration_prints_one_line():
    # gunicorn.conf.py preloads the application in the master process.
    result = run([str(BIN / "gunicorn"), "--bind", "127.0.0.1:0"], DATABASE_URL="mysql://x")
    assert result.returncode != 0
    errors = [line for line in result.stderr.splitlines() if "configuration error" in line]
    assert errors == [
        "configuration error: DATABASE_URL must start with postgres:// or postgresql:// "
        "(got mysql://); PostgreSQL is the only supported database"
    ]
    assert "Traceback" not in result.stderr
