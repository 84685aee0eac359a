"""profiler_core: the OCH onboarding profiler's outcome, turned into decisions.

Framework-free: frozen ``attrs`` values and pure functions, ``cattrs`` at the
wire edge (:func:`structure` / :func:`unstructure`), ``typing.Protocol``
repository ports that hosts implement, and thin services.
"""

from profiler_core.decisions import PolicyRef, Reason
from profiler_core.errors import (
    AccessDeniedError,
    InvalidPayloadError,
    InvalidValueError,
    NotFoundError,
    PolicyError,
    Problem,
    ProfilerCoreError,
    UnknownValueError,
)
from profiler_core.frozenmap import FrozenMap
from profiler_core.models import (
    BehavioralProfile,
    CategoryScore,
    Cohort,
    CohortId,
    Enrollment,
    EntryId,
    IdentityResponse,
    JobId,
    JobPosting,
    MentorAssignment,
    Mission,
    MissionId,
    OrgId,
    PortfolioEntry,
    Principal,
    ProfilerResult,
    ProfilerSession,
    Recipe,
    RecipeId,
    Reflection,
    RoleGrant,
    SessionId,
    Subtask,
    TalentProfile,
    UserId,
    technical_exposure_percentage,
)
from profiler_core.serialization import make_converter, structure, unstructure
from profiler_core.vocabulary import (
    AssignmentStatus,
    AssignmentType,
    DifficultySelection,
    EnrollmentStatus,
    GapType,
    JobLevel,
    MissionDifficulty,
    Priority,
    RecipeDifficulty,
    Role,
    Scope,
    SessionStatus,
    TrackKey,
    Visibility,
    parse_mission_difficulty,
    parse_track,
    parse_track_lenient,
)

# [issue 3 imports]
# [issue 4 imports]
# [issue 5 imports]
# [issue 6 imports]
# [issue 7 imports]

__version__ = "0.1.0"

__all__ = [
    "__version__",
    # decisions
    "PolicyRef",
    "Reason",
    # errors
    "AccessDeniedError",
    "InvalidPayloadError",
    "InvalidValueError",
    "NotFoundError",
    "PolicyError",
    "Problem",
    "ProfilerCoreError",
    "UnknownValueError",
    # values
    "FrozenMap",
    "BehavioralProfile",
    "CategoryScore",
    "Cohort",
    "CohortId",
    "Enrollment",
    "EntryId",
    "IdentityResponse",
    "JobId",
    "JobPosting",
    "MentorAssignment",
    "Mission",
    "MissionId",
    "OrgId",
    "PortfolioEntry",
    "Principal",
    "ProfilerResult",
    "ProfilerSession",
    "Recipe",
    "RecipeId",
    "Reflection",
    "RoleGrant",
    "SessionId",
    "Subtask",
    "TalentProfile",
    "UserId",
    "technical_exposure_percentage",
    # wire edge
    "make_converter",
    "structure",
    "unstructure",
    # vocabulary
    "AssignmentStatus",
    "AssignmentType",
    "DifficultySelection",
    "EnrollmentStatus",
    "GapType",
    "JobLevel",
    "MissionDifficulty",
    "Priority",
    "RecipeDifficulty",
    "Role",
    "Scope",
    "SessionStatus",
    "TrackKey",
    "Visibility",
    "parse_mission_difficulty",
    "parse_track",
    "parse_track_lenient",
    # [issue 3 names]
    # [issue 4 names]
    # [issue 5 names]
    # [issue 6 names]
    # [issue 7 names]
]
