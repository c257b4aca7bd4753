"""Celery worker heartbeat: a bootstep that records that the worker is alive.

``/healthz`` cannot ask workers with a broadcast ping when the broker is the
filesystem transport (no fan-out), so each worker writes its own
:class:`~apps.core.models.WorkerHeartbeat` row every
``settings.WORKER_HEARTBEAT_SECONDS`` and ``apps.core.health.check_worker``
reads the rows back. The step is registered in ``hainan_credit/celery.py``.

The beat runs in its own thread rather than on the worker's event-loop timer:
with ``--pool=solo`` a long task blocks that loop, and a busy worker is not a
dead one. The thread closes its database connection after every beat, so no
socket is left open for a prefork child to inherit.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta
from typing import Any

from celery import bootsteps
from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone

logger = logging.getLogger(__name__)

# Rows of workers that died without a clean stop are removed after a day, by
# the next worker that starts; until then /healthz simply ignores them.
STALE_AFTER = timedelta(days=1)


def record_heartbeat(hostname: str, started_at: datetime) -> None:
    """Upsert the heartbeat row of ``hostname`` with ``last_seen`` = now.

    Liveness bookkeeping, not a business change: no audit event is written.
    """
    from apps.core.models import WorkerHeartbeat

    WorkerHeartbeat.objects.update_or_create(
        hostname=hostname,
        defaults={"last_seen": timezone.now(), "started_at": started_at},
    )


def prune_heartbeats(older_than: timedelta = STALE_AFTER) -> int:
    """Delete rows of workers not seen for ``older_than`` (died without a clean stop)."""
    from apps.core.models import WorkerHeartbeat

    deleted, _ = WorkerHeartbeat.objects.filter(last_seen__lt=timezone.now() - older_than).delete()
    return deleted


def forget_heartbeat(hostname: str) -> None:
    """Delete the heartbeat row of ``hostname`` (the worker stops cleanly)."""
    from apps.core.models import WorkerHeartbeat

    WorkerHeartbeat.objects.filter(hostname=hostname).delete()


class HeartbeatStep(bootsteps.StartStopStep):
    """Worker bootstep writing a heartbeat row at start and every N seconds.

    On a clean stop the row is deleted, so ``/healthz`` turns 503 at once
    instead of after three missed beats.
    """

    label = "Database heartbeat"

    def __init__(self, parent: Any, **kwargs: Any) -> None:
        super().__init__(parent, **kwargs)
        self.interval = float(getattr(settings, "WORKER_HEARTBEAT_SECONDS", 10))
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._hostname = ""
        self._started_at = timezone.now()

    def start(self, parent: Any) -> None:
        """Prune day-old rows, beat once now, then start the beating thread."""
        self._hostname = parent.hostname
        self._started_at = timezone.now()
        self._stop.clear()
        try:
            prune_heartbeats()
        except Exception:  # housekeeping only; the beat below reports real trouble
            logger.warning("could not prune old worker heartbeats", exc_info=True)
        self._beat()
        self._thread = threading.Thread(target=self._run, name="worker-heartbeat", daemon=True)
        self._thread.start()

    def stop(self, parent: Any) -> None:
        """Stop the thread and remove this worker's row."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=self.interval + 5)
            self._thread = None
        try:
            forget_heartbeat(self._hostname)
        except Exception:  # the database may be the reason the worker stops
            logger.warning("could not remove the heartbeat of %s", self._hostname, exc_info=True)
        finally:
            connection.close()

    # A warm shutdown calls stop(), a cold one (or the test worker) terminate().
    terminate = stop

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self._beat()
        connection.close()

    def _beat(self) -> None:
        close_old_connections()
        try:
            record_heartbeat(self._hostname, self._started_at)
        except Exception:  # a missed beat is what /healthz reports; keep beating
            logger.warning("worker heartbeat failed for %s", self._hostname, exc_info=True)
        finally:
            # Never leave a connection open in this thread (see module docstring).
            connection.close()
