"""Accumulation (SPEC §9): streaming learner rows or library values into an analytics partial.

:class:`AnalyticsAccumulator` streams plain rows (tuples or dicts, as a host
hands them) into :class:`~profiler_core.analytics.AnalyticsPartial` state
without building a value per row; :func:`partial_from_values` does the same
from library values.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from functools import partial as _bind
from itertools import chain, compress, repeat
from operator import attrgetter, floordiv, is_not, itemgetter, mul
from types import MappingProxyType
from typing import Final

from profiler_core._timestamps import parse_timestamp
from profiler_core.analytics import (
    _EMPTY_STATS,
    _SCORE_KINDS,
    DEFAULT_ANALYTICS_POLICY,
    AnalyticsPartial,
    AnalyticsPolicy,
    CohortStats,
    Membership,
    _month_label,
    _trusted_stats,
)
from profiler_core.errors import InvalidPayloadError, InvalidValueError, Problem, UnknownValueError
from profiler_core.field_rules import _in_score_range
from profiler_core.mapping import latest_completed_session
from profiler_core.models import (
    CohortId,
    Enrollment,
    ProfilerResult,
    ProfilerSession,
    SessionId,
    UserId,
    _canonical_keys,
)
from profiler_core.sketches import _MAX_MICRO, BIN_COUNT, _freeze_sketch, _payload_error, _score
from profiler_core.vocabulary import (
    DifficultySelection,
    EnrollmentStatus,
    SessionStatus,
    TrackKey,
    parse_difficulty_selection,
    parse_track,
)

__all__ = ["ROW_FIELDS", "AnalyticsAccumulator", "partial_from_values", "learner_row"]


#: The fields of a learner row, in tuple order (dict rows use these keys).
ROW_FIELDS: Final = (
    "user_id",
    "cohort_id",
    "enrollment_status",
    "session_status",
    "completed_at",
    "difficulty_selection",
    "recommended_track",
    "aptitude_score",
    "technical_exposure_score",
    "overall_score",
    "strengths",
)

_WIDTH: Final = len(ROW_FIELDS)
#: The row fields of the three score slots, for error paths.
_SCORE_FIELDS = ("aptitude_score", "technical_exposure_score", "overall_score")
# The one "completed" rule (SessionStatus.is_completed), as the raw values rows carry.
_DONE: Final = frozenset(s.value for s in SessionStatus if s.is_completed)
_SESSION_STATUSES: Final = frozenset(s.value for s in SessionStatus)
_ENROLLMENT_STATUSES: Final = frozenset(s.value for s in EnrollmentStatus)
# Any session status a row may carry (None: no session).
_STATUS_OK: Final = _SESSION_STATUSES | {None}
_ABSENT = object()
#: Learners buffered (per membership) before a columnar pass adds them.
_BATCH = 262_144
#: A membership with fewer buffered learners is added learner by learner (a columnar pass costs more).
_SMALL_BATCH = 16
_STATUS_OF = itemgetter(3)
_NOT_NONE = _bind(is_not, None)
_TZ_OF = attrgetter("tzinfo")
_MONTH_OF = attrgetter("year", "month")
_NONE = type(None)
_FLOAT_TYPES: Final = frozenset({float})
_FLOAT_OR_NONE: Final = frozenset({float, _NONE})
_STRENGTH_TYPES: Final = frozenset({tuple, list, _NONE})
_DATE_TYPES: Final = frozenset({datetime, _NONE})


class _Acc:
    """Mutable statistics of one membership while rows stream in (never escapes this module)."""

    __slots__ = ("bins", "difficulty", "months", "profiled", "scores", "strengths", "total", "tracks")

    def __init__(self) -> None:
        self.total = 0
        self.profiled = 0
        # Per score kind: [count, sum, sum of squares, min, max] in micro-points.
        self.scores = [[0, 0, 0, _MAX_MICRO + 1, -1] for _ in _SCORE_KINDS]
        self.bins = [[0] * BIN_COUNT for _ in _SCORE_KINDS]
        self.tracks: dict[str, int] = {}
        self.difficulty: dict[str, int] = {}
        self.strengths: dict[str, int] = {}
        self.months: dict[int, int] = {}

    def add_fields(  # noqa: PLR0915 - the hot path is unrolled on purpose (see docstring)
        self, fields: Sequence[object], index: int, labels: dict[object, str]
    ) -> None:
        """Add one learner from a :data:`ROW_FIELDS` tuple (membership already resolved).

        This runs once per learner of a million-row export, so the common
        spellings (float scores, UTC datetimes, canonical keys) take an inlined
        path and everything else goes through the validating parsers.
        *labels* caches strength normalisation for the caller's stream.
        """
        (
            _user,
            _cohort,
            _enrollment,
            status,
            completed,
            selection,
            track,
            aptitude,
            technical,
            overall,
            named,
        ) = fields
        if not isinstance(status, str) or status not in _DONE:
            if status is not None and (not isinstance(status, str) or status not in _SESSION_STATUSES):
                raise _bad(index, "session_status", f"unknown session status {status!r}")
            self.total += 1
            return
        # Parse every field before touching the state: a bad row raises and leaves the
        # statistics exactly as they were, so a caller that reports it can carry on.
        micros = [
            None
            if score is None
            else int(score * 1_000_000 + 0.5)
            if type(score) is float and _in_score_range(score)
            else _row_score(score, f"$[{index}].{_SCORE_FIELDS[slot]}")
            for slot, score in enumerate((aptitude, technical, overall))
        ]
        track_key = _TRACK_KEY.get(track) if track is None or type(track) is str else None
        if track_key is None:
            track_key = _track_key(track, index)
        selection_key = _SELECTION_KEY.get(selection) if selection is None or type(selection) is str else None
        if selection_key is None:
            selection_key = _selection_key(selection, index)
        found: Iterable[str] = ()
        if named:
            if type(named) is tuple or type(named) is list:
                try:
                    # Known spellings straight from the cache; a learner counts once per label.
                    found = {labels[item] for item in named}
                except (KeyError, TypeError):
                    found = ()
            if not found:
                found = _strength_labels(named, index, labels)
        month = -1
        if completed is not None:
            if type(completed) is datetime and completed.tzinfo is UTC:
                month = completed.year * 12 + completed.month - 1
            else:
                month = _month_index(completed, index)
        self.total += 1
        self.profiled += 1
        scores, bins = self.scores, self.bins
        for slot, micro in enumerate(micros):
            if micro is None:
                continue
            state = scores[slot]
            state[0] += 1
            state[1] += micro
            state[2] += micro * micro
            if micro < state[3]:  # noqa: PLR1730 - a compare is cheaper than min() here
                state[3] = micro
            if micro > state[4]:  # noqa: PLR1730
                state[4] = micro
            bins[slot][micro // 1_000_000] += 1
        tracks = self.tracks
        tracks[track_key] = tracks.get(track_key, 0) + 1
        difficulty = self.difficulty
        difficulty[selection_key] = difficulty.get(selection_key, 0) + 1
        strengths = self.strengths
        for label in found:
            if label:
                strengths[label] = strengths.get(label, 0) + 1
        if month >= 0:
            months = self.months
            months[month] = months.get(month, 0) + 1

    def add_batch(self, rows: Sequence[tuple[object, ...]], labels: dict[object, str]) -> bool:
        """Add many learners column by column; ``False`` (and nothing added) unless every value is common.

        The fast path of :meth:`AnalyticsAccumulator.add_rows`: each column is
        checked and aggregated by C-level builtins (``set``, ``min``/``max``,
        ``sum``, ``Counter``) instead of a Python statement per value. A
        column holding anything but the common spellings (float scores in
        0..100, UTC ``datetime`` timestamps, canonical or known keys, tuple or
        list strengths) makes the whole batch return ``False`` untouched; the
        caller then adds it learner by learner with :meth:`add_fields`, which
        validates exactly and names the bad row. Every delta is computed before
        the state changes, so a batch is added whole or not at all.
        """
        try:
            statuses = set(map(_STATUS_OF, rows))
            if not statuses <= _STATUS_OK:
                return False
            if statuses <= _DONE:
                done: Sequence[tuple[object, ...]] = rows
            elif statuses.isdisjoint(_DONE):
                done = ()
            else:
                done = list(compress(rows, map(_DONE.__contains__, map(_STATUS_OF, rows))))
            if not done:
                self.total += len(rows)
                return True
            columns = list(zip(*done, strict=True))
            sketches = [_sketch_delta(columns[slot]) for slot in (7, 8, 9)]
            tracks = _key_counts(columns[6], _TRACK_KEY, _track_key)
            difficulty = _key_counts(columns[5], _SELECTION_KEY, _selection_key)
            strengths = _strength_counts(columns[10], labels)
            months = _month_counts(columns[4])
        except (TypeError, ValueError, OverflowError, InvalidPayloadError):
            # Unhashable or odd values: the learner-by-learner path says which row and why.
            return False
        if None in sketches or tracks is None or difficulty is None or strengths is None or months is None:
            return False
        self.total += len(rows)
        self.profiled += len(done)
        for slot, delta in enumerate(sketches):
            if delta is None or not delta[0]:
                continue
            count, total, squares, low, high, per_bin = delta
            state = self.scores[slot]
            state[0] += count
            state[1] += total
            state[2] += squares
            state[3] = min(state[3], low)
            state[4] = max(state[4], high)
            bins = self.bins[slot]
            for b, c in per_bin.items():
                bins[b] += c
        for target, counts in (
            (self.tracks, tracks),
            (self.difficulty, difficulty),
            (self.strengths, strengths),
        ):
            for name, c in counts.items():
                target[name] = target.get(name, 0) + c
        for month, c in months.items():
            self.months[month] = self.months.get(month, 0) + c
        return True

    def freeze(self) -> CohortStats:
        """The frozen value of what was added."""
        if not self.total:
            return _EMPTY_STATS
        aptitude, technical, overall = (
            _freeze_sketch(s, b) for s, b in zip(self.scores, self.bins, strict=True)
        )
        # Counted from checked rows (positive counts that add up): not checked again.
        return _trusted_stats(
            self.total,
            self.profiled,
            (aptitude, technical, overall),
            self.tracks,
            self.difficulty,
            self.strengths,
            {_month_label(m): c for m, c in sorted(self.months.items())},
        )


_SketchDelta = tuple[int, int, int, int, int, Counter[int]]


def _sketch_delta(column: Sequence[object]) -> _SketchDelta | None:
    """Count, sum, sum of squares, min, max (micro-points) and bin counts of a score column.

    ``None`` unless every value is a float in 0..100 or ``None`` (a NaN fails the ``int`` conversion).
    """
    kinds = set(map(type, column))
    if kinds == _FLOAT_TYPES:
        values: Sequence[float] = column  # type: ignore[assignment]
    elif kinds <= _FLOAT_OR_NONE:
        values = list(filter(_NOT_NONE, column))  # type: ignore[arg-type]
    else:
        return None
    if not values:
        return (0, 0, 0, 0, 0, Counter())
    if not (min(values) >= 0.0 and max(values) <= 100.0):
        return None
    micros = [int(v * 1_000_000 + 0.5) for v in values]
    return (
        len(micros),
        sum(micros),
        sum(map(mul, micros, micros)),
        min(micros),
        max(micros),
        Counter(map(floordiv, micros, repeat(1_000_000))),
    )


def _key_counts(
    column: Sequence[object], known: Mapping[object, str], parse: Callable[[object, int], str]
) -> dict[str, int] | None:
    """Learners per key of a track or selection column (aliases parsed once per distinct value)."""
    counts: dict[str, int] = {}
    for value, c in Counter(column).items():
        key = known.get(value) if value is None or type(value) is str else None
        if key is None:
            key = parse(value, 0)  # raises for a bad value: the batch goes learner by learner
        counts[key] = counts.get(key, 0) + c
    return counts


def _strength_counts(column: Sequence[object], labels: dict[object, str]) -> dict[str, int] | None:
    """Learners naming each normalised strength; ``None`` when a column value needs the exact path.

    A learner counts once per label: each list becomes a set first, and a batch
    where two spellings normalise to one label goes learner by learner.
    """
    if not set(map(type, column)) <= _STRENGTH_TYPES:
        return None
    lists: Iterable[Iterable[object]] = filter(None, column)  # type: ignore[arg-type]
    counts: dict[str, int] = {}
    raw: object
    for raw, c in Counter(chain.from_iterable(map(set, lists))).items():
        if type(raw) is not str:
            return None
        label = labels.get(raw)
        if label is None:
            label = labels[raw] = _normalise_strength(raw)
        if not label:
            continue
        if label in counts:
            return None
        counts[label] = c
    return counts


def _month_counts(column: Sequence[object]) -> dict[int, int] | None:
    """Learners per month index (``year * 12 + month - 1``) of UTC ``datetime`` completion times."""
    if not set(map(type, column)) <= _DATE_TYPES:
        return None
    dates = list(filter(_NOT_NONE, column))
    if not dates:
        return {}
    if set(map(_TZ_OF, dates)) != {UTC}:
        return None
    return {year * 12 + month - 1: c for (year, month), c in Counter(map(_MONTH_OF, dates)).items()}


def _learner_stats(session: ProfilerSession | None, result: ProfilerResult | None) -> CohortStats:
    """The statistics of one learner (what :meth:`CohortStats.add` merges in)."""
    accumulator = _Acc()
    accumulator.add_fields(learner_row(session, result), 0, {})
    return accumulator.freeze()


def _row_score(value: object, path: str) -> int:
    """A row's score in micro-points; a bad one is a row problem at *path*."""
    try:
        return _score(value, path)
    except InvalidValueError as exc:
        raise _payload_error("analytics row", [Problem(path=path, message=exc.reason)]) from None


def _bad(index: int, name: str, message: str) -> InvalidPayloadError:
    return _payload_error("analytics row", [Problem(path=f"$[{index}].{name}", message=message)])


# Read-only lookups for the common spellings; anything else is parsed (and validated).
_TRACK_KEY: Final[Mapping[object, str]] = MappingProxyType(
    {None: "none", "": "none", **{t.value: t.value for t in TrackKey}}
)
_SELECTION_KEY: Final[Mapping[object, str]] = MappingProxyType(
    {None: "not_selected", "": "not_selected", **{d.value: d.value for d in DifficultySelection}}
)


def _track_key(value: object, index: int) -> str:
    if not isinstance(value, str):
        raise _bad(index, "recommended_track", f"must be a track key, got {type(value).__name__}")
    if not value.strip():
        return "none"
    try:
        return parse_track(value).value
    except UnknownValueError as exc:
        raise _bad(index, "recommended_track", exc.detail) from None


def _selection_key(value: object, index: int) -> str:
    if not isinstance(value, str):
        raise _bad(index, "difficulty_selection", f"must be a selection, got {type(value).__name__}")
    try:
        parsed = parse_difficulty_selection(value)
    except UnknownValueError as exc:
        raise _bad(index, "difficulty_selection", exc.detail) from None
    return "not_selected" if parsed is None else parsed.value


def _normalise_strength(label: str) -> str:
    return " ".join(label.split()).lower()


def _strength_labels(value: object, index: int, cache: dict[object, str]) -> Iterable[str]:
    """The distinct normalised labels of a strengths list (*cache* maps raw to normalised)."""
    if type(value) is not tuple and type(value) is not list:
        if isinstance(value, str) or not isinstance(value, Iterable):
            raise _bad(index, "strengths", "must be a list of strings")
        value = list(value)
    labels: set[str] = set()
    for item in value:
        if not isinstance(item, str):
            raise _bad(index, "strengths", "must be a list of strings")
        label = cache.get(item)
        if label is None:
            label = cache[item] = _normalise_strength(item)
        labels.add(label)
    return labels


def _month_index(value: object, index: int) -> int:
    if type(value) is not datetime or value.tzinfo is not UTC:
        try:
            stamp = parse_timestamp(value)
        except ValueError as exc:
            raise _bad(index, "completed_at", str(exc)) from None
        value = stamp.astimezone(UTC)
    return value.year * 12 + value.month - 1


class AnalyticsAccumulator:
    """Streams learner rows into an :class:`AnalyticsPartial`, without a value object per row.

    A row is a tuple in :data:`ROW_FIELDS` order, or a mapping with those keys:
    one enrollment of one learner (``user_id``, ``cohort_id``,
    ``enrollment_status``) with that learner's latest completed session
    (``session_status`` ... ``strengths``; ``None`` when there is none), the
    session's result's ``overall_score``, and the union of the session's and
    the result's ``strengths``. Timestamps may be aware ``datetime`` values or
    ISO 8601 strings; scores floats, ints, ``Decimal`` or numeric strings.

    **Rows of one learner must be consecutive** (``ORDER BY user_id``): the
    accumulator gathers a learner's counted cohorts into one membership and
    adds the learner once, in constant memory. Enrollments whose status the
    policy does not count are skipped; a learner with none is not in any
    population.

    A bad row is reported by :class:`~profiler_core.errors.InvalidPayloadError`
    naming its index (``$[17].aptitude_score: must be 0..100``); nothing is
    skipped silently. :meth:`add_rows` adds every good learner of the call,
    then raises one error listing every bad row; a bad learner adds nothing.

    >>> acc = AnalyticsAccumulator()
    >>> acc.add_rows(
    ...     [
    ...         (
    ...             "u-1",
    ...             "c-1",
    ...             "active",
    ...             "finished",
    ...             "2026-03-02T10:00:00Z",
    ...             "novice",
    ...             "grc",
    ...             55.0,
    ...             20.0,
    ...             0.0,
    ...             ["web"],
    ...         ),
    ...         ("u-2", "c-1", "active", None, None, None, None, None, None, None, ()),
    ...     ]
    ... )
    >>> stats = acc.partial().stats_for(CohortId("c-1"))
    >>> stats.total, stats.profiled, stats.overall.count
    (2, 1, 1)
    """

    def __init__(self, policy: AnalyticsPolicy = DEFAULT_ANALYTICS_POLICY) -> None:
        self.policy = policy
        #: How many rows (and learners added with :meth:`add_learner`) were seen.
        self.rows_seen = 0
        self._counted = frozenset(s.value for s in policy.counted_statuses)
        self._accs: dict[object, _Acc] = {}
        self._labels: dict[object, str] = {}
        self._user: object = _ABSENT
        self._key: object = None
        self._fields: Sequence[object] = ()
        self._index = 0
        # Learners read but not yet added, per membership: their fields and first row index.
        self._batches: dict[object, tuple[list[tuple[object, ...]], list[int]]] = {}

    def add_row(self, row: Sequence[object] | Mapping[str, object]) -> None:
        """Add one row (see the class docstring for its shape)."""
        self.add_rows((row,))

    def add_rows(self, rows: Iterable[Sequence[object] | Mapping[str, object]]) -> None:
        """Add many rows: the hot path (no value object per row, constant memory per cohort).

        The loop only reads each row's learner, cohort and enrollment status and
        files the learner under their membership; learners are then added in
        columnar batches (:meth:`_Acc.add_batch`) every 262,144 learners, and every
        learner read is added before this returns.

        Raises:
            InvalidPayloadError: rows break the contract; each bad row's index is in
                a problem's path. Every good row of the call is added first, and a bad
                learner adds nothing.
        """
        # State lives in locals for the loop (attribute access costs on a million rows)
        # and is written back however the loop ends.
        counted, batches = self._counted, self._batches
        user, key, pending, first = self._user, self._key, self._fields, self._index
        index = self.rows_seen
        buffered = 0
        problems: list[tuple[int, Problem]] = []
        try:
            for row in rows:
                fields = row if type(row) is tuple and len(row) == _WIDTH else _row_tuple(row, index)
                if fields[0] != user:
                    if key is not None:
                        batch = batches.get(key)
                        if batch is None:
                            batch = batches[key] = ([], [])
                        batch[0].append(pending)  # type: ignore[arg-type]
                        batch[1].append(first)
                        key = None
                        buffered += 1
                        if buffered == _BATCH:
                            self._drain(problems)
                            buffered = 0
                    user, pending, first = fields[0], fields, index
                status = fields[2]
                if status in counted:
                    cohort = fields[1]
                    if type(cohort) is not str or not cohort:
                        cohort = _cohort_id(cohort, index)
                    if key is None:
                        key = cohort
                    elif type(key) is frozenset:
                        key = key | {cohort}
                    elif key != cohort:
                        key = frozenset((key, cohort))
                elif status not in _ENROLLMENT_STATUSES:
                    raise _bad(index, "enrollment_status", f"unknown enrollment status {status!r}")
                index += 1
        except InvalidPayloadError as exc:
            problems.extend((index, problem) for problem in exc.problems)
        finally:
            self._user, self._key, self._fields, self._index = user, key, pending, first
            self.rows_seen = index
            self._drain(problems)
        if problems:
            problems.sort(key=itemgetter(0))
            raise _payload_error("analytics row", [problem for _index, problem in problems])

    def _drain(self, problems: list[tuple[int, Problem]]) -> None:
        """Add every buffered learner; a bad one adds nothing and its problems go to *problems*."""
        accs, labels = self._accs, self._labels
        for key, (learners, firsts) in self._batches.items():
            acc = accs.get(key)
            if acc is None:
                acc = accs[key] = _Acc()
            if len(learners) >= _SMALL_BATCH and acc.add_batch(learners, labels):
                continue
            for fields, first in zip(learners, firsts, strict=True):
                try:
                    acc.add_fields(fields, first, labels)
                except InvalidPayloadError as exc:
                    problems.extend((first, problem) for problem in exc.problems)
        self._batches.clear()

    def add_learner(
        self,
        cohort_ids: Collection[CohortId],
        session: ProfilerSession | None,
        result: ProfilerResult | None = None,
    ) -> None:
        """Add one learner counted in *cohort_ids*, with their latest completed session and its result.

        Statuses are not checked here: pass only the cohorts where the learner's
        enrollment counts (:func:`partial_from_values` does).
        """
        self._flush()
        self._user = _ABSENT
        if cohort_ids:
            key: object = next(iter(cohort_ids)) if len(cohort_ids) == 1 else frozenset(cohort_ids)
            self._accumulate(key, learner_row(session, result), self.rows_seen)
        self.rows_seen += 1

    def partial(self) -> AnalyticsPartial:
        """Everything added so far, as a frozen :class:`AnalyticsPartial` (the accumulator stays usable)."""
        self._flush()
        self._user = _ABSENT
        memberships: dict[Membership, CohortStats] = {}
        for key, acc in self._accs.items():
            ids = key if isinstance(key, frozenset) else (key,)
            memberships[frozenset(CohortId(str(c)) for c in ids)] = acc.freeze()
        return AnalyticsPartial(memberships=memberships)

    def _flush(self) -> None:
        key = self._key
        if key is not None:
            self._key = None
            self._accumulate(key, self._fields, self._index)

    def _accumulate(self, key: object, fields: Sequence[object], index: int) -> None:
        acc = self._accs.get(key)
        if acc is None:
            acc = self._accs[key] = _Acc()
        acc.add_fields(fields, index, self._labels)


def _cohort_id(value: object, index: int) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str) and value:
        return value
    raise _bad(index, "cohort_id", "must be a non-empty id")


def _row_tuple(row: object, index: int) -> tuple[object, ...]:
    if isinstance(row, Mapping):
        return tuple(map(row.get, ROW_FIELDS))
    if isinstance(row, Sequence) and not isinstance(row, str) and len(row) == len(ROW_FIELDS):
        return tuple(row)
    raise _payload_error(
        "analytics row",
        [Problem(path=f"$[{index}]", message=f"must be a mapping or a {len(ROW_FIELDS)}-item sequence")],
    )


def learner_row(session: ProfilerSession | None, result: ProfilerResult | None = None) -> tuple[object, ...]:
    """The session fields of a learner row (:data:`ROW_FIELDS`) for a session and its result.

    ``user_id``, ``cohort_id`` and ``enrollment_status`` are left ``None``.
    The aptitude score is the session's (the result's when the session has
    none); the overall score is the result's; strengths are the union of both.
    A session that is not completed gives a learner who has not profiled.
    """
    if session is None or not session.is_completed:
        return (None,) * len(ROW_FIELDS)
    aptitude = session.aptitude_score
    if aptitude is None and result is not None:
        aptitude = result.aptitude_score
    strengths = (*session.strengths, *(result.strengths if result is not None else ()))
    return (
        None,
        None,
        None,
        session.status.value,
        session.completed_at,
        session.difficulty_selection.value if session.difficulty_selection else None,
        session.recommended_track.value if session.recommended_track else None,
        aptitude,
        session.technical_exposure_score,
        result.overall_score if result is not None else None,
        strengths,
    )


def partial_from_values(
    *,
    enrollments: Iterable[Enrollment],
    sessions: Iterable[ProfilerSession],
    results: Iterable[ProfilerResult] | Mapping[SessionId, ProfilerResult] = (),
    policy: AnalyticsPolicy = DEFAULT_ANALYTICS_POLICY,
) -> AnalyticsPartial:
    """The partial of every learner with a counted enrollment, from library values.

    Each learner is counted once per cohort (duplicate enrollments collapse),
    contributes their latest completed session only (retakes count once; see
    :func:`~profiler_core.mapping.latest_completed_session`), with that
    session's result row when there is one.

    Args:
        enrollments: enrollments of the cohorts of interest (any status).
        sessions: the learners' sessions (any status; the latest completed one counts).
        results: result rows, as values or keyed by session id (``str``, ``int`` or
            ``UUID`` keys; canonicalised).
        policy: which enrollment statuses count.
    """
    counted = policy.counted_statuses
    cohorts_of: dict[UserId, set[CohortId]] = {}
    for enrollment in enrollments:
        if enrollment.status in counted:
            cohorts_of.setdefault(enrollment.user_id, set()).add(enrollment.cohort_id)
    by_user: dict[UserId, list[ProfilerSession]] = {}
    for session in sessions:
        if session.user_id in cohorts_of:
            by_user.setdefault(session.user_id, []).append(session)
    by_session: Mapping[str, ProfilerResult] = (
        _canonical_keys(results, field="results")
        if isinstance(results, Mapping)
        else {r.session_id: r for r in results if r.session_id is not None}
    )
    latest: dict[UserId, ProfilerSession] = {}
    for user, found in by_user.items():
        chosen = latest_completed_session(found)
        if chosen is not None:
            latest[user] = chosen
    return _partial_of_learners(cohorts_of, latest, by_session, policy=policy)


def _partial_of_learners(
    cohorts_of: Mapping[UserId, Collection[CohortId]],
    latest: Mapping[UserId, ProfilerSession],
    results: Mapping[str, ProfilerResult],
    *,
    policy: AnalyticsPolicy,
    on_error: Callable[[UserId, Exception], None] | None = None,
) -> AnalyticsPartial:
    """The partial of learners, each with their counted cohorts, latest completed session and its result.

    The one place a partial is built from learners (:func:`partial_from_values`
    and the ``analytics`` command both end here). With *on_error*, a learner
    whose session cannot be added is reported to it and counted as not
    profiled instead of stopping the run.
    """
    accumulator = AnalyticsAccumulator(policy)
    for user in sorted(cohorts_of):
        session = latest.get(user)
        result = results.get(session.id) if session is not None else None
        if on_error is None:
            accumulator.add_learner(cohorts_of[user], session, result)
            continue
        try:
            accumulator.add_learner(cohorts_of[user], session, result)
        except Exception as exc:  # the caller's safety net: report, then count as not profiled
            on_error(user, exc)
            accumulator.add_learner(cohorts_of[user], None)
    return accumulator.partial()
