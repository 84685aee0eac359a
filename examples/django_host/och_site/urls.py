"""Root URLs: the API under ``/api/v1/`` (OpenAPI at ``/api/schema/``), the pages under ``/dashboards/``."""

from __future__ import annotations

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from profiler_host import dashboards

api = path("api/v1/", include("profiler_host.urls"))

urlpatterns = [
    api,
    # The JSON API's OpenAPI 3.1 document (drf-spectacular; profiler_host/openapi.py has the bodies).
    path("api/schema/", SpectacularAPIView.as_view(patterns=[api]), name="openapi-schema"),
    # The dashboard pages (profiler_host/dashboards.py), gated as the JSON views are.
    path(
        "dashboards/cohorts/<str:cohort_id>/",
        dashboards.CohortDashboardView.as_view(),
        name="cohort-dashboard",
    ),
    path(
        "dashboards/enterprises/<str:enterprise_id>/",
        dashboards.EnterpriseDashboardView.as_view(),
        name="enterprise-dashboard",
    ),
    path(
        "dashboards/mentees/<str:mentee_id>/",
        dashboards.MenteeDashboardView.as_view(),
        name="mentee-dashboard",
    ),
]
