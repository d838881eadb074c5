"""Django settings. Everything a deployment changes comes from the environment."""

from __future__ import annotations

import os
import warnings
from pathlib import Path

from shequ.common.env import (
    ImproperlyConfiguredEnv,
    attachments_storage_from_env,
    database_from_url,
    env_bool,
    env_float,
    env_int,
    env_list,
    refuse_unsafe_production,
)
from shequ.common.provinces import parse_provinces

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

DEBUG = env_bool("SHEQU_DEBUG", default=False)
# Production mode (make serve): refuse to start on settings that are only fit for a demo.
PRODUCTION = env_bool("SHEQU_PRODUCTION", default=False)
BUILTIN_SECRET_KEY = "shequ-insecure-development-key-change-me-in-production"
SECRET_KEY = os.environ.get("SHEQU_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and env_bool("SHEQU_REQUIRE_SECRET", default=False):
        raise RuntimeError("SHEQU_SECRET_KEY must be set in production")
    SECRET_KEY = BUILTIN_SECRET_KEY
ALLOWED_HOSTS = env_list("SHEQU_ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
if PRODUCTION:
    refuse_unsafe_production(secret_key=SECRET_KEY, builtin_key=BUILTIN_SECRET_KEY, debug=DEBUG,
                             allowed_hosts=ALLOWED_HOSTS)

# HTTPS: on by default in production, each switchable from the environment (a TLS
# terminating proxy sets X-Forwarded-Proto; SHEQU_PROXY_SSL_HEADER=1 trusts it).
SESSION_COOKIE_SECURE = env_bool("SHEQU_SECURE_COOKIES", default=PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SHEQU_SSL_REDIRECT", default=PRODUCTION)
SECURE_HSTS_SECONDS = env_int("SHEQU_HSTS_SECONDS", default=31536000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SHEQU_HSTS_SUBDOMAINS", default=PRODUCTION)
SECURE_HSTS_PRELOAD = env_bool("SHEQU_HSTS_PRELOAD", default=False)
# Asking browsers to preload HSTS binds the whole domain for years: the domain owner's call
# (SHEQU_HSTS_PRELOAD=1), so its absence is not a deployment fault.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
if env_bool("SHEQU_PROXY_SSL_HEADER", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The load balancer's health check comes over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
CSRF_FAILURE_VIEW = "shequ.web.views.csrf_failure"
CSRF_TRUSTED_ORIGINS = env_list("SHEQU_CSRF_TRUSTED_ORIGINS", default=[])
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Pages load only this site's scripts (no inline script); inline style attributes stay.
CONTENT_SECURITY_POLICY = os.environ.get(
    "SHEQU_CSP",
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'; "
    "object-src 'none'",
)

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
    "shequ.dossier",
    "shequ.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files (CSS, htmx, ECharts) are served by the app itself, debug or not.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "shequ.web.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "shequ.common.provinces.ProvinceMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "shequ.accounts.middleware.LoginRequiredMiddleware",
    "shequ.common.pii.PiiMiddleware",
    "shequ.common.middleware.ShequErrorMiddleware",
    "shequ.common.excel.CsvBesideXlsxMiddleware",
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
# Province databases (ADR 0008): SHEQU_PROVINCES="guizhou=postgres://…/guizhou,anhui=postgres://…/anhui".
# DATABASE_URL is then the national database (sessions, the ministry's users, the provinces'
# figures through postgres_fdw); every province's data lives only in its own database.
PROVINCES = parse_provinces(os.environ.get("SHEQU_PROVINCES", ""))
for _alias, _url in PROVINCES.items():
    DATABASES[_alias] = database_from_url(_url, base_dir=BASE_DIR)
# Pins a command or a worker process to one province: SHEQU_PROVINCE=guizhou manage.py …
SHEQU_PROVINCE = os.environ.get("SHEQU_PROVINCE", "")
if SHEQU_PROVINCE and SHEQU_PROVINCE not in PROVINCES:
    raise RuntimeError(f"SHEQU_PROVINCE={SHEQU_PROVINCE!r} is not one of SHEQU_PROVINCES")
DATABASE_ROUTERS = ["shequ.common.provinces.ProvinceRouter"]
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
# An office shares one address: it takes many clerks' failures, not one's, to lock it.
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("SHEQU_LOGIN_ADDRESS_FAILURE_LIMIT", default=50)
# A session ends after this many minutes without a request (each request extends it).
SESSION_COOKIE_AGE = env_int("SHEQU_SESSION_IDLE_MINUTES", default=30) * 60
SESSION_SAVE_EVERY_REQUEST = True
if SESSION_COOKIE_AGE < 60:
    raise ImproperlyConfiguredEnv("SHEQU_SESSION_IDLE_MINUTES 至少为 1")
# Staged import batches hold ID numbers: their rows are emptied this many days after upload
# (`manage.py purge_staged`, docs/data-protection.md).
STAGED_IMPORT_DAYS = env_int("SHEQU_STAGED_IMPORT_DAYS", default=7)
if STAGED_IMPORT_DAYS < 1:
    raise RuntimeError("SHEQU_STAGED_IMPORT_DAYS must be at least 1")

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # Shared by every web process (gunicorn runs several): login failure counts live here,
    # so a lockout holds whichever process answers. `manage.py createcachetable` makes it.
    "shared": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "shequ_shared_cache"},
}
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
STATIC_ROOT = Path(os.environ.get("SHEQU_STATIC_ROOT", BASE_DIR / "staticfiles"))
# Compressed copies, no manifest: pages render the same whether or not collectstatic ran.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Without collectstatic (the demo, tests) WhiteNoise serves from the apps' static folders,
# and the missing STATIC_ROOT is expected rather than worth a warning on every start.
WHITENOISE_USE_FINDERS = not PRODUCTION
if not PRODUCTION:
    warnings.filterwarnings("ignore", message="No directory at")

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
# Photos and scans of a person's papers (shequ.dossier); see docs/attachments.md.
STORAGES["attachments"] = attachments_storage_from_env(var_dir=VAR_DIR)
# Upload limits of an attachment; the page names them in its refusals.
ATTACHMENT_MAX_BYTES = env_int("SHEQU_ATTACHMENT_MAX_MB", default=10) * 1024 * 1024
if ATTACHMENT_MAX_BYTES < 1024 * 1024:
    raise RuntimeError("SHEQU_ATTACHMENT_MAX_MB must be at least 1")


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
