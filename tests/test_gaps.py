"""Tests for profiler_core.gaps: gap analysis, merging and the module layout (SPEC §4)."""

from __future__ import annotations

import ast
import importlib
import json
import math
import random
from collections.abc import Mapping
from pathlib import Path
from typing import Any, ClassVar

import attrs
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from tests.gap_builders import (
    CATALOGUE,
    MISSION,
    SOFT_CODES,
    WEIGHT,
    gap,
    result,
    session,
    view,
)

import profiler_core
import profiler_core.gaps as gaps_module
from profiler_core.decisions import Reason
from profiler_core.errors import InvalidValueError
from profiler_core.gap_sources import (
    mission_gaps,
    skill_assessment_gaps,
)
from profiler_core.gaps import (
    DEFAULT_GAP_POLICY,
    TECHNICAL_EXPOSURE_CATEGORY,
    Gap,
    analyze_gaps,
    area_for_growth_category,
    empty_analysis,
    merge_gaps,
    with_gaps,
)
from profiler_core.models import (
    BehavioralProfile,
    CategoryScore,
    ProfilerResult,
    ProfilerSession,
    SessionId,
    UserId,
)
from profiler_core.recipe_ranking import (
    recommend_recipes,
)
from profiler_core.serialization import structure, unstructure_object
from profiler_core.taxonomy import (
    DEFAULT_TAXONOMY,
    MatchKind,
)
from profiler_core.testing import strategies_gaps
from profiler_core.testing.strategies import CATEGORIES, completed_sessions
from profiler_core.vocabulary import GapType, Priority, SessionStatus

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


# --- module layout ------------------------------------------------------------


DOMAIN_MODULES = ("gaps", "gap_policy", "gap_sources", "taxonomy", "recipe_ranking", "_greedy_coverage")


def imported_modules(module: str) -> set[str]:
    tree = ast.parse((Path(profiler_core.__file__).parent / f"{module}.py").read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


class TestModuleLayout:
    @pytest.mark.parametrize("module", DOMAIN_MODULES)
    def test_domain_modules_do_not_import_the_wire_edge(self, module: str) -> None:
        """Gap analysis, policy, sources, taxonomy and ranking never import profiler_core.serialization."""
        assert "profiler_core.serialization" not in imported_modules(module)

    @pytest.mark.parametrize(
        ("home", "names"),
        [
            (
                "profiler_core.taxonomy",
                (
                    "MatchKind",
                    "TaxonomyMatch",
                    "Taxonomy",
                    "DEFAULT_TAXONOMY_CATEGORIES",
                    "DEFAULT_TAXONOMY",
                    "normalise_code",
                ),
            ),
            ("profiler_core.gap_policy", ("GapPolicy", "DEFAULT_GAP_POLICY")),
            (
                "profiler_core.gap_sources",
                ("SkillAssessment", "parse_skill_assessments", "skill_assessment_gaps", "mission_gaps"),
            ),
            (
                "profiler_core.recipe_ranking",
                (
                    "RankingPolicy",
                    "DEFAULT_RANKING_POLICY",
                    "RecipeRecommendation",
                    "RecipeRecommendations",
                    "recipe_popularity_key",
                    "recipes_by_code",
                    "recommend_recipes",
                    "mission_stage_recipes",
                    "next_best_recipes",
                ),
            ),
        ],
    )
    def test_moved_names_stay_importable_from_gaps(self, home: str, names: tuple[str, ...]) -> None:
        """Every name that left profiler_core.gaps is still importable from it, as the same object.

        The taxonomy and ranking names are deprecated there: each warns and is out of ``__all__``;
        the policy and the gap sources stay for good, listed and silent.
        """
        module = importlib.import_module(home)
        deprecated = home in {"profiler_core.taxonomy", "profiler_core.recipe_ranking"}
        for name in names:
            if deprecated:
                with pytest.warns(DeprecationWarning, match=f"importing {name} from profiler_core.gaps"):
                    found = getattr(gaps_module, name)
            else:
                found = getattr(gaps_module, name)
            assert found is getattr(module, name), name
            assert (name in gaps_module.__all__) is not deprecated, name

    def test_unknown_attribute_is_an_attribute_error(self) -> None:
        """The lazy re-export does not swallow typos: an unknown name raises AttributeError."""
        with pytest.raises(AttributeError, match="no attribute 'recommend_recipe'"):
            _ = gaps_module.recommend_recipe
