"""The OCH profile: the library fitted to the real OCH platform (SPEC §12).

``bodies`` and ``bodies_analytics`` render, from the library's own result
objects, the JSON bodies the OCH platform's Next.js frontend reads for each
endpoint the seed names (docs/reference/och.md, "Bodies").

``directories`` resolves the platform's track and user references; ``rows``
(with ``profiler_rows``, ``catalogue_rows`` and ``people_rows``) reads its
tables' ``.values()`` rows and the FastAPI profiling service's session JSON
into library values (docs/reference/och.md, "Rows in").
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
from profiler_core.och.bodies_missions import (
    mission_plan_json,
    missions_dashboard_body,
    student_missions_body,
)
from profiler_core.och.catalogue_rows import (
    read_cohort,
    read_cohort_rows,
    read_job_posting,
    read_job_posting_rows,
    read_mission,
    read_mission_rows,
    read_recipe,
    read_recipe_rows,
)
from profiler_core.och.directories import TrackDirectory, TrackResolution, UserDirectory, UserResolution
from profiler_core.och.mission_rows import (
    read_mission_assignment,
    read_mission_assignment_rows,
    read_mission_submission,
    read_mission_submission_rows,
)
from profiler_core.och.people_rows import (
    read_enrollment,
    read_enrollment_rows,
    read_marketplace_profile,
    read_marketplace_profile_rows,
    read_mentee_mentor_assignment,
    read_mentee_mentor_assignment_rows,
    read_portfolio_api_item,
    read_portfolio_item,
    read_portfolio_item_rows,
    read_principal,
    read_program_mentor_assignment,
    read_program_mentor_assignment_rows,
    read_track_mentor_assignment,
    read_track_mentor_assignment_rows,
    read_user_role,
    read_user_role_rows,
)
from profiler_core.och.profiler_rows import (
    IDENTITY_CATEGORY,
    TECHNICAL_EXPOSURE_CATEGORY,
    read_fastapi_session,
    read_profiler_result,
    read_profiler_result_rows,
    read_profiler_session,
    read_profiler_session_rows,
)
from profiler_core.och.rows import IdKeyed, Row, RowNote, RowProblem, RowRead, RowsRead, RowUnknown, read_rows
from profiler_core.och.sync_rows import FastapiSync, read_fastapi_sync

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
    "mission_plan_json",
    "missions_dashboard_body",
    "cohort_analytics_body",
    "enterprise_analytics_body",
    # rows in: the row readers and the directories they use (och.directories, och.rows, och.*_rows)
    "TrackDirectory",
    "TrackResolution",
    "UserDirectory",
    "UserResolution",
    "Row",
    "IdKeyed",
    "RowRead",
    "RowProblem",
    "RowNote",
    "RowUnknown",
    "RowsRead",
    "read_rows",
    "IDENTITY_CATEGORY",
    "TECHNICAL_EXPOSURE_CATEGORY",
    "read_profiler_session",
    "read_profiler_session_rows",
    "read_fastapi_session",
    "FastapiSync",
    "read_fastapi_sync",
    "read_profiler_result",
    "read_profiler_result_rows",
    "read_recipe",
    "read_recipe_rows",
    "read_mission",
    "read_mission_rows",
    "read_mission_assignment",
    "read_mission_assignment_rows",
    "read_mission_submission",
    "read_mission_submission_rows",
    "read_job_posting",
    "read_job_posting_rows",
    "read_cohort",
    "read_cohort_rows",
    "read_user_role",
    "read_user_role_rows",
    "read_principal",
    "read_enrollment",
    "read_enrollment_rows",
    "read_portfolio_item",
    "read_portfolio_item_rows",
    "read_portfolio_api_item",
    "read_marketplace_profile",
    "read_marketplace_profile_rows",
    "read_mentee_mentor_assignment",
    "read_mentee_mentor_assignment_rows",
    "read_program_mentor_assignment",
    "read_program_mentor_assignment_rows",
    "read_track_mentor_assignment",
    "read_track_mentor_assignment_rows",
]
