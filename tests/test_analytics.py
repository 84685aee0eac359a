"""Tests for profiler_core.analytics: mergeable statistics, reports and suppression (SPEC §9)."""

from __future__ import annotations

import ast as pyast
import importlib
import json
import math
import statistics
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from profiler_core import (
    Cohort,
    CohortId,
    Enrollment,
    EnrollmentStatus,
    OrgId,
    ProfilerResult,
    ProfilerSession,
    SessionId,
    SessionStatus,
    TrackKey,
    UserId,
)
from profiler_core.analytics import (
    BIN_COUNT,
    DEFAULT_ANALYTICS_POLICY,
    DEFAULT_SUPPRESSION_POLICY,
    ROW_FIELDS,
    SUPPRESSED,
    AnalyticsAccumulator,
    AnalyticsPartial,
    AnalyticsPolicy,
    Bucket,
    CohortReport,
    CohortStats,
    EnterpriseReport,
    ReadinessBand,
    ScoreSketch,
    ScoreSummary,
    Suppressed,
    SuppressionPolicy,
    cohort_report,
    cohort_reports,
    enterprise_report,
    learner_row,
    partial_from_values,
    readiness_band,
    summarize_scores,
)
from profiler_core.errors import InvalidPayloadError, InvalidValueError, PolicyError
from profiler_core.testing import strategies_analytics as ast
from profiler_core.vocabulary import DifficultySelection

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ORG = OrgId("org-1")
A, B = CohortId("c-a"), CohortId("c-b")


# --- builders -----------------------------------------------------------------------


def session(
    sid: str,
    user: str,
    *,
    status: SessionStatus = SessionStatus.FINISHED,
    days: int | None = 0,
    aptitude: float | None = None,
    technical: float | None = None,
    track: TrackKey | None = None,
    selection: DifficultySelection | None = None,
    strengths: tuple[str, ...] = (),
) -> ProfilerSession:
    return ProfilerSession(
        id=SessionId(sid),
        user_id=UserId(user),
        status=status,
        started_at=T0,
        completed_at=None if days is None else T0 + timedelta(days=days),
        aptitude_score=aptitude,
        technical_exposure_score=technical,
        recommended_track=track,
        difficulty_selection=selection,
        strengths=strengths,
    )


def result(sid: str, overall: float | None, strengths: tuple[str, ...] = ()) -> ProfilerResult:
    return ProfilerResult(session_id=SessionId(sid), overall_score=overall, strengths=strengths)


def enrol(user: str, cohort: str, status: EnrollmentStatus = EnrollmentStatus.ACTIVE) -> Enrollment:
    return Enrollment(user_id=UserId(user), cohort_id=CohortId(cohort), status=status)


def cohort(cid: str, name: str = "Autumn Defenders", enterprise: str | None = ORG) -> Cohort:
    return Cohort(
        id=CohortId(cid), name=name, enterprise_id=None if enterprise is None else OrgId(enterprise)
    )


def stats_of(*learners: tuple[ProfilerSession | None, ProfilerResult | None]) -> CohortStats:
    stats = CohortStats.empty()
    for learner_session, learner_result in learners:
        stats = stats.add(learner_session, learner_result)
    return stats


def accumulate(rows: Iterable[Sequence[object] | Mapping[str, object]]) -> AnalyticsPartial:
    accumulator = AnalyticsAccumulator()
    accumulator.add_rows(rows)
    return accumulator.partial()


# The seed scenario: cohort c-a (12 counted learners, 2 withdrawn) and c-b (6), both named
# "Autumn Defenders" and sponsored by org-1. Every figure below is computed by hand.
APTITUDES = [0.0, 10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0]
OVERALLS = [0.0, 35.0, 45.0, 55.0, 65.0, 75.0, 85.0, 95.0]


def seed() -> tuple[list[Cohort], list[Enrollment], list[ProfilerSession], list[ProfilerResult]]:
    cohorts = [cohort("c-a"), cohort("c-b")]
    enrollments = [enrol(f"a{i:02d}", "c-a") for i in range(1, 13)]
    enrollments += [
        enrol("a13", "c-a", EnrollmentStatus.WITHDRAWN),
        enrol("a14", "c-a", EnrollmentStatus.PENDING_PAYMENT),
    ]
    enrollments += [enrol(f"b{i:02d}", "c-b", EnrollmentStatus.COMPLETED) for i in range(1, 7)]
    sessions: list[ProfilerSession] = []
    results: list[ProfilerResult] = []
    for i in range(1, 10):
        sid = f"sa{i:02d}"
        sessions.append(
            session(
                sid,
                f"a{i:02d}",
                days=10 if i <= 6 else 40,
                aptitude=APTITUDES[i - 1],
                technical=50.0,
                track=TrackKey.DEFENDER if i <= 5 else TrackKey.OFFENSIVE if i <= 8 else None,
                selection=DifficultySelection.NOVICE if i <= 4 else DifficultySelection.INTERMEDIATE,
                strengths=("networking", "Security ") if i <= 6 else ("networking",),
            )
        )
        if i <= 8:  # a09 completed without a result row
            results.append(result(sid, OVERALLS[i - 1], strengths=("networking",)))
    # a03 retook the profiler: the earlier completed session must not count.
    sessions.append(session("sa03-old", "a03", days=-20, aptitude=99.0, track=TrackKey.GRC))
    results.append(result("sa03-old", 99.0))
    sessions.append(session("sa10", "a10", status=SessionStatus.IN_PROGRESS, days=None, aptitude=90.0))
    sessions.append(session("sa12", "a12", status=SessionStatus.STARTED, days=None))
    sessions.append(session("sa13", "a13", aptitude=50.0))  # withdrawn: not in the population
    for i in range(1, 7):
        sid = f"sb{i:02d}"
        sessions.append(session(sid, f"b{i:02d}", days=12, aptitude=70.0, technical=60.0, track=TrackKey.GRC))
        results.append(result(sid, 70.0))
    return cohorts, enrollments, sessions, results


def seed_partial() -> AnalyticsPartial:
    _cohorts, enrollments, sessions, results = seed()
    return partial_from_values(enrollments=enrollments, sessions=sessions, results=results)


NO_SUPPRESSION = SuppressionPolicy(k=1)


# --- policies -------------------------------------------------------------------------


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
        assert str(DEFAULT_SUPPRESSION_POLICY.ref) == "suppression@1"

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


# --- score sketch ---------------------------------------------------------------------


class TestScoreSketch:
    def test_of_counts_zero_as_a_score(self) -> None:
        """Zero is a score: it is counted, binned and is the minimum."""
        sketch = ScoreSketch.of([0.0, 0.0, 100.0])
        assert (sketch.count, sketch.minimum, sketch.maximum) == (3, 0, 100_000_000)
        assert sketch.bins[0] == 2
        assert sketch.bins[100] == 1

    def test_empty_is_the_default(self) -> None:
        """empty() has no scores, no extremes and all-zero bins."""
        empty = ScoreSketch.empty()
        assert (empty.count, empty.total, empty.minimum, empty.maximum) == (0, 0, None, None)
        assert empty.bins == (0,) * BIN_COUNT
        assert empty == ScoreSketch()

    def test_add_is_merge_of_one(self) -> None:
        """add(score) equals the sketch of the scores with that score added."""
        assert ScoreSketch.of([10.0]).add(20.5) == ScoreSketch.of([10.0, 20.5])

    @pytest.mark.parametrize("bad", [-0.5, 100.01, math.nan, math.inf, "high", True])
    def test_of_rejects_non_scores(self, bad: object) -> None:
        """Scores outside 0..100, NaN, infinities, text and booleans are rejected with their index."""
        with pytest.raises(InvalidValueError, match=r"\$\[1\]"):
            ScoreSketch.of([50.0, bad])  # type: ignore[list-item]

    def test_accepts_numeric_strings_and_decimals(self) -> None:
        """DRF's numeric strings and Decimals are scores too."""
        assert ScoreSketch.of(["85.50", Decimal("14.5")]) == ScoreSketch.of([85.5, 14.5])  # type: ignore[list-item]

    @given(ast.score_sketches(), ast.score_sketches(), ast.score_sketches())
    def test_merge_is_associative_and_commutative(
        self, a: ScoreSketch, b: ScoreSketch, c: ScoreSketch
    ) -> None:
        """Merging is associative and commutative, exactly (integer state)."""
        assert a.merge(b).merge(c) == a.merge(b.merge(c))
        assert a.merge(b) == b.merge(a)

    @given(ast.score_sketches())
    def test_empty_is_the_identity(self, a: ScoreSketch) -> None:
        """Merging with empty() changes nothing, on either side."""
        assert a.merge(ScoreSketch.empty()) == a == ScoreSketch.empty().merge(a)

    @given(st.lists(ast.analytics_scores(), max_size=20), st.lists(ast.analytics_scores(), max_size=20))
    def test_merging_parts_equals_the_sketch_of_the_union(
        self, left: list[float], right: list[float]
    ) -> None:
        """The sketch of two lists merged equals the sketch of their concatenation."""
        assert ScoreSketch.of(left).merge(ScoreSketch.of(right)) == ScoreSketch.of(left + right)

    @given(ast.score_sketches())
    def test_round_trips_through_json(self, sketch: ScoreSketch) -> None:
        """from_dict(json(to_dict())) gives back an equal sketch."""
        assert ScoreSketch.from_dict(json.loads(json.dumps(sketch.to_dict()))) == sketch

    @pytest.mark.parametrize(
        ("patch", "path"),
        [
            ({"count": 3}, "$.count"),
            ({"bins": [1] * 3}, "$.bins"),
            ({"minimum": None}, "$.minimum"),
            ({"total": "7"}, "$.total"),
            ({"total": 10}, "$.total"),
            ({"total_sq": 0}, "$.total_sq"),
            ({"minimum": 70_000_000}, "$.minimum"),
            ({"maximum": 20_000_000, "minimum": 10_000_000}, "$.bins"),
        ],
    )
    def test_from_dict_reports_inconsistent_state(self, patch: dict[str, object], path: str) -> None:
        """A tampered or corrupted sketch is rejected with the path of the problem."""
        data = {**ScoreSketch.of([20.0, 60.0]).to_dict(), **patch}
        with pytest.raises(InvalidPayloadError) as caught:
            ScoreSketch.from_dict(data)
        assert path in {p.path for p in caught.value.problems}

    @pytest.mark.parametrize("data", [None, [], "sketch"])
    def test_from_dict_needs_an_object(self, data: object) -> None:
        """Anything but an object is one problem at $."""
        with pytest.raises(InvalidPayloadError, match=r"\$: must be an object"):
            ScoreSketch.from_dict(data)

    def test_empty_sketch_with_sums_is_rejected(self) -> None:
        """An empty sketch cannot carry sums or extremes."""
        with pytest.raises(InvalidValueError, match="empty sketch"):
            ScoreSketch(count=0, total=5)

    def test_inconsistent_sketch_is_a_value_error_not_a_payload_error(self) -> None:
        """A sketch whose bins disagree with its count raises InvalidValueError naming the field."""
        with pytest.raises(InvalidValueError) as caught:
            ScoreSketch(count=2, total=0, bins=(0,) * 101)
        assert not isinstance(caught.value, InvalidPayloadError)
        assert caught.value.field == "count"


class TestSummarizeScores:
    @pytest.mark.parametrize(
        ("scores", "expected"),
        [
            (APTITUDES, (9, 40.0, 25.82, 0.0, 20.0, 40.0, 60.0, 80.0)),
            ([0.0, 20.0, 40.0, 60.0, 80.0], (5, 40.0, 28.28, 0.0, 20.0, 40.0, 60.0, 80.0)),
            ([0.0, 0.0, 0.0], (3, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)),
            ([100.0, 100.0], (2, 100.0, 0.0, 100.0, 100.0, 100.0, 100.0, 100.0)),
            ([42.0], (1, 42.0, 0.0, 42.0, 42.0, 42.0, 42.0, 42.0)),
        ],
    )
    def test_known_summaries(self, scores: list[float], expected: tuple[float, ...]) -> None:
        """Count, mean, population std, min, quartiles and max of known lists (computed by hand)."""
        summary = summarize_scores(ScoreSketch.of(scores))
        assert summary is not None
        got = (
            summary.count,
            summary.mean,
            summary.std,
            summary.minimum,
            summary.q1,
            summary.median,
            summary.q3,
        )
        assert (*got, summary.maximum) == expected

    def test_empty_has_no_summary(self) -> None:
        """An empty sketch has nothing to summarise."""
        assert summarize_scores(ScoreSketch.empty()) is None

    def test_missing_is_carried(self) -> None:
        """missing= is copied into the summary."""
        summary = summarize_scores(ScoreSketch.of([10.0]), missing=3)
        assert summary is not None
        assert summary.missing == 3

    @pytest.mark.parametrize(
        ("scores", "quartiles"),
        [
            # Positions 0.75, 1.5, 2.25 between integer scores: interpolated exactly.
            ([1.0, 2.0, 3.0, 4.0], (1.75, 2.5, 3.25)),
            ([10.0, 20.0, 30.0, 40.0, 50.0, 60.0], (22.5, 35.0, 47.5)),
            # 78.5 alone in bin 78 is placed at 78 (min and max stay exact): median 78, not 78.5.
            ([10.0, 78.5, 90.0], (44.0, 78.0, 84.0)),
        ],
    )
    def test_known_quartiles(self, scores: list[float], quartiles: tuple[float, float, float]) -> None:
        """Quartiles interpolate between order statistics; a lone non-integer score sits at its bin's edge."""
        summary = summarize_scores(ScoreSketch.of(scores))
        assert summary is not None
        assert (summary.q1, summary.median, summary.q3) == quartiles

    @given(st.lists(ast.analytics_scores(), min_size=2, max_size=60))
    def test_quartiles_are_within_one_point(self, scores: list[float]) -> None:
        """Bin-estimated quartiles lie within 1 point of the exact linear-interpolation quartiles."""
        summary = summarize_scores(ScoreSketch.of(scores))
        assert summary is not None
        exact = statistics.quantiles(scores, n=4, method="inclusive")
        for estimate, truth in zip((summary.q1, summary.median, summary.q3), exact, strict=True):
            assert abs(estimate - truth) < 1.0 + 0.005  # plus the 2-decimal rounding

    @given(st.lists(ast.analytics_scores(), min_size=1, max_size=60))
    def test_mean_std_min_max_are_exact(self, scores: list[float]) -> None:
        """Mean, population std, min and max match statistics' exact values (to the 2-decimal rounding)."""
        summary = summarize_scores(ScoreSketch.of(scores))
        assert summary is not None
        assert summary.mean == pytest.approx(statistics.fmean(scores), abs=0.0051)
        assert summary.std == pytest.approx(statistics.pstdev(scores), abs=0.0051)
        assert (summary.minimum, summary.maximum) == (round(min(scores), 2), round(max(scores), 2))


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


# --- cohort statistics ----------------------------------------------------------------


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
        """from_dict(json(to_dict())) gives back equal statistics."""
        assert CohortStats.from_dict(json.loads(json.dumps(stats.to_dict()))) == stats

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
    def test_from_dict_reports_problems_with_paths(self, patch: dict[str, object], path: str) -> None:
        """Corrupted statistics are rejected, each problem with its path."""
        data = {**seed_partial().stats_for(A).to_dict(), **patch}
        with pytest.raises(InvalidPayloadError) as caught:
            CohortStats.from_dict(data)
        assert any(p.path.startswith(path) for p in caught.value.problems), caught.value.problems

    def test_from_dict_needs_an_object(self) -> None:
        """A list is not statistics."""
        with pytest.raises(InvalidPayloadError, match="must be an object"):
            CohortStats.from_dict([])

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


# --- partials and accumulation ----------------------------------------------------------


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
        """from_dict(json(to_dict())) gives back an equal partial."""
        assert AnalyticsPartial.from_dict(json.loads(json.dumps(partial.to_dict()))) == partial

    @pytest.mark.parametrize(
        ("data", "path"),
        [
            ({}, "$.memberships"),
            ({"memberships": [{"cohorts": [], "stats": {}}]}, "$.memberships[0].cohorts"),
            ({"memberships": [{"cohorts": ["c-1"], "stats": []}]}, "$.memberships[0].stats"),
            (
                {"memberships": [{"cohorts": ["c-1"], "stats": CohortStats().to_dict()}] * 2},
                "$.memberships[1].cohorts",
            ),
        ],
    )
    def test_from_dict_reports_problems(self, data: object, path: str) -> None:
        """A malformed partial is rejected with the path of each problem."""
        with pytest.raises(InvalidPayloadError) as caught:
            AnalyticsPartial.from_dict(data)
        assert path in {p.path for p in caught.value.problems}


class TestAnalyticsAccumulator:
    ROW = (
        "u-1",
        "c-a",
        "active",
        "finished",
        "2026-03-02T10:00:00Z",
        "novice",
        "grc",
        55.0,
        20.0,
        0.0,
        ["web"],
    )

    def test_tuple_and_dict_rows_agree(self) -> None:
        """A dict row with ROW_FIELDS keys is the same learner as the tuple row."""
        assert accumulate([self.ROW]) == accumulate([dict(zip(ROW_FIELDS, self.ROW, strict=True))])

    def test_rows_and_values_agree(self) -> None:
        """Host rows and library values describe the same statistics."""
        _cohorts, enrollments, sessions, results = seed()
        latest = {
            s.user_id: s for s in sessions if s.id in {r.session_id for r in results} | {SessionId("sa09")}
        }
        latest.pop(UserId("a03"), None)
        latest[UserId("a03")] = next(s for s in sessions if s.id == "sa03")
        by_session = {r.session_id: r for r in results}
        rows = []
        for e in sorted(enrollments, key=lambda e: e.user_id):
            learner_session = latest.get(e.user_id)
            fields = learner_row(
                learner_session, by_session.get(learner_session.id) if learner_session else None
            )
            rows.append((e.user_id, e.cohort_id, e.status.value, *fields[3:]))
        assert accumulate(rows) == seed_partial()

    def test_a_learner_rows_in_two_cohorts_make_one_learner(self) -> None:
        """Consecutive rows of one learner in two cohorts: one learner in the rollup."""
        rows = [self.ROW, ("u-1", "c-b", *self.ROW[2:]), ("u-2", "c-b", "completed", *(None,) * 7, ())]
        partial = accumulate(rows)
        assert (partial.stats_for(A).total, partial.stats_for(B).total, partial.rollup([A, B]).total) == (
            1,
            2,
            2,
        )

    def test_uncounted_rows_are_skipped(self) -> None:
        """A withdrawn enrollment adds nobody."""
        partial = accumulate([("u-1", "c-a", "withdrawn", *self.ROW[3:])])
        assert partial == AnalyticsPartial.empty()

    def test_host_spellings_are_accepted(self) -> None:
        """Aliases, integer cohort ids, Decimal and string scores, aware datetimes, mixed-case selections."""
        row = (
            "u-1",
            7,
            "active",
            "locked",
            datetime(2026, 3, 2, tzinfo=timezone(timedelta(hours=2))),
            "Advanced",
            "Red Team",
            Decimal("55.5"),
            "20",
            0,
            ("Web",),
        )
        stats = accumulate([row]).stats_for(CohortId("7"))
        assert dict(stats.tracks) == {"offensive": 1}
        assert dict(stats.difficulty) == {"advanced": 1}
        assert dict(stats.completions) == {"2026-03": 1}
        assert stats.aptitude == ScoreSketch.of([55.5])
        assert stats.overall == ScoreSketch.of([0.0])

    def test_blank_track_and_selection_mean_none(self) -> None:
        """A blank track is "none" and a blank selection is "not_selected"."""
        row = ("u-1", "c-a", "active", "finished", None, "  ", " ", None, None, None, ())
        stats = accumulate([row]).stats_for(A)
        assert (dict(stats.tracks), dict(stats.difficulty)) == ({"none": 1}, {"not_selected": 1})

    @pytest.mark.parametrize(
        ("index", "value", "path"),
        [
            (7, 101.0, "$[1].aptitude_score"),
            (8, "lots", "$[1].technical_exposure_score"),
            (9, -1, "$[1].overall_score"),
            (6, "blue team", "$[1].recommended_track"),
            (6, 3, "$[1].recommended_track"),
            (5, "godlike", "$[1].difficulty_selection"),
            (5, 4, "$[1].difficulty_selection"),
            (4, "2026-03-02T10:00:00", "$[1].completed_at"),
            (4, 12, "$[1].completed_at"),
            (3, "done", "$[1].session_status"),
            (2, "expelled", "$[1].enrollment_status"),
            (10, "web", "$[1].strengths"),
            (10, [1], "$[1].strengths"),
            (1, "", "$[1].cohort_id"),
        ],
    )
    def test_bad_rows_are_reported_with_their_index(self, index: int, value: object, path: str) -> None:
        """A bad row raises InvalidPayloadError naming the row and field; nothing is skipped silently."""
        bad = list(self.ROW)
        bad[0] = "u-2"
        bad[index] = value
        accumulator = AnalyticsAccumulator()
        with pytest.raises(InvalidPayloadError) as caught:
            accumulator.add_rows([self.ROW, tuple(bad), ("u-3", *self.ROW[1:])])
        assert [p.path for p in caught.value.problems] == [path]

    @pytest.mark.parametrize(
        ("index", "value"),
        [(3, "done"), (4, "yesterday"), (6, "blue team"), (9, 150.0), (10, [1])],
    )
    def test_a_bad_learner_leaves_the_statistics_unchanged(self, index: int, value: object) -> None:
        """A reported bad row adds nothing (not even to total), and the rows after it still count."""
        bad = list(self.ROW)
        bad[0] = "u-2"
        bad[index] = value
        accumulator = AnalyticsAccumulator()
        with pytest.raises(InvalidPayloadError):
            accumulator.add_rows([self.ROW, tuple(bad), ("u-3", *self.ROW[1:])])
        accumulator.add_rows([("u-3", *self.ROW[1:])])
        stats = accumulator.partial().stats_for(A)
        assert (stats.total, stats.profiled, dict(stats.tracks), dict(stats.strengths)) == (
            2,
            2,
            {"grc": 2},
            {"web": 2},
        )
        assert stats.aptitude == ScoreSketch.of([55.0, 55.0])

    @pytest.mark.parametrize("row", [("u-1", "c-a"), "u-1,c-a", 7])
    def test_malformed_rows_are_reported(self, row: object) -> None:
        """A row that is neither a mapping nor an 11-item sequence is an error at its index."""
        with pytest.raises(InvalidPayloadError, match=r"\$\[0\]"):
            AnalyticsAccumulator().add_rows([row])  # type: ignore[list-item]

    def test_add_row_and_add_learner(self) -> None:
        """add_row adds one row; add_learner adds a learner by values; rows_seen counts both."""
        accumulator = AnalyticsAccumulator()
        accumulator.add_row(self.ROW)
        accumulator.add_learner([B], session("s-9", "u-9", aptitude=0.0), result("s-9", 12.0))
        accumulator.add_learner([], None)
        partial = accumulator.partial()
        assert accumulator.rows_seen == 3
        assert (partial.stats_for(A).total, partial.stats_for(B).overall) == (1, ScoreSketch.of([12.0]))

    def test_list_rows_three_cohorts_and_odd_strengths(self) -> None:
        """List rows work; a learner in three cohorts is one membership; blank and set strengths work."""
        rows = [
            ["u-1", "c-a", "active", "finished", None, None, None, None, None, None, {"Web", " "}],
            ["u-1", "c-b", "active", "finished", None, None, None, None, None, None, {"Web", " "}],
            ["u-1", "c-c", "completed", "finished", None, None, None, None, None, None, {"Web", " "}],
        ]
        partial = accumulate(rows)
        assert list(partial.memberships) == [frozenset({A, B, CohortId("c-c")})]
        assert dict(partial.rollup([A]).strengths) == {"web": 1}
        assert repr(SUPPRESSED) == "SUPPRESSED"

    def test_partial_can_be_taken_twice(self) -> None:
        """partial() does not consume the accumulator; later rows add to it."""
        accumulator = AnalyticsAccumulator()
        accumulator.add_rows([self.ROW])
        first = accumulator.partial()
        accumulator.add_rows([("u-2", *self.ROW[1:])])
        assert (first.stats_for(A).total, accumulator.partial().stats_for(A).total) == (1, 2)


# --- reports ------------------------------------------------------------------------


def figures(report: CohortReport | EnterpriseReport) -> dict[str, object]:
    data = report.to_dict()
    body = data["rollup"] if isinstance(report, EnterpriseReport) else data
    assert isinstance(body, dict)
    return body


def breakdown_rows(report: EnterpriseReport) -> dict[str, dict[str, object]]:
    rows = report.to_dict()["cohorts"]
    assert isinstance(rows, dict)
    return rows


def score_blocks(body: Mapping[str, object]) -> dict[str, object]:
    scores = body.get("scores") or {"overall": body["overall"]}
    assert isinstance(scores, dict)
    return scores


def bucket_counts(buckets: Sequence[Bucket]) -> dict[str, object]:
    return {b.key: b.count for b in buckets}


class TestCohortReport:
    def test_seed_report_without_suppression(self) -> None:
        """With k = 1 every figure of the seed cohort is published as computed."""
        cohorts, *_ = seed()
        report = cohort_report(
            cohorts[0], seed_partial(), enterprise_cohorts=cohorts, suppression=NO_SUPPRESSION
        )
        body = report.body
        assert (body.population.total, body.population.profiled, body.population.not_profiled) == (12, 9, 3)
        assert body.population.profiled_pct == 75.0
        assert body.aptitude == ScoreSummary(
            count=9, missing=0, mean=40.0, std=25.82, minimum=0.0, q1=20.0, median=40.0, q3=60.0, maximum=80.0
        )
        assert isinstance(body.overall, ScoreSummary)
        assert (body.overall.count, body.overall.missing) == (8, 1)
        assert bucket_counts(body.readiness) == {"novice": 2, "beginner": 2, "intermediate": 2, "advanced": 2}
        assert bucket_counts(body.tracks) == {
            "defender": 5,
            "offensive": 3,
            "innovation": 0,
            "leadership": 0,
            "grc": 0,
            "none": 1,
        }
        assert bucket_counts(body.difficulty) == {
            "novice": 4,
            "beginner": 0,
            "intermediate": 5,
            "advanced": 0,
            "elite": 0,
            "not_selected": 0,
        }
        assert bucket_counts(body.top_strengths) == {"networking": 9, "security": 6}
        assert bucket_counts(body.completions) == {"2026-03": 6, "2026-04": 3, "undated": 0}
        assert report.suppressed_cells == 0

    def test_seed_report_is_suppressed_under_k5(self) -> None:
        """With k = 5: counts of 1..4 are suppressed, never 0; large figures stay; zeros are published."""
        cohorts, *_ = seed()
        body = cohort_reports(cohorts, seed_partial())[A].body
        assert body.population.not_profiled is SUPPRESSED
        assert body.population.profiled == 9
        assert body.population.profiled_pct is SUPPRESSED  # total or profiled had to go with it
        assert all(b.count is SUPPRESSED for b in body.readiness)  # 2 each
        tracks = bucket_counts(body.tracks)
        assert tracks["offensive"] is SUPPRESSED
        assert tracks["none"] is SUPPRESSED
        assert tracks["grc"] == 0
        assert isinstance(body.aptitude, ScoreSummary)
        assert bucket_counts(body.top_strengths) == {"networking": 9, "security": 6}

    def test_small_cohort_is_fully_suppressed(self) -> None:
        """A cohort of 3 learners publishes no count of 1..4 and no statistics block (a true 0 stays 0)."""
        small = cohort("c-s", name="Pilot", enterprise="org-2")
        partial = partial_from_values(
            enrollments=[enrol(f"u-{i}", "c-s") for i in range(3)],
            sessions=[session(f"s-{i}", f"u-{i}", aptitude=50.0) for i in range(3)],
        )
        data = cohort_report(small, partial).to_dict()
        hidden = {"suppressed": True}
        assert data["population"] == {
            "total": hidden,
            "profiled": hidden,
            "not_profiled": 0,
            "profiled_pct": hidden,
        }
        assert data["scores"] == dict.fromkeys(("aptitude", "technical_exposure", "overall"), hidden)
        assert data["top_strengths"] == []

    def test_empty_cohort(self) -> None:
        """A cohort without learners reports zeros and no statistics, without crashing."""
        report = cohort_report(cohort("c-e", enterprise=None), AnalyticsPartial.empty())
        assert report.body.population.total == 0
        assert report.body.population.profiled_pct is None
        assert report.body.overall is SUPPRESSED
        assert bucket_counts(report.body.completions) == {"undated": 0}

    def test_json_shape(self) -> None:
        """The JSON names the cohort, the policies and k, and is JSON-serialisable."""
        cohorts, *_ = seed()
        data = json.loads(json.dumps(cohort_reports(cohorts, seed_partial())[B].to_dict()))
        assert data["kind"] == "cohort_report"
        assert data["cohort"] == {
            "id": "c-b",
            "name": "Autumn Defenders",
            "track": None,
            "enterprise_id": "org-1",
        }
        assert data["policies"] == {"analytics": "analytics@1", "suppression": "suppression@1"}
        assert data["k"] == 5
        assert set(data) >= {
            "population",
            "scores",
            "readiness",
            "tracks",
            "difficulty",
            "top_strengths",
            "completions",
        }

    def test_single_report_equals_the_batch(self) -> None:
        """cohort_report in its enterprise context equals cohort_reports' entry."""
        cohorts, *_ = seed()
        partial = seed_partial()
        batch = cohort_reports(cohorts, partial)
        assert cohort_report(cohorts[1], partial, enterprise_cohorts=cohorts) == batch[B]

    def test_unsponsored_cohorts_stand_alone(self) -> None:
        """Cohorts without a sponsor are protected one by one."""
        alone = [cohort("c-a", enterprise=None), cohort("c-b", enterprise=None)]
        reports = cohort_reports(alone, seed_partial(), suppression=NO_SUPPRESSION)
        assert [r.body.population.total for r in reports.values()] == [12, 6]

    def test_top_strengths_respects_the_policy(self) -> None:
        """top_strengths limits the list; ties are broken by label."""
        cohorts, *_ = seed()
        policy = AnalyticsPolicy(top_strengths=1)
        report = cohort_report(
            cohorts[0], seed_partial(), enterprise_cohorts=cohorts, policy=policy, suppression=NO_SUPPRESSION
        )
        assert [b.key for b in report.body.top_strengths] == ["networking"]


class TestEnterpriseReport:
    def test_the_rollup_aggregates_its_cohorts(self) -> None:
        """The rollup of two disjoint cohorts adds their figures; the breakdown is keyed by id."""
        cohorts, *_ = seed()
        partial = seed_partial()
        report = enterprise_report(ORG, cohorts, partial, suppression=NO_SUPPRESSION)
        assert partial.rollup([A, B]) == partial.stats_for(A).merge(partial.stats_for(B))
        population = report.rollup.population
        assert (population.total, population.profiled, population.not_profiled) == (18, 15, 3)
        assert population.profiled_pct == round(15 / 18 * 100, 1)
        assert bucket_counts(report.rollup.tracks)["grc"] == 6
        assert list(report.cohorts) == [A, B]
        assert [b.cohort.name for b in report.cohorts.values()] == ["Autumn Defenders", "Autumn Defenders"]
        assert report.cohorts[B].population.total == 6

    def test_cohorts_with_the_same_name_are_never_merged(self) -> None:
        """Two cohorts sharing a name stay two rows with their own figures."""
        cohorts, *_ = seed()
        data = enterprise_report(ORG, cohorts, seed_partial(), suppression=NO_SUPPRESSION).to_dict()
        rows = data["cohorts"]
        assert isinstance(rows, dict)
        assert {cid: (row["label"], row["population"]["total"]) for cid, row in rows.items()} == {
            "c-a": ("Autumn Defenders", 12),
            "c-b": ("Autumn Defenders", 6),
        }

    def test_unknown_enterprise_is_empty_never_everything(self) -> None:
        """An enterprise that sponsors none of the cohorts gets an empty report."""
        cohorts, *_ = seed()
        report = enterprise_report(OrgId("org-unknown"), cohorts, seed_partial())
        assert report.cohorts == {}
        assert report.rollup.population.total == 0

    def test_other_sponsors_cohorts_are_excluded(self) -> None:
        """Only cohorts whose enterprise_id matches are included."""
        cohorts, *_ = seed()
        mixed = [cohorts[0], Cohort(id=B, name="Autumn Defenders", enterprise_id=OrgId("org-2"))]
        report = enterprise_report(ORG, mixed, seed_partial(), suppression=NO_SUPPRESSION)
        assert list(report.cohorts) == [A]
        assert report.rollup.population.total == 12

    def test_a_learner_in_two_cohorts_counts_once(self) -> None:
        """The rollup counts distinct learners."""
        partial = partial_from_values(
            enrollments=[enrol("u-1", "c-a"), enrol("u-1", "c-b")],
            sessions=[session("s-1", "u-1", aptitude=10.0)],
        )
        report = enterprise_report(ORG, [cohort("c-a"), cohort("c-b")], partial, suppression=NO_SUPPRESSION)
        assert report.rollup.population.total == 1
        assert [row.population.total for row in report.cohorts.values()] == [1, 1]

    def test_json_shape(self) -> None:
        """The JSON carries the kind, the rollup, the breakdown by id with labels, and k."""
        cohorts, *_ = seed()
        data = json.loads(json.dumps(enterprise_report(ORG, cohorts, seed_partial()).to_dict()))
        assert (data["kind"], data["enterprise_id"], data["cohort_count"], data["k"]) == (
            "enterprise_report",
            "org-1",
            2,
            5,
        )
        assert set(data["cohorts"]["c-a"]) == {"label", "track", "population", "overall", "readiness"}


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
