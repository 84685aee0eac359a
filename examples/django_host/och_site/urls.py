"""Root URLs: the API under ``/api/v1/``, the dashboard pages under ``/dashboards/``."""

from __future__ import annotations

from django.urls import include, path
from profiler_host import dashboards

urlpatterns = [
    path("api/v1/", include("profiler_host.urls")),
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
