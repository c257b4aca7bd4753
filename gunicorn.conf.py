"""gunicorn settings, read automatically when gunicorn starts in the project root.

``preload_app``: the application (and so the settings) loads once in the
master, before any worker forks. A configuration error then stops gunicorn
with the single ``configuration error:`` line of hainan_credit/wsgi.py
instead of an endless loop of workers that fail to boot.
"""

from __future__ import annotations

import os

wsgi_app = "hainan_credit.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
preload_app = True
accesslog = "-"
errorlog = "-"
# Behind a reverse proxy: generous for slow clients, bounded for stuck requests.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
