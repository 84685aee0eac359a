"""The seed's routes (``/api/v1/...``), answered with the bodies the OCH frontend reads.

The platform's own paths where it routes the endpoint, and the seed's
(``PROFILER_INTEGRATIONS_TODO.md``) where it names another: both answer the
same view. Ids in paths are checked by the request edge (400 when malformed),
so every path converter here is ``str``.
"""

from __future__ import annotations

from django.urls import path

from profiler_host import views

urlpatterns = [
    # missions/urls.py: student/missions/ (the dashboard is unrouted on the platform; served here)
    path("student/missions/", views.StudentMissionListView.as_view(), name="student-missions"),
    path("student/missions", views.StudentMissionListView.as_view()),
    path("student/missions/dashboard", views.MissionDashboardView.as_view(), name="mission-dashboard"),
    # recipes/urls.py
    path(
        "recipes/profiler-recommendations",
        views.ProfilerRecommendationsView.as_view(),
        name="profiler-recommendations",
    ),
    # profiler/urls.py
    path(
        "profiler/mentees/<str:mentee_id>/results", views.MenteeResultsView.as_view(), name="mentee-results"
    ),
    path(
        "profiler/mentees/<str:mentee_id>/future-you", views.FutureYouView.as_view(), name="mentee-future-you"
    ),
    path("profiler/value-statement", views.ValueStatementView.as_view(), name="value-statement"),
    path(
        "profiler/admin/cohorts/<str:cohort_id>/analytics",
        views.CohortAnalyticsView.as_view(),
        name="cohort-analytics",
    ),
    path(
        "profiler/admin/enterprise/analytics",
        views.EnterpriseAnalyticsView.as_view(),
        name="enterprise-analytics",
    ),
    # the seed's task 7.1 paths
    path("profiler/cohorts/<str:cohort_id>/analytics", views.CohortAnalyticsView.as_view()),
    path("profiler/enterprises/<str:enterprise_id>/analytics", views.EnterpriseAnalyticsView.as_view()),
    # marketplace: the seed's task 6.2 path, and the route both repositories have
    path("marketplace/talent-matches", views.TalentMatchesView.as_view(), name="talent-matches"),
    path(
        "marketplace/talent-matches/profiler",
        views.ProfilerTalentMatchesView.as_view(),
        name="talent-matches-profiler",
    ),
]
