"""Tests for profiler_core.serialization._inputs: the SPEC §2 input shapes, bounds and cross-field rules."""

from __future__ import annotations

import typing
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.wire_builders import MISSION, RECIPE, SESSION, codes_of, problems_of, wire_session

from profiler_core import models
from profiler_core.decisions import Reason
from profiler_core.errors import InvalidPayloadError, Problem
from profiler_core.models import (
    BehavioralProfile,
    CategoryScore,
    Enrollment,
    MentorAssignment,
    Mission,
    Principal,
    ProfilerResult,
    ProfilerSession,
    Recipe,
    RoleGrant,
)
from profiler_core.serialization import (
    structure,
)
from profiler_core.vocabulary import (
    AssignmentType,
)


class TestExtraKeys:
    """Unknown extra keys are ignored (hosts send more than we read)."""

    @pytest.mark.parametrize(
        ("payload", "cls"),
        [
            ({**SESSION, "created_by": 3, "meta": {"x": [1]}}, ProfilerSession),
            ({**MISSION, "points": 10, "story": "..."}, Mission),
            ({"user_id": "u", "cohort_id": "c", "status": "active", "joined_at": "today"}, Enrollment),
            (
                {
                    "user_id": "u",
                    "is_staff": False,
                    "roles": [{"role": "admin", "granted_by": 1}],
                    "email": "x",
                },
                Principal,
            ),
            ({"aptitude_breakdown": {}, "id": 9, "user": "u"}, ProfilerResult),
        ],
    )
    def test_ignored(self, payload: dict[str, Any], cls: type[Any]) -> None:
        """A payload with extra keys structures like the same payload without them."""
        known = {a.name for a in attrs.fields(cls)}
        assert structure(payload, cls) == structure({k: v for k, v in payload.items() if k in known}, cls)


class TestAptitudeBreakdown:
    """aptitude_breakdown: {category: number} or {category: {correct, total, points}}."""

    def test_number_shape(self) -> None:
        """Plain numbers (also numeric strings) are scores without evidence counts."""
        result = structure({"aptitude_breakdown": {"networking": 40, "security": "72.5"}}, ProfilerResult)
        assert result.aptitude_breakdown == {
            "networking": CategoryScore(score=40.0),
            "security": CategoryScore(score=72.5),
        }
        assert result.aptitude_breakdown["networking"].evidence is None

    @pytest.mark.parametrize(
        ("counts", "score", "evidence"),
        [
            ({"correct": 3, "total": 4, "points": 6}, 75.0, 4),
            ({"correct": "1", "total": "8"}, 12.5, 8),
            ({"correct": 0, "total": 5, "points": None}, 0.0, 5),
            ({"correct": 5, "total": 5}, 100.0, 5),
            ({"correct": 0, "total": 0, "points": 0}, None, 0),
        ],
    )
    def test_counts_shape(self, counts: dict[str, object], score: float | None, evidence: int) -> None:
        """The score is correct/total x 100; total is the evidence; total 0 means no score, not 0%."""
        category = structure(
            {"aptitude_breakdown": {"networking": counts}}, ProfilerResult
        ).aptitude_breakdown["networking"]
        assert category.score == score
        assert category.evidence == evidence

    def test_points_kept(self) -> None:
        """points is read as a number when present."""
        result = structure(
            {"aptitude_breakdown": {"web": {"correct": 1, "total": 2, "points": "2.5"}}}, ProfilerResult
        )
        assert result.aptitude_breakdown["web"].points == 2.5

    def test_mixed_shapes(self) -> None:
        """Both shapes may appear in one breakdown."""
        result = structure({"aptitude_breakdown": {"a": 50, "b": {"correct": 1, "total": 4}}}, ProfilerResult)
        assert (result.aptitude_breakdown["a"].score, result.aptitude_breakdown["b"].score) == (50.0, 25.0)

    def test_every_bad_category_reported(self) -> None:
        """Each bad category is reported at $.aptitude_breakdown.<category>."""
        assert problems_of(
            {
                "aptitude_breakdown": {
                    "networking": 120,
                    "web": {"correct": 5, "total": 3},
                    "cloud": {"correct": 1},
                    "linux": {"points": 3},
                    "crypto": "strong",
                    "python": {"correct": -1, "total": 2},
                    "bash": {"correct": 1, "total": 2, "points": "many"},
                    "ok": 10,
                }
            },
            ProfilerResult,
        ) == {
            "$.aptitude_breakdown.networking": "must be 0..100",
            "$.aptitude_breakdown.web": "needs 0 <= correct <= total",
            "$.aptitude_breakdown.cloud": "must hold total (shape {correct, total, points})",
            "$.aptitude_breakdown.linux": "must hold correct, total (shape {correct, total, points})",
            "$.aptitude_breakdown.crypto": "must be a number, got 'strong'",
            "$.aptitude_breakdown.python": "needs 0 <= correct <= total",
            "$.aptitude_breakdown.bash": "must be a number, got 'many'",
        }

    def test_blank_category_rejected(self) -> None:
        """A blank category name is a problem."""
        assert list(problems_of({"aptitude_breakdown": {" ": 10}}, ProfilerResult).values()) == [
            "category must not be blank"
        ]

    def test_must_be_an_object(self) -> None:
        """A list is not a breakdown."""
        assert problems_of({"aptitude_breakdown": [40]}, ProfilerResult) == {
            "$.aptitude_breakdown": "must be an object, got list"
        }

    @pytest.mark.parametrize(
        ("raw", "expected"),
        [
            (40, CategoryScore(score=40.0)),
            ({"correct": 1, "total": 2}, CategoryScore.from_counts(correct=1, total=2)),
        ],
    )
    def test_category_score_alone(self, raw: object, expected: CategoryScore) -> None:
        """A CategoryScore on its own reads the same two shapes."""
        assert structure(raw, CategoryScore) == expected


class TestBehavioralProfile:
    """behavioral_profile: the intended shape or the flat {category: mean}."""

    def test_intended_shape(self) -> None:
        """{traits, strengths, areas_for_growth} is read as is."""
        session = wire_session(
            behavioral_profile={
                "traits": {"teamwork": "4.5"},
                "strengths": ["teamwork"],
                "areas_for_growth": ["Improve documentation skills"],
            }
        )
        assert session.behavioral_profile == BehavioralProfile(
            traits={"teamwork": 4.5},
            strengths=("teamwork",),
            areas_for_growth=("Improve documentation skills",),
        )

    def test_partial_intended_shape(self) -> None:
        """Any subset of the intended keys is the intended shape."""
        assert wire_session(
            behavioral_profile={"strengths": ["grit"]}
        ).behavioral_profile == BehavioralProfile(strengths=("grit",))

    @pytest.mark.parametrize(
        ("raw", "expected"),
        [
            (
                {"traits": {"teamwork": "4"}, "strengths": ["grit"], "computed_at": "2026-01-01"},
                BehavioralProfile(traits={"teamwork": 4.0}, strengths=("grit",)),
            ),
            (
                {"traits": {}, "source": "profiler", "meta": {"v": 1}, "flag": True, "note": None},
                BehavioralProfile(),
            ),
        ],
    )
    def test_intended_shape_ignores_extra_non_numeric_keys(
        self, raw: object, expected: BehavioralProfile
    ) -> None:
        """Beside a traits object, keys that hold no number are unknown extras and are ignored."""
        assert wire_session(behavioral_profile=raw).behavioral_profile == expected

    @pytest.mark.parametrize(
        ("raw", "expected"),
        [
            # SPEC §10.2: a flat profile that also lists strengths kept the list and lost the traits.
            (
                {"analytical": 4.0, "strengths": ["x"]},
                BehavioralProfile(traits={"analytical": 4.0}, strengths=("x",)),
            ),
            (
                {"analytical": "4.0", "teamwork": 2, "areas_for_growth": ["Improve teamwork skills"]},
                BehavioralProfile(
                    traits={"analytical": 4.0, "teamwork": 2.0}, areas_for_growth=("Improve teamwork skills",)
                ),
            ),
            (
                {"analytical": 4, "strengths": ["x"], "areas_for_growth": ["y"]},
                BehavioralProfile(traits={"analytical": 4.0}, strengths=("x",), areas_for_growth=("y",)),
            ),
            # A number beside a traits object is a trait too, whatever else is present.
            (
                {"traits": {"teamwork": 4.5}, "analytical": 3, "strengths": ["grit"]},
                BehavioralProfile(traits={"teamwork": 4.5, "analytical": 3.0}, strengths=("grit",)),
            ),
            (
                {"traits": {"teamwork": 4.5}, "version": 2},
                BehavioralProfile(traits={"teamwork": 4.5, "version": 2.0}),
            ),
        ],
    )
    def test_numbers_are_traits_whatever_else_is_present(
        self, raw: object, expected: BehavioralProfile
    ) -> None:
        """Every top-level number is a trait, beside strengths/areas lists or a traits object."""
        assert wire_session(behavioral_profile=raw).behavioral_profile == expected

    @pytest.mark.parametrize(
        ("raw", "problems"),
        [
            (
                {"areas_for_growth": ["Improve documentation skills"], "source": "profiler"},
                {"$.behavioral_profile.source": "not_a_number"},
            ),
            (
                {"analytical": 4, "strengths": ["x"], "notes": None},
                {"$.behavioral_profile.notes": "not_a_number"},
            ),
            ({"analytical": True}, {"$.behavioral_profile.analytical": "not_a_number"}),
            ({"analytical": "1e2"}, {"$.behavioral_profile.analytical": "not_a_number"}),
            (
                {"traits": {"teamwork": 4}, "teamwork": 3},
                {"$.behavioral_profile.teamwork": "duplicate_key"},
            ),
            ({"traits": 4}, {"$.behavioral_profile.traits": "not_an_object"}),
            ({"traits": [4]}, {"$.behavioral_profile.traits": "not_an_object"}),
            ({"analytical": 4, "strengths": "grit"}, {"$.behavioral_profile.strengths": "not_a_list"}),
            ({" ": 4}, {"$.behavioral_profile. ": "blank"}),
        ],
    )
    def test_nothing_is_silently_dropped(self, raw: object, problems: dict[str, str]) -> None:
        """In a flat profile every other key is a category: a non-number there is a problem at its path."""
        assert codes_of({**SESSION, "behavioral_profile": raw}, ProfilerSession) == problems

    @given(
        traits=st.dictionaries(
            st.text(min_size=1, max_size=12).filter(
                lambda k: k.strip() == k and k.strip() not in {"", "traits", "strengths", "areas_for_growth"}
            ),
            st.floats(min_value=0, max_value=5, allow_nan=False) | st.integers(0, 5),
            max_size=6,
        ),
        strengths=st.none() | st.lists(st.text(max_size=10), max_size=3),
        areas=st.none() | st.lists(st.text(max_size=10), max_size=3),
    )
    def test_every_flat_category_is_a_trait(
        self, traits: dict[str, float], strengths: list[str] | None, areas: list[str] | None
    ) -> None:
        """For any flat {category: number} plus optional strengths/areas lists, every category is a trait."""
        raw: dict[str, object] = dict(traits)
        if strengths is not None:
            raw["strengths"] = strengths
        if areas is not None:
            raw["areas_for_growth"] = areas
        profile = wire_session(behavioral_profile=raw).behavioral_profile
        assert profile.traits == {key: float(value) for key, value in traits.items()}
        assert profile.strengths == tuple(strengths or ())
        assert profile.areas_for_growth == tuple(areas or ())

    def test_flat_shape_read_as_traits(self) -> None:
        """The platform's stored flat {category: mean} becomes the traits."""
        session = wire_session(behavioral_profile={"teamwork": 4.2, "communication": "3.5", "leadership": 2})
        assert session.behavioral_profile == BehavioralProfile(
            traits={"teamwork": 4.2, "communication": 3.5, "leadership": 2.0}
        )

    @pytest.mark.parametrize("raw", [None, {}])
    def test_empty(self, raw: object) -> None:
        """Null or an empty object is an empty profile."""
        assert wire_session(behavioral_profile=raw).behavioral_profile == BehavioralProfile()

    def test_flat_problems_have_paths(self) -> None:
        """A non-numeric flat trait is reported at its category."""
        assert problems_of(
            {**SESSION, "behavioral_profile": {"teamwork": "high", "focus": 3}}, ProfilerSession
        ) == {"$.behavioral_profile.teamwork": "must be a number, got 'high'"}

    def test_intended_problems_have_paths(self) -> None:
        """Problems inside the intended shape are reported at their nested path."""
        assert problems_of(
            {**SESSION, "behavioral_profile": {"traits": {"teamwork": "x"}, "strengths": "grit"}},
            ProfilerSession,
        ) == {
            "$.behavioral_profile.traits.teamwork": "must be a number, got 'x'",
            "$.behavioral_profile.strengths": "must be a list, got str",
        }

    def test_must_be_an_object(self) -> None:
        """A list is not a behavioral profile."""
        assert problems_of({**SESSION, "behavioral_profile": [1]}, ProfilerSession) == {
            "$.behavioral_profile": "must be an object, got list"
        }

    def test_result_traits(self) -> None:
        """ProfilerResult.behavioral_traits is a flat {category: mean} too."""
        assert structure({"behavioral_traits": {"teamwork": "4"}}, ProfilerResult).behavioral_traits == {
            "teamwork": 4.0
        }


class TestTechnicalExposure:
    """technical_exposure_score: a percentage, or {raw, answered} converted to one."""

    @pytest.mark.parametrize(
        ("raw", "answered", "percentage"),
        [
            # (raw - answered) / (2 * answered) * 100, computed by hand
            (10, 10, 0.0),
            (20, 10, 50.0),
            (30, 10, 100.0),
            (25, 10, 75.0),
            (13, 10, 15.0),
            (6, 4, 25.0),
            (2, 1, 50.0),
            (14, 7, 50.0),
            (0, 0, None),
            ("20", "10", 50.0),
        ],
    )
    def test_raw_sum_converted(self, raw: object, answered: object, percentage: float | None) -> None:
        """{raw, answered} becomes a 0..100 percentage, keeping the answered count as evidence."""
        session = wire_session(technical_exposure_score={"raw": raw, "answered": answered})
        assert session.technical_exposure_score == percentage
        assert session.technical_exposure_answered == int(str(answered))

    @pytest.mark.parametrize(("raw", "expected"), [(62.5, 62.5), ("62.50", 62.5), (None, None)])
    def test_percentage_passes(self, raw: object, expected: float | None) -> None:
        """A plain percentage is kept and carries no answered count."""
        session = wire_session(technical_exposure_score=raw)
        assert session.technical_exposure_score == expected
        assert session.technical_exposure_answered is None

    @pytest.mark.parametrize(
        "value",
        [
            {"raw": 40, "answered": 10},
            {"raw": 5, "answered": 10},
            {"raw": 3, "answered": 0},
            {"raw": 0, "answered": -2},
            {"raw": 20},
            {"answered": 10},
            {"raw": "lots", "answered": 10},
            {"raw": 20.5, "answered": 10},
        ],
    )
    def test_impossible_raw_sums(self, value: dict[str, object]) -> None:
        """An impossible or incomplete {raw, answered} is one problem at $.technical_exposure_score."""
        assert problems_of({**SESSION, "technical_exposure_score": value}, ProfilerSession) == {
            "$.technical_exposure_score": "must be a percentage 0..100 or {raw, answered} with answered >= 0 "
            "and answered <= raw <= 3 x answered"
        }

    @pytest.mark.parametrize(
        ("value", "message"),
        [(129, "must be 0..100"), (-1, "must be 0..100"), ("x", "must be a number, got 'x'")],
    )
    def test_bad_percentage(self, value: object, message: str) -> None:
        """A bare number outside 0..100 (e.g. an unconverted raw sum) or text is rejected, never guessed."""
        assert problems_of({**SESSION, "technical_exposure_score": value}, ProfilerSession) == {
            "$.technical_exposure_score": message
        }

    @pytest.mark.parametrize(
        ("fields", "path", "message"),
        [
            ({"technical_exposure_answered": 1e30}, "$.technical_exposure_answered", "must be 0..10000"),
            ({"technical_exposure_answered": 10_001}, "$.technical_exposure_answered", "must be 0..10000"),
            (
                {"technical_exposure_score": {"raw": 1e300, "answered": 1e300}},
                "$.technical_exposure_score",
                "answered must be 0..10000",
            ),
            (
                {"technical_exposure_score": {"raw": 30_003, "answered": 10_001}},
                "$.technical_exposure_score",
                "answered must be 0..10000",
            ),
        ],
    )
    def test_answered_count_is_bounded(self, fields: dict[str, object], path: str, message: str) -> None:
        """The answered-question count has an upper bound (10000), in either wire shape."""
        with pytest.raises(InvalidPayloadError) as info:
            structure({**SESSION, **fields}, ProfilerSession)
        assert info.value.problems == (Problem(path=path, message=message, code="out_of_range"),)

    @pytest.mark.parametrize("score", [50, 0, "0.0"])
    def test_zero_answered_with_a_score_is_rejected(self, score: object) -> None:
        """answered == 0 is no evidence: a score beside it (even 0) is a problem at the score."""
        with pytest.raises(InvalidPayloadError) as info:
            structure(
                {**SESSION, "technical_exposure_score": score, "technical_exposure_answered": 0},
                ProfilerSession,
            )
        assert info.value.problems == (
            Problem(
                path="$.technical_exposure_score",
                message="must be null when technical_exposure_answered is 0 (no evidence)",
                code="invalid_value",
            ),
        )

    def test_zero_answered_without_a_score_is_no_evidence(self) -> None:
        """answered == 0 with no score, as {raw: 0, answered: 0} or written out, is accepted."""
        written = wire_session(technical_exposure_score=None, technical_exposure_answered=0)
        converted = wire_session(technical_exposure_score={"raw": 0, "answered": 0})
        assert written == converted
        assert (converted.technical_exposure_score, converted.technical_exposure_answered) == (None, 0)


class TestBounds:
    """Every count, duration and raw sum has a documented upper bound (SPEC §2)."""

    @pytest.mark.parametrize(
        ("cls", "payload", "path", "message"),
        [
            (Recipe, {**RECIPE, "estimated_minutes": 100_001}, "$.estimated_minutes", "must be 0..100000"),
            (Recipe, {**RECIPE, "usage_count": 10**12 + 1}, "$.usage_count", "must be 0..1000000000000"),
            (Recipe, {**RECIPE, "usage_count": 1e300}, "$.usage_count", "must be 0..1000000000000"),
            (
                ProfilerResult,
                {"aptitude_breakdown": {"web": {"correct": 1, "total": 1e30}}},
                "$.aptitude_breakdown.web",
                "total must be 0..10000",
            ),
            (
                ProfilerResult,
                {"aptitude_breakdown": {"web": {"correct": 10_001, "total": 10_001}}},
                "$.aptitude_breakdown.web",
                "correct must be 0..10000",
            ),
            (
                ProfilerResult,
                {"aptitude_breakdown": {"web": {"correct": 1, "total": 2, "points": 1e7}}},
                "$.aptitude_breakdown.web",
                "points must be 0..1000000",
            ),
            (
                ProfilerResult,
                {"aptitude_breakdown": {"web": {"correct": 1, "total": 2, "points": -1}}},
                "$.aptitude_breakdown.web",
                "points must be 0..1000000",
            ),
        ],
    )
    def test_breach_reported_with_path(
        self, cls: type[Any], payload: dict[str, object], path: str, message: str
    ) -> None:
        """A value above its bound is one out_of_range problem at its path."""
        with pytest.raises(InvalidPayloadError) as info:
            structure(payload, cls)
        assert info.value.problems == (Problem(path=path, message=message, code="out_of_range"),)

    @pytest.mark.parametrize(
        ("key", "high"),
        [
            ("Recipe.estimated_minutes", 100_000),
            ("Recipe.usage_count", 10**12),
            ("ProfilerSession.technical_exposure_answered", 10_000),
            ("CategoryScore.total", 10_000),
        ],
    )
    def test_bound_itself_is_accepted(self, key: str, high: int) -> None:
        """The documented bound is inclusive."""
        assert models.BOUNDS[key] == (0, high)
        cls_name, field_name = key.split(".")
        if cls_name == "Recipe":
            assert getattr(structure({**RECIPE, field_name: high}, Recipe), field_name) == high
        elif cls_name == "ProfilerSession":
            assert wire_session(**{field_name: high}).technical_exposure_answered == high
        else:
            result = structure(
                {"aptitude_breakdown": {"a": {"correct": high, "total": high}}}, ProfilerResult
            )
            assert result.aptitude_breakdown["a"].total == high

    def test_every_integer_field_has_a_bound(self) -> None:
        """Each int field of every models class carries a RANGE and is listed in BOUNDS (docs table)."""
        unbounded = []
        for name in models.__all__:
            cls = getattr(models, name)
            if not attrs.has(cls):
                continue
            hints = typing.get_type_hints(cls)
            for attribute in attrs.fields(cls):
                if int in (typing.get_args(hints[attribute.name]) or (hints[attribute.name],)):
                    key = f"{cls.__name__}.{attribute.name}"
                    if models.RANGE not in attribute.metadata or key not in models.BOUNDS:
                        unbounded.append(key)
        assert not unbounded


class TestOtherTargetTypes:
    """structure() on targets other than the SPEC §2 inputs."""

    def test_plain_float(self) -> None:
        """A bare float target reads numeric strings."""
        assert structure("4.5", float) == 4.5
        assert problems_of(True, float) == {"$": "must be a number, not a boolean"}

    def test_value_rule_at_the_top(self) -> None:
        """A decision value's own validator is reported at its field."""
        assert structure({"code": "ok_code", "message": "Fine."}, Reason) == Reason(
            code="ok_code", message="Fine."
        )
        assert problems_of({"code": "Bad Code", "message": "m"}, Reason) == {
            "$.code": "'Bad Code' is not a snake_case reason code"
        }

    def test_unsupported_type(self) -> None:
        """A type the wire edge cannot build is reported as a problem, not as another exception."""
        assert problems_of({}, complex) == {"$": "invalid value (StructureHandlerNotFoundError)"}


class TestCrossFieldRules:
    """A value's own cross-field rule is reported at the field it names."""

    @pytest.mark.parametrize(
        ("kind", "path"),
        [("direct", "$.mentee_id"), ("cohort", "$.cohort_id"), ("track", "$.track")],
    )
    def test_mentor_assignment_target(self, kind: str, path: str) -> None:
        """An assignment without the target its type needs still reads (SPEC §5: it grants nothing)."""
        assignment = structure(
            {"mentor_id": "m", "status": "active", "assignment_type": kind}, MentorAssignment
        )
        assert getattr(assignment, path.removeprefix("$.")) is None

    @pytest.mark.parametrize(
        ("kind", "target", "attribute"),
        [("direct", {"mentee_id": 9}, "mentee_id"), ("cohort", {"cohort_id": "c"}, "cohort_id")],
    )
    def test_mentor_assignment_valid(self, kind: str, target: dict[str, object], attribute: str) -> None:
        """An assignment with its target structures."""
        assignment = structure(
            {"mentor_id": "m", "status": "active", "assignment_type": kind, **target}, MentorAssignment
        )
        assert assignment.assignment_type is AssignmentType(kind)
        assert getattr(assignment, attribute) == str(next(iter(target.values())))

    @pytest.mark.parametrize(
        ("grant", "message"),
        [
            ({"role": "mentor", "scope": "cohort"}, "is required for a cohort grant"),
            ({"role": "mentor", "scope": "global", "scope_ref": "x"}, "must be null for a global grant"),
        ],
    )
    def test_role_grant_scope_ref(self, grant: dict[str, object], message: str) -> None:
        """A scope_ref that does not fit the scope is reported at $.scope_ref."""
        assert problems_of(grant, RoleGrant) == {"$.scope_ref": message}

    def test_nested_cross_field_rules(self) -> None:
        """Inside a list, cross-field problems keep the item index and the field."""
        assert problems_of(
            {
                "user_id": "u",
                "roles": [
                    {"role": "admin"},
                    {"role": "mentor", "scope": "track"},
                    {"role": "analyst", "scope": "global", "scope_ref": "o-1"},
                ],
            },
            Principal,
        ) == {
            "$.roles[1].scope_ref": "is required for a track grant",
            "$.roles[2].scope_ref": "must be null for a global grant",
        }

    def test_model_rule_inside_list(self) -> None:
        """A model validator failing inside a list item names the item's field."""
        assert problems_of(
            {**SESSION, "identity_responses": [{"question_id": "", "text": "t"}]}, ProfilerSession
        ) == {"$.identity_responses[0].question_id": "must not be empty"}
