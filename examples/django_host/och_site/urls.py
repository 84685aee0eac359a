"""Root URLs: everything lives under ``/api/v1/``."""

from __future__ import annotations

from django.urls import include, path

urlpatterns = [path("api/v1/", include("profiler_host.urls"))]
