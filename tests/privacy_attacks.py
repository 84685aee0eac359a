"""Attackers on published reports, written independently of the library's own audit (issue 14).

* :func:`integer_attack` -- an exact integer-feasibility attacker: a backtracking
  search over the published sum relations with every suppressed count >= 1; a
  hidden cell is *recovered* when no other integer value of it is feasible.
* :func:`order_statistics_attack` -- reads min/q1/median/q3/max and the counts of a
  published block and recovers individual scores (a block over n <= 5 learners
  whose five figures are the scores) or a suppressed readiness band forced by the
  order statistics.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

Var = tuple[str, str]
#: A relation: signed terms (variables or published constants) summing to 0.
Equation = list[tuple[Var | int, int]]

SCORE_KINDS = ("aptitude", "technical_exposure", "overall")
BANDS = (
    ("novice", 0.0, 40.0),
    ("beginner", 40.0, 60.0),
    ("intermediate", 60.0, 80.0),
    ("advanced", 80.0, 101.0),
)
TRACKS = ("defender", "offensive", "innovation", "leadership", "grc", "none")
DIFFICULTIES = ("novice", "beginner", "intermediate", "advanced", "elite", "not_selected")


def relations(populations: Mapping[str, Mapping[str, int | None]], months: Sequence[str]) -> list[Equation]:
    """Every sum an attacker knows: within each population, and rollup = sum of cohorts (disjoint cohorts)."""
    sums = [
        ("total", ["profiled", "not_profiled"]),
        *[("profiled", [f"{k}.count", f"{k}.missing"]) for k in SCORE_KINDS],
        ("overall.count", [f"readiness.{b}" for b, _l, _h in BANDS]),
        ("profiled", [f"tracks.{t}" for t in TRACKS]),
        ("profiled", [f"difficulty.{d}" for d in DIFFICULTIES]),
        ("profiled", [f"completions.{m}" for m in months] + ["completions.undated"]),
    ]
    out: list[Equation] = []
    for name, cells in populations.items():
        for parent, children in sums:
            if parent in cells and all(c in cells for c in children):
                out.append(_terms(name, cells, [(parent, 1), *((c, -1) for c in children)]))
    if "rollup" in populations:
        names = [n for n in populations if n != "rollup"]
        for cell in populations["rollup"]:
            if all(cell in populations[n] for n in names):
                column: Equation = []
                for name, sign in [("rollup", 1), *((n, -1) for n in names)]:
                    value = populations[name][cell]
                    column.append(((name, cell), sign) if value is None else (value, sign))
                out.append(column)
    return out


def _terms(name: str, cells: Mapping[str, int | None], signed: Iterable[tuple[str, int]]) -> Equation:
    terms: Equation = []
    for cell, sign in signed:
        value = cells[cell]
        terms.append(((name, cell), sign) if value is None else (value, sign))
    return terms


class _Search:
    """Backtracking over integer assignments with forward checking on the equations."""

    def __init__(self, equations: Sequence[Equation], lows: Mapping[Var, int], cap: int, budget: int) -> None:
        self.equations = [eq for eq in equations if any(not isinstance(t, int) for t, _s in eq)]
        self.lows = dict(lows)
        self.cap = cap
        self.budget = budget
        self.of: dict[Var, list[int]] = {}
        for index, eq in enumerate(self.equations):
            for term, _sign in eq:
                if not isinstance(term, int):
                    self.of.setdefault(term, []).append(index)

    def feasible(self, domains: dict[Var, tuple[int, int]]) -> bool:
        """True when some integer assignment within *domains* satisfies every equation."""
        self.budget -= 1
        if self.budget < 0:
            raise TimeoutError("search budget exhausted")
        narrowed = self._narrow(dict(domains))
        if narrowed is None:
            return False
        open_vars = [v for v, (lo, hi) in narrowed.items() if lo != hi]
        if not open_vars:
            return True
        var = min(open_vars, key=lambda v: (narrowed[v][1] - narrowed[v][0], v))
        lo, hi = narrowed[var]
        return any(self.feasible({**narrowed, var: (value, value)}) for value in range(lo, hi + 1))

    def _narrow(self, domains: dict[Var, tuple[int, int]]) -> dict[Var, tuple[int, int]] | None:
        changed = True
        while changed:
            changed = False
            for eq in self.equations:
                const = sum(sign * term for term, sign in eq if isinstance(term, int))
                lo_sum = const + sum(
                    sign * (domains[t][0] if sign > 0 else domains[t][1])
                    for t, sign in eq
                    if not isinstance(t, int)
                )
                hi_sum = const + sum(
                    sign * (domains[t][1] if sign > 0 else domains[t][0])
                    for t, sign in eq
                    if not isinstance(t, int)
                )
                if lo_sum > 0 or hi_sum < 0:
                    return None
                for term, sign in eq:
                    if isinstance(term, int):
                        continue
                    lo, hi = domains[term]
                    own_lo, own_hi = (sign * lo, sign * hi) if sign > 0 else (sign * hi, sign * lo)
                    rest_lo, rest_hi = lo_sum - own_lo, hi_sum - own_hi
                    # sign * term must lie in [-rest_hi, -rest_lo]
                    new = (-rest_hi, -rest_lo) if sign > 0 else (rest_lo, rest_hi)
                    new_lo, new_hi = max(lo, new[0]), min(hi, new[1])
                    if new_lo > new_hi:
                        return None
                    if (new_lo, new_hi) != (lo, hi):
                        domains[term] = (new_lo, new_hi)
                        changed = True
                        break
                if changed:
                    break
        return domains


def integer_attack(
    equations: Sequence[Equation], lows: Mapping[Var, int], truth: Mapping[Var, int], *, budget: int = 20_000
) -> set[Var]:
    """The hidden cells of *truth* that have exactly one feasible integer value (what the attacker recovers).

    *lows* gives each hidden cell's known lower bound (1 for a suppressed count,
    0 where the attacker cannot tell a suppressed figure from 0). Values are
    searched up to twice the largest true value plus 2 (moves of a few learners
    suffice to show a cell is not pinned).
    """
    cap = 2 * max([*truth.values(), 1]) + 2
    search = _Search(equations, lows, cap, budget)
    base = {v: (lows[v], cap) for v in lows}
    recovered: set[Var] = set()
    for var, value in sorted(truth.items()):
        if var not in search.of:
            continue  # in no relation: nothing pins it
        other = (base[var][0], value - 1), (value + 1, cap)
        if not any(lo <= hi and search.feasible({**base, var: (lo, hi)}) for lo, hi in other):
            recovered.add(var)
    return recovered


def order_statistics_attack(
    block: Mapping[str, object], bands: Mapping[str, int | None]
) -> tuple[list[float] | None, dict[str, int]]:
    """What a published block gives away: (the scores themselves, suppressed bands forced to a value).

    With n <= 5 learners, min/q1/median/q3/max are the n scores (n = 5), or
    determine them (n < 5, linear interpolation between order statistics). Any
    suppressed band is forced when the order statistics put every score in known
    bands: below ``min`` or above ``max`` no score lies, and a quarter of the
    scores lies between consecutive quartiles.
    """
    figures = [block.get(name) for name in ("min", "q1", "median", "q3", "max")]
    count = block.get("count")
    if not isinstance(count, int) or not all(isinstance(f, (int, float)) for f in figures):
        return None, {}
    low, q1, median, q3, high = (float(f) for f in figures)  # type: ignore[arg-type]
    scores = [low, q1, median, q3, high] if count == 5 else [low, high] if count == 2 else None
    if count == 1:
        scores = [low]
    forced: dict[str, int] = {}
    hidden = [name for name, value in bands.items() if value is None]
    for name, band_low, band_high in BANDS:
        if name not in hidden:
            continue
        if high < band_low or low >= band_high:
            forced[name] = 0  # no score can lie in this band
    if scores is not None:
        for name, band_low, band_high in BANDS:
            if name in hidden:
                forced[name] = sum(1 for s in scores if band_low <= s < band_high)
    # Every hidden band pinned to 0 except one: that one holds what the published bands leave.
    open_bands = [n for n in hidden if n not in forced]
    if len(open_bands) == 1:
        shown = sum(v for v in bands.values() if v is not None)
        forced[open_bands[0]] = count - shown - sum(forced.values())
    return scores, forced
