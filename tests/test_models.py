"""Tests for profiler_core.models: the frozen input values of SPEC §2."""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.builders import session as _session
from tests.model_builders import NOW, _assignment, _entry, _grant, _job, _recipe, _talent

from profiler_core.errors import InvalidValueError
from profiler_core.frozenmap import FrozenMap
from profiler_core.ids import CohortId, MissionId, OrgId, UserId
from profiler_core.models import (
    BehavioralProfile,
    CategoryScore,
    Cohort,
    Enrollment,
    IdentityResponse,
    Mission,
    Principal,
    ProfilerResult,
    Reflection,
    Subtask,
    technical_exposure_percentage,
)
from profiler_core.testing import strategies
from profiler_core.vocabulary import (
    AssignmentType,
    EnrollmentStatus,
    MissionDifficulty,
    Role,
    Scope,
    SessionStatus,
    TrackKey,
)


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
