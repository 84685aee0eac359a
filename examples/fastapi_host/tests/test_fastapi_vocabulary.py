"""The response models accept the library's kept vocabulary (SPEC §2) and write its keys only when set."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi_host.responses import (
    CohortOut,
    EligibleMissionsOut,
    MissionOut,
    RecipeLinkOut,
    RecipeRecommendationOut,
)

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


class TestRecipeOut:
    def test_mastery_and_unknown_codes_pass_through(self) -> None:
        """A recipe with difficulty mastery and a GENERAL track code validates, dumps as the library JSON."""
        data = unstructure_object(
            structure({**RECIPE, "difficulty": "mastery", "track_codes": ["GENERAL", "grc"]}, Recipe)
        )
        dumped = RecipeLinkOut.model_validate(data).model_dump(mode="json")
        assert dumped == data
        assert dumped["difficulty"] is None
        assert dumped["difficulty_label"] == "mastery"
        assert dumped["unknown_track_codes"] == ["GENERAL"]

    def test_no_new_keys_inside_the_vocabulary(self) -> None:
        """A recipe inside the vocabulary dumps without difficulty_label or unknown_track_codes."""
        data = unstructure_object(structure({**RECIPE, "difficulty": "advanced"}, Recipe))
        dumped = RecipeLinkOut.model_validate(data).model_dump(mode="json")
        assert dumped == data
        assert "difficulty_label" not in dumped
        assert "unknown_track_codes" not in dumped


class TestTrackLabelOut:
    def test_mission_label(self) -> None:
        """A mission whose track is "Feb" validates; the dump holds track_label, and none without it."""
        base = {"id": "m-1", "code": "M-1", "title": "Ports", "difficulty": 1}
        data = unstructure_object(structure({**base, "track": "Feb"}, Mission))
        assert MissionOut.model_validate(data).model_dump(mode="json")["track_label"] == "Feb"
        plain = unstructure_object(structure({**base, "track": "grc"}, Mission))
        assert "track_label" not in MissionOut.model_validate(plain).model_dump(mode="json")

    def test_cohort_label(self) -> None:
        """A cohort whose track is "Feb" validates and dumps as the library's JSON."""
        data = unstructure_object(structure({"id": "c-1", "name": "Feb cohort", "track": "Feb"}, Cohort))
        assert CohortOut.model_validate(data).model_dump(mode="json") == data


class TestEligibleMissionsOut:
    def test_reasons_only_when_some(self) -> None:
        """EligibleMissionsOut dumps the library's JSON: reasons with a labelled mission, no key without."""
        feb = structure({"id": "m-1", "code": "F-1", "title": "F", "difficulty": 1, "track": "Feb"}, Mission)
        plain = eligible_missions([feb], mission_ceiling(None))
        assert "reasons" not in EligibleMissionsOut.model_validate(unstructure_object(plain)).model_dump(
            mode="json"
        )
        noted = unstructure_object(
            EligibleMissions(
                decision=plain.decision,
                missions=plain.missions,
                empty_reason=None,
                reasons=mission_track_reasons(plain.missions),
            )
        )
        dumped = EligibleMissionsOut.model_validate(noted).model_dump(mode="json")
        assert dumped["reasons"] == noted["reasons"]


class TestCodeMatchesOut:
    def test_code_matches_pass_through(self) -> None:
        """A recommendation related by crosswalk validates with code_matches, dumps as the library JSON."""
        item = _related_recommendation()
        data = unstructure_object(item)
        assert data["code_matches"] == [{"code": "SIEM_RULE_WRITING", "via": "SIEM", "kind": "crosswalk"}]
        assert RecipeRecommendationOut.model_validate(data).model_dump(mode="json") == data


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
