"""The OpenAPI document's schemas accept the library's kept vocabulary (SPEC §2), and no other key."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from jsonschema import ValidationError
from openapi_schemas import component

from profiler_core import (
    DEFAULT_TAXONOMY,
    Cohort,
    EligibleMissions,
    Gap,
    GapType,
    Mission,
    Priority,
    ProfilerSession,
    Recipe,
    RecipeRecommendation,
    SessionStatus,
    analyze_gaps,
    eligible_missions,
    mission_ceiling,
    mission_track_reasons,
    recommend_recipes,
    structure,
    unstructure_object,
    with_gaps,
)

RECIPE = {"id": "r-1", "slug": "siem", "title": "SIEM rules", "skill_codes": ["SIEM"]}


class TestRecipeSchema:
    def test_mastery_and_unknown_codes_are_documented(self) -> None:
        """A recipe with difficulty mastery and a GENERAL track code fits the document's Recipe schema."""
        data = unstructure_object(
            structure({**RECIPE, "difficulty": "mastery", "track_codes": ["GENERAL", "grc"]}, Recipe)
        )
        assert data["difficulty"] is None
        assert data["difficulty_label"] == "mastery"
        assert data["unknown_track_codes"] == ["GENERAL"]
        component("Recipe").validate(data)

    def test_no_new_keys_inside_the_vocabulary(self) -> None:
        """A recipe inside the vocabulary fits without difficulty_label or unknown_track_codes."""
        data = unstructure_object(structure({**RECIPE, "difficulty": "advanced"}, Recipe))
        assert "difficulty_label" not in data
        assert "unknown_track_codes" not in data
        component("Recipe").validate(data)

    def test_an_unknown_key_is_not_documented(self) -> None:
        """The Recipe schema is closed: a key the library never writes fails it."""
        data = unstructure_object(structure(RECIPE, Recipe))
        with pytest.raises(ValidationError):
            component("Recipe").validate({**data, "colour": "red"})


class TestTrackLabelSchema:
    def test_mission_label(self) -> None:
        """A mission whose track is "Feb" (track_label kept) and one without both fit the Mission schema."""
        base = {"id": "m-1", "code": "M-1", "title": "Ports", "difficulty": 1}
        data = unstructure_object(structure({**base, "track": "Feb"}, Mission))
        assert data["track_label"] == "Feb"
        component("Mission").validate(data)
        plain = unstructure_object(structure({**base, "track": "grc"}, Mission))
        assert "track_label" not in plain
        component("Mission").validate(plain)

    def test_cohort_label(self) -> None:
        """A cohort whose track is "Feb" fits the Cohort schema."""
        data = unstructure_object(structure({"id": "c-1", "name": "Feb cohort", "track": "Feb"}, Cohort))
        assert data["track_label"] == "Feb"
        component("Cohort").validate(data)


class TestEligibleMissionsSchema:
    def test_reasons_only_when_some(self) -> None:
        """EligibleMissions fits without reasons, and with a labelled mission's reasons."""
        feb = structure({"id": "m-1", "code": "F-1", "title": "F", "difficulty": 1, "track": "Feb"}, Mission)
        plain = eligible_missions([feb], mission_ceiling(None))
        component("EligibleMissions").validate(unstructure_object(plain))
        noted = unstructure_object(
            EligibleMissions(
                decision=plain.decision,
                missions=plain.missions,
                empty_reason=None,
                reasons=mission_track_reasons(plain.missions),
            )
        )
        assert noted["reasons"]
        component("EligibleMissions").validate(noted)


class TestCodeMatchesSchema:
    def test_code_matches_are_documented(self) -> None:
        """A recommendation related by crosswalk fits the RecipeRecommendation schema with code_matches."""
        data = unstructure_object(_related_recommendation())
        assert data["code_matches"] == [{"code": "SIEM_RULE_WRITING", "via": "SIEM", "kind": "crosswalk"}]
        component("RecipeRecommendation").validate(data)


def _related_recommendation() -> RecipeRecommendation:
    security = Gap(
        type=GapType.APTITUDE,
        category="security",
        priority=Priority.HIGH,
        skill_codes=DEFAULT_TAXONOMY.categories["security"],
        sources=("profiler",),
    )
    completed = ProfilerSession(
        id="s-1", user_id="u-1", status=SessionStatus.FINISHED, completed_at=datetime(2026, 1, 1, tzinfo=UTC)
    )
    analysis = with_gaps(analyze_gaps(completed, None), [security])
    recipe = Recipe(id="s1", slug="write-basic-sigma-rule", title="Sigma", skill_codes=["SIEM_RULE_WRITING"])
    return recommend_recipes(analysis, [recipe]).items[0]
