"""Small-cohort protection (SPEC §9): which published cells are suppressed under k.

:class:`SuppressionPolicy` holds the threshold *k*; the private machinery below
protects a set of cohorts and their enterprise rollup together (primary and
complementary suppression), for :mod:`profiler_core.reports` to publish.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from itertools import accumulate
from types import MappingProxyType
from typing import Final

from attrs import field, frozen

from profiler_core.analytics import (
    _DIFFICULTY_KEYS,
    _SCORE_KINDS,
    _TRACK_KEYS,
    AnalyticsPartial,
    CohortStats,
    ReadinessBand,
    _month_label,
)
from profiler_core.decisions import Policy
from profiler_core.errors import PolicyError
from profiler_core.models import Cohort, CohortId

__all__ = ["SuppressionPolicy", "DEFAULT_SUPPRESSION_POLICY"]


@frozen(kw_only=True)
class SuppressionPolicy(Policy):
    """Small-cohort protection: the threshold *k* (SPEC §9).

    A published count of 1 to ``k - 1`` learners, and a statistics block over
    fewer than ``k`` learners, is suppressed; complementary cells are
    suppressed so that no suppressed count can be recomputed (see
    ``docs/reference/analytics.md``). ``k = 1`` suppresses nothing.

    Attributes:
        id: policy id (``"suppression"``).
        version: policy version.
        k: the smallest group of learners a published figure may describe.
    """

    id: str = "suppression"
    version: int = 1
    k: int = field(default=5)

    @k.validator
    def _check_k(self, _attribute: object, k: int) -> None:
        if k < 1:
            raise PolicyError(policy=str(self.ref), reason="k must be an integer >= 1")


#: k = 5.
DEFAULT_SUPPRESSION_POLICY = SuppressionPolicy()


# --- suppression ------------------------------------------------------------------
#
# Every count a report can publish is a *cell* of a row (a cohort, or the
# enterprise rollup). Within a row, cells are tied by sum relations (a tree:
# total = profiled + not_profiled, profiled = sum of track buckets, ...).
# Across rows, the rollup cell of a kind is the sum of the cohorts' cells
# (exactly so when no learner is in two cohorts; treating it as exact is the
# cautious side). Suppression runs in two phases:
#
# 1. per row: cells of 1..k-1 learners are suppressed (primary), then, while a
#    relation holds exactly one suppressed cell, a complement is added: the
#    positive cell of that relation with the fewest dependent relations, then
#    the smallest. Each relation then holds 0 or >= 2 suppressed cells, all
#    positive, which on a tree means every suppressed cell can move by +-1
#    (compensated inside the pattern) without changing a published cell.
# 2. across rows: each cohort's own pattern is copied onto a partner cohort that
#    is positive on it (the cheapest), or onto the rollup when none is; each
#    rollup primary gets the pattern of a cohort that holds it. A move in one
#    row is then compensated by the opposite move in the partner (or the same
#    move in the rollup), so every column sum is preserved too.
#
# Statistics blocks and strengths are cells without relations: a block over
# 1..k-1 learners (a strength named by 1..k-1 learners) is paired the same way.


_READINESS_KINDS: Final = tuple(f"readiness.{band.value}" for band in ReadinessBand)
_TRACK_KINDS: Final = tuple(f"track.{key}" for key in _TRACK_KEYS)
_TRACK_LABELS: Final = MappingProxyType(
    {**{key: key.title() for key in _TRACK_KEYS}, "grc": "GRC", "none": "No track"}
)
_DIFFICULTY_KINDS: Final = tuple(f"difficulty.{key}" for key in _DIFFICULTY_KEYS)
_SCORE_CELLS: Final = tuple(
    (kind, f"{kind}.count", f"{kind}.missing", f"block.{kind}") for kind in _SCORE_KINDS
)
_READINESS_CELLS: Final = tuple(
    (kind, band.bounds[1]) for band, kind in zip(ReadinessBand, _READINESS_KINDS, strict=True)
)


class _Row:
    """One row of the suppression universe (mutable while suppression runs)."""

    __slots__ = ("key", "own", "parts", "positive", "stats", "suppressed", "values")

    def __init__(self, key: str, stats: CohortStats, values: dict[str, int]) -> None:
        self.key = key
        self.stats = stats
        self.values = values
        #: The cells holding at least one learner (values never change once built).
        self.positive = frozenset(cell for cell, value in values.items() if value > 0)
        #: The row's own pattern (phase 1) and its independent parts.
        self.own: frozenset[str] = frozenset()
        self.parts: list[frozenset[str]] = []
        self.suppressed: set[str] = set()


class _Layout:
    """The relations between a row's cells, for one universe (its months vary)."""

    __slots__ = ("child_of", "cost", "months", "of_kind", "relations", "zero_kinds")

    def __init__(self, months: Sequence[str]) -> None:
        self.months = tuple(months)
        month_kinds = (*(f"month.{m}" for m in self.months), "month.undated")
        #: The cells that are 0 unless the statistics say otherwise.
        self.zero_kinds = (*_READINESS_KINDS, *_TRACK_KINDS, *_DIFFICULTY_KINDS, *month_kinds)
        relations: list[tuple[str, ...]] = [("total", "profiled", "not_profiled")]
        relations += [("profiled", f"{kind}.count", f"{kind}.missing") for kind in _SCORE_KINDS]
        relations += [
            ("overall.count", *_READINESS_KINDS),
            ("profiled", *_TRACK_KINDS),
            ("profiled", *_DIFFICULTY_KINDS),
            ("profiled", *month_kinds),
        ]
        # Each relation is (parent, *children): parent = sum(children).
        self.relations = relations
        self.of_kind: dict[str, list[int]] = {}
        #: How many sums a cell is the total of (0 for a leaf).
        self.cost: dict[str, int] = {}
        #: The sum a cell is a term of.
        self.child_of: dict[str, int] = {}
        for index, cells in enumerate(relations):
            self.cost[cells[0]] = self.cost.get(cells[0], 0) + 1
            for cell in cells:
                self.of_kind.setdefault(cell, []).append(index)
            for cell in cells[1:]:
                self.child_of[cell] = index

    def cells(self, stats: CohortStats) -> dict[str, int]:
        """Every cell of a row whose statistics are *stats* (runs once per cohort: keys are precomputed)."""
        total, profiled = stats.total, stats.profiled
        values = dict.fromkeys(self.zero_kinds, 0)
        values["total"], values["profiled"], values["not_profiled"] = total, profiled, total - profiled
        for kind, count_kind, missing_kind, block_kind in _SCORE_CELLS:
            count = getattr(stats, kind).count
            values[count_kind], values[missing_kind], values[block_kind] = count, profiled - count, count
        ends = list(accumulate(stats.overall.bins))
        previous = 0
        for kind, high in _READINESS_CELLS:
            values[kind] = ends[high - 1] - previous
            previous = ends[high - 1]
        for key, count in stats.tracks.items():
            values["track." + key] = count
        for key, count in stats.difficulty.items():
            values["difficulty." + key] = count
        dated = 0
        for month, count in stats.completions.items():
            values["month." + month] = count
            dated += count
        values["month.undated"] = profiled - dated
        for label, count in stats.strengths.items():
            values["strength." + label] = count
        return values

    def protect(self, values: Mapping[str, int], k: int) -> set[str]:
        """Phase 1 for one row: primary suppression, then complements until every relation is safe."""
        suppressed = {cell for cell, value in values.items() if 0 < value < k}
        queue = deque(sorted({r for cell in suppressed for r in self.of_kind.get(cell, ())}))
        while queue:
            cells = self.relations[queue.popleft()]
            hidden = [cell for cell in cells if cell in suppressed]
            if len(hidden) != 1:
                continue
            # One hidden cell in a sum is given away by the others: hide the positive
            # cell with the fewest dependent relations, then the smallest, then by name.
            complement = min(
                (cell for cell in cells if cell not in suppressed),
                key=lambda cell: (values[cell] == 0, self.cost.get(cell, 0), values[cell], cell),
            )
            suppressed.add(complement)
            queue.extend(self.of_kind[complement])
        return suppressed

    def parts(self, suppressed: set[str]) -> list[frozenset[str]]:
        """Split a pattern into the parts linked by shared relations (each is safe on its own)."""
        if not suppressed:
            return []
        parent = {cell: cell for cell in suppressed}

        def find(cell: str) -> str:
            while parent[cell] != cell:
                parent[cell] = parent[parent[cell]]
                cell = parent[cell]
            return cell

        for cells in self.relations:
            hidden = [cell for cell in cells if cell in parent]
            for cell in hidden[1:]:
                parent[find(cell)] = find(hidden[0])
        groups: dict[str, set[str]] = {}
        for cell in suppressed:
            groups.setdefault(find(cell), set()).add(cell)
        return sorted((frozenset(g) for g in groups.values()), key=sorted)


def _months_between(stats: Iterable[CohortStats]) -> list[str]:
    indexes = [int(m[:4]) * 12 + int(m[5:]) - 1 for s in stats for m in s.completions]
    if not indexes:
        return []
    return [_month_label(i) for i in range(min(indexes), max(indexes) + 1)]


def _import_cost(row: _Row, cells: Iterable[str]) -> int:
    return sum(row.values.get(cell, 0) for cell in cells if cell not in row.suppressed)


def _moves(layout: _Layout, row: _Row, cell: str) -> list[frozenset[str]]:
    """The smallest sets of the row's own suppressed cells that can move together and contain *cell*.

    Two suppressed leaf buckets of one sum (its total published) move by +1/-1
    on their own; any other cell moves with its whole part (phase 1 made each
    part safe).
    """
    own = row.own
    relation = layout.child_of.get(cell)
    if relation is not None and not layout.cost.get(cell):
        parent, *children = layout.relations[relation]
        if parent not in own:
            pairs = [
                frozenset((cell, other))
                for other in children
                if other != cell and other in own and not layout.cost.get(other)
            ]
            if pairs:
                return pairs
    return [next(part for part in row.parts if cell in part)]


def _cover(rows: Sequence[_Row], rollup: _Row, layout: _Layout, k: int) -> None:
    """Phase 2: give every suppressed cell of every row a partner, so no column sum reveals it.

    For each cell of a cohort's own pattern, the cheapest (move, partner) is
    chosen: another cohort positive on the move's cells (hiding the fewest
    learners there), else the rollup. Then every rollup cell of 1..k-1 takes
    the cheapest move of a cohort that holds it.
    """
    for row in rows:
        covered: set[str] = set()
        for cell in sorted(row.own):
            if cell in covered:
                continue
            best: tuple[tuple[int, int, str], frozenset[str], _Row] | None = None
            for move in _moves(layout, row, cell):
                for other in rows:
                    if other is row or not move <= other.positive:
                        continue
                    values, hidden = other.values, other.suppressed
                    rank = (0, sum(values[c] for c in move if c not in hidden), other.key)
                    if best is None or rank < best[0]:
                        best = (rank, move, other)
                # No cohort can absorb the move: the rollup moves with it instead.
                rank = (1, _import_cost(rollup, move), "")
                if best is None or rank < best[0]:
                    best = (rank, move, rollup)
            assert best is not None  # _moves always returns at least one move
            _rank, move, partner = best
            partner.suppressed |= move
            covered |= move
    for cell in sorted(c for c, value in rollup.values.items() if 0 < value < k):
        if cell in rollup.suppressed:
            continue
        # 0 < rollup < k: every cohort holding the cell holds fewer than k, so the cell is
        # in that cohort's own pattern; the rollup moves with the cheapest such move.
        moves = [move for row in rows if cell in row.own for move in _moves(layout, row, cell)]
        rollup.suppressed |= min(moves, key=lambda move: (_import_cost(rollup, move), sorted(move)))


def _universe(
    cohorts: Sequence[Cohort], partial: AnalyticsPartial, k: int, *, with_rollup: bool
) -> tuple[list[_Row], _Row, _Layout]:
    """Protect a set of cohorts (an enterprise's, or one cohort alone) and their rollup together."""
    ordered = sorted({c.id: c for c in cohorts}.values(), key=lambda c: c.id)
    pieces: dict[CohortId, list[CohortStats]] = {c.id: [] for c in ordered}
    touching: list[CohortStats] = []
    for key, stats in partial.memberships.items():
        hit = [cohort_id for cohort_id in key if cohort_id in pieces]
        for cohort_id in hit:
            pieces[cohort_id].append(stats)
        if hit:
            touching.append(stats)
    per_cohort = {
        cohort_id: items[0] if len(items) == 1 else CohortStats.merge_all(items)
        for cohort_id, items in pieces.items()
    }
    layout = _Layout(_months_between(per_cohort.values()))
    rows = []
    for cohort in ordered:
        stats = per_cohort[cohort.id]
        row = _Row(cohort.id, stats, layout.cells(stats))
        row.suppressed = layout.protect(row.values, k)
        row.own = frozenset(row.suppressed)
        row.parts = layout.parts(row.suppressed)
        rows.append(row)
    rollup_stats = CohortStats.merge_all(touching)
    rollup = _Row("", rollup_stats, layout.cells(rollup_stats))
    if with_rollup:
        _cover(rows, rollup, layout, k)
    return rows, rollup, layout
