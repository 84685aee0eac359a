"""Contract checks a host runs against its own adapters.

Each ``check_*`` function takes a *factory* that builds the host's adapter
pre-loaded with the given values (e.g. by inserting ORM rows) and asserts
that the adapter answers exactly as the port's contract says, using the
library's own pure functions as the oracle. They raise ``AssertionError``
with a message naming the broken rule, so they run under any test runner.

Every check also asks for each key in every form a host may hold it in (SPEC
§2): a numeric key as ``100`` and ``"100"``, a UUID key as a ``uuid.UUID``, its
text and its upper-case text. The adapter must answer the same, keyed by the
canonical text (:func:`~profiler_core.models.canonical_id`)::

    def test_my_session_repository_honours_the_contract(db):
        check_session_repository(lambda sessions, results: DjangoSessionRepository.seeded(sessions, results))

The access ports' checks live in :mod:`profiler_core.testing.contracts_access` and are
importable from here too.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import cast

import attrs

from profiler_core.mapping import latest_completed_session, mission_sort_key
from profiler_core.matching import job_is_open, profile_is_searchable
from profiler_core.models import (
    CategoryScore,
    Cohort,
    CohortId,
    Enrollment,
    EntryId,
    JobId,
    JobPosting,
    Mission,
    MissionId,
    OrgId,
    PortfolioEntry,
    ProfilerResult,
    ProfilerSession,
    Recipe,
    RecipeId,
    SessionId,
    TalentProfile,
    UserId,
)
from profiler_core.portfolio import (
    VALUE_STATEMENT_ITEM_TYPE,
    VALUE_STATEMENT_STATUS,
    VALUE_STATEMENT_TITLE,
    pick_value_statement_entry,
)
from profiler_core.ports import (
    CohortAnalyticsRepository,
    JobRepository,
    MissionRepository,
    PortfolioRepository,
    RecipeRepository,
    SessionRepository,
    TalentProfileRepository,
)
from profiler_core.recipe_ranking import recipe_popularity_key
from profiler_core.taxonomy import normalise_code
from profiler_core.testing._contract_forms import (
    _NUM_SESSION,
    _NUM_USER,
    _T0,
    _UUID_COHORT,
    _UUID_SESSION,
    _UUID_USER,
    _same_for_every_form,
)
from profiler_core.testing.contracts_access import (
    CohortRepositoryFactory,
    EnrollmentRepositoryFactory,
    MentorAssignmentRepositoryFactory,
    ValueStatementSourceFactory,
    check_cohort_repository,
    check_enrollment_repository,
    check_mentor_assignment_repository,
    check_value_statement_source,
    contract_assignments,
    contract_cohorts,
    contract_enrollments,
    contract_value_statements,
)
from profiler_core.vocabulary import (
    DifficultySelection,
    EnrollmentStatus,
    JobLevel,
    MissionDifficulty,
    SessionStatus,
    TrackKey,
)

__all__ = [
    "SessionRepositoryFactory",
    "MissionRepositoryFactory",
    "contract_sessions",
    "contract_missions",
    "check_session_repository",
    "check_mission_repository",
    "RecipeRepositoryFactory",
    "contract_recipes",
    "check_recipe_repository",
    "MentorAssignmentRepositoryFactory",
    "EnrollmentRepositoryFactory",
    "CohortRepositoryFactory",
    "ValueStatementSourceFactory",
    "contract_assignments",
    "contract_enrollments",
    "contract_cohorts",
    "contract_value_statements",
    "check_mentor_assignment_repository",
    "check_enrollment_repository",
    "check_cohort_repository",
    "check_value_statement_source",
    "PortfolioRepositoryFactory",
    "contract_portfolio_entries",
    "check_portfolio_repository",
    "JobRepositoryFactory",
    "TalentProfileRepositoryFactory",
    "CONTRACT_NOW",
    "contract_jobs",
    "contract_talent",
    "check_job_repository",
    "check_talent_profile_repository",
    "AnalyticsScenario",
    "CohortAnalyticsRepositoryFactory",
    "contract_analytics",
    "check_cohort_analytics_repository",
]

SessionRepositoryFactory = Callable[[Sequence[ProfilerSession], Sequence[ProfilerResult]], SessionRepository]
MissionRepositoryFactory = Callable[[Sequence[Mission]], MissionRepository]


def _session(
    sid: str,
    user: str,
    status: SessionStatus,
    minutes: int | None,
    *,
    selection: DifficultySelection | None = None,
    aptitude: float | None = None,
    track: TrackKey | None = None,
) -> ProfilerSession:
    completed = None if minutes is None else _T0 + timedelta(minutes=minutes)
    return ProfilerSession(
        id=SessionId(sid),
        user_id=UserId(user),
        status=status,
        started_at=_T0,
        completed_at=completed,
        difficulty_selection=selection,
        aptitude_score=aptitude,
        recommended_track=track,
    )


def contract_sessions() -> tuple[list[ProfilerSession], list[ProfilerResult]]:
    """The scenario the session contract loads: retakes, ties, incomplete sessions, missing results."""
    sessions = [
        # u-retake: two completed sessions; the later one counts.
        _session(
            "s-1",
            "u-retake",
            SessionStatus.FINISHED,
            10,
            selection=DifficultySelection.NOVICE,
        ),
        _session(
            "s-2",
            "u-retake",
            SessionStatus.LOCKED,
            20,
            selection=DifficultySelection.ADVANCED,
            aptitude=0.0,
            track=TrackKey.GRC,
        ),
        # u-later-incomplete: a newer session that is still in progress never counts.
        _session("s-3", "u-later-incomplete", SessionStatus.FINISHED, 10),
        _session("s-4", "u-later-incomplete", SessionStatus.IN_PROGRESS, 30),
        # u-tie: equal completion times; the larger id wins.
        _session("s-5", "u-tie", SessionStatus.FINISHED, 5),
        _session("s-6", "u-tie", SessionStatus.FINISHED, 5),
        # u-tie-numeric: integer primary keys tie by value ("10" beats "9"), as ORDER BY id does.
        _session("10", "u-tie-numeric", SessionStatus.FINISHED, 5),
        _session("9", "u-tie-numeric", SessionStatus.FINISHED, 5),
        # u-never: started only.
        _session("s-7", "u-never", SessionStatus.STARTED, None),
        # An integer-keyed learner and session, and a UUID-keyed one: asked in any form, same answer.
        _session(_NUM_SESSION, _NUM_USER, SessionStatus.FINISHED, 12),
        _session(_UUID_SESSION, _UUID_USER, SessionStatus.FINISHED, 14),
    ]
    results = [
        ProfilerResult(
            session_id=SessionId("s-2"),
            overall_score=0.0,
            aptitude_breakdown={"networking": CategoryScore.from_counts(correct=1, total=4, points=1.0)},
        ),
        ProfilerResult(session_id=SessionId(_NUM_SESSION), overall_score=61.0),
        ProfilerResult(session_id=SessionId(_UUID_SESSION), overall_score=72.0),
    ]
    return sessions, results


def check_session_repository(factory: SessionRepositoryFactory) -> None:
    """Assert that the adapter built by *factory* honours :class:`~profiler_core.ports.SessionRepository`."""
    sessions, results = contract_sessions()
    repo = factory(sessions, results)
    users = [
        UserId(u)
        for u in (
            "u-retake",
            "u-later-incomplete",
            "u-tie",
            "u-tie-numeric",
            "u-never",
            "u-absent",
            _NUM_USER,
            _UUID_USER,
        )
    ]
    latest = repo.latest_completed_sessions(users)
    for user in users:
        expected = latest_completed_session(s for s in sessions if s.user_id == user)
        got = latest.get(user)
        assert got == expected, f"latest_completed_sessions[{user}]: expected {expected!r}, got {got!r}"
    assert set(latest) == {
        UserId("u-retake"),
        UserId("u-later-incomplete"),
        UserId("u-tie"),
        UserId("u-tie-numeric"),
        UserId(_NUM_USER),
        UserId(_UUID_USER),
    }, "learners without a completed session must be absent"
    assert repo.latest_completed_sessions([]) == {}, "no learners asked, none answered"
    found = repo.results_for_sessions([SessionId("s-2"), SessionId("s-3"), SessionId("s-missing")])
    assert dict(found) == {SessionId("s-2"): results[0]}, f"results_for_sessions: got {dict(found)!r}"
    _same_for_every_form(
        "latest_completed_sessions",
        lambda ids: repo.latest_completed_sessions(cast("list[UserId]", ids)),
        [_NUM_USER, _UUID_USER, "u-retake", "u-absent"],
    )
    _same_for_every_form(
        "results_for_sessions",
        lambda ids: repo.results_for_sessions(cast("list[SessionId]", ids)),
        [_NUM_SESSION, _UUID_SESSION, "s-2", "s-missing"],
    )


def contract_missions() -> list[Mission]:
    """The scenario the mission contract loads: every level, an inactive mission, tracks."""
    missions = [
        Mission(
            id=MissionId(f"m-{level}"),
            code=f"L{level}",
            title=f"Level {level}",
            difficulty=MissionDifficulty(level),
            track=TrackKey.DEFENDER if level % 2 else None,
        )
        for level in range(1, 6)
    ]
    missions.append(
        Mission(id=MissionId("42"), code="NUM", title="Numbered", difficulty=MissionDifficulty(2))
    )
    missions.append(
        Mission(
            id=MissionId("m-off"),
            code="OFF",
            title="Retired",
            difficulty=MissionDifficulty.BEGINNER,
            is_active=False,
        )
    )
    return missions


def check_mission_repository(factory: MissionRepositoryFactory) -> None:
    """Assert that the adapter built by *factory* honours :class:`~profiler_core.ports.MissionRepository`."""
    missions = contract_missions()
    repo = factory(missions)
    for ceiling in MissionDifficulty:
        got = sorted(repo.list_missions(max_difficulty=ceiling), key=mission_sort_key)
        expected = sorted(
            (m for m in missions if m.is_active and m.difficulty <= ceiling), key=mission_sort_key
        )
        assert got == expected, f"list_missions(max_difficulty={int(ceiling)}): got {[m.id for m in got]}"
    everything = sorted(repo.list_missions(active_only=False), key=mission_sort_key)
    assert everything == sorted(missions, key=mission_sort_key), (
        "list_missions(active_only=False) must list all"
    )
    by_id = repo.missions_by_ids([MissionId("m-1"), MissionId("m-off"), MissionId("m-none")])
    assert set(by_id) == {MissionId("m-1"), MissionId("m-off")}, f"missions_by_ids: got {sorted(by_id)}"
    assert by_id[MissionId("m-1")] == missions[0], "missions_by_ids must return the stored mission"
    _same_for_every_form(
        "missions_by_ids",
        lambda ids: repo.missions_by_ids(cast("list[MissionId]", ids)),
        ["42", "m-1", "m-none"],
    )


# --- recipes (SPEC §4) ---


RecipeRepositoryFactory = Callable[[Sequence[Recipe]], RecipeRepository]


def contract_recipes() -> list[Recipe]:
    """The scenario the recipe contract loads: ties on usage and rating, an inactive match, no codes."""

    def recipe(
        rid: str, slug: str, codes: tuple[str, ...], usage: int, rating: float, *, active: bool = True
    ) -> Recipe:
        return Recipe(
            id=RecipeId(rid),
            slug=slug,
            title=slug.replace("-", " ").title(),
            skill_codes=codes,
            usage_count=usage,
            avg_rating=rating,
            is_active=active,
        )

    return [
        recipe("r-net", "tcp-basics", ("NET", "TCPIP"), 500, 4.5),
        recipe("r-dns", "dns-basics", ("DNS",), 500, 4.8),
        # Same usage and rating as r-dns: the slug decides.
        recipe("r-dns2", "dns-advanced", ("DNS", "NET"), 500, 4.8),
        # The most used recipe, but inactive: never returned.
        recipe("r-off", "retired-net", ("NET",), 9000, 5.0, active=False),
        recipe("r-comm", "clear-reports", ("COMM", "DOC"), 100, 3.0),
        # Popular, but shares no code with anything.
        recipe("r-none", "welcome-tour", (), 10_000, 2.0),
        recipe("r-lead", "war-room", ("LEAD",), 0, 0.0),
    ]


def check_recipe_repository(factory: RecipeRepositoryFactory) -> None:
    """Assert that the adapter built by *factory* honours :class:`~profiler_core.ports.RecipeRepository`."""
    recipes = contract_recipes()
    repo = factory(recipes)
    active = [r for r in recipes if r.is_active]
    for codes in (["NET"], [" net ", "dns"], ["COMM", "LEAD", "TCPIP"], ["ZZZ"], []):
        wanted = {normalise_code(c) for c in codes}
        got = list(repo.active_recipes_with_codes(codes))
        expected = {r.id for r in active if wanted & {normalise_code(c) for c in r.skill_codes}}
        assert sorted(r.id for r in got) == sorted(expected), (
            f"active_recipes_with_codes({codes!r}): expected {sorted(expected)}, got {[r.id for r in got]} "
            "(each active recipe sharing a normalised code, once)"
        )
        by_id = {r.id: r for r in recipes}
        assert all(r == by_id[r.id] for r in got), "active_recipes_with_codes must return the stored recipes"
    ordered = sorted(active, key=recipe_popularity_key)
    for limit in (0, 1, 3, len(recipes) + 5):
        got_ids = [r.id for r in repo.popular_recipes(limit)]
        expected_ids = [r.id for r in ordered[:limit]]
        assert got_ids == expected_ids, (
            f"popular_recipes({limit}): expected {expected_ids}, got {got_ids} "
            "(active only; usage desc, rating desc, slug, id)"
        )


# --- portfolio and leadership (SPEC §6, §7) ---


PortfolioRepositoryFactory = Callable[[Sequence[PortfolioEntry]], PortfolioRepository]

_P0 = datetime(2026, 2, 1, 12, 0, tzinfo=UTC)


def _portfolio_entry(
    eid: str | None,
    user: str,
    *,
    minutes: int = 0,
    title: str = VALUE_STATEMENT_TITLE,
    item_type: str = VALUE_STATEMENT_ITEM_TYPE,
    session: str | None = "s-1",
    edited: bool = False,
) -> PortfolioEntry:
    at = _P0 + timedelta(minutes=minutes)
    return PortfolioEntry(
        id=None if eid is None else EntryId(eid),
        user_id=UserId(user),
        title=title,
        summary=f"Statement {eid or 'new'}.",
        item_type=item_type,
        status=VALUE_STATEMENT_STATUS,
        profiler_session_id=None if session is None else SessionId(session),
        created_at=at,
        updated_at=at,
        learner_edited_at=at if edited else None,
    )


def contract_portfolio_entries() -> list[PortfolioEntry]:
    """The scenario the portfolio contract loads: duplicates, legacy entries, other entry kinds."""
    return [
        # u-one: one statement beside a project.
        _portfolio_entry("p-1", "u-one"),
        _portfolio_entry("p-2", "u-one", title="Capture the flag", item_type="project", session=None),
        # u-dup: two statements from before a unique constraint; the earliest counts (listed first).
        _portfolio_entry("p-3", "u-dup", minutes=10),
        _portfolio_entry("p-4", "u-dup", minutes=20),
        # u-edited: the learner-edited one counts, although it is newer (and listed last).
        _portfolio_entry("p-5", "u-edited", minutes=5),
        _portfolio_entry("p-6", "u-edited", minutes=30, edited=True),
        # u-legacy: titled but never linked to a session still counts.
        _portfolio_entry("p-7", "u-legacy", session=None),
        # u-other: a reflection that is neither linked nor titled is not a statement.
        _portfolio_entry("p-8", "u-other", title="Week 1 reflection", session=None),
        # Integer- and UUID-keyed learners.
        _portfolio_entry("p-9", _NUM_USER, session="s-9"),
        _portfolio_entry("p-10", _UUID_USER, session="s-10"),
    ]


def check_portfolio_repository(factory: PortfolioRepositoryFactory) -> None:
    """Assert that the adapter built by *factory* honours :class:`~profiler_core.ports.PortfolioRepository`.

    The adapter must start with exactly the given entries and accept new ones.
    """
    entries = contract_portfolio_entries()
    repo = factory(entries)
    users = [UserId(u) for u in ("u-one", "u-dup", "u-edited", "u-legacy", "u-other", "u-absent")]
    found = repo.value_statements_for(users)
    for user in users:
        expected = pick_value_statement_entry(e for e in entries if e.user_id == user)
        assert found.get(user) == expected, f"value_statements_for[{user}]: expected {expected!r}"
    assert set(found) == {"u-one", "u-dup", "u-edited", "u-legacy"}, "learners without one must be absent"
    assert repo.value_statements_for([]) == {}, "no learners asked, none answered"
    _same_for_every_form(
        "value_statements_for",
        lambda ids: repo.value_statements_for(cast("list[UserId]", ids)),
        [_NUM_USER, _UUID_USER, "u-one", "u-absent"],
    )

    new = _portfolio_entry(None, "u-new")
    saved = repo.save_entry(new, replacing=None)
    assert saved is not None, "save_entry must create a learner's first value statement"
    assert saved.id is not None, "a created entry gets an id"
    assert attrs.evolve(saved, id=None) == new, "a created entry keeps every field but the id"
    assert repo.value_statements_for([UserId("u-new")]) == {"u-new": saved}, "the created entry is found"
    assert repo.save_entry(new, replacing=None) is None, "a second value statement must never be created"
    project = _portfolio_entry(None, "u-new", title="Lab write-up", item_type="project", session=None)
    assert repo.save_entry(project, replacing=None) is not None, "other entries are created freely"
    assert repo.value_statements_for([UserId("u-new")]) == {"u-new": saved}, "still one statement"

    updated = attrs.evolve(saved, summary="Updated.", updated_at=_P0 + timedelta(minutes=1))
    assert repo.save_entry(updated, replacing=saved) == updated, "an up-to-date replace is stored"
    assert repo.value_statements_for([UserId("u-new")]) == {"u-new": updated}, "the replacement is read back"
    stale = attrs.evolve(saved, summary="Stale.", updated_at=_P0 + timedelta(minutes=2))
    assert repo.save_entry(stale, replacing=saved) is None, "a replace of an outdated entry must be refused"
    edited = attrs.evolve(
        updated,
        summary="Mine.",
        learner_edited_at=_P0 + timedelta(minutes=3),
        updated_at=_P0 + timedelta(minutes=3),
    )
    assert repo.save_entry(edited, replacing=updated) == edited, "the learner's edit is stored"
    late_sync = attrs.evolve(updated, summary="Sync.", updated_at=_P0 + timedelta(minutes=4))
    assert repo.save_entry(late_sync, replacing=updated) is None, "a write from before the edit is refused"
    misread = attrs.evolve(edited, summary="Read before another write in the same instant.")
    assert repo.save_entry(attrs.evolve(edited, summary="Sync."), replacing=misread) is None, (
        "compare-and-set covers every COMPARE_AND_SET_FIELDS field, not only the timestamps"
    )
    assert repo.value_statements_for([UserId("u-new")]) == {"u-new": edited}, "the learner's edit survives"


# --- marketplace (SPEC §8) ---


JobRepositoryFactory = Callable[[Sequence[JobPosting]], JobRepository]
TalentProfileRepositoryFactory = Callable[[Sequence[TalentProfile]], TalentProfileRepository]

#: The "now" the job contract asks about.
CONTRACT_NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def contract_jobs() -> list[JobPosting]:
    """The scenario the job contract loads: open, inactive, expired, closing exactly now, no deadline."""
    return [
        JobPosting(
            id=JobId("job-open"),
            title="Open",
            employer_id="emp-1",
            required_skills=("SIEM", "DNS"),
            application_deadline=CONTRACT_NOW + timedelta(days=7),
            track=TrackKey.DEFENDER,
            level=JobLevel.ENTRY,
        ),
        JobPosting(id=JobId("job-no-deadline"), title="Rolling", employer_id="emp-1"),
        JobPosting(id=JobId("job-inactive"), title="Retired", employer_id="emp-2", is_active=False),
        JobPosting(
            id=JobId("job-expired"),
            title="Expired",
            employer_id="emp-2",
            application_deadline=CONTRACT_NOW - timedelta(seconds=1),
        ),
        JobPosting(
            id=JobId("job-closing-now"),
            title="Closing",
            employer_id="emp-3",
            application_deadline=CONTRACT_NOW,
        ),
        JobPosting(id=JobId("300"), title="Numbered", employer_id="emp-3"),
        JobPosting(id=JobId(_UUID_SESSION), title="Keyed", employer_id="emp-3"),
    ]


def check_job_repository(factory: JobRepositoryFactory) -> None:
    """Assert that the adapter built by *factory* honours :class:`~profiler_core.ports.JobRepository`."""
    jobs = contract_jobs()
    repo = factory(jobs)
    open_ids = sorted(j.id for j in repo.active_jobs(now=CONTRACT_NOW))
    expected = sorted(j.id for j in jobs if job_is_open(j, now=CONTRACT_NOW))
    assert open_ids == expected, f"active_jobs(now): expected {expected}, got {open_ids}"
    later = sorted(j.id for j in repo.active_jobs(now=CONTRACT_NOW + timedelta(days=30)))
    expected_later = sorted([JobId("job-no-deadline"), JobId("300"), JobId(_UUID_SESSION)])
    assert later == expected_later, f"active_jobs(now + 30 days): got {later}"
    by_id = repo.jobs_by_ids([JobId("job-open"), JobId("job-inactive"), JobId("job-none")])
    assert set(by_id) == {JobId("job-open"), JobId("job-inactive")}, f"jobs_by_ids: got {sorted(by_id)}"
    assert by_id[JobId("job-open")] == jobs[0], "jobs_by_ids must return the stored posting"
    assert repo.jobs_by_ids([]) == {}, "no ids asked, none answered"
    _same_for_every_form(
        "jobs_by_ids",
        lambda ids: repo.jobs_by_ids(cast("list[JobId]", ids)),
        ["300", _UUID_SESSION, "job-open", "job-none"],
    )


def contract_talent() -> list[TalentProfile]:
    """The scenario the talent contract loads: every visibility / consent combination."""
    return [
        TalentProfile(
            user_id=UserId(f"u-{'v' if visible else 'h'}{'c' if consent else 'n'}"),
            skills=("SIEM",),
            readiness_score=50.0,
            is_visible=visible,
            employer_share_consent=consent,
        )
        for visible in (True, False)
        for consent in (True, False)
    ] + [
        TalentProfile(user_id=UserId(user), skills=("DNS",), is_visible=False)
        for user in (_NUM_USER, _UUID_USER)
    ]


def check_talent_profile_repository(factory: TalentProfileRepositoryFactory) -> None:
    """Assert that the adapter built by *factory* honours the talent-profile port.

    See :class:`~profiler_core.ports.TalentProfileRepository`.
    """
    profiles = contract_talent()
    repo = factory(profiles)
    searchable = sorted(p.user_id for p in repo.searchable_profiles())
    expected = sorted(p.user_id for p in profiles if profile_is_searchable(p))
    assert searchable == expected, f"searchable_profiles: expected {expected}, got {searchable}"
    users = [UserId("u-vc"), UserId("u-hn"), UserId("u-absent")]
    found = repo.profiles_for_users(users)
    assert set(found) == {UserId("u-vc"), UserId("u-hn")}, (
        f"profiles_for_users must answer for every visibility and omit absent learners: got {sorted(found)}"
    )
    assert found[UserId("u-hn")] == profiles[3], "profiles_for_users must return the stored profile"
    assert repo.profiles_for_users([]) == {}, "no learners asked, none answered"
    _same_for_every_form(
        "profiles_for_users",
        lambda ids: repo.profiles_for_users(cast("list[UserId]", ids)),
        [_NUM_USER, _UUID_USER, "u-vc", "u-absent"],
    )


# --- analytics (SPEC §9) ---

# Cohort, CohortId, Enrollment, OrgId, EnrollmentStatus (access section) and the session values
# (top of the module) are imported above.


CohortAnalyticsRepositoryFactory = Callable[
    [Sequence[Cohort], Sequence[Enrollment], Sequence[ProfilerSession], Sequence[ProfilerResult]],
    CohortAnalyticsRepository,
]


AnalyticsScenario = tuple[list[Cohort], list[Enrollment], list[ProfilerSession], list[ProfilerResult]]


def contract_analytics() -> AnalyticsScenario:
    """The scenario the analytics contract loads.

    Two cohorts of one sponsor share a name; a cohort has no sponsor; a learner
    is in two cohorts; enrollments in every counted and uncounted status; a
    retake; a completed session without a result row; an incomplete session.
    """
    org_1, org_2 = OrgId("org-1"), OrgId("org-2")
    cohorts = [
        Cohort(id=CohortId("c-1"), name="Same Name", track=TrackKey.DEFENDER, enterprise_id=org_1),
        Cohort(id=CohortId("c-2"), name="Same Name", track=None, enterprise_id=org_1),
        Cohort(id=CohortId("c-3"), name="Other", track=TrackKey.GRC, enterprise_id=org_2),
        Cohort(id=CohortId("c-4"), name="Unsponsored", track=None, enterprise_id=None),
        Cohort(id=CohortId(_UUID_COHORT), name="Keyed", track=None, enterprise_id=OrgId("500")),
    ]

    def enrol(user: str, cohort: str, status: EnrollmentStatus) -> Enrollment:
        return Enrollment(user_id=UserId(user), cohort_id=CohortId(cohort), status=status)

    enrollments = [
        enrol("u-1", "c-1", EnrollmentStatus.ACTIVE),
        enrol("u-2", "c-1", EnrollmentStatus.COMPLETED),
        enrol("u-3", "c-1", EnrollmentStatus.WITHDRAWN),
        enrol("u-4", "c-1", EnrollmentStatus.PENDING_PAYMENT),
        enrol("u-1", "c-2", EnrollmentStatus.ACTIVE),
        enrol("u-5", "c-2", EnrollmentStatus.ACTIVE),
        enrol("u-6", "c-3", EnrollmentStatus.ACTIVE),
        enrol("u-7", "c-4", EnrollmentStatus.ACTIVE),
        enrol(_NUM_USER, _UUID_COHORT, EnrollmentStatus.ACTIVE),
        enrol(_UUID_USER, _UUID_COHORT, EnrollmentStatus.ACTIVE),
    ]
    sessions = [
        _session(
            "a-1", "u-1", SessionStatus.FINISHED, 10, selection=DifficultySelection.NOVICE, aptitude=40.0
        ),
        _session("a-2", "u-1", SessionStatus.LOCKED, 20, selection=DifficultySelection.ELITE, aptitude=0.0),
        _session("a-3", "u-2", SessionStatus.FINISHED, 15, track=TrackKey.OFFENSIVE, aptitude=75.0),
        _session("a-4", "u-5", SessionStatus.IN_PROGRESS, None),
        _session("a-5", "u-6", SessionStatus.FINISHED, 5, aptitude=90.0),
        _session(_NUM_SESSION, _NUM_USER, SessionStatus.FINISHED, 6, aptitude=50.0),
        _session(_UUID_SESSION, _UUID_USER, SessionStatus.FINISHED, 7, aptitude=60.0),
    ]
    results = [
        ProfilerResult(session_id=SessionId("a-1"), overall_score=55.0),
        ProfilerResult(session_id=SessionId("a-2"), overall_score=0.0),
        ProfilerResult(session_id=SessionId("a-5"), overall_score=88.0),
        ProfilerResult(session_id=SessionId(_NUM_SESSION), overall_score=51.0),
        ProfilerResult(session_id=SessionId(_UUID_SESSION), overall_score=66.0),
    ]
    return cohorts, enrollments, sessions, results


def check_cohort_analytics_repository(factory: CohortAnalyticsRepositoryFactory) -> None:
    """Assert that *factory*'s adapter honours :class:`~profiler_core.ports.CohortAnalyticsRepository`.

    The oracle is :func:`~profiler_core.mapping.latest_completed_session` and
    the scenario's own values.
    """
    cohorts, enrollments, sessions, results = contract_analytics()
    repo = factory(cohorts, enrollments, sessions, results)
    by_id = {c.id: c for c in cohorts}

    found = repo.cohorts_by_ids([CohortId("c-1"), CohortId("c-4"), CohortId("c-missing")])
    assert dict(found) == {
        CohortId("c-1"): by_id[CohortId("c-1")],
        CohortId("c-4"): by_id[CohortId("c-4")],
    }, f"cohorts_by_ids: got {sorted(found)}"

    sponsored = repo.cohorts_for_enterprises([OrgId("org-1"), OrgId("org-unknown")])
    assert set(sponsored) == {OrgId("org-1")}, "an enterprise that sponsors no cohort must be absent"
    got = sorted(sponsored[OrgId("org-1")], key=lambda c: c.id)
    assert got == [by_id[CohortId("c-1")], by_id[CohortId("c-2")]], (
        f"cohorts_for_enterprises: match by enterprise id, never by name; got {[c.id for c in got]}"
    )
    assert dict(repo.cohorts_for_enterprises([])) == {}, "no enterprise asked, none answered"

    wanted = [CohortId("c-1"), CohortId("c-2"), CohortId("c-empty")]
    in_cohorts = repo.enrollments_for_cohorts(wanted)
    assert set(in_cohorts) == {CohortId("c-1"), CohortId("c-2")}, "cohorts without enrollments must be absent"
    for cohort_id in (CohortId("c-1"), CohortId("c-2")):
        expected = sorted((e for e in enrollments if e.cohort_id == cohort_id), key=lambda e: e.user_id)
        listed = sorted(in_cohorts[cohort_id], key=lambda e: e.user_id)
        assert listed == expected, f"enrollments_for_cohorts[{cohort_id}]: every status, got {listed!r}"

    users = [UserId(u) for u in ("u-1", "u-2", "u-5", "u-6", "u-7")]
    latest = repo.latest_completed_sessions(users)
    for user in users:
        expected_session = latest_completed_session(s for s in sessions if s.user_id == user)
        assert latest.get(user) == expected_session, (
            f"latest_completed_sessions[{user}]: got {latest.get(user)!r}"
        )
    rows = repo.results_for_sessions([SessionId("a-2"), SessionId("a-3"), SessionId("a-missing")])
    assert dict(rows) == {SessionId("a-2"): results[1]}, f"results_for_sessions: got {dict(rows)!r}"
    for method, ask, keys in (
        ("cohorts_by_ids", repo.cohorts_by_ids, [_UUID_COHORT, "c-1", "c-missing"]),
        ("cohorts_for_enterprises", repo.cohorts_for_enterprises, ["500", "org-1", "org-unknown"]),
        ("enrollments_for_cohorts", repo.enrollments_for_cohorts, [_UUID_COHORT, "c-2", "c-empty"]),
        ("latest_completed_sessions", repo.latest_completed_sessions, [_NUM_USER, _UUID_USER, "u-1", "u-7"]),
        ("results_for_sessions", repo.results_for_sessions, [_NUM_SESSION, _UUID_SESSION, "a-1", "a-4"]),
    ):
        _same_for_every_form(method, cast("Callable[[list[object]], Mapping[str, object]]", ask), keys)
