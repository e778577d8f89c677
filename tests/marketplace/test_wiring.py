import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import DatabaseError
from django.template import Context, Template
from django.utils import translation

from marketplace import embedded_db

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["id", "en"])
def test_rupiah_is_written_without_decimals_whatever_the_language(language):
    with translation.override(language):
        html = Template("{% load currency_filters %}{{ a|currency }}|{{ b|currency }}|{{ c|currency }}").render(
            Context({"a": 25000, "b": 1250000, "c": 0})
        )

    assert html == "Rp\u00a025.000|Rp\u00a01.250.000|Rp\u00a00"


def test_language_time_zone_and_currency():
    assert settings.LANGUAGE_CODE == "id"
    assert "en" in dict(settings.LANGUAGES)
    assert settings.TIME_ZONE == "Asia/Jakarta"
    assert settings.OSCAR_DEFAULT_CURRENCY == "IDR"


def test_health_check_answers_503_when_the_database_is_unreachable(client, monkeypatch):
    from django.db import connection

    def unreachable():
        raise DatabaseError("connection refused")

    monkeypatch.setattr(connection, "cursor", unreachable)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["status"] == "error"


def test_one_sign_in_opens_both_admin_areas(client):
    client.post("/admin/login/", {"username": "admin", "password": "pasar-kampung-2026"})

    assert client.get("/admin/").status_code == 200
    assert client.get("/toko/dashboard/").status_code == 200


def test_models_and_migrations_agree():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def run_manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, env=env,
        capture_output=True, text=True, timeout=120,
    )


def production_env(**overrides):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(
        DJANGO_SETTINGS_MODULE="marketplace.settings.production",
        SECRET_KEY="k" * 20 + "-production-secret-with-enough-entropy-3f9a7c1e",
        DATABASE_URL=embedded_db.database_url(),
        ALLOWED_HOSTS="pasar.siakkab.go.id",
        SITE_URL="https://pasar.siakkab.go.id",
    )
    env.update(overrides)
    return {k: v for k, v in env.items() if v is not None}


def test_production_settings_pass_the_deploy_check():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "DATABASE_URL", "SITE_URL"])
def test_production_settings_refuse_to_start_without_secrets(missing):
    result = run_manage("check", env=production_env(**{missing: None}))

    assert result.returncode != 0
    assert f"Production settings need {missing}" in result.stderr


def test_docker_compose_file_is_valid():
    import shutil

    if not shutil.which("docker-compose"):
        pytest.skip("docker-compose is not installed (make test installs it with apt-get as root)")
    result = subprocess.run(
        ["docker-compose", "config", "-q"], cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=60,
        env={"PATH": os.environ["PATH"]},
    )

    assert result.returncode == 0, result.stderr
