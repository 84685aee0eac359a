"""Use cases: ports in, pure functions in the middle, values out.

Services are plain functions taking repository ports as keyword arguments.
Each logs its decision at DEBUG with ids and codes only, logs integration
failures at WARNING with the exception, and puts the call's duration in
``extra``. An ordinary absence or a failing repository never raises to the
host: it degrades to a default carrying a reason. An outcome's ``degraded`` is
derived, never passed in: ``True`` exactly when one of its reasons has a code
of :data:`DEGRADED_REASON_CODES`.

The use cases live one module per integration (``missions``, ``recipes``,
``access``, ``portfolio`` for portfolio and leadership, ``marketplace``,
``analytics``) and are all re-exported here: import them from
``profiler_core.services``.
"""

from __future__ import annotations

from profiler_core.services._common import DEGRADED_REASON_CODES
from profiler_core.services.access import (
    AnalyticsAllowed,
    AnalyticsDenied,
    AnalyticsGate,
    AnalyticsNotFound,
    MenteeResults,
    ResultsAllowed,
    ResultsDenied,
    ResultsNotFound,
    cohort_analytics_gate,
    enterprise_analytics_gate,
    mentee_results,
)
from profiler_core.services.analytics import (
    AccessDecisionLike,
    CohortReportOutcome,
    EnterpriseReportOutcome,
    PrivateCohortReportOutcome,
    PrivateEnterpriseReportOutcome,
    ReportDenied,
    ReportNotFound,
    ReportRefused,
    ReportUnavailable,
    cohort_analytics_report,
    enterprise_analytics_report,
    private_cohort_analytics_report,
    private_enterprise_analytics_report,
)
from profiler_core.services.marketplace import (
    TALENT_MATCH_MESSAGES,
    TalentMatches,
    TalentSearch,
    talent_matches,
    talent_search,
)
from profiler_core.services.missions import (
    LearnerMissionPlan,
    LearnerMissions,
    mission_plan,
    missions_for_learner,
)
from profiler_core.services.portfolio import (
    LeadershipStart,
    StatementEditOutcome,
    ValueStatementSync,
    learner_edits_statement,
    on_profiler_completed,
    sync_value_statements,
    value_statement_for_leadership,
)
from profiler_core.services.recipes import ProfilerRecommendations, ProfilerStatus, profiler_recommendations

__all__ = [
    # every service: what makes an outcome degraded
    "DEGRADED_REASON_CODES",
    # missions (SPEC §3)
    "LearnerMissions",
    "missions_for_learner",
    "LearnerMissionPlan",
    "mission_plan",
    # recipes (SPEC §4)
    "ProfilerStatus",
    "ProfilerRecommendations",
    "profiler_recommendations",
    # access (SPEC §5)
    "ResultsAllowed",
    "ResultsDenied",
    "ResultsNotFound",
    "MenteeResults",
    "AnalyticsAllowed",
    "AnalyticsDenied",
    "AnalyticsNotFound",
    "AnalyticsGate",
    "mentee_results",
    "cohort_analytics_gate",
    "enterprise_analytics_gate",
    # portfolio and leadership (SPEC §6, §7)
    "ValueStatementSync",
    "on_profiler_completed",
    "sync_value_statements",
    "StatementEditOutcome",
    "learner_edits_statement",
    "LeadershipStart",
    "value_statement_for_leadership",
    # marketplace (SPEC §8)
    "TalentMatches",
    "TalentSearch",
    "talent_matches",
    "talent_search",
    "TALENT_MATCH_MESSAGES",
    # analytics (SPEC §9)
    "AccessDecisionLike",
    "ReportDenied",
    "ReportNotFound",
    "ReportUnavailable",
    "CohortReportOutcome",
    "EnterpriseReportOutcome",
    "cohort_analytics_report",
    "enterprise_analytics_report",
    # analytics under the opt-in differential-privacy policy (issue 14)
    "ReportRefused",
    "PrivateCohortReportOutcome",
    "PrivateEnterpriseReportOutcome",
    "private_cohort_analytics_report",
    "private_enterprise_analytics_report",
]
