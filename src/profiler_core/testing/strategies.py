"""Hypothesis strategies for every value type (needs ``hypothesis``).

Every strategy builds valid values; use them to property-test code that
consumes :mod:`profiler_core` values, e.g. ``@given(sessions())``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from hypothesis import strategies as st

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
)
from profiler_core.vocabulary import (
    AssignmentStatus,
    AssignmentType,
    DifficultySelection,
    EnrollmentStatus,
    JobLevel,
    MissionDifficulty,
    RecipeDifficulty,
    Role,
    Scope,
    SessionStatus,
    TrackKey,
    Visibility,
)

__all__ = [
    "ids",
    "user_ids",
    "scores",
    "timestamps",
    "category_scores",
    "behavioral_profiles",
    "reflections",
    "identity_responses",
    "sessions",
    "completed_sessions",
    "results",
    "subtasks",
    "missions",
    "recipes",
    "enrollments",
    "cohorts",
    "mentor_assignments",
    "role_grants",
    "principals",
    "job_postings",
    "talent_profiles",
    "portfolio_entries",
    "SKILL_CODES",
    "CATEGORIES",
]

#: Skill codes the strategies draw from (a subset of the default taxonomy).
SKILL_CODES = (
    "NET",
    "DNS",
    "SEC",
    "SIEM",
    "PYTHON",
    "BASH",
    "LINUX",
    "WIN",
    "CLOUD",
    "AWS",
    "CRYPTO",
    "WEB",
    "OWASP",
)
#: Aptitude categories the strategies draw from.
CATEGORIES = ("networking", "security", "programming", "linux", "cloud", "web", "cryptography")

_text = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=30)
_words = st.text("abcdefghijklmnopqrstuvwxyz ", min_size=1, max_size=20).filter(lambda s: s.strip() != "")


def ids(prefix: str = "id") -> st.SearchStrategy[str]:
    """Short non-empty ids like ``"id-17"``."""
    return st.integers(min_value=0, max_value=10_000).map(lambda n: f"{prefix}-{n}")


def user_ids() -> st.SearchStrategy[UserId]:
    """Learner / user ids."""
    return ids("u").map(UserId)


def scores() -> st.SearchStrategy[float]:
    """Floats in 0..100 (both ends included)."""
    return st.floats(min_value=0, max_value=100, allow_nan=False)


def timestamps() -> st.SearchStrategy[datetime]:
    """Timezone-aware datetimes in 2024..2030, with UTC or a fixed offset."""
    offsets = st.sampled_from([UTC, timezone(timedelta(hours=2)), timezone(timedelta(hours=-5))])
    return st.datetimes(
        min_value=datetime(2024, 1, 1),  # noqa: DTZ001 - hypothesis wants naive bounds
        max_value=datetime(2030, 1, 1),  # noqa: DTZ001 - and adds the timezone itself
        timezones=offsets,
    )


@st.composite
def category_scores(draw: st.DrawFn) -> CategoryScore:
    """Either a plain score, or counts (``total`` may be 0: no evidence)."""
    if draw(st.booleans()):
        return CategoryScore(score=draw(scores()))
    total = draw(st.integers(min_value=0, max_value=20))
    correct = draw(st.integers(min_value=0, max_value=total))
    points = draw(st.none() | st.floats(min_value=0, max_value=100, allow_nan=False))
    return CategoryScore.from_counts(correct=correct, total=total, points=points)


def behavioral_profiles() -> st.SearchStrategy[BehavioralProfile]:
    """Traits, strengths and areas for growth."""
    return st.builds(
        BehavioralProfile,
        traits=st.dictionaries(
            st.sampled_from(("teamwork", "communication", "leadership", "documentation")),
            st.floats(min_value=0, max_value=5, allow_nan=False),
        ),
        strengths=st.lists(_words, max_size=3).map(tuple),
        areas_for_growth=st.lists(_words.map(lambda w: f"Improve {w.strip()} skills"), max_size=3).map(tuple),
    )


def reflections() -> st.SearchStrategy[Reflection]:
    """Both, one or none of the reflection answers."""
    return st.builds(Reflection, why_cyber=st.none() | _text, what_achieve=st.none() | _text)


def identity_responses() -> st.SearchStrategy[IdentityResponse]:
    """An answer of the Identity & Value module."""
    return st.builds(IdentityResponse, question_id=ids("q"), text=_text)


@st.composite
def sessions(
    draw: st.DrawFn,
    *,
    user_id: st.SearchStrategy[UserId] | None = None,
    status: st.SearchStrategy[SessionStatus] | None = None,
) -> ProfilerSession:
    """Any profiler session (completed or not)."""
    started = draw(timestamps())
    the_status = draw(status if status is not None else st.sampled_from(SessionStatus))
    completed = draw(st.none() | st.just(started + timedelta(minutes=draw(st.integers(1, 600)))))
    exposure = draw(st.none() | scores())
    # No answered question is no evidence, so 0 answered comes only without a score.
    answered = draw(st.none() | st.integers(0 if exposure is None else 1, 30))
    return ProfilerSession(
        id=SessionId(draw(ids("s"))),
        user_id=draw(user_id if user_id is not None else user_ids()),
        status=the_status,
        started_at=started,
        completed_at=completed,
        difficulty_selection=draw(st.none() | st.sampled_from(DifficultySelection)),
        aptitude_score=draw(st.none() | scores()),
        technical_exposure_score=exposure,
        technical_exposure_answered=answered,
        behavioral_profile=draw(behavioral_profiles()),
        strengths=tuple(draw(st.lists(_words, max_size=3))),
        recommended_track=draw(st.none() | st.sampled_from(TrackKey)),
        track_confidence=draw(st.none() | st.floats(min_value=0, max_value=1, allow_nan=False)),
        track_alignment_percentages=draw(st.dictionaries(st.sampled_from(TrackKey), scores())),
        reflection=draw(reflections()),
        identity_responses=tuple(draw(st.lists(identity_responses(), max_size=3))),
        anti_cheat_score=draw(st.none() | scores()),
        anti_cheat_flags=tuple(draw(st.lists(_words, max_size=2))),
    )


def completed_sessions(
    *, user_id: st.SearchStrategy[UserId] | None = None
) -> st.SearchStrategy[ProfilerSession]:
    """Sessions whose status is ``finished`` or ``locked``."""
    return sessions(user_id=user_id, status=st.sampled_from([SessionStatus.FINISHED, SessionStatus.LOCKED]))


def results() -> st.SearchStrategy[ProfilerResult]:
    """A result with a breakdown in either shape."""
    return st.builds(
        ProfilerResult,
        session_id=st.none() | ids("s").map(SessionId),
        overall_score=st.none() | scores(),
        aptitude_score=st.none() | scores(),
        behavioral_score=st.none() | scores(),
        aptitude_breakdown=st.dictionaries(st.sampled_from(CATEGORIES), category_scores()),
        behavioral_traits=st.dictionaries(
            st.sampled_from(("teamwork", "communication")),
            st.floats(min_value=0, max_value=5, allow_nan=False),
        ),
        strengths=st.lists(_words, max_size=3).map(tuple),
        areas_for_growth=st.lists(_words.map(lambda w: f"Develop {w.strip()} skills"), max_size=3).map(tuple),
    )


def subtasks() -> st.SearchStrategy[Subtask]:
    """A subtask with required skills."""
    return st.builds(
        Subtask,
        id=st.none() | ids("t"),
        title=_text,
        required_skills=st.lists(st.sampled_from(SKILL_CODES), max_size=3).map(tuple),
    )


def missions() -> st.SearchStrategy[Mission]:
    """A mission at any difficulty, active or not."""
    return st.builds(
        Mission,
        id=ids("m").map(MissionId),
        code=ids("M"),
        title=_text,
        difficulty=st.sampled_from(MissionDifficulty),
        track=st.none() | st.sampled_from(TrackKey),
        tier=st.none() | st.sampled_from(("beginner", "intermediate", "advanced", "mastery")),
        is_active=st.booleans(),
        skills_tags=st.lists(st.sampled_from(SKILL_CODES), max_size=3).map(tuple),
        subtasks=st.lists(subtasks(), max_size=3).map(tuple),
        recipe_recommendations=st.lists(ids("r"), max_size=3).map(tuple),
    )


def recipes() -> st.SearchStrategy[Recipe]:
    """A recipe tagged with skill codes."""
    return st.builds(
        Recipe,
        id=ids("r").map(RecipeId),
        slug=ids("recipe"),
        title=_text,
        skill_codes=st.lists(st.sampled_from(SKILL_CODES), max_size=4, unique=True).map(tuple),
        track_codes=st.lists(st.sampled_from(TrackKey), max_size=2, unique=True).map(tuple),
        difficulty=st.sampled_from(RecipeDifficulty),
        estimated_minutes=st.integers(0, 240),
        usage_count=st.integers(0, 100_000),
        avg_rating=st.floats(min_value=0, max_value=5, allow_nan=False),
        is_active=st.booleans(),
    )


def enrollments() -> st.SearchStrategy[Enrollment]:
    """An enrollment in any status."""
    return st.builds(
        Enrollment,
        user_id=user_ids(),
        cohort_id=ids("c").map(CohortId),
        status=st.sampled_from(EnrollmentStatus),
    )


def cohorts() -> st.SearchStrategy[Cohort]:
    """A cohort, with or without track and sponsor."""
    return st.builds(
        Cohort,
        id=ids("c").map(CohortId),
        name=_text,
        track=st.none() | st.sampled_from(TrackKey),
        enterprise_id=st.none() | ids("org").map(OrgId),
    )


@st.composite
def mentor_assignments(draw: st.DrawFn) -> MentorAssignment:
    """An assignment of any type and status (its target matches its type)."""
    kind = draw(st.sampled_from(AssignmentType))
    return MentorAssignment(
        id=draw(st.none() | ids("a")),
        mentor_id=draw(user_ids()),
        status=draw(st.sampled_from(AssignmentStatus)),
        assignment_type=kind,
        mentee_id=draw(user_ids()) if kind is AssignmentType.DIRECT else None,
        cohort_id=CohortId(draw(ids("c"))) if kind is AssignmentType.COHORT else None,
        track=draw(st.sampled_from(TrackKey)) if kind is AssignmentType.TRACK else None,
        expires_at=draw(st.none() | timestamps()),
    )


@st.composite
def role_grants(draw: st.DrawFn) -> RoleGrant:
    """A grant of any role and scope (``scope_ref`` matches the scope)."""
    scope = draw(st.sampled_from(Scope))
    ref = {
        Scope.GLOBAL: st.none(),
        Scope.ORG: ids("org"),
        Scope.COHORT: ids("c"),
        Scope.TRACK: st.sampled_from(TrackKey).map(str),
    }[scope]
    return RoleGrant(
        role=draw(st.sampled_from(Role)),
        scope=scope,
        scope_ref=draw(ref),
        is_active=draw(st.booleans()),
        expires_at=draw(st.none() | timestamps()),
    )


def principals() -> st.SearchStrategy[Principal]:
    """A viewer with up to four grants."""
    return st.builds(
        Principal,
        user_id=user_ids(),
        is_staff=st.booleans(),
        roles=st.lists(role_grants(), max_size=4).map(tuple),
    )


def job_postings() -> st.SearchStrategy[JobPosting]:
    """A job posting, with or without track, level and deadline."""
    return st.builds(
        JobPosting,
        id=ids("job").map(JobId),
        title=_text,
        employer_id=ids("emp"),
        job_type=st.sampled_from(("full_time", "internship", "contract")),
        required_skills=st.lists(st.sampled_from(SKILL_CODES), max_size=5, unique=True).map(tuple),
        is_active=st.booleans(),
        application_deadline=st.none() | timestamps(),
        track=st.none() | st.sampled_from(TrackKey),
        level=st.none() | st.sampled_from(JobLevel),
    )


def talent_profiles() -> st.SearchStrategy[TalentProfile]:
    """A marketplace profile."""
    return st.builds(
        TalentProfile,
        user_id=user_ids(),
        skills=st.lists(st.sampled_from(SKILL_CODES), max_size=6, unique=True).map(tuple),
        readiness_score=st.none() | scores(),
        job_fit_score=st.none() | scores(),
        primary_track_key=st.none() | st.sampled_from(TrackKey),
        is_visible=st.booleans(),
        employer_share_consent=st.booleans(),
    )


def portfolio_entries() -> st.SearchStrategy[PortfolioEntry]:
    """A portfolio entry."""
    return st.builds(
        PortfolioEntry,
        id=st.none() | ids("e").map(EntryId),
        user_id=user_ids(),
        title=_text,
        summary=_text,
        item_type=st.sampled_from(("reflection", "project")),
        status=st.sampled_from(("approved", "draft")),
        visibility=st.sampled_from(Visibility),
        profiler_session_id=st.none() | ids("s").map(SessionId),
        created_at=st.none() | timestamps(),
        updated_at=st.none() | timestamps(),
        learner_edited_at=st.none() | timestamps(),
        suggested_summary=st.none() | _text,
    )
