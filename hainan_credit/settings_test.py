"""Test settings: the main settings with cheap hashing and local email.

The database stays the real PostgreSQL of ``DATABASE_URL`` and Celery's broker
the real Redis of ``REDIS_URL`` where given; tasks run eagerly unless a test
starts a worker itself.
"""

from __future__ import annotations

from .settings import *  # noqa: F403  (the test settings extend the real ones)

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
MEDIA_ROOT = BASE_DIR / "var" / "test-media"  # noqa: F405
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
