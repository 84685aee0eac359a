"""A deterministic sample platform: every kind of value a host would hand in.

:func:`build_sample_platform` uses a seeded :class:`random.Random`, so the same
seed always yields the same platform (and the same demo report). ``now`` is
fixed, never read from the clock.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

from attrs import field, frozen

from profiler_core.frozenmap import FrozenMap, freeze
from profiler_core.mapping import latest_completed_session, mission_ceiling
from profiler_core.mission_progress import (
    MissionAssignmentRecord,
    MissionAssignmentStatus,
    MissionSubmission,
    MissionSubmissionStatus,
)
from profiler_core.models import (
    BehavioralProfile,
    CategoryScore,
    Cohort,
    CohortId,
    Enrollment,
    IdentityResponse,
    JobId,
    JobPosting,
    MentorAssignment,
    Mission,
    MissionId,
    OrgId,
    Principal,
    ProfilerResult,
    ProfilerSession,
    Recipe,
    RecipeId,
    Reflection,
    RoleGrant,
    SessionId,
    Subtask,
    TalentProfile,
    UserId,
)
from profiler_core.vocabulary import (
    AssignmentStatus,
    AssignmentType,
    DifficultySelection,
    EnrollmentStatus,
    JobLevel,
    MissionDifficulty,
    RecipeDifficulty,
    Role,
    Scope,
    SessionStatus,
    TrackKey,
)

__all__ = ["SamplePlatform", "build_sample_platform", "SAMPLE_NOW"]

#: The sample platform's "now" (passed to every decision; the clock is never read).
SAMPLE_NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)

_CATEGORIES = (
    "networking",
    "security",
    "programming",
    "linux",
    "windows",
    "cloud",
    "cryptography",
    "web",
)
_BEHAVIORAL = ("communication", "leadership", "documentation", "teamwork")
_WHY = (
    "I want to protect people from online fraud",
    "Solving puzzles under pressure keeps me curious",
    "My family business was hit by ransomware",
)
_ACHIEVE = (
    "I want to lead a security operations team",
    "I aim to become a penetration tester",
    "I hope to build secure cloud platforms",
)
_IDENTITY = ("integrity", "curiosity", "service to others", "continuous learning")

_RECIPE_TOPICS = (
    ("tcp-ip-basics", ("NET", "TCPIP"), "Networking: TCP/IP basics"),
    ("dns-deep-dive", ("DNS", "NET"), "DNS deep dive"),
    ("http-for-defenders", ("HTTP", "WEB"), "HTTP for defenders"),
    ("siem-first-steps", ("SIEM", "SECOPS"), "SIEM first steps"),
    ("ids-tuning", ("IDS", "IPS", "SEC"), "Tuning an IDS"),
    ("python-for-security", ("PYTHON", "SCRIPT", "PROG"), "Python for security"),
    ("bash-automation", ("BASH", "SCRIPT", "LINUX"), "Bash automation"),
    ("linux-cli-survival", ("LINUX", "CLI"), "Linux command line"),
    ("powershell-basics", ("POWERSHELL", "WIN"), "PowerShell basics"),
    ("aws-iam", ("AWS", "CLOUD"), "AWS IAM essentials"),
    ("crypto-hashes", ("CRYPTO", "HASH"), "Hashes and their uses"),
    ("owasp-top-ten", ("OWASP", "WEB", "XSS", "SQLI"), "The OWASP Top Ten"),
    ("security-fundamentals", ("TECH", "BASICS", "FUNDAMENTALS"), "Security fundamentals"),
    ("clear-incident-reports", ("COMM", "DOC"), "Writing clear incident reports"),
    ("leading-a-war-room", ("LEAD", "COMM"), "Leading a war room"),
    ("malware-triage", ("MALWARE", "REVERSE", "ANALYSIS"), "Malware triage"),
    ("dfir-first-hour", ("DFIR", "FORENSICS"), "DFIR: the first hour"),
)


def _points(values: Mapping[str, int] | None) -> FrozenMap[str, int]:
    return freeze(values)


@frozen(kw_only=True)
class SamplePlatform:
    """Everything a host would hold, as values."""

    now: datetime
    learners: tuple[UserId, ...]
    sessions: tuple[ProfilerSession, ...]
    results: tuple[ProfilerResult, ...]
    missions: tuple[Mission, ...]
    recipes: tuple[Recipe, ...]
    cohorts: tuple[Cohort, ...]
    enrollments: tuple[Enrollment, ...]
    assignments: tuple[MentorAssignment, ...]
    principals: tuple[Principal, ...]
    jobs: tuple[JobPosting, ...]
    talent: tuple[TalentProfile, ...]
    #: Mission progress (issue 18): assignments, submissions and each learner's points.
    mission_assignments: tuple[MissionAssignmentRecord, ...] = ()
    mission_submissions: tuple[MissionSubmission, ...] = ()
    mission_points: FrozenMap[str, int] = field(factory=FrozenMap, converter=_points)


def _breakdown(rng: random.Random, strength: float) -> dict[str, CategoryScore]:
    out: dict[str, CategoryScore] = {}
    for category in rng.sample(_CATEGORIES, 5):
        total = rng.choice((0, 3, 4, 5))
        correct = min(total, max(0, round(total * min(1.0, strength + rng.uniform(-0.35, 0.25)))))
        out[category] = CategoryScore.from_counts(correct=correct, total=total, points=float(correct * 2))
    return out


def build_sample_platform(seed: int = 7, *, learners: int = 24) -> SamplePlatform:
    """Build the sample platform for *seed*; deterministic for a given seed.

    Every learner is enrolled in one cohort; about one in six never finishes the
    profiler, some retake it, and sessions span every status.
    """
    rng = random.Random(seed)
    now = SAMPLE_NOW
    learner_ids = tuple(UserId(f"learner-{i:03d}") for i in range(1, learners + 1))
    sessions: list[ProfilerSession] = []
    results: list[ProfilerResult] = []
    selections = list(DifficultySelection)
    incomplete = [s for s in SessionStatus if not s.is_completed]
    for index, learner in enumerate(learner_ids):
        attempts = 2 if index % 5 == 1 else 1
        for attempt in range(attempts):
            sid = SessionId(f"session-{index + 1:03d}-{attempt + 1}")
            started = now - timedelta(days=60 - index - attempt * 10, hours=attempt)
            finished = index % 6 != 5
            status = (
                rng.choice((SessionStatus.FINISHED, SessionStatus.LOCKED))
                if finished
                else rng.choice(incomplete)
            )
            selection = None if index % 7 == 3 else selections[(index + attempt) % len(selections)]
            strength = rng.uniform(0.2, 1.0)
            if selection is DifficultySelection.ELITE and index % 2 == 0:
                strength = 0.95
            aptitude = round(min(100.0, strength * 100 + rng.uniform(-8, 4)), 1)
            answered = 10
            raw = max(
                answered,
                min(3 * answered, round(answered * (1 + 2 * strength) + rng.randint(-3, 2))),
            )
            technical = round((raw - answered) / (2 * answered) * 100, 1)
            flat_profile = index % 2 == 0
            growth = rng.sample(_BEHAVIORAL, 2)
            traits = {b: round(rng.uniform(1, 5), 2) for b in _BEHAVIORAL}
            profile = (
                BehavioralProfile(traits=traits)
                if flat_profile
                else BehavioralProfile(
                    traits=traits,
                    strengths=(rng.choice(_BEHAVIORAL),),
                    areas_for_growth=tuple(f"Improve {g} skills" for g in growth),
                )
            )
            track = rng.choice(list(TrackKey))
            reflection_kind = index % 3
            reflection = Reflection(
                why_cyber=_WHY[index % 3] if reflection_kind in (0, 1) else None,
                what_achieve=_ACHIEVE[index % 3] if reflection_kind == 0 else None,
            )
            sessions.append(
                ProfilerSession(
                    id=sid,
                    user_id=learner,
                    status=status,
                    started_at=started,
                    completed_at=started + timedelta(minutes=35) if finished else None,
                    difficulty_selection=selection,
                    aptitude_score=aptitude,
                    technical_exposure_score=technical,
                    technical_exposure_answered=answered,
                    behavioral_profile=profile,
                    strengths=tuple(rng.sample(_CATEGORIES, 2)),
                    recommended_track=track,
                    track_confidence=round(rng.uniform(0.4, 0.95), 2),
                    track_alignment_percentages={t: round(rng.uniform(10, 95), 1) for t in TrackKey},
                    reflection=reflection,
                    identity_responses=tuple(
                        IdentityResponse(question_id=f"identity-{k}", text=v)
                        for k, v in enumerate(rng.sample(_IDENTITY, 2))
                    ),
                    anti_cheat_score=round(rng.uniform(0, 15), 1),
                    anti_cheat_flags=("tab_switch",) if rng.random() < 0.2 else (),
                )
            )
            # Every sixth completed session has no result row (a defect the analytics must survive).
            if finished and index % 6 != 4:
                results.append(
                    ProfilerResult(
                        session_id=sid,
                        overall_score=round((aptitude + technical) / 2, 1) if index != 8 else 0.0,
                        aptitude_score=aptitude,
                        behavioral_score=round(rng.uniform(40, 90), 1),
                        aptitude_breakdown=_breakdown(rng, strength),
                        behavioral_traits=traits,
                        strengths=tuple(rng.sample(_CATEGORIES, 2)),
                        areas_for_growth=tuple(f"Develop {g} skills" for g in growth),
                    )
                )

    missions = []
    for level in MissionDifficulty:
        for k, mission_track in enumerate((None, TrackKey.DEFENDER, TrackKey.OFFENSIVE)):
            code = f"M{int(level)}{k + 1}"
            missions.append(
                Mission(
                    id=MissionId(f"mission-{int(level)}{k + 1}"),
                    code=code,
                    title=f"{level.label} mission {k + 1}",
                    difficulty=level,
                    track=mission_track,
                    tier=("beginner", "intermediate", "advanced", "mastery", "mastery")[int(level) - 1],
                    is_active=not (level == MissionDifficulty.ADVANCED and k == 2),
                    skills_tags=(("NET", "SIEM", "WEB", "CLOUD", "MALWARE")[int(level) - 1],),
                    subtasks=(
                        Subtask(id=f"{code}-1", title="Recon", required_skills=("LINUX",)),
                        Subtask(id=f"{code}-2", title="Report", required_skills=("DOC",)),
                    ),
                    recipe_recommendations=("security-fundamentals",),
                    # Two points gates, as the platform's rows have (40 and 70 points).
                    points_required={"M22": 40, "M41": 70}.get(code),
                )
            )

    recipes = [
        Recipe(
            id=RecipeId(f"recipe-{i + 1:02d}"),
            slug=slug,
            title=title,
            skill_codes=codes,
            track_codes=(rng.choice(list(TrackKey)),),
            difficulty=rng.choice(list(RecipeDifficulty)),
            estimated_minutes=rng.choice((15, 20, 30, 45)),
            usage_count=rng.randint(10, 5000),
            avg_rating=round(rng.uniform(3.0, 5.0), 1),
            is_active=slug != "ids-tuning",
        )
        for i, (slug, codes, title) in enumerate(_RECIPE_TOPICS)
    ]

    cohorts = (
        Cohort(
            id=CohortId("cohort-a"),
            name="Autumn Defenders",
            track=TrackKey.DEFENDER,
            enterprise_id=OrgId("org-acme"),
        ),
        Cohort(
            id=CohortId("cohort-b"),
            name="Autumn Defenders",
            track=TrackKey.OFFENSIVE,
            enterprise_id=OrgId("org-acme"),
        ),
        Cohort(id=CohortId("cohort-c"), name="Pilot", track=None, enterprise_id=OrgId("org-globex")),
    )
    enrollments = []
    for index, learner in enumerate(learner_ids):
        cohort = cohorts[0] if index < 11 else cohorts[1] if index < 21 else cohorts[2]
        enrolled = (
            EnrollmentStatus.WITHDRAWN
            if index == 10
            else rng.choice((EnrollmentStatus.ACTIVE, EnrollmentStatus.ACTIVE, EnrollmentStatus.COMPLETED))
        )
        enrollments.append(Enrollment(user_id=learner, cohort_id=cohort.id, status=enrolled))

    assignments = (
        MentorAssignment(
            id="asg-1",
            mentor_id=UserId("mentor-ada"),
            mentee_id=learner_ids[0],
            status=AssignmentStatus.ACTIVE,
            assignment_type=AssignmentType.DIRECT,
        ),
        MentorAssignment(
            id="asg-2",
            mentor_id=UserId("mentor-bob"),
            mentee_id=learner_ids[0],
            status=AssignmentStatus.PAUSED,
            assignment_type=AssignmentType.DIRECT,
        ),
        MentorAssignment(
            id="asg-3",
            mentor_id=UserId("mentor-cy"),
            cohort_id=CohortId("cohort-a"),
            status=AssignmentStatus.ACTIVE,
            assignment_type=AssignmentType.COHORT,
            expires_at=now - timedelta(days=1),
        ),
    )
    principals = (
        Principal(user_id=learner_ids[0], roles=(RoleGrant(role=Role.STUDENT),)),
        Principal(user_id=learner_ids[1], roles=(RoleGrant(role=Role.STUDENT),)),
        Principal(user_id=UserId("mentor-ada"), roles=(RoleGrant(role=Role.MENTOR),)),
        Principal(user_id=UserId("mentor-bob"), roles=(RoleGrant(role=Role.MENTOR),)),
        Principal(user_id=UserId("mentor-cy"), roles=(RoleGrant(role=Role.MENTOR),)),
        Principal(
            user_id=UserId("director-dee"),
            roles=(RoleGrant(role=Role.PROGRAM_DIRECTOR, scope=Scope.COHORT, scope_ref="cohort-a"),),
        ),
        Principal(
            user_id=UserId("director-eve"),
            roles=(RoleGrant(role=Role.PROGRAM_DIRECTOR, scope=Scope.COHORT, scope_ref="cohort-c"),),
        ),
        Principal(
            user_id=UserId("sponsor-fay"),
            roles=(RoleGrant(role=Role.SPONSOR_ADMIN, scope=Scope.ORG, scope_ref="org-acme"),),
        ),
        Principal(user_id=UserId("admin-gus"), roles=(RoleGrant(role=Role.ADMIN),)),
        Principal(user_id=UserId("staff-hal"), is_staff=True),
    )

    skill_pool = (
        "NET",
        "DNS",
        "SIEM",
        "PYTHON",
        "BASH",
        "LINUX",
        "WIN",
        "AWS",
        "CRYPTO",
        "WEB",
        "OWASP",
        "DFIR",
    )
    jobs = tuple(
        JobPosting(
            id=JobId(f"job-{i + 1:02d}"),
            title=title,
            employer_id=f"employer-{i % 3 + 1}",
            job_type=("full_time", "internship", "contract")[i % 3],
            required_skills=tuple(rng.sample(skill_pool, 3 + i % 3)),
            is_active=i != 5,
            application_deadline=now + timedelta(days=30) if i != 6 else now - timedelta(days=1),
            track=(TrackKey.DEFENDER, TrackKey.OFFENSIVE, None, TrackKey.GRC)[i % 4],
            level=(JobLevel.ENTRY, JobLevel.MID, JobLevel.SENIOR, None)[i % 4],
        )
        for i, title in enumerate(
            (
                "SOC Analyst I",
                "Penetration Tester",
                "Security Engineer",
                "GRC Analyst",
                "Cloud Security Engineer",
                "Retired Posting",
                "Expired Posting",
                "Detection Engineer",
            )
        )
    )
    talent = tuple(
        TalentProfile(
            user_id=learner,
            skills=tuple(rng.sample(skill_pool, rng.randint(2, 6))),
            readiness_score=round(rng.uniform(20, 95), 1),
            job_fit_score=round(rng.uniform(20, 95), 1),
            primary_track_key=rng.choice(list(TrackKey)),
            is_visible=index % 4 != 3,
            employer_share_consent=index % 5 != 2,
        )
        for index, learner in enumerate(learner_ids)
    )
    assignments_, submissions_, points_ = _mission_progress(seed, learner_ids, missions, sessions)
    return SamplePlatform(
        now=now,
        learners=learner_ids,
        sessions=tuple(sessions),
        results=tuple(results),
        missions=tuple(missions),
        recipes=tuple(recipes),
        cohorts=cohorts,
        enrollments=tuple(enrollments),
        assignments=assignments,
        principals=principals,
        jobs=jobs,
        talent=talent,
        mission_assignments=assignments_,
        mission_submissions=submissions_,
        mission_points=points_,
    )


def _mission_progress(
    seed: int, learners: tuple[UserId, ...], missions: list[Mission], sessions: list[ProfilerSession]
) -> tuple[tuple[MissionAssignmentRecord, ...], tuple[MissionSubmission, ...], dict[str, int]]:
    """Each learner's assignments, submissions and points, from a generator of its own.

    A separate :class:`random.Random` (seeded from *seed*) so that the rest of
    the platform is exactly what it was before mission progress existed.
    Learner *i* passed the general missions of levels 1..min(i mod 4, their
    ceiling) (approved, 70..98), every third has a mission in progress, every
    fifth a rejected one.
    """
    rng = random.Random(seed * 1000 + 18)
    general = {int(m.difficulty): m for m in missions if m.track is None}
    assignments: list[MissionAssignmentRecord] = []
    submissions: list[MissionSubmission] = []
    points: dict[str, int] = {}
    for index, learner in enumerate(learners):
        at = SAMPLE_NOW - timedelta(days=30 - index)
        latest = latest_completed_session(s for s in sessions if s.user_id == learner)
        for level in range(1, min(index % 4, int(mission_ceiling(latest).ceiling)) + 1):
            mission = general[level]
            aid = f"ma-{index + 1:03d}-{level}"
            assignments.append(
                MissionAssignmentRecord(
                    id=aid,
                    mission_id=mission.id,
                    learner_id=learner,
                    status=MissionAssignmentStatus.COMPLETED,
                    assigned_at=at,
                )
            )
            submissions.append(
                MissionSubmission(
                    id=f"ms-{index + 1:03d}-{level}",
                    mission_id=mission.id,
                    learner_id=learner,
                    assignment_id=aid,
                    status=MissionSubmissionStatus.APPROVED,
                    score=round(rng.uniform(70, 98), 1),
                    submitted_at=at + timedelta(days=2),
                )
            )
        if index % 3 == 0:
            assignments.append(
                MissionAssignmentRecord(
                    id=f"ma-{index + 1:03d}-p",
                    mission_id=MissionId("mission-12"),
                    learner_id=learner,
                    status=MissionAssignmentStatus.IN_PROGRESS,
                    assigned_at=at,
                )
            )
        if index % 5 == 1:
            submissions.append(
                MissionSubmission(
                    id=f"ms-{index + 1:03d}-r",
                    mission_id=MissionId("mission-13"),
                    learner_id=learner,
                    status=MissionSubmissionStatus.REJECTED,
                    score=round(rng.uniform(20, 49), 1),
                    submitted_at=at + timedelta(days=1),
                )
            )
        points[learner] = rng.choice((0, 15, 45, 80))
    return tuple(assignments), tuple(submissions), points
