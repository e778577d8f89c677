# The scaled deployment's image: the same code as `make run`, with an external
# PostgreSQL and Elasticsearch given by DATABASE_URL and ELASTICSEARCH_URL.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=marketplace.settings.production \
    PASAR_VAR_DIR=/srv/var

WORKDIR /srv/app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
RUN useradd --system --home /srv pasar && mkdir -p /srv/var/media /srv/var/private /srv/var/static \
    && SECRET_KEY=build DATABASE_URL=postgres://build/build ALLOWED_HOSTS=build \
       python manage.py collectstatic --noinput -v0 \
    && chown -R pasar /srv/var
USER pasar
EXPOSE 8000
CMD ["gunicorn", "marketplace.wsgi", "--bind", "0.0.0.0:8000", "--workers", "4", "--threads", "4", "--access-logfile", "-"]
