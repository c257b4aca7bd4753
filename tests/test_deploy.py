"""Production settings pass Django's deployment checklist without a warning."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_production_settings_pass_check_deploy():
    # DJANGO_ALLOW_ASYNC_UNSAFE is set by tests/conftest.py, never in a deployment.
    dropped = {"DEBUG", "SECRET_KEY_FILE", "HAINAN_ENV", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env |= {
        "DJANGO_SETTINGS_MODULE": "hainan_credit.settings",
        "HAINAN_ENV": "production",
        "SECRET_KEY": "x7Qp-2vLr9Kc_mN4tW8yB1sD6fH3jZ0aE5gU-oI2pR7eT9wQ4zX8cV1bN6mK3lJ",
        "ALLOWED_HOSTS": "credit.hainan.example",
        "DATABASE_URL": os.environ.get(
            "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/hainan_credit"
        ),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
