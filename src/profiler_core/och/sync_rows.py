"""The FastAPI profiling service's sync body in: ``POST /api/v1/profiler/sync-fastapi``.

The two OCH repositories send different bodies (SPEC §12):

* cresdynamics-lang/och (C): ``{user_id, session_id, completed_at,
  primary_track, recommendations: [{track_key, score, ...}]}``; its Django view
  only updates the stored session's alignment percentages.
* vickie25/och (V): the same, plus ``scores: {overall, aptitude, behavioral}``,
  ``aptitude_breakdown``, ``behavioral_traits``, ``strengths`` and
  ``areas_for_growth``; its view finishes and locks the session and writes a
  result row.

:func:`read_fastapi_sync` reads either as the values it carries: the
completed session and, when the body holds an overall score, its result.
"""

from __future__ import annotations

from collections.abc import Mapping

from attrs import frozen

from profiler_core.decisions import Reason
from profiler_core.errors import InvalidPayloadError, Problem
from profiler_core.models import ProfilerResult, ProfilerSession
from profiler_core.och.rows import Row, RowRead, _utc_if_naive, _Wire
from profiler_core.vocabulary import parse_track_lenient

__all__ = ["FastapiSync", "read_fastapi_sync"]

_SCORES = ("overall", "aptitude", "behavioral")


@frozen(kw_only=True)
class FastapiSync:
    """What a sync body carries: the completed session and, when it has an overall score, its result.

    Attributes:
        session: the session, ``locked`` (V's view finishes and locks it);
            ``aptitude_score``, ``strengths``, the recommended track
            (``primary_track``) and the alignment percentages (from
            ``recommendations``) as the body gives them.
        result: ``None`` without an overall score (C's body, or V's without
            scores). The aptitude and behavioral scores are the body's own:
            V's view copies the overall score into a missing one; the library
            leaves it absent (nothing is silently defaulted).
    """

    session: ProfilerSession
    result: ProfilerResult | None


def _score(body: Row, name: str) -> tuple[object, str] | None:
    """``scores.<name>``, else the top-level ``<name>_score`` fallback; with its path."""
    scores = body.get("scores")
    if isinstance(scores, Mapping) and scores.get(name) is not None:
        return scores[name], f"scores.{name}"
    if body.get(f"{name}_score") is not None:
        return body[f"{name}_score"], f"{name}_score"
    return None


def _alignment(session: _Wire, body: Row) -> None:
    recommendations = body.get("recommendations")
    if recommendations is None:
        return
    if not isinstance(recommendations, list):
        session.fail("$.recommendations", "must be a list", "not_a_list")
        return
    alignment: dict[str, object] = {}
    for index, item in enumerate(recommendations):
        if not isinstance(item, Mapping):
            session.fail(f"$.recommendations[{index}]", "must be an object", "not_an_object")
            continue
        column = "track_key" if item.get("track_key") is not None else "track"
        key = item.get(column)
        if not isinstance(key, str) or not key.strip():
            session.note(
                "alignment_entry_skipped",
                f"Recommendation {index + 1} names no track: not an alignment percentage.",
            )
            continue
        track = parse_track_lenient(key.strip().lower()).key
        if track is None:
            session.keep(
                f"$.recommendations[{index}].{column}",
                key,
                Reason(
                    code="unknown_track",
                    message=f"Recommendation {index + 1} is for a track the library does not know: "
                    "kept as unknown, no part.",
                ),
            )
            continue
        alignment[track.value] = item.get("score")
        session.source(f"track_alignment_percentages.{track.value}", f"recommendations[{index}].score")
    session.put("track_alignment_percentages", alignment)


def read_fastapi_sync(body: Row) -> RowRead[FastapiSync]:
    """Read the profiling service's sync body (C's or V's) as a :class:`FastapiSync`.

    * ``session_id`` / ``user_id``: the session and its learner (any id form).
    * ``completed_at``: a naive timestamp (the service writes ``utcnow()``) is
      read as UTC. The session is ``locked``: the service syncs a finished
      profiling run, and V's view locks it.
    * ``primary_track``: the recommended track (a key or alias).
    * ``recommendations[]``: ``{track_key or track, score}`` → the alignment
      percentages. A track that is not one is noted ``unknown_track``; an
      entry with no track is noted ``alignment_entry_skipped``; a score that is
      not 0..100 is a problem at its path (V's view skips it silently).
    * ``scores.overall`` / ``.aptitude`` / ``.behavioral`` (else top-level
      ``overall_score``, ``aptitude_score``, ``behavioral_score``): the result
      exists only with an overall score; the session's ``aptitude_score`` is the
      aptitude score. ``strengths`` go on both; ``aptitude_breakdown``,
      ``behavioral_traits`` and ``areas_for_growth`` on the result.

    Raises:
        InvalidPayloadError: every problem of the session and the result at the body's own path.

    >>> read = read_fastapi_sync(
    ...     {
    ...         "user_id": 16,
    ...         "session_id": "0b6c7a52-3c1e-4f5e-9d59-0c3f8f1d2a10",
    ...         "completed_at": "2026-02-07T08:25:00",
    ...         "primary_track": "defender",
    ...         "recommendations": [{"track_key": "DEFENDER", "score": 78.0}, {"track": "grc", "score": 55}],
    ...         "scores": {"overall": 71.5, "aptitude": 68.0},
    ...     }
    ... )
    >>> s, r = read.value.session, read.value.result
    >>> s.status.value, s.completed_at.isoformat()
    ('locked', '2026-02-07T08:25:00+00:00')
    >>> {k.value: v for k, v in s.track_alignment_percentages.items()}
    {'defender': 78.0, 'grc': 55.0}
    >>> r.overall_score, r.aptitude_score, r.behavioral_score
    (71.5, 68.0, None)
    """
    session = _Wire("fastapi_sync")
    session.put("id", body.get("session_id"), "session_id")
    session.copy(body, "user_id")
    session.put("status", "locked")
    if "completed_at" in body:
        session.put("completed_at", _utc_if_naive(body["completed_at"]))
    if body.get("primary_track") is not None:
        session.put("recommended_track", body["primary_track"], "primary_track")
    _alignment(session, body)
    if body.get("strengths") is not None:
        session.put("strengths", body["strengths"])
    aptitude = _score(body, "aptitude")
    if aptitude is not None:
        session.put("aptitude_score", aptitude[0], aptitude[1])
    problems: list[Problem] = []
    read: RowRead[ProfilerSession] | None = None
    try:
        read = session.read(ProfilerSession)
    except InvalidPayloadError as exc:
        problems.extend(exc.problems)
    result = _result(body, problems)
    if problems or read is None:
        raise InvalidPayloadError(problems, type_name="fastapi_sync")
    return RowRead(
        value=FastapiSync(session=read.value, result=result), notes=read.notes, unknown=read.unknown
    )


def _result(body: Row, problems: list[Problem]) -> ProfilerResult | None:
    overall = _score(body, "overall")
    if overall is None:
        return None
    wire = _Wire("fastapi_sync")
    wire.put("session_id", body.get("session_id"))
    for name in _SCORES:
        score = _score(body, name)
        if score is not None:
            wire.put(f"{name}_score", score[0], score[1])
    wire.copy(body, "aptitude_breakdown", "behavioral_traits", "strengths", "areas_for_growth")
    reported = {p.path for p in problems}
    try:
        return wire.read(ProfilerResult).value
    except InvalidPayloadError as exc:
        problems.extend(p for p in exc.problems if p.path not in reported)
        return None
