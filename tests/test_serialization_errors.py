"""Tests for profiler_core.serialization._errors: one InvalidPayloadError, each problem with path and code."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.wire_builders import MISSION, RECIPE, SESSION, codes_of, problems_of

from profiler_core.errors import PROBLEM_CODES, InvalidPayloadError, Problem
from profiler_core.models import (
    Mission,
    ProfilerResult,
    ProfilerSession,
    Recipe,
    RoleGrant,
)
from profiler_core.serialization import (
    error_body,
    structure,
)


class TestProblems:
    """One InvalidPayloadError lists every problem with its JSON path."""

    def test_every_problem_listed_at_once(self) -> None:
        """Problems across fields, nested objects, lists and maps all come back together."""
        with pytest.raises(InvalidPayloadError) as info:
            structure(
                {
                    "id": "s-1",
                    "status": "bogus",
                    "started_at": "2024-01-01T00:00:00",
                    "aptitude_score": "101",
                    "recommended_track": "blue",
                    "strengths": "grit",
                    "reflection": "why not",
                    "identity_responses": [{"question_id": "q1", "text": "ok"}, {"text": 5}],
                    "track_alignment_percentages": {"pentest": 200},
                },
                ProfilerSession,
            )
        error = info.value
        assert error.type_name == "ProfilerSession"
        assert {p.path for p in error.problems} == {
            "$.user_id",
            "$.status",
            "$.started_at",
            "$.aptitude_score",
            "$.recommended_track",
            "$.strengths",
            "$.reflection",
            "$.identity_responses[1].question_id",
            "$.identity_responses[1].text",
            "$.track_alignment_percentages.pentest",
        }
        messages = {p.path: p.message for p in error.problems}
        assert messages["$.user_id"] == "required field missing"
        assert messages["$.identity_responses[1].question_id"] == "required field missing"
        assert str(error).startswith("invalid ProfilerSession payload (10 problem(s)):\n  $.")

    def test_nested_paths(self) -> None:
        """Paths follow objects with '.' and arrays with '[i]'."""
        assert problems_of(
            {**MISSION, "subtasks": [{"required_skills": ["NET"]}, {"required_skills": ["DNS", 7]}]}, Mission
        ) == {"$.subtasks[1].required_skills[1]": "must be a string, got int"}

    def test_example_path_from_the_spec(self) -> None:
        """The spec's own example: $.aptitude_breakdown.networking: must be 0..100."""
        with pytest.raises(InvalidPayloadError) as info:
            structure({"aptitude_breakdown": {"networking": 140}}, ProfilerResult)
        assert info.value.problems == (
            Problem(path="$.aptitude_breakdown.networking", message="must be 0..100", code="out_of_range"),
        )

    def test_as_dict(self) -> None:
        """error_body is the JSON body a host returns with a 400."""
        with pytest.raises(InvalidPayloadError) as info:
            structure({**MISSION, "difficulty": 9, "title": None}, Mission)
        body = error_body(info.value)
        assert body["code"] == "invalid_payload"
        assert body["type"] == "Mission"
        errors = body["errors"]
        assert isinstance(errors, list)
        assert sorted(e["path"] for e in errors) == ["$.difficulty", "$.title"]
        assert json.loads(json.dumps(body)) == body

    @pytest.mark.parametrize(
        ("data", "type_name"), [([], "list"), (None, "NoneType"), ("s", "str"), (3, "int")]
    )
    def test_payload_must_be_an_object(self, data: object, type_name: str) -> None:
        """A non-object payload is one problem at '$'."""
        assert problems_of(data, ProfilerSession) == {"$": f"must be an object, got {type_name}"}

    def test_batches(self) -> None:
        """A list of payloads structures to a list; problems carry the item index."""
        missions = structure([MISSION, {**MISSION, "id": 2}], list[Mission])
        assert [m.id for m in missions] == ["m-1", "2"]
        assert problems_of([MISSION, {**MISSION, "difficulty": "Mastr"}], tuple[Mission, ...]).keys() == {
            "$[1].difficulty"
        }

    def test_invalid_payload_error_is_a_value_error(self) -> None:
        """Hosts catching ValueError also catch bad payloads."""
        with pytest.raises(ValueError, match="invalid Mission payload"):
            structure({}, Mission)


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
    (RoleGrant, {"role": "admin", "scope": "global", "scope_ref": "org-1"}, "$.scope_ref", "invalid_value"),
]


class TestProblemCodes:
    """Every problem carries a machine code from PROBLEM_CODES beside its path and message."""

    @pytest.mark.parametrize(("cls", "payload", "path", "code"), CODE_CASES, ids=[c[3] for c in CODE_CASES])
    def test_code_at_path(self, cls: type[Any], payload: object, path: str, code: str) -> None:
        """The payload's one problem is at the expected path with the expected code."""
        assert codes_of(payload, cls) == {path: code}

    def test_every_code_is_exercised(self) -> None:
        """The table above produces every documented code, so none is dead or undocumented."""
        assert {case[3] for case in CODE_CASES} == set(PROBLEM_CODES)

    def test_as_dict_carries_the_code(self) -> None:
        """The 400 body lists each problem as {path, code, message}."""
        with pytest.raises(InvalidPayloadError) as info:
            structure({**SESSION, "aptitude_score": "high"}, ProfilerSession)
        assert error_body(info.value)["errors"] == [
            {"path": "$.aptitude_score", "code": "not_a_number", "message": "must be a number, got 'high'"}
        ]

    @given(
        secret=st.text(min_size=1, max_size=40).map(lambda text: "SECRET" + text),
        field=st.sampled_from(
            [
                "status",
                "aptitude_score",
                "technical_exposure_score",
                "recommended_track",
                "difficulty_selection",
                "started_at",
                "strengths",
                "reflection",
                "behavioral_profile",
                "track_alignment_percentages",
            ]
        ),
    )
    def test_log_summary_never_carries_the_value(self, secret: str, field: str) -> None:
        """A payload value never reaches log_summary(): only paths and codes do (SPEC §11)."""
        with pytest.raises(InvalidPayloadError) as info:
            structure({**SESSION, field: secret, "anti_cheat_flags": [secret, 5]}, ProfilerSession)
        assert "SECRET" not in info.value.log_summary()

    @pytest.mark.parametrize("field", ["status", "aptitude_score", "started_at", "recommended_track"])
    def test_quoted_value_is_capped(self, field: str) -> None:
        """A huge bad value is quoted in at most 60 characters, so a 400 body never echoes a megabyte."""
        with pytest.raises(InvalidPayloadError) as info:
            structure({**SESSION, field: "x" * 100_000}, ProfilerSession)
        (problem,) = info.value.problems
        assert problem.path == f"$.{field}"
        assert "x" * 58 not in problem.message
        assert len(problem.message) < 400

    def test_message_quotes_the_value_for_the_caller(self) -> None:
        """The human message (the 400 body) may quote the value; only log_summary() leaves it out."""
        with pytest.raises(InvalidPayloadError) as info:
            structure({**SESSION, "status": "My secret plan"}, ProfilerSession)
        assert "My secret plan" in str(info.value)
        assert (
            info.value.log_summary()
            == "invalid ProfilerSession payload (1 problem(s)): $.status: unknown_value"
        )
