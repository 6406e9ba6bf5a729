"""Settings for zhenwu, driven by environment variables.

With DEBUG off the settings refuse to load on a default secret key or an empty ALLOWED_HOSTS, so that a
misconfigured production server fails at start, not after it has served a request.
"""

import hashlib
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from zhenwu import envfile

PACKAGE_DIR = Path(__file__).resolve().parent
# The checkout (or the directory zhenwu is run from when installed elsewhere) holds var/ by default.
PROJECT_DIR = Path(os.environ.get("ZHENWU_HOME", PACKAGE_DIR.parent.parent)).resolve()
# The checkout's .env (`make demo` writes one for the demo) configures every command run there as it does
# the demo server; production sets the environment itself. What the environment sets wins. ZHENWU_ENV_FILE
# names another file, or none when empty (the test settings).
ENV_FILE = os.environ.get("ZHENWU_ENV_FILE", str(PROJECT_DIR / ".env"))
if ENV_FILE:
    envfile.load(Path(ENV_FILE))
VAR_DIR = Path(os.environ.get("ZHENWU_VAR", PROJECT_DIR / "var"))

DEFAULT_SECRET_KEY = "zhenwu-insecure-development-key-do-not-use-in-production"
TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off"}


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name, "")
    if not raw.strip():
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean: use 1/0, true/false, yes/no or on/off.")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def refuse_unsafe_production(
    debug: bool, secret_key: str, allowed_hosts: list[str], field_encryption_key: str = ""
) -> None:
    """Raise ImproperlyConfigured when a non-debug server would run with development defaults."""
    if debug:
        return
    if not secret_key or secret_key == DEFAULT_SECRET_KEY:
        raise ImproperlyConfigured(
            "DEBUG is off but SECRET_KEY is not set: set SECRET_KEY to a long random value "
            '(python -c "import secrets; print(secrets.token_urlsafe(50))").'
        )
    if len(secret_key) < 32:
        raise ImproperlyConfigured(
            "DEBUG is off and SECRET_KEY is shorter than 32 characters: use a longer one."
        )
    if not allowed_hosts:
        raise ImproperlyConfigured(
            "DEBUG is off but ALLOWED_HOSTS is empty: set ALLOWED_HOSTS to the host names the server "
            "answers to, separated by commas (for example zhenwu.example.gov.cn,127.0.0.1)."
        )
    if len(field_encryption_key) < 32:
        raise ImproperlyConfigured(
            "DEBUG is off but FIELD_ENCRYPTION_KEY is not set (or shorter than 32 characters): identity "
            "numbers and phones are encrypted with it. Set it once to a long random value and keep it "
            "safe: without it the stored numbers cannot be read back."
        )


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", DEFAULT_SECRET_KEY)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if DEBUG else "")
# Encrypts identity numbers and phones at rest (zhenwu.households.crypto); a development server derives
# one from the secret key, so `make demo` needs no setup.
FIELD_ENCRYPTION_KEY = os.environ.get("FIELD_ENCRYPTION_KEY", "") or (
    f"development-only:{SECRET_KEY}" if DEBUG else ""
)
refuse_unsafe_production(DEBUG, SECRET_KEY, ALLOWED_HOSTS, FIELD_ENCRYPTION_KEY)

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'zhenwu.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while a request writes; the busy timeout waits instead of failing. A
    # transaction takes the write lock when it begins (IMMEDIATE): one that began as a reader and then
    # wrote could not wait for the lock and failed at once with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL;",
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

INSTALLED_APPS = [
    # auditlog's admin module must load before ours, which takes its LogEntry admin away.
    "auditlog",
    "zhenwu.org",
    "zhenwu.activity",
    "zhenwu.web",
    "zhenwu.workcalendar",
    "zhenwu.cases",
    "zhenwu.indicators",
    "zhenwu.projects",
    "zhenwu.households",
    "zhenwu.registers",
    "zhenwu.reports",
    "zhenwu.jobs",
    "zhenwu.notifications",
    "zhenwu.benchdata",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "axes",
    "huey.contrib.djhuey",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "zhenwu.web.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    # Axes goes last so that it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "zhenwu.urls"
WSGI_APPLICATION = "zhenwu.wsgi.application"

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
                "zhenwu.web.context_processors.navigation_items",
                "zhenwu.notifications.context_processors.unread_notifications",
            ],
        },
    },
]

AUTH_USER_MODEL = "org.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "zhenwu.org.auth.UnitModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "login"

# Lock an account (not an address: grid workers share the township's NAT) after five failures.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Axes warns when addresses are not part of the lock; we lock the account itself, which rotating
# addresses or user agents cannot get around.
SILENCED_SYSTEM_CHECKS = [
    "axes.W006",
    # Covering indexes (INCLUDE) are PostgreSQL's; SQLite builds the same index on its key columns.
    "models.W040",
]

SECURE_COOKIES = env_bool("SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
# ODK Collect sends the password (or device key) with every request: over HTTPS only, wherever cookies
# are secure. A plain-HTTP intranet install (SECURE_COOKIES=0) may turn it off.
OPENROSA_REQUIRE_HTTPS = env_bool("OPENROSA_REQUIRE_HTTPS", SECURE_COOKIES)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 10
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
CSRF_FAILURE_VIEW = "zhenwu.web.security.csrf_failure"
if env_bool("BEHIND_HTTPS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Served over HTTPS (secure cookies), browsers are told to keep to HTTPS: a year by default. Django sends
# the header on secure requests only, so a plain-HTTP intranet install is not locked out.
SECURE_HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", "31536000")) if SECURE_COOKIES else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = False

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True


def cache_key_prefix(database: dict[str, object]) -> str:
    """Names the database a cached value was made from: one cache directory may serve several (the demo
    beside a benchmark), and a value from one must never answer for another."""
    where = ":".join(str(database.get(part)) for part in ("ENGINE", "HOST", "PORT", "NAME"))
    return hashlib.sha256(where.encode()).hexdigest()[:16]


# A file cache is shared by the server's worker processes on one machine; CACHE_DIR moves it.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ.get("CACHE_DIR", str(VAR_DIR / "cache")),
        "KEY_PREFIX": cache_key_prefix(DATABASES["default"]),
        # Dashboards are kept per scope and unit: room for a county's, before old ones are dropped.
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }
}
# How long the leaders' dashboard keeps its figures before counting again (the page says when).
DASHBOARD_CACHE_SECONDS = int(os.environ.get("DASHBOARD_CACHE_SECONDS", "300"))

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedStaticFilesStorage"
    },
}
# Serve static files straight from the apps, so a server works without running collectstatic first.
WHITENOISE_USE_FINDERS = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so that an API client without credentials gets 401 with WWW-Authenticate.
        "zhenwu.org.auth.UnitTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "zhenwu.api_fields.Pages",
    "PAGE_SIZE": 100,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "EXCEPTION_HANDLER": "zhenwu.api_errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "zhenwu API",
    "DESCRIPTION": "镇务平台接口: 组织机构、指标、项目、事件、农户与报告。",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "zhenwu.api_errors.document_errors",
    ],
}

AUDITLOG_INCLUDE_ALL_MODELS = False
AUDITLOG_DISABLE_REMOTE_ADDR = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Register maps draw their points on a blank background: no tile server is asked unless one is set here,
# as a Leaflet URL template such as https://tiles.example.cn/{z}/{x}/{y}.png (then allow it in the CSP).
REGISTERS_MAP_TILES = os.environ.get("REGISTERS_MAP_TILES", "")

# Photos of a submission ODK Collect split into parts wait for its last part under registers/pending/;
# `zhenwu register-clean-parts` (registers/tasks.py) deletes those that have waited this many days.
REGISTERS_PENDING_PARTS_DAYS = int(os.environ.get("REGISTERS_PENDING_PARTS_DAYS", "7"))

# A phone's submission carries an idempotency key, so that a retry after a lost answer makes nothing twice
# (zhenwu.web.idempotency); the keys are kept this many days, then the daily job clean_submission_keys
# deletes them. A phone that has waited longer than this to resend would make a second record.
IDEMPOTENCY_KEY_DAYS = int(os.environ.get("IDEMPOTENCY_KEY_DAYS", "7"))

# `zhenwu backup` writes here by default, and the nightly job `nightly_backup` does when it is set; the job
# keeps the newest BACKUP_KEEP backups (docs/backup.md).
BACKUP_DIR = os.environ.get("BACKUP_DIR", "")
BACKUP_KEEP = int(os.environ.get("BACKUP_KEEP", "14"))

# The task queue (huey, docs/jobs.md): embedded in a SQLite file beside the database by default, so
# `make demo` needs no other service; on Redis when REDIS_URL is set, for any number of workers on any
# number of machines. Periodic jobs run on Beijing time (Django sets the process's TZ to TIME_ZONE).
REDIS_URL = os.environ.get("REDIS_URL", "")
HUEY = {
    "name": os.environ.get("HUEY_NAME", "zhenwu"),
    "immediate": False,
    "utc": False,
    "results": False,
    "huey_class": "huey.RedisHuey" if REDIS_URL else "huey.SqliteHuey",
    "connection": {"url": REDIS_URL} if REDIS_URL else {"filename": str(VAR_DIR / "queue.sqlite3")},
    "consumer": {"workers": int(os.environ.get("JOB_WORKERS", "2")), "worker_type": "thread"},
}

# Notifications leave by e-mail (Django's SMTP settings) and by a chat-group robot's webhook: 企业微信
# (wecom) or 钉钉 (dingtalk, with its 加签 secret when the robot has one). Nothing is pushed in quiet hours
# but urgent cases.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "20"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "zhenwu@localhost")
NOTIFY_WEBHOOK_URL = os.environ.get("NOTIFY_WEBHOOK_URL", "")
NOTIFY_WEBHOOK_STYLE = os.environ.get("NOTIFY_WEBHOOK_STYLE", "wecom")
NOTIFY_WEBHOOK_SECRET = os.environ.get("NOTIFY_WEBHOOK_SECRET", "")
NOTIFY_WEBHOOK_TIMEOUT = float(os.environ.get("NOTIFY_WEBHOOK_TIMEOUT", "10"))
NOTIFY_QUIET_HOURS = os.environ.get("NOTIFY_QUIET_HOURS", "22:00-07:00")
# Where zhenwu is served (https://zhenwu.example.gov.cn): e-mails and group messages link to the
# notification there. Unset, they say to open 通知 in zhenwu.
NOTIFY_SITE_URL = os.environ.get("NOTIFY_SITE_URL", "")
