"""WSGI entry point (gunicorn ``hainan_credit.wsgi``)."""

from __future__ import annotations

import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hainan_credit.settings")

from hainan_credit.env import ConfigError  # noqa: E402

try:
    from django.core.wsgi import get_wsgi_application

    application = get_wsgi_application()
except ConfigError as exc:
    sys.stderr.write(f"configuration error: {exc}\n")
    # 3 is gunicorn's "worker failed to boot": the master stops instead of
    # forking new workers forever (gunicorn.conf.py preloads, so normally
    # the master itself exits here).
    raise SystemExit(3) from None
