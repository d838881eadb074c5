"""Django settings. Everything a deployment changes comes from the environment."""

from __future__ import annotations

import os
from pathlib import Path

from shequ.common.env import (
    ImproperlyConfiguredEnv,
    database_from_url,
    env_bool,
    env_float,
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
    "django_tasks_db",
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
    "shequ.jobs",
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

# Background work (pay runs, publishing, imports): `database` queues jobs in the database
# for `manage.py db_worker` (make demo and make serve start one); `immediate` runs them in
# the request, which tests use.
_TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
_tasks = os.environ.get("SHEQU_TASKS", "immediate")
if _tasks not in _TASK_BACKENDS:
    raise ImproperlyConfiguredEnv(f"SHEQU_TASKS={_tasks!r}: 应为 immediate 或 database")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[_tasks], "QUEUES": ["default"]}}
# A running job that has reported no progress for this long lost its worker.
TASK_STALE_SECONDS = env_int("SHEQU_TASK_STALE_SECONDS", default=300)
# Seconds to pause after each progress step: only for watching progress or for tests.
TASK_STEP_PAUSE = env_float("SHEQU_TASK_STEP_PAUSE", default=0.0)

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
