"""Saylau settings: one file, every difference between environments is an environment variable.

Variables are documented in `.env.example`. With DATABASE_URL / REDIS_URL unset, the values written
by the embedded services launcher (`python -m core.devstack`) to `var/services.env` are used.
"""

from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
# Neither file overrides a variable already set in the environment.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)
environ.Env.read_env(VAR_DIR / "services.env", overwrite=False)

# GENERAL
DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (see .env.example). On a development "
            "machine, `make services` starts the embedded servers and sets both."
        )
    SECRET_KEY = "insecure-development-key-only-used-with-DEBUG-on"  # noqa: S105
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_NAME = "Saylau"
ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# APPS
DJANGO_APPS = [
    # modeltranslation must precede the admin so that its admin classes take effect.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
]
THIRD_PARTY_APPS = [
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "auditlog",
    "django_countries",
    "core.signin_protection.AxesConfig",  # django-axes, with a translated name
]
# The project's apps, in dependency order: the one place an app is added. Each one's urls.py
# (namespace "<app>") and api/urls.py ("<app>-api") are included from here (core.frame); the
# packaging, the Docker image and coverage take every top-level package without naming it.
LOCAL_APPS = [
    "core",
    "commissions",
    "polling",
    "voterlists",
    "observers",
    "debates",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # django-csp's, with the settings' policy built once (core.csp).
    "core.csp.CSPMiddleware",
    # Anonymous public reads served from the cache before sessions, auth and locale (core.caching).
    "core.caching.PublicCacheMiddleware",
    # Anonymous public single-row API reads answered without the cycle below (core.api.rowreads).
    "core.api.rowreads.PublicRowReadMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Errors under /api/ as JSON in the request's language, whatever DEBUG says (core.api).
    "core.api.exceptions.ApiErrorMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    # A row outside the user's scope: the site's 404 page, with DEBUG on too (core.views).
    "core.views.OutOfScopeMiddleware",
    # Last: turns a sign-in refused by django-axes into its lock-out page (see AUTH).
    "axes.middleware.AxesMiddleware",
]

# DATABASE
DATABASE_URL = env("DATABASE_URL", default="")
if not DATABASE_URL:
    raise ImproperlyConfigured(
        "DATABASE_URL is not set and no embedded PostgreSQL is running: "
        "start one with `make services` (or run `make run`)."
    )
DATABASES = {"default": env.db_url_config(DATABASE_URL)}
# A unix-socket directory comes percent-encoded in the host part, as libpq URLs write it.
DATABASES["default"]["HOST"] = unquote(DATABASES["default"]["HOST"])
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"].setdefault("TEST", {})["NAME"] = env("TEST_DATABASE_NAME", default=None)

# REDIS, CACHE, CELERY
# REDIS_URL is a redis:// URL, or unix:///path/to/redis.sock for a socket (the embedded server).
REDIS_URL = env("REDIS_URL", default="")
if not REDIS_URL:
    raise ImproperlyConfigured(
        "REDIS_URL is not set and no embedded Redis is running: "
        "start one with `make services` (or run `make run`)."
    )
# A Redis that goes away is a cache miss, not an error: pages, the API and its throttles keep
# working without it (core.caching.FailOpenRedisCache).
# CACHE_URL: a Redis of its own for the cache (default: REDIS_URL's). In production give it one
# with a memory limit that evicts (docker-compose's "cache" service): cached pages then never
# crowd out Celery's queue, which must not be evicted.
CACHES = {
    "default": {
        "BACKEND": "core.caching.FailOpenRedisCache",
        "LOCATION": env("CACHE_URL", default="") or REDIS_URL,
        "KEY_PREFIX": "saylau",
        "OPTIONS": {
            "socket_connect_timeout": env.float("REDIS_CONNECT_TIMEOUT", default=0.5),
            "socket_timeout": env.float("REDIS_TIMEOUT", default=1.0),
            "retry_seconds": env.float("REDIS_RETRY_SECONDS", default=2.0),
        },
    }
}
# Anonymous public reads (pages and API) cached whole, invalidated when their data changes
# (core.caching): entries live at most PUBLIC_CACHE_TIMEOUT seconds; a proxy in front may keep
# them PUBLIC_CACHE_MAX_AGE seconds (then revalidates with ETag / Last-Modified).
PUBLIC_CACHE_ENABLED = env.bool("PUBLIC_CACHE_ENABLED", default=True)
PUBLIC_CACHE_TIMEOUT = env.int("PUBLIC_CACHE_TIMEOUT", default=300)
PUBLIC_CACHE_MAX_AGE = env.int("PUBLIC_CACHE_MAX_AGE", default=30)
PUBLIC_CACHE_MAX_BYTES = env.int("PUBLIC_CACHE_MAX_BYTES", default=2 * 1024 * 1024)
# Anonymous single-row API reads answered without sessions, CSRF, audit and DRF's dispatch, which
# change nothing in them (core.api.rowreads).
PUBLIC_ROW_READS = env.bool("PUBLIC_ROW_READS", default=True)
CELERY_BROKER_URL = (
    REDIS_URL.replace("unix://", "redis+socket://", 1)
    if REDIS_URL.startswith("unix://")
    else REDIS_URL
)
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = "Asia/Almaty"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 600
CELERY_TASK_SOFT_TIME_LIMIT = 540
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A request whose broker is down must not hang: the outbox sweep sends what was not queued.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# AUTH
AUTH_USER_MODEL = "core.User"
# AxesStandaloneBackend first: it refuses a locked-out sign-in before any password is checked.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "core.auth.RoleBackend"]
LOGIN_URL = "admin:login"
# A sign-in with no page to return to lands on the admin's index (Django's default is
# /accounts/profile/, a page Saylau does not have).
LOGIN_REDIRECT_URL = "admin:index"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Failed sign-ins (django-axes): SIGNIN_FAILURE_LIMIT failures for one account from one address
# lock that pair out for SIGNIN_COOLOFF_MINUTES (another address, or another account, still signs
# in); a success resets the count. Counted in the database, so it holds with Redis down. The
# lock-out is a 429 page of the site (core.abuse.signin_locked_out) that names no account.
AXES_ENABLED = True
AXES_FAILURE_LIMIT = env.int("SIGNIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("SIGNIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_LOCKOUT_CALLABLE = "core.abuse.signin_locked_out"
AXES_CLIENT_IP_CALLABLE = "core.abuse.client_address"
# Its records are shown by core.admin (superusers and CEC staff only); addresses and account
# names are masked in its log lines.
AXES_ENABLE_ADMIN = False
AXES_VERBOSE = False
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address"]
# How many reverse proxies in front of the site append to X-Forwarded-For: the client's address
# is read from that header only when this is set (default: the connection's, REMOTE_ADDR). One
# rule for axes, the bad-token limit and the API's throttles (core.abuse.client_address).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# The function that tells which commission (and so which region or station) a user works for.
SAYLAU_SCOPE_RESOLVER = "commissions.selectors.scope_for_user"

# I18N
LANGUAGE_CODE = "kk"
LANGUAGES = [
    ("kk", _("Kazakh")),
    ("ru", _("Russian")),
    ("en", _("English")),
]
# Kazakh names of countries (django-countries ships none), generated from CLDR: see its README.
# The project's own messages; country names (locale/countries); and Kazakh and Russian for the
# framework's and libraries' own messages where their catalogs lack them or get them wrong
# (locale/framework: the admin, authentication, django-auditlog, django-axes).
# django-countries names Nauru "Naoero" (its own name for itself); readers know it as Nauru.
COUNTRIES_OVERRIDE = {"NR": _("Nauru")}
LOCALE_PATHS = [
    BASE_DIR / "locale",
    BASE_DIR / "locale" / "countries",
    BASE_DIR / "locale" / "framework",
]
FORMAT_MODULE_PATH = ["config.formats"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Almaty"
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en", "ru", "kk")

# TEMPLATES, STATIC, MEDIA
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
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))
# Personal data (observers' photos) and job results: never served as static media.
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=str(VAR_DIR / "private"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG
# Files served at the site's root rather than under STATIC_URL: favicon.ico.
WHITENOISE_ROOT = BASE_DIR / "static" / "root"
# Shipped OFL font with every Kazakh letter: used by the PDF helper and the site's stylesheet.
PDF_FONT_DIR = BASE_DIR / "static" / "fonts"

# EMAIL AND SMS
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Saylau <noreply@saylau.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SMS_BACKEND = env("SMS_BACKEND", default="core.notifications.LoggingSmsBackend")
# Outbox: how often a failing notification is tried before it is marked failed.
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=5)
# Jobs (core.jobs): how often a job whose worker stopped is started again before it is given up.
JOB_MAX_ATTEMPTS = env.int("JOB_MAX_ATTEMPTS", default=3)

# OBSERVERS
# The site's public address, printed in badges' QR codes (the verification page). Required with
# DEBUG off: a badge printed with a development address cannot be verified. `make run` sets it.
PUBLIC_BASE_URL = env("PUBLIC_BASE_URL", default="").rstrip("/")
if not PUBLIC_BASE_URL.startswith(("https://", "http://")):
    if PUBLIC_BASE_URL or not DEBUG:
        raise ImproperlyConfigured(
            "PUBLIC_BASE_URL must be set to the site's public address (https://…) when DEBUG is "
            "off: badges' QR codes open it (see .env.example)."
        )
    PUBLIC_BASE_URL = "http://127.0.0.1:8000"
# Deadlines relative to election day (core.deadlines), in the CEC's time zone (TIME_ZONE).
# Accreditation closes 5 days before election day: by default at 18:00 on E-6.
OBSERVER_ACCREDITATION_DEADLINE = env("OBSERVER_ACCREDITATION_DEADLINE", default="E-6 18:00")
# An accreditation (and its badge) is valid until results are established.
OBSERVER_ACCREDITATION_VALID_UNTIL = env("OBSERVER_ACCREDITATION_VALID_UNTIL", default="E+10 24:00")
# Badges are rendered by a Celery job this many to a batch: the job holds one batch in memory.
OBSERVER_BADGE_BATCH_SIZE = env.int("OBSERVER_BADGE_BATCH_SIZE", default=50)
# Observers' photos: accepted upload size and dimensions; stored re-encoded as JPEG.
OBSERVER_PHOTO_MAX_BYTES = env.int("OBSERVER_PHOTO_MAX_BYTES", default=5 * 1024 * 1024)

# POLLING STATIONS
# Voters are told of another voting time no later than 10 days before election day (the seed:
# by 9 March for the 19 March 2023 vote): a voting hours decision is adopted and published by
# this deadline, in the deciding commission's local time (core.deadlines).
VOTING_HOURS_INFORM_DEADLINE = env("VOTING_HOURS_INFORM_DEADLINE", default="E-10 24:00")
# Territorial commissions are warned daily of their decisions still drafts this many days (or
# fewer) before the informing deadline (polling.informing.voting_hours_draft_warn).
VOTING_HOURS_DRAFT_WARNING_DAYS = env.int("VOTING_HOURS_DRAFT_WARNING_DAYS", default=3)
# Voters' subscriptions to a station's notices (polling.informing): requests per client address
# per window (seconds); confirmations a contact may be sent per day, and per subscription; wrong
# codes before a new one is needed; days an unconfirmed subscription (its contact) is kept.
SUBSCRIPTION_ADDRESS_LIMIT = env.int("SUBSCRIPTION_ADDRESS_LIMIT", default=10)
SUBSCRIPTION_ADDRESS_WINDOW = env.int("SUBSCRIPTION_ADDRESS_WINDOW", default=3600)
SUBSCRIPTION_CONTACT_DAILY_LIMIT = env.int("SUBSCRIPTION_CONTACT_DAILY_LIMIT", default=5)
SUBSCRIPTION_CONFIRMATIONS_PER_SUBSCRIPTION = env.int(
    "SUBSCRIPTION_CONFIRMATIONS_PER_SUBSCRIPTION", default=3
)
SUBSCRIPTION_CODE_ATTEMPTS = env.int("SUBSCRIPTION_CODE_ATTEMPTS", default=5)
SUBSCRIPTION_CONFIRM_DAYS = env.int("SUBSCRIPTION_CONFIRM_DAYS", default=7)

# REST FRAMEWORK AND OPENAPI
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "core.api.authentication.AgencyTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["core.api.permissions.ScopedPermission"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "core.filters.StableOrderingFilter",
    ],
    # JSON only: a browser exploring the API uses /api/docs/. DRF's browsable pages (with DEBUG
    # on only) carry a CSRF token and its cookie, so they are never cached (core.caching).
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        *(["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
    ],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.StandardPagination",
    "DEFAULT_SCHEMA_CLASS": "core.api.schema.AutoSchema",
    "DEFAULT_VERSIONING_CLASS": None,
    "DEFAULT_THROTTLE_CLASSES": ["core.api.throttling.AnonymousRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": env("API_ANON_RATE", default="600/minute")},
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "EXCEPTION_HANDLER": "core.api.exceptions.exception_handler",
    # DRF's parsers, with JSON nested too deep a 400 instead of a RecursionError.
    "DEFAULT_PARSER_CLASSES": [
        "core.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
}
# Requests with an unknown, revoked or malformed API token: past API_BAD_TOKEN_LIMIT of them from
# one address in API_BAD_TOKEN_WINDOW seconds, further bad tokens are answered 429 (a valid token
# still works). Counted in the cache; without Redis, not counted (core.abuse.bad_token_attempt).
API_BAD_TOKEN_LIMIT = env.int("API_BAD_TOKEN_LIMIT", default=20)
API_BAD_TOKEN_WINDOW = env.int("API_BAD_TOKEN_WINDOW", default=600)
SPECTACULAR_SETTINGS = {
    "TITLE": "Saylau API",
    "DESCRIPTION": (
        "The election commission's API for agencies: reference data, commissions, polling "
        "stations, observers' accreditation, and the applications of later modules. "
        "Authenticate with `Authorization: Token <key>`. Texts (names, messages) follow the "
        "request's `Accept-Language` (kk, ru, en; Kazakh by default)."
    ),
    "VERSION": "1.0.0",
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # Two models have a "status": each its own enum in the schema.
    "ENUM_NAME_OVERRIDES": {
        "ObserverStatusEnum": "observers.choices.ObserverStatus",
        "JobStatusEnum": "core.choices.JobStatus",
    },
}

# AUDIT
AUDITLOG_INCLUDE_ALL_MODELS = False
AUDITLOG_DISABLE_REMOTE_ADDR = False
AUDITLOG_STORE_JSON_CHANGES = True

# SECURITY
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False
CSRF_FAILURE_VIEW = "core.views.csrf_failure"  # the site's page, in the reader's language
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'", "'unsafe-inline'"],  # the admin uses style attributes
        "script-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# LOGGING
# Only what happened and to which object is logged: never request bodies, IINs or addresses.
LOG_LEVEL = env("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "ERROR"},
    },
}
