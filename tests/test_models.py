"""Tests for profiler_core.models: the input values validate their own invariants."""

from __future__ import annotations

import math
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.builders import session as _session

from profiler_core.errors import InvalidValueError
from profiler_core.frozenmap import FrozenMap
from profiler_core.models import (
    BOUNDS,
    RANGE,
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
    Recipe,
    RecipeId,
    Reflection,
    RoleGrant,
    Subtask,
    TalentProfile,
    UserId,
    _canonical_keys,
    canonical_id,
    require_aware,
    technical_exposure_percentage,
)
from profiler_core.testing import strategies
from profiler_core.vocabulary import (
    AssignmentStatus,
    AssignmentType,
    EnrollmentStatus,
    MissionDifficulty,
    Role,
    Scope,
    SessionStatus,
    TrackKey,
)

NOW = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)
NAIVE = datetime(2026, 1, 15, 12, 0)


class _NoOffset(tzinfo):
    """A tzinfo that knows no offset: the datetime counts as naive."""

    def utcoffset(self, dt: datetime | None) -> timedelta | None:
        return None

    def dst(self, dt: datetime | None) -> timedelta | None:
        return None

    def tzname(self, dt: datetime | None) -> str | None:
        return None


NO_OFFSET = datetime(2026, 1, 15, 12, 0, tzinfo=_NoOffset())


def _result(**overrides: object) -> ProfilerResult:
    return ProfilerResult(**overrides)  # type: ignore[arg-type]  # fields vary per test case


def _recipe(**overrides: object) -> Recipe:
    fields: dict[str, object] = {"id": RecipeId("r-1"), "slug": "ports", "title": "Ports"}
    fields.update(overrides)
    return Recipe(**fields)  # type: ignore[arg-type]  # fields vary per test case


def _talent(**overrides: object) -> TalentProfile:
    fields: dict[str, object] = {"user_id": UserId("u-1")}
    fields.update(overrides)
    return TalentProfile(**fields)  # type: ignore[arg-type]  # fields vary per test case


def _assignment(**overrides: object) -> MentorAssignment:
    fields: dict[str, object] = {
        "mentor_id": UserId("m-1"),
        "status": AssignmentStatus.ACTIVE,
        "mentee_id": UserId("u-1"),
    }
    fields.update(overrides)
    return MentorAssignment(**fields)  # type: ignore[arg-type]  # fields vary per test case


def _grant(**overrides: object) -> RoleGrant:
    fields: dict[str, object] = {"role": Role.MENTOR}
    fields.update(overrides)
    return RoleGrant(**fields)  # type: ignore[arg-type]  # fields vary per test case


def _job(**overrides: object) -> JobPosting:
    fields: dict[str, object] = {"id": JobId("j-1"), "title": "SOC analyst", "employer_id": "e-1"}
    fields.update(overrides)
    return JobPosting(**fields)  # type: ignore[arg-type]  # fields vary per test case


def _entry(**overrides: object) -> PortfolioEntry:
    fields: dict[str, object] = {
        "id": EntryId("e-1"),
        "user_id": UserId("u-1"),
        "title": "Value Statement",
        "summary": "I protect.",
        "item_type": "reflection",
        "status": "draft",
    }
    fields.update(overrides)
    return PortfolioEntry(**fields)  # type: ignore[arg-type]  # fields vary per test case


Builder = Callable[..., object]

# (builder, field, low, high): every ranged numeric field of the models.
RANGED_FIELDS: list[tuple[Builder, str, float, float]] = [
    (_session, "aptitude_score", 0, 100),
    (_session, "technical_exposure_score", 0, 100),
    (_session, "anti_cheat_score", 0, 100),
    (_session, "track_confidence", 0, 1),
    (_result, "overall_score", 0, 100),
    (_result, "aptitude_score", 0, 100),
    (_result, "behavioral_score", 0, 100),
    (_talent, "readiness_score", 0, 100),
    (_talent, "job_fit_score", 0, 100),
    (_recipe, "avg_rating", 0, 5),
]
RANGED_IDS = [f"{b.__name__.strip('_')}.{f}" for b, f, _, _ in RANGED_FIELDS]

# (builder, field): every timestamp field of the models.
TIMESTAMP_FIELDS: list[tuple[Builder, str]] = [
    (_session, "started_at"),
    (_session, "completed_at"),
    (_assignment, "expires_at"),
    (_grant, "expires_at"),
    (_job, "application_deadline"),
    (_entry, "created_at"),
    (_entry, "updated_at"),
    (_entry, "learner_edited_at"),
]
TIMESTAMP_IDS = [f"{b.__name__.strip('_')}.{f}" for b, f in TIMESTAMP_FIELDS]


class TestTechnicalExposurePercentage:
    """The documented conversion from (raw sum, answered) to 0..100."""

    @pytest.mark.parametrize(
        ("raw", "answered", "expected"),
        [
            # (raw - answered) / (2 * answered) * 100, computed by hand
            (10, 10, 0.0),
            (15, 10, 25.0),
            (20, 10, 50.0),
            (25, 10, 75.0),
            (29, 10, 95.0),
            (30, 10, 100.0),
            (1, 1, 0.0),
            (2, 1, 50.0),
            (3, 1, 100.0),
            (12, 8, 25.0),
            (5, 3, 33.333333),
            (7, 3, 66.666667),
            (0, 0, None),
        ],
    )
    def test_known_conversions(self, raw: int, answered: int, expected: float | None) -> None:
        """The raw sum maps linearly from answered..3*answered onto 0..100; no answers is None."""
        assert technical_exposure_percentage(raw, answered) == expected

    @pytest.mark.parametrize(
        ("raw", "answered", "field"),
        [
            (0, -1, "technical_exposure.answered"),
            (1, 0, "technical_exposure.raw"),
            (9, 10, "technical_exposure.raw"),
            (31, 10, "technical_exposure.raw"),
            (0, 5, "technical_exposure.raw"),
            (-3, 1, "technical_exposure.raw"),
        ],
    )
    def test_impossible_sums_rejected(self, raw: int, answered: int, field: str) -> None:
        """A sum outside answered..3*answered or a negative count raises InvalidValueError naming it."""
        with pytest.raises(InvalidValueError) as info:
            technical_exposure_percentage(raw, answered)
        assert info.value.field == field

    def test_answered_is_bounded(self) -> None:
        """More than MAX_QUESTIONS answers is out of range (10**300 included), never computed."""
        assert technical_exposure_percentage(30_000, 10_000) == 100.0
        for answered in (10_001, 10**300):
            with pytest.raises(InvalidValueError) as info:
                technical_exposure_percentage(answered, answered)
            assert (info.value.field, info.value.problem_code) == (
                "technical_exposure.answered",
                "out_of_range",
            )

    @given(st.integers(min_value=1, max_value=200), st.data())
    def test_within_range_and_monotone(self, answered: int, data: st.DataObject) -> None:
        """The result lies in 0..100 and never falls as the raw sum rises."""
        raw = data.draw(st.integers(min_value=answered, max_value=3 * answered - 1))
        low = technical_exposure_percentage(raw, answered)
        high = technical_exposure_percentage(raw + 1, answered)
        assert low is not None
        assert high is not None
        assert 0 <= low < high <= 100


class TestCategoryScore:
    """One aptitude category, from a number or from counts."""

    @pytest.mark.parametrize(
        ("correct", "total", "score"),
        [(3, 4, 75.0), (0, 5, 0.0), (5, 5, 100.0), (1, 8, 12.5), (7, 20, 35.0), (0, 0, None)],
    )
    def test_from_counts(self, correct: int, total: int, score: float | None) -> None:
        """The score is correct/total x 100 and total is the evidence; total 0 means no score."""
        category = CategoryScore.from_counts(correct=correct, total=total, points=2.5)
        assert category.score == score
        assert category.evidence == total
        assert category.points == 2.5

    def test_plain_number_has_no_evidence(self) -> None:
        """A plain score has no evidence count."""
        category = CategoryScore(score=62.5)
        assert category.score == 62.5
        assert category.evidence is None

    @pytest.mark.parametrize(
        ("kwargs", "field", "reason"),
        [
            ({"score": None}, "score", "is required without counts"),
            ({"score": 50.0, "correct": 1}, "total", "is required when correct is given"),
            ({"score": 50.0, "total": 4}, "correct", "must be 0..total"),
            ({"score": 100.0, "correct": 5, "total": 4}, "correct", "must be 0..total"),
            ({"score": 10.0, "correct": 0, "total": 0}, "score", "must be empty when total is 0"),
            ({"score": 50.0, "correct": 3, "total": 4}, "score", "must equal correct / total x 100"),
            ({"score": None, "correct": 3, "total": 4}, "score", "must equal correct / total x 100"),
            ({"score": 0.0, "correct": -1, "total": 4}, "correct", "must be 0..10000"),
            ({"score": None, "correct": 0, "total": -1}, "total", "must be 0..10000"),
            ({"score": 100.5}, "score", "must be 0..100"),
            ({"score": -0.5}, "score", "must be 0..100"),
            ({"score": math.nan}, "score", "must be 0..100"),
            ({"score": True}, "score", "must be a number"),
        ],
    )
    def test_inconsistent_rejected(self, kwargs: dict[str, object], field: str, reason: str) -> None:
        """Score and counts must agree; each inconsistency is reported at its field."""
        with pytest.raises(InvalidValueError) as info:
            CategoryScore(**kwargs)  # type: ignore[arg-type]  # invalid on purpose
        assert (info.value.field, info.value.reason) == (field, reason)

    @given(strategies.category_scores())
    def test_strategy_values_are_consistent(self, category: CategoryScore) -> None:
        """Every generated category either has no counts or a score matching its counts."""
        if category.total is None:
            assert category.score is not None
        elif category.total == 0:
            assert category.score is None
        else:
            assert category.correct is not None
            assert category.score == pytest.approx(category.correct / category.total * 100)


class TestRangedFields:
    """Scores are 0..100 (confidence 0..1, rating 0..5), validated at construction."""

    @pytest.mark.parametrize(("build", "field", "low", "high"), RANGED_FIELDS, ids=RANGED_IDS)
    def test_bounds_inclusive(self, build: Builder, field: str, low: float, high: float) -> None:
        """Both ends, a middle value, an int and None are accepted."""
        for value in (low, high, (low + high) / 2, int(high), None):
            assert getattr(build(**{field: value}), field) == value

    @pytest.mark.parametrize(("build", "field", "low", "high"), RANGED_FIELDS, ids=RANGED_IDS)
    def test_out_of_range_rejected(self, build: Builder, field: str, low: float, high: float) -> None:
        """Values below, above, NaN and infinite raise InvalidValueError naming the field."""
        for value in (low - 0.01, high + 0.01, math.nan, math.inf, -math.inf):
            with pytest.raises(InvalidValueError) as info:
                build(**{field: value})
            assert info.value.field == field
            assert info.value.reason == f"must be {low:g}..{high:g}"

    @pytest.mark.parametrize(("build", "field", "low", "high"), RANGED_FIELDS, ids=RANGED_IDS)
    def test_non_numbers_rejected(self, build: Builder, field: str, low: float, high: float) -> None:
        """Booleans and strings are not numbers (wire parsing happens in serialization)."""
        for value in (True, "50"):
            with pytest.raises(InvalidValueError) as info:
                build(**{field: value})
            assert (info.value.field, info.value.reason) == (field, "must be a number")

    @pytest.mark.parametrize(("build", "field", "low", "high"), RANGED_FIELDS, ids=RANGED_IDS)
    def test_range_metadata(self, build: Builder, field: str, low: float, high: float) -> None:
        """Each ranged field publishes its range under RANGE for the wire edge."""
        cls = type(build())
        assert attrs.has(cls)
        assert attrs.fields_dict(cls)[field].metadata[RANGE] == (low, high)


def _mission(**overrides: object) -> Mission:
    values: dict[str, object] = {
        "id": "m-1",
        "code": "M1",
        "title": "t",
        "difficulty": MissionDifficulty.BEGINNER,
    }
    return Mission(**(values | overrides))  # type: ignore[arg-type]  # overrides are per-test values


def _enrollment(**overrides: object) -> Enrollment:
    values: dict[str, object] = {"user_id": "u-1", "cohort_id": "c-1", "status": EnrollmentStatus.ACTIVE}
    return Enrollment(**(values | overrides))  # type: ignore[arg-type]  # overrides are per-test values


ENUM_FIELDS: list[tuple[Builder, str, object]] = [
    (_session, "status", "finished"),
    (_session, "difficulty_selection", "elite"),
    (_session, "recommended_track", "defender"),
    (_mission, "difficulty", 3),
    (_mission, "track", "grc"),
    (_recipe, "difficulty", "advanced"),
    (_enrollment, "status", "active"),
    (_assignment, "status", "active"),
    (_assignment, "assignment_type", "direct"),
    (_grant, "role", "admin"),
    (_grant, "scope", "global"),
    (_job, "level", "mid"),
    (_job, "track", "grc"),
    (_talent, "primary_track_key", "grc"),
    (_entry, "visibility", "public"),
]


class TestEnumFields:
    """Vocabulary fields hold enum members; raw text is parsed at the wire edge, never here."""

    @pytest.mark.parametrize(
        ("build", "field", "raw"), ENUM_FIELDS, ids=[f"{b.__name__}.{f}" for b, f, _ in ENUM_FIELDS]
    )
    def test_raw_value_rejected_naming_the_field(self, build: Builder, field: str, raw: object) -> None:
        """A plain string or int where an enum member belongs raises InvalidValueError naming the field."""
        with pytest.raises(InvalidValueError) as info:
            build(**{field: raw})
        assert info.value.field == field
        assert "member" in info.value.reason


class TestTimestampFields:
    """Timestamps must be timezone-aware."""

    @pytest.mark.parametrize(("build", "field"), TIMESTAMP_FIELDS, ids=TIMESTAMP_IDS)
    def test_aware_accepted(self, build: Builder, field: str) -> None:
        """UTC and fixed-offset datetimes are accepted."""
        for value in (NOW, NOW.astimezone(timezone(timedelta(hours=-5)))):
            assert getattr(build(**{field: value}), field) == value

    @pytest.mark.parametrize(("build", "field"), TIMESTAMP_FIELDS, ids=TIMESTAMP_IDS)
    def test_naive_rejected(self, build: Builder, field: str) -> None:
        """Naive datetimes (also a tzinfo without offset) raise InvalidValueError naming the field."""
        for value in (NAIVE, NO_OFFSET):
            with pytest.raises(InvalidValueError) as info:
                build(**{field: value})
            assert (info.value.field, info.value.reason) == (field, "must be timezone-aware")

    @pytest.mark.parametrize(("build", "field"), TIMESTAMP_FIELDS, ids=TIMESTAMP_IDS)
    def test_not_convertible_to_utc_rejected(self, build: Builder, field: str) -> None:
        """An aware datetime whose UTC instant overflows (year 1 at +01:00) is rejected at construction."""
        for value in (
            datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=1))),
            datetime(9999, 12, 31, 23, 30, tzinfo=timezone(timedelta(hours=-1))),
        ):
            with pytest.raises(InvalidValueError) as info:
                build(**{field: value})
            assert (info.value.field, info.value.reason, info.value.problem_code) == (
                field,
                "must be convertible to UTC",
                "bad_timestamp",
            )

    def test_require_aware_rejects_overflowing_now(self) -> None:
        """require_aware, the check every comparison uses, rejects a 'now' that cannot become UTC."""
        with pytest.raises(InvalidValueError, match="now: must be convertible to UTC"):
            require_aware(datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=1))))


class TestRequiredIds:
    """Ids must not be empty."""

    @pytest.mark.parametrize(
        ("build", "field"),
        [
            (_session, "id"),
            (_session, "user_id"),
            (lambda **kw: IdentityResponse(**{"question_id": "q", "text": "t", **kw}), "question_id"),
            (_mission, "id"),
            (_recipe, "id"),
            (_enrollment, "user_id"),
            (_enrollment, "cohort_id"),
            (lambda **kw: Cohort(**{"id": "c", "name": "C", **kw}), "id"),
            (_assignment, "mentor_id"),
            (lambda **kw: Principal(**{"user_id": "u", **kw}), "user_id"),
            (_job, "id"),
            (_talent, "user_id"),
            (_entry, "user_id"),
        ],
    )
    def test_empty_id_rejected(self, build: Builder, field: str) -> None:
        """An empty id raises InvalidValueError naming the field."""
        with pytest.raises(InvalidValueError) as info:
            build(**{field: ""})
        assert (info.value.field, info.value.reason) == (field, "must not be empty")


COUNT_FIELDS: list[tuple[Builder, str, int]] = [
    (_session, "technical_exposure_answered", 10_000),
    (_recipe, "estimated_minutes", 100_000),
    (_recipe, "usage_count", 10**12),
]
COUNT_IDS = [field for _, field, _ in COUNT_FIELDS]


class TestBoundedCounts:
    """Counts and durations are integers in 0..their documented bound (SPEC §2)."""

    @pytest.mark.parametrize(("build", "field", "high"), COUNT_FIELDS, ids=COUNT_IDS)
    def test_zero_and_bound_accepted(self, build: Builder, field: str, high: int) -> None:
        """0 and the bound itself are accepted; the bound is the one BOUNDS documents."""
        assert getattr(build(**{field: 0}), field) == 0
        assert getattr(build(**{field: high}), field) == high
        assert BOUNDS[f"{build(**{field: 0}).__class__.__name__}.{field}"] == (0, high)

    @pytest.mark.parametrize(("build", "field", "high"), COUNT_FIELDS, ids=COUNT_IDS)
    def test_outside_rejected(self, build: Builder, field: str, high: int) -> None:
        """-1, bound + 1 and 10**30 raise InvalidValueError naming the field, coded out_of_range."""
        for value in (-1, high + 1, 10**30):
            with pytest.raises(InvalidValueError) as info:
                build(**{field: value})
            assert (info.value.field, info.value.reason, info.value.problem_code) == (
                field,
                f"must be 0..{high}",
                "out_of_range",
            )

    @pytest.mark.parametrize(("build", "field", "high"), COUNT_FIELDS, ids=COUNT_IDS)
    def test_non_integers_rejected(self, build: Builder, field: str, high: int) -> None:
        """A bool or a float is not a count, even when built in code."""
        for value in (True, 3.0):
            with pytest.raises(InvalidValueError) as info:
                build(**{field: value})
            assert (info.value.field, info.value.problem_code) == (field, "not_an_integer")

    @pytest.mark.parametrize(
        ("kwargs", "field"),
        [
            ({"correct": 10_001, "total": 10_001}, "correct"),
            ({"correct": 0, "total": 10_001}, "total"),
            ({"correct": 1, "total": 2, "points": 1_000_001.0}, "points"),
            ({"correct": 1, "total": 2, "points": -0.5}, "points"),
        ],
    )
    def test_category_counts_bounded(self, kwargs: dict[str, float], field: str) -> None:
        """A category's correct/total (10000) and raw points sum (1000000) are bounded."""
        with pytest.raises(InvalidValueError) as info:
            CategoryScore.from_counts(**kwargs)  # type: ignore[arg-type]  # table mixes int and float counts
        assert (info.value.field, info.value.problem_code) == (field, "out_of_range")

    def test_category_bounds_accepted(self) -> None:
        """The bounds themselves are valid counts."""
        category = CategoryScore.from_counts(correct=10_000, total=10_000, points=1_000_000.0)
        assert (category.score, category.evidence) == (100.0, 10_000)

    def test_every_int_field_is_bounded(self) -> None:
        """Every int field of every value class carries a RANGE that BOUNDS documents (no unbounded count)."""
        import typing  # noqa: PLC0415 - only this test reads type hints

        from profiler_core import models  # noqa: PLC0415 - only this test walks the module

        missing = []
        for name in models.__all__:
            cls = getattr(models, name)
            if not attrs.has(cls):
                continue
            hints = typing.get_type_hints(cls)
            for attribute in attrs.fields(cls):
                if int in (typing.get_args(hints[attribute.name]) or (hints[attribute.name],)):
                    key = f"{name}.{attribute.name}"
                    if BOUNDS.get(key) != attribute.metadata.get(RANGE):
                        missing.append(key)
        assert not missing


class TestProfilerSession:
    """A learner's profiler session."""

    @pytest.mark.parametrize(
        ("status", "completed"),
        [(SessionStatus.FINISHED, True), (SessionStatus.LOCKED, True), (SessionStatus.IN_PROGRESS, False)],
    )
    def test_is_completed(self, status: SessionStatus, completed: bool) -> None:
        """A session is completed when finished or locked."""
        assert _session(status=status).is_completed is completed

    @pytest.mark.parametrize("score", [50.0, 0.0])
    def test_zero_answered_with_a_score_rejected(self, score: float) -> None:
        """No answered technical question is no evidence: a score beside it is rejected, naming the score."""
        with pytest.raises(InvalidValueError) as info:
            _session(technical_exposure_score=score, technical_exposure_answered=0)
        assert (info.value.field, info.value.reason) == (
            "technical_exposure_score",
            "must be null when technical_exposure_answered is 0 (no evidence)",
        )

    @pytest.mark.parametrize(("score", "answered"), [(None, 0), (50.0, 4), (None, None), (50.0, None)])
    def test_consistent_exposure_accepted(self, score: float | None, answered: int | None) -> None:
        """0 answers without a score, answers with a score, or no count at all are accepted."""
        session = _session(technical_exposure_score=score, technical_exposure_answered=answered)
        assert (session.technical_exposure_score, session.technical_exposure_answered) == (score, answered)

    def test_defaults(self) -> None:
        """Optional fields default to none and empty collections."""
        session = _session()
        assert session.difficulty_selection is None
        assert session.behavioral_profile == BehavioralProfile()
        assert session.reflection == Reflection()
        assert session.track_alignment_percentages == {}
        assert session.strengths == ()

    def test_collections_are_frozen(self) -> None:
        """Lists become tuples and dicts become FrozenMaps, so the session is hashable."""
        session = _session(
            strengths=["grit"],
            anti_cheat_flags=["fast"],
            track_alignment_percentages={TrackKey.GRC: 40.0},
            identity_responses=[IdentityResponse(question_id="q1", text="I protect")],
        )
        assert session.strengths == ("grit",)
        assert session.anti_cheat_flags == ("fast",)
        assert isinstance(session.track_alignment_percentages, FrozenMap)
        assert session.identity_responses == (IdentityResponse(question_id="q1", text="I protect"),)
        from_tuples = _session(
            strengths=("grit",),
            anti_cheat_flags=("fast",),
            track_alignment_percentages=FrozenMap({TrackKey.GRC: 40.0}),
            identity_responses=(IdentityResponse(question_id="q1", text="I protect"),),
        )
        assert hash(session) == hash(from_tuples)

    @pytest.mark.parametrize("value", [-1.0, 100.5, math.nan, True])
    def test_alignment_out_of_range(self, value: float) -> None:
        """An alignment percentage outside 0..100 is reported at its track."""
        with pytest.raises(InvalidValueError) as info:
            _session(track_alignment_percentages={TrackKey.DEFENDER: value})
        assert (info.value.field, info.value.reason) == (
            "track_alignment_percentages.defender",
            "must be 0..100",
        )

    def test_frozen(self) -> None:
        """Sessions are immutable; change them with attrs.evolve."""
        session = _session()
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            session.aptitude_score = 10.0  # type: ignore[misc]  # the point: assignment is refused
        assert attrs.evolve(session, aptitude_score=10.0).aptitude_score == 10.0

    def test_evolve_validates(self) -> None:
        """attrs.evolve re-runs the validators."""
        with pytest.raises(InvalidValueError):
            attrs.evolve(_session(), aptitude_score=101.0)


class TestBehavioralProfile:
    """Traits, strengths and areas for growth."""

    def test_converts_collections(self) -> None:
        """Traits become a FrozenMap and lists become tuples."""
        profile = BehavioralProfile(traits={"teamwork": 4.5}, strengths=["x"], areas_for_growth=["y"])
        assert profile.traits == {"teamwork": 4.5}
        assert isinstance(profile.traits, FrozenMap)
        assert (profile.strengths, profile.areas_for_growth) == (("x",), ("y",))

    @pytest.mark.parametrize("value", [math.nan, math.inf, True])
    def test_non_finite_trait_rejected(self, value: float) -> None:
        """A NaN, infinite or boolean trait is reported at traits.<name>."""
        with pytest.raises(InvalidValueError) as info:
            BehavioralProfile(traits={"teamwork": value})
        assert info.value.field == "traits.teamwork"

    def test_traits_are_not_bounded(self) -> None:
        """Traits are means on the platform's own scale, not percentages."""
        assert BehavioralProfile(traits={"teamwork": 250.0}).traits["teamwork"] == 250.0


class TestProfilerResult:
    """The scored result of a session."""

    def test_breakdown_is_frozen(self) -> None:
        """The breakdown and traits become FrozenMaps, the lists tuples."""
        result = ProfilerResult(
            aptitude_breakdown={"networking": CategoryScore(score=40.0)},
            behavioral_traits={"teamwork": 3.0},
            strengths=["a"],
            areas_for_growth=["b"],
        )
        assert isinstance(result.aptitude_breakdown, FrozenMap)
        assert result.aptitude_breakdown["networking"].score == 40.0
        assert isinstance(result.behavioral_traits, FrozenMap)
        assert (result.strengths, result.areas_for_growth) == (("a",), ("b",))


class TestMissionAndRecipe:
    """Missions, subtasks and recipes."""

    def test_mission_collections(self) -> None:
        """Mission lists become tuples and defaults are active with no track."""
        mission = Mission(
            id=MissionId("m-1"),
            code="M-1",
            title="Ports",
            difficulty=MissionDifficulty.ADVANCED,
            skills_tags=["NET"],
            subtasks=[Subtask(required_skills=["DNS"])],
            recipe_recommendations=["r-1"],
        )
        assert mission.is_active
        assert mission.track is None
        assert mission.skills_tags == ("NET",)
        assert mission.subtasks == (Subtask(title="", required_skills=("DNS",)),)
        assert mission.recipe_recommendations == ("r-1",)

    def test_recipe_collections(self) -> None:
        """Recipe lists become tuples and the rating defaults to 0."""
        recipe = _recipe(skill_codes=["NET"], track_codes=[TrackKey.DEFENDER])
        assert recipe.skill_codes == ("NET",)
        assert recipe.track_codes == (TrackKey.DEFENDER,)
        assert recipe.avg_rating == 0.0


class TestCohortAndEnrollment:
    """Cohorts and enrollments."""

    def test_values(self) -> None:
        """A cohort and an enrollment keep their fields as given."""
        cohort = Cohort(id=CohortId("c-1"), name="Spring", track=TrackKey.GRC, enterprise_id=OrgId("o-1"))
        enrollment = Enrollment(user_id=UserId("u-1"), cohort_id=cohort.id, status=EnrollmentStatus.ACTIVE)
        assert (cohort.enterprise_id, enrollment.cohort_id) == ("o-1", "c-1")


class TestMentorAssignment:
    """A mentor's assignment names the target its type needs."""

    @pytest.mark.parametrize(
        ("kind", "target"),
        [
            (AssignmentType.DIRECT, {"mentee_id": UserId("u-1")}),
            (AssignmentType.COHORT, {"cohort_id": CohortId("c-1"), "mentee_id": None}),
            (AssignmentType.TRACK, {"track": TrackKey.OFFENSIVE, "mentee_id": None}),
        ],
    )
    def test_target_present(self, kind: AssignmentType, target: dict[str, object]) -> None:
        """Each type is accepted with its target."""
        assert _assignment(assignment_type=kind, **target).assignment_type is kind

    @pytest.mark.parametrize(
        ("kind", "missing"),
        [
            (AssignmentType.DIRECT, "mentee_id"),
            (AssignmentType.COHORT, "cohort_id"),
            (AssignmentType.TRACK, "track"),
        ],
    )
    def test_target_missing(self, kind: AssignmentType, missing: str) -> None:
        """Without its target the assignment is still a value (SPEC §5: it grants nothing, access says so)."""
        assignment = _assignment(assignment_type=kind, mentee_id=None)
        assert getattr(assignment, missing) is None
        assert assignment.assignment_type is kind

    def test_defaults_to_direct(self) -> None:
        """An assignment without a type is direct."""
        assert _assignment().assignment_type is AssignmentType.DIRECT


class TestRoleGrant:
    """A role held within a scope."""

    @pytest.mark.parametrize(
        ("scope", "ref"),
        [(Scope.GLOBAL, None), (Scope.ORG, "o-1"), (Scope.COHORT, "c-1"), (Scope.TRACK, "defender")],
    )
    def test_valid_scope_refs(self, scope: Scope, ref: str | None) -> None:
        """Global grants have no ref; scoped grants name theirs."""
        assert _grant(scope=scope, scope_ref=ref).scope_ref == ref

    @pytest.mark.parametrize(
        ("scope", "ref", "reason"),
        [
            (Scope.GLOBAL, "o-1", "must be null for a global grant"),
            (Scope.ORG, None, "is required for a org grant"),
            (Scope.COHORT, "", "is required for a cohort grant"),
            (Scope.TRACK, None, "is required for a track grant"),
        ],
    )
    def test_invalid_scope_refs(self, scope: Scope, ref: str | None, reason: str) -> None:
        """A mismatched scope_ref raises InvalidValueError at scope_ref."""
        with pytest.raises(InvalidValueError) as info:
            _grant(scope=scope, scope_ref=ref)
        assert (info.value.field, info.value.reason) == ("scope_ref", reason)

    @pytest.mark.parametrize(
        ("is_active", "expires_at", "effective"),
        [
            (True, None, True),
            (True, NOW + timedelta(seconds=1), True),
            (True, NOW, False),
            (True, NOW - timedelta(days=1), False),
            (False, None, False),
            (False, NOW + timedelta(days=1), False),
        ],
    )
    def test_is_effective(self, is_active: bool, expires_at: datetime | None, effective: bool) -> None:
        """A grant counts only while active and before its expiry."""
        assert _grant(is_active=is_active, expires_at=expires_at).is_effective(NOW) is effective

    def test_unknown_role_kept(self) -> None:
        """An unknown role is a valid grant value (it grants nothing elsewhere)."""
        assert _grant(role=Role.UNKNOWN).role is Role.UNKNOWN


class TestPrincipal:
    """The viewer."""

    def test_roles_become_a_tuple(self) -> None:
        """Role grants are kept as a tuple; is_staff defaults to False."""
        principal = Principal(user_id=UserId("u-1"), roles=[_grant()])
        assert principal.roles == (_grant(),)
        assert principal.is_staff is False


class TestMarketplaceAndPortfolio:
    """Job postings, talent profiles and portfolio entries."""

    def test_job_defaults(self) -> None:
        """Track and level are optional; skills become a tuple."""
        job = _job(required_skills=["NET"])
        assert (job.track, job.level, job.required_skills) == (None, None, ("NET",))

    def test_talent_defaults(self) -> None:
        """A talent profile is hidden and unshared by default."""
        talent = _talent(skills=["NET"])
        assert (talent.is_visible, talent.employer_share_consent, talent.skills) == (False, False, ("NET",))

    def test_entry_defaults(self) -> None:
        """A portfolio entry is private and unedited by default; its id may be None before saving."""
        entry = _entry(id=None)
        assert entry.id is None
        assert entry.visibility == "private"
        assert entry.learner_edited_at is None


def _thaw(field_value: object) -> object:
    """The mutable look-alike of a frozen field: a list for a tuple, a dict for a FrozenMap."""
    if isinstance(field_value, tuple):
        return list(field_value)
    if isinstance(field_value, FrozenMap):
        return dict(field_value)
    return field_value


class TestValueSemantics:
    """Every value from the strategies is a hashable, immutable value."""

    @given(
        st.one_of(
            strategies.sessions(),
            strategies.results(),
            strategies.missions(),
            strategies.recipes(),
            strategies.mentor_assignments(),
            strategies.principals(),
            strategies.job_postings(),
            strategies.talent_profiles(),
            strategies.portfolio_entries(),
            strategies.cohorts(),
            strategies.enrollments(),
        )
    )
    def test_built_from_lists_and_dicts_it_equals_and_hashes_like_the_frozen_value(
        self, value: object
    ) -> None:
        """Rebuilt from lists and dicts, a value equals and hashes like the original (inputs freeze)."""
        cls: Any = type(value)
        thawed = {a.alias: _thaw(getattr(value, a.name)) for a in attrs.fields(cls) if a.init}
        copy = cls(**thawed)
        assert copy == value
        assert hash(copy) == hash(value)


# --- ids (SPEC §2): one canonical text for str, int and UUID keys -----------------------------

_A_UUID = uuid.UUID("6f9619ff-8b86-d011-b42d-00c04fc964ff")

# (builder, field, optional): every id field of the input values.
ID_FIELDS: list[tuple[Builder, str, bool]] = [
    (_session, "id", False),
    (_session, "user_id", False),
    (_result, "session_id", True),
    (Subtask, "id", True),
    (_mission, "id", False),
    (_recipe, "id", False),
    (_enrollment, "user_id", False),
    (_enrollment, "cohort_id", False),
    (lambda **kw: Cohort(**{"id": "c", "name": "C", **kw}), "id", False),
    (lambda **kw: Cohort(**{"id": "c", "name": "C", **kw}), "enterprise_id", True),
    (_assignment, "mentor_id", False),
    (_assignment, "mentee_id", False),
    (_assignment, "cohort_id", True),
    (_assignment, "id", True),
    (lambda **kw: Principal(**{"user_id": "u", **kw}), "user_id", False),
    (_job, "id", False),
    (_job, "employer_id", False),
    (_talent, "user_id", False),
    (_entry, "id", True),
    (_entry, "user_id", False),
    (_entry, "profiler_session_id", True),
    (lambda **kw: _grant(**{"scope": Scope.COHORT, **kw}), "scope_ref", False),
]


def _id_forms() -> st.SearchStrategy[str | int | uuid.UUID]:
    """Any id as a host may hold it: text, an integer, a UUID."""
    return st.one_of(
        st.text(min_size=1).filter(lambda t: bool(t.strip())),
        st.integers(),
        st.uuids(),
    )


class TestCanonicalId:
    """canonical_id: str, int and UUID keys mean the same thing, in one canonical text form."""

    @pytest.mark.parametrize(
        ("raw", "expected"),
        [
            (100, "100"),
            ("100", "100"),
            (0, "0"),
            (-7, "-7"),
            (_A_UUID, "6f9619ff-8b86-d011-b42d-00c04fc964ff"),
            ("6F9619FF-8B86-D011-B42D-00C04FC964FF", "6f9619ff-8b86-d011-b42d-00c04fc964ff"),
            ("6f9619ff-8B86-d011-B42D-00c04fc964ff", "6f9619ff-8b86-d011-b42d-00c04fc964ff"),
            # Not the 8-4-4-4-12 form: kept as it is (only the hyphenated form is a UUID's text).
            ("6F9619FF8B86D011B42D00C04FC964FF", "6F9619FF8B86D011B42D00C04FC964FF"),
            ("U-1", "U-1"),
            (" u-1 ", " u-1 "),
            (UserId("u-1"), "u-1"),
        ],
    )
    def test_known_forms(self, raw: str | int | uuid.UUID, expected: str) -> None:
        """Integers become decimal text, UUIDs (objects or text, any case) lower-case hyphenated text."""
        assert canonical_id(raw) == expected

    @pytest.mark.parametrize(
        ("raw", "reason", "problem_code"),
        [
            (True, "must be a string, an integer or a UUID, got bool", "invalid_value"),
            (7.0, "must be a string, an integer or a UUID, got float", "invalid_value"),
            (b"u-1", "must be a string, an integer or a UUID, got bytes", "invalid_value"),
            (None, "must be a string, an integer or a UUID, got NoneType", "invalid_value"),
            ("", "must not be empty", "blank"),
            ("   ", "must not be blank", "blank"),
        ],
    )
    def test_non_ids_rejected_naming_the_argument(self, raw: object, reason: str, problem_code: str) -> None:
        """Booleans, floats, bytes, None and blank text raise InvalidValueError naming the argument."""
        with pytest.raises(InvalidValueError) as info:
            canonical_id(raw, field="learner_id")  # type: ignore[arg-type]  # invalid on purpose
        assert (info.value.field, info.value.reason, info.value.problem_code) == (
            "learner_id",
            reason,
            problem_code,
        )

    @given(_id_forms())
    def test_idempotent(self, raw: str | int | uuid.UUID) -> None:
        """Canonicalising a canonical id changes nothing."""
        once = canonical_id(raw)
        assert canonical_id(once) == once

    @given(st.integers())
    def test_int_and_its_text_agree(self, number: int) -> None:
        """An integer key and its decimal text are one id."""
        assert canonical_id(number) == canonical_id(str(number))

    @given(st.uuids())
    def test_uuid_and_its_text_agree_in_any_case(self, key: uuid.UUID) -> None:
        """A UUID, its text, and its upper-case text are one id."""
        assert canonical_id(key) == canonical_id(str(key)) == canonical_id(str(key).upper())


class TestIdFields:
    """Every id field of every input value holds the canonical text, however it was given."""

    @pytest.mark.parametrize(("build", "field", "optional"), ID_FIELDS)
    @pytest.mark.parametrize(
        ("raw", "expected"),
        [
            (100, "100"),
            ("100", "100"),
            (_A_UUID, str(_A_UUID)),
            (str(_A_UUID).upper(), str(_A_UUID)),
        ],
    )
    def test_every_form_is_stored_canonical(
        self, build: Builder, field: str, optional: bool, raw: object, expected: str
    ) -> None:
        """An int, a UUID or its upper-case text is stored as the canonical text (values compare equal)."""
        assert getattr(build(**{field: raw}), field) == expected
        assert build(**{field: raw}) == build(**{field: expected})

    @pytest.mark.parametrize(("build", "field", "optional"), ID_FIELDS)
    @pytest.mark.parametrize("raw", [True, 7.5, b"u-1", "   "])
    def test_non_ids_rejected_naming_the_field(
        self, build: Builder, field: str, optional: bool, raw: object
    ) -> None:
        """A bool, float, bytes or blank id raises InvalidValueError naming the field."""
        with pytest.raises(InvalidValueError) as info:
            build(**{field: raw})
        assert info.value.field == field

    @pytest.mark.parametrize(("build", "field", "optional"), [f for f in ID_FIELDS if f[2]])
    def test_optional_ids_stay_none(self, build: Builder, field: str, optional: bool) -> None:
        """An optional id left out (None) stays None."""
        assert getattr(build(**{field: None}), field) is None


class TestCanonicalKeys:
    """_canonical_keys: a mapping keyed by raw keys, re-keyed by canonical text (or kept when already so)."""

    @given(st.dictionaries(_id_forms(), st.integers(), max_size=8))
    def test_same_as_canonicalising_each_key(self, mapping: dict[str | int | uuid.UUID, int]) -> None:
        """The fast path and the key-by-key path agree with canonical_id on every key."""
        expected: dict[str, int] = {}
        for key, value in mapping.items():
            expected[canonical_id(key)] = value
        assert dict(_canonical_keys(mapping)) == expected

    def test_canonical_keys_are_kept_as_they_are(self) -> None:
        """A mapping already keyed by canonical text is returned itself (no copy)."""
        mapping = {"100": 1, str(_A_UUID): 2, "u-1": 3}
        assert _canonical_keys(mapping) is mapping

    @pytest.mark.parametrize("bad", ["", "  ", "\t", 7.5])
    def test_a_key_that_is_not_an_id_is_rejected(self, bad: object) -> None:
        """A blank or non-id key raises InvalidValueError naming the field, never silently ignored."""
        with pytest.raises(InvalidValueError) as info:
            _canonical_keys({"u-1": 1, bad: 2}, field="sessions")  # type: ignore[type-var]  # invalid on purpose
        assert info.value.field == "sessions"
