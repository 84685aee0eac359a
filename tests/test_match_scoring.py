"""Tests for profiler_core.match_scoring: one learner against one job, recipes for missing skills."""

from __future__ import annotations

import json
import math

import attrs
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from tests.match_builders import D, L, T, job, profile, recipe

from profiler_core import (
    JobPosting,
    Recipe,
    SessionId,
    TalentProfile,
    unstructure,
)
from profiler_core.errors import InvalidValueError
from profiler_core.gaps import DEFAULT_GAP_POLICY, Gap, GapAnalysis
from profiler_core.match_scoring import recipes_for_skills, score_match
from profiler_core.matching import MatchComponentKind, MatchPolicy, MatchScore
from profiler_core.recipe_ranking import recommend_recipes
from profiler_core.taxonomy import DEFAULT_TAXONOMY, normalise_code
from profiler_core.testing import strategies as pst
from profiler_core.testing import strategies_gaps as gst
from profiler_core.testing import strategies_matching as mst
from profiler_core.vocabulary import DifficultySelection, GapType, Priority, TrackKey


class TestSkillNormalisation:
    @pytest.mark.parametrize(
        ("a", "b", "same"),
        [
            ("SIEM", "siem", True),
            ("  DNS ", "DNS", True),
            ("Incident  Response", "incident response", True),
            ("Incident\tResponse\n", "INCIDENT RESPONSE", True),
            ("TCP-IP", "TCP IP", False),
            ("NET", "NETW", False),
        ],
    )
    def test_case_and_whitespace_only(self, a: str, b: str, same: bool) -> None:
        """Skills compare ignoring case and whitespace, nothing else."""
        assert (normalise_code(a) == normalise_code(b)) is same


SCORE_TABLE = [
    pytest.param(
        profile(skills=("siem", "dns", "python"), readiness=60),
        job(skills=("SIEM", "DNS"), track=T.DEFENDER, level=L.ENTRY),
        {"selection": D.BEGINNER, "track": T.DEFENDER},
        (50.0, 20.0, 15.0, 9.0),
        94.0,
        id="full-skills-same-track-same-level",
    ),
    pytest.param(
        profile(skills=("A", "B", "Z"), readiness=80),
        job(skills=("A", "B", "C", "D"), track=T.OFFENSIVE, level=L.MID),
        {"selection": D.NOVICE, "track": T.DEFENDER, "alignment": {T.OFFENSIVE: 40.0}},
        (50 * 2 / 4, 20 * 0.40, 15 * 0.5, 15 * 0.80),
        52.5,
        id="half-skills-alignment-40-one-level-step",
    ),
    pytest.param(
        profile(skills=("a",), readiness=90),
        job(skills=("A", "B")),
        {"selection": D.ELITE},
        (100 * 50 / 65 * 0.5, 0.0, 0.0, 100 * 15 / 65 * 0.9),
        3850 / 65,
        id="no-track-no-level-weights-shared",
    ),
    pytest.param(
        profile(skills=("A",)),
        job(track=T.GRC, level=L.ENTRY),
        {"selection": D.ELITE, "track": T.GRC},
        (0.0, 100 * 20 / 50, 0.0, 0.0),
        40.0,
        id="no-required-skills-level-three-steps-no-readiness",
    ),
    pytest.param(
        profile(readiness=100),
        job(level=L.MID),
        {"selection": None},
        (0.0, 0.0, 100 * 15 / 30 * 0.5, 100 * 15 / 30),
        75.0,
        id="no-selection-assumes-entry",
    ),
    pytest.param(
        profile(skills=(" x ",), readiness=0),
        job(skills=("X",), track=T.GRC, level=L.SENIOR),
        {"selection": D.ADVANCED, "alignment": {T.DEFENDER: 90.0}},
        (50.0, 0.0, 15.0, 0.0),
        65.0,
        id="other-track-without-alignment-scores-0",
    ),
    pytest.param(
        profile(skills=("NET",), readiness=50, track=T.GRC),
        job(skills=("NET", "DNS"), track=T.GRC, level=L.EXPERT),
        {"selection": D.INTERMEDIATE},
        (25.0, 20.0, 0.0, 7.5),
        52.5,
        id="track-falls-back-to-profile-primary-track",
    ),
    pytest.param(
        profile(skills=("SIEM",), readiness=40),
        job(skills=("SIEM", "siem ", "DNS"), track=T.DEFENDER, level=L.SENIOR),
        {"selection": D.ELITE, "track": T.OFFENSIVE, "alignment": {T.DEFENDER: 75.0}},
        (50 / 2, 20 * 0.75, 15 * 0.5, 15 * 0.4),
        53.5,
        id="duplicate-required-skill-counts-once",
    ),
]


class TestScoreMatchTable:
    @pytest.mark.parametrize(("learner", "posting", "kwargs", "contributions", "expected"), SCORE_TABLE)
    def test_exact_scores(
        self,
        learner: TalentProfile,
        posting: JobPosting,
        kwargs: dict[str, object],
        contributions: tuple[float, float, float, float],
        expected: float,
    ) -> None:
        """Hand-computed pairs score exactly as the formula says, component by component."""
        match = score_match(learner, posting, **kwargs)  # type: ignore[arg-type]  # table kwargs
        assert match.score == pytest.approx(expected, abs=1e-9)
        assert [c.contribution for c in match.components] == pytest.approx(list(contributions), abs=1e-9)


class TestScoreMatch:
    def test_matched_and_missing_keep_the_jobs_spelling_and_order(self) -> None:
        """Matched and missing skills are the job's, in the job's order, whitespace collapsed."""
        match = score_match(
            profile(skills=("dns", "siem")), job(skills=("SIEM", " Cloud  Security", "DNS", ""))
        )
        assert match.matched_skills == ("SIEM", "DNS")
        assert match.missing_skills == ("Cloud Security",)

    @pytest.mark.parametrize(
        ("posting", "kwargs", "codes"),
        [
            (
                job(skills=("A",), track=T.GRC, level=L.MID),
                {"selection": D.INTERMEDIATE, "track": T.GRC},
                ("skills_coverage", "track_same", "level_same", "readiness_missing"),
            ),
            (
                job(track=T.GRC, level=L.SENIOR),
                {"selection": D.INTERMEDIATE, "alignment": {T.GRC: 10.0}},
                ("no_required_skills", "track_alignment", "level_adjacent", "readiness_missing"),
            ),
            (
                job(track=T.GRC, level=L.EXPERT),
                {},
                (
                    "no_required_skills",
                    "track_alignment_missing",
                    "level_selection_missing",
                    "level_distant",
                    "readiness_missing",
                ),
            ),
            (
                job(),
                {},
                ("no_required_skills", "track_not_specified", "level_not_specified", "readiness_missing"),
            ),
        ],
    )
    def test_reason_codes(
        self, posting: JobPosting, kwargs: dict[str, object], codes: tuple[str, ...]
    ) -> None:
        """Every component explains itself with a reason code."""
        assert score_match(profile(), posting, **kwargs).reason_codes == codes  # type: ignore[arg-type]

    def test_readiness_reason_when_scored(self) -> None:
        """A readiness score is reported with its value."""
        assert "readiness_scored" in score_match(profile(readiness=70), job()).reason_codes

    def test_neutral_components_have_no_value_and_no_weight(self) -> None:
        """A job without track, level and skills leaves readiness carrying the whole weight."""
        match = score_match(profile(readiness=30), job())
        skills, track, level, readiness = match.components
        assert all(c.is_neutral and c.weight == 0 and c.contribution == 0 for c in (skills, track, level))
        assert (readiness.weight, readiness.value, match.score) == (1.0, 0.3, 30.0)

    def test_component_lookup_by_name(self) -> None:
        """A component can be fetched by its kind or name."""
        match = score_match(profile(readiness=30), job())
        assert match.component("readiness") is match.components[3]
        assert match.component(MatchComponentKind.SKILLS).kind is MatchComponentKind.SKILLS

    def test_zero_weight_policy_scores_zero_and_says_why(self) -> None:
        """When every applicable weight is 0 the score is 0, with reason nothing_to_weigh."""
        policy = MatchPolicy(skills_weight=0, track_weight=0, level_weight=0, readiness_weight=0)
        match = score_match(profile(skills=("A",), readiness=90), job(skills=("A",)), policy=policy)
        assert match.score == 0.0
        assert match.reason_codes[-1] == "nothing_to_weigh"

    def test_policy_and_session_are_recorded(self) -> None:
        """The match names the policy that scored and the session the signals came from."""
        policy = MatchPolicy(id="matching-strict", version=3)
        match = score_match(profile(), job(), session_id=SessionId("s-9"), policy=policy)
        assert (str(match.policy), match.session_id) == ("matching-strict@3", "s-9")

    def test_missing_skills_link_to_recipes(self) -> None:
        """With a catalogue, each missing skill lists the recipes that teach it, most used first."""
        catalogue = [
            recipe("r1", ("DNS",), usage=5),
            recipe("r2", ("dns", "NET"), usage=50),
            recipe("r3", ("SIEM",), usage=99),
        ]
        match = score_match(
            profile(skills=("SIEM",)), job(skills=("SIEM", "DNS", "CLOUD")), recipes=catalogue
        )
        assert [(s.skill, [r.id for r in s.recipes]) for s in match.skill_recipes] == [
            ("DNS", ["r2", "r1"]),
            ("CLOUD", []),
        ]

    def test_recipes_per_skill_is_bounded_by_the_policy(self) -> None:
        """At most policy.recipes_per_skill recipes are linked per missing skill."""
        catalogue = [recipe(f"r{i}", ("DNS",), usage=i) for i in range(5)]
        policy = MatchPolicy(recipes_per_skill=2)
        match = score_match(profile(), job(skills=("DNS",)), recipes=catalogue, policy=policy)
        assert [r.id for r in match.skill_recipes[0].recipes] == ["r4", "r3"]

    def test_without_catalogue_no_recipes_are_linked(self) -> None:
        """No catalogue, no links (the missing skills are still listed)."""
        match = score_match(profile(), job(skills=("DNS",)))
        assert (match.missing_skills, match.skill_recipes) == (("DNS",), ())

    def test_json_shape(self) -> None:
        """unstructure renders a match as plain JSON with the documented keys."""
        match = score_match(
            profile(skills=("A",), readiness=50),
            job(skills=("A", "B"), track=T.GRC),
            track=T.GRC,
            recipes=[recipe("r1", ("B",))],
        )
        data = json.loads(json.dumps(unstructure(match)))
        assert list(data) == [
            "user_id",
            "job_id",
            "score",
            "components",
            "matched_skills",
            "missing_skills",
            "skill_recipes",
            "reasons",
            "session_id",
            "policy",
        ]
        assert data["components"][0] == {
            "kind": "skills",
            "value": 0.5,
            "weight": pytest.approx(50 / 85),
            "contribution": pytest.approx(100 * 25 / 85),
        }
        assert data["skill_recipes"] == [
            {
                "skill": "B",
                # A recipe has one wire shape: the whole Recipe, as everywhere else.
                "recipes": [
                    {
                        "id": "r1",
                        "slug": "slug-r1",
                        "title": "r1",
                        "skill_codes": ["B"],
                        "track_codes": [],
                        "difficulty": "beginner",
                        "estimated_minutes": 0,
                        "usage_count": 0,
                        "avg_rating": 0.0,
                        "is_active": True,
                    }
                ],
            }
        ]
        assert data["policy"] == "matching@1"


class TestScoreMatchProperties:
    @given(pst.talent_profiles(), pst.job_postings(), mst.alignments(), mst.match_policies(), st.data())
    def test_score_is_0_to_100_and_the_sum_of_contributions(
        self,
        learner: TalentProfile,
        posting: JobPosting,
        alignment: dict[TrackKey, float],
        policy: MatchPolicy,
        data: st.DataObject,
    ) -> None:
        """Every score lies in 0..100 and equals the sum of its components' contributions."""
        selection = data.draw(st.none() | st.sampled_from(DifficultySelection))
        track = data.draw(st.none() | st.sampled_from(TrackKey))
        match = score_match(
            learner, posting, selection=selection, alignment=alignment, track=track, policy=policy
        )
        assert 0 <= match.score <= 100
        assert math.isclose(match.score, sum(c.contribution for c in match.components), abs_tol=1e-9)
        weights = sum(c.weight for c in match.components)
        assert math.isclose(weights, 1.0) or weights == 0

    @given(pst.talent_profiles(), pst.job_postings(), mst.alignments(), st.data())
    def test_adding_a_lacking_required_skill_never_lowers_the_score(
        self,
        learner: TalentProfile,
        posting: JobPosting,
        alignment: dict[TrackKey, float],
        data: st.DataObject,
    ) -> None:
        """Gaining a skill the job requires and the learner lacked never lowers the match."""
        lacking = [
            s
            for s in posting.required_skills
            if normalise_code(s) not in {normalise_code(k) for k in learner.skills}
        ]
        assume(lacking)
        gained = data.draw(st.sampled_from(lacking))
        selection = data.draw(st.none() | st.sampled_from(DifficultySelection))
        before = score_match(learner, posting, selection=selection, alignment=alignment)
        richer = TalentProfile(
            user_id=learner.user_id,
            skills=(*learner.skills, data.draw(mst.respelled(gained))),
            readiness_score=learner.readiness_score,
            primary_track_key=learner.primary_track_key,
        )
        after = score_match(richer, posting, selection=selection, alignment=alignment)
        assert after.score >= before.score
        assert len(after.matched_skills) == len(before.matched_skills) + 1

    @given(pst.talent_profiles(), st.lists(pst.job_postings(), max_size=4), mst.alignments(), st.data())
    def test_adding_an_unrelated_skill_never_changes_any_match(
        self,
        learner: TalentProfile,
        postings: list[JobPosting],
        alignment: dict[TrackKey, float],
        data: st.DataObject,
    ) -> None:
        """A skill no job requires changes no score (extra skills never hurt, unlike Jaccard)."""
        required = {normalise_code(s) for p in postings for s in p.required_skills}
        extra = data.draw(st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ ", min_size=1, max_size=12))
        assume(normalise_code(extra) and normalise_code(extra) not in required)
        richer = TalentProfile(
            user_id=learner.user_id,
            skills=(*learner.skills, extra),
            readiness_score=learner.readiness_score,
            primary_track_key=learner.primary_track_key,
        )
        for posting in postings:
            before = score_match(learner, posting, alignment=alignment)
            after = score_match(richer, posting, alignment=alignment)
            assert after.score == before.score
            assert after.components == before.components

    @given(pst.talent_profiles(), pst.job_postings(), mst.match_policies(), st.data())
    def test_job_without_required_skills_is_handled(
        self, learner: TalentProfile, posting: JobPosting, policy: MatchPolicy, data: st.DataObject
    ) -> None:
        """With no required skills, skills are neutral: the learner's skills do not move the score."""
        bare = JobPosting(
            id=posting.id,
            title=posting.title,
            employer_id=posting.employer_id,
            track=posting.track,
            level=posting.level,
        )
        other_skills = tuple(data.draw(st.lists(st.sampled_from(pst.SKILL_CODES), max_size=5)))
        unskilled = TalentProfile(
            user_id=learner.user_id,
            skills=other_skills,
            readiness_score=learner.readiness_score,
            primary_track_key=learner.primary_track_key,
        )
        match = score_match(learner, bare, policy=policy)
        assert match.component("skills").is_neutral
        assert (match.matched_skills, match.missing_skills) == ((), ())
        assert "no_required_skills" in match.reason_codes
        assert match.score == score_match(unskilled, bare, policy=policy).score

    @given(pst.talent_profiles(), pst.job_postings(), st.data())
    def test_spelling_of_skills_does_not_matter(
        self, learner: TalentProfile, posting: JobPosting, data: st.DataObject
    ) -> None:
        """Re-spelling the learner's skills (case, padding, inner whitespace) gives the same score."""
        respelled = TalentProfile(
            user_id=learner.user_id,
            skills=tuple(data.draw(mst.respelled(s)) for s in learner.skills),
            readiness_score=learner.readiness_score,
        )
        plain = TalentProfile(
            user_id=learner.user_id, skills=learner.skills, readiness_score=learner.readiness_score
        )
        assert score_match(respelled, posting).score == score_match(plain, posting).score

    @given(mst.match_scores())
    def test_strategy_builds_valid_scores(self, match: MatchScore) -> None:
        """The shipped strategy yields JSON-ready, consistent scores."""
        assert json.loads(json.dumps(unstructure(match)))["score"] == match.score


class TestRecipesForSkills:
    def test_order_is_usage_then_rating_then_slug(self) -> None:
        """Recipes teaching a skill come most used first, then best rated, then by slug."""
        catalogue = [
            recipe("b", ("DNS",), usage=10, rating=4.0),
            recipe("a", ("DNS",), usage=10, rating=4.0),
            recipe("c", ("DNS",), usage=10, rating=4.5),
            recipe("d", ("DNS",), usage=20, rating=1.0),
        ]
        [linked] = recipes_for_skills(["DNS"], catalogue, per_skill=10)
        assert [r.id for r in linked.recipes] == ["d", "c", "a", "b"]

    def test_inactive_recipes_never_appear(self) -> None:
        """Only active recipes are linked."""
        [linked] = recipes_for_skills(["DNS"], [recipe("x", ("DNS",), active=False), recipe("y", ("dns",))])
        assert [r.id for r in linked.recipes] == ["y"]

    def test_a_recipe_listed_twice_is_linked_once(self) -> None:
        """Duplicate catalogue rows (same id) give one link."""
        [linked] = recipes_for_skills(["DNS"], [recipe("y", ("DNS",)), recipe("y", ("DNS",))])
        assert [r.id for r in linked.recipes] == ["y"]

    def test_skills_are_deduplicated_and_blank_ones_dropped(self) -> None:
        """The same skill spelt twice is listed once; blank skills are ignored."""
        linked = recipes_for_skills(["DNS", " dns ", "  "], [recipe("y", ("DNS",))])
        assert [(s.skill, len(s.recipes)) for s in linked] == [("DNS", 1)]

    @pytest.mark.parametrize("reverse", [False, True])
    def test_duplicate_ids_resolve_the_same_way_in_any_order(self, reverse: bool) -> None:
        """Two values of one id that tie on popularity: the same value is linked whatever the order."""
        twins = [recipe("y", ("DNS",)), attrs.evolve(recipe("y", ("DNS",)), title="other")]
        [linked] = recipes_for_skills(["DNS"], twins[::-1] if reverse else twins)
        [expected] = recipes_for_skills(["DNS"], twins)
        assert linked == expected
        assert len(linked.recipes) == 1

    def test_negative_per_skill_is_rejected(self) -> None:
        """A negative per_skill is a caller error, never a silent cut of the last recipe."""
        with pytest.raises(InvalidValueError, match="per_skill"):
            recipes_for_skills(["DNS"], [recipe("y", ("DNS",))], per_skill=-1)

    @given(
        st.lists(gst.catalogue_recipes(), max_size=20),
        st.sampled_from(pst.SKILL_CODES).flatmap(mst.respelled),
        st.integers(0, 5),
    )
    def test_is_the_recipe_engines_ranking_for_that_skill(
        self, catalogue: list[Recipe], skill: str, per_skill: int
    ) -> None:
        """Linked recipes are exactly recommend_recipes' top picks for a gap holding only that skill."""
        analysis = GapAnalysis(
            profiler_completed=True,
            gaps=(
                Gap(
                    type=GapType.SKILL_ASSESSMENT, category="x", priority=Priority.HIGH, skill_codes=(skill,)
                ),
            ),
            reasons=(),
            policy=DEFAULT_GAP_POLICY.ref,
            taxonomy=DEFAULT_TAXONOMY.ref,
        )
        [linked] = recipes_for_skills([skill], catalogue, per_skill=per_skill)
        assert linked.recipes == recommend_recipes(analysis, catalogue, per_skill).recipes

    @given(
        st.lists(pst.recipes(), max_size=8, unique_by=lambda r: r.id),
        st.lists(st.sampled_from(pst.SKILL_CODES), max_size=4),
    )
    def test_every_linked_recipe_teaches_its_skill(self, catalogue: list[Recipe], skills: list[str]) -> None:
        """Each linked recipe is active and carries the skill's code; input order does not matter."""
        linked = recipes_for_skills(skills, catalogue)
        for entry in linked:
            assert len(entry.recipes) <= 3
            for r in entry.recipes:
                assert r.is_active
                assert normalise_code(entry.skill) in {normalise_code(c) for c in r.skill_codes}
        assert recipes_for_skills(skills, reversed(catalogue)) == linked
