"""Where attachments are kept comes from the environment (docs/attachments.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from shequ.common.env import ImproperlyConfiguredEnv, attachments_storage_from_env


def test_by_default_attachments_are_kept_in_a_folder_under_var(monkeypatch):
    for name in ("SHEQU_ATTACHMENTS_STORAGE", "SHEQU_ATTACHMENTS_DIR"):
        monkeypatch.delenv(name, raising=False)
    conf = attachments_storage_from_env(var_dir=Path("/srv/shequ/var"))
    assert conf["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert conf["OPTIONS"]["location"] == "/srv/shequ/var/attachments"
    assert conf["OPTIONS"]["base_url"] is None  # never a public URL: downloads pass the scoped view


def test_an_s3_compatible_store_is_configured_from_the_environment(monkeypatch):
    monkeypatch.setenv("SHEQU_ATTACHMENTS_STORAGE", "s3")
    monkeypatch.setenv("SHEQU_S3_BUCKET", "shequ-files")
    monkeypatch.setenv("SHEQU_S3_ENDPOINT_URL", "https://minio.example.internal:9000")
    monkeypatch.setenv("SHEQU_S3_ACCESS_KEY_ID", "key")
    monkeypatch.setenv("SHEQU_S3_SECRET_ACCESS_KEY", "secret")
    conf = attachments_storage_from_env(var_dir=Path("/x"))
    assert conf["BACKEND"] == "storages.backends.s3.S3Storage"
    options = conf["OPTIONS"]
    assert options["bucket_name"] == "shequ-files" and options["endpoint_url"] == "https://minio.example.internal:9000"
    assert options["access_key"] == "key" and options["secret_key"] == "secret"
    assert options["default_acl"] == "private" and options["file_overwrite"] is False


def test_s3_without_a_bucket_is_refused_at_start(monkeypatch):
    monkeypatch.setenv("SHEQU_ATTACHMENTS_STORAGE", "s3")
    monkeypatch.delenv("SHEQU_S3_BUCKET", raising=False)
    with pytest.raises(ImproperlyConfiguredEnv, match="SHEQU_S3_BUCKET"):
        attachments_storage_from_env(var_dir=Path("/x"))


def test_an_unknown_storage_kind_is_refused(monkeypatch):
    monkeypatch.setenv("SHEQU_ATTACHMENTS_STORAGE", "ftp")
    with pytest.raises(ImproperlyConfiguredEnv):
        attachments_storage_from_env(var_dir=Path("/x"))
