"""Hypothesis strategies for the recipe engine's values (needs ``hypothesis``).

Every strategy builds valid values; codes and categories come from
:data:`~profiler_core.testing.strategies.SKILL_CODES` and
:data:`~profiler_core.testing.strategies.CATEGORIES`, which the default
taxonomy maps, so generated recipes and gaps overlap often.
"""

from __future__ import annotations

from hypothesis import strategies as st

from profiler_core.gap_policy import GapPolicy
from profiler_core.gap_sources import SkillAssessment
from profiler_core.gaps import Gap, GapAnalysis, analyze_gaps, with_gaps
from profiler_core.models import (
    BehavioralProfile,
    ProfilerResult,
    ProfilerSession,
    Recipe,
    RecipeId,
    SessionId,
)
from profiler_core.taxonomy import DEFAULT_TAXONOMY, MatchKind, Taxonomy
from profiler_core.testing.strategies import CATEGORIES, SKILL_CODES, category_scores, ids, scores, user_ids
from profiler_core.vocabulary import GapType, Priority, SessionStatus

__all__ = [
    "skill_assessments",
    "gaps",
    "taxonomies",
    "gap_policies",
    "profiler_inputs",
    "gap_analyses",
    "catalogue_recipes",
]


def skill_assessments() -> st.SearchStrategy[SkillAssessment]:
    """An assessment of one skill code, with or without a level."""
    return st.builds(
        SkillAssessment,
        skill_code=st.sampled_from(SKILL_CODES),
        score=scores(),
        level=st.none() | st.sampled_from(("beginner", "intermediate", "advanced")),
    )


@st.composite
def gaps(draw: st.DrawFn) -> Gap:
    """A gap of any type and priority, mapped or not."""
    codes = tuple(draw(st.lists(st.sampled_from(SKILL_CODES), max_size=3, unique=True)))
    evidence = draw(st.none() | st.integers(0, 20))
    return Gap(
        type=draw(st.sampled_from(GapType)),
        category=draw(st.sampled_from((*CATEGORIES, "teamwork"))),
        priority=draw(st.sampled_from(Priority)),
        score=draw(st.none() | scores()),
        evidence=evidence,
        low_evidence=evidence is not None and evidence < 3,
        skill_codes=codes,
        match=draw(st.sampled_from(MatchKind)) if codes else MatchKind.UNMAPPED,
        sources=tuple(
            draw(st.lists(st.sampled_from(("a", "b", "skill_assessment")), max_size=2, unique=True))
        ),
    )


@st.composite
def taxonomies(draw: st.DrawFn) -> Taxonomy:
    """A taxonomy over some categories, each with one to three distinct codes."""
    keys = draw(st.lists(st.sampled_from(CATEGORIES), min_size=1, unique=True))
    categories = {
        key: draw(st.lists(st.sampled_from(SKILL_CODES), min_size=1, max_size=3, unique=True)) for key in keys
    }
    return Taxonomy(
        id=draw(st.sampled_from(("taxonomy", "host-taxonomy"))),
        version=draw(st.integers(1, 9)),
        categories=categories,
        min_substring=draw(st.integers(1, 5)),
    )


@st.composite
def gap_policies(draw: st.DrawFn) -> GapPolicy:
    """A consistent gap policy (thresholds in order)."""
    gap_below = draw(scores())
    assessment_gap_below = draw(scores())
    return GapPolicy(
        version=draw(st.integers(1, 9)),
        gap_below=gap_below,
        high_below=draw(st.floats(min_value=0, max_value=gap_below)),
        min_evidence=draw(st.integers(0, 6)),
        no_evidence_priority=draw(st.none() | st.sampled_from(Priority)),
        trait_growth_below=draw(st.none() | st.floats(min_value=0, max_value=5)),
        assessment_gap_below=assessment_gap_below,
        assessment_high_below=draw(st.floats(min_value=0, max_value=assessment_gap_below)),
    )


_AREAS = (
    "Improve communication skills",
    "Develop leadership skills",
    "Improve teamwork skills",
    "Develop web skills",
    "Time management",
)


@st.composite
def profiler_inputs(draw: st.DrawFn) -> tuple[ProfilerSession, ProfilerResult | None]:
    """A completed session with what gap analysis reads, and usually its own result.

    Only the fields the analysis reads vary (technical exposure, the behavioral
    profile in either shape, the breakdown in either shape, areas for growth);
    the result's ``session_id`` is the session's or ``None``.
    """
    traits = st.dictionaries(
        st.sampled_from(("communication", "leadership", "documentation", "teamwork")),
        st.floats(min_value=0, max_value=5),
    )
    areas = st.lists(st.sampled_from(_AREAS), max_size=3).map(tuple)
    profile = draw(
        st.builds(BehavioralProfile, traits=traits)
        | st.builds(BehavioralProfile, traits=traits, areas_for_growth=areas)
    )
    session = ProfilerSession(
        id=SessionId(draw(ids("s"))),
        user_id=draw(user_ids()),
        status=draw(st.sampled_from((SessionStatus.FINISHED, SessionStatus.LOCKED))),
        technical_exposure_score=draw(st.none() | scores()),
        technical_exposure_answered=draw(st.none() | st.integers(1, 30)),
        behavioral_profile=profile,
    )
    result = draw(
        st.none()
        | st.builds(
            ProfilerResult,
            session_id=st.sampled_from((None, session.id)),
            aptitude_breakdown=st.dictionaries(st.sampled_from(CATEGORIES), category_scores()),
            behavioral_traits=traits,
            areas_for_growth=areas,
        )
    )
    return session, result


@st.composite
def gap_analyses(draw: st.DrawFn) -> GapAnalysis:
    """An analysis of a generated completed session (or the fallback), often with extra merged gaps."""
    if draw(st.integers(0, 9)) == 0:
        analysis = analyze_gaps(None, taxonomy=DEFAULT_TAXONOMY)
    else:
        session, result = draw(profiler_inputs())
        analysis = analyze_gaps(session, result)
    return with_gaps(analysis, draw(st.lists(gaps(), max_size=4)))


def catalogue_recipes() -> st.SearchStrategy[Recipe]:
    """A recipe whose codes are drawn (in any case) from the codes gaps use; ids collide sometimes."""
    return st.builds(
        Recipe,
        id=st.integers(0, 30).map(lambda n: RecipeId(f"r-{n}")),
        slug=ids("recipe"),
        title=st.just("Recipe"),
        skill_codes=st.lists(
            st.sampled_from(SKILL_CODES).flatmap(lambda c: st.sampled_from((c, c.lower(), f" {c} "))),
            max_size=4,
        ).map(tuple),
        usage_count=st.integers(0, 50),
        avg_rating=st.sampled_from((0.0, 2.5, 4.0, 5.0)),
        is_active=st.booleans(),
    )
