"""Hypothesis strategies for every value type (needs ``hypothesis``).

Every strategy builds valid values; use them to property-test code that
consumes :mod:`profiler_core` values, e.g. ``@given(sessions())``.

Most fields are not written here: :func:`_builds` derives them from the value
class itself (a numeric field's documented range, an enum's members, an id
type, ``None`` for an optional field, an aware timestamp). A strategy names
only what the field cannot say: the pools values are drawn from (skill codes,
categories) and the rules between fields.
"""

from __future__ import annotations

import enum
import typing
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from typing import Any, TypeVar

import attrs
from hypothesis import strategies as st

from profiler_core.field_rules import RANGE, _non_empty
from profiler_core.frozenmap import FrozenMap
from profiler_core.models import (
    AssignmentId,
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
    SubtaskId,
    TalentProfile,
    UserId,
)
from profiler_core.vocabulary import (
    AssignmentType,
    RecipeDifficulty,
    Scope,
    SessionStatus,
    TrackKey,
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


T = TypeVar("T")
A = TypeVar("A", bound=attrs.AttrsInstance)

# The prefix of each id type's generated ids ("u-17" for a UserId).
_ID_PREFIXES: dict[object, str] = {
    UserId: "u",
    SessionId: "s",
    MissionId: "m",
    SubtaskId: "t",
    RecipeId: "r",
    CohortId: "c",
    OrgId: "org",
    JobId: "job",
    EntryId: "e",
    AssignmentId: "a",
}


def _builds(cls: type[A], /, **given: st.SearchStrategy[Any]) -> st.SearchStrategy[A]:
    """``st.builds(cls)`` with the *given* fields, every other field derived from the field itself."""
    hints = typing.get_type_hints(cls)
    derived = {f.name: _for_field(f, hints[f.name]) for f in attrs.fields(cls) if f.name not in given}
    return st.builds(cls, **derived, **given)


def _for_field(field: attrs.Attribute[Any], hint: object) -> st.SearchStrategy[Any]:
    bounds = field.metadata.get(RANGE)
    if bounds is not None:  # the documented range the field's validator checks
        low, high = bounds
        whole = int in (typing.get_args(hint) or (hint,))
        inside = st.integers(int(low), int(high)) if whole else st.floats(low, high, allow_nan=False)
        return st.none() | inside if type(None) in typing.get_args(hint) else inside
    if field.validator is _non_empty:
        return _words
    return _for_type(hint)


def _for_type(hint: Any) -> st.SearchStrategy[Any]:
    args = typing.get_args(hint)
    if type(None) in args:
        (inner,) = (a for a in args if a is not type(None))
        return st.none() | _for_type(inner)
    origin = typing.get_origin(hint)
    if origin is tuple:
        return st.lists(_for_type(args[0]), max_size=3).map(tuple)
    if origin is FrozenMap:
        return st.dictionaries(_for_type(args[0]), _for_type(args[1]), max_size=3)
    if hint in _ID_PREFIXES:
        return ids(_ID_PREFIXES[hint]).map(hint)
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return st.sampled_from(hint)
    if isinstance(hint, type) and attrs.has(hint):
        return _builds(hint)
    plain: dict[object, Callable[[], st.SearchStrategy[Any]]] = {
        bool: st.booleans,
        str: lambda: _text,
        datetime: timestamps,
    }
    if hint not in plain:
        raise TypeError(f"no strategy derives from {hint!r}: give the field one")
    return plain[hint]()


def _or(given: st.SearchStrategy[T] | None, default: st.SearchStrategy[T]) -> st.SearchStrategy[T]:
    return default if given is None else given


def _word_tuples(max_size: int, template: str = "{}") -> st.SearchStrategy[tuple[str, ...]]:
    return st.lists(_words.map(lambda w: template.format(w.strip())), max_size=max_size).map(tuple)


def _codes(max_size: int, *, unique: bool = False) -> st.SearchStrategy[tuple[str, ...]]:
    return st.lists(st.sampled_from(SKILL_CODES), max_size=max_size, unique=unique).map(tuple)


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
        strengths=_word_tuples(3),
        areas_for_growth=_word_tuples(3, "Improve {} skills"),
    )


def reflections() -> st.SearchStrategy[Reflection]:
    """Both, one or none of the reflection answers."""
    return _builds(Reflection)


def identity_responses() -> st.SearchStrategy[IdentityResponse]:
    """An answer of the Identity & Value module."""
    return _builds(IdentityResponse, question_id=ids("q"))


@st.composite
def sessions(
    draw: st.DrawFn,
    *,
    user_id: st.SearchStrategy[UserId] | None = None,
    status: st.SearchStrategy[SessionStatus] | None = None,
) -> ProfilerSession:
    """Any profiler session (completed or not)."""
    started = draw(timestamps())
    exposure = draw(st.none() | scores())
    return draw(
        _builds(
            ProfilerSession,
            user_id=_or(user_id, user_ids()),
            status=_or(status, st.sampled_from(SessionStatus)),
            started_at=st.just(started),
            completed_at=st.none() | st.integers(1, 600).map(lambda m: started + timedelta(minutes=m)),
            technical_exposure_score=st.just(exposure),
            # No answered question is no evidence, so 0 answered comes only without a score.
            technical_exposure_answered=st.none() | st.integers(0 if exposure is None else 1, 30),
            behavioral_profile=behavioral_profiles(),
            strengths=_word_tuples(3),
            track_alignment_percentages=st.dictionaries(st.sampled_from(TrackKey), scores()),
            identity_responses=st.lists(identity_responses(), max_size=3).map(tuple),
            anti_cheat_flags=_word_tuples(2),
        )
    )


def completed_sessions(
    *, user_id: st.SearchStrategy[UserId] | None = None
) -> st.SearchStrategy[ProfilerSession]:
    """Sessions whose status is ``finished`` or ``locked``."""
    return sessions(user_id=user_id, status=st.sampled_from([SessionStatus.FINISHED, SessionStatus.LOCKED]))


def results() -> st.SearchStrategy[ProfilerResult]:
    """A result with a breakdown in either shape."""
    return _builds(
        ProfilerResult,
        aptitude_breakdown=st.dictionaries(st.sampled_from(CATEGORIES), category_scores()),
        behavioral_traits=st.dictionaries(
            st.sampled_from(("teamwork", "communication")),
            st.floats(min_value=0, max_value=5, allow_nan=False),
        ),
        strengths=_word_tuples(3),
        areas_for_growth=_word_tuples(3, "Develop {} skills"),
    )


def subtasks() -> st.SearchStrategy[Subtask]:
    """A subtask with required skills."""
    return _builds(Subtask, required_skills=_codes(3))


#: Track text of real OCH rows that is not a track (kept as unknown, SPEC §2).
UNKNOWN_TRACK_TEXT = ("GENERAL", "CLOUD", "DFIR", "Feb", "Voluptates hic magna")


_Tracked = typing.TypeVar("_Tracked", Mission, Cohort)


def _label_when_trackless(values: st.SearchStrategy[_Tracked]) -> st.SearchStrategy[_Tracked]:
    """*values*, and those without a track also holding an unknown track label."""

    def labelled(value: _Tracked, label: str) -> _Tracked:
        return value if value.track is not None else attrs.evolve(value, track_label=label)

    return values | st.builds(labelled, values, st.sampled_from(UNKNOWN_TRACK_TEXT))


def missions() -> st.SearchStrategy[Mission]:
    """A mission at any difficulty, active or not (a trackless one may hold an unknown track label)."""
    return _label_when_trackless(_missions())


def _missions() -> st.SearchStrategy[Mission]:
    return _builds(
        Mission,
        track_label=st.none(),
        code=ids("M"),
        tier=st.none() | st.sampled_from(("beginner", "intermediate", "advanced", "mastery")),
        skills_tags=_codes(3),
        subtasks=st.lists(subtasks(), max_size=3).map(tuple),
        recipe_recommendations=st.lists(ids("r"), max_size=3).map(tuple),
    )


#: Recipe difficulty text of real OCH rows that is not a recipe difficulty (V's frontend type).
UNKNOWN_RECIPE_DIFFICULTY_TEXT = ("mastery", "Mastery")


def recipes() -> st.SearchStrategy[Recipe]:
    """A recipe tagged with skill codes (its difficulty may be text outside the vocabulary: a label)."""
    known = _builds(
        Recipe,
        slug=ids("recipe"),
        skill_codes=_codes(4, unique=True),
        track_codes=st.lists(st.sampled_from(TrackKey), max_size=2, unique=True).map(tuple),
        unknown_track_codes=st.lists(st.sampled_from(UNKNOWN_TRACK_TEXT), max_size=2, unique=True).map(tuple),
        difficulty=st.sampled_from(RecipeDifficulty),
        difficulty_label=st.none(),
    )
    labelled = st.builds(
        lambda recipe, label: attrs.evolve(recipe, difficulty=None, difficulty_label=label),
        known,
        st.sampled_from(UNKNOWN_RECIPE_DIFFICULTY_TEXT),
    )
    return known | labelled


def enrollments() -> st.SearchStrategy[Enrollment]:
    """An enrollment in any status."""
    return _builds(Enrollment)


def cohorts() -> st.SearchStrategy[Cohort]:
    """A cohort, with or without track and sponsor (a trackless one may hold an unknown track label)."""
    return _label_when_trackless(_builds(Cohort, track_label=st.none()))


@st.composite
def mentor_assignments(
    draw: st.DrawFn,
    *,
    users: st.SearchStrategy[UserId] | None = None,
    cohort_ids: st.SearchStrategy[CohortId] | None = None,
    tracks: st.SearchStrategy[TrackKey] | None = None,
    expiries: st.SearchStrategy[datetime | None] | None = None,
) -> MentorAssignment:
    """An assignment of any type and status (its target matches its type).

    The keyword arguments narrow where its ids, track and expiry come from.
    """
    kind = draw(st.sampled_from(AssignmentType))
    people = _or(users, user_ids())
    return draw(
        _builds(
            MentorAssignment,
            mentor_id=people,
            assignment_type=st.just(kind),
            mentee_id=people if kind is AssignmentType.DIRECT else st.none(),
            cohort_id=_or(cohort_ids, ids("c").map(CohortId)) if kind is AssignmentType.COHORT else st.none(),
            track=_or(tracks, st.sampled_from(TrackKey)) if kind is AssignmentType.TRACK else st.none(),
            expires_at=_or(expiries, st.none() | timestamps()),
        )
    )


@st.composite
def role_grants(
    draw: st.DrawFn,
    *,
    org_ids: st.SearchStrategy[OrgId] | None = None,
    cohort_ids: st.SearchStrategy[CohortId] | None = None,
    tracks: st.SearchStrategy[TrackKey] | None = None,
    expiries: st.SearchStrategy[datetime | None] | None = None,
) -> RoleGrant:
    """A grant of any role and scope (``scope_ref`` matches the scope).

    The keyword arguments narrow where its ``scope_ref`` and expiry come from.
    """
    scope = draw(st.sampled_from(Scope))
    ref = {
        Scope.GLOBAL: st.none(),
        Scope.ORG: _or(org_ids, ids("org")),
        Scope.COHORT: _or(cohort_ids, ids("c")),
        Scope.TRACK: _or(tracks, st.sampled_from(TrackKey)).map(str),
    }[scope]
    return draw(
        _builds(
            RoleGrant, scope=st.just(scope), scope_ref=ref, expires_at=_or(expiries, st.none() | timestamps())
        )
    )


def principals() -> st.SearchStrategy[Principal]:
    """A viewer with up to four grants."""
    return _builds(Principal, roles=st.lists(role_grants(), max_size=4).map(tuple))


def job_postings() -> st.SearchStrategy[JobPosting]:
    """A job posting, with or without track, level and deadline."""
    return _builds(
        JobPosting,
        job_type=st.sampled_from(("full_time", "internship", "contract")),
        required_skills=_codes(5, unique=True),
    )


def talent_profiles() -> st.SearchStrategy[TalentProfile]:
    """A marketplace profile."""
    return _builds(TalentProfile, skills=_codes(6, unique=True))


def portfolio_entries() -> st.SearchStrategy[PortfolioEntry]:
    """A portfolio entry."""
    return _builds(
        PortfolioEntry,
        summary=_text,
        item_type=st.sampled_from(("reflection", "project")),
        status=st.sampled_from(("approved", "draft")),
    )
