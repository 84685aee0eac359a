"""OCH rows as the platform hands them, written for the row-reader tests from the platform's schema and dump.

Copied (anonymised) from the committed dump of cresdynamics-lang/och where it
has rows (users, tracks, curriculum_tracks, cohorts, user_roles, missions,
recipes, job postings, marketplace profiles, mentor assignments); built from
the column lists and the code that writes them where the dump is empty
(profiler sessions, results, answers, questions, portfolio items, enrollments).
Values are what Django's ``.values()`` returns: ``uuid.UUID``, ``int``,
``Decimal``, aware ``datetime`` (the dump's ``+03`` offset) and ``None``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

EAT = dt.timezone(dt.timedelta(hours=3))

LEARNER_ID = 16
LEARNER_UUID = uuid.UUID("742ee3bd-fe83-4f7e-b1c0-7f5cab98af94")
MENTOR_ID = 4

USERS = [
    {"id": 16, "uuid_id": LEARNER_UUID, "track_key": "leadership", "is_staff": False},
    {
        "id": 28,
        "uuid_id": uuid.UUID("e0029352-1e9a-4333-ac15-a0798e6f8b41"),
        "track_key": "grc",
        "is_staff": False,
    },
    {
        "id": 4,
        "uuid_id": uuid.UUID("258b2081-c7f4-4546-8bb5-c6dc3809d3c6"),
        "track_key": None,
        "is_staff": False,
    },
    {
        "id": 2,
        "uuid_id": uuid.UUID("733a2c14-26e0-436e-ae33-a731d3012a4d"),
        "track_key": None,
        "is_staff": False,
    },
    {
        "id": 1,
        "uuid_id": uuid.UUID("6514eab8-3a5d-4a88-b79e-24c2d8eb2ac6"),
        "track_key": None,
        "is_staff": True,
    },
]

DEFENSIVE_CURRICULUM_ID = uuid.UUID("5fb698b7-08a0-400c-b5d5-c0f7f19ba8d8")
DEFENSIVE_PROGRAM_TRACK_ID = uuid.UUID("df72937e-1465-44fa-a92d-44a34050b25b")
FEB_TRACK_ID = uuid.UUID("359e7deb-b24c-4d22-ac8d-1bee454e3d56")

TRACKS = [
    {"id": DEFENSIVE_PROGRAM_TRACK_ID, "name": "Defensive Security Track", "key": "defensive-security"},
    {
        "id": uuid.UUID("7604c406-0011-43ae-bf00-caaf0b36dcde"),
        "name": "Defensive Security Track",
        "key": "defensive-security",
    },
    {"id": uuid.UUID("9aa20c33-aee9-49b3-a63c-1b5a54c5a65b"), "name": "Test Track", "key": "test-track"},
    {"id": FEB_TRACK_ID, "name": "February Track", "key": "Feb"},
]

CURRICULUM_TRACKS = [
    {"id": DEFENSIVE_CURRICULUM_ID, "code": "DEFENSIVE", "slug": "defender", "name": "cyber_defense"},
    {"id": uuid.UUID("d6fbadbf-1190-47c6-9108-7789183dbd7a"), "code": "OFFENSIVE", "slug": "offensive"},
    {"id": uuid.UUID("c2ee5556-d751-48c4-9dc9-d2b0cb0f1482"), "code": "GRC", "slug": "grc"},
    {"id": uuid.UUID("3da55237-fb68-4885-8146-bff51e64e634"), "code": "INNOVATION", "slug": "innovation"},
    {"id": uuid.UUID("330f8ca7-d226-491d-bacc-d955276c028b"), "code": "LEADERSHIP", "slug": "leadership"},
]

ROLE_NAMES = {
    1: "program_director",
    2: "admin",
    6: "student",
    7: "mentor",
    8: "sponsor",
    32: "mentee",
    34: "employer",
    35: "finance",
    36: "finance_admin",
    37: "sponsor_admin",
    38: "analyst",
}

SESSION_ID = uuid.UUID("0b6c7a52-3c1e-4f5e-9d59-0c3f8f1d2a10")
IDENTITY_QUESTION_ID = uuid.UUID("a1d2c3b4-0000-4000-8000-000000000004")
APTITUDE_QUESTION_ID = uuid.UUID("a1d2c3b4-0000-4000-8000-000000000101")


def session_row(**changes: object) -> dict[str, object]:
    """A ``profilersessions`` row as ``complete_profiling`` leaves it (locked), in the dump's column order."""
    row: dict[str, object] = {
        "id": SESSION_ID,
        "user_id": LEARNER_ID,
        "status": "locked",
        "session_token": "f" * 64,
        "current_section": "complete",
        "current_question_index": 0,
        "total_questions": 42,
        "aptitude_responses": {"q-1": "B"},
        "behavioral_responses": {
            "q-9": 7,
            "why_cyber": "I enjoy solving puzzles and protecting people.",
            "what_achieve": "Become a SOC analyst within two years.",
        },
        "current_self_assessment": {},
        "futureyou_persona": {"name": "Cyber Sentinel", "archetype": "defender"},
        "aptitude_score": Decimal("72.50"),
        "behavioral_profile": {"teamwork": 7.5, "communication": 4.0},
        "strengths": ["Strong in networking", "Strong teamwork abilities"],
        "recommended_track_id": DEFENSIVE_CURRICULUM_ID,
        "track_confidence": Decimal("0.85"),
        "started_at": dt.datetime(2026, 2, 7, 8, 0, 0, 3432, tzinfo=EAT),
        "last_activity": dt.datetime(2026, 2, 7, 8, 25, tzinfo=EAT),
        "completed_at": dt.datetime(2026, 2, 7, 8, 25, tzinfo=EAT),
        "time_spent_seconds": 1500,
        "is_locked": True,
        "locked_at": dt.datetime(2026, 2, 7, 8, 25, tzinfo=EAT),
        "admin_reset_by_id": None,
        "technical_exposure_score": Decimal("40.00"),
        "work_style_cluster": "collaborative",
        "scenario_choices": [],
        "difficulty_selection": "intermediate",
        "track_alignment_percentages": {"defender": 85.5, "offensive": 72.3},
        "result_accepted": False,
        "result_accepted_at": None,
        "foundations_transition_at": None,
        "time_spent_per_module": {"identity_value": 120},
        "response_times": [{"question_id": "q-1", "time_ms": 900}],
        "suspicious_patterns": ["too_fast", "identical_responses"],
        "anti_cheat_score": Decimal("12.00"),
        "ip_address": "10.0.0.1",
        "user_agent": "Mozilla/5.0",
        "device_fingerprint": "",
    }
    row.update(changes)
    return row


QUESTIONS = [
    {
        "id": IDENTITY_QUESTION_ID,
        "question_type": "behavioral",
        "answer_type": "multiple_choice",
        "question_text": "Your core value in cybersecurity is:",
        "options": [
            "Vigilance and protection - being the first line of defense",
            "Discovery and validation - finding weaknesses before attackers do",
        ],
        "category": "identity_value",
    },
    {
        "id": APTITUDE_QUESTION_ID,
        "question_type": "aptitude",
        "answer_type": "multiple_choice",
        "question_text": "Which port does DNS use?",
        "options": ["53", "80"],
        "category": "networking",
    },
]

ANSWERS = [
    {
        "id": uuid.UUID("b0000000-0000-4000-8000-000000000001"),
        "session_id": SESSION_ID,
        "question_id": IDENTITY_QUESTION_ID,
        "question_key": "identity.core_value",
        "answer": {"value": "A"},
        "is_correct": None,
        "points_earned": 0,
    },
    {
        "id": uuid.UUID("b0000000-0000-4000-8000-000000000002"),
        "session_id": SESSION_ID,
        "question_id": APTITUDE_QUESTION_ID,
        "question_key": "skills.networking",
        "answer": {"value": "A"},
        "is_correct": True,
        "points_earned": 1,
    },
]

RESULT_ROW = {
    "id": uuid.UUID("c0000000-0000-4000-8000-000000000001"),
    "session_id": SESSION_ID,
    "user_id": "16",
    "overall_score": Decimal("68.10"),
    "aptitude_score": Decimal("72.50"),
    "behavioral_score": Decimal("61.50"),
    "aptitude_breakdown": {"networking": {"correct": 3, "total": 4, "points": 3}, "cryptography": 35},
    "behavioral_traits": {"teamwork": 7.5},
    "strengths": ["Strong in networking"],
    "areas_for_growth": ["Improve cryptography skills", "Develop communication skills"],
    "recommended_tracks": [],
    "learning_path_suggestions": [],
    "och_mapping": {"tier": 1, "readiness_score": 72.4, "recommended_foundations": []},
    "created_at": dt.datetime(2026, 2, 7, 8, 25, tzinfo=EAT),
}


def fastapi_session(**changes: object) -> dict[str, object]:
    """The FastAPI profiling service's session JSON (naive ``utcnow()`` datetimes, raw exposure sum)."""
    responses = [
        {"question_id": "identity_4", "selected_option": "A", "response_time_ms": 5400},
        *(
            {"question_id": f"tech_exposure_{n}", "selected_option": "B", "response_time_ms": 3100}
            for n in range(1, 11)
        ),
    ]
    body: dict[str, object] = {
        "id": "0b6c7a52-3c1e-4f5e-9d59-0c3f8f1d2a10",
        "user_id": 16,
        "responses": responses,
        "started_at": "2026-02-07T08:00:00",
        "completed_at": "2026-02-07T08:25:00",
        "scores": {"defender": 78.0, "grc": 55.0},
        "recommended_track": "defender",
        "ip_address": None,
        "user_agent": None,
        "device_fingerprint": None,
        "response_times": None,
        "suspicious_patterns": [],
        "anti_cheat_score": 5.0,
        "telemetry": {
            "technical_exposure_score": 20,
            "work_style_cluster": "balanced",
            "value_statement": "...",
            "ready_for_portfolio": True,
        },
        "difficulty_verification": {
            "selected_difficulty": "intermediate",
            "is_realistic": True,
            "confidence": "medium",
            "technical_exposure_score": 20,
            "suggested_difficulty": "intermediate",
            "reasoning": "...",
        },
        "reflection_responses": {
            "why_cyber": "To protect people.",
            "what_achieve": "Lead a blue team.",
            "submitted_at": "2026-02-07T08:24:00.123456",
        },
    }
    body.update(changes)
    return body


FASTAPI_QUESTIONS = [
    {
        "id": "identity_4",
        "category": "identity_value",
        "options": [
            {
                "value": "A",
                "text": "Vigilance and protection - being the first line of defense",
                "scores": {},
            },
            {"value": "B", "text": "Discovery and validation - finding weaknesses before attackers do"},
        ],
    },
]
