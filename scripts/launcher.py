#!/usr/bin/env python3
"""One launcher behind the Makefile: set up, run, test and benchmark the platform.

Usage: ``python3 scripts/launcher.py {setup|run|test|bench|lint|clean|clean-db} [args]``
(the Makefile targets call it; README.md says what each does).

It runs in two stages. The first uses only the standard library of the
system Python (3.11 or newer): it creates ``.venv`` and installs
``requirements-dev.txt`` into it, again only when a requirements file has
changed (a stamp file keeps their hash). It then re-executes itself with the
virtualenv's Python, which can import pgserver, psycopg2 and the project.

The second stage finds the database: ``DATABASE_URL`` when set, otherwise an
embedded PostgreSQL from PyPI (pgserver) with its data under ``var/pgdata``.
It migrates, loads the Hainan fixtures, the demo accounts and demo
enterprises, and then serves (``run``), tests (``test``) or benchmarks
(``bench``). Every process it starts gets its own process group, and
Ctrl-C or SIGTERM stops them all, and the embedded PostgreSQL if this run
started it.

The file is not called ``platform.py``: run as a script, that name would
shadow the standard library's ``platform`` module, which pgserver imports.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import unicodedata
import urllib.error
import urllib.request
import warnings
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
VENV_PYTHON = VENV / "bin" / "python"
STAMP = VENV / ".requirements-stamp"
REQUIREMENTS = (ROOT / "requirements.txt", ROOT / "requirements-dev.txt")
VAR = ROOT / "var"
PGDATA = VAR / "pgdata"
EMBEDDED_DB_NAME = "hainan_credit"
MIN_PYTHON = (3, 11)
IN_VENV_FLAG = "HAINAN_LAUNCHER_STAGE2"

# Data loaded by setup: (command, arguments), each idempotent. Other apps own
# the commands. Under HAINAN_ENV=production only the regions and departments
# are loaded: the catalogue there is maintained by administrators, and demo
# people and enterprises have no place in it.
SETUP_COMMANDS: tuple[tuple[str, ...], ...] = (
    ("load_hainan_fixtures",),
    ("load_catalogue", "--publish"),
    ("create_demo_accounts",),
    ("generate_demo_enterprises", "2000", "--seed", "20261128", "--if-empty"),
    # Each app's own demo data (``demo_<label>`` commands, idempotent).
    ("load_demo_data",),
)
PAGES = (
    ("平台首页 Home", "/"),
    ("公示门户 Portal", "/portal/"),
    ("登录 Login", "/accounts/login/"),
    ("健康检查 Health", "/healthz"),
    ("管理后台 Admin", "/admin/"),
    ("API 文档 API docs", "/api/docs/"),
)


def say(message: str) -> None:
    """Print one launcher line, flushed so it interleaves with child output."""
    print(f"==> {message}", flush=True)


def fail(message: str, code: int = 1) -> None:
    """Print one error line and exit."""
    print(f"error: {message}", file=sys.stderr, flush=True)
    raise SystemExit(code)


# --------------------------------------------------------------------------
# Stage 1: standard library only.
# --------------------------------------------------------------------------


def check_python() -> None:
    """Refuse a Python older than 3.11 with a sentence, not a syntax error."""
    if sys.version_info < MIN_PYTHON:
        fail(
            f"Python {MIN_PYTHON[0]}.{MIN_PYTHON[1]} or newer is needed, this is "
            f"{sys.version.split()[0]} ({sys.executable}); install it and run "
            "`make run PYTHON=python3.11`"
        )


def requirements_hash() -> str:
    """Hash of the requirements files and the interpreter version."""
    digest = hashlib.sha256(sys.version.encode())
    for path in REQUIREMENTS:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def ensure_venv() -> None:
    """Create ``.venv`` and install the dependencies when they changed."""
    if not VENV_PYTHON.exists():
        say(f"creating the virtualenv {VENV.relative_to(ROOT)} with {sys.executable}")
        try:
            subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        except subprocess.CalledProcessError:
            fail(
                "could not create the virtualenv; on Debian/Ubuntu install the venv "
                "module first: apt-get install python3-venv"
            )
    wanted = requirements_hash()
    if STAMP.exists() and STAMP.read_text().strip() == wanted:
        return
    say("installing dependencies from requirements-dev.txt (first run or requirements changed)")
    pip = [str(VENV_PYTHON), "-m", "pip", "--disable-pip-version-check"]
    result = subprocess.run(
        [*pip, "install", "--quiet", "-r", str(ROOT / "requirements-dev.txt")], check=False
    )
    if result.returncode != 0:
        fail("pip could not install requirements-dev.txt (see the messages above)")
    STAMP.write_text(wanted + "\n")


def in_venv() -> bool:
    """True when this process is the virtualenv's interpreter."""
    return Path(sys.prefix).resolve() == VENV.resolve()


# --------------------------------------------------------------------------
# Stage 2: inside the virtualenv.
# --------------------------------------------------------------------------


class Launcher:
    """Stage 2: the database, the set-up commands and the processes started."""

    def __init__(self) -> None:
        self.children: list[tuple[str, subprocess.Popen[bytes]]] = []
        self.embedded_started_here = False
        self.stopping = False
        self.env = dict(os.environ)
        # DJANGO_SETTINGS_MODULE is left alone: manage.py, wsgi and celery.py
        # default to hainan_credit.settings, and pytest must keep
        # pyproject.toml's hainan_credit.settings_test (an environment value
        # would override it).
        self.env["PYTHONUNBUFFERED"] = "1"
        # The project root on the path for bench/ scripts and subprocesses.
        self.env["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(ROOT), self.env.get("PYTHONPATH", "")) if p
        )

    # -- database ----------------------------------------------------------

    def ensure_database(self) -> None:
        """Use DATABASE_URL, or start the embedded PostgreSQL and point DATABASE_URL at it."""
        url = self.env.get("DATABASE_URL", "").strip()
        if url:
            say("database: DATABASE_URL from the environment")
            self.create_database_if_missing(url)
            return
        socket_dir = self.start_embedded_postgres()
        url = f"postgresql://postgres:@/{EMBEDDED_DB_NAME}?host={socket_dir}"
        self.env["DATABASE_URL"] = url
        self.create_database_if_missing(url)
        say(
            f"database: embedded PostgreSQL, data in {PGDATA.relative_to(ROOT)}, socket {socket_dir}"
        )

    def start_embedded_postgres(self) -> str:
        """Start (or reuse) pgserver's PostgreSQL 16 with data in var/pgdata."""
        warnings.filterwarnings("ignore", module="platformdirs")
        import pgserver
        from pgserver.utils import PostmasterInfo

        VAR.mkdir(exist_ok=True)
        running = PGDATA.exists() and _postmaster_running(PostmasterInfo, PGDATA)
        if not running:
            say("starting the embedded PostgreSQL (pgserver)")
        try:
            server = pgserver.get_server(PGDATA, cleanup_mode=None)
        except Exception as exc:
            log = PGDATA / "log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            fail(f"the embedded PostgreSQL did not start ({exc}); its log ends with:\n{tail}")
        self.embedded_started_here = not running
        return str(server.get_postmaster_info().socket_dir)

    def stop_embedded_postgres(self) -> None:
        """Stop the embedded PostgreSQL (as the user that runs it)."""
        from pgserver._commands import pg_ctl

        user = "pgserver" if os.geteuid() == 0 else None
        try:
            pg_ctl(["-w", "-m", "fast", "stop"], pgdata=PGDATA, user=user, timeout=30)
            say("embedded PostgreSQL stopped")
        except Exception as exc:  # already stopped, or stopping failed: say which
            say(f"embedded PostgreSQL not stopped ({exc.__class__.__name__})")

    def create_database_if_missing(self, url: str) -> None:
        """Create the database named by ``url`` on its server when it does not exist."""
        import psycopg2
        from psycopg2 import sql

        sys.path.insert(0, str(ROOT))
        from hainan_credit.env import ConfigError, parse_database_url

        try:
            cfg = parse_database_url(url)
        except ConfigError as exc:
            fail(f"configuration error: {exc}", code=2)
        params: dict[str, Any] = {
            "user": cfg["USER"],
            "password": cfg["PASSWORD"],
            "host": cfg["HOST"],
            "connect_timeout": 10,
            **cfg["OPTIONS"],
        }
        if cfg["PORT"]:
            params["port"] = cfg["PORT"]
        where = f"PostgreSQL at {cfg['HOST']}:{cfg['PORT'] or 5432}"
        # Try the database itself first: a managed server may not let this
        # user into the maintenance database "postgres".
        try:
            psycopg2.connect(dbname=cfg["NAME"], **params).close()
            return
        except psycopg2.OperationalError as exc:
            if "does not exist" not in str(exc):
                fail(f"cannot connect to {where}: {_first_line(exc)}")
        try:
            conn = psycopg2.connect(dbname="postgres", **params)
        except psycopg2.OperationalError as exc:
            fail(f"cannot connect to {where} to create {cfg['NAME']}: {_first_line(exc)}")
        conn.autocommit = True
        try:
            with conn.cursor() as cur:
                say(f"creating database {cfg['NAME']}")
                cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(cfg["NAME"])))
        finally:
            conn.close()

    # -- set-up ------------------------------------------------------------

    def manage(self, *args: str, capture: bool = False) -> subprocess.CompletedProcess[str]:
        """Run ``manage.py`` with the launcher's environment."""
        return subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), *args],
            cwd=ROOT,
            env=self.env,
            text=True,
            capture_output=capture,
            check=False,
        )

    def setup(self, *, quiet_accounts: bool = False) -> str:
        """Folders, database, migrations and demo data; returns the demo-accounts output.

        ``quiet_accounts`` holds back the accounts table for ``run``'s banner.
        """
        for folder in (
            VAR / "celery" / "queue",
            VAR / "celery" / "processed",
            VAR / "celery" / "results",
            VAR / "celery" / "control",
            VAR / "media",
            ROOT / "staticfiles",
            ROOT / "bench" / "results",
        ):
            folder.mkdir(parents=True, exist_ok=True)
        check = self.manage("check", "--fail-level", "ERROR", capture=True)
        if check.returncode != 0:
            sys.stderr.write(check.stderr or check.stdout)
            raise SystemExit(check.returncode)
        self.ensure_database()
        say("migrating")
        if self.manage("migrate", "--noinput", "-v", "0").returncode != 0:
            fail("manage.py migrate failed (see above)")
        accounts_output = ""
        production = self.env.get("HAINAN_ENV", "").strip().lower() == "production"
        for command, *args in SETUP_COMMANDS:
            if production and command != "load_hainan_fixtures":
                say(f"HAINAN_ENV=production: manage.py {command} skipped (development data)")
                continue
            say(f"manage.py {command} {' '.join(args)}".rstrip())
            result = self.manage(command, *args, capture=True)
            if not (quiet_accounts and command == "create_demo_accounts"):
                sys.stdout.write(result.stdout)
            sys.stderr.write(result.stderr)
            if result.returncode != 0:
                fail(f"manage.py {command} failed (exit {result.returncode})")
            if command == "create_demo_accounts":
                accounts_output = result.stdout
        if production:
            say("collecting static files (production serves only collected files)")
            if self.manage("collectstatic", "--noinput", "-v", "0").returncode != 0:
                fail("manage.py collectstatic failed")
        return accounts_output

    # -- processes ---------------------------------------------------------

    def spawn(self, name: str, argv: list[str]) -> subprocess.Popen[bytes]:
        """Start a child in its own process group (so the group can be stopped)."""
        proc = subprocess.Popen(argv, cwd=ROOT, env=self.env, start_new_session=True)
        self.children.append((name, proc))
        return proc

    def stop_children(self) -> None:
        """SIGTERM each child (it stops its own workers), wait, then SIGKILL its group."""
        for name, proc in self.children:
            if proc.poll() is None:
                say(f"stopping {name}")
                with contextlib.suppress(ProcessLookupError):
                    proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 20
        for _name, proc in self.children:
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            # Whatever remains of the group (e.g. prefork children) goes too.
            _signal_group(proc, signal.SIGKILL)
            if proc.poll() is None:
                proc.wait()

    def shutdown(self) -> None:
        """Stop the children, then the embedded PostgreSQL if this run started it."""
        if self.stopping:
            return
        self.stopping = True
        self.stop_children()
        if self.embedded_started_here:
            self.stop_embedded_postgres()

    def install_signal_handlers(self) -> None:
        """Turn SIGINT and SIGTERM into a clean shutdown (KeyboardInterrupt)."""

        def handler(signum: int, _frame: object) -> None:
            raise KeyboardInterrupt

        signal.signal(signal.SIGINT, handler)
        signal.signal(signal.SIGTERM, handler)

    # -- commands ----------------------------------------------------------

    def cmd_setup(self, _args: list[str]) -> int:
        """Set up everything without serving."""
        try:
            self.setup()
        finally:
            self.shutdown()
        say("set-up complete")
        return 0

    def cmd_run(self, _args: list[str]) -> int:
        """Set up, then serve the web application and the Celery worker until stopped."""
        self.install_signal_handlers()
        try:
            port = int(self.env.get("PORT", "8000"))
        except ValueError:
            fail(f"PORT={self.env.get('PORT')!r} is not a port number")
        if not _port_free(port):
            fail(
                f"port {port} on 127.0.0.1 is in use; stop that server or run `make run PORT=8001`"
            )
        try:
            accounts = self.setup(quiet_accounts=True)
            debug = _env_true(
                self.env.get("DEBUG"), default=self.env.get("HAINAN_ENV") != "production"
            )
            bin_dir = Path(sys.executable).parent
            if debug:
                web = [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}"]
            else:
                # gunicorn.conf.py: preload, workers (WEB_CONCURRENCY), logs.
                web = [str(bin_dir / "gunicorn"), "--bind", f"127.0.0.1:{port}"]
            worker = [
                str(bin_dir / "celery"),
                "-A",
                "hainan_credit",
                "worker",
                "-B",
                "--pool=prefork",
                "--concurrency=2",
                "--loglevel=INFO",
                "--hostname=worker@%h",
            ]
            say(
                f"starting the web server ({'runserver, DEBUG' if debug else 'gunicorn'}) on port {port}"
            )
            self.spawn("web server", web)
            say(
                "starting the Celery worker with embedded beat ("
                + (
                    "Redis broker"
                    if self.env.get("REDIS_URL")
                    else "filesystem broker under var/celery"
                )
                + ")"
            )
            self.spawn("Celery worker", worker)
            health = self.wait_healthy(port)
            self.print_banner(port, health, accounts)
            while True:
                for name, proc in self.children:
                    if proc.poll() is not None:
                        fail(f"the {name} exited (code {proc.returncode}); stopping everything")
                time.sleep(1)
        except KeyboardInterrupt:
            print(flush=True)
            say("stopping (Ctrl-C)")
            return 0
        finally:
            self.shutdown()

    def wait_healthy(self, port: int, timeout: float = 60) -> str:
        """Poll /healthz until it answers 200 (or the time is up); return the status."""
        url = f"http://127.0.0.1:{port}/healthz"
        deadline = time.monotonic() + timeout
        status = "not answering"
        while time.monotonic() < deadline:
            for name, proc in self.children:
                if proc.poll() is not None:
                    fail(f"the {name} exited during start-up (code {proc.returncode})")
            try:
                with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310  (our own loopback URL)
                    return f"{response.status} ok"
            except urllib.error.HTTPError as exc:
                status = f"{exc.code} (worker or broker not up yet)"
            except OSError:
                status = "not answering yet"
            time.sleep(1)
        return status

    def print_banner(self, port: int, health: str, accounts: str) -> None:
        """Print the URLs, the health status and the demo accounts."""
        base = f"http://127.0.0.1:{port}"
        lines = ["", "=" * 72, "海南省企业信用信息公示平台 is running", ""]
        lines += [f"  {_pad(label, 20)} {base}{path}" for label, path in PAGES]
        lines += ["", f"  /healthz answered: {health}", ""]
        if accounts.strip():
            lines += [accounts.rstrip(), ""]
        else:
            lines += ["No demo accounts in production mode.", ""]
        lines += [
            "Press Ctrl-C to stop the web server, the worker and the embedded database.",
            "=" * 72,
        ]
        print("\n".join(lines), flush=True)

    def cmd_test(self, args: list[str]) -> int:
        """Set up, then run the whole suite with pytest -n 2; exit 5 (no tests) is a failure."""
        self.install_signal_handlers()
        try:
            self.setup()
            argv = [
                sys.executable,
                "-m",
                "pytest",
                "-n",
                self.env.get("PYTEST_WORKERS", "2"),
                "-rfEs",  # list failures, errors and skips (with reasons) at the end
                *args,
            ]
            say("running the test suite: " + " ".join(argv[1:]))
            code = subprocess.run(argv, cwd=ROOT, env=self.env, check=False).returncode
        except KeyboardInterrupt:
            return 130
        finally:
            self.shutdown()
        if code == 5:
            say("pytest collected no tests: that is a failure")
            return 1
        return code

    def cmd_bench(self, args: list[str]) -> int:
        """Run every benchmark ``bench/bench_<name>.py`` (or the named ones).

        Benchmarks may empty and refill tables, so they run on a database of
        their own on the same server (``<database>_bench``), migrated and with
        the Hainan fixtures loaded; the ``make run`` data is never touched.
        """
        found = {p.stem.removeprefix("bench_"): p for p in (ROOT / "bench").glob("bench_*.py")}
        names = sorted(found)
        if args:
            wanted = [name.removeprefix("bench_").removesuffix(".py") for name in args]
            missing = [name for name in wanted if name not in found]
            if missing:
                fail(
                    f"no benchmark named {', '.join(missing)} in bench/ "
                    f"(known: {', '.join(names) or 'none'})"
                )
            names = wanted
        if not names:
            say("no benchmarks (bench/bench_<name>.py) yet")
            return 0
        self.install_signal_handlers()
        failed: list[str] = []
        try:
            self.ensure_database()
            self.env["DATABASE_URL"] = _with_database(self.env["DATABASE_URL"], "_bench")
            self.create_database_if_missing(self.env["DATABASE_URL"])
            say("benchmark database: migrating and loading the Hainan fixtures")
            for command in (("migrate", "--noinput", "-v", "0"), ("load_hainan_fixtures",)):
                if self.manage(*command, capture=True).returncode != 0:
                    fail(f"manage.py {command[0]} failed on the benchmark database")
            (ROOT / "bench" / "results").mkdir(parents=True, exist_ok=True)
            env = {"DJANGO_SETTINGS_MODULE": "hainan_credit.settings", **self.env}
            for name in names:
                say(f"benchmark {name} (figures in bench/results/{name}.json)")
                code = subprocess.run(
                    [sys.executable, str(found[name])], cwd=ROOT, env=env, check=False
                ).returncode
                if code != 0:
                    failed.append(name)
        except KeyboardInterrupt:
            return 130
        finally:
            self.shutdown()
        if failed:
            say(f"failed benchmarks: {', '.join(failed)}")
            return 1
        return 0

    def cmd_clean_db(self, _args: list[str]) -> int:
        """Stop the embedded PostgreSQL and delete its data (var/pgdata)."""
        if not PGDATA.exists():
            say("no embedded database to delete")
            return 0
        from pgserver.utils import PostmasterInfo

        if _postmaster_running(PostmasterInfo, PGDATA):
            self.stop_embedded_postgres()
        shutil.rmtree(PGDATA)
        say(f"deleted {PGDATA.relative_to(ROOT)}")
        return 0


def _with_database(url: str, suffix: str) -> str:
    """``url`` with ``suffix`` appended to its database name (query kept)."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=parts.path.rstrip("/") + suffix))


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else exc.__class__.__name__


def _postmaster_running(info_cls: Any, pgdata: Path) -> bool:
    info = info_cls.read_from_pgdata(pgdata)
    return info is not None and info.is_running()


def _signal_group(proc: subprocess.Popen[bytes], signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signum)


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _pad(text: str, width: int) -> str:
    """Left-justify ``text`` to ``width`` terminal columns (CJK characters take two)."""
    columns = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(0, width - columns)


def _env_true(value: str | None, *, default: bool) -> bool:
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def clean() -> int:
    """Delete caches and generated files; never the database (see clean-db)."""
    targets = [
        ROOT / ".pytest_cache",
        ROOT / ".ruff_cache",
        ROOT / ".hypothesis",
        ROOT / "staticfiles",
        VAR / "celery",
        VAR / "test-media",
    ]
    targets += [p for p in ROOT.rglob("__pycache__") if ".venv" not in p.parts]
    for target in targets:
        if target.exists():
            shutil.rmtree(target, ignore_errors=True)
    say("removed caches, collected static files and the Celery spool (database and .venv kept)")
    return 0


COMMANDS = {
    "setup": "cmd_setup",
    "run": "cmd_run",
    "test": "cmd_test",
    "bench": "cmd_bench",
    "clean-db": "cmd_clean_db",
}


def main(argv: list[str]) -> int:
    """Dispatch ``argv[0]`` after making sure the virtualenv exists."""
    if not argv or argv[0] not in {*COMMANDS, "lint", "clean"}:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    command, args = argv[0], argv[1:]
    check_python()
    if command == "clean":
        return clean()
    ensure_venv()
    if not in_venv():
        if os.environ.get(IN_VENV_FLAG):
            fail(f"{VENV_PYTHON} does not run inside {VENV}; delete .venv and try again")
        env = dict(os.environ, **{IN_VENV_FLAG: "1"})
        os.execve(str(VENV_PYTHON), [str(VENV_PYTHON), __file__, *argv], env)  # noqa: S606  (stage 2: the same script in .venv)
    os.chdir(ROOT)
    if command == "lint":
        ruff = str(Path(sys.executable).parent / "ruff")
        first = subprocess.run([ruff, "check", "."], check=False).returncode
        second = subprocess.run([ruff, "format", "--check", "."], check=False).returncode
        return first or second
    launcher = Launcher()
    return getattr(launcher, COMMANDS[command])(args)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
