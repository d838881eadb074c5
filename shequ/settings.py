"""Django settings. Everything a deployment changes comes from the environment."""

from __future__ import annotations

import os
from pathlib import Path

from shequ.common.env import (
    attachments_storage_from_env,
    database_from_url,
    env_bool,
    env_int,
    env_list,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

DEBUG = env_bool("SHEQU_DEBUG", default=False)
SECRET_KEY = os.environ.get("SHEQU_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and env_bool("SHEQU_REQUIRE_SECRET", default=False):
        raise RuntimeError("SHEQU_SECRET_KEY must be set in production")
    SECRET_KEY = "shequ-insecure-development-key-change-me-in-production"
ALLOWED_HOSTS = env_list("SHEQU_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "shequ.common",
    "shequ.accounts",
    "shequ.org",
    "shequ.workers",
    "shequ.policy",
    "shequ.quota",
    "shequ.recruitment",
    "shequ.pay",
    "shequ.assessment",
    "shequ.growth",
    "shequ.insights",
    "shequ.dossier",
    "shequ.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "shequ.accounts.middleware.LoginRequiredMiddleware",
    "shequ.common.pii.PiiMiddleware",
]

ROOT_URLCONF = "shequ.urls"
WSGI_APPLICATION = "shequ.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "shequ.web.context.navigation",
            ],
            # Every page names policies, checks capabilities and masks ID numbers: no {% load %}.
            "builtins": [
                "shequ.policy.templatetags.policy_names", "shequ.accounts.templatetags.capabilities",
                "shequ.common.templatetags.pii", "shequ.common.templatetags.listing",
            ],
        },
    }
]

_default_db = f"sqlite:///{VAR_DIR / 'shequ.sqlite3'}"
DATABASES = {
    "default": database_from_url(
        os.environ.get("DATABASE_URL", _default_db), base_dir=BASE_DIR
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if env_bool("SHEQU_FAST_HASHER", default=False):
    # Tests only: argon2 is deliberately slow.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
LOGIN_FAILURE_LIMIT = env_int("SHEQU_LOGIN_FAILURE_LIMIT", default=5)
LOGIN_FAILURE_WINDOW_SECONDS = env_int("SHEQU_LOGIN_FAILURE_WINDOW", default=900)
# Staged import batches hold ID numbers: their rows are emptied this many days after upload
# (`manage.py purge_staged`, docs/data-protection.md).
STAGED_IMPORT_DAYS = env_int("SHEQU_STAGED_IMPORT_DAYS", default=7)
if STAGED_IMPORT_DAYS < 1:
    raise RuntimeError("SHEQU_STAGED_IMPORT_DAYS must be at least 1")

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
# The product speaks Chinese whatever the browser asks for.
LANGUAGES = [("zh-hans", "简体中文")]
FORMAT_MODULE_PATH = ["shequ.formats"]
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(VAR_DIR / "files")}},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    # Photos and scans of a person's papers (shequ.dossier); see docs/attachments.md.
    "attachments": attachments_storage_from_env(var_dir=VAR_DIR),
}
# Upload limits of an attachment; the page names them in its refusals.
ATTACHMENT_MAX_BYTES = env_int("SHEQU_ATTACHMENT_MAX_MB", default=10) * 1024 * 1024
if ATTACHMENT_MAX_BYTES < 1024 * 1024:
    raise RuntimeError("SHEQU_ATTACHMENT_MAX_MB must be at least 1")

TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024

# Policy presets shipped with the code.
POLICY_DIR = BASE_DIR / "policies"
DEFAULT_POLICY = os.environ.get("SHEQU_DEFAULT_POLICY", "baohe")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
