"""The OCH profile: the library fitted to the real OCH platform (SPEC §12).

``bodies`` and ``bodies_analytics`` render, from the library's own result
objects, the JSON bodies the OCH platform's Next.js frontend reads for each
endpoint the seed names (docs/reference/och.md, "Bodies").
"""

from __future__ import annotations

from profiler_core.och.bodies import (
    BODY_VERSION,
    RESULTS_DENIED_ERROR,
    VALUE_STATEMENT_NOT_FOUND,
    OchResponse,
    OchUser,
    future_you_body,
    mentee_results_body,
    profiler_recommendations_body,
    talent_matches_body,
    value_statement_body,
)
from profiler_core.och.bodies_analytics import cohort_analytics_body, enterprise_analytics_body
from profiler_core.och.bodies_missions import missions_dashboard_body, student_missions_body

__all__ = [
    # bodies the OCH frontend reads (och.bodies, och.bodies_analytics, och.bodies_missions)
    "BODY_VERSION",
    "OchResponse",
    "OchUser",
    "RESULTS_DENIED_ERROR",
    "VALUE_STATEMENT_NOT_FOUND",
    "mentee_results_body",
    "future_you_body",
    "value_statement_body",
    "profiler_recommendations_body",
    "talent_matches_body",
    "student_missions_body",
    "missions_dashboard_body",
    "cohort_analytics_body",
    "enterprise_analytics_body",
]
