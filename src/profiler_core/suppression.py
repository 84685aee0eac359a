"""Small-cohort protection (SPEC §9): which published cells are suppressed under k.

:class:`SuppressionPolicy` holds the threshold *k*; the private machinery below
protects a set of cohorts and their enterprise rollup together (primary and
complementary suppression), for :mod:`profiler_core.reports` to publish.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from itertools import accumulate
from operator import add
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
from profiler_core.field_rules import _in_score_range
from profiler_core.models import Cohort, CohortId

__all__ = ["SuppressionPolicy", "DEFAULT_SUPPRESSION_POLICY"]


@frozen(kw_only=True)
class SuppressionPolicy(Policy):
    """Small-cohort protection: the threshold *k* and how order statistics are published (SPEC §9).

    A published count of 1 to ``k - 1`` learners, and a statistics block over
    fewer than ``k`` learners, is suppressed; complementary cells are
    suppressed so that no suppressed count can be recomputed, nor pinned by an
    attacker who knows that a suppressed count is at least 1 (see
    ``docs/privacy.md``). ``k = 1`` suppresses nothing and publishes exact
    order statistics.

    Attributes:
        id: policy id (``"suppression"``).
        version: policy version (2: the positivity audit and coarse order statistics).
        k: the smallest group of learners a published figure may describe.
        order_statistics_min_count: the smallest block whose minimum, quartiles
            and maximum are published (``None``: ``max(2 * k, 10)``, or 1 when
            ``k = 1``); at least ``k``.
        order_statistics_resolution: the grid, in points, order statistics are
            published on (``None``: 5, or 0 -- exact -- when ``k = 1``): the
            minimum is rounded down, the maximum up and the quartiles to the
            nearest multiple.
    """

    id: str = "suppression"
    version: int = 2
    k: int = field(default=5)
    order_statistics_min_count: int | None = field(default=None)
    order_statistics_resolution: int | None = field(default=None)

    @order_statistics_resolution.validator
    def _check(self, _attribute: object, resolution: int | None) -> None:
        if self.k < 1:
            raise PolicyError(policy=str(self.ref), reason="k must be an integer >= 1")
        minimum = self.order_statistics_min_count
        if minimum is not None and minimum < self.k:
            raise PolicyError(policy=str(self.ref), reason="order_statistics_min_count must be at least k")
        if resolution is not None and not _in_score_range(resolution):
            raise PolicyError(
                policy=str(self.ref), reason="order_statistics_resolution must be 0..100 points"
            )

    @property
    def order_statistics_threshold(self) -> int:
        """The smallest block count whose order statistics are published."""
        if self.order_statistics_min_count is not None:
            return self.order_statistics_min_count
        return max(2 * self.k, 10) if self.k > 1 else 1

    @property
    def order_statistics_grid(self) -> int:
        """The resolution order statistics are published at, in points (0: exact)."""
        if self.order_statistics_resolution is not None:
            return self.order_statistics_resolution
        return 5 if self.k > 1 else 0


#: k = 5; order statistics over at least 10 learners, on a 5-point grid.
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
    part = next(part for part in row.parts if cell in part)
    return _small_moves(layout, part, cell) or [part]


#: The largest move searched for inside a part (beyond it, the whole part moves).
_MOVE_LIMIT: Final = 6


def _small_moves(layout: _Layout, part: frozenset[str], cell: str) -> list[frozenset[str]]:
    """The smallest sets of *part*'s cells that move by +-1 together, *cell* included, every sum kept.

    A depth-limited search: *cell* moves by +1, and each sum left unbalanced is
    balanced by moving one more cell of it (a term by the imbalance, its total
    against it). Moving the whole part is the fallback (``[]`` here).
    """
    if len(part) <= 2:
        return []
    found: set[frozenset[str]] = set()

    def imbalance(relation: int, signs: Mapping[str, int]) -> int:
        parent, *children = layout.relations[relation]
        return signs.get(parent, 0) - sum(signs.get(child, 0) for child in children)

    def search(signs: dict[str, int], limit: int) -> None:
        open_relations = sorted({r for c in signs for r in layout.of_kind.get(c, ()) if imbalance(r, signs)})
        if not open_relations:
            found.add(frozenset(signs))
            return
        if len(signs) >= limit:
            return
        relation = open_relations[0]
        gap = imbalance(relation, signs)
        parent, *children = layout.relations[relation]
        for other in (parent, *children):
            if other in signs or other not in part:
                continue
            sign = -gap if other == parent else gap
            if abs(sign) != 1:
                sign = 1 if sign > 0 else -1
            search({**signs, other: sign}, limit)

    for limit in range(2, min(_MOVE_LIMIT, len(part) - 1) + 1):
        search({cell: 1}, limit)
        if found:
            return sorted(found, key=sorted)
    return []


def _cover(rows: Sequence[_Row], rollup: _Row, layout: _Layout, k: int) -> None:
    """Phase 2: give every suppressed cell of every row a partner, so no column sum reveals it.

    For each cell of a cohort's own pattern, the cheapest (move, partner) is
    chosen: another cohort positive on the move's cells (hiding the fewest
    learners there), else the rollup. Then every rollup cell of 1..k-1 takes
    the cheapest move of a cohort that holds it.
    """
    # Per cell, what hiding it costs in each row: its value, 0 once hidden there, and
    # infinity where the row is 0 (a partner must be positive on every cell of a move).
    # Rows are in key order (_universe sorts them), so the first row of least cost is
    # the cheapest by (cost, key).
    cost_of: dict[str, list[float]] = {}

    def costs(cell: str) -> list[float]:
        found = cost_of.get(cell)
        if found is None:
            found = cost_of[cell] = [
                (0 if cell in r.suppressed else r.values[cell]) if cell in r.positive else _INF for r in rows
            ]
        return found

    for index, row in enumerate(rows):
        covered: set[str] = set()
        # Blocks last: by then the rollup holds the counts this row's pattern gave it.
        for cell in sorted(row.own, key=lambda c: (c.startswith("block."), c)):
            if cell in covered:
                continue
            if cell.startswith("block.") and f"{cell[6:]}.count" in rollup.suppressed:
                # The rollup's block is withheld with its count, so no column of sums
                # (mean x count) gives this block away: hiding a sibling's would only lose it.
                continue
            best: tuple[tuple[int, int, str], frozenset[str], _Row] | None = None
            for move in _moves(layout, row, cell):
                first, *others = move
                total = costs(first)
                for other_cell in others:
                    total = list(map(add, total, costs(other_cell)))
                if total is cost_of[first]:
                    total = total.copy()
                total[index] = _INF
                least = min(total)
                if least != _INF:
                    chosen = total.index(least)
                    rank = (0, int(least), rows[chosen].key)
                    if best is None or rank < best[0]:
                        best = (rank, move, rows[chosen])
                    continue  # a cohort partner always ranks before the rollup
                if best is not None and not best[0][0]:
                    continue
                # No cohort can absorb the move: the rollup moves with it instead.
                rank = (1, _import_cost(rollup, move), "")
                if best is None or rank < best[0]:
                    best = (rank, move, rollup)
            assert best is not None  # _moves always returns at least one move
            _rank, move, partner = best
            partner.suppressed |= move
            covered |= move
            if partner is not rollup:
                where = rows.index(partner)
                for hidden in move:
                    if hidden in cost_of and cost_of[hidden][where] != _INF:
                        cost_of[hidden][where] = 0
    for cell in sorted(c for c, value in rollup.values.items() if 0 < value < k):
        if cell in rollup.suppressed:
            continue
        # 0 < rollup < k: every cohort holding the cell holds fewer than k, so the cell is
        # in that cohort's own pattern; the rollup moves with the cheapest such move.
        moves = [move for row in rows if cell in row.own for move in _moves(layout, row, cell)]
        rollup.suppressed |= min(moves, key=lambda move: (_import_cost(rollup, move), sorted(move)))


def _universe(
    cohorts: Sequence[Cohort], partial: AnalyticsPartial, k: int, *, with_rollup: bool, audit: bool = True
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
    if audit:
        disjoint = all(sum(1 for c in key if c in pieces) <= 1 for key in partial.memberships)
        _audit([*rows, rollup] if with_rollup else rows, layout, k, cohorts=len(rows), disjoint=disjoint)
    return rows, rollup, layout


# --- phase 3: the positivity audit --------------------------------------------------
#
# Phases 1 and 2 leave every suppressed cell free to move by +-1 in the linear sense,
# but the attacker also knows that a suppressed count is at least 1 (zeros are always
# published, so that knowledge is true): a cell of 1 whose only moves lower it, or
# lower a partner of 1, is pinned. The audit is that attacker: bounds propagation
# over every published relation (each row's sums; across rows, rollup = sum of the
# cohorts when they share no learner, else cohort <= rollup <= sum of the cohorts),
# suppressed counts in [1, inf), unlisted strengths in [0, inf), published cells
# fixed. While a suppressed cell's interval is one value, one more positive published
# cell of a relation that pins it is suppressed, and the audit runs again.

_Var = tuple[int, str]
#: A relation as signed terms whose sum is 0 (``eq``) or at most 0 (not ``eq``).
_Relation = tuple[tuple[tuple[_Var, int], ...], bool]
_INF: Final = float("inf")
#: Propagation rounds per relation before the audit stops tightening (a safety cap).
_SWEEPS: Final = 64


def _relations(
    rows: Sequence[_Row], layout: _Layout, k: int, *, cohorts: int, disjoint: bool
) -> list[_Relation]:
    """Every relation an attacker knows between the cells of *rows* (the last is the rollup, if any).

    A cohort-below-rollup relation between two published cells is left out: it
    bounds nothing, and no search over the relations reaches it.
    """
    out: list[_Relation] = []
    for index, row in enumerate(rows):
        if not row.suppressed:
            continue
        for parent, *children in layout.relations:
            out.append(((((index, parent), 1), *(((index, child), -1) for child in children)), True))
    if cohorts == len(rows):
        return out
    rollup = len(rows) - 1
    # A block's count is its "{kind}.count" cell, already in the sums; phase 2 pairs the blocks.
    hidden = {cell for row in rows for cell in row.suppressed if not cell.startswith("block.")}
    # The cohorts where each hidden cell is not published (suppressed, or an unlisted strength).
    open_in: dict[str, set[int]] = {}
    if not disjoint:
        for i in range(cohorts):
            for cell in rows[i].suppressed & hidden:
                open_in.setdefault(cell, set()).add(i)
        for cell in hidden:
            if cell.startswith("strength."):
                open_in.setdefault(cell, set()).update(
                    i for i in range(cohorts) if _published(rows[i], cell, k) is None
                )
    for cell in sorted(hidden):
        if disjoint:
            out.append(((((rollup, cell), 1), *(((i, cell), -1) for i in range(cohorts))), True))
            continue
        out.append(((((rollup, cell), 1), *(((i, cell), -1) for i in range(cohorts))), False))
        below = range(cohorts) if _published(rows[rollup], cell, k) is None else sorted(open_in.get(cell, ()))
        out += [((((i, cell), 1), ((rollup, cell), -1)), False) for i in below]
    return out


def _published(row: _Row, cell: str, k: int) -> int | None:
    """What a report shows of *cell* (``None``: hidden; an unlisted strength is hidden, maybe 0)."""
    if cell in row.suppressed:
        return None
    value = row.values.get(cell, 0)
    if cell.startswith("strength.") and value < k:
        return None
    return value


def _propagate(
    relations: Sequence[_Relation],
    known: Mapping[_Var, int],
    lows: dict[_Var, float],
    highs: dict[_Var, float],
) -> None:
    """Tighten every unknown's [low, high] over *relations* until nothing changes (or the sweep cap).

    Each relation's published terms are summed once; bounds are integers (or
    infinite), so the sums are exact in any order.
    """
    touching: dict[_Var, list[int]] = {}
    prepared: list[tuple[list[tuple[_Var, bool]], int, bool]] = []
    for index, (terms, eq) in enumerate(relations):
        unknown: list[tuple[_Var, bool]] = []
        constant = 0
        for var, sign in terms:
            if var in lows:
                touching.setdefault(var, []).append(index)
                unknown.append((var, sign > 0))
            else:
                constant += sign * known.get(var, 0)
        prepared.append((unknown, constant, eq))
    queue = deque(sorted({i for indexes in touching.values() for i in indexes}))
    queued = set(queue)
    budget = _SWEEPS * max(len(queue), 1)
    while queue and budget:
        budget -= 1
        index = queue.popleft()
        queued.discard(index)
        unknown, constant, eq = prepared[index]
        spans: list[tuple[float, float]] = []
        low_sum: float = constant
        high_sum: float = constant
        low_inf = high_inf = 0
        for var, positive in unknown:
            low, high = (lows[var], highs[var]) if positive else (-highs[var], -lows[var])
            spans.append((low, high))
            if low == -_INF:
                low_inf += 1
            else:
                low_sum += low
            if high == _INF:
                high_inf += 1
            else:
                high_sum += high
        for (var, positive), (low, high) in zip(unknown, spans, strict=True):
            rest_low = (
                (low_sum if low_inf == 1 else -_INF)
                if low == -_INF
                else (low_sum - low if not low_inf else -_INF)
            )
            rest_high = (
                (high_sum if high_inf == 1 else _INF)
                if high == _INF
                else (high_sum - high if not high_inf else _INF)
            )
            # sign * var lies in [-rest_high, -rest_low] (eq) or is at most -rest_low.
            top = -rest_low
            bottom = -rest_high if eq else -_INF
            new_low, new_high = (bottom, top) if positive else (-top, -bottom)
            changed = False
            if new_low > lows[var]:
                lows[var], changed = new_low, True
            if new_high < highs[var]:
                highs[var], changed = new_high, True
            if changed:
                for other in touching[var]:
                    if other not in queued:
                        queued.add(other)
                        queue.append(other)


_Bounds = tuple[dict[_Var, int], dict[_Var, float], dict[_Var, float]]


def _pinned(rows: Sequence[_Row], relations: Sequence[_Relation], k: int) -> tuple[list[_Var], _Bounds]:
    """The suppressed cells whose interval the bounds attacker collapses to one value, and the bounds."""
    known: dict[_Var, int] = {}
    lows: dict[_Var, float] = {}
    highs: dict[_Var, float] = {}
    for terms, _eq in relations:
        for var in (v for v, _s in terms):
            if var in known or var in lows:
                continue
            index, cell = var
            value = _published(rows[index], cell, k)
            if value is None:
                # An unlisted strength may be 0 (it is not told apart from one never named).
                lows[var] = 0 if cell.startswith("strength.") else 1
                highs[var] = _INF
            else:
                known[var] = value
    if lows:
        _propagate(relations, known, lows, highs)
    pinned = sorted(v for v in lows if lows[v] == highs[v] and v[1] in rows[v[0]].suppressed)
    return pinned, (known, lows, highs)


def _tight(relation: _Relation, var: _Var, bounds: _Bounds) -> bool:
    """True when *relation* alone, given the others' bounds, bounds *var* where the attacker has it."""
    known, lows, highs = bounds
    terms, eq = relation
    sign = next(s for v, s in terms if v == var)
    low_rest = high_rest = 0.0
    for other, other_sign in terms:
        if other == var:
            continue
        if other in lows:
            low, high = lows[other], highs[other]
            low, high = (low, high) if other_sign > 0 else (-high, -low)
        else:
            low = high = other_sign * known.get(other, 0)
        low_rest, high_rest = low_rest + low, high_rest + high
    top, bottom = -low_rest, (-high_rest if eq else -_INF)
    implied = (bottom, top) if sign > 0 else (-top, -bottom)
    return implied[1] <= highs[var] or implied[0] >= lows[var] > (0 if var[1].startswith("strength.") else 1)


def _repair(
    rows: Sequence[_Row],
    layout: _Layout,
    relations: Sequence[_Relation],
    var: _Var,
    k: int,
    *,
    bounds: _Bounds,
) -> _Var | None:
    """The published cell to suppress so that *var* is no longer pinned (the cheapest near it).

    First among the sums that bound *var* to its value (suppressing a cell of
    another sum would not free it), then further out through hidden cells.
    """
    containing: dict[_Var, list[int]] = {}
    for index, (terms, _eq) in enumerate(relations):
        for term, _sign in terms:
            containing.setdefault(term, []).append(index)

    def lonely(term: _Var) -> int:
        # How many sums would hold this cell as their only hidden cell once it is suppressed.
        row = rows[term[0]]
        alone = sum(
            1
            for relation in layout.of_kind.get(term[1], ())
            if not any(cell in row.suppressed for cell in layout.relations[relation])
        )
        return alone + (len(rows) > 1 and not any(term[1] in r.suppressed for r in rows))

    seen_vars = {var}
    frontier = [var]
    tight = [i for i in containing.get(var, ()) if _tight(relations[i], var, bounds)] or containing.get(
        var, []
    )
    seen_relations: set[int] = set(containing.get(var, ())) - set(tight)
    while frontier:
        candidates: set[_Var] = set()
        next_frontier: list[_Var] = []
        for current in frontier:
            for index in containing.get(current, ()):
                if index in seen_relations:
                    continue
                seen_relations.add(index)
                for term, _sign in relations[index][0]:
                    value = _published(rows[term[0]], term[1], k)
                    if value is None:
                        if term not in seen_vars:
                            seen_vars.add(term)
                            next_frontier.append(term)
                    elif value > 0:
                        candidates.add(term)
        if candidates:
            return min(candidates, key=lambda t: (lonely(t), rows[t[0]].values.get(t[1], 0), t[0], t[1]))
        frontier = next_frontier
    return None


def _audit(rows: Sequence[_Row], layout: _Layout, k: int, *, cohorts: int, disjoint: bool) -> None:
    """Phase 3: suppress more cells until the positivity attacker pins no suppressed cell."""
    if k <= 1:
        return
    while True:
        relations = _relations(rows, layout, k, cohorts=cohorts, disjoint=disjoint)
        pinned, bounds = _pinned(rows, relations, k)
        if not pinned:
            return
        chosen = _repair(rows, layout, relations, pinned[0], k, bounds=bounds)
        if chosen is None:  # pragma: no cover - a pin always has a positive published cell behind it
            return
        rows[chosen[0]].suppressed.add(chosen[1])
