"""Settings for zhenwu, driven by environment variables.

With DEBUG off the settings refuse to load on a default secret key or an empty ALLOWED_HOSTS, so that a
misconfigured production server fails at start, not after it has served a request.
"""

import hashlib
import json
import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

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

# Read replicas (docs/replicas.md): PostgreSQL streaming replicas, one URL each, become the aliases
# replica_1, replica_2, … that zhenwu.replicas routes read-only work to. Unset, nothing is routed.
DATABASE_REPLICAS: list[str] = []
for number, url in enumerate(env_list("DATABASE_REPLICA_URLS"), start=1):
    replica = dj_database_url.parse(url, conn_max_age=DATABASES["default"]["CONN_MAX_AGE"])
    # The replica's own URL options (connect_timeout=3, say) win over the primary's.
    replica["OPTIONS"] = {**DATABASES["default"].get("OPTIONS", {}), **replica.get("OPTIONS", {})}
    # Tests see the primary under this alias: Django makes no test database for a mirror.
    replica["TEST"] = {"MIRROR": "default"}
    DATABASES[f"replica_{number}"] = replica
    DATABASE_REPLICAS.append(f"replica_{number}")
if DATABASE_REPLICAS:
    DATABASE_ROUTERS = ["zhenwu.replicas.ReplicaRouter"]
# A replica further behind than this is skipped until it catches up.
REPLICA_MAX_LAG_SECONDS = float(os.environ.get("REPLICA_MAX_LAG_SECONDS", "10"))
# A user who wrote reads from the primary for this long afterwards (read-your-writes).
READ_YOUR_WRITES_SECONDS = int(os.environ.get("READ_YOUR_WRITES_SECONDS", "10"))
# How often each process asks a replica whether it is up and how far behind: never per query.
REPLICA_CHECK_SECONDS = float(os.environ.get("REPLICA_CHECK_SECONDS", "5"))

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
    # Outermost, so that the session saved on the way out counts as a write (read replicas, above).
    *(["zhenwu.replicas.ReplicaMiddleware"] if DATABASE_REPLICAS else []),
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


def redis_cache_url(queue_url: str) -> str:
    """The cache's Redis database: REDIS_CACHE_URL, or the queue's server (REDIS_URL) with the next database
    number (redis://host:6379/0 -> /1). Never the queue's own database: Django's RedisCache empties its
    whole database when cleared (FLUSHDB, after a bulk load: remembered.forget_everything), which there
    would drop every queued job."""
    if os.environ.get("REDIS_CACHE_URL"):
        return os.environ["REDIS_CACHE_URL"]
    parts = urlsplit(queue_url)
    number = parts.path.strip("/") or "0"
    if not number.isdigit() or "db=" in parts.query:
        raise ImproperlyConfigured(
            # The URL is not repeated: it may hold the password.
            "REDIS_URL names no database number as /N: set REDIS_CACHE_URL to the cache's own Redis "
            "database, apart from the queue's (for example redis://127.0.0.1:6379/1)."
        )
    return urlunsplit(parts._replace(path=f"/{int(number) + 1}"))


# Every value a request may need again is in the cache every server process shares: the remembered
# reference data's versions (zhenwu.remembered), the dashboards, the first-run key. On one machine a file
# cache shared by the server's worker processes does (CACHE_DIR moves it); with REDIS_URL set, Redis does,
# for every app server on every machine. KEY_PREFIX names the database either way.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            # One server, read and written: a Redis replica in LOCATION would take reads, and a lagging
            # one would hand out a remembered version already moved.
            "LOCATION": redis_cache_url(os.environ["REDIS_URL"]),
            "KEY_PREFIX": cache_key_prefix(DATABASES["default"]),
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ.get("CACHE_DIR", str(VAR_DIR / "cache")),
            "KEY_PREFIX": cache_key_prefix(DATABASES["default"]),
            # Dashboards are kept per scope and unit: room for a county's, before old ones are dropped.
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }
# Sessions stay in the database (Django's default, named here so that nobody moves them to the cache
# unawares): every app server reads it, and a cache cleared or evicted logs nobody out.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# How long the leaders' dashboard keeps its figures before counting again (the page says when).
DASHBOARD_CACHE_SECONDS = int(os.environ.get("DASHBOARD_CACHE_SECONDS", "300"))

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))


def env_json_object(name: str) -> dict[str, object]:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return {}
    try:
        value = json.loads(raw)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} is not valid JSON: {error}.") from None
    if not isinstance(value, dict):
        raise ImproperlyConfigured(f'{name} must be a JSON object, such as {{"bucket_name": "zhenwu"}}.')
    return value


# Uploaded files (case and register photos) are written, read and served through Django's storage API
# only, by views that check the reader's scope: nothing serves MEDIA_URL. By default they are files under
# MEDIA_ROOT; with several app servers that is one shared directory (NFS), mounted at the same path on
# every server and worker (docs/deploy-shared.md). FILE_STORAGE names any other Django storage backend and
# FILE_STORAGE_OPTIONS (a JSON object) its options: django-storages' S3 backend for MinIO or Alibaba OSS
# (pip install 'zhenwu[s3]'; FILE_STORAGE=storages.backends.s3.S3Storage).
FILE_STORAGE = os.environ.get("FILE_STORAGE", "django.core.files.storage.FileSystemStorage")
STORAGES = {
    "default": {"BACKEND": FILE_STORAGE, "OPTIONS": env_json_object("FILE_STORAGE_OPTIONS")},
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
