# One image for every Parley role: web (gunicorn), worker, sweeper, migrate.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app

# Dependencies first, so code changes don't reinstall them.
COPY pyproject.toml README.md ./
RUN mkdir -p service worker && touch service/__init__.py worker/__init__.py \
 && pip install '.[postgres]' && pip uninstall -y parley

COPY alembic.ini ./
COPY migrations ./migrations
COPY service ./service
COPY worker ./worker
RUN pip install --no-deps -e . \
 && useradd --system --uid 10001 parley
USER parley

EXPOSE 8000
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "-c", "python:service.gunicorn_conf", "service.wsgi:app"]
