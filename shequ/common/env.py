"""Settings from the environment that fail loudly on bad values."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse


class ImproperlyConfiguredEnv(ValueError):
    pass


_TRUE = {"1", "true", "on"}
_FALSE = {"0", "false", "off", ""}


def env_bool(name: str, *, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfiguredEnv(f"{name}={raw!r}: expected one of 1/0/true/false/on/off")


def env_int(name: str, *, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfiguredEnv(f"{name}={raw!r}: expected an integer") from exc


def env_float(name: str, *, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        return float(raw)
    except ValueError as exc:
        raise ImproperlyConfiguredEnv(f"{name}={raw!r}: expected a number") from exc


def env_list(name: str, *, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def database_from_url(url: str, *, base_dir: Path) -> dict[str, Any]:
    """Turn sqlite:///path or postgres://user:pw@host:port/name into a DATABASES entry."""
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        # sqlite:///relative/file or sqlite:////absolute/file
        path = url[len("sqlite:///") :]
        if not path:
            raise ImproperlyConfiguredEnv(f"DATABASE_URL={url!r}: no SQLite file path")
        db_path = Path(path) if path.startswith("/") else base_dir / path
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(db_path),
            # BEGIN IMMEDIATE: a transaction takes the single write lock when it opens, so
            # writers queue (up to the timeout) instead of reading, then failing to upgrade
            # with "database is locked"; checks then inserts are serialised (shequ.org.locks).
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
        }
    if parsed.scheme in {"postgres", "postgresql"}:
        name = parsed.path.lstrip("/")
        if not name:
            raise ImproperlyConfiguredEnv(f"DATABASE_URL={url!r}: no database name")
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": unquote(parsed.username or "postgres"),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "127.0.0.1",
            "PORT": str(parsed.port or 5432),
            "CONN_MAX_AGE": 60,
        }
    raise ImproperlyConfiguredEnv(
        f"DATABASE_URL={url!r}: scheme must be sqlite or postgres"
    )


UNSAFE_SECRET = "生产模式（SHEQU_PRODUCTION=1）拒绝启动：未设置 SHEQU_SECRET_KEY，正在使用内置的示范密钥；请设置一个至少 50 个字符的随机密钥"
SHORT_SECRET = "生产模式（SHEQU_PRODUCTION=1）拒绝启动：SHEQU_SECRET_KEY 太短（{n} 个字符），至少需要 50 个字符"
UNSAFE_DEBUG = "生产模式（SHEQU_PRODUCTION=1）拒绝启动：SHEQU_DEBUG 已打开，会向用户显示调试信息；请删除 SHEQU_DEBUG 或设为 0"
NO_HOSTS = "生产模式（SHEQU_PRODUCTION=1）拒绝启动：未设置 SHEQU_ALLOWED_HOSTS；请填写本系统的域名，多个用逗号分隔"


class UnsafeProductionSettings(ImproperlyConfiguredEnv):
    pass


def refuse_unsafe_production(*, secret_key: str, builtin_key: str, debug: bool, allowed_hosts: list[str]) -> None:
    """Every unsafe setting at once, each sentence naming its variable."""
    problems = []
    if secret_key == builtin_key:
        problems.append(UNSAFE_SECRET)
    elif len(secret_key) < 50:
        problems.append(SHORT_SECRET.format(n=len(secret_key)))
    if debug:
        problems.append(UNSAFE_DEBUG)
    if not allowed_hosts:
        problems.append(NO_HOSTS)
    if problems:
        raise UnsafeProductionSettings("\n".join(problems))


def attachments_storage_from_env(*, var_dir: Path) -> dict[str, Any]:
    """The STORAGES entry for personnel attachments (photos, scans of certificates,
    diplomas, contracts). SHEQU_ATTACHMENTS_STORAGE=file (default) keeps them in a folder
    (SHEQU_ATTACHMENTS_DIR, default var/attachments); =s3 uses any S3-compatible store
    through django-storages, installed only where it is used (`uv pip install
    django-storages[s3]`), configured by SHEQU_S3_BUCKET (required), SHEQU_S3_ENDPOINT_URL,
    SHEQU_S3_REGION, SHEQU_S3_ACCESS_KEY_ID, SHEQU_S3_SECRET_ACCESS_KEY and SHEQU_S3_PREFIX.
    Files are never served by the store directly: every download passes a scoped view."""
    kind = os.environ.get("SHEQU_ATTACHMENTS_STORAGE", "file").strip().lower()
    if kind == "file":
        location = os.environ.get("SHEQU_ATTACHMENTS_DIR") or str(var_dir / "attachments")
        return {"BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": location, "base_url": None, "file_permissions_mode": 0o640}}
    if kind == "s3":
        bucket = os.environ.get("SHEQU_S3_BUCKET", "").strip()
        if not bucket:
            raise ImproperlyConfiguredEnv("SHEQU_ATTACHMENTS_STORAGE=s3 needs SHEQU_S3_BUCKET")
        options: dict[str, Any] = {
            "bucket_name": bucket,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
            "location": os.environ.get("SHEQU_S3_PREFIX", "attachments"),
        }
        for env_name, option in (
            ("SHEQU_S3_ENDPOINT_URL", "endpoint_url"), ("SHEQU_S3_REGION", "region_name"),
            ("SHEQU_S3_ACCESS_KEY_ID", "access_key"), ("SHEQU_S3_SECRET_ACCESS_KEY", "secret_key"),
        ):
            if os.environ.get(env_name):
                options[option] = os.environ[env_name]
        return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}
    raise ImproperlyConfiguredEnv(f"SHEQU_ATTACHMENTS_STORAGE={kind!r}: expected file or s3")
