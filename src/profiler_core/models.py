"""The input values of SPEC §2: what hosts hand in, as frozen ``attrs`` classes.

Ids and their canonicalisation live in :mod:`profiler_core.ids`, the shared
field rules (bounds, aware timestamps) in :mod:`profiler_core.field_rules`;
their public names are re-exported here.

Values validate their own invariants at construction (scores within range,
aware timestamps, cross-field rules) and raise
:class:`~profiler_core.errors.InvalidValueError` naming the field. Parsing of
wire shapes (numeric strings, aliases, the two breakdown shapes) happens in
:mod:`profiler_core.serialization`, not here.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

import attrs
from attrs import field, frozen

from profiler_core.errors import InvalidValueError
from profiler_core.field_rules import (
    BOUNDS,
    MAX_MINUTES,
    MAX_POINTS,
    MAX_QUESTIONS,
    MAX_USAGE_COUNT,
    RANGE,
    SCORE_RANGE,
    _aware,
    _bounded,
    _count,
    _member,
    _non_empty,
    _ranged,
    _require_score,
    _score_field,
    _span,
    _strings,
    require_aware,
)
from profiler_core.frozenmap import FrozenMap, freeze
from profiler_core.ids import (
    AssignmentId,
    CohortId,
    EntryId,
    IdLike,
    JobId,
    MissionId,
    OrgId,
    RecipeId,
    SessionId,
    SubtaskId,
    UserId,
    canonical_id,
)

# Private helpers other modules import from here, as they did before ids.py existed: the
# `x as x` form is the explicit re-export mypy --strict recognises.
from profiler_core.ids import _canonical_keys as _canonical_keys  # noqa: PLC0414
from profiler_core.ids import _is_canonical_text as _is_canonical_text  # noqa: PLC0414
from profiler_core.ids import _to_id as _to_id  # noqa: PLC0414
from profiler_core.ids import _to_optional_id as _to_optional_id  # noqa: PLC0414
from profiler_core.ids import _valid_id as _valid_id  # noqa: PLC0414
from profiler_core.ids import _valid_optional_id as _valid_optional_id  # noqa: PLC0414
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
    normalise_token,
    parse_track_lenient,
)

# Names from ids and field_rules are re-exported: this module is the public face of
# the input values, as it was before they moved.
__all__ = [
    "IdLike",
    "canonical_id",
    "UserId",
    "SessionId",
    "MissionId",
    "RecipeId",
    "CohortId",
    "OrgId",
    "JobId",
    "EntryId",
    "AssignmentId",
    "SubtaskId",
    "CategoryScore",
    "BehavioralProfile",
    "Reflection",
    "IdentityResponse",
    "ProfilerSession",
    "ProfilerResult",
    "Subtask",
    "Mission",
    "Recipe",
    "Enrollment",
    "Cohort",
    "MentorAssignment",
    "RoleGrant",
    "Principal",
    "JobPosting",
    "TalentProfile",
    "PortfolioEntry",
    "technical_exposure_percentage",
    "require_aware",
    "RANGE",
    "MAX_QUESTIONS",
    "MAX_POINTS",
    "MAX_MINUTES",
    "MAX_USAGE_COUNT",
    "BOUNDS",
]


# --- converters ---------------------------------------------------------------


# attrs converters must be concrete (not generic) for mypy's attrs plugin to type __init__.
def _not_tracks(_instance: object, attribute: attrs.Attribute[Any], values: tuple[str, ...]) -> None:
    """Unknown track codes are text that is not a track (a track belongs in ``track_codes``)."""
    for value in values:
        if parse_track_lenient(value).key is not None:
            raise InvalidValueError(
                field=attribute.name, reason=f"{value!r} must be text that is not a track"
            )


def _track_label(instance: Any, attribute: attrs.Attribute[Any], value: str | None) -> None:
    """A track label is text that is not a track, held only when the value has no track."""
    if value is None:
        return
    if parse_track_lenient(value).key is not None:
        raise InvalidValueError(field=attribute.name, reason=f"{value!r} must be text that is not a track")
    if instance.track is not None:
        raise InvalidValueError(field=attribute.name, reason="is held only when there is no track")


def _difficulty_label(instance: Any, attribute: attrs.Attribute[Any], value: str | None) -> None:
    """A recipe's difficulty label: text that is not a recipe difficulty, held exactly when there is none."""
    if value is None:
        if instance.difficulty is None:
            raise InvalidValueError(field="difficulty", reason="is None only with a difficulty_label")
        return
    if normalise_token(value) in {d.value for d in RecipeDifficulty} or not value.strip():
        raise InvalidValueError(
            field=attribute.name, reason=f"{value!r} must be non-blank text that is not a recipe difficulty"
        )
    if instance.difficulty is not None:
        raise InvalidValueError(field=attribute.name, reason="is held only when there is no difficulty")


def _tracks(values: Iterable[TrackKey]) -> tuple[TrackKey, ...]:
    return tuple(values)


def _subtasks(values: Iterable[Subtask]) -> tuple[Subtask, ...]:
    return tuple(values)


def _identity(values: Iterable[IdentityResponse]) -> tuple[IdentityResponse, ...]:
    return tuple(values)


def _grants(values: Iterable[RoleGrant]) -> tuple[RoleGrant, ...]:
    return tuple(values)


def _float_map(values: Mapping[str, float] | None) -> FrozenMap[str, float]:
    return freeze(values)


def _track_map(values: Mapping[TrackKey, float] | None) -> FrozenMap[TrackKey, float]:
    return freeze(values)


def _category_map(values: Mapping[str, CategoryScore] | None) -> FrozenMap[str, CategoryScore]:
    return freeze(values)


def _scores_map(
    _inst: object,
    attribute: attrs.Attribute[Mapping[TrackKey, float]],
    value: Mapping[TrackKey, float],
) -> None:
    for key, score in value.items():
        _require_score(score, field=f"{attribute.name}.{key}")


def technical_exposure_percentage(raw_sum: int, questions_answered: int) -> float | None:
    """Convert the profiling service's raw technical-exposure sum into 0..100.

    Each answered question gives 1 (no exposure) to 3 (a lot) points, so the raw
    sum lies between ``questions_answered`` and ``3 * questions_answered``. The
    percentage is the position of the sum in that range: all lowest answers give
    0, all highest answers give 100. No answered question means no evidence
    (``None``), not 0%.

    Raises:
        InvalidValueError: the sum is outside the possible range, or a count is
            negative or above :data:`MAX_QUESTIONS`.

    >>> technical_exposure_percentage(20, 10)
    50.0
    >>> technical_exposure_percentage(0, 0) is None
    True
    """
    if not 0 <= questions_answered <= MAX_QUESTIONS:
        raise InvalidValueError(
            field="technical_exposure.answered",
            reason=f"must be {_span(0, MAX_QUESTIONS)}",
            problem_code="out_of_range",
        )
    if questions_answered == 0:
        if raw_sum != 0:
            raise InvalidValueError(
                field="technical_exposure.raw", reason="must be 0 when no question was answered"
            )
        return None
    if not questions_answered <= raw_sum <= 3 * questions_answered:
        raise InvalidValueError(
            field="technical_exposure.raw",
            reason=f"must be {questions_answered}..{3 * questions_answered} for {questions_answered} answers",
            problem_code="out_of_range",
        )
    return round((raw_sum - questions_answered) / (2 * questions_answered) * 100, 6)


# --- profiler -----------------------------------------------------------------


@frozen(kw_only=True)
class CategoryScore:
    """One aptitude category: a 0..100 score and, when known, the evidence behind it.

    Built from a plain number (``score`` only) or from counts with
    :meth:`from_counts`, where ``total`` is the evidence count and
    ``total == 0`` means "no evidence" (``score is None``), not 0%.
    """

    score: float | None = field(validator=_bounded(*SCORE_RANGE), metadata={RANGE: SCORE_RANGE})
    correct: int | None = _count(MAX_QUESTIONS)
    total: int | None = _count(MAX_QUESTIONS)
    points: float | None = _ranged(0.0, float(MAX_POINTS))

    @total.validator
    def _check_counts(self, _attribute: object, total: int | None) -> None:
        if total is None:
            if self.correct is not None:
                raise InvalidValueError(field="total", reason="is required when correct is given")
            if self.score is None:
                raise InvalidValueError(field="score", reason="is required without counts")
            return
        if self.correct is None or self.correct > total:
            raise InvalidValueError(field="correct", reason="must be 0..total")
        expected = None if total == 0 else self.correct / total * 100
        if expected is None and self.score is not None:
            raise InvalidValueError(field="score", reason="must be empty when total is 0")
        if expected is not None and (self.score is None or not math.isclose(self.score, expected)):
            raise InvalidValueError(field="score", reason="must equal correct / total x 100")

    @classmethod
    def from_counts(cls, *, correct: int, total: int, points: float | None = None) -> CategoryScore:
        """Build from ``{correct, total, points}``; ``total == 0`` gives ``score=None``.

        >>> CategoryScore.from_counts(correct=3, total=4).score
        75.0
        """
        score = None if total == 0 else correct / total * 100
        return cls(score=score, correct=correct, total=total, points=points)

    @property
    def evidence(self) -> int | None:
        """How many questions back the score (``None`` when only a number was given)."""
        return self.total


@frozen(kw_only=True)
class BehavioralProfile:
    """Behavioral traits (``{category: mean}``), strengths and areas for growth."""

    traits: FrozenMap[str, float] = field(factory=FrozenMap, converter=_float_map)
    strengths: tuple[str, ...] = field(default=(), converter=_strings)
    areas_for_growth: tuple[str, ...] = field(default=(), converter=_strings)

    @traits.validator
    def _check_traits(self, _attribute: object, traits: FrozenMap[str, float]) -> None:
        for key, value in traits.items():
            if isinstance(value, bool) or not math.isfinite(value):
                raise InvalidValueError(field=f"traits.{key}", reason="must be a finite number")


@frozen(kw_only=True)
class Reflection:
    """The two free-text reflection answers; both optional."""

    why_cyber: str | None = None
    what_achieve: str | None = None


@frozen(kw_only=True)
class IdentityResponse:
    """A chosen answer of the "Identity & Value" module."""

    question_id: str = field(validator=_non_empty)
    text: str


@frozen(kw_only=True)
class ProfilerSession:
    """One profiler session of one learner (SPEC §2).

    ``technical_exposure_score`` is always a percentage 0..100; when it was
    converted from a raw sum, ``technical_exposure_answered`` keeps the number
    of answered questions (the evidence, 0..:data:`MAX_QUESTIONS`). No answered
    question means no evidence: ``technical_exposure_answered == 0`` requires
    ``technical_exposure_score is None``.
    """

    id: SessionId = field(converter=_to_id, validator=_valid_id)
    user_id: UserId = field(converter=_to_id, validator=_valid_id)
    status: SessionStatus = field(validator=_member(SessionStatus))
    started_at: datetime | None = field(default=None, validator=_aware)
    completed_at: datetime | None = field(default=None, validator=_aware)
    difficulty_selection: DifficultySelection | None = field(
        default=None, validator=_member(DifficultySelection, optional=True)
    )
    aptitude_score: float | None = _score_field()
    technical_exposure_score: float | None = _score_field()
    technical_exposure_answered: int | None = _count(MAX_QUESTIONS)
    behavioral_profile: BehavioralProfile = field(factory=BehavioralProfile)
    strengths: tuple[str, ...] = field(default=(), converter=_strings)
    recommended_track: TrackKey | None = field(default=None, validator=_member(TrackKey, optional=True))
    track_confidence: float | None = _ranged(0.0, 1.0)
    track_alignment_percentages: FrozenMap[TrackKey, float] = field(
        factory=FrozenMap, converter=_track_map, validator=_scores_map
    )
    reflection: Reflection = field(factory=Reflection)
    identity_responses: tuple[IdentityResponse, ...] = field(default=(), converter=_identity)
    anti_cheat_score: float | None = _score_field()
    anti_cheat_flags: tuple[str, ...] = field(default=(), converter=_strings)

    @technical_exposure_answered.validator
    def _check_exposure_evidence(self, _attribute: object, answered: int | None) -> None:
        # No answered question is no evidence: a score beside it would be invented.
        if answered == 0 and self.technical_exposure_score is not None:
            raise InvalidValueError(
                field="technical_exposure_score",
                reason="must be null when technical_exposure_answered is 0 (no evidence)",
            )

    @property
    def is_completed(self) -> bool:
        """True when the status is ``finished`` or ``locked``."""
        return self.status.is_completed


@frozen(kw_only=True)
class ProfilerResult:
    """The scored result that may accompany a completed session (SPEC §2)."""

    session_id: SessionId | None = field(
        default=None, converter=_to_optional_id, validator=_valid_optional_id
    )
    overall_score: float | None = _score_field()
    aptitude_score: float | None = _score_field()
    behavioral_score: float | None = _score_field()
    aptitude_breakdown: FrozenMap[str, CategoryScore] = field(factory=FrozenMap, converter=_category_map)
    behavioral_traits: FrozenMap[str, float] = field(factory=FrozenMap, converter=_float_map)
    strengths: tuple[str, ...] = field(default=(), converter=_strings)
    areas_for_growth: tuple[str, ...] = field(default=(), converter=_strings)


# --- missions and recipes -----------------------------------------------------


@frozen(kw_only=True)
class Subtask:
    """A mission subtask; only its required skills matter to the library."""

    id: SubtaskId | None = field(default=None, converter=_to_optional_id, validator=_valid_optional_id)
    title: str = ""
    required_skills: tuple[str, ...] = field(default=(), converter=_strings)


@frozen(kw_only=True)
class Mission:
    """A mission of the missions engine (SPEC §2).

    ``code`` is optional: the platform's column is nullable (NULL in its rows).
    ``points_required`` (``None``: no gate) is what unlocks it (SPEC §3).
    """

    id: MissionId = field(converter=_to_id, validator=_valid_id)
    code: str | None = None
    title: str
    difficulty: MissionDifficulty = field(validator=_member(MissionDifficulty))
    track: TrackKey | None = field(default=None, validator=_member(TrackKey, optional=True))
    #: The row's track text when it is not a track (``"Feb"``): kept, reported, never filtered on.
    track_label: str | None = field(default=None, validator=_track_label)
    tier: str | None = None
    is_active: bool = True
    skills_tags: tuple[str, ...] = field(default=(), converter=_strings)
    subtasks: tuple[Subtask, ...] = field(default=(), converter=_subtasks)
    recipe_recommendations: tuple[str, ...] = field(default=(), converter=_strings)
    #: Points that unlock the mission (the platform's ``points_required`` when
    #: ``requires_points``); ``None``: no points gate.
    points_required: int | None = _count(MAX_POINTS)


@frozen(kw_only=True)
class Recipe:
    """A short lesson tagged with skill codes (SPEC §2)."""

    id: RecipeId = field(converter=_to_id, validator=_valid_id)
    slug: str
    title: str
    skill_codes: tuple[str, ...] = field(default=(), converter=_strings)
    track_codes: tuple[TrackKey, ...] = field(default=(), converter=_tracks)
    #: The row's track codes that are not tracks (``GENERAL``, ``CLOUD``): kept, play no part.
    unknown_track_codes: tuple[str, ...] = field(default=(), converter=_strings, validator=_not_tracks)
    #: ``None`` only when the row's difficulty is not one of ours (then ``difficulty_label`` holds it).
    difficulty: RecipeDifficulty | None = field(
        default=RecipeDifficulty.BEGINNER, validator=_member(RecipeDifficulty, optional=True)
    )
    #: The row's difficulty text when it is not a recipe difficulty (``"mastery"``): kept, plays no part.
    difficulty_label: str | None = field(default=None, validator=_difficulty_label)
    estimated_minutes: int = _count(MAX_MINUTES, 0)
    usage_count: int = _count(MAX_USAGE_COUNT, 0)
    avg_rating: float = _ranged(0.0, 5.0, 0.0)
    is_active: bool = True


# --- people, cohorts, access --------------------------------------------------


@frozen(kw_only=True)
class Enrollment:
    """A learner's enrollment in a cohort."""

    user_id: UserId = field(converter=_to_id, validator=_valid_id)
    cohort_id: CohortId = field(converter=_to_id, validator=_valid_id)
    status: EnrollmentStatus = field(validator=_member(EnrollmentStatus))


@frozen(kw_only=True)
class Cohort:
    """A cohort; ``enterprise_id`` is the sponsoring organisation, if any."""

    id: CohortId = field(converter=_to_id, validator=_valid_id)
    name: str
    track: TrackKey | None = field(default=None, validator=_member(TrackKey, optional=True))
    #: The row's track text when it is not a track (``"Feb"``): kept, reported, never counted as a track.
    track_label: str | None = field(default=None, validator=_track_label)
    enterprise_id: OrgId | None = field(default=None, converter=_to_optional_id, validator=_valid_optional_id)


@frozen(kw_only=True)
class MentorAssignment:
    """A mentor's assignment: to one mentee, a cohort, or a track (SPEC §5).

    What it covers: **a row that names a mentee covers that mentee only**,
    whatever its ``assignment_type`` (the platform creates one ``cohort``-typed
    row per mentee); a ``cohort`` row without a mentee covers the cohort's
    actively enrolled learners; a ``track`` row without a mentee covers the
    track's learners. A row with nothing to cover (no mentee, and no cohort or
    track for its type, e.g. a track id the host could not resolve) is a valid
    value that grants nothing; the access decision says so.
    """

    mentor_id: UserId = field(converter=_to_id, validator=_valid_id)
    status: AssignmentStatus = field(validator=_member(AssignmentStatus))
    assignment_type: AssignmentType = field(default=AssignmentType.DIRECT, validator=_member(AssignmentType))
    mentee_id: UserId | None = field(default=None, converter=_to_optional_id, validator=_valid_optional_id)
    cohort_id: CohortId | None = field(default=None, converter=_to_optional_id, validator=_valid_optional_id)
    track: TrackKey | None = field(default=None, validator=_member(TrackKey, optional=True))
    expires_at: datetime | None = field(default=None, validator=_aware)
    id: AssignmentId | None = field(default=None, converter=_to_optional_id, validator=_valid_optional_id)


@frozen(kw_only=True)
class RoleGrant:
    """A role held within a scope (SPEC §1). Unknown roles are kept and grant nothing."""

    role: Role = field(validator=_member(Role))
    scope: Scope = field(default=Scope.GLOBAL, validator=_member(Scope))
    scope_ref: str | None = field(default=None, converter=_to_optional_id)
    is_active: bool = True
    expires_at: datetime | None = field(default=None, validator=_aware)

    @scope_ref.validator
    def _check_ref(self, attribute: attrs.Attribute[Any], ref: str | None) -> None:
        if self.scope is Scope.GLOBAL and ref is not None:
            raise InvalidValueError(field="scope_ref", reason="must be null for a global grant")
        if self.scope is not Scope.GLOBAL and not ref:
            raise InvalidValueError(field="scope_ref", reason=f"is required for a {self.scope.value} grant")
        _valid_optional_id(self, attribute, ref)

    def is_effective(self, now: datetime) -> bool:
        """Active and not expired at *now* (an inactive or expired grant counts as absent)."""
        return self.is_active and (self.expires_at is None or self.expires_at > now)


@frozen(kw_only=True)
class Principal:
    """The viewer: a user id, the host's ``is_staff`` flag, and role grants."""

    user_id: UserId = field(converter=_to_id, validator=_valid_id)
    is_staff: bool = False
    roles: tuple[RoleGrant, ...] = field(default=(), converter=_grants)


# --- marketplace and portfolio ------------------------------------------------


@frozen(kw_only=True)
class JobPosting:
    """A marketplace job posting (``track`` and ``level`` are optional)."""

    id: JobId = field(converter=_to_id, validator=_valid_id)
    title: str
    employer_id: OrgId = field(converter=_to_id, validator=_valid_id)
    job_type: str = ""
    required_skills: tuple[str, ...] = field(default=(), converter=_strings)
    is_active: bool = True
    application_deadline: datetime | None = field(default=None, validator=_aware)
    track: TrackKey | None = field(default=None, validator=_member(TrackKey, optional=True))
    level: JobLevel | None = field(default=None, validator=_member(JobLevel, optional=True))


@frozen(kw_only=True)
class TalentProfile:
    """A learner's marketplace profile."""

    user_id: UserId = field(converter=_to_id, validator=_valid_id)
    skills: tuple[str, ...] = field(default=(), converter=_strings)
    readiness_score: float | None = _score_field()
    job_fit_score: float | None = _score_field()
    primary_track_key: TrackKey | None = field(default=None, validator=_member(TrackKey, optional=True))
    is_visible: bool = False
    employer_share_consent: bool = False


@frozen(kw_only=True)
class PortfolioEntry:
    """A portfolio item; the Value Statement is one with ``item_type="reflection"``.

    ``summary`` may be ``None`` (the platform's column is nullable).
    ``learner_edited_at`` is set when the learner edited the text themself (a
    re-composition never overwrites it) and ``suggested_summary`` keeps the
    newer composed suggestion beside such an edit.
    """

    id: EntryId | None = field(converter=_to_optional_id, validator=_valid_optional_id)
    user_id: UserId = field(converter=_to_id, validator=_valid_id)
    title: str
    summary: str | None
    item_type: str
    status: str
    visibility: Visibility = field(default=Visibility.PRIVATE, validator=_member(Visibility))
    profiler_session_id: SessionId | None = field(
        default=None, converter=_to_optional_id, validator=_valid_optional_id
    )
    created_at: datetime | None = field(default=None, validator=_aware)
    updated_at: datetime | None = field(default=None, validator=_aware)
    learner_edited_at: datetime | None = field(default=None, validator=_aware)
    suggested_summary: str | None = None
