"""The attack suite (issue 14): the default policy defeats the positivity and order-statistics attackers."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from tests.analytics_builders import ORG, accumulate, breakdown_rows, cohort, figures
from tests.privacy_attacks import Equation, Var, integer_attack, order_statistics_attack, relations
from tests.test_suppression import published_cells, true_cells

from profiler_core import Cohort, CohortId
from profiler_core.analytics import (
    AnalyticsPartial,
    SuppressionPolicy,
    cohort_reports,
    enterprise_report,
)
from profiler_core.testing import strategies_analytics as ast

Row = tuple[object, ...]


def _profiled(user: str, cohort_id: str, track: str | None, overall: float | None = 50.0) -> Row:
    return (
        user,
        cohort_id,
        "active",
        "finished",
        "2026-03-02T10:00:00Z",
        "novice",
        track,
        50.0,
        50.0,
        overall,
        (),
    )


def _not_profiled(user: str, cohort_id: str) -> Row:
    return (user, cohort_id, "active", None, None, None, None, None, None, None, ())


def _populations(
    cohorts: list[Cohort], partial: AnalyticsPartial, k: int
) -> tuple[dict[str, dict[str, int | None]], list[str]]:
    """Every count the viewer's reports publish: the rollup (if sponsored) and every cohort report."""
    suppression = SuppressionPolicy(k=k)
    reports = cohort_reports(cohorts, partial, suppression=suppression)
    populations: dict[str, dict[str, int | None]] = {
        str(cid): published_cells(figures(r), ()) for cid, r in reports.items()
    }
    if all(c.enterprise_id is not None for c in cohorts):
        report = enterprise_report(ORG, cohorts, partial, suppression=suppression)
        populations["rollup"] = published_cells(figures(report), ())
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
            cells.setdefault(f"completions.{month}", 0)
    return populations, months


def _recovered(cohorts: list[Cohort], rows: list[Row], k: int) -> set[Var]:
    """The suppressed cells the exact integer attacker recovers from every report of the enterprise."""
    ids = {c.id for c in cohorts}
    partial = accumulate(r for r in rows if r[1] in ids)
    populations, months = _populations(cohorts, partial, k)
    truth_cells = {
        cid: true_cells(partial.stats_for(CohortId(cid))) for cid in populations if cid != "rollup"
    }
    if "rollup" in populations:
        truth_cells["rollup"] = true_cells(partial.rollup(list(ids)))
    lows: dict[Var, int] = {}
    truth: dict[Var, int] = {}
    for name, cells in populations.items():
        for cell, value in cells.items():
            if value is not None:
                continue
            true = truth_cells[name].get(cell, 0)
            block_hidden = cell.endswith((".count", ".missing")) and not 0 < true < k
            # A count hidden with its whole block may be 0; any other hidden count is suppressed, so >= 1.
            lows[(name, cell)] = 0 if block_hidden else 1
            # A block's count or missing of k or more hidden with its block is no small group.
            if true > 0 and not (block_hidden and true >= k):
                truth[(name, cell)] = true
    equations: list[Equation] = relations(populations, months)
    return integer_attack(equations, lows, truth)


class TestPositivityAttack:
    def test_the_issue_example_recovers_nothing(self) -> None:
        """Regression (issue 14): 5 learners, 4 profiled on four tracks: no hidden cell is forced to 1.

        Before the audit the cohort published total 5 and the zero tracks, so
        every suppressed cell (not profiled, profiled, each track...) was 1 or 4.
        """
        rows = [
            _profiled(f"u{i}", "c-1", t)
            for i, t in enumerate(("defender", "offensive", "innovation", "leadership"))
        ]
        rows.append(_not_profiled("u9", "c-1"))
        assert _recovered([cohort("c-1", enterprise=None)], rows, 5) == set()

    def test_the_issue_example_hides_the_total(self) -> None:
        """The repair suppresses the cohort's total: published, it forced every other hidden cell."""
        rows = [
            _profiled(f"u{i}", "c-1", t)
            for i, t in enumerate(("defender", "offensive", "innovation", "leadership"))
        ]
        rows.append(_not_profiled("u9", "c-1"))
        partial = accumulate(rows)
        report = cohort_reports([cohort("c-1", enterprise=None)], partial)[CohortId("c-1")]
        assert figures(report)["population"]["total"] == {"suppressed": True}  # type: ignore[index]

    def test_the_attacker_finds_a_forced_cell(self) -> None:
        """The oracle works: total 5 published, five hidden cells each >= 1 summing to 5 are all recovered."""
        populations: dict[str, dict[str, int | None]] = {
            "c": {"total": 5, "profiled": None, "not_profiled": None}
        }
        equations = relations(populations, ())
        lows = {("c", "profiled"): 1, ("c", "not_profiled"): 1}
        assert integer_attack(equations, lows, {("c", "profiled"): 4, ("c", "not_profiled"): 1}) == set()
        equations = [[(5, 1), (("c", "a"), -1), (("c", "b"), -1)], [(("c", "a"), 1), (4, -1)]]
        lows = {("c", "a"): 1, ("c", "b"): 1}
        assert integer_attack(equations, lows, {("c", "a"): 4, ("c", "b"): 1}) == {("c", "a"), ("c", "b")}

    @settings(max_examples=60, deadline=None)
    @given(
        ast.enterprise_cohorts(max_cohorts=3),
        ast.learner_rows(("c-1", "c-2", "c-3"), max_learners=14, multi_cohort=False),
        st.integers(2, 5),
    )
    def test_no_suppressed_cell_of_an_enterprise_is_recovered(
        self, cohorts: list[Cohort], rows: list[Row], k: int
    ) -> None:
        """The exact integer attacker, holding every report and positivity, pins no suppressed count."""
        assert _recovered(cohorts, rows, k) == set()

    @settings(max_examples=60, deadline=None)
    @given(ast.learner_rows(("c-1",), max_learners=12), st.integers(2, 6))
    def test_no_suppressed_cell_of_a_lone_cohort_is_recovered(self, rows: list[Row], k: int) -> None:
        """An unsponsored cohort's report pins no suppressed count either."""
        assert _recovered([cohort("c-1", enterprise=None)], rows, k) == set()


def _scored(user: str, cohort_id: str, overall: float) -> Row:
    return _profiled(user, cohort_id, "defender", overall)


def _blocks_and_bands(
    cohorts: list[Cohort], partial: AnalyticsPartial, k: int
) -> list[tuple[dict[str, object], dict[str, int | None]]]:
    """Every published overall block beside its population's readiness bands, over every report."""
    suppression = SuppressionPolicy(k=k)
    bodies = [figures(r) for r in cohort_reports(cohorts, partial, suppression=suppression).values()]
    if all(c.enterprise_id is not None for c in cohorts):
        report = enterprise_report(ORG, cohorts, partial, suppression=suppression)
        bodies.append(figures(report))
    out = []
    for body in bodies:
        scores = body["scores"]
        assert isinstance(scores, dict)
        bands = {b["key"]: (None if isinstance(b["count"], dict) else b["count"]) for b in body["readiness"]}  # type: ignore[attr-defined]
        for kind in ("aptitude", "technical_exposure", "overall"):
            block = scores[kind]
            if block != {"suppressed": True}:
                out.append((block, bands if kind == "overall" else {}))
    return out


class TestOrderStatisticsAttack:
    def test_a_five_learner_block_does_not_publish_the_five_scores(self) -> None:
        """Regression (issue 14): at k = 5 a 5-learner block publishes count, mean, std, no order statistics.

        Before, min, q1, median, q3 and max were the five scores 10, 30, 50, 70, 90.
        """
        rows = [_scored(f"u{i}", "c-1", score) for i, score in enumerate((10.0, 30.0, 50.0, 70.0, 90.0))]
        report = cohort_reports([cohort("c-1", enterprise=None)], accumulate(rows))[CohortId("c-1")]
        block = figures(report)["scores"]["overall"]  # type: ignore[index]
        assert block["count"] == 5
        for name in ("min", "q1", "median", "q3", "max"):
            assert block[name] == {"suppressed": True}, name
        assert order_statistics_attack(block, {}) == (None, {})

    def test_the_attacker_reads_five_scores(self) -> None:
        """The oracle works: a 5-learner block with order statistics gives the scores and the hidden bands."""
        block = {"count": 5, "min": 10.0, "q1": 30.0, "median": 50.0, "q3": 70.0, "max": 90.0}
        bands: dict[str, int | None] = {
            "novice": None,
            "beginner": None,
            "intermediate": None,
            "advanced": None,
        }
        scores, forced = order_statistics_attack(block, bands)
        assert scores == [10.0, 30.0, 50.0, 70.0, 90.0]
        assert forced == {"novice": 2, "beginner": 1, "intermediate": 1, "advanced": 1}

    def test_order_statistics_of_ten_learners_are_coarse(self) -> None:
        """At k = 5, ten learners (5 beginners, 5 intermediate) publish order statistics on a 5-point grid."""
        scores = (41.0, 42.5, 47.0, 51.0, 53.3, 61.0, 66.6, 72.0, 75.0, 78.9)
        rows = [_scored(f"u{i}", "c-1", s) for i, s in enumerate(scores)]
        report = cohort_reports([cohort("c-1", enterprise=None)], accumulate(rows))[CohortId("c-1")]
        block = figures(report)["scores"]["overall"]  # type: ignore[index]
        assert (block["min"], block["max"]) == (40, 80)
        assert all(block[q] % 5 == 0 for q in ("q1", "median", "q3"))

    def test_a_suppressed_band_withholds_the_order_statistics(self) -> None:
        """Ten learners, one advanced (a band of 1, suppressed): min and max would bound the bands: none."""
        scores = (41.0, 42.5, 47.0, 51.0, 53.3, 58.0, 61.0, 66.6, 72.0, 88.0)
        rows = [_scored(f"u{i}", "c-1", s) for i, s in enumerate(scores)]
        report = cohort_reports([cohort("c-1", enterprise=None)], accumulate(rows))[CohortId("c-1")]
        block = figures(report)["scores"]["overall"]  # type: ignore[index]
        assert block["max"] == {"suppressed": True}
        aptitude = figures(report)["scores"]["aptitude"]  # type: ignore[index]
        assert aptitude["max"] == 50

    @settings(max_examples=80, deadline=None)
    @given(
        ast.enterprise_cohorts(max_cohorts=3),
        ast.learner_rows(("c-1", "c-2", "c-3"), max_learners=40),
        st.integers(2, 5),
    )
    def test_no_block_gives_away_a_score_or_a_band(
        self, cohorts: list[Cohort], rows: list[Row], k: int
    ) -> None:
        """Over every report of an enterprise, order statistics recover no score and pin no hidden band."""
        ids = {c.id for c in cohorts}
        partial = accumulate(r for r in rows if r[1] in ids)
        for block, bands in _blocks_and_bands(cohorts, partial, k):
            assert order_statistics_attack(block, bands) == (None, {})
