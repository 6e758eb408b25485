"""SurveyHub settings: everything from environment variables, with safe defaults.

No DATABASE_URL → SQLite file in the project folder; no CELERY_BROKER_URL →
tasks run in-process. See README.md "Configuration" for the full list.
"""

import os
import tempfile
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from surveyhub.env import env_bool, env_dates, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", False)
# Demo mode (set by `make run`) prints demo logins; never set it in production.
DEMO_MODE = env_bool("SURVEYHUB_DEMO", False)

# The key signs sessions, invitation and unsubscribe links and keys the suppression list: with
# DEBUG off (production) start-up stops unless it is set, to a value other than this public one.
_INSECURE_DEV_KEY = "django-insecure-surveyhub-development-key-never-use-in-production"
SECRET_KEY = env_str("DJANGO_SECRET_KEY", "")
if not SECRET_KEY.strip() or SECRET_KEY == _INSECURE_DEV_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set (or is empty, or the public development key), and "
            "DJANGO_DEBUG is off: set DJANGO_SECRET_KEY to a long random secret, e.g. the output "
            "of `python -c 'import secrets; print(secrets.token_urlsafe(50))'`, or set "
            "DJANGO_DEBUG=1 for development."
        )
    SECRET_KEY = _INSECURE_DEV_KEY

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SURVEYHUB_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "surveyhub.apps.SurveyHubConfig",
    "surveys.apps.SurveysConfig",
    "feedback.apps.FeedbackConfig",
    "analytics.apps.AnalyticsConfig",
    # After our apps, so that our translations win where a msgid is shared ("Filter").
    "surveyhub.apps.SurveyHubAdminConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "surveyhub.security.headers.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "surveyhub.urls"
WSGI_APPLICATION = "surveyhub.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Database: DATABASE_URL (postgres://user@host:5432/name) or the embedded SQLite file.
_SQLITE_PATH = env_str("SURVEYHUB_SQLITE_PATH", str(BASE_DIR / "db.sqlite3"))
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{_SQLITE_PATH}",
        conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default serves several respondents at once (threads of runserver, the
    # in-process scheduler): WAL lets readers run beside the one writer; IMMEDIATE takes the
    # write lock at BEGIN, so two transactions never deadlock upgrading a read lock (SQLite
    # answers that at once with "database is locked", without waiting); a writer waits up
    # to the busy timeout for the lock (what still fails is retried: surveyhub/tasking/locks.py).
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("SURVEYHUB_SQLITE_TIMEOUT", 20),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # Tests on SQLite use a file, as the product does, not Django's shared in-memory database:
    # there every request thread of the browser tests' live server shares the test's single
    # connection, and a page whose scripts fetch several APIs at once stalled the suite.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"surveyhub-test-{os.getpid()}.sqlite3")
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "staff-home"
LOGOUT_REDIRECT_URL = "login"

# Staff log-in throttling and API tokens (surveyhub/login_throttle.py, api_tokens.py) -------
# Failed log-ins are counted per username (any log-in form) and per client address (log-in
# forms and unknown API keys together) within the window; reaching a limit locks that
# username or address for the lock-out time (HTTP 429 / a form error). Locks are listed and
# lifted in the admin or with `manage.py login_lockouts`.
AUTHENTICATION_BACKENDS = ["surveyhub.security.login_throttle.ThrottledModelBackend"]
SURVEYHUB_LOGIN_FAILURES_PER_USERNAME = env_int("SURVEYHUB_LOGIN_FAILURES_PER_USERNAME", 5)
SURVEYHUB_LOGIN_FAILURES_PER_IP = env_int("SURVEYHUB_LOGIN_FAILURES_PER_IP", 20)
SURVEYHUB_LOGIN_FAILURE_WINDOW_MINUTES = env_int("SURVEYHUB_LOGIN_FAILURE_WINDOW_MINUTES", 15)
SURVEYHUB_LOGIN_LOCKOUT_MINUTES = env_int("SURVEYHUB_LOGIN_LOCKOUT_MINUTES", 15)
if min(SURVEYHUB_LOGIN_FAILURES_PER_USERNAME, SURVEYHUB_LOGIN_FAILURES_PER_IP,
       SURVEYHUB_LOGIN_FAILURE_WINDOW_MINUTES, SURVEYHUB_LOGIN_LOCKOUT_MINUTES) < 1:  # fmt: skip
    raise ImproperlyConfigured("SURVEYHUB_LOGIN_* settings must be at least 1.")
# -----------------------------------------------------------------------------------------

# Chinese first: zh-Hans by default, English complete.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("SURVEYHUB_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True
DEFAULT_CURRENCY = env_str("SURVEYHUB_CURRENCY", "CNY")

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    ("vendor/chart.js", BASE_DIR / "node_modules" / "chart.js" / "dist"),
    # WeChat's JS-SDK (jweixin 1.6), served from our origin inside WeChat only.
    ("vendor/weixin-js-sdk", BASE_DIR / "node_modules" / "weixin-js-sdk"),
    # SortableJS: drag-and-drop order of questions in the survey builder.
    ("vendor/sortablejs", BASE_DIR / "node_modules" / "sortablejs"),
]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("SURVEYHUB_MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Email: console in development, SMTP when EMAIL_HOST is set.
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
# The console and file backends write whole messages (case replies, invitation links: personal
# data) to the log or disk, and deliver nothing: development only. With DEBUG off, start-up stops.
if not DEBUG and EMAIL_BACKEND.rsplit(".", 2)[-2:-1] in (["console"], ["filebased"]):
    raise ImproperlyConfigured(
        f"DJANGO_DEBUG is off and email would go to {EMAIL_BACKEND}, which writes whole "
        "messages (personal data) to the log or disk and delivers nothing: set EMAIL_HOST (and "
        "EMAIL_PORT, EMAIL_HOST_USER, …) to send through SMTP, or EMAIL_BACKEND="
        "django.core.mail.backends.dummy.EmailBackend to send no email at all."
    )
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "SurveyHub <noreply@surveyhub.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Distribution: no customer is invited more than once in this many days, across all surveys.
SURVEYHUB_CONTACT_CAP_DAYS = env_int("SURVEYHUB_CONTACT_CAP_DAYS", 30)
# Relationship analytics (README "Churn risk and lifecycle stages"): churn = no order within
# this many days; lifecycle thresholds in days, risks in percent.
SURVEYHUB_CHURN_HORIZON_DAYS = env_int("SURVEYHUB_CHURN_HORIZON_DAYS", 90)
SURVEYHUB_LIFECYCLE_NEW_DAYS = env_int("SURVEYHUB_LIFECYCLE_NEW_DAYS", 90)
SURVEYHUB_LIFECYCLE_LOST_DAYS = env_int("SURVEYHUB_LIFECYCLE_LOST_DAYS", 365)
SURVEYHUB_LIFECYCLE_LOST_RISK_PCT = env_int("SURVEYHUB_LIFECYCLE_LOST_RISK_PCT", 95)
SURVEYHUB_LIFECYCLE_DECLINING_RISK_PCT = env_int("SURVEYHUB_LIFECYCLE_DECLINING_RISK_PCT", 70)
SURVEYHUB_LIFECYCLE_DECLINING_GAP_RATIO = env_int("SURVEYHUB_LIFECYCLE_DECLINING_GAP_RATIO", 2)
if min(SURVEYHUB_CHURN_HORIZON_DAYS, SURVEYHUB_LIFECYCLE_NEW_DAYS, SURVEYHUB_LIFECYCLE_LOST_DAYS,
       SURVEYHUB_LIFECYCLE_DECLINING_GAP_RATIO) < 1 or not (
    0 < SURVEYHUB_LIFECYCLE_DECLINING_RISK_PCT <= SURVEYHUB_LIFECYCLE_LOST_RISK_PCT <= 100
):  # fmt: skip
    raise ImproperlyConfigured(
        "SURVEYHUB_CHURN_HORIZON_DAYS and SURVEYHUB_LIFECYCLE_* days must be at least 1, and "
        "0 < SURVEYHUB_LIFECYCLE_DECLINING_RISK_PCT <= SURVEYHUB_LIFECYCLE_LOST_RISK_PCT <= 100."
    )
# Case SLAs in business hours: public holidays off, and the weekend days worked in their place
# (调休), as comma-separated dates, e.g. "2026-10-01,2026-10-02" and "2026-09-27".
SURVEYHUB_SLA_HOLIDAYS = env_dates("SURVEYHUB_SLA_HOLIDAYS")
SURVEYHUB_SLA_EXTRA_WORKDAYS = env_dates("SURVEYHUB_SLA_EXTRA_WORKDAYS")
# How often new responses are handed to their listeners (feedback analysis, case rules).
# Every second: at 300 submits/s a 5 s tick made bursts of 1,500 responses that the submits
# queued behind (bench/load.py: p99 723 → 210–319 ms, submit → case p95 5.0 → 1.2 s).
SURVEYHUB_ANNOUNCE_SECONDS = env_int("SURVEYHUB_ANNOUNCE_SECONDS", 1)
# The response outbox: responses per sweep, and how a failing listener is re-driven
# (first retry after ANNOUNCE_RETRY_SECONDS, doubling, at most 6 h apart; after
# ANNOUNCE_MAX_ATTEMPTS tries the response is shown to Admins as failed and they are emailed).
SURVEYHUB_ANNOUNCE_BATCH = env_int("SURVEYHUB_ANNOUNCE_BATCH", 5000)
SURVEYHUB_ANNOUNCE_RETRY_SECONDS = env_int("SURVEYHUB_ANNOUNCE_RETRY_SECONDS", 30)
SURVEYHUB_ANNOUNCE_MAX_ATTEMPTS = env_int("SURVEYHUB_ANNOUNCE_MAX_ATTEMPTS", 10)
# Largest purchase/customer file accepted for import (CSV or XLSX).
SURVEYHUB_IMPORT_MAX_UPLOAD_MB = env_int("SURVEYHUB_IMPORT_MAX_UPLOAD_MB", 200)
# Upload limits (issue #9; checks in surveyhub/file_checks.py): rows of an imported file, and
# how much an .xlsx may unpack to. A multipart request larger than the upload limit is
# answered 413 from its Content-Length, before the body is read (CSRF checks read it early).
SURVEYHUB_IMPORT_MAX_ROWS = env_int("SURVEYHUB_IMPORT_MAX_ROWS", 5_000_000)
SURVEYHUB_IMPORT_MAX_UNPACKED_MB = env_int("SURVEYHUB_IMPORT_MAX_UNPACKED_MB", 1024)
# An import of at least this many rows ends with VACUUM (ANALYZE) of the purchase and customer
# tables on PostgreSQL: the dashboard's plans must not wait for autovacuum.
SURVEYHUB_IMPORT_ANALYZE_ROWS = env_int("SURVEYHUB_IMPORT_ANALYZE_ROWS", 10_000)
MIDDLEWARE.append("surveyhub.security.upload_limits.UploadSizeLimitMiddleware")
# NUL characters in query strings and API bodies: a clear 400, not a database error.
MIDDLEWARE.append("surveyhub.security.nul_guard.RejectNulCharactersMiddleware")
# Invitations go out in batches of this size, at most this many emails a minute.
SURVEYHUB_EMAIL_BATCH_SIZE = env_int("SURVEYHUB_EMAIL_BATCH_SIZE", 50)
SURVEYHUB_EMAILS_PER_MINUTE = env_int("SURVEYHUB_EMAILS_PER_MINUTE", 600)
# After this many temporary SMTP failures an invitation is marked failed.
SURVEYHUB_EMAIL_MAX_ATTEMPTS = env_int("SURVEYHUB_EMAIL_MAX_ATTEMPTS", 5)
if min(SURVEYHUB_EMAIL_BATCH_SIZE, SURVEYHUB_EMAILS_PER_MINUTE, SURVEYHUB_EMAIL_MAX_ATTEMPTS) < 1:
    raise ImproperlyConfigured(
        "SURVEYHUB_EMAIL_BATCH_SIZE, SURVEYHUB_EMAILS_PER_MINUTE and "
        "SURVEYHUB_EMAIL_MAX_ATTEMPTS must be at least 1."
    )

# WeChat official account (surveys/channels/wechat/): unset → share cards only, no JS-SDK
# config and no OAuth identity. The base URLs ("" → WeChat's own, used only once an account
# is configured: surveys/channels/wechat/client.py); tests point them at a local fake.
SURVEYHUB_WECHAT_APP_ID = env_str("SURVEYHUB_WECHAT_APP_ID", "")
SURVEYHUB_WECHAT_APP_SECRET = env_str("SURVEYHUB_WECHAT_APP_SECRET", "")
SURVEYHUB_WECHAT_API_URL = env_str("SURVEYHUB_WECHAT_API_URL", "")
SURVEYHUB_WECHAT_OAUTH_URL = env_str("SURVEYHUB_WECHAT_OAUTH_URL", "")
# SMS invitations (surveys/channels/sms/): provider "aliyun" or "tencent" ("" → SMS off).
SURVEYHUB_SMS_PROVIDER = env_str("SURVEYHUB_SMS_PROVIDER", "")
if SURVEYHUB_SMS_PROVIDER not in ("", "aliyun", "tencent"):
    raise ImproperlyConfigured("SURVEYHUB_SMS_PROVIDER must be aliyun, tencent or empty.")
SURVEYHUB_SMS_ACCESS_KEY_ID = env_str("SURVEYHUB_SMS_ACCESS_KEY_ID", "")
SURVEYHUB_SMS_ACCESS_KEY_SECRET = env_str("SURVEYHUB_SMS_ACCESS_KEY_SECRET", "")
SURVEYHUB_SMS_SIGN_NAME = env_str("SURVEYHUB_SMS_SIGN_NAME", "")
SURVEYHUB_SMS_TEMPLATE = env_str("SURVEYHUB_SMS_TEMPLATE", "")
SURVEYHUB_SMS_TEMPLATE_EN = env_str("SURVEYHUB_SMS_TEMPLATE_EN", "")
SURVEYHUB_SMS_APP_ID = env_str("SURVEYHUB_SMS_APP_ID", "")  # Tencent: SmsSdkAppId
SURVEYHUB_SMS_REGION = env_str("SURVEYHUB_SMS_REGION", "")
SURVEYHUB_SMS_ENDPOINT = env_str("SURVEYHUB_SMS_ENDPOINT", "")  # default: the provider's
SURVEYHUB_SMS_CALLBACK_TOKEN = env_str("SURVEYHUB_SMS_CALLBACK_TOKEN", "")
SURVEYHUB_SMS_MAX_ATTEMPTS = env_int("SURVEYHUB_SMS_MAX_ATTEMPTS", 5)
SURVEYHUB_SMS_TIMEOUT = env_int("SURVEYHUB_SMS_TIMEOUT", 10)
# Sends with no delivery report this long after they were handed over are asked about.
SURVEYHUB_SMS_RECEIPT_POLL_MINUTES = env_int("SURVEYHUB_SMS_RECEIPT_POLL_MINUTES", 10)
if min(SURVEYHUB_SMS_MAX_ATTEMPTS, SURVEYHUB_SMS_TIMEOUT) < 1:
    raise ImproperlyConfigured(
        "SURVEYHUB_SMS_MAX_ATTEMPTS and SURVEYHUB_SMS_TIMEOUT must be at least 1."
    )

# Cache and public rate limits ----------------------------------------------------------
# CACHE_URL=redis://host:6379/1 → Redis, shared by every gunicorn worker (production: use a
# Redis DB other than the broker's). Unset → with DEBUG off the database (every worker counts
# the rate limits and failed log-ins in one place; surveyhub/security/shared_cache.py), with
# DEBUG on per-process memory, enough for the demo's one runserver process. `db://` and
# `locmem://` choose those explicitly (locmem only for a single process).
# Short socket timeouts: a stalled cache must not stall a page (the rate limits fail open).
CACHE_URL = env_str("CACHE_URL", "")
if CACHE_URL == "db://" or (not CACHE_URL and not DEBUG):
    CACHES = {
        "default": {
            "BACKEND": "surveyhub.security.shared_cache.SharedDatabaseCache",
            "LOCATION": "surveyhub_cache",  # created by the migration surveyhub/0003
            "KEY_PREFIX": "surveyhub",
            # Django culls a third of the entries past MAX_ENTRIES (300 by default, which
            # would drop live counters); expired entries go first.
            "OPTIONS": {"MAX_ENTRIES": 50_000, "CULL_FREQUENCY": 3},
        }
    }
elif CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "surveyhub",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
elif CACHE_URL in ("", "locmem://"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    raise ImproperlyConfigured(
        f"CACHE_URL={CACHE_URL!r}: use redis://host:port/db (or db://), or leave it unset."
    )
# Requests per minute to the public pages (/s/, /i/, /u/, QR images) and the JSON submit.
# A device is its signed `sh_device` cookie or an app's `X-Device-Id` header; the per-IP
# budget is generous because many phones share one carrier address.
SURVEYHUB_RATELIMIT_ENABLED = env_bool("SURVEYHUB_RATELIMIT_ENABLED", True)
SURVEYHUB_RATELIMIT_DEVICE_PER_MINUTE = env_int("SURVEYHUB_RATELIMIT_DEVICE_PER_MINUTE", 120)
SURVEYHUB_RATELIMIT_TOKEN_PER_MINUTE = env_int("SURVEYHUB_RATELIMIT_TOKEN_PER_MINUTE", 120)
SURVEYHUB_RATELIMIT_SUBMIT_PER_MINUTE = env_int("SURVEYHUB_RATELIMIT_SUBMIT_PER_MINUTE", 10)
SURVEYHUB_RATELIMIT_IP_PER_MINUTE = env_int("SURVEYHUB_RATELIMIT_IP_PER_MINUTE", 3000)
# How many reverse proxies (nginx, a load balancer) append to X-Forwarded-For; 0 = none,
# the client is REMOTE_ADDR. Wrong here means every client shares the proxy's address.
SURVEYHUB_TRUSTED_PROXIES = env_int("SURVEYHUB_TRUSTED_PROXIES", 0)
if min(SURVEYHUB_RATELIMIT_DEVICE_PER_MINUTE, SURVEYHUB_RATELIMIT_TOKEN_PER_MINUTE,
       SURVEYHUB_RATELIMIT_SUBMIT_PER_MINUTE, SURVEYHUB_RATELIMIT_IP_PER_MINUTE) < 1:  # fmt: skip
    raise ImproperlyConfigured("SURVEYHUB_RATELIMIT_*_PER_MINUTE must be at least 1.")
# -----------------------------------------------------------------------------------------

# Celery: no broker configured → run tasks in-process so the embedded default needs no services.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
if not CELERY_BROKER_URL:
    CELERY_BROKER_URL = "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = env_int("CELERY_PREFETCH_MULTIPLIER", 1)
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A publish to a stopped broker must fail fast: the caller keeps the work in the
# database and the sweeper enqueues it later.
# Redis only (RabbitMQ redelivers as soon as a dead worker's connection drops): a task taken
# by a worker that died (killed, machine lost) is unacknowledged (acks late) and goes back to
# its queue CELERY_VISIBILITY_TIMEOUT seconds after delivery. Keep it above the longest task
# (imports stop at 50 minutes) and the longest countdown, or a task still running is handed
# to a second worker as well (harmless, tasks are idempotent, but wasted work).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600),
}
if CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] < 1:
    raise ImproperlyConfigured("CELERY_VISIBILITY_TIMEOUT must be at least 1 (seconds).")
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TIMEZONE = TIME_ZONE
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # `Authorization: Token <key>` against hashed keys (DRF's authtoken stores them in clear).
        "surveyhub.api.tokens.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["surveyhub.api.permissions.ModelPermissions"],
    # One JSON parser for the whole API: 400 for deep nesting, NaN, overflowing numbers,
    # duplicate keys, bad encodings (surveyhub/api/parsers.py); forms and files as DRF's.
    "DEFAULT_PARSER_CLASSES": [
        "surveyhub.api.parsers.SafeJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DATETIME_FORMAT": "iso-8601",
    "COERCE_DECIMAL_TO_STRING": True,
    # Every API error as {"detail": "…", "errors": {"field": ["…"]}} (surveyhub/api/errors.py).
    "EXCEPTION_HANDLER": "surveyhub.api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "SurveyHub API",
    "DESCRIPTION": "Surveys, feedback, triage and customer evaluations.",
    "VERSION": "1.0.0",
    # The error responses (400/401/403/404/429) are documented too (tests/api fuzzes them).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "surveyhub.api.schema.add_error_responses",
    ],
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI from the sidecar package: works with no internet access.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Choice sets that share a field name get explicit, stable component names.
    "ENUM_NAME_OVERRIDES": {
        "DistributionChannelEnum": "surveys.models.distribution.DistributionChannel",
        "LanguageEnum": "surveys.models.Language",
        "SurveyKindEnum": "surveys.models.SurveyKind",
        "ImportKindEnum": "analytics.models.ImportKind",
    },
}

# Security: safe by default outside DEBUG; `manage.py check --deploy` passes.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {"jieba": {"level": "WARNING"}},
}
