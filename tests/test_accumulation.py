"""Tests for profiler_core.accumulation: streaming rows and values into a partial (SPEC §9)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest
from tests.analytics_builders import (
    A,
    B,
    accumulate,
    result,
    seed,
    seed_partial,
    session,
)

from profiler_core import (
    CohortId,
    SessionId,
    UserId,
)
from profiler_core.analytics import (
    ROW_FIELDS,
    SUPPRESSED,
    AnalyticsAccumulator,
    AnalyticsPartial,
    ScoreSketch,
    learner_row,
)
from profiler_core.errors import InvalidPayloadError


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
