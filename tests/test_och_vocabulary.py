"""Vocabulary in catalogue and context rows never rejects the row (SPEC §2, issue 13 follow-up)."""

from __future__ import annotations

import pytest

from profiler_core import (
    Cohort,
    InvalidPayloadError,
    InvalidValueError,
    Mission,
    Recipe,
    RecipeDifficulty,
    TrackKey,
    structure,
    unstructure_object,
)
from profiler_core.och import read_cohort, read_mission, read_recipe

RECIPE = {"id": "r-1", "slug": "siem", "title": "SIEM rules"}
MISSION = {"id": "m-1", "title": "Network Security Fundamentals", "difficulty": 1}
COHORT = {"id": "c-1", "name": "Corona Cohort 2020"}


class TestRecipeTrackCodes:
    def test_unknown_codes_kept_not_rejected(self) -> None:
        """``GENERAL`` and ``DFIR`` are kept in unknown_track_codes; aliases still parse (regression)."""
        recipe = structure({**RECIPE, "track_codes": ["GENERAL", "SOCDEFENSE", "DFIR"]}, Recipe)
        assert recipe.track_codes == (TrackKey.DEFENDER,)
        assert recipe.unknown_track_codes == ("GENERAL", "DFIR")

    def test_json_key_only_when_non_empty(self) -> None:
        """No unknown_track_codes key inside the vocabulary; outside it the key is there and reads back."""
        clean = unstructure_object(structure({**RECIPE, "track_codes": ["defender"]}, Recipe))
        assert "unknown_track_codes" not in clean
        kept = structure({**RECIPE, "track_codes": ["CLOUD"]}, Recipe)
        data = unstructure_object(kept)
        assert data["track_codes"] == []
        assert data["unknown_track_codes"] == ["CLOUD"]
        assert structure(data, Recipe) == kept

    def test_non_text_code_still_a_problem_at_its_index(self) -> None:
        """A code that is not text is still rejected, at its own index beside a kept unknown code."""
        with pytest.raises(InvalidPayloadError) as caught:
            structure({**RECIPE, "track_codes": ["GENERAL", 5]}, Recipe)
        assert [p.path for p in caught.value.problems] == ["$.track_codes[1]"]

    def test_reader_value_matches_its_report(self) -> None:
        """read_recipe keeps the unknown codes on the value as well as in RowRead.unknown."""
        read = read_recipe({**RECIPE, "track_codes": ["SOCDEFENSE", "DFIR", "GENERAL"]})
        assert read.value.unknown_track_codes == ("DFIR", "GENERAL")
        assert sorted(read.unknown.values()) == ["DFIR", "GENERAL"]


class TestRecipeDifficulty:
    def test_mastery_kept_not_rejected(self) -> None:
        """V's ``mastery`` reads as no difficulty with difficulty_label ``mastery`` (regression: rejected)."""
        recipe = structure({**RECIPE, "difficulty": "mastery"}, Recipe)
        assert recipe.difficulty is None
        assert recipe.difficulty_label == "mastery"

    def test_known_difficulty_any_case_has_no_label(self) -> None:
        """``Advanced`` is still the advanced difficulty, with no label."""
        recipe = structure({**RECIPE, "difficulty": "Advanced"}, Recipe)
        assert recipe.difficulty is RecipeDifficulty.ADVANCED
        assert recipe.difficulty_label is None

    def test_json_key_only_with_a_label(self) -> None:
        """No difficulty_label key inside the vocabulary; outside: difficulty null, the label, reads back."""
        assert "difficulty_label" not in unstructure_object(
            structure({**RECIPE, "difficulty": "beginner"}, Recipe)
        )
        recipe = structure({**RECIPE, "difficulty": "mastery"}, Recipe)
        data = unstructure_object(recipe)
        assert data["difficulty"] is None
        assert data["difficulty_label"] == "mastery"
        assert structure(data, Recipe) == recipe

    @pytest.mark.parametrize("bad", [None, "", 3], ids=["null", "blank", "number"])
    def test_not_text_still_a_problem(self, bad: object) -> None:
        """A null, blank or non-text difficulty (with no label) is still a problem at $.difficulty."""
        with pytest.raises(InvalidPayloadError) as caught:
            structure({**RECIPE, "difficulty": bad}, Recipe)
        assert [p.path for p in caught.value.problems] == ["$.difficulty"]

    def test_value_rules(self) -> None:
        """The label is text outside the vocabulary, held exactly when there is no difficulty."""
        with pytest.raises(InvalidValueError):
            Recipe(id="1", slug="s", title="t", difficulty=None)
        with pytest.raises(InvalidValueError):
            Recipe(id="1", slug="s", title="t", difficulty=None, difficulty_label="Beginner")
        with pytest.raises(InvalidValueError):
            Recipe(id="1", slug="s", title="t", difficulty_label="mastery")

    def test_reader_notes_and_keeps_it(self) -> None:
        """read_recipe: a ``level`` of ``mastery`` is noted unknown_difficulty and kept on the value."""
        read = read_recipe({**RECIPE, "level": "mastery"})
        assert read.value.difficulty_label == "mastery"
        assert dict(read.unknown) == {"$.level": "mastery"}
        assert [n.code for n in read.notes] == ["unknown_difficulty"]


@pytest.mark.parametrize(("cls", "base"), [(Mission, MISSION), (Cohort, COHORT)], ids=["mission", "cohort"])
class TestTrackLabel:
    def test_free_label_kept_not_rejected(
        self, cls: type[Mission] | type[Cohort], base: dict[str, object]
    ) -> None:
        """A ``track`` of ``"Feb"`` reads as no track with track_label ``"Feb"`` (regression)."""
        value = structure({**base, "track": "Feb"}, cls)
        assert value.track is None
        assert value.track_label == "Feb"

    def test_alias_still_a_track(self, cls: type[Mission] | type[Cohort], base: dict[str, object]) -> None:
        """A track alias (``defensive-security``) is still the track, with no label."""
        value = structure({**base, "track": "defensive-security"}, cls)
        assert value.track is TrackKey.DEFENDER
        assert value.track_label is None

    def test_json_key_only_with_a_label(
        self, cls: type[Mission] | type[Cohort], base: dict[str, object]
    ) -> None:
        """No track_label key without a label; with one it reads back equal."""
        assert "track_label" not in unstructure_object(structure({**base, "track": "grc"}, cls))
        value = structure({**base, "track": "Feb"}, cls)
        data = unstructure_object(value)
        assert data["track"] is None
        assert data["track_label"] == "Feb"
        assert structure(data, cls) == value


class TestReaders:
    def test_mission_reader_keeps_the_label(self) -> None:
        """read_mission: a free-text track_id is noted and kept as the mission's track_label."""
        read = read_mission({**MISSION, "track_id": "Voluptates hic magna"})
        assert read.value.track is None
        assert read.value.track_label == "Voluptates hic magna"
        assert [n.code for n in read.notes] == ["track_unresolved"]

    def test_cohort_reader_keeps_the_label(self) -> None:
        """read_cohort: a track key that resolves to nothing is kept as the cohort's track_label."""
        read = read_cohort({**COHORT, "track__key": "Feb"})
        assert read.value.track is None
        assert read.value.track_label == "Feb"
