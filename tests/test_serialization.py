"""Tests for profiler_core.serialization's public API: structure, unstructure, make_converter and the laws."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import attrs
import cattrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.wire_builders import MISSION, RECIPE, SESSION, wire_session

from profiler_core import models
from profiler_core.analytics import SUPPRESSED, AnalyticsPolicy, Suppressed
from profiler_core.decisions import Reason
from profiler_core.errors import InvalidPayloadError
from profiler_core.mapping import eligible_missions, mission_ceiling
from profiler_core.models import (
    BehavioralProfile,
    CategoryScore,
    Cohort,
    Enrollment,
    IdentityResponse,
    JobPosting,
    MentorAssignment,
    Mission,
    PortfolioEntry,
    Principal,
    ProfilerResult,
    ProfilerSession,
    Recipe,
    Reflection,
    RoleGrant,
    Subtask,
    TalentProfile,
)
from profiler_core.serialization import (
    JSON,
    configure_converter,
    make_converter,
    structure,
    unstructure,
    unstructure_object,
)
from profiler_core.testing import strategies
from profiler_core.vocabulary import (
    EnrollmentStatus,
    MissionDifficulty,
    TrackKey,
)


def _obj(value: JSON) -> dict[str, JSON]:
    """Narrow unstructured JSON to an object."""
    assert isinstance(value, dict)
    return value


def _structure_or_problems(data: object, cls: type[Any]) -> bool:
    """True when *data* structures to a *cls*, or fails with rooted problems (and nothing else)."""
    try:
        value = structure(data, cls)
    except InvalidPayloadError as error:
        return bool(error.problems) and all(p.path.startswith("$") for p in error.problems)
    return isinstance(value, cls)


# Every value type of models.py with its strategy (a test below checks none is missing).
VALUE_TYPES: list[tuple[st.SearchStrategy[Any], type[Any]]] = [
    (strategies.category_scores(), CategoryScore),
    (strategies.behavioral_profiles(), BehavioralProfile),
    (strategies.reflections(), Reflection),
    (strategies.identity_responses(), IdentityResponse),
    (strategies.sessions(), ProfilerSession),
    (strategies.results(), ProfilerResult),
    (strategies.subtasks(), Subtask),
    (strategies.missions(), Mission),
    (strategies.recipes(), Recipe),
    (strategies.enrollments(), Enrollment),
    (strategies.cohorts(), Cohort),
    (strategies.mentor_assignments(), MentorAssignment),
    (strategies.role_grants(), RoleGrant),
    (strategies.principals(), Principal),
    (strategies.job_postings(), JobPosting),
    (strategies.talent_profiles(), TalentProfile),
    (strategies.portfolio_entries(), PortfolioEntry),
]
VALUE_TYPE_IDS = [cls.__name__ for _, cls in VALUE_TYPES]

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=20,
)


def _is_plain_json(value: object) -> bool:
    """Only str/int/float/bool/None/list/dict with str keys (no enums, tuples or datetimes)."""
    if value is None or type(value) in (str, int, float, bool):
        return True
    if type(value) is list:
        return all(_is_plain_json(item) for item in value)
    if type(value) is dict:
        return all(type(key) is str and _is_plain_json(item) for key, item in value.items())
    return False


class TestUnstructure:
    """unstructure gives plain JSON-ready data."""

    def test_session_shape(self) -> None:
        """Enums become their values, timestamps ISO strings, tuples lists and maps dicts."""
        session = wire_session(
            started_at="2026-01-02T03:04:05+02:00",
            difficulty_selection="Elite",
            recommended_track="Red Team",
            track_alignment_percentages={"pentest": 80},
            technical_exposure_score={"raw": 20, "answered": 10},
            strengths=["grit"],
        )
        data = unstructure_object(session)
        assert data["status"] == "finished"
        assert type(data["status"]) is str
        assert data["started_at"] == "2026-01-02T03:04:05+02:00"
        assert data["difficulty_selection"] == "elite"
        assert data["recommended_track"] == "offensive"
        assert data["track_alignment_percentages"] == {"offensive": 80.0}
        assert data["technical_exposure_score"] == 50.0
        assert data["technical_exposure_answered"] == 10
        assert data["strengths"] == ["grit"]
        assert _is_plain_json(data)

    def test_category_scores_keep_their_shape(self) -> None:
        """A plain score goes out as a number; counts go out as {correct, total, points}."""
        result = structure({"aptitude_breakdown": {"a": 40, "b": {"correct": 0, "total": 0}}}, ProfilerResult)
        assert unstructure_object(result)["aptitude_breakdown"] == {
            "a": 40.0,
            "b": {"correct": 0, "total": 0, "points": None},
        }

    def test_mission_difficulty_is_an_int(self) -> None:
        """Mission difficulty goes out as a plain int."""
        data = unstructure_object(structure({**MISSION, "difficulty": "elite"}, Mission))
        assert data["difficulty"] == 5
        assert type(data["difficulty"]) is int

    def test_decisions_from_mapping(self) -> None:
        """Decision values of other modules (with their own enums) are plain too."""
        session = wire_session(difficulty_selection="advanced", technical_exposure_score=60)
        decision = mission_ceiling(session)
        data = unstructure_object(eligible_missions([structure(MISSION, Mission)], decision))
        decision_data = _obj(data["decision"])
        assert decision_data["ceiling"] == 3
        assert decision_data["evidence"] == "consistent"
        assert type(decision_data["evidence"]) is str
        assert decision_data["policy"] == "difficulty@1"
        assert _obj(data["next_mission"])["id"] == "m-1"
        assert _is_plain_json(data)

    def test_collections_of_values(self) -> None:
        """A list of values unstructures item by item, each with every field and its defaults."""
        second = {"id": "m-2", "code": "M-2", "title": "Logs", "difficulty": 2, "is_active": False}
        mission: dict[str, object] = {
            "track": None,
            "tier": None,
            "is_active": True,
            "skills_tags": [],
            "subtasks": [],
            "recipe_recommendations": [],
            "points_required": None,
        }
        assert unstructure([structure(MISSION, Mission), structure(second, Mission)]) == [
            {"id": "m-1", "code": "M-1", "title": "Ports", "difficulty": 1, **mission},
            {**mission, "id": "m-2", "code": "M-2", "title": "Logs", "difficulty": 2, "is_active": False},
        ]

    def test_suppressed_marker(self) -> None:
        """A suppressed analytics figure goes out as {"suppressed": true}, as its to_dict does, not {}."""
        assert unstructure(SUPPRESSED) == {"suppressed": True}
        assert structure({"suppressed": True}, Suppressed) is SUPPRESSED

    def test_sets_become_sorted_lists(self) -> None:
        """A frozenset field goes out as a sorted JSON array (JSON has no sets) and reads back."""
        policy = AnalyticsPolicy(counted_statuses={EnrollmentStatus.COMPLETED, EnrollmentStatus.ACTIVE})
        data = unstructure_object(policy)
        assert data["counted_statuses"] == ["active", "completed"]
        assert structure(data, AnalyticsPolicy) == policy

    @pytest.mark.parametrize("value", [object(), Decimal("1.5"), {1, 2j}, b"bytes"])
    def test_non_json_is_a_type_error(self, value: object) -> None:
        """unstructure promises JSON: something without a JSON form raises TypeError instead of leaking."""
        with pytest.raises(TypeError, match="cannot unstructure"):
            unstructure(value)

    def test_unstructure_object(self) -> None:
        """unstructure_object returns the JSON object of a value and refuses values that are not objects."""
        assert unstructure_object(Reason(code="a", message="b")) == {"code": "a", "message": "b"}
        with pytest.raises(TypeError, match="does not unstructure to a JSON object"):
            unstructure_object([Reason(code="a", message="b")])
        with pytest.raises(TypeError, match="does not unstructure to a JSON object"):
            unstructure_object(MissionDifficulty.MASTER)


class TestConverters:
    """make_converter / configure_converter."""

    def test_new_converter_each_time(self) -> None:
        """make_converter returns a fresh converter (never the global one)."""
        first = make_converter()
        assert first is not make_converter()
        assert first is not cattrs.global_converter

    def test_configured_converter_applies_the_rules(self) -> None:
        """A host's own converter configured with configure_converter reads the wire shapes."""
        converter = cattrs.Converter(detailed_validation=True)
        configure_converter(converter)
        mission = converter.structure({**MISSION, "difficulty": "elite", "track": "Red Team"}, Mission)
        assert (mission.difficulty, mission.track) == (MissionDifficulty.MASTER, TrackKey.OFFENSIVE)
        assert converter.unstructure(mission)["track"] == "offensive"


# One payload per problem code: (type, payload, path, code). A test checks every code is here.
CODE_CASES: list[tuple[type[Any], object, str, str]] = [
    (ProfilerSession, {"id": "s-1", "status": "finished"}, "$.user_id", "required"),
    (ProfilerSession, [], "$", "not_an_object"),
    (Mission, {**MISSION, "skills_tags": "NET"}, "$.skills_tags", "not_a_list"),
    (Mission, {**MISSION, "title": 5}, "$.title", "not_a_string"),
    (Mission, {**MISSION, "is_active": "yes"}, "$.is_active", "not_a_boolean"),
    (ProfilerSession, {**SESSION, "aptitude_score": "high"}, "$.aptitude_score", "not_a_number"),
    (Recipe, {**RECIPE, "estimated_minutes": 30.5}, "$.estimated_minutes", "not_an_integer"),
    (ProfilerSession, {**SESSION, "aptitude_score": 101}, "$.aptitude_score", "out_of_range"),
    (ProfilerResult, {"aptitude_breakdown": {" ": 10}}, "$.aptitude_breakdown. ", "blank"),
    (ProfilerSession, {**SESSION, "status": "bogus"}, "$.status", "unknown_value"),
    (ProfilerSession, {**SESSION, "started_at": "yesterday"}, "$.started_at", "bad_timestamp"),
    (ProfilerSession, {**SESSION, "started_at": "2026-01-02T03:04:05"}, "$.started_at", "naive_timestamp"),
    (
        ProfilerSession,
        {**SESSION, "track_alignment_percentages": {"defender": 1, "soc-defense": 2}},
        "$.track_alignment_percentages.soc-defense",
        "duplicate_key",
    ),
    (
        MentorAssignment,
        {"mentor_id": "m", "status": "active", "assignment_type": "cohort"},
        "$.cohort_id",
        "invalid_value",
    ),
]


class TestLaws:
    """Properties over every value type."""

    def test_every_model_type_is_covered(self) -> None:
        """The law tables name every attrs class in models.__all__."""
        model_types = {getattr(models, name) for name in models.__all__ if attrs.has(getattr(models, name))}
        assert model_types == {cls for _, cls in VALUE_TYPES}

    @pytest.mark.parametrize(("strategy", "cls"), VALUE_TYPES, ids=VALUE_TYPE_IDS)
    @given(data=st.data())
    def test_round_trip(self, strategy: st.SearchStrategy[Any], cls: type[Any], data: st.DataObject) -> None:
        """structure(unstructure(x), type(x)) == x, also through a JSON string."""
        value = data.draw(strategy)
        plain = unstructure(value)
        assert structure(plain, cls) == value
        assert structure(json.loads(json.dumps(plain)), cls) == value

    @pytest.mark.parametrize(("strategy", "cls"), VALUE_TYPES, ids=VALUE_TYPE_IDS)
    @given(data=st.data())
    def test_unstructure_is_plain_json(
        self, strategy: st.SearchStrategy[Any], cls: type[Any], data: st.DataObject
    ) -> None:
        """unstructure output is JSON-serialisable and made of plain builtins only."""
        plain = unstructure(data.draw(strategy))
        assert _is_plain_json(plain)
        json.dumps(plain, allow_nan=False)

    @pytest.mark.parametrize(("strategy", "cls"), VALUE_TYPES, ids=VALUE_TYPE_IDS)
    @given(payload=JSON_VALUES)
    def test_arbitrary_json_raises_only_invalid_payload(
        self, strategy: st.SearchStrategy[Any], cls: type[Any], payload: object
    ) -> None:
        """Any JSON value either structures or raises InvalidPayloadError with at least one rooted path."""
        assert _structure_or_problems(payload, cls)

    @pytest.mark.parametrize(("strategy", "cls"), VALUE_TYPES, ids=VALUE_TYPE_IDS)
    @given(data=st.data(), junk=JSON_VALUES)
    def test_one_corrupted_field_raises_only_invalid_payload(
        self, strategy: st.SearchStrategy[Any], cls: type[Any], data: st.DataObject, junk: object
    ) -> None:
        """A valid payload with one field replaced by arbitrary JSON never raises anything else."""
        plain: object = unstructure(data.draw(strategy))
        if isinstance(plain, dict) and plain:
            plain[data.draw(st.sampled_from(sorted(plain)))] = junk
        assert _structure_or_problems(plain, cls)
