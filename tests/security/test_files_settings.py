"""Where files live and who serves them: private files have no URL anywhere, and
production never serves media through Django."""

import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from marketplace.files import PrivateStorage
from marketplace.settings.base import BASE_DIR
from marketplace.checkout.models import Checkout

PRODUCTION_ENV = {"SECRET_KEY": "test-only", "DATABASE_URL": "postgres://u:p@db.invalid/x", "ALLOWED_HOSTS": "pasar.test",
                  "SITE_URL": "https://pasar.test"}


def production_settings(**env):
    """What marketplace.settings.production decides, read in a fresh interpreter."""
    code = ("import marketplace.settings.production as s; "
            "print(s.STORAGES['default']['BACKEND'], s.SERVE_MEDIA, s.PRIVATE_MEDIA_ROOT)")
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "SERVE_MEDIA", "MEDIA_BUCKET"))}
    return subprocess.run([sys.executable, "-c", code], env={**clean, **PRODUCTION_ENV, **env},
                          capture_output=True, text=True, timeout=120, cwd=BASE_DIR)


def test_production_refuses_to_serve_media_through_django():
    result = production_settings(SERVE_MEDIA="true")

    assert result.returncode != 0 and "SERVE_MEDIA must be off in production" in result.stderr


def test_production_serves_media_from_object_storage_when_a_bucket_is_set():
    plain = production_settings()
    bucket = production_settings(AWS_STORAGE_BUCKET_NAME="pasar-media")

    assert plain.returncode == 0 and plain.stdout.split()[:2] == ["django.core.files.storage.FileSystemStorage", "False"]
    assert bucket.returncode == 0, bucket.stderr
    assert bucket.stdout.split()[:2] == ["storages.backends.s3.S3Storage", "False"]


def test_production_refuses_private_files_inside_public_media(tmp_path):
    result = production_settings(MEDIA_ROOT=str(tmp_path), PRIVATE_MEDIA_ROOT=str(tmp_path / "private"))

    assert result.returncode != 0 and "PRIVATE_MEDIA_ROOT must lie outside MEDIA_ROOT" in result.stderr


def test_private_files_have_no_url(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    storage = Checkout._meta.get_field("payment_proof").storage

    assert isinstance(storage, PrivateStorage)
    with pytest.raises(ValueError):
        storage.url("bukti-transfer/x.png")
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "media" / "private"
    with pytest.raises(ImproperlyConfigured):
        storage.path("bukti-transfer/x.png")
