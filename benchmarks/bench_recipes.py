"""Recipe engine: gap analysis plus ranking for one learner, beside the platform's naive ranking.

Both run over the same catalogue of :class:`~profiler_core.models.Recipe` values
in one process, for 1,000, 10,000 and 100,000 recipes, and return 10 recipes:

* **baseline**: what the platform did, in plain Python: read the aptitude
  breakdown as numbers, map each category below 60 (and technical exposure
  below 60, and the areas for growth) to skill codes with a dict, keep the
  active recipes whose codes overlap, sort them by usage count, take 10;
* **profiler_core**: :func:`profiler_core.gaps.analyze_gaps` (both breakdown
  shapes, evidence, taxonomy lookup with match kinds, behavioral traits) and
  :func:`profiler_core.gaps.recommend_recipes` (greedy marginal weighted
  coverage with tie-breaks, de-duplication by id, and reasons for every pick).

Each is timed as the best of several interleaved repetitions after one warm-up run. Target
(issue 3): ratio <= 3 at 10,000 recipes, and a cost per recipe that stays flat
from 1k to 100k (linear growth). Beside them, **indexed**: the same library call
over a :class:`~profiler_core.recipe_catalogue.RecipeCatalogue` built once (issue 15;
its build time is printed apart, and its ratio to the baseline), checked equal to the
plain call first. The
benchmark prints numbers; it asserts nothing.
"""

from __future__ import annotations

import functools
import random
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime

from profiler_core.gaps import analyze_gaps
from profiler_core.models import (
    BehavioralProfile,
    CategoryScore,
    ProfilerResult,
    ProfilerSession,
    Recipe,
    RecipeId,
    SessionId,
    UserId,
)
from profiler_core.recipe_catalogue import RecipeCatalogue
from profiler_core.recipe_ranking import recommend_recipes
from profiler_core.taxonomy import DEFAULT_TAXONOMY_CATEGORIES
from profiler_core.vocabulary import SessionStatus

__all__ = ["main", "build_catalogue", "build_learner", "baseline_top", "library_top", "indexed_top"]

SIZES = (1_000, 10_000, 100_000)
LIMIT = 10
_EXTRA_CODES = tuple(f"X{n:02d}" for n in range(40))  # tags outside the taxonomy


def build_catalogue(size: int, seed: int = 3) -> list[Recipe]:
    """*size* recipes with 1-4 codes each, drawn from the taxonomy's codes and 40 others; 5% inactive."""
    rng = random.Random(seed)
    pool = [code for codes in DEFAULT_TAXONOMY_CATEGORIES.values() for code in codes] + list(_EXTRA_CODES)
    return [
        Recipe(
            id=RecipeId(f"r-{n}"),
            slug=f"recipe-{n}",
            title=f"Recipe {n}",
            skill_codes=tuple(rng.sample(pool, rng.randint(1, 4))),
            usage_count=rng.randint(0, 50_000),
            avg_rating=round(rng.uniform(1, 5), 1),
            is_active=rng.random() > 0.05,
        )
        for n in range(size)
    ]


def build_learner() -> tuple[ProfilerSession, ProfilerResult]:
    """One learner with aptitude, technical and behavioral gaps (counts-shape breakdown, flat profile)."""
    counts = {
        "networking": (1, 5),
        "security": (2, 5),
        "programming": (4, 5),
        "cloud": (2, 4),
        "web": (0, 0),
        "cryptography": (3, 4),
    }
    session = ProfilerSession(
        id=SessionId("s-1"),
        user_id=UserId("u-1"),
        status=SessionStatus.FINISHED,
        completed_at=datetime(2026, 11, 1, tzinfo=UTC),
        technical_exposure_score=35.0,
        technical_exposure_answered=10,
        behavioral_profile=BehavioralProfile(traits={"communication": 2.1, "leadership": 3.8}),
    )
    result = ProfilerResult(
        session_id=SessionId("s-1"),
        aptitude_breakdown={
            c: CategoryScore.from_counts(correct=right, total=total) for c, (right, total) in counts.items()
        },
        areas_for_growth=("Develop documentation skills",),
    )
    return session, result


_PLATFORM_MAP: Mapping[str, Sequence[str]] = {
    **DEFAULT_TAXONOMY_CATEGORIES,
    "technical exposure": DEFAULT_TAXONOMY_CATEGORIES["technical_exposure"],
}


def baseline_top(session: ProfilerSession, result: ProfilerResult, recipes: Sequence[Recipe]) -> list[Recipe]:
    """The platform's way: numeric scores below 60 -> codes; overlap filter; sort by usage; take 10."""
    codes: set[str] = set()
    for category, value in result.aptitude_breakdown.items():
        if value.score is not None and value.score < 60:
            codes.update(_PLATFORM_MAP.get(category, ()))
    if session.technical_exposure_score is not None and session.technical_exposure_score < 60:
        codes.update(_PLATFORM_MAP["technical exposure"])
    for area in result.areas_for_growth:
        category = area.replace("Improve ", "").replace("Develop ", "").replace(" skills", "").lower()
        codes.update(_PLATFORM_MAP.get(category, ()))
    matching = [r for r in recipes if r.is_active and codes.intersection(r.skill_codes)]
    matching.sort(key=lambda r: r.usage_count, reverse=True)
    return matching[:LIMIT]


def library_top(session: ProfilerSession, result: ProfilerResult, recipes: Sequence[Recipe]) -> list[Recipe]:
    """profiler_core: the full gap analysis and the explained coverage ranking."""
    analysis = analyze_gaps(session, result)
    return list(recommend_recipes(analysis, recipes, LIMIT).recipes)


def indexed_top(session: ProfilerSession, result: ProfilerResult, catalogue: RecipeCatalogue) -> list[Recipe]:
    """profiler_core over a catalogue indexed once: the same analysis and ranking."""
    analysis = analyze_gaps(session, result)
    return list(recommend_recipes(analysis, catalogue, LIMIT).recipes)


def _best_of(repeats: int, *runs: Callable[[], object]) -> list[float]:
    """The best time of each run over *repeats* rounds, interleaved so that both see the same load."""
    for run in runs:
        run()
    best = [float("inf")] * len(runs)
    for _ in range(repeats):
        for index, run in enumerate(runs):
            start = time.perf_counter()
            run()
            best[index] = min(best[index], time.perf_counter() - start)
    return best


def main() -> None:
    """Print baseline and library times, their ratio, and the library's cost per recipe."""
    session, result = build_learner()
    analysis = analyze_gaps(session, result)
    print(
        f"One learner: {analysis.total_gaps} gaps, {analysis.total_skills} skill codes "
        f"({', '.join(f'{g.category}:{g.priority.value}' for g in analysis.gaps)})."
    )
    print(
        f"{'recipes':>8}  {'baseline ms':>11}  {'library ms':>10}  {'ratio':>5}  "
        f"{'baseline us/recipe':>18}  {'library us/recipe':>17}  {'indexed ms':>10}  {'idx ratio':>9}  "
        f"{'index build ms':>14}"
    )
    per_recipe = []
    base_per_recipe = []
    for size in SIZES:
        catalogue = build_catalogue(size)
        start = time.perf_counter()
        index = RecipeCatalogue.build(catalogue)
        build = time.perf_counter() - start
        if indexed_top(session, result, index) != library_top(session, result, catalogue):
            raise AssertionError(f"the indexed ranking differs at {size:,} recipes")
        repeats = 5 if size >= 100_000 else 25
        base, ours, indexed = _best_of(
            repeats,
            functools.partial(baseline_top, session, result, catalogue),
            functools.partial(library_top, session, result, catalogue),
            functools.partial(indexed_top, session, result, index),
        )
        per_recipe.append(ours / size * 1e6)
        base_per_recipe.append(base / size * 1e6)
        print(
            f"{size:>8,}  {base * 1000:>11.2f}  {ours * 1000:>10.2f}  {ours / base:>5.2f}  "
            f"{base_per_recipe[-1]:>18.3f}  {per_recipe[-1]:>17.3f}  {indexed * 1000:>10.3f}  "
            f"{indexed / base:>9.2f}  {build * 1000:>14.1f}"
        )
    print(
        f"Growth of the cost per recipe from {SIZES[0]:,} to {SIZES[-1]:,}: library "
        f"{per_recipe[-1] / per_recipe[0]:.2f}x, baseline {base_per_recipe[-1] / base_per_recipe[0]:.2f}x "
        "(1.00 = linear; both include the same memory effects). Target: ratio <= 3 at 10,000."
    )


if __name__ == "__main__":
    main()
