"""The platform's API routes served by the reference host (``/api/v1/...``)."""

from __future__ import annotations

from django.urls import path

from profiler_host import views

urlpatterns = [
    path("student/missions", views.StudentMissionListView.as_view(), name="student-missions"),
    path("student/missions/dashboard", views.MissionDashboardView.as_view(), name="mission-dashboard"),
    path(
        "recipes/profiler-recommendations",
        views.ProfilerRecommendationsView.as_view(),
        name="profiler-recommendations",
    ),
    path(
        "profiler/mentees/<str:mentee_id>/results", views.MenteeResultsView.as_view(), name="mentee-results"
    ),
    path("profiler/value-statement", views.ValueStatementView.as_view(), name="value-statement"),
    path("profiler/completions", views.ProfilerCompletionView.as_view(), name="profiler-completions"),
    path(
        "profiler/cohorts/<str:cohort_id>/analytics",
        views.CohortAnalyticsView.as_view(),
        name="cohort-analytics",
    ),
    path(
        "profiler/enterprises/<str:enterprise_id>/analytics",
        views.EnterpriseAnalyticsView.as_view(),
        name="enterprise-analytics",
    ),
    path("marketplace/talent-matches", views.TalentMatchesView.as_view(), name="talent-matches"),
]
