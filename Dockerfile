# Saylau: one image for the web app, the Celery worker and Celery beat (see docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# Pango for weasyprint's PDFs; harfbuzz-subset makes font subsetting fast.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system saylau \
    && useradd --system --gid saylau --home-dir /app --no-create-home --shell /usr/sbin/nologin saylau

WORKDIR /app

# Only what the application needs: .dockerignore keeps out .venv/, var/ (local database files),
# .env, the tests and the benchmarks, so a new app's directory comes in without being named here.
COPY . .

# The production install: no `[dev]` extra (the embedded development servers, test tools).
RUN pip install .

# Static files go into the image, hashed and compressed for whitenoise. Settings refuse to load
# without a secret, a database and a broker, so placeholders are given: nothing connects to them.
RUN DEBUG=false \
    SECRET_KEY=collectstatic-only \
    PUBLIC_BASE_URL=https://collectstatic.invalid \
    DATABASE_URL=postgres://build@localhost/build \
    REDIS_URL=redis://localhost:6379/0 \
    python manage.py collectstatic --no-input \
    && mkdir -p var/media var/private \
    && chown -R saylau:saylau var

USER saylau

EXPOSE 8000

# The web process; docker-compose.yml runs migrations first and gives the worker and beat their
# own commands. config/gunicorn.conf.py bounds the threads and so the database connections.
ENV WEB_BIND=0.0.0.0:8000 WEB_ACCESS_LOG=-
CMD ["gunicorn", "-c", "config/gunicorn.conf.py", "config.wsgi:application"]
