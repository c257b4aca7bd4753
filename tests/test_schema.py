"""The OpenAPI schema of every endpoint validates without a warning."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def test_openapi_schema_validates_without_warnings(tmp_path):
    schema = tmp_path / "openapi.yaml"
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="hainan_credit.settings")
    result = subprocess.run(  # noqa: S603  (our own manage.py)
        [
            sys.executable,
            "manage.py",
            "spectacular",
            "--validate",
            "--fail-on-warn",
            "--file",
            str(schema),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    document = yaml.safe_load(schema.read_text(encoding="utf-8"))
    assert document["openapi"].startswith("3.")
    assert any(path.startswith("/api/v1/") for path in document["paths"])
