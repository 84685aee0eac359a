"""Completions in the OCH FastAPI profiling service's real session shape (facts: rows.md).

The service's pydantic ``ProfilingSession`` serialised as it sends it: every
field present (``None`` where unset), ``user_id`` an int (Django's
``users.id``), naive ``utcnow()`` timestamps, option letters in ``responses``,
the reflection in ``reflection_responses``, the raw technical-exposure sum in
``telemetry`` (each answered ``tech_exposure_`` question scores 1 to 3) and the
chosen difficulty in ``difficulty_verification``.

The sample platform's learners have text ids (``learner-006``): sessions of
theirs carry that text as ``user_id``; the library accepts int, str and UUID
ids alike (SPEC §12). The real platform's users 16 and 28 are added by
:func:`add_och_users`.
"""

from __future__ import annotations

import sqlite3

#: The session of rows.md ("Example FastAPI session"), completed, with all ten technical-exposure answers.
SESSION_16: dict[str, object] = {
    "id": "0b6c7a52-3c1e-4f5e-9d59-0c3f8f1d2a10",
    "user_id": 16,
    "responses": [
        {"question_id": "identity_4", "selected_option": "A", "response_time_ms": 5400},
        *(
            {"question_id": f"tech_exposure_{n}", "selected_option": "B", "response_time_ms": 3100}
            for n in range(1, 11)
        ),
    ],
    "started_at": "2026-02-07T08:00:00",
    "completed_at": "2026-02-07T08:25:00",
    "scores": {"defender": 78.0, "grc": 55.0},
    "recommended_track": "defender",
    "ip_address": None,
    "user_agent": None,
    "device_fingerprint": None,
    "response_times": [{"question_id": "identity_4", "time_ms": 5400, "timestamp": 1770451200.0}],
    "suspicious_patterns": [],
    "anti_cheat_score": 5.0,
    "telemetry": {
        "technical_exposure_score": 14,
        "work_style_cluster": "balanced",
        "value_statement": "I am drawn to cybersecurity because: I like puzzles",
        "ready_for_portfolio": True,
    },
    "difficulty_verification": {
        "selected_difficulty": "intermediate",
        "is_realistic": False,
        "confidence": "low",
        "technical_exposure_score": 14,
        "suggested_difficulty": "beginner",
        "reasoning": "Your technical exposure suggests beginner.",
    },
    "reflection_responses": {
        "why_cyber": "I like puzzles",
        "what_achieve": "I want to run a SOC",
        "submitted_at": "2026-02-07T08:24:00.123456",
    },
}


def service_session(
    user_id: int | str,
    sid: str = "session-new",
    *,
    completed_at: str | None = "2026-11-25T08:40:00",
    difficulty: str = "advanced",
    exposure: int = 25,
    identity: str = "A",
    why_cyber: str = "Puzzles keep me curious",
    what_achieve: str = "I want to hunt threats",
) -> dict[str, object]:
    """A session of *user_id* as the service sends it: identity_1 answered *identity*, ten exposure answers.

    *exposure* is the raw sum (10 to 30 for ten answers); ``completed_at`` is
    naive UTC, ``None`` for a session still in progress.
    """
    return {
        "id": sid,
        "user_id": user_id,
        "responses": [
            {"question_id": "identity_1", "selected_option": identity, "response_time_ms": 4200},
            *(
                {"question_id": f"tech_exposure_{n}", "selected_option": "B", "response_time_ms": 3000 + n}
                for n in range(1, 11)
            ),
        ],
        "started_at": "2026-11-25T08:00:00",
        "completed_at": completed_at,
        "scores": {"defender": 70.0, "offensive": 64.0},
        "recommended_track": "defender",
        "ip_address": None,
        "user_agent": None,
        "device_fingerprint": None,
        "response_times": None,
        "suspicious_patterns": None,
        "anti_cheat_score": None,
        "telemetry": {"technical_exposure_score": exposure},
        "difficulty_verification": {"selected_difficulty": difficulty, "is_realistic": True},
        "reflection_responses": {
            "why_cyber": why_cyber,
            "what_achieve": what_achieve,
            "submitted_at": "2026-11-25T08:39:00.500000",
        },
    }


def add_och_users(connection: sqlite3.Connection) -> None:
    """Users 16 (the mentee of rows.md) and 28 as the host's ``users`` rows (``users.id`` as text)."""
    with connection:
        connection.executemany("INSERT OR IGNORE INTO users (id, is_staff) VALUES (?, 0)", [("16",), ("28",)])
