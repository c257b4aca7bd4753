# Production image: gunicorn serves the web application; the same image runs
# the Celery worker and beat (see docker-compose.yml). Untested on the
# development machines (no Docker there): keep it correct by reading.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=hainan_credit.settings

WORKDIR /app

# psycopg2-binary and the other wheels need no compiler; libpq comes with it.
COPY requirements.txt ./
RUN pip install -r requirements.txt

COPY . .

# Static files are collected at build time with throw-away production values:
# collectstatic reads the settings but touches no database or broker.
RUN HAINAN_ENV=production \
    SECRET_KEY=build-only-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz \
    ALLOWED_HOSTS=build.invalid \
    DATABASE_URL=postgres://build@build.invalid:5432/build \
    python manage.py collectstatic --noinput -v 0

RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin hainan \
    && mkdir -p /app/var/media /app/var/celery \
    && chown -R hainan:hainan /app/var
USER hainan

ENV HAINAN_ENV=production \
    GUNICORN_BIND=0.0.0.0:8000 \
    FORWARDED_ALLOW_IPS=*
EXPOSE 8000

# gunicorn.conf.py (preload, workers from WEB_CONCURRENCY, logs to stdout).
CMD ["gunicorn"]
