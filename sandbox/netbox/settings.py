"""Django settings of the embedding project, built from the checked configuration."""
import os
import socket
from pathlib import Path

from netbox import VERSION
from netbox.config import BASE_DIR, SANDBOX_DIR, load_configuration, rq_queues, uses_rq

CONFIG = load_configuration()

SECRET_KEY = CONFIG.pop("SECRET_KEY")
DEBUG = CONFIG.pop("DEBUG")
ALLOWED_HOSTS = CONFIG.pop("ALLOWED_HOSTS")
LOGIN_REQUIRED = CONFIG.pop("LOGIN_REQUIRED")
USERSCRIPTS_ANONYMOUS_CALLS = CONFIG.pop("USERSCRIPTS_ANONYMOUS_CALLS")
TIME_ZONE = CONFIG.pop("TIME_ZONE")
DATABASES = {"default": CONFIG.pop("DATABASE")}
SQLITE_TIMEOUT = CONFIG.pop("SQLITE_TIMEOUT")
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets server workers read while runjob writes; IMMEDIATE avoids lock upgrades. A write waits at most
    # SQLITE_TIMEOUT seconds for another's lock, then answers 503 (netbox.database_unavailable), not held for ever.
    DATABASES["default"].setdefault("OPTIONS", {
        "timeout": SQLITE_TIMEOUT,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    })

USERSCRIPTS_ROOT = CONFIG.pop("USERSCRIPTS_ROOT")
USERSCRIPTS_LOG_FILE = CONFIG.pop("USERSCRIPTS_LOG_FILE")
USERSCRIPTS_LOG_MAX_SIZE = CONFIG.pop("USERSCRIPTS_LOG_MAX_SIZE")
USERSCRIPTS_LOG_BACKUP_COUNT = CONFIG.pop("USERSCRIPTS_LOG_BACKUP_COUNT")
USERSCRIPTS_LOG_LEVEL = CONFIG.pop("USERSCRIPTS_LOG_LEVEL")
USERSCRIPTS_AUTORELOAD = CONFIG.pop("USERSCRIPTS_AUTORELOAD")
USERSCRIPTS_SLOW_HOOK_SECONDS = CONFIG.pop("USERSCRIPTS_SLOW_HOOK_SECONDS")
METRICS_ENABLED = CONFIG.pop("METRICS_ENABLED")
USERSCRIPTS_METRICS_TOKEN = CONFIG.pop("USERSCRIPTS_METRICS_TOKEN")
if METRICS_ENABLED:
    # Every gunicorn and task worker of this host writes its figures here, summed by /metrics. Set before any
    # app imports prometheus-client, which picks its multi-process mode then; per host, as the log folder may
    # be shared by several.
    os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR",
                          str(Path(USERSCRIPTS_LOG_FILE).parent / "metrics" / socket.gethostname()))
MAX_PAGE_SIZE = CONFIG.pop("MAX_PAGE_SIZE")
PAGINATE_COUNT = CONFIG.pop("PAGINATE_COUNT")

RELEASE = VERSION

# Background tasks (Django's TASKS): the database by default; configuration.py may name RQ's
# backend (django-tasks-rq), on the Redis of NetBox's REDIS["tasks"].
TASKS = CONFIG.pop("TASKS")
REDIS = CONFIG.pop("REDIS")
if uses_rq(TASKS):
    RQ_QUEUES = rq_queues(REDIS["tasks"], sorted({"high", "default", "low"} | {
        queue for backend in TASKS.values() for queue in backend.get("QUEUES", ())}))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI served from here, not from a CDN
    "taggit",  # tags, as in NetBox (``extras.Tag``); its own models stay unused
    "tenancy",
    "dcim",
    "ipam",
    "virtualization",
    "circuits",
    "extras",
    "custom_objects",
    "custom_objects.dynamic",
    "django_tasks",  # Django's Tasks framework (built into Django 6.0+; the backport here)
    "django_tasks_db",  # its database backend: the default, no other service
    "netbox_userscripts",
]
if uses_rq(TASKS):
    INSTALLED_APPS.insert(INSTALLED_APPS.index("netbox_userscripts"), "django_rq")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "netbox_userscripts.middleware.RequestSignalsMiddleware",
    "netbox.middleware.APIVersionMiddleware",
    "netbox.middleware.DatabaseUnavailableMiddleware",
]
if LOGIN_REQUIRED:
    MIDDLEWARE.insert(MIDDLEWARE.index("django.contrib.messages.middleware.MessageMiddleware"),
                      "netbox.middleware.LoginRequiredMiddleware")

ROOT_URLCONF = "netbox.urls"
WSGI_APPLICATION = "netbox.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SANDBOX_DIR / "netbox" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = []
LANGUAGE_CODE = "en-us"
USE_I18N = False
USE_TZ = True
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "data" / "static"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10000

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: a token request must not be held to the session's CSRF check.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["netbox.api.permissions.TokenPermissions"],
    "DEFAULT_SCHEMA_CLASS": "netbox.api.schema.NetBoxAutoSchema",  # as NetBox's core.api.schema
    "EXCEPTION_HANDLER": "netbox.api.exceptions.exception_handler",
    "COERCE_DECIMAL_TO_STRING": False,  # as NetBox: a rack position or a latitude reads as a number
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
}

SPECTACULAR_SETTINGS = {
    "TITLE": "netbox-userscripts API",
    "VERSION": VERSION,
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["netbox.api.permissions.TokenPermissions"],  # LOGIN_REQUIRED holds for the docs too
    "COMPONENT_SPLIT_REQUEST": True,  # relations and choices are read and written in different shapes
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # As NetBox: no enum components. drf-spectacular's hook would name each choice set after its
    # field, and many share a name ("status" of a site, a device, a prefix...).
    "POSTPROCESSING_HOOKS": [],
}

# Anything else in configuration.py is passed through as a Django setting.
globals().update(CONFIG)
