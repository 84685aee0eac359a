"""Tests for profiler_core.analytics: policy, readiness bands, cohort statistics and partials (SPEC §9)."""

from __future__ import annotations

import ast as pyast
import importlib
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.analytics_builders import (
    A,
    B,
    accumulate,
    enrol,
    result,
    seed_partial,
    session,
    stats_of,
)

from profiler_core import (
    CohortId,
    Enrollment,
    EnrollmentStatus,
    ProfilerResult,
    ProfilerSession,
    SessionId,
    SessionStatus,
    TrackKey,
    UserId,
)
from profiler_core.analytics import (
    DEFAULT_ANALYTICS_POLICY,
    DEFAULT_SUPPRESSION_POLICY,
    AnalyticsAccumulator,
    AnalyticsPartial,
    AnalyticsPolicy,
    CohortStats,
    ReadinessBand,
    ScoreSketch,
    SuppressionPolicy,
    _stats_problems,
    partial_from_values,
    readiness_band,
)
from profiler_core.errors import InvalidPayloadError, InvalidValueError, PolicyError
from profiler_core.serialization import structure, unstructure, unstructure_object
from profiler_core.testing import strategies_analytics as ast


class TestPolicies:
    def test_defaults(self) -> None:
        """The default policies count active and completed enrollments, list five strengths, and use k = 5."""
        assert DEFAULT_ANALYTICS_POLICY.counted_statuses == {
            EnrollmentStatus.ACTIVE,
            EnrollmentStatus.COMPLETED,
        }
        assert DEFAULT_ANALYTICS_POLICY.top_strengths == 5
        assert str(DEFAULT_ANALYTICS_POLICY.ref) == "analytics@1"
        assert DEFAULT_SUPPRESSION_POLICY.k == 5
        assert str(DEFAULT_SUPPRESSION_POLICY.ref) == "suppression@2"

    @pytest.mark.parametrize(
        ("build", "fragment"),
        [
            (lambda: SuppressionPolicy(k=0), "k must be"),
            (lambda: AnalyticsPolicy(top_strengths=0), "top_strengths"),
            (lambda: AnalyticsPolicy(counted_statuses=frozenset()), "counted_statuses"),
        ],
    )
    def test_inconsistent_policies_are_rejected(self, build: object, fragment: str) -> None:
        """A policy that cannot work raises PolicyError naming the problem."""
        with pytest.raises(PolicyError, match=fragment):
            build()  # type: ignore[operator]


class TestReadinessBand:
    @pytest.mark.parametrize(
        ("score", "band"),
        [
            (0.0, ReadinessBand.NOVICE),
            (39.999999, ReadinessBand.NOVICE),
            (40.0, ReadinessBand.BEGINNER),
            (59.99, ReadinessBand.BEGINNER),
            (60.0, ReadinessBand.INTERMEDIATE),
            (79.999, ReadinessBand.INTERMEDIATE),
            (80.0, ReadinessBand.ADVANCED),
            (100.0, ReadinessBand.ADVANCED),
        ],
    )
    def test_bands(self, score: float, band: ReadinessBand) -> None:
        """novice < 40 <= beginner < 60 <= intermediate < 80 <= advanced; 0 is novice."""
        assert readiness_band(score) is band

    def test_labels_and_bounds(self) -> None:
        """Each band has a display label and a [low, high) bin range covering 0..100."""
        assert [b.label for b in ReadinessBand] == [
            "Novice (<40)",
            "Beginner (40-<60)",
            "Intermediate (60-<80)",
            "Advanced (>=80)",
        ]
        assert [b.bounds for b in ReadinessBand] == [(0, 40), (40, 60), (60, 80), (80, 101)]

    def test_rejects_a_non_score(self) -> None:
        """An overall score outside 0..100 is an error, not a band."""
        with pytest.raises(InvalidValueError):
            readiness_band(120.0)


class TestCohortStats:
    def test_seed_cohort_figures(self) -> None:
        """The seed cohort: distinct learners, profiled, scores, tracks, selections, strengths, months."""
        stats = seed_partial().stats_for(A)
        assert (stats.total, stats.profiled, stats.not_profiled) == (12, 9, 3)
        assert stats.profiled_pct == 75.0
        assert stats.aptitude.count == 9
        assert (stats.overall.count, stats.technical_exposure.count) == (8, 9)
        assert dict(stats.tracks) == {"defender": 5, "offensive": 3, "none": 1}
        assert dict(stats.difficulty) == {"novice": 4, "intermediate": 5}
        assert dict(stats.strengths) == {"networking": 9, "security": 6}
        assert dict(stats.completions) == {"2026-03": 6, "2026-04": 3}

    def test_a_retake_counts_once_with_the_latest_session(self) -> None:
        """A learner with two completed sessions counts once, with the later session's scores."""
        earlier = session("s-1", "u-1", days=0, aptitude=99.0, track=TrackKey.GRC)
        later = session("s-2", "u-1", days=5, aptitude=10.0, track=TrackKey.DEFENDER)
        partial = partial_from_values(enrollments=[enrol("u-1", "c-a")], sessions=[earlier, later])
        stats = partial.stats_for(A)
        assert (stats.total, stats.profiled) == (1, 1)
        assert stats.aptitude == ScoreSketch.of([10.0])
        assert dict(stats.tracks) == {"defender": 1}

    def test_a_completed_session_without_result_is_profiled(self) -> None:
        """No result row: the learner is profiled, has no overall score, and nothing crashes."""
        stats = stats_of((session("s-1", "u-1", aptitude=70.0), None))
        assert (stats.total, stats.profiled, stats.overall.count, stats.aptitude.count) == (1, 1, 0, 1)

    def test_zero_scores_are_scores(self) -> None:
        """Scores of 0 are counted in every statistic."""
        stats = stats_of((session("s-1", "u-1", aptitude=0.0, technical=0.0), result("s-1", 0.0)))
        assert (stats.aptitude.count, stats.technical_exposure.count, stats.overall.count) == (1, 1, 1)
        assert stats.overall.bins[0] == 1

    @pytest.mark.parametrize(
        "learner",
        [None, session("s-1", "u-1", status=SessionStatus.IN_PROGRESS, days=None, aptitude=80.0)],
    )
    def test_a_learner_without_a_completed_session_is_not_profiled(
        self, learner: ProfilerSession | None
    ) -> None:
        """add(None) or an incomplete session adds a learner who has not profiled."""
        stats = CohortStats.empty().add(learner)
        assert (stats.total, stats.profiled, stats.aptitude.count) == (1, 0, 0)

    def test_strengths_of_session_and_result_count_once_per_learner(self) -> None:
        """A strength named by both the session and the result (any case/spacing) counts once."""
        stats = stats_of(
            (
                session("s-1", "u-1", strengths=("Networking", "web")),
                result("s-1", 50.0, ("networking ", "Web")),
            )
        )
        assert dict(stats.strengths) == {"networking": 1, "web": 1}

    def test_aptitude_falls_back_to_the_result(self) -> None:
        """When the session has no aptitude score, the result's is used."""
        stats = stats_of(
            (session("s-1", "u-1"), ProfilerResult(session_id=SessionId("s-1"), aptitude_score=33.0))
        )
        assert stats.aptitude == ScoreSketch.of([33.0])

    def test_completion_month_is_utc(self) -> None:
        """Completions are counted in the UTC month of completed_at."""
        late = ProfilerSession(
            id=SessionId("s-1"),
            user_id=UserId("u-1"),
            status=SessionStatus.LOCKED,
            completed_at=datetime(2026, 3, 31, 22, 0, tzinfo=timezone(timedelta(hours=-5))),
        )
        assert dict(stats_of((late, None)).completions) == {"2026-04": 1}

    def test_undated_completion_counts_as_profiled(self) -> None:
        """A completed session without completed_at is profiled but in no month."""
        stats = stats_of((session("s-1", "u-1", days=None), None))
        assert (stats.profiled, dict(stats.completions)) == (1, {})

    @given(ast.cohort_stats(), ast.cohort_stats(), ast.cohort_stats())
    def test_merge_is_associative_and_commutative(
        self, a: CohortStats, b: CohortStats, c: CohortStats
    ) -> None:
        """merge is associative and commutative, exactly."""
        assert a.merge(b).merge(c) == a.merge(b.merge(c))
        assert a.merge(b) == b.merge(a)

    @given(ast.cohort_stats())
    def test_empty_is_the_identity(self, a: CohortStats) -> None:
        """Merging with empty() changes nothing."""
        assert a.merge(CohortStats.empty()) == a == CohortStats.empty().merge(a)

    @given(ast.cohort_stats())
    def test_round_trips_through_json(self, stats: CohortStats) -> None:
        """structure(json(unstructure(stats)), CohortStats) gives back equal statistics."""
        assert structure(json.loads(json.dumps(unstructure(stats))), CohortStats) == stats

    @given(ast.cohort_stats())
    def test_profiled_pct_is_a_percentage(self, stats: CohortStats) -> None:
        """profiled_pct is within 0..100 (None for an empty population)."""
        pct = stats.profiled_pct
        assert pct is None if stats.total == 0 else 0 <= pct <= 100  # type: ignore[operator]

    def test_zero_counts_are_dropped(self) -> None:
        """Distributions keep no zero entries, so equal statistics compare equal."""
        assert CohortStats(
            total=1, profiled=1, tracks={"grc": 1, "defender": 0}, difficulty={"not_selected": 1}
        ) == (CohortStats(total=1, profiled=1, tracks={"grc": 1}, difficulty={"not_selected": 1}))

    @pytest.mark.parametrize(
        ("patch", "path"),
        [
            ({"profiled": 20}, "$.profiled"),
            ({"tracks": {"grc": 2}}, "$.tracks"),
            ({"tracks": {"blue": 9}}, "$.tracks"),
            ({"difficulty": {"novice": -1}}, "$.difficulty"),
            ({"strengths": {"web": 50}}, "$.strengths"),
            ({"completions": {"2026-13": 1}}, "$.completions"),
            ({"completions": {"2026-03": 50}}, "$.completions"),
            ({"aptitude": {"count": 1}}, "$.aptitude.bins"),
            ({"overall": "x"}, "$.overall"),
            ({"total": None}, "$.total"),
        ],
    )
    def test_structure_reports_problems_with_paths(self, patch: dict[str, object], path: str) -> None:
        """Corrupted statistics are rejected, each problem with its path."""
        data = {**unstructure_object(seed_partial().stats_for(A)), **patch}
        with pytest.raises(InvalidPayloadError) as caught:
            structure(data, CohortStats)
        assert any(p.path.startswith(path) for p in caught.value.problems), caught.value.problems

    def test_structure_needs_an_object(self) -> None:
        """A list is not statistics."""
        with pytest.raises(InvalidPayloadError, match="must be an object"):
            structure([], CohortStats)

    def test_score_counts_cannot_exceed_profiled(self) -> None:
        """A sketch with more scores than profiled learners is inconsistent."""
        with pytest.raises(InvalidValueError, match="must not exceed profiled"):
            CohortStats(
                total=1,
                profiled=1,
                aptitude=ScoreSketch.of([1.0, 2.0]),
                tracks={"none": 1},
                difficulty={"novice": 1},
            )


class TestAnalyticsPartial:
    def test_a_learner_in_two_cohorts_counts_once_in_the_rollup(self) -> None:
        """Counted in c-a and c-b: once in each cohort, once in their rollup."""
        partial = partial_from_values(
            enrollments=[enrol("u-1", "c-a"), enrol("u-1", "c-b"), enrol("u-2", "c-b")],
            sessions=[session("s-1", "u-1", aptitude=50.0)],
        )
        assert (partial.stats_for(A).total, partial.stats_for(B).total) == (1, 2)
        assert partial.rollup([A, B]).total == 2
        assert partial.cohort_ids == {A, B}

    def test_duplicate_enrollments_collapse(self) -> None:
        """The same learner enrolled twice in a cohort is one learner."""
        partial = partial_from_values(enrollments=[enrol("u-1", "c-a"), enrol("u-1", "c-a")], sessions=[])
        assert partial.stats_for(A).total == 1

    @pytest.mark.parametrize(
        ("status", "counted"),
        [(s, s in {EnrollmentStatus.ACTIVE, EnrollmentStatus.COMPLETED}) for s in EnrollmentStatus],
    )
    def test_only_counted_statuses_form_the_population(self, status: EnrollmentStatus, counted: bool) -> None:
        """active and completed enrollments count by default; the other statuses do not."""
        partial = partial_from_values(enrollments=[enrol("u-1", "c-a", status)], sessions=[])
        assert partial.stats_for(A).total == int(counted)

    def test_a_policy_can_count_other_statuses(self) -> None:
        """counted_statuses decides the population."""
        policy = AnalyticsPolicy(counted_statuses=frozenset({EnrollmentStatus.SUSPENDED}))
        partial = partial_from_values(
            enrollments=[enrol("u-1", "c-a", EnrollmentStatus.SUSPENDED), enrol("u-2", "c-a")],
            sessions=[],
            policy=policy,
        )
        assert partial.stats_for(A).total == 1

    @given(
        st.lists(ast.learner_rows(("c-1",), max_learners=8), min_size=1, max_size=1), ast.analytics_policies()
    )
    def test_the_population_is_the_distinct_counted_learners(
        self, batches: list[list[tuple[object, ...]]], policy: AnalyticsPolicy
    ) -> None:
        """Under any policy, a cohort's total is the number of distinct learners with a counted status."""
        rows = batches[0]
        enrollments = [
            Enrollment(
                user_id=UserId(str(r[0])), cohort_id=CohortId(str(r[1])), status=EnrollmentStatus(str(r[2]))
            )
            for r in rows
        ]
        partial = partial_from_values(enrollments=enrollments, sessions=[], policy=policy)
        counted = {e.user_id for e in enrollments if e.status in policy.counted_statuses}
        assert partial.stats_for(CohortId("c-1")).total == len(counted)

    def test_results_may_be_keyed_by_session(self) -> None:
        """results= accepts a mapping from session id to result."""
        partial = partial_from_values(
            enrollments=[enrol("u-1", "c-a")],
            sessions=[session("s-1", "u-1")],
            results={SessionId("s-1"): result("s-1", 61.0)},
        )
        assert partial.stats_for(A).overall == ScoreSketch.of([61.0])

    def test_unknown_cohort_is_empty(self) -> None:
        """A cohort nobody is counted in has empty statistics."""
        assert seed_partial().stats_for(CohortId("c-zzz")) == CohortStats.empty()

    @given(ast.analytics_partials(), ast.analytics_partials(), ast.analytics_partials())
    def test_merge_is_a_commutative_monoid(
        self, a: AnalyticsPartial, b: AnalyticsPartial, c: AnalyticsPartial
    ) -> None:
        """Partials merge associatively and commutatively, with empty() as identity."""
        assert a.merge(b).merge(c) == a.merge(b.merge(c))
        assert a.merge(b) == b.merge(a)
        assert a.merge(AnalyticsPartial.empty()) == a

    @given(ast.learner_rows(("c-1", "c-2", "c-3")), st.data())
    def test_merging_learner_partitions_equals_the_union(
        self, rows: list[tuple[object, ...]], data: st.DataObject
    ) -> None:
        """Partition learners by id, accumulate each part, merge: equal to accumulating everything."""
        users = sorted({str(row[0]) for row in rows})
        part_of = {u: data.draw(st.integers(min_value=0, max_value=2)) for u in users}
        parts = [accumulate(row for row in rows if part_of[str(row[0])] == p) for p in range(3)]
        assert AnalyticsPartial.merge_all(parts) == accumulate(rows)

    @given(ast.analytics_partials())
    def test_round_trips_through_json(self, partial: AnalyticsPartial) -> None:
        """structure(json(unstructure(partial)), AnalyticsPartial) gives back an equal partial."""
        assert structure(json.loads(json.dumps(unstructure(partial))), AnalyticsPartial) == partial

    @pytest.mark.parametrize(
        ("data", "path"),
        [
            ({}, "$.memberships"),
            ({"memberships": [{"cohorts": [], "stats": {}}]}, "$.memberships[0].cohorts"),
            ({"memberships": [{"cohorts": ["c-1"], "stats": []}]}, "$.memberships[0].stats"),
            (
                {"memberships": [{"cohorts": ["c-1"], "stats": unstructure(CohortStats())}] * 2},
                "$.memberships[1].cohorts",
            ),
        ],
    )
    def test_structure_reports_problems(self, data: object, path: str) -> None:
        """A malformed partial is rejected with the path of each problem."""
        with pytest.raises(InvalidPayloadError) as caught:
            structure(data, AnalyticsPartial)
        assert path in {p.path for p in caught.value.problems}


class TestLayering:
    @pytest.mark.parametrize("module", ["analytics", "sketches", "accumulation", "suppression", "reports"])
    def test_analytics_modules_never_import_the_wire_edge(self, module: str) -> None:
        """The analytics modules read numbers and timestamps without importing profiler_core.serialization."""
        source = Path(importlib.import_module(f"profiler_core.{module}").__file__ or "").read_text()
        imported = {
            node.module if isinstance(node, pyast.ImportFrom) else alias.name
            for node in pyast.walk(pyast.parse(source))
            if isinstance(node, pyast.Import | pyast.ImportFrom)
            for alias in node.names
        }
        assert "profiler_core.serialization" not in imported

    def test_the_base_module_never_imports_its_dependants_at_load_time(self) -> None:
        """profiler_core.analytics imports none of the modules built on it at module level."""
        source = Path(importlib.import_module("profiler_core.analytics").__file__ or "").read_text()
        top_level = {
            node.module
            for node in pyast.parse(source).body
            if isinstance(node, pyast.ImportFrom) and node.module is not None
        }
        built_on = {f"profiler_core.{m}" for m in ("accumulation", "suppression", "reports")}
        assert top_level.isdisjoint(built_on)
        assert "profiler_core.sketches" in top_level


class TestUncheckedStats:
    """Statistics the library counts itself skip the re-check (issue 15), and still pass every check."""

    @given(ast.analytics_partials())
    def test_accumulated_statistics_are_valid(self, partial: AnalyticsPartial) -> None:
        """Every membership the accumulator freezes passes the checks (no zero count, months in order)."""
        for stats in partial.memberships.values():
            assert _stats_problems(stats, "$") == []
            assert attrs.evolve(stats) == stats  # evolve runs the converters and validators
            assert list(stats.completions) == sorted(stats.completions)
            assert all(stats.tracks.values())
            assert all(stats.strengths.values())

    @given(st.lists(ast.cohort_stats(), max_size=4))
    def test_merges_are_valid(self, items: list[CohortStats]) -> None:
        """A merge of valid statistics passes the checks, and its counts are the sums."""
        merged = CohortStats.merge_all(items)
        assert _stats_problems(merged, "$") == []
        assert attrs.evolve(merged) == merged
        assert merged.total == sum(s.total for s in items)
        assert sum(merged.tracks.values()) == merged.profiled

    def test_the_frozen_statistics_do_not_follow_the_accumulator(self) -> None:
        """A partial taken mid-stream keeps its counts when the accumulator goes on (the maps are copies)."""
        accumulator = AnalyticsAccumulator()
        row = ("u-1", "c-1", "active", "finished", None, None, "grc", 10.0, None, None, ("web",))
        accumulator.add_rows([row])
        first = accumulator.partial()
        accumulator.add_rows([("u-2", *row[1:])])
        assert dict(first.stats_for("c-1").tracks) == {"grc": 1}
        assert dict(accumulator.partial().stats_for("c-1").tracks) == {"grc": 2}
