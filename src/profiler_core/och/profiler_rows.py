"""OCH profiler rows in: Django ``profilersessions`` and ``profilerresults`` rows, the FastAPI session JSON.

Where the platform keeps what the library reads (SPEC §12):

* **reflection** (``why_cyber``, ``what_achieve``): Django keeps them in the
  session's ``behavioral_responses`` JSON, the FastAPI service in
  ``reflection_responses``;
* **identity answers**: option letters (``answer['value']`` of a
  ``profileranswers`` row; ``selected_option`` of a FastAPI response), resolved
  to their text through the question's ``options`` (the host gives the
  questions);
* **anti-cheat flags**: the ``suspicious_patterns`` column;
* **status**: ``is_locked`` wins over ``status`` (a locked session is ``locked``);
* **technical exposure**: Django stores a percentage; the FastAPI service
  stores a raw sum under ``telemetry['technical_exposure_score']``, converted by
  :func:`profiler_core.models.technical_exposure_percentage` with the number of
  technical-exposure questions answered;
* **recommended track**: Django keeps only ``recommended_track_id`` (a track
  UUID). The key is taken, in this order, from (1) ``recommended_track_id``
  resolved through the host's :class:`~profiler_core.och.TrackDirectory`;
  (2) the single highest ``track_alignment_percentages`` entry (a tie names no
  track); (3) the user's ``users.track_key``. Each step that was needed is
  noted; nothing is guessed beyond them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from profiler_core.decisions import Reason
from profiler_core.ids import _id_text
from profiler_core.models import ProfilerResult, ProfilerSession
from profiler_core.och.directories import TrackDirectory
from profiler_core.och.rows import Row, RowRead, RowsRead, _dump_timestamp, _utc_if_naive, _Wire, read_rows
from profiler_core.vocabulary import parse_track_lenient

__all__ = [
    "IDENTITY_CATEGORY",
    "TECHNICAL_EXPOSURE_CATEGORY",
    "read_profiler_session",
    "read_profiler_session_rows",
    "read_fastapi_session",
    "read_profiler_result",
    "read_profiler_result_rows",
]

#: The ``profilerquestions.category`` (and FastAPI question category) of the "Identity & Value" module.
IDENTITY_CATEGORY = "identity_value"

#: The category of the technical-exposure questions (FastAPI ids ``tech_exposure_1..10``).
TECHNICAL_EXPOSURE_CATEGORY = "technical_exposure"

_FASTAPI_PREFIXES = {IDENTITY_CATEGORY: "identity_", TECHNICAL_EXPOSURE_CATEGORY: "tech_exposure_"}


def _questions_by_id(questions: Iterable[Row]) -> dict[str, Row]:
    return {text: q for q in questions if (text := _id_text(q.get("id"))) is not None}


def _option_text(question: Row, letter: object) -> str | None:
    """The text of option *letter*: ``{value, text}`` options by value, plain options by position."""
    if not isinstance(letter, str) or not letter.strip():
        return None
    wanted = letter.strip().upper()
    options = question.get("options")
    if not isinstance(options, list):
        return None
    for position, option in enumerate(options):
        if isinstance(option, Mapping):
            value, text = option.get("value"), option.get("text")
            if isinstance(value, str) and value.strip().upper() == wanted and isinstance(text, str):
                return text
        elif isinstance(option, str) and len(wanted) == 1 and ord(wanted) - ord("A") == position:
            return option
    return None


def _category_of(question_id: str, questions: Mapping[str, Row]) -> str | None:
    question = questions.get(question_id)
    if question is not None:
        category = question.get("category")
        return category if isinstance(category, str) else None
    for category, prefix in _FASTAPI_PREFIXES.items():
        if question_id.startswith(prefix):
            return category
    return None


def _identity(
    wire: _Wire, chosen: Iterable[tuple[str, object]], questions: Mapping[str, Row]
) -> list[dict[str, str]]:
    """Identity answers as ``{question_id, text}``; a letter no option names is noted and not used."""
    responses: list[dict[str, str]] = []
    for question_id, letter in chosen:
        if _category_of(question_id, questions) != IDENTITY_CATEGORY:
            continue
        question = questions.get(question_id)
        text = None if question is None else _option_text(question, letter)
        if text is None:
            wire.note(
                "identity_answer_unresolved",
                f"The identity answer to question {question_id} names no option of the question "
                "the host gave; it is not used.",
            )
            continue
        responses.append({"question_id": question_id, "text": text})
    return responses


def _django_answers(answers: Iterable[Row]) -> list[tuple[str, object]]:
    chosen: list[tuple[str, object]] = []
    for answer in answers:
        question_id = _id_text(answer.get("question_id"))
        if question_id is None:
            continue
        value = answer.get("answer")
        chosen.append((question_id, value.get("value") if isinstance(value, Mapping) else value))
    return chosen


def _status(wire: _Wire, row: Row) -> None:
    locked = row.get("is_locked", False)
    if locked is None:
        locked = False
    if not isinstance(locked, bool):
        wire.fail("$.is_locked", f"must be true or false, got {type(locked).__name__}", "not_a_boolean")
        locked = False
    wire.put("status", "locked" if locked else row.get("status", "started"))


def _top_alignment(alignment: object) -> str | None:
    """The one track with the highest alignment percentage, or ``None`` (none, a tie, or unreadable)."""
    if not isinstance(alignment, Mapping):
        return None
    scored: list[tuple[float, str]] = []
    for key, value in alignment.items():
        if isinstance(value, bool) or not isinstance(key, str):
            return None
        try:
            scored.append((float(str(value)), key))
        except ValueError:
            return None
    if not scored:
        return None
    scored.sort(reverse=True)
    if len(scored) > 1 and scored[0][0] == scored[1][0]:
        return None
    return scored[0][1]


def _recommended_track(
    wire: _Wire, row: Row, tracks: TrackDirectory | None, user_track_key: str | None
) -> None:
    ref = row.get("recommended_track_id")
    if ref is not None:
        if tracks is None:
            wire.note(
                "track_unresolved",
                "The session's recommended_track_id cannot be resolved: no track directory was given.",
            )
        else:
            resolution = tracks.resolve(ref, field="recommended_track_id")
            if resolution.key is not None:
                wire.put("recommended_track", resolution.key.value, "recommended_track_id")
                return
            wire.unresolved("$.recommended_track_id", resolution.ref, resolution.reason)
    top = _top_alignment(row.get("track_alignment_percentages"))
    if top is not None and parse_track_lenient(top).key is not None:
        wire.put("recommended_track", top, "track_alignment_percentages")
        wire.note(
            "recommended_track_from_alignment",
            "The recommended track is the session's highest track alignment percentage.",
        )
        return
    if user_track_key is not None and user_track_key.strip():
        key = parse_track_lenient(user_track_key).key
        if key is not None:
            wire.put("recommended_track", key.value, "users.track_key")
            wire.note("recommended_track_from_user", "The recommended track is the user's track_key.")
            return
        wire.keep(
            "$.users.track_key",
            user_track_key.strip(),
            Reason(
                code="unknown_track",
                message="The user's track_key is not a track; the session has no recommended track.",
            ),
        )


def read_profiler_session(
    row: Row,
    *,
    tracks: TrackDirectory | None = None,
    questions: Iterable[Row] = (),
    answers: Iterable[Row] = (),
    user_track_key: str | None = None,
) -> RowRead[ProfilerSession]:
    """Read a Django ``profilersessions`` row (a ``.values()`` dict) as a :class:`ProfilerSession`.

    Args:
        row: the session row.
        tracks: resolves ``recommended_track_id``.
        questions: ``profilerquestions`` rows (``id``, ``category``, ``options``)
            of the session's identity answers.
        answers: the session's ``profileranswers`` rows (``question_id``,
            ``answer`` = ``{"value": "A", ...}``); those whose question's
            category is ``identity_value`` are the identity answers.
        user_track_key: the learner's ``users.track_key`` (the last source of
            the recommended track).

    Raises:
        InvalidPayloadError: every problem, at its real column (``$.behavioral_responses.why_cyber``).

    >>> import datetime as dt, uuid
    >>> from decimal import Decimal
    >>> read = read_profiler_session(
    ...     {
    ...         "id": uuid.UUID("0b6c7a52-3c1e-4f5e-9d59-0c3f8f1d2a10"),
    ...         "user_id": 16,
    ...         "status": "finished",
    ...         "is_locked": True,
    ...         "completed_at": dt.datetime(2026, 2, 7, 8, 25, tzinfo=dt.timezone(dt.timedelta(hours=3))),
    ...         "aptitude_score": Decimal("72.50"),
    ...         "technical_exposure_score": Decimal("40.00"),
    ...         "behavioral_profile": {"teamwork": 7.5},
    ...         "difficulty_selection": "intermediate",
    ...         "behavioral_responses": {"why_cyber": "I like puzzles.", "q-1": 4},
    ...         "track_alignment_percentages": {"defender": 85.5, "grc": 60.0},
    ...         "suspicious_patterns": ["too_fast"],
    ...         "recommended_track_id": None,
    ...     }
    ... )
    >>> s = read.value
    >>> s.status.value, s.user_id, s.reflection.why_cyber, s.recommended_track.value, s.anti_cheat_flags
    ('locked', '16', 'I like puzzles.', 'defender', ('too_fast',))
    >>> [n.code for n in read.notes]
    ['recommended_track_from_alignment']
    """
    wire = _Wire("profilersessions")
    wire.copy(
        row,
        "id",
        "user_id",
        "difficulty_selection",
        "aptitude_score",
        "technical_exposure_score",
        "behavioral_profile",
        "strengths",
        "track_confidence",
        "track_alignment_percentages",
        "anti_cheat_score",
    )
    for name in ("started_at", "completed_at"):
        if name in row:
            wire.put(name, _dump_timestamp(row[name]))
    _status(wire, row)
    responses = row.get("behavioral_responses")
    if isinstance(responses, Mapping):
        reflection = {k: responses[k] for k in ("why_cyber", "what_achieve") if k in responses}
        wire.put("reflection", reflection, "behavioral_responses")
    elif responses is not None:
        wire.fail(
            "$.behavioral_responses", f"must be an object, got {type(responses).__name__}", "not_an_object"
        )
    if "suspicious_patterns" in row:
        wire.put("anti_cheat_flags", row["suspicious_patterns"], "suspicious_patterns")
    by_id = _questions_by_id(questions)
    wire.put("identity_responses", _identity(wire, _django_answers(answers), by_id))
    _recommended_track(wire, row, tracks, user_track_key)
    return wire.read(ProfilerSession)


def read_profiler_session_rows(
    rows: Iterable[Row],
    *,
    tracks: TrackDirectory | None = None,
) -> RowsRead[ProfilerSession]:
    """Batch form of :func:`read_profiler_session` (no identity answers, no ``users.track_key``)."""
    return read_rows(rows, lambda row: read_profiler_session(row, tracks=tracks))


def _fastapi_status(body: Row) -> str:
    if body.get("completed_at") is not None:
        return "finished"
    return "in_progress" if body.get("responses") else "started"


def _fastapi_responses(wire: _Wire, body: Row) -> list[tuple[str, object]]:
    responses = body.get("responses")
    if responses is None:
        return []
    if not isinstance(responses, list):
        wire.fail("$.responses", "must be a list", "not_a_list")
        return []
    chosen: list[tuple[str, object]] = []
    for index, response in enumerate(responses):
        if not isinstance(response, Mapping) or not isinstance(response.get("question_id"), str):
            wire.fail(f"$.responses[{index}].question_id", "must be a string", "not_a_string")
            continue
        chosen.append((str(response["question_id"]), response.get("selected_option")))
    return chosen


def read_fastapi_session(
    body: Row,
    *,
    questions: Iterable[Row] = (),
) -> RowRead[ProfilerSession]:
    """Read the FastAPI profiling service's session JSON (``schemas/profiling.py`` ``ProfilingSession``).

    * ``status``: the service has none; ``finished`` when ``completed_at`` is
      set, else ``in_progress`` with responses, else ``started``.
    * ``started_at`` / ``completed_at``: the service writes naive
      ``utcnow()``; a naive value is read as UTC (this source only).
    * ``scores`` (per-track) are the track alignment percentages (``null``,
      as the service sends for a session without scores, gives none);
      ``recommended_track`` is a key; ``reflection_responses`` the reflection;
      ``difficulty_verification.selected_difficulty`` the difficulty selection.
    * technical exposure: ``telemetry['technical_exposure_score']`` (raw sum)
      with the number of answered ``technical_exposure`` questions.
    * identity answers: responses to ``identity_value`` questions (by the
      host's *questions*, else the service's ``identity_`` ids), letters
      resolved through the question's options.

    Raises:
        InvalidPayloadError: every problem at its real path (``$.telemetry.technical_exposure_score``).

    >>> read = read_fastapi_session(
    ...     {
    ...         "id": "0b6c7a52-3c1e-4f5e-9d59-0c3f8f1d2a10",
    ...         "user_id": 16,
    ...         "responses": [
    ...             {"question_id": "tech_exposure_1", "selected_option": "B"},
    ...             {"question_id": "tech_exposure_2", "selected_option": "A"},
    ...         ],
    ...         "started_at": "2026-02-07T08:00:00",
    ...         "completed_at": "2026-02-07T08:25:00",
    ...         "scores": {"defender": 78.0, "grc": 55.0},
    ...         "recommended_track": "defender",
    ...         "telemetry": {"technical_exposure_score": 5},
    ...         "reflection_responses": {
    ...             "why_cyber": "To protect people.",
    ...             "submitted_at": "2026-02-07T08:24:00",
    ...         },
    ...     }
    ... )
    >>> s = read.value
    >>> s.status.value, s.technical_exposure_score, s.technical_exposure_answered, s.completed_at.isoformat()
    ('finished', 75.0, 2, '2026-02-07T08:25:00+00:00')
    """
    wire = _Wire("fastapi_session")
    wire.copy(body, "id", "user_id", "recommended_track", "anti_cheat_score")
    wire.put("status", _fastapi_status(body))
    for name in ("started_at", "completed_at"):
        if name in body:
            wire.put(name, _utc_if_naive(body[name]))
    # null for a session without scores yet (in progress): no alignment percentages.
    if body.get("scores") is not None:
        wire.put("track_alignment_percentages", body["scores"], "scores")
    if "suspicious_patterns" in body and body["suspicious_patterns"] is not None:
        wire.put("anti_cheat_flags", body["suspicious_patterns"], "suspicious_patterns")
    reflection = body.get("reflection_responses")
    if isinstance(reflection, Mapping):
        picked = {k: reflection[k] for k in ("why_cyber", "what_achieve") if k in reflection}
        wire.put("reflection", picked, "reflection_responses")
    elif reflection is not None:
        wire.fail("$.reflection_responses", "must be an object", "not_an_object")
    verification = body.get("difficulty_verification")
    if isinstance(verification, Mapping) and "selected_difficulty" in verification:
        wire.put(
            "difficulty_selection",
            verification["selected_difficulty"],
            "difficulty_verification.selected_difficulty",
        )
    by_id = _questions_by_id(questions)
    chosen = _fastapi_responses(wire, body)
    wire.put("identity_responses", _identity(wire, chosen, by_id))
    telemetry = body.get("telemetry")
    if isinstance(telemetry, Mapping) and telemetry.get("technical_exposure_score") is not None:
        answered = sum(1 for qid, _ in chosen if _category_of(qid, by_id) == TECHNICAL_EXPOSURE_CATEGORY)
        wire.put(
            "technical_exposure_score",
            {"raw": telemetry["technical_exposure_score"], "answered": answered},
            "telemetry.technical_exposure_score",
        )
    elif telemetry is not None and not isinstance(telemetry, Mapping):
        wire.fail("$.telemetry", "must be an object", "not_an_object")
    return wire.read(ProfilerSession)


def read_profiler_result(row: Row) -> RowRead[ProfilerResult]:
    """Read a ``profilerresults`` row as a :class:`ProfilerResult`.

    ``aptitude_breakdown`` may hold ``{category: number}`` or what
    ``complete_profiling`` writes, ``{category: {correct, total, points}}``;
    ``user_id`` (``varchar(36)`` in the dump) is not read (the session names the learner).

    Raises:
        InvalidPayloadError: every problem at its real column.

    >>> from decimal import Decimal
    >>> result = read_profiler_result(
    ...     {
    ...         "id": "r-1",
    ...         "session_id": "s-1",
    ...         "overall_score": Decimal("68.10"),
    ...         "aptitude_score": Decimal("70.00"),
    ...         "behavioral_score": Decimal("65.25"),
    ...         "aptitude_breakdown": {"networking": {"correct": 3, "total": 4, "points": 3}},
    ...         "areas_for_growth": ["Improve cryptography skills"],
    ...     }
    ... ).value
    >>> result.aptitude_breakdown["networking"].score, result.overall_score
    (75.0, 68.1)
    """
    wire = _Wire("profilerresults")
    wire.copy(
        row,
        "session_id",
        "overall_score",
        "aptitude_score",
        "behavioral_score",
        "aptitude_breakdown",
        "behavioral_traits",
        "strengths",
        "areas_for_growth",
    )
    return wire.read(ProfilerResult)


def read_profiler_result_rows(rows: Iterable[Row]) -> RowsRead[ProfilerResult]:
    """Batch form of :func:`read_profiler_result`."""
    return read_rows(rows, read_profiler_result)
