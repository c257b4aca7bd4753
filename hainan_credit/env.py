"""Typed readers for configuration from environment variables.

Each reader rejects malformed values with :class:`ConfigError`, whose message is
one line naming the variable and what is wrong, so that start-up fails with a
clear sentence instead of a traceback (healthchecks' ``envbool``/``envint``
idea). ``NAME_FILE`` variants read secrets from files (Docker/Kubernetes
secrets).
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import parse_qs, urlsplit


class ConfigError(Exception):
    """A configuration value is missing or malformed; the message is one line."""


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None, *, required: bool = False) -> str:
    """Return a string variable, or its ``NAME_FILE`` contents, or the default."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        try:
            return Path(file_name).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ConfigError(
                f"{name}_FILE={file_name}: cannot read the file ({exc.strerror})"
            ) from exc
    value = os.environ.get(name)
    if value is None or value == "":
        if required:
            raise ConfigError(f"{name} is required but not set (or set {name}_FILE)")
        return default if default is not None else ""
    return value


def env_bool(name: str, default: bool) -> bool:
    """Return a boolean variable; accepts 1/0, true/false, yes/no, on/off."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigError(f"{name}={raw!r} is not a boolean (use 1/0, true/false, yes/no)")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    """Return an integer variable, rejecting non-numbers and values under ``minimum``."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not an integer") from None
    if minimum is not None and value < minimum:
        raise ConfigError(f"{name}={value} must be at least {minimum}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    """Return a comma-separated list variable, blanks dropped."""
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    """Return a variable that must be one of ``choices``."""
    value = os.environ.get(name, default).strip().lower()
    if value not in choices:
        raise ConfigError(f"{name}={value!r} must be one of: {', '.join(choices)}")
    return value


def env_redis_url(name: str) -> str:
    """Return a Redis URL variable (empty when unset), refusing other schemes and bad ports."""
    value = env_str(name, "")
    if not value:
        return ""
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018  (reading it validates the port)
    except ValueError as exc:
        raise ConfigError(f"{name} is malformed ({exc}); expected redis://host:6379/0") from None
    if parts.scheme not in ("redis", "rediss", "unix"):
        raise ConfigError(
            f"{name} must start with redis://, rediss:// or unix:// "
            f"(got {parts.scheme + '://' if parts.scheme else 'no scheme'})"
        )
    if parts.scheme != "unix" and not parts.hostname:
        raise ConfigError(f"{name} names no host; expected redis://host:6379/0")
    return value


def parse_database_url(url: str, *, name: str = "DATABASE_URL") -> dict[str, object]:
    """Turn a PostgreSQL URL into Django's ``DATABASES['default']`` settings.

    The checks that matter for a clear one-line error (scheme, port, host,
    database name) are made here; the mapping itself, with %-decoding of user
    and password and typed query options (``sslmode``, ``connect_timeout``),
    is django-environ's ``Env.db_url_config``. A unix socket folder is given as
    ``?host=/path`` (django-environ does not decode a %-encoded socket path in
    the host part, see ENVIRONMENT.md); it is moved to ``HOST`` here.
    PostgreSQL is the only database this platform runs on.
    """
    import environ

    expected = "expected postgres://user:password@host:5432/dbname"
    if not url or url != url.strip() or any(ch.isspace() for ch in url):
        raise ConfigError(f"{name}={url!r} is not a URL; {expected}")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise ConfigError(f"{name} is malformed ({exc}); {expected}") from None
    if parts.scheme not in ("postgres", "postgresql", "pgsql"):
        raise ConfigError(
            f"{name} must start with postgres:// or postgresql:// "
            f"(got {parts.scheme + '://' if parts.scheme else 'no scheme'}); "
            "PostgreSQL is the only supported database"
        )
    dbname = parts.path.lstrip("/")
    if not dbname or "/" in dbname:
        raise ConfigError(f"{name} names no database; {expected}")
    query = parse_qs(parts.query, keep_blank_values=True)
    socket_dir = query.get("host", [""])[0]
    if not (parts.hostname or socket_dir):
        raise ConfigError(f"{name} names no host (give host:port, or ?host=/socket/folder)")
    if socket_dir and not socket_dir.startswith("/"):
        raise ConfigError(f"{name}: ?host= must be an absolute socket folder (got {socket_dir!r})")
    config = environ.Env.db_url_config(url)
    options = dict(config.get("OPTIONS") or {})
    options.pop("host", None)
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": config["NAME"],
        "USER": config.get("USER") or "postgres",
        "PASSWORD": config.get("PASSWORD") or "",
        "HOST": socket_dir or config.get("HOST") or "",
        "PORT": str(port or ""),
        "OPTIONS": options,
    }
