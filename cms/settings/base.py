"""Every setting of the platform, read from the environment.

``dev.py``, ``test.py`` and ``production.py`` override little. See the README's
configuration section for the variables.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from cms.csp import STRICT as STRICT_POLICY

from .env import env_bool, env_int, env_list, env_str

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
DEBUG = env_bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "cms",
    "ownership",
    "surveys",
    "api",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "wagtail.contrib.simple_translation",
    "wagtail.contrib.settings",
    "wagtail.contrib.redirects",
    "wagtail.locales",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "rest_framework",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy on every answer (cms/csp.py).
    "cms.csp.PathPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: refuses sign-ins while an address is locked out.
    "axes.middleware.AxesMiddleware",
]

CONTENT_SECURITY_POLICY = {"DIRECTIVES": STRICT_POLICY}

# Sign-in throttling (django-axes): after LOGIN_FAILURE_LIMIT wrong passwords
# for one user name from one client address, that pair is locked out for
# LOGIN_LOCKOUT_MINUTES, the right password included. The address is the one
# every other limit uses (see DJANGO_TRUSTED_PROXY_COUNT).
AUTHENTICATION_BACKENDS = [
    # Axes' check, on top of Django's model backend (so that a session that
    # names the first backend, as Wagtail's test logins do, finds its user).
    "axes.backends.AxesBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "ownership.throttling.client_address"
# Failed attempts are kept (to count them); successful sign-ins are not logged.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False

ROOT_URLCONF = "cms.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

WSGI_APPLICATION = "cms.wsgi.application"

# The embedded default is a SQLite file in the project folder; production sets
# DATABASE_URL=postgres://user:password@host:5432/name.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "customer-ownership",
        }
    }

# Background work: run at once in development and tests; production switches to
# the database backend and runs `manage.py db_worker`.
TASKS = {
    "default": {
        "BACKEND": env_str(
            "TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"
        )
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("de", _("German")), ("nl", _("Dutch"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("DJANGO_TIME_ZONE", "Europe/Berlin")
USE_I18N = True
USE_TZ = True

WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT") or BASE_DIR / "staticfiles")
STATIC_URL = "/static/"
MEDIA_ROOT = Path(env_str("DJANGO_MEDIA_ROOT") or BASE_DIR / "media")
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

EMAIL_BACKEND = env_str(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "surveys@localhost")

WAGTAIL_SITE_NAME = "Customer Ownership"
# No avatars from gravatar.com: the admin loads nothing from other hosts.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Nor does it ask releases.wagtail.org for new versions.
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "pdf", "xlsx"]

# Invitation links are derived from this key (defaults to SECRET_KEY); changing
# it invalidates every link that has not been used yet.
INVITATION_TOKEN_KEY = env_str("INVITATION_TOKEN_KEY")
# Failed look-ups of survey links allowed per client address and window.
SURVEY_LINK_RATE_LIMIT = env_int("SURVEY_LINK_RATE_LIMIT", 20)
SURVEY_LINK_RATE_WINDOW = env_int("SURVEY_LINK_RATE_WINDOW", 600)

# Reporting thresholds (docs/statistics.md explains each).
# A heatmap cell is marked when its difference to the rest of the organisation is
# significant after Benjamini-Hochberg at this false discovery rate ...
RESULTS_FDR_LEVEL = 0.05
# ... and at least this large: scale points for constructs, points for NPS.
HEATMAP_MIN_DIFFERENCE = 0.25
HEATMAP_MIN_NPS_DIFFERENCE = 10.0
# A change since the previous wave is marked on the same terms: BH at the level
# above over the visible changes, and at least this many points of favourable
# share (constructs) or HEATMAP_MIN_NPS_DIFFERENCE NPS points.
HEATMAP_MIN_SHARE_CHANGE = 0.05
# Free texts are shown only for groups of at least this many (never below k).
COMMENT_MIN_GROUP_SIZE = env_int("COMMENT_MIN_GROUP_SIZE", 10)
# Key drivers (relative weights) are shown for groups with at least this many
# complete respondents, with this many bootstrap resamples for the
# organisation and for each department.
DRIVERS_MIN_RESPONDENTS = env_int("DRIVERS_MIN_RESPONDENTS", 30, minimum=1)
DRIVERS_RESAMPLES = env_int("DRIVERS_RESAMPLES", 2000, minimum=0)
DRIVERS_DEPARTMENT_RESAMPLES = env_int("DRIVERS_DEPARTMENT_RESAMPLES", 1000, minimum=0)
# Groups whose key drivers a release computes at once (threads: the linear
# algebra runs outside Python's lock).
DRIVERS_THREADS = env_int("DRIVERS_THREADS", min(os.cpu_count() or 1, 4), minimum=1)
# At most this many comment themes per wave.
THEMES_MAX = env_int("THEMES_MAX", 8)
# Responsibility concentration verdict: a department is "concentrated on the
# designated owner" when its designated share is above the first value and the
# lower bound of its confidence interval above the second.
CONCENTRATION_DESIGNATED_SHARE = 0.50
CONCENTRATION_DESIGNATED_LOWER = 0.40
PERMUTATION_RESAMPLES = env_int("PERMUTATION_RESAMPLES", 4999)
# Drawn charts are cached, keyed by everything they draw.
REPORT_CACHE_SECONDS = env_int("REPORT_CACHE_SECONDS", 24 * 3600)

# The organisation import refuses to deactivate more than this share of the
# active employees unless told to (`--allow-mass-deactivation`).
ORG_IMPORT_MAX_DEACTIVATION_SHARE = 0.20

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
    # Every background task logs its start and end at INFO; keep the console calm.
    "loggers": {
        "django_tasks": {"level": "WARNING"},
        "django.tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
    },
}

# REST API (/api/v1/) ----------------------------------------------------------
# Requests per token (or logged-in user), per client address for
# POST responses/, and per address for requests without credentials. DRF rate
# syntax: "<n>/second|minute|hour|day".
API_THROTTLE_TOKEN = env_str("API_THROTTLE_TOKEN", "120/minute")
API_THROTTLE_RESPONSES = env_str("API_THROTTLE_RESPONSES", "30/minute")
API_THROTTLE_ANONYMOUS = env_str("API_THROTTLE_ANONYMOUS", "60/minute")
API_PAGE_SIZE = env_int("API_PAGE_SIZE", 100)

# How many proxies in front of the app append to X-Forwarded-For (the README's
# TLS proxy: 1). Every per-address limit takes the client's address from
# there; with 0 the header is ignored, since anyone can send it.
TRUSTED_PROXY_COUNT = env_int("DJANGO_TRUSTED_PROXY_COUNT", 0)

REST_FRAMEWORK = {
    # DRF's client address (its throttles, and the survey links' limit) trusts
    # exactly TRUSTED_PROXY_COUNT proxies.
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # First, so that requests without credentials get 401, not 403.
        "api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pagination",
    "PAGE_SIZE": API_PAGE_SIZE,
    "DEFAULT_THROTTLE_RATES": {
        "token": API_THROTTLE_TOKEN,
        "responses": API_THROTTLE_RESPONSES,
        "anonymous": API_THROTTLE_ANONYMOUS,
    },
    # {"errors": [...]} for everything under /api/v1/ (other DRF views, such as
    # Wagtail's admin API, keep DRF's format). Renderers, parsers, permissions
    # and throttles are set on the API's views.
    "EXCEPTION_HANDLER": "api.exceptions.api_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Customer Ownership API",
    "DESCRIPTION": (
        "Results (with the same disclosure control as the HR views), the "
        "organisation, surveys and response submission. Authenticate with "
        "`Authorization: Token <key>` (or `Bearer <key>`); each endpoint names "
        'the scope it needs. Errors are `{"errors": [{"field", "code", '
        '"message"}]}`.'
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "PREPROCESSING_HOOKS": ["api.schema.only_api_v1"],
    "COMPONENT_SPLIT_REQUEST": True,
    "TAGS": [
        {"name": "results", "description": "Reports of a wave, and trends."},
        {"name": "organisation", "description": "Departments and loci."},
        {"name": "surveys", "description": "Surveys, constructs and waves."},
        {"name": "responses", "description": "Submitting responses."},
    ],
    # Docs are served from local static files, never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}
