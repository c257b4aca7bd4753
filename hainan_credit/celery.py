"""The Celery application; tasks live in each app's ``tasks.py``.

Settings are read lazily, when Celery first needs its configuration. A bad
configuration then stops ``celery -A hainan_credit worker`` with the same
single ``configuration error:`` line and exit code 2 as ``manage.py``.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from celery import Celery

from apps.core.worker import HeartbeatStep

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hainan_credit.settings")

app = Celery("hainan_credit")


@app.on_configure.connect
def _load_django_settings(sender: Celery, **kwargs: Any) -> None:
    """Import the Django settings before Celery reads them, turning errors into one line."""
    from django.conf import settings

    from hainan_credit.env import ConfigError

    try:
        settings.INSTALLED_APPS  # noqa: B018  (first access imports the settings module)
    except ConfigError as exc:
        sys.stderr.write(f"configuration error: {exc}\n")
        raise SystemExit(2) from None


app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Every worker records a heartbeat row that /healthz reads (apps/core/worker.py).
app.steps["worker"].add(HeartbeatStep)
