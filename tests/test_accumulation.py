"""Tests for profiler_core.accumulation: streaming rows and values into a partial (SPEC §9)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
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
    accumulation,
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
from profiler_core.testing.strategies_analytics import learner_rows


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


# --- the columnar batch path (issue 15) -------------------------------------------------

#: Values a row may hold in place of the common spelling: accepted ones, then bad ones.
_ODD_VALUES: dict[int, list[object]] = {
    4: ["2026-03-02T10:00:00Z", datetime(2026, 3, 2, tzinfo=timezone(timedelta(hours=-5))), "noon", 12],
    5: ["Advanced", " ", "godlike", 4],
    6: ["Red Team", "", "blue team", 3],
    7: [Decimal("55.5"), "20", 7, float("nan"), 100.5, -0.5, "lots"],
    8: [float("inf"), True],
    9: [100, 0.0000004, 99.9999996],
    10: [["Web", "web", " WEB "], {"Cloud"}, None, "web", [1], [["x"]]],
    3: ["done", ["finished"]],
}


@contextmanager
def _batches(small: int, size: int = accumulation._BATCH) -> Iterator[None]:
    """Learners go through the columnar pass from *small* per membership, drained every *size*."""
    saved = accumulation._SMALL_BATCH, accumulation._BATCH
    accumulation._SMALL_BATCH, accumulation._BATCH = small, size
    try:
        yield
    finally:
        accumulation._SMALL_BATCH, accumulation._BATCH = saved


def _outcome(rows: Sequence[Sequence[object]]) -> tuple[list[str], AnalyticsPartial, int]:
    """The problems add_rows (then partial, for the last learner) reports, the partial and rows_seen."""
    accumulator = AnalyticsAccumulator()
    paths: list[str] = []
    try:
        accumulator.add_rows(rows)
    except InvalidPayloadError as exc:
        paths = [p.path for p in exc.problems]
    try:
        accumulator.partial()
    except InvalidPayloadError as exc:
        paths += [p.path for p in exc.problems]
    return paths, accumulator.partial(), accumulator.rows_seen


@st.composite
def _rows_with_odd_values(draw: st.DrawFn) -> list[tuple[object, ...]]:
    rows = draw(learner_rows(("c-1", "c-2"), max_learners=60))
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        if not rows:
            break
        at = draw(st.integers(min_value=0, max_value=len(rows) - 1))
        column = draw(st.sampled_from(sorted(_ODD_VALUES)))
        row = list(rows[at])
        row[column] = draw(st.sampled_from(_ODD_VALUES[column]))
        # Every row of a learner carries the learner's session fields.
        rows = [tuple(row) if r[0] == row[0] and i >= at else r for i, r in enumerate(rows)]
    return rows


class TestColumnarBatches:
    @settings(max_examples=100, deadline=None)
    @given(_rows_with_odd_values())
    def test_the_columnar_pass_equals_learner_by_learner(self, rows: list[tuple[object, ...]]) -> None:
        """Batches added column by column give the per-learner path's partial and the same reported rows."""
        with _batches(small=10**9):
            expected = _outcome(rows)
        with _batches(small=1):
            assert _outcome(rows) == expected
        with _batches(small=1, size=3):
            assert _outcome(rows) == expected

    def test_a_bad_learner_in_a_batch_is_reported_and_the_rest_added(self) -> None:
        """In a batch of 40 learners the 2 bad ones are reported by index and add nothing; 38 count."""
        rows = [
            (f"u-{n:02d}", "c-a", "active", "finished", None, None, "grc", 50.0, None, None, ("web",))
            for n in range(40)
        ]
        rows[7] = (*rows[7][:7], 101.0, *rows[7][8:])
        rows[30] = (*rows[30][:6], "blue team", *rows[30][7:])
        accumulator = AnalyticsAccumulator()
        with pytest.raises(InvalidPayloadError) as caught:
            accumulator.add_rows(rows)
        assert [p.path for p in caught.value.problems] == ["$[7].aptitude_score", "$[30].recommended_track"]
        stats = accumulator.partial().stats_for(A)
        assert (stats.total, stats.profiled, dict(stats.tracks), dict(stats.strengths)) == (
            38,
            38,
            {"grc": 38},
            {"web": 38},
        )
        assert stats.aptitude == ScoreSketch.of([50.0] * 38)

    def test_spellings_of_one_strength_count_once_per_learner_in_a_batch(self) -> None:
        """A learner naming "Web" and "web" counts once for "web" on the columnar path too."""
        rows = [
            (f"u-{n:02d}", "c-a", "active", "locked", None, None, None, None, None, None, ["Web", "web"])
            for n in range(20)
        ]
        assert dict(accumulate(rows).stats_for(A).strengths) == {"web": 20}
