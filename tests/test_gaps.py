"""Tests for profiler_core.gaps: the taxonomy, gap analysis and recipe ranking (SPEC §4)."""

from __future__ import annotations

import json
import math
import random
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, ClassVar

import attrs
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from profiler_core.decisions import Reason
from profiler_core.errors import InvalidPayloadError, InvalidValueError, PolicyError
from profiler_core.gaps import (
    DEFAULT_GAP_POLICY,
    DEFAULT_RANKING_POLICY,
    DEFAULT_TAXONOMY,
    DEFAULT_TAXONOMY_CATEGORIES,
    TECHNICAL_EXPOSURE_CATEGORY,
    Gap,
    GapAnalysis,
    MatchKind,
    RecipeRecommendations,
    SkillAssessment,
    Taxonomy,
    analyze_gaps,
    area_for_growth_category,
    empty_analysis,
    merge_gaps,
    mission_gaps,
    mission_stage_recipes,
    next_best_recipes,
    normalise_code,
    parse_skill_assessments,
    recipes_by_code,
    recommend_recipes,
    skill_assessment_gaps,
    with_gaps,
)
from profiler_core.models import (
    BehavioralProfile,
    CategoryScore,
    Mission,
    MissionId,
    ProfilerResult,
    ProfilerSession,
    Recipe,
    RecipeId,
    SessionId,
    Subtask,
    UserId,
)
from profiler_core.serialization import structure, unstructure_object
from profiler_core.testing import strategies_gaps
from profiler_core.testing.strategies import CATEGORIES, SKILL_CODES, completed_sessions
from profiler_core.vocabulary import GapType, MissionDifficulty, Priority, SessionStatus

# --- helpers ------------------------------------------------------------------

WEIGHT = {Priority.HIGH: 3, Priority.MEDIUM: 2, Priority.LOW: 1}


def session(**changes: Any) -> ProfilerSession:
    base = ProfilerSession(id=SessionId("s-1"), user_id=UserId("u-1"), status=SessionStatus.FINISHED)
    return attrs.evolve(base, **changes)


def result(breakdown: Mapping[str, float] | None = None, **changes: Any) -> ProfilerResult:
    scores = {k: CategoryScore(score=v) for k, v in (breakdown or {}).items()}
    return attrs.evolve(ProfilerResult(session_id=SessionId("s-1"), aptitude_breakdown=scores), **changes)


def recipe(
    rid: str,
    codes: Sequence[str],
    *,
    usage: int = 0,
    rating: float = 0.0,
    slug: str | None = None,
    active: bool = True,
) -> Recipe:
    return Recipe(
        id=RecipeId(rid),
        slug=slug or rid,
        title=rid,
        skill_codes=tuple(codes),
        usage_count=usage,
        avg_rating=rating,
        is_active=active,
    )


def view(gaps: Iterable[Gap]) -> list[tuple[object, ...]]:
    """What 'the same gaps' means across input shapes: everything but evidence, sources and reasons."""
    return [(g.type, g.category, g.priority, g.score, g.skill_codes, g.match, g.taxonomy_key) for g in gaps]


def gap(category: str, priority: Priority, codes: Sequence[str], gap_type: GapType = GapType.APTITUDE) -> Gap:
    return Gap(
        type=gap_type, category=category, priority=priority, skill_codes=tuple(codes), sources=("test",)
    )


def analysis_of(*gaps: Gap) -> GapAnalysis:
    return with_gaps(
        GapAnalysis(
            profiler_completed=True,
            reasons=(),
            policy=DEFAULT_GAP_POLICY.ref,
            taxonomy=DEFAULT_TAXONOMY.ref,
        ),
        gaps,
    )


#: The seed catalogue: one recipe family per kind of gap.
CATALOGUE = (
    recipe("security-fundamentals", ("TECH", "BASICS", "FUNDAMENTALS"), usage=300),
    recipe("tcp-ip-basics", ("NET", "TCPIP"), usage=200),
    recipe("dns-deep-dive", ("DNS", "NET"), usage=100),
    recipe("clear-incident-reports", ("COMM", "DOC"), usage=150),
    recipe("leading-a-war-room", ("LEAD", "COMM"), usage=120),
    recipe("aws-iam", ("AWS", "CLOUD"), usage=5000),
    recipe("python-for-security", ("PYTHON", "SCRIPT"), usage=4000),
    recipe("owasp-top-ten", ("OWASP", "WEB"), usage=4500),
)
SOFT_CODES = {"COMM", "LEAD", "DOC"}


def recipe_weight(item: Recipe, analysis: GapAnalysis) -> int:
    """Oracle: the gap weight one recipe covers on its own (written independently of the library)."""
    codes = {c.strip().upper() for c in item.skill_codes}
    return sum(WEIGHT[g.priority] for g in analysis.gaps if codes & set(g.skill_codes))


def popularity(item: Recipe) -> tuple[int, float, str, str]:
    """Oracle: SPEC §4's tie-breaks, usage count and rating descending, then slug (and id)."""
    return (-item.usage_count, -item.avg_rating, item.slug, item.id)


def candidates(analysis: GapAnalysis, recipes: Iterable[Recipe]) -> list[Recipe]:
    """Oracle: active recipes sharing a code with a gap, one value per id (most popular, then repr)."""
    by_id: dict[str, Recipe] = {}
    for item in recipes:
        if not item.is_active or not recipe_weight(item, analysis):
            continue
        kept = by_id.get(item.id)
        if kept is None or (popularity(item), repr(item)) < (
            popularity(kept),
            repr(kept),
        ):
            by_id[item.id] = item
    return list(by_id.values())


def naive_greedy(analysis: GapAnalysis, recipes: Iterable[Recipe], limit: int) -> list[tuple[str, int]]:
    """Oracle: re-scan every candidate at every step (the obvious quadratic greedy)."""
    covered: frozenset[int] = frozenset()
    picks: list[tuple[str, int]] = []
    pool = candidates(analysis, recipes)
    while pool and len(picks) < limit:
        best = min(pool, key=lambda r: (-marginal(r, analysis, covered), popularity(r)))
        picks.append((best.id, marginal(best, analysis, covered)))
        codes = {c.strip().upper() for c in best.skill_codes}
        covered |= {i for i, g in enumerate(analysis.gaps) if codes & set(g.skill_codes)}
        pool.remove(best)
    return picks


def marginal(item: Recipe, analysis: GapAnalysis, covered: frozenset[int]) -> int:
    """Oracle: the weight of the gaps not in *covered* that *item* shares a code with."""
    codes = {c.strip().upper() for c in item.skill_codes}
    return sum(
        WEIGHT[g.priority]
        for i, g in enumerate(analysis.gaps)
        if i not in covered and codes & set(g.skill_codes)
    )


# --- taxonomy -----------------------------------------------------------------


class TestTaxonomy:
    @pytest.mark.parametrize(
        ("category", "kind", "key"),
        [
            ("networking", MatchKind.EXACT, "networking"),
            ("technical_exposure", MatchKind.EXACT, "technical_exposure"),
            ("Networking", MatchKind.NORMALISED, "networking"),
            (" technical exposure ", MatchKind.NORMALISED, "technical_exposure"),
            ("Technical-Exposure", MatchKind.NORMALISED, "technical_exposure"),
            ("network", MatchKind.SUBSTRING, "networking"),
            ("network security", MatchKind.SUBSTRING, "security"),
            ("web app security", MatchKind.SUBSTRING, "security"),
            ("cloud web", MatchKind.SUBSTRING, "cloud"),
            ("Linux administration", MatchKind.SUBSTRING, "linux"),
            ("comm", MatchKind.SUBSTRING, "communication"),
            ("teamwork", MatchKind.UNMAPPED, None),
            ("it", MatchKind.UNMAPPED, None),
            ("", MatchKind.UNMAPPED, None),
        ],
    )
    def test_lookup_steps(self, category: str, kind: MatchKind, key: str | None) -> None:
        """Lookup tries exact, normalised, then substring either way, and records the step used."""
        match = DEFAULT_TAXONOMY.lookup(category)
        assert (match.kind, match.key, match.category) == (kind, key, category)
        assert match.codes == (DEFAULT_TAXONOMY_CATEGORIES[key] if key else ())

    @pytest.mark.parametrize(
        ("category", "codes"),
        [
            ("networking", ("NET", "NETW", "TCPIP", "DNS", "HTTP")),
            ("security", ("SEC", "SECOPS", "SIEM", "IDS", "IPS")),
            ("programming", ("PROG", "PYTHON", "BASH", "SCRIPT")),
            ("linux", ("LINUX", "SYSADMIN", "CLI")),
            ("windows", ("WIN", "WINDOWS", "POWERSHELL")),
            ("cloud", ("CLOUD", "AWS", "AZURE", "GCP")),
            ("cryptography", ("CRYPTO", "ENCRYPT", "HASH")),
            ("forensics", ("DFIR", "FORENSICS", "INVESTIGATION")),
            ("malware", ("MALWARE", "REVERSE", "ANALYSIS")),
            ("web", ("WEB", "WEBAPP", "OWASP", "XSS", "SQLI")),
            ("technical exposure", ("TECH", "BASICS", "FUNDAMENTALS")),
            ("communication", ("COMM",)),
            ("leadership", ("LEAD",)),
            ("documentation", ("DOC",)),
        ],
    )
    def test_default_content_is_the_spec_table(self, category: str, codes: tuple[str, ...]) -> None:
        """The default taxonomy holds exactly SPEC §4's codes for each category."""
        assert DEFAULT_TAXONOMY.lookup(category).codes == codes

    def test_default_has_exactly_the_spec_categories(self) -> None:
        """The default taxonomy has the 14 categories of SPEC §4 and is taxonomy@1."""
        assert len(DEFAULT_TAXONOMY.categories) == 14
        assert str(DEFAULT_TAXONOMY.ref) == "taxonomy@1"

    def test_substring_tie_goes_to_the_first_key_alphabetically(self) -> None:
        """Two keys with the same overlap: the alphabetically first key wins, whatever the table order."""
        taxonomy = Taxonomy(categories={"wxyz": ["W"], "abcd": ["A"]})
        assert taxonomy.lookup("abcd wxyz").key == "abcd"

    def test_min_substring_bounds_the_substring_step(self) -> None:
        """The substring step ignores overlaps shorter than min_substring."""
        assert DEFAULT_TAXONOMY.lookup("clou").key == "cloud"
        strict = attrs.evolve(DEFAULT_TAXONOMY, min_substring=5)
        assert strict.lookup("clou").kind is MatchKind.UNMAPPED
        assert strict.lookup("cloud platforms").key == "cloud"

    def test_codes_are_normalised(self) -> None:
        """Codes are stored upper-cased with whitespace trimmed and collapsed."""
        taxonomy = Taxonomy(categories={"incident response": [" ir ", "incident   handling"]})
        assert taxonomy.categories["incident response"] == ("IR", "INCIDENT HANDLING")

    @pytest.mark.parametrize(
        ("categories", "min_substring", "message"),
        [
            ({"": ["A"]}, 3, "is blank"),
            ({"web": []}, 3, "has no skill codes"),
            ({"Web App": ["A"], "web_app": ["B"]}, 3, "normalise alike"),
            ({"web": ["A", " a "]}, 3, "repeats a skill code"),
            ({"web": ["  "]}, 3, "blank skill code"),
            ({"web": ["A"]}, 0, "min_substring"),
        ],
    )
    def test_inconsistent_taxonomies_are_rejected(
        self, categories: Mapping[str, Sequence[str]], min_substring: int, message: str
    ) -> None:
        """A taxonomy with a blank, clashing or code-less category raises PolicyError."""
        with pytest.raises(PolicyError, match=message) as caught:
            Taxonomy(id="host", version=2, categories=categories, min_substring=min_substring)
        assert caught.value.policy == "host@2"

    def test_from_dict_round_trips(self) -> None:
        """unstructure() read back by from_dict() and from_json() gives an equal taxonomy."""
        custom = DEFAULT_TAXONOMY.extended({"teamwork": ["TEAM"]}, version=2, id="och")
        data = unstructure_object(custom)
        assert Taxonomy.from_dict(data) == custom
        assert Taxonomy.from_json(json.dumps(data)) == custom
        assert hash(custom) == hash(Taxonomy.from_dict(data))

    def test_from_dict_defaults(self) -> None:
        """Without id and min_substring the loader uses "taxonomy" and 3."""
        loaded = Taxonomy.from_dict({"version": 4, "categories": {"web": ["WEB"]}})
        assert (loaded.id, loaded.version, loaded.min_substring) == ("taxonomy", 4, 3)

    def test_from_dict_lists_every_problem_with_its_path(self) -> None:
        """A bad taxonomy dict raises one PolicyError naming each problem's path."""
        bad = {"id": "", "version": 0, "min_substring": True, "categories": {"web": ["WEB", 3], "net": "NET"}}
        with pytest.raises(PolicyError) as caught:
            Taxonomy.from_dict(bad)
        for path in ("$.id", "$.version", "$.min_substring", "$.categories.web[1]", "$.categories.net"):
            assert path in caught.value.reason

    @pytest.mark.parametrize(
        "data",
        [{"version": 1}, {"version": 1, "categories": ["web"]}, {"version": 1, "categories": {1: ["A"]}}],
    )
    def test_from_dict_rejects_a_bad_categories_shape(self, data: Mapping[str, object]) -> None:
        """Categories must be an object of string keys to code lists."""
        with pytest.raises(PolicyError, match=r"\$\.categories"):
            Taxonomy.from_dict(data)

    @pytest.mark.parametrize(
        ("text", "message"), [("{nope", "not valid JSON"), ("[1, 2]", "must be an object")]
    )
    def test_from_json_rejects_non_taxonomies(self, text: str, message: str) -> None:
        """Text that is not JSON, or not a JSON object, raises PolicyError."""
        with pytest.raises(PolicyError, match=message):
            Taxonomy.from_json(text)

    def test_load_reads_a_json_file(self, tmp_path: Path) -> None:
        """load() reads a UTF-8 JSON file in the from_dict shape."""
        path = tmp_path / "taxonomy.json"
        path.write_text(json.dumps({"id": "och", "version": 7, "categories": {"réseau": ["net"]}}), "utf-8")
        loaded = Taxonomy.load(path)
        assert (str(loaded.ref), loaded.lookup("Réseau").codes) == ("och@7", ("NET",))

    def test_extended_replaces_by_normalised_key(self) -> None:
        """extended() replaces a category spelled differently and keeps the rest."""
        custom = DEFAULT_TAXONOMY.extended({"Networking": ["NETX"]}, version=2)
        assert "networking" not in custom.categories
        assert custom.lookup("networking").codes == ("NETX",)
        assert custom.lookup("cloud").codes == DEFAULT_TAXONOMY.lookup("cloud").codes
        assert (custom.id, custom.version) == ("taxonomy", 2)

    @given(strategies_gaps.taxonomies(), st.sampled_from(CATEGORIES))
    def test_lookup_of_a_key_is_exact(self, taxonomy: Taxonomy, category: str) -> None:
        """Looking up a key itself is always an exact match with that key's codes."""
        assume(category in taxonomy.categories)
        match = taxonomy.lookup(category)
        assert (match.kind, match.codes) == (MatchKind.EXACT, taxonomy.categories[category])


class TestNormaliseCode:
    @pytest.mark.parametrize(
        ("raw", "code"),
        [("net", "NET"), ("  Tcp-Ip ", "TCP-IP"), ("incident \t response", "INCIDENT RESPONSE"), ("", "")],
    )
    def test_table(self, raw: str, code: str) -> None:
        """Codes are upper-cased with whitespace trimmed and collapsed; - and _ are kept."""
        assert normalise_code(raw) == code


# --- policies -----------------------------------------------------------------


class TestGapPolicy:
    @pytest.mark.parametrize(
        ("score", "priority"),
        [
            (100.0, None),
            (60.0, None),
            (59.99, Priority.MEDIUM),
            (40.0, Priority.MEDIUM),
            (39.99, Priority.HIGH),
            (0.0, Priority.HIGH),
        ],
    )
    def test_priority_thresholds(self, score: float, priority: Priority | None) -> None:
        """60 is not a gap, 40 is medium, 39.99 is high."""
        assert DEFAULT_GAP_POLICY.priority_for(score) is priority

    @pytest.mark.parametrize(
        ("score", "priority"),
        [(70.0, None), (69.99, Priority.MEDIUM), (40.0, Priority.MEDIUM), (39.0, Priority.HIGH)],
    )
    def test_assessment_thresholds(self, score: float, priority: Priority | None) -> None:
        """A skill assessment below 70 is a gap, high below 40."""
        assert DEFAULT_GAP_POLICY.assessment_priority_for(score) is priority

    @pytest.mark.parametrize(
        "changes",
        [
            {"high_below": 70.0},
            {"gap_below": 101.0},
            {"high_below": -1.0},
            {"assessment_high_below": 80.0},
            {"min_evidence": -1},
            {"trait_growth_below": math.nan},
        ],
    )
    def test_inconsistent_policies_are_rejected(self, changes: Mapping[str, Any]) -> None:
        """Thresholds out of order or range raise PolicyError naming the policy."""
        with pytest.raises(PolicyError, match="gaps@1"):
            attrs.evolve(DEFAULT_GAP_POLICY, **changes)

    def test_ref(self) -> None:
        """The default policy is gaps@1."""
        assert str(DEFAULT_GAP_POLICY.ref) == "gaps@1"


class TestRankingPolicy:
    @pytest.mark.parametrize(
        ("priority", "weight"), [(Priority.HIGH, 3), (Priority.MEDIUM, 2), (Priority.LOW, 1)]
    )
    def test_default_weights(self, priority: Priority, weight: int) -> None:
        """High 3, medium 2, low 1."""
        assert DEFAULT_RANKING_POLICY.weight(priority) == weight

    @pytest.mark.parametrize(
        "changes",
        [{"high_weight": 1}, {"low_weight": 0, "medium_weight": 0}, {"mission_recommendation_weight": -1}],
    )
    def test_inconsistent_weights_are_rejected(self, changes: Mapping[str, Any]) -> None:
        """Weights must be positive and descending; the mission weight non-negative."""
        with pytest.raises(PolicyError, match="recipe_ranking@1"):
            attrs.evolve(DEFAULT_RANKING_POLICY, **changes)


# --- gap analysis -------------------------------------------------------------


class TestAreaForGrowthCategory:
    @pytest.mark.parametrize(
        ("entry", "category"),
        [
            ("Improve communication skills", "communication"),
            ("Develop Leadership skills", "leadership"),
            ("  develop   documentation   skill. ", "documentation"),
            ("Improve problem-solving skills!", "problem-solving"),
            ("Time management", "time management"),
            ("Improve skills", "improve skills"),
            ("   ", None),
        ],
    )
    def test_table(self, entry: str, category: str | None) -> None:
        """The platform's "Improve/Develop X skills" yields X; anything else is taken whole."""
        assert area_for_growth_category(entry) == category


class TestSeedCases:
    def test_low_technical_exposure_gets_technical_recipes(self) -> None:
        """A technical exposure of 30 is a high technical gap, and technical recipes come first."""
        analysis = analyze_gaps(session(technical_exposure_score=30.0), result())
        (tech,) = analysis.gaps
        assert (tech.type, tech.category, tech.priority) == (
            GapType.TECHNICAL,
            "technical_exposure",
            Priority.HIGH,
        )
        assert tech.skill_codes == ("TECH", "BASICS", "FUNDAMENTALS")
        ranked = recommend_recipes(analysis, CATALOGUE)
        assert [r.recipe.id for r in ranked.items] == ["security-fundamentals"]
        assert ranked.items[0].closes[0].category == TECHNICAL_EXPOSURE_CATEGORY

    def test_low_networking_aptitude_gets_networking_recipes(self) -> None:
        """A networking score of 35 is a high aptitude gap, closed by the networking recipes."""
        analysis = analyze_gaps(session(), result({"networking": 35.0, "cloud": 90.0}))
        assert view(analysis.gaps) == [
            (
                GapType.APTITUDE,
                "networking",
                Priority.HIGH,
                35.0,
                ("NET", "NETW", "TCPIP", "DNS", "HTTP"),
                MatchKind.EXACT,
                "networking",
            )
        ]
        ranked = recommend_recipes(analysis, CATALOGUE)
        assert [r.recipe.id for r in ranked.items] == ["tcp-ip-basics", "dns-deep-dive"]
        assert [r.gain for r in ranked.items] == [3, 0]

    def test_behavioral_areas_for_growth_get_soft_skill_recipes(self) -> None:
        """Areas for growth become medium behavioral gaps closed by soft-skill recipes."""
        analysis = analyze_gaps(
            session(), result(areas_for_growth=("Improve communication skills", "Develop leadership skills"))
        )
        assert [(g.type, g.category, g.priority) for g in analysis.gaps] == [
            (GapType.BEHAVIORAL, "communication", Priority.MEDIUM),
            (GapType.BEHAVIORAL, "leadership", Priority.MEDIUM),
        ]
        ranked = recommend_recipes(analysis, CATALOGUE)
        assert ranked.items[0].recipe.id == "leading-a-war-room"
        assert all(set(r.recipe.skill_codes) & SOFT_CODES for r in ranked.items)

    @pytest.mark.parametrize("learner_session", [None, session(status=SessionStatus.IN_PROGRESS)])
    def test_no_profiler_falls_back_and_says_so(self, learner_session: ProfilerSession | None) -> None:
        """Without a completed session the analysis is empty and recipes fall back to popularity, labelled."""
        analysis = analyze_gaps(learner_session, result({"networking": 10.0}))
        assert (analysis.gaps, analysis.profiler_completed, analysis.reason_codes) == (
            (),
            False,
            ("no_completed_session",),
        )
        ranked = recommend_recipes(analysis, CATALOGUE, 3)
        assert ranked.fallback
        assert ranked.reason_codes == ("popularity_fallback",)
        assert [r.recipe.id for r in ranked.items] == ["aws-iam", "owasp-top-ten", "python-for-security"]
        assert all(r.fallback and r.reason_codes == ("popularity_fallback",) for r in ranked.items)
        assert all(r.gain == 0 and not r.addressed_gaps for r in ranked.items)


class TestThresholds:
    @pytest.mark.parametrize(
        ("score", "priority"),
        [(60.0, None), (40.0, Priority.MEDIUM), (39.99, Priority.HIGH), (59.99, Priority.MEDIUM)],
    )
    def test_aptitude(self, score: float, priority: Priority | None) -> None:
        """An aptitude category of exactly 60 is not a gap; 40 is medium; 39.99 is high."""
        gaps = analyze_gaps(session(), result({"cloud": score})).gaps
        assert [g.priority for g in gaps] == ([] if priority is None else [priority])

    @pytest.mark.parametrize(
        ("score", "priority"),
        [(60.0, None), (40.0, Priority.MEDIUM), (39.99, Priority.HIGH), (0.0, Priority.HIGH)],
    )
    def test_technical_exposure(self, score: float, priority: Priority | None) -> None:
        """Technical exposure uses the same thresholds."""
        gaps = analyze_gaps(session(technical_exposure_score=score), result()).gaps
        assert [g.priority for g in gaps] == ([] if priority is None else [priority])


class TestBreakdownShapes:
    @pytest.mark.parametrize(
        ("numbers", "counts"),
        [
            ({"networking": 25}, {"networking": {"correct": 1, "total": 4, "points": 2}}),
            ({"web": "50.0"}, {"web": {"correct": 2, "total": 4}}),
            (
                {"cloud": 60, "linux": 0},
                {"cloud": {"correct": 3, "total": 5}, "linux": {"correct": 0, "total": 6}},
            ),
        ],
    )
    def test_both_wire_shapes_give_the_same_gaps(
        self, numbers: Mapping[str, object], counts: Mapping[str, object]
    ) -> None:
        """{category: number} and {category: {correct, total, points}} give the same gaps (defect §10.1)."""
        by_number = structure({"session_id": "s-1", "aptitude_breakdown": numbers}, ProfilerResult)
        by_count = structure({"session_id": "s-1", "aptitude_breakdown": counts}, ProfilerResult)
        gaps_number = analyze_gaps(session(), by_number).gaps
        gaps_count = analyze_gaps(session(), by_count).gaps
        assert gaps_number
        assert view(gaps_number) == view(gaps_count)
        assert all(g.evidence is None for g in gaps_number)
        assert all(g.evidence is not None for g in gaps_count)

    @given(
        st.dictionaries(
            st.sampled_from(CATEGORIES),
            st.integers(1, 12).flatmap(lambda total: st.tuples(st.integers(0, total), st.just(total))),
        )
    )
    def test_property_counts_and_their_percentages_agree(self, counts: Mapping[str, tuple[int, int]]) -> None:
        """For any counts, the counts shape and the percentages it stands for give the same gaps."""
        by_count = result(
            aptitude_breakdown={
                c: CategoryScore.from_counts(correct=k, total=n) for c, (k, n) in counts.items()
            }
        )
        by_number = result({c: k / n * 100 for c, (k, n) in counts.items()})
        assert view(analyze_gaps(session(), by_count).gaps) == view(analyze_gaps(session(), by_number).gaps)

    def test_no_evidence_is_flagged_not_a_zero_percent_gap(self) -> None:
        """total = 0 is a low-priority gap without a score, flagged, never a high 0% gap."""
        analysis = analyze_gaps(
            session(), result(aptitude_breakdown={"web": CategoryScore.from_counts(correct=0, total=0)})
        )
        (web,) = analysis.gaps
        assert (web.priority, web.score, web.evidence, web.low_evidence) == (Priority.LOW, None, 0, True)
        assert web.reason_codes == ("aptitude_no_evidence",)

    def test_no_evidence_can_be_listed_only(self) -> None:
        """With no_evidence_priority=None the category is only named in the analysis reasons."""
        policy = attrs.evolve(DEFAULT_GAP_POLICY, no_evidence_priority=None)
        breakdown = {"web": CategoryScore.from_counts(correct=0, total=0)}
        analysis = analyze_gaps(session(), result(aptitude_breakdown=breakdown), policy=policy)
        assert analysis.gaps == ()
        assert "aptitude_no_evidence" in analysis.reason_codes

    @pytest.mark.parametrize(("total", "flagged"), [(1, True), (2, True), (3, False), (10, False)])
    def test_low_evidence_is_flagged(self, total: int, flagged: bool) -> None:
        """A gap resting on fewer than min_evidence (3) questions is flagged, not hidden."""
        breakdown = {"cloud": CategoryScore.from_counts(correct=0, total=total)}
        (cloud,) = analyze_gaps(session(), result(aptitude_breakdown=breakdown)).gaps
        assert (cloud.evidence, cloud.low_evidence, "low_evidence" in cloud.reason_codes) == (
            total,
            flagged,
            flagged,
        )


class TestTechnicalExposure:
    def test_no_answer_is_no_evidence(self) -> None:
        """No technical question answered is a flagged low gap without score."""
        (tech,) = analyze_gaps(session(technical_exposure_answered=0), result()).gaps
        assert (tech.type, tech.priority, tech.score, tech.evidence, tech.low_evidence) == (
            GapType.TECHNICAL,
            Priority.LOW,
            None,
            0,
            True,
        )
        assert tech.reason_codes == ("technical_no_evidence",)

    def test_no_answer_can_be_listed_only(self) -> None:
        """With no_evidence_priority=None no technical gap is made, and the reason says why."""
        policy = attrs.evolve(DEFAULT_GAP_POLICY, no_evidence_priority=None)
        analysis = analyze_gaps(session(technical_exposure_answered=0), result(), policy=policy)
        assert (analysis.gaps, "technical_no_evidence" in analysis.reason_codes) == ((), True)

    def test_not_measured(self) -> None:
        """No technical score at all: no gap, reason technical_exposure_not_measured."""
        analysis = analyze_gaps(session(), result())
        assert analysis.gaps == ()
        assert analysis.reason_codes == ("profiler_analyzed", "technical_exposure_not_measured")

    def test_evidence_is_the_answered_count(self) -> None:
        """The technical gap's evidence is the number of answered questions; 2 is flagged."""
        (tech,) = analyze_gaps(
            session(technical_exposure_score=50.0, technical_exposure_answered=2), result()
        ).gaps
        assert (tech.evidence, tech.low_evidence, tech.reason_codes[-1]) == (2, True, "low_evidence")


class TestBehavioralShapes:
    TRAITS: ClassVar[Mapping[str, float]] = {
        "communication": 2.0,
        "leadership": 4.5,
        "teamwork": 1.5,
        "documentation": 3.0,
    }

    def test_both_wire_shapes_give_the_same_gaps(self) -> None:
        """The flat {category: mean} and the intended {traits, strengths, areas_for_growth} agree (§10.2)."""
        base = {"id": "s-1", "user_id": "u-1", "status": "finished"}
        flat = structure({**base, "behavioral_profile": self.TRAITS}, ProfilerSession)
        intended = structure(
            {
                **base,
                "behavioral_profile": {
                    "traits": self.TRAITS,
                    "strengths": ["leadership"],
                    "areas_for_growth": ["Improve communication skills", "Improve teamwork skills"],
                },
            },
            ProfilerSession,
        )
        assert flat.behavioral_profile.areas_for_growth == ()
        flat_gaps = analyze_gaps(flat, None).gaps
        assert view(flat_gaps) == view(analyze_gaps(intended, None).gaps)
        assert [(g.category, g.priority, g.match) for g in flat_gaps] == [
            ("communication", Priority.MEDIUM, MatchKind.EXACT),
            ("teamwork", Priority.MEDIUM, MatchKind.UNMAPPED),
        ]

    @given(
        st.dictionaries(
            st.sampled_from(("communication", "leadership", "documentation", "teamwork")),
            st.floats(min_value=1, max_value=5),
        )
    )
    def test_property_shapes_agree_when_the_platform_writes_areas_from_traits(
        self, traits: Mapping[str, float]
    ) -> None:
        """For any traits, flat and intended shapes (areas written for traits below 3) give the same gaps."""
        areas = tuple(f"Improve {t} skills" for t, mean in traits.items() if mean < 3.0)
        flat = session(behavioral_profile=BehavioralProfile(traits=traits))
        intended = session(
            behavioral_profile=BehavioralProfile(traits=traits, strengths=("x",), areas_for_growth=areas)
        )
        assert view(analyze_gaps(flat, None).gaps) == view(analyze_gaps(intended, None).gaps)

    def test_sources_are_kept_when_several_say_the_same(self) -> None:
        """One behavioral gap per category, listing every place that named it."""
        profile = BehavioralProfile(
            traits={"Communication": 1.0}, areas_for_growth=("Improve communication skills",)
        )
        analysis = analyze_gaps(
            session(behavioral_profile=profile),
            result(
                areas_for_growth=("Develop communication skills",), behavioral_traits={"communication": 2.0}
            ),
        )
        (comm,) = analysis.gaps
        assert set(comm.sources) == {
            "session.behavioral_profile.traits",
            "session.behavioral_profile.areas_for_growth",
            "result.areas_for_growth",
            "result.behavioral_traits",
        }
        assert set(comm.reason_codes) == {"behavioral_trait_low", "behavioral_area_for_growth"}

    def test_trait_gaps_can_be_turned_off(self) -> None:
        """trait_growth_below=None keeps only the explicit areas for growth."""
        policy = attrs.evolve(DEFAULT_GAP_POLICY, trait_growth_below=None)
        flat = session(behavioral_profile=BehavioralProfile(traits=self.TRAITS))
        assert analyze_gaps(flat, None, policy=policy).gaps == ()

    def test_unmapped_area_stays_a_gap_without_codes(self) -> None:
        """An area the taxonomy does not know is still a gap, with no codes, and says so."""
        (team,) = analyze_gaps(session(), result(areas_for_growth=("Improve teamwork skills",))).gaps
        assert (team.skill_codes, team.match, team.taxonomy_key) == ((), MatchKind.UNMAPPED, None)
        assert team.reason_codes == ("behavioral_area_for_growth", "category_unmapped")

    def test_blank_entries_and_traits_are_skipped(self) -> None:
        """Blank areas for growth and blank trait names make no gap."""
        profile = BehavioralProfile(traits={" ": 1.0}, areas_for_growth=("  ",))
        assert analyze_gaps(session(behavioral_profile=profile), None).gaps == ()


class TestAnalyzeGaps:
    def test_match_kinds_are_recorded_with_reasons(self) -> None:
        """Normalised and substring matches are recorded on the gap, with a reason each."""
        gaps = analyze_gaps(session(), result({"Cloud Computing": 10.0, "NETWORKING": 20.0})).gaps
        by_category = {g.category: g for g in gaps}
        assert by_category["Cloud Computing"].match is MatchKind.SUBSTRING
        assert by_category["Cloud Computing"].taxonomy_key == "cloud"
        assert by_category["Cloud Computing"].reason_codes == ("aptitude_gap", "taxonomy_match_substring")
        assert by_category["NETWORKING"].match is MatchKind.NORMALISED
        assert by_category["NETWORKING"].reason_codes == ("aptitude_gap", "taxonomy_match_normalised")

    def test_order_and_recommended_codes(self) -> None:
        """Gaps go high first, then by type and score; codes are their de-duplicated union in that order."""
        analysis = analyze_gaps(
            session(technical_exposure_score=45.0),
            result(
                {"web": 50.0, "networking": 30.0, "cloud": 20.0}, areas_for_growth=("Improve web skills",)
            ),
        )
        assert [(g.type.value, g.category, g.priority.value) for g in analysis.gaps] == [
            ("aptitude", "cloud", "high"),
            ("aptitude", "networking", "high"),
            ("aptitude", "web", "medium"),
            ("technical", "technical_exposure", "medium"),
            ("behavioral", "web", "medium"),
        ]
        assert analysis.recommended_skill_codes == (
            "CLOUD", "AWS", "AZURE", "GCP", "NET", "NETW", "TCPIP", "DNS", "HTTP",
            "WEB", "WEBAPP", "OWASP", "XSS", "SQLI", "TECH", "BASICS", "FUNDAMENTALS",
        )  # fmt: skip
        assert (analysis.total_gaps, analysis.total_skills) == (5, 17)

    def test_result_of_another_session_is_ignored(self) -> None:
        """A result naming another session is not used, and the reason says so."""
        analysis = analyze_gaps(session(), result({"networking": 10.0}, session_id=SessionId("s-9")))
        assert (analysis.gaps, analysis.reason_codes) == (
            (),
            ("profiler_analyzed", "result_session_mismatch", "technical_exposure_not_measured"),
        )

    def test_missing_result_still_uses_the_session(self) -> None:
        """Without a result row the session's technical exposure and profile still give gaps."""
        analysis = analyze_gaps(session(technical_exposure_score=10.0), None)
        assert [g.type for g in analysis.gaps] == [GapType.TECHNICAL]
        assert "result_missing" in analysis.reason_codes
        assert (analysis.learner_id, analysis.session_id, analysis.profiler_completed) == ("u-1", "s-1", True)

    def test_result_without_session_id_is_used(self) -> None:
        """A result without session_id is taken as the session's own."""
        analysis = analyze_gaps(session(), result({"linux": 10.0}, session_id=None))
        assert [g.category for g in analysis.gaps] == ["linux"]

    def test_policy_and_taxonomy_are_named(self) -> None:
        """The analysis names the policy and taxonomy it used."""
        custom = DEFAULT_TAXONOMY.extended({"teamwork": ["TEAM"]}, version=2)
        analysis = analyze_gaps(
            session(), result(areas_for_growth=("Improve teamwork skills",)), taxonomy=custom
        )
        assert (str(analysis.policy), str(analysis.taxonomy)) == ("gaps@1", "taxonomy@2")
        assert analysis.recommended_skill_codes == ("TEAM",)

    def test_json_shape(self) -> None:
        """unstructure() renders plain JSON values: enums as strings, policies as id@version."""
        analysis = analyze_gaps(
            session(), result(aptitude_breakdown={"web": CategoryScore.from_counts(correct=1, total=2)})
        )
        data = unstructure_object(analysis)
        assert json.loads(json.dumps(data)) == data
        assert data == {
            "learner_id": "u-1",
            "session_id": "s-1",
            "profiler_completed": True,
            "gaps": [
                {
                    "type": "aptitude",
                    "category": "web",
                    "priority": "medium",
                    "score": 50.0,
                    "evidence": 2,
                    "low_evidence": True,
                    "skill_codes": ["WEB", "WEBAPP", "OWASP", "XSS", "SQLI"],
                    "match": "exact",
                    "taxonomy_key": "web",
                    "sources": ["result.aptitude_breakdown"],
                    "reasons": [
                        {
                            "code": "aptitude_gap",
                            "message": "Aptitude category web scored 50 (< 60): medium priority "
                            "(at least 40).",
                        },
                        {
                            "code": "low_evidence",
                            "message": "Category web rests on 2 question(s), fewer than 3: "
                            "treat the score with caution.",
                        },
                    ],
                }
            ],
            "recommended_skill_codes": ["WEB", "WEBAPP", "OWASP", "XSS", "SQLI"],
            "reasons": [
                {"code": "profiler_analyzed", "message": "Analysed session s-1 under gaps@1 and taxonomy@1."},
                {
                    "code": "technical_exposure_not_measured",
                    "message": "Session s-1 has no technical-exposure score.",
                },
            ],
            "policy": "gaps@1",
            "taxonomy": "taxonomy@1",
        }

    @given(
        st.dictionaries(st.sampled_from(CATEGORIES), st.floats(0, 100), min_size=1),
        st.sampled_from(CATEGORIES),
        st.floats(0, 100),
    )
    def test_property_lowering_a_score_never_removes_its_gap(
        self, breakdown: Mapping[str, float], category: str, lower_by: float
    ) -> None:
        """Lowering a category's score keeps its gap, at the same or a higher priority."""
        assume(category in breakdown)
        before = {g.category: g for g in analyze_gaps(session(), result(breakdown)).gaps}
        lowered = {**breakdown, category: max(0.0, breakdown[category] - lower_by)}
        after = {g.category: g for g in analyze_gaps(session(), result(lowered)).gaps}
        if category in before:
            assert category in after
            assert WEIGHT[after[category].priority] >= WEIGHT[before[category].priority]
        assert set(before) <= set(after)

    @given(strategies_gaps.profiler_inputs())
    def test_property_analysis_is_canonical(
        self, inputs: tuple[ProfilerSession, ProfilerResult | None]
    ) -> None:
        """Gaps are unique by key, in canonical order, and the codes are their de-duplicated union."""
        analysis = analyze_gaps(*inputs)
        keys = [g.key for g in analysis.gaps]
        assert len(keys) == len(set(keys))
        ranks = [WEIGHT[g.priority] for g in analysis.gaps]
        assert ranks == sorted(ranks, reverse=True)
        codes = analysis.recommended_skill_codes
        assert len(codes) == len(set(codes))
        assert set(codes) == {c for g in analysis.gaps for c in g.skill_codes}
        assert analysis.profiler_completed
        assert analysis.reasons

    @given(completed_sessions())
    def test_property_sessions_without_results_still_analyse(self, learner_session: ProfilerSession) -> None:
        """Any completed session analyses without a result, and says the result is missing."""
        analysis = analyze_gaps(learner_session)
        assert analysis.profiler_completed
        assert "result_missing" in analysis.reason_codes

    def test_empty_analysis(self) -> None:
        """empty_analysis() is the fallback with the given reason."""
        reason = Reason(code="profiler_unavailable", message="down")
        empty = empty_analysis(reason, learner_id=UserId("u-7"))
        assert (empty.learner_id, empty.profiler_completed, empty.reasons, empty.gaps) == (
            "u-7",
            False,
            (reason,),
            (),
        )


class TestGapValue:
    @pytest.mark.parametrize(
        ("changes", "field"),
        [
            ({"category": " "}, "category"),
            ({"score": 101.0}, "score"),
            ({"score": math.inf}, "score"),
            ({"evidence": -1}, "evidence"),
        ],
    )
    def test_invalid_gaps_are_rejected(self, changes: Mapping[str, Any], field: str) -> None:
        """A gap with a blank category, an out-of-range score or negative evidence is invalid."""
        with pytest.raises(InvalidValueError) as caught:
            Gap(**{"type": GapType.APTITUDE, "category": "web", "priority": Priority.LOW, **changes})
        assert caught.value.field == field

    def test_codes_are_normalised_and_unique(self) -> None:
        """A gap's codes are normalised and de-duplicated, first appearance kept."""
        assert gap("web", Priority.LOW, ["web", " WEB ", "xss"]).skill_codes == ("WEB", "XSS")


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


MISSION = Mission(
    id=MissionId("m-1"),
    code="M1",
    title="Recon",
    difficulty=MissionDifficulty.BEGINNER,
    skills_tags=("net", "LINUX"),
    subtasks=(
        Subtask(id="t1", required_skills=("LINUX",)),
        Subtask(id="t2", required_skills=("DOC",)),
        Subtask(id="t3", required_skills=("SIEM", " ")),
    ),
    recipe_recommendations=("security-fundamentals",),
)


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


class TestMergeGaps:
    def test_merge_rules(self) -> None:
        """Same key merges: highest priority, lowest score, largest evidence, all sources and codes."""
        a = Gap(
            type=GapType.APTITUDE,
            category="web",
            priority=Priority.MEDIUM,
            score=50.0,
            evidence=2,
            low_evidence=True,
            skill_codes=("WEB",),
            match=MatchKind.SUBSTRING,
            sources=("a",),
        )
        b = Gap(
            type=GapType.APTITUDE,
            category="Web",
            priority=Priority.HIGH,
            score=30.0,
            evidence=5,
            skill_codes=("XSS",),
            match=MatchKind.EXACT,
            taxonomy_key="web",
            sources=("b",),
        )
        (merged,) = merge_gaps([a], [b])
        assert (merged.priority, merged.score, merged.evidence, merged.low_evidence) == (
            Priority.HIGH,
            30.0,
            5,
            False,
        )
        assert (set(merged.skill_codes), set(merged.sources)) == ({"WEB", "XSS"}, {"a", "b"})
        assert (merged.match, merged.taxonomy_key) == (MatchKind.EXACT, "web")

    def test_different_types_stay_apart(self) -> None:
        """A mission gap and an assessment gap on the same code are two gaps, each with its source."""
        merged = merge_gaps(mission_gaps(MISSION, current_subtask=None), skill_assessment_gaps({"NET": 50}))
        assert {(g.type, g.category) for g in merged} == {
            (GapType.MISSION, "LINUX"),
            (GapType.MISSION, "NET"),
            (GapType.SKILL_ASSESSMENT, "NET"),
        }

    @given(st.lists(strategies_gaps.gaps(), max_size=8), st.randoms(use_true_random=False))
    def test_property_order_independent_and_idempotent(self, gaps: list[Gap], rng: random.Random) -> None:
        """Merging does not depend on input order, and merging a merge changes nothing."""
        shuffled = list(gaps)
        rng.shuffle(shuffled)
        merged = merge_gaps(gaps)
        assert merge_gaps(shuffled) == merged
        assert merge_gaps(merged) == merged

    def test_with_gaps(self) -> None:
        """with_gaps() merges more gaps in and says so; nothing to add returns the analysis itself."""
        base = analyze_gaps(session(), result({"web": 10.0}))
        assert with_gaps(base, ()) is base
        merged = with_gaps(base, skill_assessment_gaps({"DNS": 20}))
        assert [g.category for g in merged.gaps] == ["web", "DNS"]
        assert merged.reason_codes[-1] == "gaps_merged"


# --- ranking ------------------------------------------------------------------


class TestRecommendRecipes:
    def test_greedy_marginal_coverage(self) -> None:
        """Each next recipe closes the most not-yet-covered weight; covered gaps add nothing."""
        analysis = analysis_of(
            gap("a", Priority.HIGH, ["A"]), gap("b", Priority.MEDIUM, ["B"]), gap("c", Priority.MEDIUM, ["C"])
        )
        catalogue = [
            recipe("ab", ["A", "B"], usage=10),
            recipe("ac", ["A", "C"], usage=5),
            recipe("c", ["C"], usage=50),
        ]
        ranked = recommend_recipes(analysis, catalogue)
        assert [(r.recipe.id, r.gain, r.coverage) for r in ranked.items] == [
            ("ab", 5, 5),
            ("c", 2, 2),
            ("ac", 0, 5),
        ]
        assert [g.category for g in ranked.items[0].closes] == ["a", "b"]
        assert [g.category for g in ranked.items[2].addressed_gaps] == ["a", "c"]
        assert ranked.items[0].reason_codes == ("closes_gaps",)
        assert ranked.items[2].reason_codes == ("reinforces_covered_gaps",)
        assert (ranked.reason_codes, ranked.candidates, ranked.fallback) == (
            ("ranked_by_coverage",),
            3,
            False,
        )
        assert str(ranked.policy) == "recipe_ranking@1"

    @pytest.mark.parametrize(
        ("catalogue", "order"),
        [
            ([recipe("x", ["A"], usage=1), recipe("y", ["A"], usage=9)], ["y", "x"]),
            ([recipe("x", ["A"], usage=5, rating=3.0), recipe("y", ["A"], usage=5, rating=4.5)], ["y", "x"]),
            (
                [
                    recipe("x", ["A"], usage=5, rating=4.0, slug="b"),
                    recipe("y", ["A"], usage=5, rating=4.0, slug="a"),
                ],
                ["y", "x"],
            ),
        ],
    )
    def test_tie_breaks(self, catalogue: list[Recipe], order: list[str]) -> None:
        """Equal gains are ordered by usage count, then rating, then slug."""
        ranked = recommend_recipes(analysis_of(gap("a", Priority.HIGH, ["A"])), catalogue)
        assert [r.recipe.id for r in ranked.items] == order

    def test_tie_reason_marks_neighbours_with_equal_gain(self) -> None:
        """Neighbours with equal gain both carry tie_broken_by_popularity."""
        analysis = analysis_of(gap("a", Priority.HIGH, ["A"]), gap("b", Priority.HIGH, ["B"]))
        ranked = recommend_recipes(analysis, [recipe("x", ["A"], usage=9), recipe("y", ["B"], usage=1)])
        assert [r.reason_codes for r in ranked.items] == [
            ("closes_gaps", "tie_broken_by_popularity"),
            ("closes_gaps", "tie_broken_by_popularity"),
        ]

    def test_inactive_and_unrelated_recipes_are_not_candidates(self) -> None:
        """Only active recipes sharing a code with a gap are candidates."""
        analysis = analysis_of(gap("a", Priority.HIGH, ["A"]))
        catalogue = [
            recipe("off", ["A"], usage=99, active=False),
            recipe("other", ["Z"], usage=99),
            recipe("on", ["a "]),
        ]
        ranked = recommend_recipes(analysis, catalogue)
        assert [r.recipe.id for r in ranked.items] == ["on"]
        assert ranked.items[0].addressed_codes == ("A",)

    def test_duplicate_ids_keep_one_value(self) -> None:
        """Two values with one id count once: the more popular one."""
        analysis = analysis_of(gap("a", Priority.HIGH, ["A"]))
        ranked = recommend_recipes(analysis, [recipe("r", ["A"], usage=1), recipe("r", ["A"], usage=7)])
        assert [(r.recipe.id, r.recipe.usage_count) for r in ranked.items] == [("r", 7)]
        assert ranked.candidates == 1

    @pytest.mark.parametrize("limit", [0, 1, 2])
    def test_limit(self, limit: int) -> None:
        """At most *limit* recipes are returned."""
        ranked = recommend_recipes(
            analysis_of(gap("a", Priority.HIGH, ["A"])), [recipe(f"r{i}", ["A"]) for i in range(5)], limit
        )
        assert len(ranked.items) == limit

    def test_default_limit_is_ten(self) -> None:
        """The default limit is 10."""
        catalogue = [recipe(f"r{i:02d}", ["A"]) for i in range(15)]
        assert len(recommend_recipes(analysis_of(gap("a", Priority.HIGH, ["A"])), catalogue).items) == 10

    def test_negative_limit_is_rejected(self) -> None:
        """A negative limit raises InvalidValueError."""
        with pytest.raises(InvalidValueError):
            recommend_recipes(analysis_of(), CATALOGUE, -1)

    @pytest.mark.parametrize(
        ("analysis", "code"),
        [
            (analysis_of(), "no_gaps_to_close"),
            (analysis_of(gap("teamwork", Priority.MEDIUM, [])), "no_skill_codes"),
            (analysis_of(gap("a", Priority.HIGH, ["ZZZ"])), "no_matching_recipes"),
        ],
    )
    def test_empty_outcomes_carry_a_reason(self, analysis: GapAnalysis, code: str) -> None:
        """No gaps, no codes or no matching recipe: an empty list with its reason, never the fallback."""
        ranked = recommend_recipes(analysis, CATALOGUE)
        assert (ranked.items, ranked.fallback, ranked.reason_codes) == ((), False, (code,))

    def test_gaps_without_profiler_are_ranked_not_fallback(self) -> None:
        """Gaps from another source rank recipes even without a completed profiler."""
        analysis = with_gaps(analyze_gaps(None), skill_assessment_gaps({"DNS": 20}))
        ranked = recommend_recipes(analysis, CATALOGUE)
        assert (ranked.fallback, ranked.recipes[0].id) == (False, "dns-deep-dive")

    @pytest.mark.parametrize("first_usage", [5, 9])
    def test_fallback_skips_inactive_and_duplicates(self, first_usage: int) -> None:
        """The popularity fallback lists active recipes once each (the more used value), in any order."""
        catalogue = [
            recipe("a", [], usage=first_usage),
            recipe("a", [], usage=14 - first_usage),
            recipe("b", [], usage=99, active=False),
        ]
        ranked = recommend_recipes(analyze_gaps(None), catalogue)
        assert [(r.recipe.id, r.recipe.usage_count) for r in ranked.items] == [("a", 9)]
        assert ranked.candidates == 1

    def test_json_shape(self) -> None:
        """unstructure() renders a recommendation as the recipe's fields plus its ranking, as plain JSON."""
        ranked = recommend_recipes(analysis_of(gap("a", Priority.HIGH, ["A"])), [recipe("r", ["A"], usage=3)])
        data = unstructure_object(ranked.items[0])
        assert json.loads(json.dumps(data)) == data
        assert {
            k: data[k] for k in ("id", "slug", "usage_count", "rank", "gain", "coverage", "fallback")
        } == {
            "id": "r",
            "slug": "r",
            "usage_count": 3,
            "rank": 1,
            "gain": 3,
            "coverage": 3,
            "fallback": False,
        }
        assert (
            data["addressed_gaps"]
            == data["closes"]
            == [{"type": "aptitude", "category": "a", "priority": "high"}]
        )
        assert data["addressed_codes"] == ["A"]
        assert data["reasons"] == [
            {
                "code": "closes_gaps",
                "message": "Rank 1: closes 3 not-yet-covered gap weight: a (aptitude, high).",
            }
        ]

    @given(strategies_gaps.gap_analyses(), st.lists(strategies_gaps.catalogue_recipes(), max_size=25))
    def test_property_every_recommendation_shares_a_code_with_a_gap(
        self, analysis: GapAnalysis, catalogue: list[Recipe]
    ) -> None:
        """Every recommended recipe (outside the fallback) shares a skill code with some gap."""
        ranked = recommend_recipes(analysis, catalogue)
        gap_codes = set(analysis.recommended_skill_codes)
        for item in ranked.items:
            assert item.fallback == ranked.fallback
            if not item.fallback:
                assert {c.strip().upper() for c in item.recipe.skill_codes} & gap_codes
                assert item.recipe.is_active

    @given(strategies_gaps.gap_analyses(), st.lists(strategies_gaps.catalogue_recipes(), max_size=25))
    def test_property_no_recipe_twice(self, analysis: GapAnalysis, catalogue: list[Recipe]) -> None:
        """No recipe id appears twice."""
        ids = [r.recipe.id for r in recommend_recipes(analysis, catalogue).items]
        assert len(ids) == len(set(ids))

    @given(strategies_gaps.gap_analyses(), st.lists(strategies_gaps.catalogue_recipes(), max_size=25))
    def test_property_first_covers_at_least_any_single_recipe(
        self, analysis: GapAnalysis, catalogue: list[Recipe]
    ) -> None:
        """The first recommendation covers at least as much gap weight as any other single recipe."""
        ranked = recommend_recipes(analysis, catalogue)
        # Two values of one id are one recipe: the one the ranking keeps is compared.
        best_single = max((recipe_weight(r, analysis) for r in candidates(analysis, catalogue)), default=0)
        if ranked.fallback or not ranked.items:
            assert best_single == 0
        else:
            first = ranked.items[0]
            assert first.gain == recipe_weight(first.recipe, analysis) == best_single

    @given(
        strategies_gaps.gap_analyses(),
        st.lists(strategies_gaps.catalogue_recipes(), max_size=25),
        st.randoms(use_true_random=False),
    )
    def test_property_input_order_does_not_matter(
        self, analysis: GapAnalysis, catalogue: list[Recipe], rng: random.Random
    ) -> None:
        """Shuffling the catalogue never changes the recommendations."""
        shuffled = list(catalogue)
        rng.shuffle(shuffled)
        assert recommend_recipes(analysis, shuffled) == recommend_recipes(analysis, catalogue)

    @given(
        strategies_gaps.gap_analyses(),
        st.lists(strategies_gaps.catalogue_recipes(), max_size=25),
        st.integers(0, 12),
    )
    def test_property_equals_the_naive_greedy(
        self, analysis: GapAnalysis, catalogue: list[Recipe], limit: int
    ) -> None:
        """The lazy, grouped greedy picks exactly what re-scanning every candidate at every step picks."""
        ranked = recommend_recipes(analysis, catalogue, limit)
        assume(not ranked.fallback)
        assert [(r.recipe.id, r.gain) for r in ranked.items] == naive_greedy(analysis, catalogue, limit)


class TestRecipesByCode:
    def test_index(self) -> None:
        """Codes are normalised keys; only active recipes, most popular first, each once per code."""
        index = recipes_by_code(
            [
                recipe("a", ["dns", " DNS ", "net"], usage=5),
                recipe("b", ["DNS"], usage=9),
                recipe("c", ["DNS"], usage=99, active=False),
                recipe("d", [], usage=1),
            ]
        )
        assert {code: [r.id for r in found] for code, found in index.items()} == {
            "DNS": ["b", "a"],
            "NET": ["a"],
        }

    @pytest.mark.parametrize("reverse", [False, True])
    def test_duplicate_ids_follow_the_ranking_rule(self, reverse: bool) -> None:
        """Two values with one id and equal popularity: the same one is kept whatever the input order."""
        twins = [
            recipe("r", ["DNS"], slug="same"),
            attrs.evolve(recipe("r", ["DNS"], slug="same"), title="B"),
        ]
        kept = recipes_by_code(twins[::-1] if reverse else twins)["DNS"]
        assert kept == recommend_recipes(analysis_of(gap("dns", Priority.HIGH, ["DNS"])), twins).recipes
        assert len(kept) == 1

    @given(
        st.lists(strategies_gaps.catalogue_recipes(), max_size=25),
        st.sampled_from(SKILL_CODES),
        st.sampled_from(Priority),
    )
    def test_property_is_the_ranking_for_one_code(
        self, catalogue: list[Recipe], code: str, priority: Priority
    ) -> None:
        """For a gap holding one code, the index lists exactly what recommend_recipes ranks, in order."""
        ranked = recommend_recipes(analysis_of(gap("one", priority, [code])), catalogue, len(catalogue))
        assert recipes_by_code(catalogue).get(normalise_code(code), ()) == ranked.recipes


class TestMissionStageRecipes:
    CATALOGUE = (
        recipe("linux-cli", ["LINUX"], usage=100),
        recipe("bash", ["LINUX", "BASH"], usage=10),
        recipe("reports", ["DOC"], usage=50),
        recipe("python", ["PYTHON"], usage=999),
        recipe("unrelated", ["ZZZ"], usage=999, slug="security-fundamentals"),
        recipe("tcp", ["net"], usage=1),
    )

    def test_stage_ranking(self) -> None:
        """Current-subtask skills first, then the next subtask's, then tags and explicit recommendations."""
        ranked = mission_stage_recipes(MISSION, self.CATALOGUE, limit=10)
        assert [(r.recipe.id, r.gain) for r in ranked.items] == [
            ("linux-cli", 3),
            ("unrelated", 2),
            ("reports", 2),
            ("tcp", 1),
            ("bash", 0),
        ]
        assert ranked.items[1].reason_codes == ("mission_recommended", "tie_broken_by_popularity")
        assert ranked.reason_codes == ("mission_stage", "ranked_by_coverage")

    def test_profiler_gaps_lift_a_recipe(self) -> None:
        """A recipe that also closes the learner's own gap outranks one that only serves the mission."""
        analysis = analyze_gaps(session(), result({"programming": 10.0}))
        ranked = mission_stage_recipes(MISSION, self.CATALOGUE, analysis=analysis, limit=2)
        assert [r.recipe.id for r in ranked.items] == ["bash", "unrelated"]
        assert ranked.items[0].reason_codes == ("closes_gaps", "also_closes_profiler_gap")
        assert "python" not in [r.recipe.id for r in ranked.items]

    def test_recipes_serving_only_profiler_gaps_are_not_candidates(self) -> None:
        """A recipe sharing only a profiler code is not a mission-stage recipe."""
        analysis = analyze_gaps(session(), result({"programming": 10.0}))
        ranked = mission_stage_recipes(MISSION, self.CATALOGUE, analysis=analysis)
        assert "python" not in {r.recipe.id for r in ranked.items}

    def test_no_current_subtask_and_no_match(self) -> None:
        """An unknown subtask counts the tags only; no matching recipe gives its reason."""
        ranked = mission_stage_recipes(MISSION, [recipe("x", ["ZZZ"])], current_subtask="nope")
        assert (ranked.items, ranked.reason_codes) == (
            (),
            ("mission_stage", "no_current_subtask", "no_matching_recipes"),
        )

    def test_deduplicated_by_id(self) -> None:
        """The same recipe listed twice (by code query and explicit query) appears once."""
        twice = [recipe("linux-cli", ["LINUX"], usage=100), recipe("linux-cli", ["LINUX"], usage=100)]
        assert [r.recipe.id for r in mission_stage_recipes(MISSION, twice).items] == ["linux-cli"]


class TestNextBestRecipes:
    def test_assessments_merge_with_profiler_gaps(self) -> None:
        """Assessment gaps join the profiler's, each keeping its source; default limit is 3."""
        analysis = analyze_gaps(session(), result({"cloud": 10.0}))
        ranked = next_best_recipes(
            analysis, CATALOGUE, skill_assessments={"DNS": {"score": 30, "level": "beginner"}}
        )
        assert [r.recipe.id for r in ranked.items] == ["aws-iam", "dns-deep-dive"]
        assert ranked.items[1].closes[0].type is GapType.SKILL_ASSESSMENT

    def test_completed_recipes_are_left_out(self) -> None:
        """Completed recipes (by id or slug) are never suggested again, and the reason says so."""
        analysis = analyze_gaps(session(), result({"networking": 10.0}))
        ranked = next_best_recipes(analysis, CATALOGUE, completed=("tcp-ip-basics", " "))
        assert [r.recipe.id for r in ranked.items] == ["dns-deep-dive"]
        assert ranked.reason_codes == ("ranked_by_coverage", "completed_recipes_excluded")

    def test_nothing_known_falls_back(self) -> None:
        """No analysis and no assessment gap: the labelled popularity fallback, minus completed recipes."""
        ranked = next_best_recipes(None, CATALOGUE, skill_assessments={"DNS": 95}, completed=("aws-iam",))
        assert ranked.fallback
        assert [r.recipe.id for r in ranked.items] == [
            "owasp-top-ten",
            "python-for-security",
            "security-fundamentals",
        ]
        assert ranked.reason_codes == ("popularity_fallback", "completed_recipes_excluded")

    def test_assessments_alone_rank(self) -> None:
        """Without a profiler, assessment gaps still rank recipes (not a fallback)."""
        ranked = next_best_recipes(
            None, CATALOGUE, skill_assessments=[SkillAssessment(skill_code="comm", score=10)]
        )
        assert (ranked.fallback, [r.recipe.id for r in ranked.items]) == (
            False,
            ["clear-incident-reports", "leading-a-war-room"],
        )

    def test_completed_profiler_without_gaps(self) -> None:
        """A completed profiler without gaps recommends nothing, with its reason."""
        ranked = next_best_recipes(analyze_gaps(session(), result()), CATALOGUE)
        assert (ranked.items, ranked.reason_codes) == ((), ("no_gaps_to_close",))

    def test_result_type(self) -> None:
        """next_best_recipes returns RecipeRecommendations like the other rankings."""
        assert isinstance(next_best_recipes(None, ()), RecipeRecommendations)
