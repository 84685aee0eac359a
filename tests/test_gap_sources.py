"""Tests for profiler_core.gap_sources: skill-assessment and mission-stage gaps (SPEC §4)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest
from tests.gap_builders import MISSION

from profiler_core.errors import InvalidPayloadError, InvalidValueError
from profiler_core.gap_sources import (
    SkillAssessment,
    mission_gaps,
    parse_skill_assessments,
    skill_assessment_gaps,
)
from profiler_core.taxonomy import (
    MatchKind,
)
from profiler_core.vocabulary import GapType, Priority

# --- other sources ------------------------------------------------------------


class TestSkillAssessments:
    def test_parse_both_shapes(self) -> None:
        """{code: {score, level}} and {code: score} are read, codes normalised, sorted by code."""
        parsed = parse_skill_assessments({"net": {"score": "55.5", "level": "beginner"}, "DNS": 80})
        assert parsed == (
            SkillAssessment(skill_code="DNS", score=80.0),
            SkillAssessment(skill_code="NET", score=55.5, level="beginner"),
        )

    def test_parse_lists_every_problem(self) -> None:
        """Every bad entry is reported with its path in one InvalidPayloadError."""
        bad = {"NET": {"score": 101}, "DNS": "high", "WEB": {"score": 50, "level": 3}, " ": 10, "web": 20}
        with pytest.raises(InvalidPayloadError) as caught:
            parse_skill_assessments(bad)
        paths = {p.path for p in caught.value.problems}
        assert paths == {"$.NET.score", "$.DNS", "$.WEB.level", "$. ", "$.web"}

    def test_parse_reports_a_non_string_code(self) -> None:
        """A key that is not a string is a problem with its path, not an AttributeError."""
        with pytest.raises(InvalidPayloadError) as caught:
            parse_skill_assessments({7: 50, "NET": 20})  # type: ignore[dict-item]  # a host's bad dict
        assert [p.path for p in caught.value.problems] == ["$.7"]

    @pytest.mark.parametrize(
        ("score", "priority"),
        [(70.0, None), (69.99, Priority.MEDIUM), (40.0, Priority.MEDIUM), (39.99, Priority.HIGH)],
    )
    def test_below_70_is_a_gap(self, score: float, priority: Priority | None) -> None:
        """A skill assessment below 70 is a gap (high below 40), closed by that code directly."""
        gaps = skill_assessment_gaps([SkillAssessment(skill_code="siem", score=score)])
        if priority is None:
            assert gaps == ()
        else:
            (siem,) = gaps
            assert (siem.type, siem.category, siem.priority, siem.score) == (
                GapType.SKILL_ASSESSMENT,
                "SIEM",
                priority,
                score,
            )
            assert (siem.skill_codes, siem.match, siem.sources) == (
                ("SIEM",),
                MatchKind.DIRECT,
                ("skill_assessment",),
            )

    def test_raw_mapping_and_custom_source(self) -> None:
        """A raw mapping is parsed; the source label is the caller's."""
        (dns,) = skill_assessment_gaps({"DNS": {"score": 10}}, source="coach:42")
        assert (dns.priority, dns.sources, dns.reason_codes) == (
            Priority.HIGH,
            ("coach:42",),
            ("skill_assessment_gap",),
        )

    @pytest.mark.parametrize(
        ("changes", "field"), [({"score": 101.0}, "score"), ({"skill_code": " "}, "skill_code")]
    )
    def test_invalid_assessment_values(self, changes: Mapping[str, Any], field: str) -> None:
        """A SkillAssessment validates its score and code."""
        with pytest.raises(InvalidValueError) as caught:
            SkillAssessment(**{"skill_code": "NET", "score": 50.0, **changes})
        assert caught.value.field == field


class TestMissionGaps:
    @pytest.mark.parametrize(
        ("current", "expected"),
        [
            (0, [("LINUX", Priority.HIGH), ("DOC", Priority.MEDIUM), ("NET", Priority.LOW)]),
            (
                "t2",
                [
                    ("DOC", Priority.HIGH),
                    ("SIEM", Priority.MEDIUM),
                    ("LINUX", Priority.LOW),
                    ("NET", Priority.LOW),
                ],
            ),
            (2, [("SIEM", Priority.HIGH), ("LINUX", Priority.LOW), ("NET", Priority.LOW)]),
            (None, [("LINUX", Priority.LOW), ("NET", Priority.LOW)]),
            (7, [("LINUX", Priority.LOW), ("NET", Priority.LOW)]),
            ("nope", [("LINUX", Priority.LOW), ("NET", Priority.LOW)]),
        ],
    )
    def test_stage_codes(self, current: int | str | None, expected: list[tuple[str, Priority]]) -> None:
        """Current subtask high, next subtask medium, tags low; a code in several parts keeps the highest."""
        gaps = mission_gaps(MISSION, current_subtask=current)
        assert [(g.category, g.priority) for g in gaps] == expected
        assert all(g.type is GapType.MISSION and g.sources == ("mission:m-1",) for g in gaps)

    def test_reasons_name_the_part(self) -> None:
        """Each mission gap says which part of the mission needs it."""
        linux = mission_gaps(MISSION)[0]
        assert linux.reason_codes == ("mission_current_subtask", "mission_skill_tag")
