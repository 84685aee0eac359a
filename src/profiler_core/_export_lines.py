"""The fields the ``analytics`` command reads from one export line, fast and exactly.

Private to :mod:`profiler_core.cli_analytics` (and its optional engine). Each
``*_fields`` function takes one decoded JSON value and returns the few fields
the command uses, as plain tuples:

* the common spellings (canonical text ids, exact enum values, JSON numbers in
  range, ISO 8601 timestamps with an offset, lists of strings) are read
  directly, with the very parsers the wire edge uses;
* anything else goes through :func:`profiler_core.serialization.structure`
  on the fields the command reads, so a bad line is rejected with exactly the
  error the wire edge gives (same paths, same codes).

Fields the command does not read (a session's reflection, behavioral profile,
identity answers ...) are ignored like unknown keys: they play no part in any
figure, so they neither slow the command down nor make a line bad.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping
from datetime import UTC, datetime
from typing import Final

from profiler_core import accumulation
from profiler_core._timestamps import parse_timestamp
from profiler_core.analytics import AnalyticsPartial, AnalyticsPolicy
from profiler_core.field_rules import _in_score_range
from profiler_core.ids import _id_text
from profiler_core.mapping import session_id_order
from profiler_core.models import (
    MAX_QUESTIONS,
    Cohort,
    CohortId,
    Enrollment,
    ProfilerResult,
    ProfilerSession,
    SessionId,
    UserId,
)
from profiler_core.serialization import structure
from profiler_core.vocabulary import DifficultySelection, EnrollmentStatus, SessionStatus, TrackKey

__all__: list[str] = []

#: The session fields the command reads (the rest of a session line is ignored).
SESSION_KEYS: Final = (
    "id",
    "user_id",
    "status",
    "completed_at",
    "difficulty_selection",
    "aptitude_score",
    "technical_exposure_score",
    "technical_exposure_answered",
    "strengths",
    "recommended_track",
)
#: The result fields the command reads.
RESULT_KEYS: Final = ("session_id", "overall_score", "aptitude_score", "strengths")
ENROLLMENT_KEYS: Final = ("user_id", "cohort_id", "status")

_SESSION_STATUS: Final[dict[object, str]] = {s.value: s.value for s in SessionStatus}
_DONE: Final = frozenset(s.value for s in SessionStatus if s.is_completed)
_ENROLLMENT_STATUS: Final[dict[object, str]] = {s.value: s.value for s in EnrollmentStatus}
_SELECTION: Final[dict[object, str]] = {d.value: d.value for d in DifficultySelection}
_TRACK: Final[dict[object, str]] = {t.value: t.value for t in TrackKey}
_EPOCH: Final = datetime(1, 1, 1, tzinfo=UTC)

#: A session's fields: ``(id, user_id, status, completed_at, selection, track, aptitude,
#: technical, strengths)`` with enum values as their text and ``completed_at`` an aware datetime.
SessionFields = tuple[
    str, str, str, datetime | None, str | None, str | None, float | None, float | None, tuple[str, ...]
]
#: A result's fields: ``(session_id, overall, aptitude, strengths)``.
ResultFields = tuple[str | None, float | None, float | None, tuple[str, ...]]
#: An enrollment's fields: ``(user_id, cohort_id, status)``.
EnrollmentFields = tuple[str, str, str]


def _slim(value: object, keys: tuple[str, ...]) -> object:
    # Only the fields the command reads go to structure(): a non-object is passed as it is
    # (structure() rejects it with its own error).
    if isinstance(value, dict):
        return {k: value[k] for k in keys if k in value}
    return value


def _text_of(values: dict[object, str], value: object) -> str | None:
    """The exact vocabulary *value* (a ``str`` equal to an enum's value), else ``None``."""
    return values.get(value) if type(value) is str else None


def _score(value: object) -> float | None:
    """A 0..100 JSON number as the wire edge reads it; ``-1.0`` when it needs the full parser."""
    if value is None:
        return None
    if type(value) is float:
        return value if _in_score_range(value) else -1.0
    if type(value) is int:
        return float(value) if _in_score_range(value) else -1.0
    return -1.0


def _strings(value: object) -> tuple[str, ...] | None:
    if value is None:
        return None
    if type(value) is list and all(type(item) is str for item in value):
        return tuple(value)
    return None


def _session_fast(data: dict[str, object]) -> SessionFields | None:
    get = data.get
    session_id = _id_text(get("id"))
    user = _id_text(get("user_id"))
    status = _text_of(_SESSION_STATUS, get("status"))
    if session_id is None or user is None or status is None:
        return None
    completed = get("completed_at")
    stamp: datetime | None = None
    if completed is not None:
        if type(completed) is not str:
            return None
        try:
            stamp = parse_timestamp(completed)
        except ValueError:
            return None
    selection = get("difficulty_selection")
    if selection is not None:
        selection = _text_of(_SELECTION, selection)
        if selection is None:
            return None
    track = get("recommended_track")
    if track is not None:
        track = _text_of(_TRACK, track)
        if track is None:
            return None
    aptitude = _score(get("aptitude_score"))
    technical = _score(get("technical_exposure_score"))
    if aptitude == -1.0 or technical == -1.0:
        return None
    answered = get("technical_exposure_answered")
    if answered is not None and not (type(answered) is int and 0 < answered <= MAX_QUESTIONS):
        return None
    strengths: tuple[str, ...] | None = _strings(data["strengths"]) if "strengths" in data else ()
    if strengths is None:
        return None
    return (session_id, user, status, stamp, selection, track, aptitude, technical, strengths)


def session_fields(data: object) -> SessionFields:
    """The session fields of one decoded line (raises what ``structure()`` raises for a bad one)."""
    if type(data) is dict:
        fast = _session_fast(data)
        if fast is not None:
            return fast
    session = structure(_slim(data, SESSION_KEYS), ProfilerSession)
    return (
        session.id,
        session.user_id,
        session.status.value,
        session.completed_at,
        session.difficulty_selection.value if session.difficulty_selection is not None else None,
        session.recommended_track.value if session.recommended_track is not None else None,
        session.aptitude_score,
        session.technical_exposure_score,
        session.strengths,
    )


def result_fields(data: object) -> ResultFields:
    """The result fields of one decoded line (raises what ``structure()`` raises for a bad one)."""
    if type(data) is dict:
        get = data.get
        raw_id = get("session_id")
        session_id = None if raw_id is None else _id_text(raw_id)
        overall = _score(get("overall_score"))
        aptitude = _score(get("aptitude_score"))
        strengths: tuple[str, ...] | None = ()
        if "strengths" in data:
            strengths = _strings(data["strengths"])
        if (
            (raw_id is None or session_id is not None)
            and overall != -1.0
            and aptitude != -1.0
            and strengths is not None
        ):
            return (session_id, overall, aptitude, strengths)
    row = structure(_slim(data, RESULT_KEYS), ProfilerResult)
    return (row.session_id, row.overall_score, row.aptitude_score, row.strengths)


def enrollment_fields(data: object) -> EnrollmentFields:
    """The enrollment fields of one decoded line (raises what ``structure()`` raises for a bad one)."""
    if type(data) is dict:
        get = data.get
        user = _id_text(get("user_id"))
        cohort = _id_text(get("cohort_id"))
        status = _text_of(_ENROLLMENT_STATUS, get("status"))
        if user is not None and cohort is not None and status is not None:
            return (user, cohort, status)
    enrollment = structure(_slim(data, ENROLLMENT_KEYS), Enrollment)
    return (enrollment.user_id, enrollment.cohort_id, enrollment.status.value)


def cohort_value(data: object) -> Cohort:
    """A cohort line as a value (cohorts are few: always the full wire edge)."""
    return structure(data, Cohort)


def is_completed(status: str) -> bool:
    """The one "completed" rule (:attr:`SessionStatus.is_completed`) on a status's text."""
    return status in _DONE


def completion_key(fields: SessionFields) -> tuple[bool, datetime, tuple[bool, int, str]]:
    """The order :func:`~profiler_core.mapping.latest_completed_session` uses, on session fields."""
    stamp = fields[3]
    return (stamp is not None, stamp or _EPOCH, session_id_order(fields[0]))


def _learner_rows(
    cohorts_of: Mapping[str, Collection[str]],
    latest: Mapping[str, tuple[int, object, SessionFields]],
    rows: Mapping[str, tuple[int, ResultFields]],
    counted_status: str,
) -> Iterator[tuple[object, ...]]:
    """Accumulator rows (:data:`~profiler_core.analytics.ROW_FIELDS`), one per counted cohort, by learner."""
    empty = (None,) * 8
    for user in sorted(cohorts_of):
        kept = latest.get(user)
        if kept is None:
            session: tuple[object, ...] = empty
        else:
            fields = kept[2]
            result = rows.get(fields[0])
            aptitude, strengths, overall = fields[6], fields[8], None
            if result is not None:
                row = result[1]
                overall = row[1]
                if aptitude is None:
                    aptitude = row[2]
                strengths = (*strengths, *row[3])
            session = (*fields[2:6], aptitude, fields[7], overall, strengths)
        for cohort in cohorts_of[user]:
            yield (user, cohort, counted_status, *session)


def export_partial(
    cohorts_of: Mapping[str, Collection[str]],
    latest: Mapping[str, tuple[int, object, SessionFields]],
    rows: Mapping[str, tuple[int, ResultFields]],
    *,
    policy: AnalyticsPolicy,
    on_error: Callable[[int, Exception], None],
) -> AnalyticsPartial:
    """The partial of the counted learners: rows straight into the accumulator.

    Every field was read by the wire rules already, so this cannot fail on
    data; should anything fail anyway, the learners are added one by one as
    values (:func:`~profiler_core.accumulation._partial_of_learners`), and a
    learner who cannot be added is reported at their session's line and counted
    as not profiled.
    """
    counted_status = min(s.value for s in policy.counted_statuses)
    accumulator = accumulation.AnalyticsAccumulator(policy)
    try:
        accumulator.add_rows(_learner_rows(cohorts_of, latest, rows, counted_status))
        return accumulator.partial()
    except Exception:  # the exact, per-learner path below finds and reports the learner
        return _partial_by_values(cohorts_of, latest, rows, policy=policy, on_error=on_error)


def _partial_by_values(
    cohorts_of: Mapping[str, Collection[str]],
    latest: Mapping[str, tuple[int, object, SessionFields]],
    rows: Mapping[str, tuple[int, ResultFields]],
    *,
    policy: AnalyticsPolicy,
    on_error: Callable[[int, Exception], None],
) -> AnalyticsPartial:
    def on_learner_error(user: UserId, exc: Exception) -> None:
        on_error(latest[user][0], exc)

    return accumulation._partial_of_learners(
        {UserId(u): [CohortId(c) for c in found] for u, found in cohorts_of.items()},
        {UserId(u): _session_value(fields) for u, (_line, _key, fields) in latest.items()},
        {sid: _result_value(row) for sid, (_line, row) in rows.items()},
        policy=policy,
        on_error=on_learner_error,
    )


def _session_value(fields: SessionFields) -> ProfilerSession:
    session_id, user, status, completed, selection, track, aptitude, technical, strengths = fields
    return ProfilerSession(
        id=SessionId(session_id),
        user_id=UserId(user),
        status=SessionStatus(status),
        completed_at=completed,
        difficulty_selection=DifficultySelection(selection) if selection is not None else None,
        recommended_track=TrackKey(track) if track is not None else None,
        aptitude_score=aptitude,
        technical_exposure_score=technical,
        strengths=strengths,
    )


def _result_value(fields: ResultFields) -> ProfilerResult:
    session_id, overall, aptitude, strengths = fields
    return ProfilerResult(
        session_id=SessionId(session_id) if session_id is not None else None,
        overall_score=overall,
        aptitude_score=aptitude,
        strengths=strengths,
    )
