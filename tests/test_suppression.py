"""Tests for profiler_core.suppression: small-cohort protection holds against differencing (SPEC §9)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st
from tests.analytics_builders import (
    ORG,
    A,
    B,
    accumulate,
    breakdown_rows,
    cohort,
    figures,
    score_blocks,
)

from profiler_core import (
    Cohort,
    CohortId,
)
from profiler_core.analytics import (
    SUPPRESSED,
    AnalyticsPartial,
    CohortReport,
    CohortStats,
    EnterpriseReport,
    ReadinessBand,
    ScoreSummary,
    Suppressed,
    SuppressionPolicy,
    cohort_reports,
    enterprise_report,
)
from profiler_core.testing import strategies_analytics as ast
from profiler_core.vocabulary import DifficultySelection

# --- suppression laws ---------------------------------------------------------------------

Var = tuple[str, str]


def _value(cell: object) -> int | None:
    if isinstance(cell, dict):
        assert cell == {"suppressed": True}, f"a suppressed cell is marked, never a number: {cell!r}"
        return None
    assert isinstance(cell, int)
    assert not isinstance(cell, bool)
    return cell


def published_cells(body: Mapping[str, object], labels: Iterable[str]) -> dict[str, int | None]:
    """Every count a population's JSON publishes (None: suppressed or not shown)."""
    cells: dict[str, int | None] = {}
    population = body["population"]
    assert isinstance(population, dict)
    for name in ("total", "profiled", "not_profiled"):
        cells[name] = _value(population[name])
    scores = score_blocks(body)
    for kind in ("aptitude", "technical_exposure", "overall"):
        block = scores.get(kind)
        if block is None:
            continue
        assert isinstance(block, dict)
        cells[f"{kind}.count"] = None if block == {"suppressed": True} else _value(block["count"])
        cells[f"{kind}.missing"] = None if block == {"suppressed": True} else _value(block["missing"])
    for group in ("readiness", "tracks", "difficulty", "completions"):
        for bucket in body.get(group, ()):  # type: ignore[attr-defined]
            cells[f"{group}.{bucket['key']}"] = _value(bucket["count"])
    if "top_strengths" in body:
        listed = {b["key"]: _value(b["count"]) for b in body["top_strengths"]}  # type: ignore[attr-defined]
        for label in labels:
            cells[f"strength.{label}"] = listed.get(label)
    return cells


def determined(equations: list[dict[Var, Fraction]]) -> set[Var]:
    """Unknowns fixed by the linear system (reduced row echelon form over the rationals)."""
    pivots: dict[Var, dict[Var, Fraction]] = {}
    for equation in equations:
        row = {v: c for v, c in equation.items() if c}
        for pivot, pivot_row in pivots.items():
            factor = row.get(pivot)
            if factor:
                for v, c in pivot_row.items():
                    row[v] = row.get(v, Fraction(0)) - factor * c
                row = {v: c for v, c in row.items() if c}
        if not row:
            continue
        pivot = min(row)
        scale = row[pivot]
        row = {v: c / scale for v, c in row.items()}
        for other, other_row in pivots.items():
            factor = other_row.get(pivot)
            if factor:
                for v, c in row.items():
                    other_row[v] = other_row.get(v, Fraction(0)) - factor * c
                pivots[other] = {v: c for v, c in other_row.items() if c}
        pivots[pivot] = row
    return {pivot for pivot, row in pivots.items() if len(row) == 1}


def attack(
    populations: Mapping[str, dict[str, int | None]], months: Iterable[str], *, columns: bool
) -> tuple[set[Var], set[Var]]:
    """What an attacker holding every published figure can recompute: (unknowns, determined unknowns)."""
    unknown: set[Var] = {(p, c) for p, cells in populations.items() for c, v in cells.items() if v is None}
    equations: list[dict[Var, Fraction]] = []

    def equation(terms: Iterable[tuple[Var, int]]) -> None:
        row: dict[Var, Fraction] = {}
        for var, sign in terms:
            if var in unknown:
                row[var] = row.get(var, Fraction(0)) + sign
        equations.append(row)

    sums = [
        ("total", ["profiled", "not_profiled"]),
        *[
            ("profiled", [f"{k}.count", f"{k}.missing"])
            for k in ("aptitude", "technical_exposure", "overall")
        ],
        ("overall.count", [f"readiness.{b.value}" for b in ReadinessBand]),
        (
            "profiled",
            [f"tracks.{t}" for t in ("defender", "offensive", "innovation", "leadership", "grc", "none")],
        ),
        ("profiled", [f"difficulty.{d.value}" for d in DifficultySelection] + ["difficulty.not_selected"]),
        ("profiled", [f"completions.{m}" for m in months] + ["completions.undated"]),
    ]
    for name, cells in populations.items():
        for parent, children in sums:
            if parent in cells and all(c in cells or c.startswith("completions.") for c in children):
                equation([((name, parent), 1), *(((name, c), -1) for c in children if c in cells)])
    if columns:
        cohort_names = [n for n in populations if n != "rollup"]
        for cell in populations["rollup"]:
            if all(cell in populations[n] for n in cohort_names):
                equation([(("rollup", cell), 1), *(((n, cell), -1) for n in cohort_names)])
    return unknown, determined(equations)


def true_cells(stats: CohortStats) -> dict[str, int]:
    values = {"total": stats.total, "profiled": stats.profiled, "not_profiled": stats.not_profiled}
    for kind in ("aptitude", "technical_exposure", "overall"):
        count = getattr(stats, kind).count
        values[f"{kind}.count"], values[f"{kind}.missing"] = count, stats.profiled - count
    for band in ReadinessBand:
        low, high = band.bounds
        values[f"readiness.{band.value}"] = sum(stats.overall.bins[low:high])
    for key in ("defender", "offensive", "innovation", "leadership", "grc", "none"):
        values[f"tracks.{key}"] = stats.tracks.get(key, 0)
    for key in [d.value for d in DifficultySelection] + ["not_selected"]:
        values[f"difficulty.{key}"] = stats.difficulty.get(key, 0)
    for month, count in stats.completions.items():
        values[f"completions.{month}"] = count
    values["completions.undated"] = stats.profiled - sum(stats.completions.values())
    for label, count in stats.strengths.items():
        values[f"strength.{label}"] = count
    return values


def _enterprise(
    rows: list[tuple[object, ...]], cohorts: list[Cohort], k: int
) -> tuple[AnalyticsPartial, EnterpriseReport, dict[CohortId, CohortReport]]:
    ids = {c.id for c in cohorts}
    partial = accumulate(r for r in rows if r[1] in ids)
    suppression = SuppressionPolicy(k=k)
    return (
        partial,
        enterprise_report(ORG, cohorts, partial, suppression=suppression),
        cohort_reports(cohorts, partial, suppression=suppression),
    )


class TestSuppressionLaws:
    @given(
        ast.enterprise_cohorts(), ast.learner_rows(("c-1", "c-2", "c-3", "c-4")), ast.suppression_policies()
    )
    def test_no_published_count_or_block_covers_fewer_than_k(
        self, cohorts: list[Cohort], rows: list[tuple[object, ...]], policy: SuppressionPolicy
    ) -> None:
        """Every published count is 0 (covers nobody) or at least k; every published block covers >= k."""
        k = policy.k
        partial, report, reports = _enterprise(rows, cohorts, k)
        bodies: list[tuple[Mapping[str, object], CohortStats]] = [
            (figures(report), partial.rollup([c.id for c in cohorts]))
        ]
        bodies += [(figures(r), partial.stats_for(cid)) for cid, r in reports.items()]
        bodies += [(row, partial.stats_for(CohortId(cid))) for cid, row in breakdown_rows(report).items()]
        for body, stats in bodies:
            for name, value in published_cells(body, stats.strengths).items():
                assert value is None or value == 0 or value >= k, (name, value)
            for kind, block in score_blocks(body).items():
                if block != {"suppressed": True}:
                    assert getattr(stats, kind).count >= k, kind
                    assert block["count"] == getattr(stats, kind).count, f"{kind}: a block needs its count"  # type: ignore[index]

    def test_a_suppressed_count_is_not_recomputed_from_the_means(self) -> None:
        """Regression: c-a's overall count (6, beside 1 learner without a result) is not published
        through its mean, c-b's mean and count, and the rollup's mean.

        Before the fix, 22.5 * n + 82.5 * 6 = 52.5 * (n + 6) gave n = 6 and so missing = 1.
        """
        row = ("finished", "2026-03-02T10:00:00Z", "novice", "grc", 50.0, 50.0)
        rows: list[tuple[object, ...]] = [
            (f"a{i}", "c-a", "active", *row, 20.0 + i if i < 6 else None, ()) for i in range(7)
        ]
        rows += [(f"b{i}", "c-b", "active", *row, 80.0 + i, ()) for i in range(6)]
        _partial, report, reports = _enterprise(rows, [cohort("c-a"), cohort("c-b")], 5)
        assert reports[A].body.population.profiled == 7
        assert reports[A].body.overall is SUPPRESSED
        assert report.rollup.overall is SUPPRESSED
        b_overall = reports[B].body.overall
        assert isinstance(b_overall, ScoreSummary)
        assert (b_overall.count, b_overall.mean) == (6, 82.5)

    @given(ast.enterprise_cohorts(), ast.learner_rows(("c-1", "c-2", "c-3", "c-4")), st.integers(1, 6))
    def test_profiled_pct_is_within_0_and_100(
        self, cohorts: list[Cohort], rows: list[tuple[object, ...]], k: int
    ) -> None:
        """Every published profiled percentage lies in 0..100."""
        _partial, report, reports = _enterprise(rows, cohorts, k)
        pcts = [report.rollup.population.profiled_pct]
        pcts += [r.population.profiled_pct for r in report.cohorts.values()]
        pcts += [r.body.population.profiled_pct for r in reports.values()]
        for pct in pcts:
            assert pct is None or isinstance(pct, Suppressed) or 0 <= pct <= 100

    @given(
        ast.enterprise_cohorts(),
        ast.learner_rows(("c-1", "c-2", "c-3", "c-4"), multi_cohort=False),
        st.integers(2, 6),
    )
    def test_a_suppressed_cell_cannot_be_recomputed(
        self, cohorts: list[Cohort], rows: list[tuple[object, ...]], k: int
    ) -> None:
        """No suppressed cell (nor a strength named by 1..k-1 learners) is fixed by the published figures.

        The attacker holds the enterprise report and every cohort report, and
        knows every sum relation: within a population and, the cohorts being
        disjoint, rollup = sum of cohorts. Suppressed cells are also positive,
        so moving each by one in either direction keeps every count >= 0.
        """
        partial, report, reports = _enterprise(rows, cohorts, k)
        labels = sorted({label for cid in reports for label in partial.stats_for(cid).strengths})
        populations = {"rollup": published_cells(figures(report), labels)}
        populations |= {cid: published_cells(figures(r), labels) for cid, r in reports.items()}
        for cid, row in breakdown_rows(report).items():
            for name, value in published_cells(row, ()).items():
                assert populations[cid][name] == value, f"{cid}.{name} differs between the two reports"
        months = sorted(
            {
                c.split(".", 1)[1]
                for cells in populations.values()
                for c in cells
                if c.startswith("completions.20")
            }
        )
        for cells in populations.values():
            for month in months:
                cells.setdefault(f"completions.{month}", 0)  # outside a population's range: shown as none
        truth = {"rollup": true_cells(partial.rollup([c.id for c in cohorts]))}
        truth |= {cid: true_cells(partial.stats_for(cid)) for cid in reports}
        unknown, fixed = attack(populations, months, columns=True)
        for var in sorted(unknown):
            population, cell = var
            value = truth[population].get(cell, 0)
            never_shown = cell.startswith("strength.") or figures_block_hidden(populations[population], cell)
            if never_shown and not 0 < value < k:
                continue  # not a published cell, and not a small group either
            assert var not in fixed, f"{population}.{cell} = {value} can be recomputed"
            assert value > 0, f"{population}.{cell} is suppressed but 0"

    def test_the_attack_finds_a_lone_suppressed_cell(self) -> None:
        """The oracle itself works: one hidden cell in a sum is recomputed."""
        populations = {"rollup": {"total": 10, "profiled": None, "not_profiled": 3}}
        unknown, fixed = attack(populations, (), columns=False)
        assert fixed == unknown == {("rollup", "profiled")}


def figures_block_hidden(cells: Mapping[str, int | None], cell: str) -> bool:
    """True when a block's count and missing are both hidden because the whole block is suppressed."""
    kind = cell.rsplit(".", 1)[0]
    return cells.get(f"{kind}.count") is None and cells.get(f"{kind}.missing") is None


class TestOverSuppression:
    def test_a_large_cohort_keeps_its_blocks_beside_a_small_sibling(self) -> None:
        """Regression: 12 fully profiled learners keep their score blocks when a 3-learner sibling hides its.

        The sibling's counts are paired with the rollup, whose blocks are then
        withheld with their counts, so no column of sums gives the sibling's
        blocks away; before, they were paired with the large cohort's blocks too.
        """
        row = ("active", "finished", "2026-03-02T10:00:00Z", "novice", "defender", 50.0, 50.0)
        rows: list[tuple[object, ...]] = [(f"a{i}", "c-a", *row, 50.0, ()) for i in range(12)]
        rows += [("b0", "c-b", *row, 50.0, ()), ("b1", "c-b", *row, None, ())]
        rows.append(("b2", "c-b", "active", None, None, None, None, None, None, None, ()))
        _partial, report, reports = _enterprise(rows, [cohort("c-a"), cohort("c-b")], 5)
        body = reports[A].body
        assert body.population.total == 12
        for block in (body.aptitude, body.technical_exposure, body.overall):
            assert isinstance(block, ScoreSummary)
            assert block.count == 12
        assert reports[A].suppressed_cells == 0
        assert report.rollup.overall is SUPPRESSED
