"""A small OCH platform in the real tables' shapes: rows as ``Model(**row)`` takes them.

Where the platform's database dump (``ongozacyberhub_backup.sql`` in
``cresdynamics-lang/och``) has rows, they are copied here with names and
e-mails anonymised and keys kept (users 1, 2, 4, 16, 28; the five curriculum
tracks; the cohorts, the one real mentee-mentor row, the ``mentor_assignments``
rows, the three missions, the marketplace profile and job postings; timestamps
keep the dump's ``+03`` offset). The dump has **no** profiler, portfolio or
enrollment rows, so those are synthesised from the columns and from what
``profiler/views.py::complete_profiling`` and ``sync_fastapi_profiling`` write:
a locked Django session with its reflection in ``behavioral_responses``, a
flat ``behavioral_profile``, ``suspicious_patterns``, a ``recommended_track_id``
that is a curriculum track's UUID, a result whose ``aptitude_breakdown`` is
``{category: {correct, total, points}}``. Users 29, 30, 31 and the sponsor
admin 5's link are synthesised too (marked below).

The world, for the tests:

* learner **16** (mentee of mentor 4 by the real ``track``-typed row; enrolled
  in "Corona Cohort 2020"; two completed sessions, the later one locked; a
  value statement; a marketplace profile);
* learner **28** (mentee of mentor 4 by a ``cohort``-typed row the platform
  auto-creates, naming cohort "Corona Cohort 2020" *and* the mentee; one
  finished session; no value statement yet);
* learner **30** (enrolled in the same cohort, nobody's mentee; a session in
  progress), learner **31** (enrolled, payment pending, never profiled);
* mentor **4**, programme director **2**, staff **1**, sponsor admin **5**
  (funds "Sponsored Cohort" through ``sponsor_cohort_assignments``), finance **29**.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any, Final

Row = dict[str, Any]

_EAT = timezone(timedelta(hours=3))  # the dump's "+03"


def at(day: int, hour: int, minute: int = 0, *, month: int = 2) -> datetime:
    """A 2026 timestamp at the dump's ``+03`` offset."""
    return datetime(2026, month, day, hour, minute, tzinfo=_EAT)


def u(text: str) -> uuid.UUID:
    """A UUID key as ``.values()`` gives it."""
    return uuid.UUID(text)


# --- keys the tests refer to ----------------------------------------------------

STAFF, DIRECTOR, MENTOR, SPONSOR_ADMIN = 1, 2, 4, 5
MENTEE, COHORT_MENTEE, FINANCE, CLASSMATE, UNPROFILED = 16, 28, 29, 30, 31

USER_UUID: Final = {
    1: u("6514eab8-3a5d-4a88-b79e-24c2d8eb2ac6"),
    2: u("733a2c14-26e0-436e-ae33-a731d3012a4d"),
    4: u("258b2081-c7f4-4546-8bb5-c6dc3809d3c6"),
    5: u("1f7c38c3-5d2e-4b8a-9c41-0e6f2a7b3d90"),  # synthesised tail (the dump shows "1f7c38c3-…")
    16: u("742ee3bd-fe83-4f7e-b1c0-7f5cab98af94"),
    28: u("e0029352-1e9a-4333-ac15-a0798e6f8b41"),
    29: u("3c1d9e2f-7a4b-4c8d-9e0f-1a2b3c4d5e6f"),  # synthesised
    30: u("4d2e0f3a-8b5c-4d9e-8f1a-2b3c4d5e6f70"),  # synthesised
    31: u("5e3f1a4b-9c6d-4eaf-901b-3c4d5e6f7081"),  # synthesised
}

DEFENDER_TRACK = u("5fb698b7-08a0-400c-b5d5-c0f7f19ba8d8")  # curriculum_tracks DEFENSIVE / defender
GRC_TRACK = u("c2ee5556-d751-48c4-9dc9-d2b0cb0f1482")
DEFENSIVE_PROGRAM_TRACK = u("df72937e-1465-44fa-a92d-44a34050b25b")  # tracks.key defensive-security

SPRING_COHORT = u("7981d631-ba38-42ff-93cc-d17c0a1b080c")
CORONA_COHORT = u("738d2d0f-f246-4310-8dca-98d571612981")
E71_COHORT = u("e71d8f30-26bb-446d-8113-397c866078fe")
SPONSORED_COHORT = u("32b37d99-ef98-476a-952a-66785f3d8e60")

MENTEE_SESSION = u("0b6c2f4e-1d3a-4b5c-8e7f-9a0b1c2d3e4f")  # locked, the latest
MENTEE_OLD_SESSION = u("1c7d3a5f-2e4b-4c6d-9f8a-0b1c2d3e4f5a")
COHORT_MENTEE_SESSION = u("2d8e4b6a-3f5c-4d7e-a09b-1c2d3e4f5a6b")
CLASSMATE_SESSION = u("3e9f5c7b-4a6d-4e8f-b1ac-2d3e4f5a6b7c")  # in progress

VALUE_STATEMENT_ITEM = u("6fa06d8c-5b7e-4f9a-c2bd-3e4f5a6b7c8d")
IDENTITY_QUESTION = u("7ab17e9d-6c8f-4a0b-93ce-4f5a6b7c8d9e")

# --- users and roles ------------------------------------------------------------


def _user(pk: int, username: str, first: str, last: str, **extra: Any) -> Row:
    return {
        "id": pk,
        "uuid_id": USER_UUID[pk],
        "username": username,
        "first_name": first,
        "last_name": last,
        "email": f"{username}@example.org" if "@" not in username else username,
        "is_active": True,
        **extra,
    }


USERS: Final[list[Row]] = [
    _user(1, "e", "Name E", "Surname E", is_staff=True),
    _user(2, "director", "Name D", "Surname D"),
    _user(4, "c@example.org", "Name C", "Surname C"),  # the dump's mentor: is_mentor is f in the dump
    _user(5, "sponsor", "Name F", "Surname F"),
    _user(16, "a@example.org", "Name A", "Surname A", track_key="leadership", profiling_complete=True),
    _user(
        28,
        "b@example.org",
        "Name B",
        "Surname B",
        track_key="grc",
        profiling_complete=True,
        profiling_session_id=u("ed2103fa-a997-40c7-9b95-9cbb0e38bab3"),  # dangling, as in the dump
    ),
    _user(29, "finance", "Name G", "Surname G"),
    _user(30, "classmate", "", ""),  # no name: the platform shows the e-mail
    _user(31, "unprofiled", "Name I", "Surname I"),
]

ROLES: Final[list[Row]] = [
    {"id": 1, "name": "program_director"},
    {"id": 2, "name": "admin"},
    {"id": 6, "name": "student"},
    {"id": 7, "name": "mentor"},
    {"id": 8, "name": "sponsor"},  # in the dump, not one of the Role choices
    {"id": 35, "name": "finance"},
    {"id": 37, "name": "sponsor_admin"},
    {"id": 38, "name": "analyst"},
]

USER_ROLES: Final[list[Row]] = [
    # The dump's rows: every one global with scope_ref NULL.
    {"id": 3, "user_id": 2, "role_id": 1, "scope": "global", "scope_ref": None, "is_active": True},
    {"id": 5, "user_id": 4, "role_id": 7, "scope": "global", "scope_ref": None, "is_active": True},
    {"id": 15, "user_id": 16, "role_id": 6, "scope": "global", "scope_ref": None, "is_active": True},
    {"id": 30, "user_id": 29, "role_id": 35, "scope": "global", "scope_ref": None, "is_active": True},
    # Synthesised: the sponsor admin, scoped to the sponsor (its users.uuid_id, the enterprise id).
    {"id": 40, "user_id": 5, "role_id": 37, "scope": "org", "scope_ref": USER_UUID[5], "is_active": True},
]

# --- tracks ---------------------------------------------------------------------

TRACKS: Final[list[Row]] = [
    {"id": DEFENSIVE_PROGRAM_TRACK, "name": "Defensive Security Track", "key": "defensive-security"},
    {
        "id": u("7604c406-0011-43ae-bf00-caaf0b36dcde"),
        "name": "Defensive Security Track",
        "key": "defensive-security",
    },
    {"id": u("9aa20c33-aee9-49b3-a63c-1b5a54c5a65b"), "name": "Test Track", "key": "test-track"},
    {"id": u("359e7deb-b24c-4d22-ac8d-1bee454e3d56"), "name": "February Track", "key": "Feb"},
]

CURRICULUM_TRACKS: Final[list[Row]] = [
    {"id": DEFENDER_TRACK, "code": "DEFENSIVE", "slug": "defender", "name": "cyber_defense"},
    {
        "id": u("d6fbadbf-1190-47c6-9108-7789183dbd7a"),
        "code": "OFFENSIVE",
        "slug": "offensive",
        "name": "Offensive Track",
    },
    {"id": GRC_TRACK, "code": "GRC", "slug": "grc", "name": "(Governance, Risk, and Compliance)"},
    {
        "id": u("3da55237-fb68-4885-8146-bff51e64e634"),
        "code": "INNOVATION",
        "slug": "innovation",
        "name": "Innovation",
    },
    {
        "id": u("330f8ca7-d226-491d-bacc-d955276c028b"),
        "code": "LEADERSHIP",
        "slug": "leadership",
        "name": "Leadership",
    },
]

# --- cohorts, enrollments, mentors ---------------------------------------------

COHORTS: Final[list[Row]] = [
    {
        "id": SPRING_COHORT,
        "track_id": None,
        "name": "CyberSec Leadership Cohort Spring 2024",
        "curriculum_tracks": [],
        "status": "active",
    },
    {
        "id": CORONA_COHORT,
        "track_id": None,
        "name": "Corona Cohort 2020",
        "curriculum_tracks": ["defender", "grc", "innovation"],
        "status": "active",
    },
    {"id": E71_COHORT, "track_id": None, "name": "Cohort E71", "curriculum_tracks": [], "status": "running"},
    # Synthesised: the sponsored cohort on the programs track "defensive-security".
    {
        "id": SPONSORED_COHORT,
        "track_id": DEFENSIVE_PROGRAM_TRACK,
        "name": "Sponsored Cohort",
        "curriculum_tracks": [],
        "status": "active",
    },
]

SPONSOR_COHORT_ASSIGNMENTS: Final[list[Row]] = [
    {
        "id": u("b8afc0f5-2c4d-4e6f-8a0b-1c2d3e4f5a6b"),
        "sponsor_uuid_id": USER_UUID[5],
        "cohort_id": SPONSORED_COHORT,
        "role": "funding",
    },
]

ENROLLMENTS: Final[list[Row]] = [  # synthesised: the dump has none
    {
        "id": u("8bc28fae-7d9a-4b1c-a4df-5a6b7c8d9eaf"),
        "cohort_id": CORONA_COHORT,
        "user_id": 16,
        "status": "active",
        "joined_at": at(5, 9),
    },
    {
        "id": u("9cd39abf-8eab-4c2d-b5ea-6b7c8d9eafb0"),
        "cohort_id": CORONA_COHORT,
        "user_id": 28,
        "status": "active",
        "joined_at": at(5, 9),
    },
    {
        "id": u("ade4abc0-9fbc-4d3e-86fb-7c8d9eafb0c1"),
        "cohort_id": CORONA_COHORT,
        "user_id": 30,
        "status": "active",
        "joined_at": at(5, 9),
    },
    {
        "id": u("bef5bcd1-a0cd-4e4f-970c-8d9eafb0c1d2"),
        "cohort_id": CORONA_COHORT,
        "user_id": 31,
        "status": "pending_payment",
        "joined_at": at(5, 9),
    },
    {
        "id": u("cf06cde2-b1de-4f50-a81d-9eafb0c1d2e3"),
        "cohort_id": SPONSORED_COHORT,
        "user_id": 16,
        "status": "active",
        "joined_at": at(6, 9),
    },
]

MENTEE_MENTOR_ASSIGNMENTS: Final[list[Row]] = [
    # The dump's one row: type "track", a mentee, the curriculum DEFENSIVE track's UUID as text.
    {
        "id": u("c6f60589-db18-40c6-8cd1-9006e8eded8f"),
        "mentee_id": 16,
        "mentor_id": 4,
        "cohort_id": None,
        "status": "active",
        "assigned_at": at(8, 16, 54),
        "track_id": str(DEFENDER_TRACK),
        "assignment_type": "track",
    },
    # As mentorship_coordination/views.py auto-creates it: type "cohort" (the default), a cohort AND a mentee.
    {
        "id": u("d017def3-c2ef-4061-b92e-afb0c1d2e3f4"),
        "mentee_id": 28,
        "mentor_id": 4,
        "cohort_id": str(CORONA_COHORT),
        "status": "active",
        "assigned_at": at(9, 10),
        "track_id": None,
        "assignment_type": "cohort",
    },
]

COHORT_MENTOR_ASSIGNMENTS: Final[list[Row]] = [  # programs.MentorAssignment: active + role, no status
    {
        "id": u("6177e215-e25d-424e-80ba-8749723616ff"),
        "cohort_id": SPRING_COHORT,
        "mentor_id": 4,
        "role": "primary",
        "assigned_at": at(2, 14, 47),
        "active": True,
    },
    {
        "id": u("31800781-9621-469b-8fff-139cf726f466"),
        "cohort_id": SPONSORED_COHORT,
        "mentor_id": 4,
        "role": "support",
        "assigned_at": at(7, 16, 5),
        "active": False,
    },
    {
        "id": u("df3da276-87c7-414c-87ff-2c256e8db86b"),
        "cohort_id": E71_COHORT,
        "mentor_id": 4,
        "role": "support",
        "assigned_at": at(8, 12, 0),
        "active": True,
    },
]

# --- profiler (synthesised from the columns and complete_profiling) -------------

PROFILER_QUESTIONS: Final[list[Row]] = [
    {
        "id": IDENTITY_QUESTION,
        "question_type": "behavioral",
        "category": "identity_value",
        "question_text": "Your core value in cybersecurity is:",
        "options": [
            "Vigilance and protection - being the first line of defense",
            "Discovery and validation - finding weaknesses before attackers do",
            "Innovation and advancement - creating the future of security",
            "Strategy and leadership - aligning security with business success",
            "Governance and compliance - ensuring systematic security management",
        ],
    },
]

PROFILER_SESSIONS: Final[list[Row]] = [
    {
        "id": MENTEE_OLD_SESSION,
        "user_id": 16,
        "status": "finished",
        "is_locked": False,
        "started_at": at(1, 8),
        "completed_at": at(1, 8, 30),
        "locked_at": None,
        "aptitude_score": Decimal("40.00"),
        "technical_exposure_score": Decimal("10.00"),
        "difficulty_selection": "novice",
        "behavioral_profile": {"teamwork": 5.0},
        "strengths": [],
        "recommended_track_id": GRC_TRACK,
        "track_confidence": Decimal("0.40"),
        "track_alignment_percentages": {"grc": 40.0},
        "behavioral_responses": {},
        "suspicious_patterns": [],
        "anti_cheat_score": Decimal("5.00"),
        "futureyou_persona": {},
    },
    {
        # complete_profiling, then lock(): status "locked", is_locked, completed_at = locked_at.
        "id": MENTEE_SESSION,
        "user_id": 16,
        "status": "locked",
        "is_locked": True,
        "started_at": at(7, 8),
        "completed_at": at(7, 8, 25),
        "locked_at": at(7, 8, 25),
        "aptitude_score": Decimal("72.50"),
        "technical_exposure_score": Decimal("40.00"),
        "difficulty_selection": "intermediate",
        "behavioral_profile": {"teamwork": 7.5, "communication": 4.0},  # flat {category: mean}
        "strengths": ["Strong in networking", "Strong teamwork abilities"],
        "recommended_track_id": DEFENDER_TRACK,
        "track_confidence": Decimal("0.85"),
        "track_alignment_percentages": {"defender": 85.5, "offensive": 72.3, "grc": 60.0},
        "behavioral_responses": {
            str(IDENTITY_QUESTION): "A",
            "why_cyber": "I want to keep hospitals running when attackers strike.",
            "what_achieve": "I aim to lead a security operations team.",
        },
        "suspicious_patterns": ["too_fast"],
        "anti_cheat_score": Decimal("12.50"),
        "device_fingerprint": "fp-16",
        "futureyou_persona": {
            "name": "Cyber Sentinel",
            "archetype": "defender",
            "description": "Guards critical systems.",
            "skills": ["SIEM"],
        },
    },
    {
        "id": COHORT_MENTEE_SESSION,
        "user_id": 28,
        "status": "finished",
        "is_locked": False,
        "started_at": at(18, 9),
        "completed_at": at(19, 7, 15),
        "locked_at": None,
        "aptitude_score": Decimal("55.00"),
        "technical_exposure_score": Decimal("20.00"),
        "difficulty_selection": "beginner",
        "behavioral_profile": {"communication": 8.0},
        "strengths": ["Strong communication abilities"],
        "recommended_track_id": GRC_TRACK,
        "track_confidence": Decimal("0.70"),
        "track_alignment_percentages": {"grc": 70.0},
        "behavioral_responses": {
            "why_cyber": "Rules keep people safe.",
            "what_achieve": "I want to run audits.",
        },
        "suspicious_patterns": [],
        "anti_cheat_score": Decimal("3.00"),
        "futureyou_persona": {},
    },
    {
        "id": CLASSMATE_SESSION,
        "user_id": 30,
        "status": "in_progress",
        "is_locked": False,
        "started_at": at(20, 9),
        "completed_at": None,
        "locked_at": None,
        "aptitude_score": None,
        "technical_exposure_score": None,
        "difficulty_selection": "",
        "behavioral_profile": {},
        "strengths": [],
        "recommended_track_id": None,
        "track_confidence": None,
        "track_alignment_percentages": {},
        "behavioral_responses": {},
        "suspicious_patterns": [],
        "anti_cheat_score": None,
        "futureyou_persona": {},
    },
]

PROFILER_ANSWERS: Final[list[Row]] = [
    {
        "id": u("8bc28fae-0000-4b1c-a4df-5a6b7c8d9e01"),
        "session_id": MENTEE_SESSION,
        "question_id": IDENTITY_QUESTION,
        "question_key": "identity_4",
        "answer": {"value": "A"},
    },
]

PROFILER_RESULTS: Final[list[Row]] = [
    {
        "id": u("e128ef04-d3f0-4172-ca3f-b0c1d2e3f405"),
        "session_id": MENTEE_SESSION,
        "user_id": 16,
        "overall_score": Decimal("66.00"),
        "aptitude_score": Decimal("72.50"),
        "behavioral_score": Decimal("57.50"),
        "aptitude_breakdown": {
            "networking": {"correct": 3, "total": 4, "points": 3},
            "cryptography": {"correct": 1, "total": 4, "points": 1},
        },
        "behavioral_traits": {"teamwork": 7.5, "communication": 4.0},
        "strengths": ["Strong in networking"],
        "areas_for_growth": ["Improve cryptography skills", "Develop communication skills"],
        "recommended_tracks": [],
        "och_mapping": {"tier": 1, "readiness_score": 66.0, "recommended_foundations": []},
        "created_at": at(7, 8, 25),
    },
    {
        "id": u("f239f015-e401-4283-db40-c1d2e3f40516"),
        "session_id": COHORT_MENTEE_SESSION,
        "user_id": 28,
        "overall_score": Decimal("55.00"),
        "aptitude_score": Decimal("55.00"),
        "behavioral_score": Decimal("55.00"),
        "aptitude_breakdown": {"web": {"correct": 1, "total": 4, "points": 1}},
        "behavioral_traits": {"communication": 8.0},
        "strengths": [],
        "areas_for_growth": ["Improve web skills"],
        "recommended_tracks": [],
        "och_mapping": {"tier": 0, "readiness_score": 55.0, "recommended_foundations": []},
        "created_at": at(19, 7, 15),
    },
]

# --- portfolio ------------------------------------------------------------------

PORTFOLIO_ITEMS: Final[list[Row]] = [
    # As complete_profiling writes it (user by uuid_id; skill_tags/evidence_files JSON text).
    {
        "id": VALUE_STATEMENT_ITEM,
        "user_id": USER_UUID[16],
        "title": "My Value Statement",
        "summary": "I am drawn to cybersecurity because: "
        "I want to keep hospitals running when attackers strike. "
        "My goal is to: I aim to lead a security operations team. "
        "My core values align with protecting and advancing cybersecurity.",
        "item_type": "reflection",
        "status": "approved",
        "visibility": "private",
        "skill_tags": "[]",
        "evidence_files": "[]",
        "profiler_session_id": MENTEE_SESSION,
        "created_at": at(7, 8, 26),
        "updated_at": at(7, 8, 26),
        "statement_owner_id": 16,
    },
    # Another item of the learner's, summary NULL (the column is nullable).
    {
        "id": u("70b17e9d-0000-4a0b-93ce-4f5a6b7c8d01"),
        "user_id": USER_UUID[16],
        "title": "SOC report",
        "summary": None,
        "item_type": "mission_report",
        "status": "draft",
        "visibility": "private",
        "skill_tags": None,
        "evidence_files": None,
        "profiler_session_id": None,
        "created_at": at(8, 9),
        "updated_at": at(8, 9),
    },
]

# --- catalogues (recipes from seed_recipes.py, seed_free_recipes.py and the dump) ------------


def _recipe(pk: str, slug: str, title: str, tracks: list[str], skills: list[str], **extra: Any) -> Row:
    return {
        "id": u(pk),
        "slug": slug,
        "title": title,
        "summary": f"{title}.",
        "description": f"{title} in steps.",
        "difficulty": "beginner",
        "estimated_minutes": 20,
        "track_codes": tracks,
        "skill_codes": skills,
        "tools_used": [],
        "usage_count": 0,
        "avg_rating": Decimal("0.00"),
        "is_active": True,
        **extra,
    }


RECIPES: Final[list[Row]] = [
    _recipe(
        "415394cc-61b3-4bb2-9409-a7ac829475e6",
        "general-general-skills-beginner-8e9ebd3a",
        "General Skills - Beginner Level",
        ["GENERAL"],
        ["general_skills"],
    ),
    _recipe(
        "a1b2c3d4-0001-4000-8000-000000000001",
        "siem-rule-writing-basics",
        "Write your first SIEM rule",
        ["SOCDEFENSE", "DFIR"],
        ["SIEM_RULE_WRITING", "DETECTION_ENGINEERING"],
        usage_count=40,
        avg_rating=Decimal("4.50"),
        tools_used=["Splunk"],
    ),
    _recipe(
        "a1b2c3d4-0002-4000-8000-000000000002",
        "log-analysis-triage",
        "Triage with log analysis",
        ["SOCDEFENSE"],
        ["LOG_ANALYSIS", "CLI_TOOLS"],
        usage_count=25,
        avg_rating=Decimal("4.00"),
    ),
    _recipe(
        "a1b2c3d4-0003-4000-8000-000000000003",
        "packet-inspection-wireshark",
        "Inspect packets",
        ["SOCDEFENSE", "CLOUD"],
        ["NETWORK_ANALYSIS", "PACKET_INSPECTION"],
        usage_count=12,
        difficulty="intermediate",
        estimated_minutes=45,
    ),
    _recipe(
        "a1b2c3d4-0004-4000-8000-000000000004",
        "defender-log-parsing-basics",
        "Log parsing basics",
        ["defender"],
        ["log_parsing"],
        usage_count=8,
    ),
    _recipe(
        "a1b2c3d4-0005-4000-8000-000000000005",
        "offensive-nmap-scanning",
        "Scanning with nmap",
        ["offensive"],
        ["nmap_scanning"],
        usage_count=30,
        avg_rating=Decimal("3.50"),
    ),
    _recipe(
        "a1b2c3d4-0006-4000-8000-000000000006",
        "retired-recipe",
        "A retired recipe",
        ["DFIR"],
        ["MALWARE_ANALYSIS"],
        is_active=False,
        usage_count=99,
    ),
]

MISSIONS: Final[list[Row]] = [  # the dump's three rows (code NULL, int difficulty, int subtask ids)
    {
        "id": u("1648ac1e-d3fa-4617-ae5a-489304268c90"),
        "code": None,
        "track_id": str(DEFENDER_TRACK),
        "track": None,
        "tier": None,
        "title": "Detect and Contain a Suspicious Login Attack",
        "description": "Investigate a burst of failed logins.",
        "difficulty": 3,
        "mission_type": "intermediate",
        "estimated_duration_min": 60,
        "skills_tags": ["Log analysis and pattern recognition  Incident detection and verification"],
        "subtasks": [
            {"id": 1, "title": "Collect Data", "description": "", "is_required": True, "order_index": 1},
            {"id": 2, "title": "Analyse", "description": "", "is_required": True, "order_index": 2},
            {"id": 3, "title": "Contain Threat", "description": "", "is_required": True, "order_index": 3},
        ],
        "recipe_recommendations": [],
        "competencies": [],
        "is_active": True,
        "created_at": at(8, 10),
    },
    {
        "id": u("32f96ff3-fa0d-4f49-9f52-1ac276c7ecbe"),
        "code": None,
        "track_id": str(DEFENSIVE_PROGRAM_TRACK),
        "track": None,
        "tier": None,
        "title": "Network Security Fundamentals",
        "description": "The basics.",
        "difficulty": 1,
        "mission_type": "intermediate",
        "estimated_duration_min": 60,
        "skills_tags": ["Network Sec", "SOC Analyst"],
        "subtasks": [
            {
                "id": 1,
                "title": "What is Network Security",
                "description": "",
                "is_required": True,
                "order_index": 1,
            }
        ],
        "recipe_recommendations": [],
        "competencies": [],
        "is_active": True,
        "created_at": at(8, 11),
    },
    {
        "id": u("d8defe1e-188d-49d0-9504-a005b1a05f13"),
        "code": None,
        "track_id": "Voluptates hic magna",
        "track": None,
        "tier": None,
        "title": "Penetration Testing Fundamentals",
        "description": "Find the holes.",
        "difficulty": 1,
        "mission_type": "beginner",
        "estimated_duration_min": 16,
        "skills_tags": ["Cyber Sec"],
        "subtasks": [
            {
                "id": 1,
                "title": "What is Pen testing?",
                "description": "",
                "is_required": True,
                "order_index": 1,
            }
        ],
        "recipe_recommendations": [],
        "competencies": [],
        "is_active": True,
        "created_at": at(8, 12),
    },
]

# --- marketplace ----------------------------------------------------------------

EMPLOYERS: Final[list[Row]] = [
    {"id": u("59c68d84-b347-4660-beac-0670db69f717"), "user_id": 5, "company_name": "Company A"},
]

MARKETPLACE_PROFILES: Final[list[Row]] = [
    {
        "id": u("2524949f-4089-4928-995d-1073bff68b06"),
        "mentee_id": 16,
        "readiness_score": Decimal("92.00"),
        "job_fit_score": Decimal("90.00"),
        "profile_status": "job_ready",
        "primary_track_key": "cyber_defense",
        "skills": ["DFIR", "Malware Analysis", "SOAR"],
        "is_visible": True,
        "employer_share_consent": True,
    },
]

JOB_POSTINGS: Final[list[Row]] = [
    {
        "id": u("f21000a6-4a7a-479d-9cc6-499244294412"),
        "employer_id": EMPLOYERS[0]["id"],
        "title": "System admin",
        "job_type": "full_time",
        "required_skills": ["System Admin"],
        "is_active": True,
        "posted_at": at(7, 9, 19),
        "application_deadline": at(28, 3, month=3),
    },
    {
        "id": u("3eb4e1d1-29c7-4494-8142-f37699468864"),
        "employer_id": EMPLOYERS[0]["id"],
        "title": "Backend Dev",
        "job_type": "full_time",
        "required_skills": [],
        "is_active": True,
        "posted_at": at(7, 9, 20),
        "application_deadline": None,
    },
    {
        "id": u("2411e36b-4018-4507-a91f-88fdb0e8828a"),
        "employer_id": EMPLOYERS[0]["id"],
        "title": "OCH Mentor",
        "job_type": "internship",
        "required_skills": [],
        "is_active": True,
        "posted_at": at(7, 9, 21),
        "application_deadline": at(14, 3),
    },
]
