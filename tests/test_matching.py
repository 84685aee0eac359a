"""Tests for profiler_core.matching: marketplace talent matching (SPEC §8)."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

import attrs
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from tests import builders

from profiler_core import (
    JobId,
    JobLevel,
    JobPosting,
    ProfilerSession,
    Recipe,
    RecipeId,
    SessionId,
    TalentProfile,
    UserId,
    unstructure,
)
from profiler_core.errors import InvalidValueError, PolicyError
from profiler_core.gaps import (
    DEFAULT_GAP_POLICY,
    DEFAULT_TAXONOMY,
    Gap,
    GapAnalysis,
    normalise_code,
    recommend_recipes,
)
from profiler_core.match_scoring import _plan, _score
from profiler_core.matching import (
    DEFAULT_MATCH_POLICY,
    JOB_LEVEL_BY_SELECTION,
    MatchComponent,
    MatchComponentKind,
    MatchPolicy,
    MatchScore,
    MatchStatus,
    _cheap_top,
    job_is_open,
    job_level_for_selection,
    level_fit,
    profile_is_searchable,
    rank_candidates,
    rank_jobs,
    recipes_for_skills,
    score_match,
)
from profiler_core.models import BehavioralProfile, Reflection
from profiler_core.testing import strategies as pst
from profiler_core.testing import strategies_gaps as gst
from profiler_core.testing import strategies_matching as mst
from profiler_core.vocabulary import DifficultySelection, GapType, Priority, SessionStatus, TrackKey

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
D = DifficultySelection
T = TrackKey
L = JobLevel


def job(
    jid: str = "job-1",
    skills: tuple[str, ...] = (),
    *,
    track: TrackKey | None = None,
    level: JobLevel | None = None,
    active: bool = True,
    deadline: datetime | None = None,
) -> JobPosting:
    return JobPosting(
        id=JobId(jid),
        title="t",
        employer_id="emp",
        required_skills=skills,
        track=track,
        level=level,
        is_active=active,
        application_deadline=deadline,
    )


def profile(
    uid: str = "u-1",
    skills: tuple[str, ...] = (),
    *,
    readiness: float | None = None,
    track: TrackKey | None = None,
    visible: bool = True,
    consent: bool = True,
) -> TalentProfile:
    return TalentProfile(
        user_id=UserId(uid),
        skills=skills,
        readiness_score=readiness,
        primary_track_key=track,
        is_visible=visible,
        employer_share_consent=consent,
    )


def session(
    uid: str = "u-1",
    *,
    selection: DifficultySelection | None = None,
    track: TrackKey | None = None,
    alignment: Mapping[TrackKey, float] | None = None,
    status: SessionStatus = SessionStatus.FINISHED,
) -> ProfilerSession:
    """The shared session builder: learner *uid*'s session ``s-<uid>``, completed a day before NOW."""
    return builders.session(
        f"s-{uid}",
        uid,
        status=status,
        completed_at=NOW - timedelta(days=1),
        selection=selection,
        track=track,
        alignment=alignment,
    )


def recipe(
    rid: str, codes: tuple[str, ...], *, usage: int = 0, rating: float = 0.0, active: bool = True
) -> Recipe:
    return Recipe(
        id=RecipeId(rid),
        slug=f"slug-{rid}",
        title=rid,
        skill_codes=codes,
        usage_count=usage,
        avg_rating=rating,
        is_active=active,
    )


def signals(s: ProfilerSession) -> dict[str, object]:
    return {
        "selection": s.difficulty_selection,
        "alignment": s.track_alignment_percentages,
        "track": s.recommended_track,
    }


class TestJobLevelForSelection:
    @pytest.mark.parametrize(
        ("selection", "expected"),
        [
            (D.NOVICE, L.ENTRY),
            (D.BEGINNER, L.ENTRY),
            (D.INTERMEDIATE, L.MID),
            (D.ADVANCED, L.SENIOR),
            (D.ELITE, L.EXPERT),
            (None, None),
        ],
    )
    def test_table(self, selection: DifficultySelection | None, expected: JobLevel | None) -> None:
        """SPEC §8: novice/beginner entry, intermediate mid, advanced senior, elite expert."""
        assert job_level_for_selection(selection) == expected

    def test_map_covers_every_selection(self) -> None:
        """The published map has one level per selection."""
        assert set(JOB_LEVEL_BY_SELECTION) == set(DifficultySelection)

    def test_map_is_monotone(self) -> None:
        """A higher selection never maps to a lower job level."""
        ranks = [JOB_LEVEL_BY_SELECTION[s].rank for s in DifficultySelection]
        assert ranks == sorted(ranks)


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


class TestLevelFit:
    @pytest.mark.parametrize(
        ("learner", "target", "expected"),
        [
            (L.ENTRY, L.ENTRY, 1.0),
            (L.EXPERT, L.EXPERT, 1.0),
            (L.ENTRY, L.MID, 0.5),
            (L.SENIOR, L.MID, 0.5),
            (L.EXPERT, L.SENIOR, 0.5),
            (L.ENTRY, L.SENIOR, 0.0),
            (L.EXPERT, L.ENTRY, 0.0),
        ],
    )
    def test_same_one_step_else(self, learner: JobLevel, target: JobLevel, expected: float) -> None:
        """Same level 1, one step 0.5, further 0."""
        assert level_fit(learner, target) == expected

    def test_adjacent_fit_comes_from_the_policy(self) -> None:
        """The one-step fit is a policy value."""
        assert level_fit(L.MID, L.SENIOR, policy=MatchPolicy(adjacent_level_fit=0.25)) == 0.25


class TestMatchPolicy:
    def test_default_weights(self) -> None:
        """matching@1 weighs skills 50, track 20, level 15, readiness 15."""
        assert str(DEFAULT_MATCH_POLICY.ref) == "matching@1"
        assert dict(DEFAULT_MATCH_POLICY.weights) == {
            MatchComponentKind.SKILLS: 50.0,
            MatchComponentKind.TRACK: 20.0,
            MatchComponentKind.LEVEL: 15.0,
            MatchComponentKind.READINESS: 15.0,
        }

    @pytest.mark.parametrize(
        "kwargs",
        [
            {"skills_weight": -1.0},
            {"track_weight": math.nan},
            {"level_weight": math.inf},
            {"readiness_weight": True},
            {"skills_weight": "50"},
            {"adjacent_level_fit": 1.5},
            {"adjacent_level_fit": -0.1},
            {"recipes_per_skill": -1},
            {"skills_weight": 10**400},
            {"skills_weight": 1e308, "track_weight": 1e308},
        ],
    )
    def test_inconsistent_policy_is_rejected(self, kwargs: dict[str, object]) -> None:
        """Negative, non-finite, non-numeric or overflowing weights, out-of-range constants: PolicyError."""
        with pytest.raises(PolicyError, match="matching@1"):
            MatchPolicy(**kwargs)  # type: ignore[arg-type]  # deliberately wrong types


# Hand-computed cases: the expected numbers are written out from the formula
# score = 100 x sum(w_i x v_i) / sum(w_i over applicable components), default
# weights skills 50, track 20, level 15, readiness 15.
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


class TestMatchValues:
    def component(self, kind: MatchComponentKind, contribution: float) -> MatchComponent:
        return MatchComponent(kind=kind, value=1.0, weight=contribution / 100, contribution=contribution)

    def score(self, total: float, parts: tuple[float, ...] = (50.0, 20.0, 15.0, 15.0)) -> MatchScore:
        kinds = tuple(MatchComponentKind)
        return MatchScore(
            user_id=UserId("u"),
            job_id=JobId("j"),
            score=total,
            components=[self.component(k, p) for k, p in zip(kinds, parts, strict=True)],
            matched_skills=(),
            missing_skills=(),
        )

    def test_consistent_score_is_accepted(self) -> None:
        """A score equal to the sum of its contributions builds."""
        assert self.score(100.0).score == 100.0

    @pytest.mark.parametrize("total", [99.0, 101.0, -1.0, math.nan])
    def test_score_must_be_the_sum_and_in_range(self, total: float) -> None:
        """A score outside 0..100 or unequal to the sum of its contributions is rejected."""
        with pytest.raises(InvalidValueError):
            self.score(total)

    def test_components_must_be_in_order(self) -> None:
        """Components are skills, track, level, readiness, each once."""
        kinds = [MatchComponentKind.TRACK, MatchComponentKind.SKILLS, MatchComponentKind.LEVEL]
        with pytest.raises(InvalidValueError, match="components"):
            MatchScore(
                user_id=UserId("u"),
                job_id=JobId("j"),
                score=0.0,
                components=[self.component(k, 0.0) for k in kinds],
                matched_skills=(),
                missing_skills=(),
            )

    @pytest.mark.parametrize(
        ("value", "weight", "contribution"),
        [(1.5, 0.5, 50.0), (0.5, 1.5, 50.0), (None, 0.5, 0.0), (None, 0.0, 1.0), (1.0, 1.0, 101.0)],
    )
    def test_component_invariants(self, value: float | None, weight: float, contribution: float) -> None:
        """Values and weights are 0..1, contributions 0..100, a neutral component adds nothing."""
        with pytest.raises(InvalidValueError):
            MatchComponent(
                kind=MatchComponentKind.SKILLS, value=value, weight=weight, contribution=contribution
            )


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


class TestEligibility:
    @pytest.mark.parametrize(
        ("posting", "expected"),
        [
            (job(), True),
            (job(deadline=NOW + timedelta(seconds=1)), True),
            (job(deadline=NOW), False),
            (job(deadline=NOW - timedelta(days=1)), False),
            (job(active=False), False),
            (job(active=False, deadline=NOW + timedelta(days=1)), False),
        ],
    )
    def test_job_is_open(self, posting: JobPosting, expected: bool) -> None:
        """A job is open when active and its deadline, if any, is after now."""
        assert job_is_open(posting, now=NOW) is expected

    def test_naive_now_is_rejected_everywhere(self) -> None:
        """A naive *now* is an InvalidValueError, with or without deadlines, never a TypeError."""
        naive = NOW.replace(tzinfo=None)
        calls = (
            lambda: job_is_open(job(deadline=NOW), now=naive),
            lambda: job_is_open(job(), now=naive),
            lambda: rank_jobs(profile(), [job(deadline=NOW)], session=session(), now=naive),
            lambda: rank_candidates(job(), [profile()], sessions={}, now=naive),
        )
        for call in calls:
            with pytest.raises(InvalidValueError, match="now"):
                call()

    @pytest.mark.parametrize(
        ("visible", "consent", "expected"),
        [(True, True, True), (True, False, False), (False, True, False), (False, False, False)],
    )
    def test_profile_is_searchable(self, visible: bool, consent: bool, expected: bool) -> None:
        """Employer-facing search needs visibility and share consent."""
        assert profile_is_searchable(profile(visible=visible, consent=consent)) is expected


def unique_jobs(max_size: int = 8) -> st.SearchStrategy[list[JobPosting]]:
    return st.lists(pst.job_postings(), max_size=max_size, unique_by=lambda j: j.id)


class TestRankJobs:
    @pytest.mark.parametrize(
        "learner_session",
        [None, session(status=SessionStatus.IN_PROGRESS), session(status=SessionStatus.STARTED)],
        ids=["no-session", "in-progress", "started"],
    )
    def test_without_completed_profiler_the_learner_is_asked_to_complete_it(
        self, learner_session: ProfilerSession | None
    ) -> None:
        """No completed session: a typed profiler_incomplete outcome, no job scored."""
        ranking = rank_jobs(profile(), [job()], session=learner_session, now=NOW)
        assert ranking.status is MatchStatus.PROFILER_INCOMPLETE
        assert ranking.needs_profiler
        assert ranking.reason_codes == ("complete_profiler",)
        assert ranking.matches == ()

    def test_known_ranking_with_ties_by_job_id(self) -> None:
        """Best score first; equal scores go to the smaller job id; closed jobs are counted, not shown."""
        jobs = [
            job("job-c", ("A",)),
            job("job-a", ("A",)),
            job("job-b", ("A", "B")),
            job("job-x", ("A",), active=False),
            job("job-y", ("A",), deadline=NOW),
        ]
        ranking = rank_jobs(profile(skills=("A",)), jobs, session=session(), now=NOW)
        assert [(r.rank, r.job.id) for r in ranking.matches] == [(1, "job-a"), (2, "job-c"), (3, "job-b")]
        assert ranking.status is MatchStatus.MATCHED
        assert dict(ranking.excluded) == {"job_inactive": 1, "job_deadline_passed": 1}
        assert (ranking.considered, ranking.reason_codes) == (3, ("jobs_ranked",))

    def test_limit_keeps_the_best(self) -> None:
        """Only the top `limit` jobs are returned."""
        jobs = [job(f"job-{i}", ("A",) * (i % 2)) for i in range(6)]
        ranking = rank_jobs(profile(skills=("A",)), jobs, session=session(), now=NOW, limit=2)
        assert [r.job.id for r in ranking.matches] == ["job-1", "job-3"]

    def test_no_open_job(self) -> None:
        """Only closed jobs: no_matches with reason no_open_jobs."""
        ranking = rank_jobs(profile(), [job(active=False)], session=session(), now=NOW)
        assert (ranking.status, ranking.reason_codes) == (MatchStatus.NO_MATCHES, ("no_open_jobs",))

    def test_signals_come_from_the_session(self) -> None:
        """The session's selection, track and alignment drive track and level fit."""
        learner_session = session(selection=D.ADVANCED, track=T.GRC, alignment={T.DEFENDER: 50.0})
        ranking = rank_jobs(
            profile(readiness=100),
            [job("j1", track=T.GRC, level=L.SENIOR), job("j2", track=T.DEFENDER, level=L.ENTRY)],
            session=learner_session,
            now=NOW,
        )
        assert [(r.job.id, r.match.score) for r in ranking.matches] == [
            ("j1", 100.0),
            ("j2", pytest.approx(100 * (20 * 0.5 + 15 * 0 + 15 * 1) / 50)),
        ]
        assert (ranking.session_id, ranking.recommended_track) == ("s-u-1", T.GRC)
        assert ranking.matches[0].match.session_id == "s-u-1"

    def test_session_of_another_learner_is_rejected(self) -> None:
        """Passing someone else's session is a programming error."""
        with pytest.raises(InvalidValueError, match="session"):
            rank_jobs(profile("u-1"), [job()], session=session("u-2"), now=NOW)

    @pytest.mark.parametrize("limit", [0, -1])
    def test_limit_must_be_positive(self, limit: int) -> None:
        """A limit below 1 is rejected."""
        with pytest.raises(InvalidValueError, match="limit"):
            rank_jobs(profile(), [], session=session(), now=NOW, limit=limit)

    def test_recipes_are_linked_for_missing_skills(self) -> None:
        """With a catalogue, each match's missing skills link to recipes."""
        ranking = rank_jobs(
            profile(), [job(skills=("DNS",))], session=session(), now=NOW, recipes=[recipe("r", ("DNS",))]
        )
        assert [r.id for r in ranking.matches[0].match.skill_recipes[0].recipes] == ["r"]

    def test_json_shape(self) -> None:
        """unstructure renders a ranking as plain JSON: status, matches (job, breakdown), excluded, policy."""
        ranking = rank_jobs(
            profile(), [job(), job("old", active=False)], session=session(track=T.GRC), now=NOW
        )
        data = json.loads(json.dumps(unstructure(ranking)))
        assert data["status"] == "matched"
        assert data["recommended_track"] == "grc"
        assert data["matches"][0]["rank"] == 1
        assert data["matches"][0]["job"]["id"] == "job-1"
        assert data["matches"][0]["match"]["job_id"] == "job-1"
        assert data["excluded"] == {"job_inactive": 1}

    @given(pst.talent_profiles(), unique_jobs(), pst.completed_sessions(), st.integers(1, 5), st.data())
    def test_ranking_is_independent_of_input_order(
        self,
        learner: TalentProfile,
        jobs: list[JobPosting],
        learner_session: ProfilerSession,
        limit: int,
        data: st.DataObject,
    ) -> None:
        """Shuffling the jobs never changes the ranking."""
        learner_session = _owned(learner_session, learner.user_id)
        shuffled = data.draw(st.permutations(jobs))
        first = rank_jobs(learner, jobs, session=learner_session, now=NOW, limit=limit)
        second = rank_jobs(learner, shuffled, session=learner_session, now=NOW, limit=limit)
        assert first == second
        # FrozenMap equality ignores key order; the JSON body must not depend on it either.
        assert json.dumps(unstructure(first)) == json.dumps(unstructure(second))

    def test_excluded_keys_do_not_follow_the_input_order(self) -> None:
        """The excluded counts are keyed in a fixed (sorted) order, whatever the order of the jobs."""
        closed = [job("a", active=False), job("b", deadline=NOW)]
        for jobs in (closed, closed[::-1]):
            ranking = rank_jobs(profile(), jobs, session=session(), now=NOW)
            assert list(json.loads(json.dumps(unstructure(ranking)))["excluded"]) == [
                "job_deadline_passed",
                "job_inactive",
            ]

    @given(
        pst.talent_profiles(),
        unique_jobs(),
        pst.completed_sessions(),
        pst.behavioral_profiles(),
        pst.reflections(),
        st.lists(st.text(min_size=1, max_size=8), max_size=3),
    )
    def test_behavioral_data_is_never_an_input(
        self,
        learner: TalentProfile,
        jobs: list[JobPosting],
        learner_session: ProfilerSession,
        behavioral: BehavioralProfile,
        reflection: Reflection,
        strengths: list[str],
    ) -> None:
        """Changing the behavioral profile, strengths and reflections changes no match (SPEC §8)."""
        learner_session = _owned(learner_session, learner.user_id)
        other = attrs.evolve(
            learner_session, behavioral_profile=behavioral, reflection=reflection, strengths=tuple(strengths)
        )
        first = rank_jobs(learner, jobs, session=learner_session, now=NOW)
        assert rank_jobs(learner, jobs, session=other, now=NOW) == first

    @given(
        pst.talent_profiles(), unique_jobs(), pst.completed_sessions(), pst.timestamps(), st.integers(1, 5)
    )
    def test_matches_are_the_best_open_jobs(
        self,
        learner: TalentProfile,
        jobs: list[JobPosting],
        learner_session: ProfilerSession,
        now: datetime,
        limit: int,
    ) -> None:
        """The ranking is the open jobs sorted by score then id, cut at limit; closed jobs never appear."""
        learner_session = _owned(learner_session, learner.user_id)
        ranking = rank_jobs(learner, jobs, session=learner_session, now=now, limit=limit)
        open_jobs = [
            j
            for j in jobs
            if j.is_active and (j.application_deadline is None or j.application_deadline > now)
        ]
        scores = {j.id: score_match(learner, j, **signals(learner_session)).score for j in open_jobs}  # type: ignore[arg-type]
        expected = sorted(open_jobs, key=lambda j: (-scores[j.id], j.id))[:limit]
        assert [r.job.id for r in ranking.matches] == [j.id for j in expected]
        assert [r.match.score for r in ranking.matches] == [scores[j.id] for j in expected]
        assert sum(ranking.excluded.values()) == len(jobs) - len(open_jobs)


def _owned(s: ProfilerSession, user_id: UserId) -> ProfilerSession:
    return ProfilerSession(
        id=s.id,
        user_id=user_id,
        status=s.status,
        completed_at=s.completed_at,
        difficulty_selection=s.difficulty_selection,
        recommended_track=s.recommended_track,
        track_alignment_percentages=s.track_alignment_percentages,
    )


@st.composite
def populations(
    draw: st.DrawFn,
) -> tuple[list[TalentProfile], dict[UserId, ProfilerSession]]:
    """Profiles with unique ids, coarse readiness (so ties happen), and some sessions (some incomplete)."""
    ids = draw(st.lists(st.integers(0, 60), max_size=25, unique=True))
    profiles = []
    sessions: dict[UserId, ProfilerSession] = {}
    for n in ids:
        uid = UserId(f"u-{n:02d}")
        profiles.append(
            TalentProfile(
                user_id=uid,
                skills=tuple(draw(st.lists(st.sampled_from(("NET", "dns", " SIEM ", "PYTHON")), max_size=3))),
                readiness_score=draw(st.sampled_from((None, 0.0, 50.0, 100.0))),
                primary_track_key=draw(st.none() | st.sampled_from((T.DEFENDER, T.GRC))),
                is_visible=draw(st.booleans()),
                employer_share_consent=draw(st.booleans()),
            )
        )
        if draw(st.integers(0, 5)):
            sessions[uid] = ProfilerSession(
                id=SessionId(f"s-{n}"),
                user_id=uid,
                status=draw(
                    st.sampled_from((SessionStatus.FINISHED, SessionStatus.LOCKED, SessionStatus.IN_PROGRESS))
                ),
                difficulty_selection=draw(st.none() | st.sampled_from(DifficultySelection)),
                recommended_track=draw(st.none() | st.sampled_from((T.DEFENDER, T.GRC))),
                track_alignment_percentages=draw(
                    st.dictionaries(st.sampled_from((T.DEFENDER, T.GRC)), st.sampled_from((0.0, 50.0, 100.0)))
                ),
            )
    return profiles, sessions


CANDIDATE_JOBS = st.builds(
    job,
    st.just("job-1"),
    st.lists(st.sampled_from(("NET", "DNS", "SIEM", "CLOUD")), max_size=3).map(tuple),
    track=st.none() | st.sampled_from((T.DEFENDER, T.GRC)),
    level=st.none() | st.sampled_from(JobLevel),
)


class TestRankCandidates:
    def test_closed_job_has_no_candidates(self) -> None:
        """An inactive or expired job gives job_closed with the reason."""
        for posting, code in (
            (job(active=False), "job_inactive"),
            (job(deadline=NOW), "job_deadline_passed"),
        ):
            ranking = rank_candidates(posting, [profile()], sessions={UserId("u-1"): session()}, now=NOW)
            assert (ranking.status, ranking.reason_codes, ranking.matches) == (
                MatchStatus.JOB_CLOSED,
                (code,),
                (),
            )

    def test_employer_facing_search_shows_only_visible_consenting_profiles(self) -> None:
        """Hidden profiles and profiles without share consent are left out and counted."""
        profiles = [
            profile("u-1"),
            profile("u-2", visible=False),
            profile("u-3", consent=False),
            profile("u-4", visible=False, consent=False),
            profile("u-5"),
        ]
        sessions = {p.user_id: session(p.user_id) for p in profiles if p.user_id != "u-5"}
        ranking = rank_candidates(job(), profiles, sessions=sessions, now=NOW)
        assert [r.profile.user_id for r in ranking.matches] == ["u-1"]
        assert dict(ranking.excluded) == {
            "profile_hidden": 2,
            "share_consent_missing": 1,
            "candidate_profiler_incomplete": 1,
        }
        assert (ranking.considered, ranking.reason_codes) == (1, ("candidates_ranked",))

    def test_internal_search_may_include_hidden_profiles(self) -> None:
        """With employer_facing=False, visibility and consent do not filter."""
        profiles = [profile("u-1", visible=False), profile("u-2", consent=False)]
        sessions = {p.user_id: session(p.user_id) for p in profiles}
        ranking = rank_candidates(job(), profiles, sessions=sessions, now=NOW, employer_facing=False)
        assert [r.profile.user_id for r in ranking.matches] == ["u-1", "u-2"]

    def test_ties_go_to_the_smaller_user_id(self) -> None:
        """Equal scores are ordered by user id, whatever the input order."""
        profiles = [profile(u, ("A",), readiness=50) for u in ("u-9", "u-2", "u-5")]
        sessions = {p.user_id: session(p.user_id) for p in profiles}
        ranking = rank_candidates(job(skills=("A",)), profiles, sessions=sessions, now=NOW, limit=2)
        assert [(r.rank, r.profile.user_id) for r in ranking.matches] == [(1, "u-2"), (2, "u-5")]

    def test_no_eligible_candidate(self) -> None:
        """Nobody searchable and profiled: no_matches with reason no_eligible_candidates."""
        ranking = rank_candidates(job(), [profile(visible=False)], sessions={}, now=NOW)
        assert (ranking.status, ranking.reason_codes) == (MatchStatus.NO_MATCHES, ("no_eligible_candidates",))

    def test_top_candidates_get_full_breakdowns_and_recipes(self) -> None:
        """Each returned candidate carries the full breakdown, reasons and recipe links."""
        profiles = [profile("u-1", ("NET",), readiness=80), profile("u-2", readiness=10)]
        sessions = {p.user_id: session(p.user_id, selection=D.BEGINNER) for p in profiles}
        ranking = rank_candidates(
            job(skills=("NET", "DNS"), level=L.ENTRY),
            profiles,
            sessions=sessions,
            now=NOW,
            recipes=[recipe("r", ("DNS",))],
        )
        best = ranking.matches[0].match
        assert best.user_id == "u-1"
        assert best.score == pytest.approx(100 * (50 * 0.5 + 15 * 1 + 15 * 0.8) / 80)
        assert (best.missing_skills, best.skill_recipes[0].recipes[0].id) == (("DNS",), "r")
        assert json.loads(json.dumps(unstructure(ranking)))["matches"][0]["profile"]["user_id"] == "u-1"

    @pytest.mark.parametrize("limit", [0, -3])
    def test_limit_must_be_positive(self, limit: int) -> None:
        """A limit below 1 is rejected."""
        with pytest.raises(InvalidValueError, match="limit"):
            rank_candidates(job(), [], sessions={}, now=NOW, limit=limit)

    @given(CANDIDATE_JOBS, populations(), st.integers(1, 6), st.booleans())
    def test_matches_are_the_best_eligible_candidates_with_exact_scores(
        self,
        posting: JobPosting,
        population: tuple[list[TalentProfile], dict[UserId, ProfilerSession]],
        limit: int,
        employer_facing: bool,
    ) -> None:
        """The fast path returns exactly what scoring every eligible profile and sorting would."""
        profiles, sessions = population
        ranking = rank_candidates(
            posting, profiles, sessions=sessions, now=NOW, limit=limit, employer_facing=employer_facing
        )
        eligible = [
            p
            for p in profiles
            if (not employer_facing or (p.is_visible and p.employer_share_consent))
            and p.user_id in sessions
            and sessions[p.user_id].is_completed
        ]
        scores = {p.user_id: score_match(p, posting, **signals(sessions[p.user_id])).score for p in eligible}  # type: ignore[arg-type]
        expected = sorted(eligible, key=lambda p: (-scores[p.user_id], p.user_id))[:limit]
        assert [r.profile.user_id for r in ranking.matches] == [p.user_id for p in expected]
        assert [r.match.score for r in ranking.matches] == [scores[p.user_id] for p in expected]
        assert ranking.considered == len(eligible)
        assert ranking.considered + sum(ranking.excluded.values()) == len(profiles)

    @given(CANDIDATE_JOBS, populations(), st.integers(1, 6), st.data())
    def test_ranking_is_independent_of_input_order(
        self,
        posting: JobPosting,
        population: tuple[list[TalentProfile], dict[UserId, ProfilerSession]],
        limit: int,
        data: st.DataObject,
    ) -> None:
        """Shuffling the profiles never changes the ranking."""
        profiles, sessions = population
        shuffled = data.draw(st.permutations(profiles))
        first = rank_candidates(posting, profiles, sessions=sessions, now=NOW, limit=limit)
        assert rank_candidates(posting, shuffled, sessions=sessions, now=NOW, limit=limit) == first

    @given(CANDIDATE_JOBS, populations())
    def test_an_ineligible_profile_never_appears(
        self, posting: JobPosting, population: tuple[list[TalentProfile], dict[UserId, ProfilerSession]]
    ) -> None:
        """No hidden, non-consenting or unprofiled learner is ever listed to an employer."""
        profiles, sessions = population
        ranking = rank_candidates(posting, profiles, sessions=sessions, now=NOW, limit=100)
        for ranked in ranking.matches:
            assert profile_is_searchable(ranked.profile)
            assert sessions[ranked.profile.user_id].is_completed


class TestOneScorer:
    @given(CANDIDATE_JOBS, populations(), mst.match_policies(), st.data())
    def test_fast_path_score_equals_the_full_scorer(
        self,
        posting: JobPosting,
        population: tuple[list[TalentProfile], dict[UserId, ProfilerSession]],
        policy: MatchPolicy,
        data: st.DataObject,
    ) -> None:
        """rank_candidates' fast path scores every eligible profile exactly as the full scorer does."""
        profiles, sessions = population
        # Fine-grained readiness and alignment, so the arithmetic (not only the coarse cases) is compared.
        readiness = st.none() | st.floats(0, 100, allow_nan=False)
        profiles = [attrs.evolve(p, readiness_score=data.draw(readiness)) for p in profiles]
        sessions = {
            uid: attrs.evolve(s, track_alignment_percentages=data.draw(mst.alignments()))
            for uid, s in sessions.items()
        }
        plan = _plan(posting, policy)
        kept, tally = _cheap_top(plan, profiles, sessions, limit=len(profiles) + 1, employer_facing=False)
        assert len(kept) == tally["scored"]
        for negated, _, _, profile, session in kept:
            full = _score(
                plan,
                profile,
                track=session.recommended_track,
                selection=session.difficulty_selection,
                alignment=session.track_alignment_percentages,
                session_id=session.id,
                recipe_index=None,
            )
            assert -negated == full.score
