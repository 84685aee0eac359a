"""Builders shared by the gap, gap-source, taxonomy and recipe-ranking tests."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs
from tests import builders

from profiler_core.gaps import (
    DEFAULT_GAP_POLICY,
    Gap,
    GapAnalysis,
    with_gaps,
)
from profiler_core.models import (
    CategoryScore,
    Mission,
    MissionId,
    ProfilerResult,
    ProfilerSession,
    Recipe,
    RecipeId,
    SessionId,
    Subtask,
)
from profiler_core.taxonomy import (
    DEFAULT_TAXONOMY,
)
from profiler_core.vocabulary import GapType, MissionDifficulty, Priority

WEIGHT = {Priority.HIGH: 3, Priority.MEDIUM: 2, Priority.LOW: 1}


def session(**changes: Any) -> ProfilerSession:
    """The shared session builder (tests/builders.py): a finished s-1 of u-1, fields by attribute name."""
    return builders.session(**changes)


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
