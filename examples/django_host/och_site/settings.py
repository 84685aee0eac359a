"""Settings of the reference host.

SQLite (a file next to ``manage.py``) by default, so the host runs with no
set-up; PostgreSQL when ``DATABASE_URL`` is set
(``postgres://user:password@host:5432/name``). Everything here is an example:
the secret key, ``DEBUG`` and the header authentication are not production
settings.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent


def database_from_url(url: str | None) -> dict[str, object]:
    """Django's ``DATABASES["default"]`` from a ``DATABASE_URL`` (SQLite when unset).

    Understands ``postgres://``/``postgresql://`` and ``sqlite:///path``
    (``sqlite://:memory:`` for an in-memory database).

    Raises:
        ValueError: an unsupported scheme.
    """
    if not url:
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"}
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        name = unquote(parts.path.removeprefix("/")) or unquote(parts.netloc) or ":memory:"
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": name}
    if parts.scheme in {"postgres", "postgresql"}:
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path.removeprefix("/")),
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
        }
    raise ValueError(f"DATABASE_URL scheme {parts.scheme!r} is not supported (use postgres:// or sqlite:///)")


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "example-only-not-a-secret")
DEBUG = os.environ.get("DJANGO_DEBUG", "") == "1"
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "testserver"]

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "rest_framework",
    "drf_spectacular",
    "profiler_host",
]
MIDDLEWARE = ["django.middleware.common.CommonMiddleware"]
# Templates: only the dashboard pages' (profiler_host/templates/, found by APP_DIRS).
TEMPLATES = [{"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True}]
ROOT_URLCONF = "och_site.urls"
# The pages load no static file; a STATIC_URL is still needed by the test live server's static handler.
STATIC_URL = "static/"
WSGI_APPLICATION = "och_site.wsgi.application"

DATABASES = {"default": database_from_url(os.environ.get("DATABASE_URL"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "profiler_host.User"

# Aware datetimes everywhere: the library rejects naive timestamps.
USE_TZ = True
TIME_ZONE = "UTC"
USE_I18N = False

REST_FRAMEWORK = {
    # Example-only authentication: see profiler_host/auth.py.
    "DEFAULT_AUTHENTICATION_CLASSES": ("profiler_host.auth.HeaderUserAuthentication",),
    "DEFAULT_PERMISSION_CLASSES": ("rest_framework.permissions.IsAuthenticated",),
    "DEFAULT_RENDERER_CLASSES": ("rest_framework.renderers.JSONRenderer",),
    # DRF's JSON parser with bounds (nesting depth, no NUL): see profiler_host/edge.py.
    "DEFAULT_PARSER_CLASSES": ("profiler_host.edge.BoundedJSONParser",),
    # The library's errors as the documented statuses and bodies (profiler_core.drf).
    "EXCEPTION_HANDLER": "profiler_core.drf.exception_handler",
    "UNAUTHENTICATED_USER": None,
    # The OpenAPI document at /api/schema/ (drf-spectacular).
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}

# The OpenAPI document: 3.1, because the library's schemas are JSON Schema draft 2020-12;
# profiler_core.drf.postprocess_schema adds the library definitions the operations refer to.
SPECTACULAR_SETTINGS = {
    "TITLE": "profiler_core Django reference host",
    "DESCRIPTION": "The OCH platform's profiler endpoints, answered by profiler_core (example only).",
    "VERSION": "1",
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "POSTPROCESSING_HOOKS": ["profiler_core.drf.postprocess_schema"],
}

# The library's policies (profiler_core.drf.profiler_settings); every key is optional and a bad
# entry stops the start with ImproperlyConfigured naming it. k = 5 is the library's default.
PROFILER_CORE = {"suppression": {"k": 5}}

# The library never configures logging; the host decides. Decisions are logged at DEBUG
# (ids and codes only), repository failures at WARNING.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "profiler_core": {
            "handlers": ["console"],
            "level": os.environ.get("PROFILER_CORE_LOG_LEVEL", "WARNING"),
        },
    },
}
