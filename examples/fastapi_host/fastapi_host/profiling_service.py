"""The OCH FastAPI profiling service's sessions, read through ``profiler_core.och``.

The service (``backend/fastapi_app`` of the OCH platform) keeps a pydantic
``ProfilingSession``: ``id: str``, ``user_id: int`` (Django's ``users.id``),
``responses`` of option letters, naive ``datetime.utcnow()`` timestamps, the
reflection in ``reflection_responses``, the raw technical-exposure sum in
``telemetry['technical_exposure_score']``, the difficulty in
``difficulty_verification``. This host takes that JSON as the service sends it
and reads it with :func:`profiler_core.och.read_fastapi_session`, the library's
reader for that shape, with the service's questions from ``profiling_questions``
(option letters become option texts). There is no conversion here: every field
rule, and the rule that a naive timestamp from this service is UTC, is the
reader's (docs/reference/och.md, "Rows in").
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping

from fastapi_host.db import id_list
from profiler_core import ProfilerSession
from profiler_core.och import RowRead, read_fastapi_session

__all__ = ["IDENTITY_QUESTIONS", "store_questions", "questions_for", "read_service_session"]


def _question(qid: str, question: str, *options: tuple[str, str, dict[str, int]]) -> dict[str, object]:
    return {
        "id": qid,
        "question": question,
        "category": "identity_value",
        "options": [{"value": value, "text": text, "scores": scores} for value, text, scores in options],
    }


#: The service's first five "Identity & Value" questions (``schemas/profiling_questions_enhanced.py``),
#: as ``GET /api/v1/profiling/questions`` lists them. The sample platform loads them.
IDENTITY_QUESTIONS: tuple[dict[str, object], ...] = (
    _question(
        "identity_1",
        "What drives you most in your career?",
        (
            "A",
            "Protecting others and ensuring systems are secure",
            {"defender": 3, "grc": 1, "leadership": 1},
        ),
        ("B", "Understanding how things work and finding vulnerabilities", {"offensive": 3, "innovation": 2}),
        ("C", "Creating innovative solutions and pushing boundaries", {"innovation": 3, "offensive": 1}),
        ("D", "Leading teams and making strategic decisions", {"leadership": 3, "grc": 1}),
        ("E", "Ensuring compliance and managing risk systematically", {"grc": 3, "leadership": 1}),
    ),
    _question(
        "identity_2",
        "Your ideal work environment is one where:",
        (
            "A",
            "You monitor systems and respond to security incidents in real-time",
            {"defender": 3, "grc": 1},
        ),
        ("B", "You test systems, find vulnerabilities, and think like an attacker", {"offensive": 3}),
        ("C", "You research, develop tools, and explore cutting-edge technologies", {"innovation": 3}),
        (
            "D",
            "You coordinate teams, make strategic decisions, and align security with business",
            {"leadership": 3},
        ),
        ("E", "You work with frameworks, ensure compliance, and manage risk", {"grc": 3, "leadership": 1}),
    ),
    _question(
        "identity_3",
        "When you think about cybersecurity, what excites you most?",
        ("A", "Building robust defenses and protecting organizations from attacks", {"defender": 3}),
        ("B", "Breaking into systems ethically and understanding attack techniques", {"offensive": 3}),
        ("C", "Developing new security technologies and solving complex problems", {"innovation": 3}),
        ("D", "Leading security initiatives and making strategic impact", {"leadership": 3, "grc": 1}),
        ("E", "Ensuring organizations meet security standards and regulations", {"grc": 3, "leadership": 1}),
    ),
    _question(
        "identity_4",
        "Your core value in cybersecurity is:",
        ("A", "Vigilance and protection - being the first line of defense", {"defender": 3, "grc": 1}),
        (
            "B",
            "Discovery and validation - finding weaknesses before attackers do",
            {"offensive": 3, "defender": 2},
        ),
        (
            "C",
            "Innovation and advancement - creating the future of security",
            {"innovation": 3, "offensive": 1},
        ),
        (
            "D",
            "Strategy and leadership - aligning security with business success",
            {"leadership": 3, "grc": 1},
        ),
        (
            "E",
            "Governance and compliance - ensuring systematic security management",
            {"grc": 3, "leadership": 1},
        ),
    ),
    _question(
        "identity_5",
        "What impact do you want to make in cybersecurity?",
        ("A", "Protect organizations from cyber threats and minimize security incidents", {"defender": 3}),
        ("B", "Help organizations identify and fix security vulnerabilities proactively", {"offensive": 3}),
        ("C", "Develop breakthrough security technologies and advance the field", {"innovation": 3}),
        ("D", "Lead security teams and drive organizational security strategy", {"leadership": 3, "grc": 1}),
        ("E", "Ensure organizations meet compliance requirements and manage risk effectively", {"grc": 3}),
    ),
)


def store_questions(connection: sqlite3.Connection, questions: Iterable[Mapping[str, object]]) -> None:
    """Insert or replace the service's questions (``{id, question, category, options}``) in one statement."""
    connection.executemany(
        "INSERT INTO profiling_questions (id, category, question, options) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (id) DO UPDATE SET category = excluded.category, question = excluded.question, "
        "options = excluded.options",
        [
            (str(q["id"]), str(q["category"]), str(q.get("question", "")), json.dumps(q.get("options", [])))
            for q in questions
        ],
    )


def questions_for(connection: sqlite3.Connection, body: Mapping[str, object]) -> list[dict[str, object]]:
    """The stored questions the session's ``responses`` answer: one query, whatever their number.

    Anything in ``responses`` that is not a ``{question_id: str}`` object is
    left for the reader to report at its real path.
    """
    responses = body.get("responses")
    ids = (
        [
            r["question_id"]
            for r in responses
            if isinstance(r, Mapping) and isinstance(r.get("question_id"), str)
        ]
        if isinstance(responses, list)
        else []
    )
    if not ids:
        return []
    rows = connection.execute(
        "SELECT id, category, question, options FROM profiling_questions "
        "WHERE id IN (SELECT value FROM json_each(?))",
        (id_list(ids),),
    ).fetchall()
    return [{**dict(row), "options": json.loads(row["options"])} for row in rows]


def read_service_session(
    connection: sqlite3.Connection, body: Mapping[str, object]
) -> RowRead[ProfilerSession]:
    """The service's session JSON as a ``ProfilerSession``, with the notes of what was not used.

    Raises:
        InvalidPayloadError: ``type`` ``fastapi_session``, every problem at the
            service's own path (``$.telemetry.technical_exposure_score``,
            ``$.reflection_responses.why_cyber``).
    """
    return read_fastapi_session(body, questions=questions_for(connection, body))
