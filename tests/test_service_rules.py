"""The rules every service follows (issue 11): ids in any form, owned rows, degrade on repository failures.

* **Ids** (SPEC §2): ``str``, ``int`` and ``uuid.UUID`` keys, and a UUID's
  upper-case text, give every service and access decision the same answer.
* **Ownership**: a row of another owner from a faulty adapter is treated as
  not returned, with a WARNING that names ids only.
* **Degrading** (SPEC §11): a repository failure (``RepositoryError``,
  ``OSError``, a PEP 249 database error) degrades with the documented reason
  and a WARNING; a programming error in an adapter propagates.
* **Log safety**: no log record carries a payload value.
"""

from __future__ import annotations

import logging
import sqlite3
import uuid
from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.builders import session

from profiler_core import (
    CategoryScore,
    Cohort,
    CohortId,
    Enrollment,
    EntryId,
    JobId,
    JobPosting,
    MentorAssignment,
    Mission,
    MissionId,
    OrgId,
    PortfolioEntry,
    Principal,
    ProfilerResult,
    ProfilerSession,
    Recipe,
    RecipeId,
    Reflection,
    RoleGrant,
    SessionId,
    TalentProfile,
    UserId,
    structure,
)
from profiler_core.access import (
    decide_cohort_analytics_access,
    decide_enterprise_analytics_access,
    decide_results_access,
    place_learner,
)
from profiler_core.analytics import SuppressionPolicy, enterprise_report, partial_from_values
from profiler_core.decisions import Reason
from profiler_core.errors import (
    InvalidPayloadError,
    InvalidValueError,
    Problem,
    RepositoryError,
    is_repository_failure,
)
from profiler_core.gaps import empty_analysis
from profiler_core.leadership import leadership_statement, seed_leadership_identity
from profiler_core.matching import rank_candidates, score_match
from profiler_core.portfolio import compose_value_statement, plan_value_statement_entry
from profiler_core.services import (
    AnalyticsNotFound,
    ReportUnavailable,
    ResultsAllowed,
    ResultsNotFound,
    cohort_analytics_gate,
    cohort_analytics_report,
    enterprise_analytics_gate,
    enterprise_analytics_report,
    learner_edits_statement,
    mentee_results,
    missions_for_learner,
    on_profiler_completed,
    profiler_recommendations,
    sync_value_statements,
    talent_matches,
    talent_search,
    value_statement_for_leadership,
)
from profiler_core.testing import (
    FailingRepository,
    InMemoryAuditSink,
    InMemoryCohortAnalyticsRepository,
    InMemoryCohortRepository,
    InMemoryEnrollmentRepository,
    InMemoryJobRepository,
    InMemoryMentorAssignmentRepository,
    InMemoryMissionRepository,
    InMemoryPortfolioRepository,
    InMemoryRecipeRepository,
    InMemorySessionRepository,
    InMemoryTalentProfileRepository,
)
from profiler_core.vocabulary import (
    AssignmentStatus,
    AssignmentType,
    DifficultySelection,
    EnrollmentStatus,
    MissionDifficulty,
    Role,
    Scope,
    TrackKey,
)

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
T0 = NOW - timedelta(days=3)
SECRET = "My secret plan: phish the CFO"
A_UUID = uuid.UUID("6f9619ff-8b86-d011-b42d-00c04fc964ff")
NUMERIC, UUID_TEXT = "100", str(A_UUID)
OTHER = UserId("u-other")
ADMIN = Principal(user_id=UserId("u-admin"), roles=(RoleGrant(role=Role.ADMIN),))
ALLOW = decide_cohort_analytics_access(ADMIN, Cohort(id=CohortId("c-1"), name="C"), now=NOW)


# --- one world, keyed by a canonical learner id ------------------------------------------------


def _session(learner: str, sid: str = "s-1", **overrides: Any) -> ProfilerSession:
    """The shared session builder with a full finished profile: every field one rule or another reads."""
    fields: dict[str, Any] = {
        "completed_at": T0,
        "difficulty_selection": DifficultySelection.ADVANCED,
        "aptitude_score": 55.0,
        "technical_exposure_score": 45.0,
        "recommended_track": TrackKey.DEFENDER,
        "reflection": Reflection(why_cyber="I like puzzles.", what_achieve="Lead a SOC."),
    }
    fields.update(overrides)
    return session(sid, learner, **fields)


def _entry(learner: str, entry_id: str = "e-1", summary: str = "I protect people.") -> PortfolioEntry:
    return PortfolioEntry(
        id=EntryId(entry_id),
        user_id=UserId(learner),
        title="My Value Statement",
        summary=summary,
        item_type="reflection",
        status="approved",
        profiler_session_id=SessionId("s-1"),
        created_at=T0,
        updated_at=T0,
    )


@attrs.define
class World:
    """Every port, loaded for one learner (and the mentor, cohort, job and enterprise around them)."""

    learner: str
    sessions: InMemorySessionRepository
    missions: InMemoryMissionRepository
    recipes: InMemoryRecipeRepository
    assignments: InMemoryMentorAssignmentRepository
    enrollments: InMemoryEnrollmentRepository
    cohorts: InMemoryCohortRepository
    portfolio: InMemoryPortfolioRepository
    jobs: InMemoryJobRepository
    talent: InMemoryTalentProfileRepository
    analytics: InMemoryCohortAnalyticsRepository

    @classmethod
    def around(cls, learner: str, *, cohort: str = "c-1", job: str = "j-1", org: str = "org-1") -> World:
        """A world whose learner, cohort, job and enterprise have the given canonical ids."""
        session = _session(learner)
        result = ProfilerResult(
            session_id=SessionId("s-1"),
            overall_score=62.0,
            aptitude_breakdown={"networking": CategoryScore(score=30.0)},
        )
        cohorts = [
            Cohort(id=CohortId(cohort), name="Autumn", track=TrackKey.DEFENDER, enterprise_id=OrgId(org))
        ]
        enrollments = [
            Enrollment(user_id=UserId(learner), cohort_id=CohortId(cohort), status=EnrollmentStatus.ACTIVE)
        ]
        return cls(
            learner=learner,
            sessions=InMemorySessionRepository([session], [result]),
            missions=InMemoryMissionRepository(
                [
                    Mission(
                        id=MissionId(f"m-{n}"), code=f"M{n}", title=f"L{n}", difficulty=MissionDifficulty(n)
                    )
                    for n in range(1, 6)
                ]
            ),
            recipes=InMemoryRecipeRepository(
                [
                    Recipe(
                        id=RecipeId("r-net"),
                        slug="tcp",
                        title="TCP",
                        skill_codes=("NET", "SIEM"),
                        usage_count=3,
                    )
                ]
            ),
            assignments=InMemoryMentorAssignmentRepository(
                [
                    MentorAssignment(
                        id="a-1",
                        mentor_id=UserId("u-mentor"),
                        mentee_id=UserId(learner),
                        status=AssignmentStatus.ACTIVE,
                        assignment_type=AssignmentType.DIRECT,
                    )
                ]
            ),
            enrollments=InMemoryEnrollmentRepository(enrollments),
            cohorts=InMemoryCohortRepository(cohorts),
            portfolio=InMemoryPortfolioRepository([_entry(learner)]),
            jobs=InMemoryJobRepository(
                [
                    JobPosting(
                        id=JobId(job), title="SOC analyst", employer_id="emp-1", required_skills=("SIEM",)
                    )
                ]
            ),
            talent=InMemoryTalentProfileRepository(
                [
                    TalentProfile(
                        user_id=UserId(learner),
                        skills=("SIEM",),
                        readiness_score=70.0,
                        is_visible=True,
                        employer_share_consent=True,
                    )
                ]
            ),
            analytics=InMemoryCohortAnalyticsRepository(cohorts, enrollments, [session], [result]),
        )


MENTOR = Principal(user_id=UserId("u-mentor"), roles=(RoleGrant(role=Role.MENTOR),))


# Each service, called for the learner/cohort/job/enterprise *key* (in any form) of *world*.
ServiceCall = Callable[[World, Any], object]

SERVICES: dict[str, ServiceCall] = {
    "missions_for_learner": lambda w, key: missions_for_learner(
        key, sessions=w.sessions, missions=w.missions
    ),
    "profiler_recommendations": lambda w, key: profiler_recommendations(
        key, sessions=w.sessions, recipes=w.recipes
    ),
    "mentee_results": lambda w, key: mentee_results(
        MENTOR,
        key,
        sessions=w.sessions,
        assignments=w.assignments,
        enrollments=w.enrollments,
        cohorts=w.cohorts,
        statements=w.portfolio,
        now=NOW,
    ),
    "talent_matches": lambda w, key: talent_matches(
        key, sessions=w.sessions, jobs=w.jobs, talent=w.talent, recipes=w.recipes, now=NOW
    ),
    "learner_edits_statement": lambda w, key: learner_edits_statement(
        key, "I defend hospitals.", portfolio=w.portfolio, now=NOW
    ),
    "value_statement_for_leadership": lambda w, key: value_statement_for_leadership(
        key, portfolio=w.portfolio, sessions=w.sessions
    ),
    "sync_value_statements": lambda w, key: sync_value_statements(
        [key], sessions=w.sessions, portfolio=w.portfolio, now=NOW
    ),
    "decide_results_access (self)": lambda w, key: decide_results_access(
        Principal(user_id=key), key, assignments=(), enrollments=(), cohorts=(), now=NOW
    ),
    "decide_results_access (mentor)": lambda w, key: decide_results_access(
        MENTOR,
        key,
        assignments=w.assignments.assignments,
        enrollments=w.enrollments.enrollments,
        cohorts=w.cohorts.cohorts,
        now=NOW,
    ),
    "place_learner": lambda w, key: place_learner(
        key, enrollments=w.enrollments.enrollments, cohorts=w.cohorts.cohorts
    ),
}

# The same for services keyed by a cohort, a job or an enterprise.
COHORT_SERVICES: dict[str, ServiceCall] = {
    "cohort_analytics_gate": lambda w, key: cohort_analytics_gate(ADMIN, key, cohorts=w.cohorts, now=NOW),
    "cohort_analytics_report": lambda w, key: cohort_analytics_report(
        key, decision=ALLOW, repository=w.analytics
    ),
}
JOB_SERVICES: dict[str, ServiceCall] = {
    "talent_search": lambda w, key: talent_search(
        key, jobs=w.jobs, talent=w.talent, sessions=w.sessions, now=NOW
    ),
}
ORG_SERVICES: dict[str, ServiceCall] = {
    "enterprise_analytics_gate": lambda w, key: enterprise_analytics_gate(
        ADMIN, key, cohorts=w.cohorts, now=NOW
    ),
    "enterprise_analytics_report": lambda w, key: enterprise_analytics_report(
        key, decision=ALLOW, repository=w.analytics
    ),
    "decide_enterprise_analytics_access": lambda w, key: decide_enterprise_analytics_access(
        Principal(
            user_id="u-sponsor", roles=(RoleGrant(role=Role.SPONSOR_ADMIN, scope=Scope.ORG, scope_ref=key),)
        ),
        key,
        now=NOW,
    ),
}

# (a form of the key, its canonical text): str, int, UUID, the UUID's upper-case text.
ID_FORMS = [
    pytest.param(NUMERIC, NUMERIC, id="str"),
    pytest.param(100, NUMERIC, id="int"),
    pytest.param(UUID_TEXT, UUID_TEXT, id="uuid-text"),
    pytest.param(A_UUID, UUID_TEXT, id="UUID"),
    pytest.param(UUID_TEXT.upper(), UUID_TEXT, id="upper-case-uuid-text"),
]


def _answer(call: ServiceCall, world: World, key: object) -> object:
    return call(world, key)


class TestIdsInAnyForm:
    """Every service and access decision answers the same for str, int, UUID and upper-case UUID keys."""

    @pytest.mark.parametrize(("form", "canonical"), ID_FORMS)
    @pytest.mark.parametrize("service", sorted(SERVICES))
    def test_learner_keyed(self, service: str, form: object, canonical: str) -> None:
        """A learner id in any form gives the answer of its canonical text (never a denial or default)."""
        call = SERVICES[service]
        assert _answer(call, World.around(canonical), form) == _answer(
            call, World.around(canonical), canonical
        )

    @pytest.mark.parametrize(("form", "canonical"), ID_FORMS)
    @pytest.mark.parametrize("service", sorted(COHORT_SERVICES))
    def test_cohort_keyed(self, service: str, form: object, canonical: str) -> None:
        """A cohort id in any form gives the answer of its canonical text."""
        call = COHORT_SERVICES[service]
        world = World.around("u-1", cohort=canonical)
        assert _answer(call, world, form) == _answer(call, World.around("u-1", cohort=canonical), canonical)

    @pytest.mark.parametrize(("form", "canonical"), ID_FORMS)
    @pytest.mark.parametrize("service", sorted(JOB_SERVICES))
    def test_job_keyed(self, service: str, form: object, canonical: str) -> None:
        """A job id in any form gives the answer of its canonical text."""
        call = JOB_SERVICES[service]
        world = World.around("u-1", job=canonical)
        assert _answer(call, world, form) == _answer(call, World.around("u-1", job=canonical), canonical)

    @pytest.mark.parametrize(("form", "canonical"), ID_FORMS)
    @pytest.mark.parametrize("service", sorted(ORG_SERVICES))
    def test_enterprise_keyed(self, service: str, form: object, canonical: str) -> None:
        """An enterprise id in any form gives the answer of its canonical text."""
        call = ORG_SERVICES[service]
        world = World.around("u-1", org=canonical)
        assert _answer(call, world, form) == _answer(call, World.around("u-1", org=canonical), canonical)

    def test_the_learner_themself_is_never_denied_for_an_int_id(self) -> None:
        """decide_results_access(me, 100) allows the learner whose id arrived as an integer (issue 11)."""
        decision = decide_results_access(
            Principal(user_id=UserId("100")), 100, assignments=(), enrollments=(), cohorts=(), now=NOW
        )
        assert (decision.allowed, decision.rule.value) == (True, "self")

    @pytest.mark.parametrize("form", [100, A_UUID])
    def test_an_int_or_uuid_learner_finds_their_completed_session(self, form: object) -> None:
        """UserId(request.user.id) of an int or UUID still finds the learner's completed session."""
        world = World.around(NUMERIC if isinstance(form, int) else UUID_TEXT)
        outcome = missions_for_learner(UserId(form), sessions=world.sessions, missions=world.missions)  # type: ignore[arg-type]  # NewType over a raw key, as hosts write it
        assert outcome.result.decision.session_id == "s-1"
        assert outcome.result.decision.ceiling == 3

    @pytest.mark.parametrize("service", sorted(SERVICES))
    @pytest.mark.parametrize("bad", [True, 7.5, b"100", None, "  "])
    def test_a_non_id_is_rejected_naming_the_parameter(self, service: str, bad: object) -> None:
        """A bool, float, bytes, None or blank id raises InvalidValueError naming the parameter, first."""
        world = World.around("u-1")
        with pytest.raises(InvalidValueError) as info:
            SERVICES[service](world, bad)
        assert info.value.field in {"learner_id", "learner_ids", "user_id"}
        assert sum(world.sessions.calls.values()) == 0


class TestWireIds:
    """The wire edge reads every id form as the one canonical text."""

    @pytest.mark.parametrize(("form", "canonical"), ID_FORMS)
    def test_session_ids(self, form: object, canonical: str) -> None:
        """structure() turns an int, a UUID or upper-case UUID text into the canonical id text."""
        session = structure({"id": form, "user_id": form, "status": "finished"}, ProfilerSession)
        assert (session.id, session.user_id) == (canonical, canonical)

    @pytest.mark.parametrize(
        ("data", "cls", "field"),
        [
            ({"mentor_id": "m", "status": "active", "mentee_id": "u", "id": A_UUID}, MentorAssignment, "id"),
            ({"id": 7, "title": "SOC", "employer_id": A_UUID}, JobPosting, "employer_id"),
            ({"id": "m", "code": "M", "title": "T", "difficulty": 1, "subtasks": [{"id": 3}]}, Mission, None),
        ],
    )
    def test_other_ids_accept_every_form(
        self, data: dict[str, object], cls: type[Any], field: str | None
    ) -> None:
        """Assignment ids, employer ids and subtask ids accept ints and UUIDs like every other id."""
        value = structure(data, cls)
        if field is None:
            assert value.subtasks[0].id == "3"
        else:
            assert getattr(value, field) == str(data[field])


# --- ownership: a row of another owner is treated as not returned ------------------------------


class ForeignSessions(InMemorySessionRepository):
    """A faulty adapter: answers every learner with another learner's session and result."""

    def latest_completed_sessions(self, user_ids: Collection[UserId]) -> Mapping[UserId, ProfilerSession]:
        return {u: _session(OTHER, "s-other") for u in user_ids}

    def results_for_sessions(self, session_ids: Collection[SessionId]) -> Mapping[SessionId, ProfilerResult]:
        return {s: ProfilerResult(session_id=SessionId("s-other"), overall_score=99.0) for s in session_ids}


class ForeignEntries(InMemoryPortfolioRepository):
    """A faulty adapter: answers every learner with another learner's value statement."""

    def value_statements_for(self, user_ids: Collection[UserId]) -> Mapping[UserId, PortfolioEntry]:
        return {u: _entry(OTHER, "e-other", summary=SECRET) for u in user_ids}


class ForeignTalent(InMemoryTalentProfileRepository):
    """A faulty adapter: answers every learner with another learner's talent profile."""

    def profiles_for_users(self, user_ids: Collection[UserId]) -> Mapping[UserId, TalentProfile]:
        return {u: TalentProfile(user_id=OTHER, skills=("SIEM",), readiness_score=99.0) for u in user_ids}


class ForeignEnrollments(InMemoryEnrollmentRepository):
    """A faulty adapter: files another learner's enrollment under the asked learner."""

    def enrollments_for_users(self, user_ids: Collection[UserId]) -> Mapping[UserId, Sequence[Enrollment]]:
        return {
            u: [Enrollment(user_id=OTHER, cohort_id=CohortId("c-1"), status=EnrollmentStatus.ACTIVE)]
            for u in user_ids
        }


class ForeignAssignments(InMemoryMentorAssignmentRepository):
    """A faulty adapter: files another mentor's assignment under the asked mentor."""

    def assignments_for_mentors(
        self, mentor_ids: Collection[UserId]
    ) -> Mapping[UserId, Sequence[MentorAssignment]]:
        return {
            m: [attrs.evolve(a, mentor_id=UserId("u-someone")) for a in self.assignments] for m in mentor_ids
        }


class ForeignCohorts(InMemoryCohortRepository):
    """A faulty adapter: answers every cohort id with another cohort, every sponsor with another's."""

    def cohorts_by_ids(self, cohort_ids: Collection[CohortId]) -> Mapping[CohortId, Cohort]:
        return {c: Cohort(id=CohortId("c-other"), name="Other") for c in cohort_ids}

    def cohorts_for_enterprises(self, enterprise_ids: Collection[OrgId]) -> Mapping[OrgId, Sequence[Cohort]]:
        return {
            e: [Cohort(id=CohortId("c-other"), name="Other", enterprise_id=OrgId("org-other"))]
            for e in enterprise_ids
        }


class ForeignJobs(InMemoryJobRepository):
    """A faulty adapter: answers every job id with another posting."""

    def jobs_by_ids(self, ids: Collection[JobId]) -> Mapping[JobId, JobPosting]:
        return {j: JobPosting(id=JobId("j-other"), title="Other", employer_id="emp-9") for j in ids}


class ForeignAnalytics(InMemoryCohortAnalyticsRepository):
    """A faulty adapter: answers with another learner's session and files rows under the wrong keys."""

    def latest_completed_sessions(self, user_ids: Collection[UserId]) -> Mapping[UserId, ProfilerSession]:
        return {u: _session(OTHER, "s-other") for u in user_ids}


_STANDARD_ATTRIBUTES = frozenset(logging.LogRecord("x", logging.INFO, "x", 1, "x", (), None).__dict__) | {
    "message"
}


def _extra(record: logging.LogRecord) -> dict[str, object]:
    """What the service put in the record's ``extra`` (not the timing fields every record has)."""
    return {k: v for k, v in record.__dict__.items() if k not in _STANDARD_ATTRIBUTES}


def _foreign_warnings(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.getMessage().startswith("adapter returned")]


# (service, how it is called with a faulty adapter, what shows the row was not used)
OWNERSHIP: list[tuple[str, Callable[[World], object], Callable[[Any], bool]]] = [
    (
        "missions_for_learner / sessions",
        lambda w: missions_for_learner("u-1", sessions=ForeignSessions(), missions=w.missions),
        lambda out: out.result.decision.session_id is None and not out.degraded,
    ),
    (
        "profiler_recommendations / sessions",
        lambda w: profiler_recommendations("u-1", sessions=ForeignSessions(), recipes=w.recipes),
        lambda out: out.profiler_status.value == "not_completed",
    ),
    (
        "profiler_recommendations / results",
        lambda w: profiler_recommendations(
            "u-1",
            sessions=type(
                "ForeignResults",
                (InMemorySessionRepository,),
                {"results_for_sessions": ForeignSessions.results_for_sessions},
            )(w.sessions.sessions),
            recipes=w.recipes,
        ),
        lambda out: "result_missing" in out.analysis.reason_codes,
    ),
    (
        "mentee_results / sessions",
        lambda w: mentee_results(
            ADMIN,
            "u-1",
            sessions=ForeignSessions(),
            assignments=w.assignments,
            enrollments=w.enrollments,
            cohorts=w.cohorts,
            now=NOW,
        ),
        lambda out: isinstance(out, ResultsNotFound) and out.reason.code == "no_completed_session",
    ),
    (
        "mentee_results / enrollments",
        lambda w: mentee_results(
            Principal(
                user_id="u-director",
                roles=(RoleGrant(role=Role.PROGRAM_DIRECTOR, scope=Scope.COHORT, scope_ref="c-1"),),
            ),
            "u-1",
            sessions=w.sessions,
            assignments=w.assignments,
            enrollments=ForeignEnrollments(),
            cohorts=w.cohorts,
            now=NOW,
        ),
        lambda out: not out.decision.allowed,
    ),
    (
        "mentee_results / assignments",
        lambda w: mentee_results(
            MENTOR,
            "u-1",
            sessions=w.sessions,
            assignments=ForeignAssignments(w.assignments.assignments),
            enrollments=w.enrollments,
            cohorts=w.cohorts,
            now=NOW,
        ),
        lambda out: not out.decision.allowed,
    ),
    (
        "mentee_results / statements",
        lambda w: mentee_results(
            ADMIN,
            "u-1",
            sessions=w.sessions,
            assignments=w.assignments,
            enrollments=w.enrollments,
            cohorts=w.cohorts,
            statements=ForeignEntries(),
            now=NOW,
        ),
        lambda out: isinstance(out, ResultsAllowed) and out.projection.value_statement is None,
    ),
    (
        "cohort_analytics_gate / cohorts",
        lambda w: cohort_analytics_gate(ADMIN, "c-1", cohorts=ForeignCohorts(), now=NOW),
        lambda out: isinstance(out, AnalyticsNotFound) and out.reason.code == "cohort_not_found",
    ),
    (
        "enterprise_analytics_gate / cohorts",
        lambda w: enterprise_analytics_gate(ADMIN, "org-1", cohorts=ForeignCohorts(), now=NOW),
        lambda out: isinstance(out, AnalyticsNotFound) and out.reason.code == "unknown_enterprise",
    ),
    (
        "cohort_analytics_report / sessions",
        lambda w: cohort_analytics_report(
            "c-1",
            decision=ALLOW,
            repository=ForeignAnalytics(w.analytics.cohorts.values(), w.analytics.enrollments),
            suppression=SuppressionPolicy(k=1),
        ),
        lambda out: out.body.population.profiled == 0,
    ),
    (
        "talent_matches / sessions",
        lambda w: talent_matches("u-1", sessions=ForeignSessions(), jobs=w.jobs, talent=w.talent, now=NOW),
        lambda out: out.status.value == "profiler_incomplete",
    ),
    (
        "talent_matches / talent",
        lambda w: talent_matches("u-1", sessions=w.sessions, jobs=w.jobs, talent=ForeignTalent(), now=NOW),
        lambda out: "talent_profile_missing" in out.reason_codes,
    ),
    (
        "talent_search / jobs",
        lambda w: talent_search("j-1", jobs=ForeignJobs(), talent=w.talent, sessions=w.sessions, now=NOW),
        lambda out: out.ranking.status.value == "job_not_found",
    ),
    (
        "talent_search / sessions",
        lambda w: talent_search("j-1", jobs=w.jobs, talent=w.talent, sessions=ForeignSessions(), now=NOW),
        lambda out: all(m.match.session_id is None for m in out.ranking.matches),
    ),
    (
        "on_profiler_completed / sessions",
        lambda w: on_profiler_completed(
            _session("u-1", "s-new", completed_at=NOW),
            portfolio=w.portfolio,
            sessions=ForeignSessions(),
            now=NOW,
        ),
        lambda out: out.plan is not None and "stale_session_ignored" not in out.reason_codes,
    ),
    (
        "sync_value_statements / sessions",
        lambda w: sync_value_statements(["u-1"], sessions=ForeignSessions(), portfolio=w.portfolio, now=NOW),
        lambda out: out[0].reason_codes == ("no_completed_session",),
    ),
    (
        "sync_value_statements / entries",
        lambda w: sync_value_statements(["u-1"], sessions=w.sessions, portfolio=ForeignEntries(), now=NOW),
        lambda out: out[0].entry is not None and out[0].entry.user_id == "u-1",
    ),
    (
        "learner_edits_statement / entries",
        lambda w: learner_edits_statement("u-1", "Mine.", portfolio=ForeignEntries(), now=NOW),
        lambda out: out.reason.code == "value_statement_not_found",
    ),
    (
        "value_statement_for_leadership / entries",
        lambda w: value_statement_for_leadership("u-1", portfolio=ForeignEntries(), sessions=w.sessions),
        lambda out: not out.found,
    ),
    (
        "value_statement_for_leadership / sessions",
        lambda w: value_statement_for_leadership("u-1", portfolio=w.portfolio, sessions=ForeignSessions()),
        lambda out: out.identity is not None and out.identity.session_id is None,
    ),
]


class TestForeignRows:
    """A row of another owner from a faulty adapter is treated as not returned (a WARNING, ids only)."""

    @pytest.mark.parametrize(("name", "call", "unused"), OWNERSHIP, ids=[o[0] for o in OWNERSHIP])
    def test_foreign_row_is_dropped_with_a_warning(
        self,
        name: str,
        call: Callable[[World], object],
        unused: Callable[[Any], bool],
        caplog: pytest.LogCaptureFixture,
    ) -> None:
        """The service answers as if the row were absent and logs one WARNING per dropped row, ids only."""
        with caplog.at_level(logging.WARNING, logger="profiler_core"):
            outcome = call(World.around("u-1"))
        assert unused(outcome), f"{name}: the foreign row was used: {outcome!r}"
        warnings = _foreign_warnings(caplog)
        assert warnings, f"{name}: no WARNING for the dropped row"
        for record in warnings:
            assert record.levelno == logging.WARNING
            assert record.__dict__["foreign_id"] != record.__dict__["asked_id"]
            shown = f"{record.getMessage()} {_extra(record)}"
            assert SECRET not in shown
            assert "99.0" not in shown


# --- degrading: repository failures only --------------------------------------------------------


class DatabaseError(Exception):
    """Stands in for a driver's PEP 249 ``DatabaseError`` (psycopg, Django, SQLAlchemy name theirs so)."""


class OperationalError(DatabaseError):
    """A driver's ``OperationalError``: a ``DatabaseError`` by its MRO."""


class InterfaceError(Exception):
    """Stands in for a driver's PEP 249 ``InterfaceError``."""


REPOSITORY_FAILURES: list[BaseException] = [
    RepositoryError("sessions down", operation="latest_completed_sessions"),
    OSError("disk"),
    TimeoutError("slow"),
    ConnectionError("reset"),
    sqlite3.OperationalError("database is locked"),
    sqlite3.InterfaceError("bad parameter"),
    OperationalError("server closed the connection"),
    InterfaceError("connection already closed"),
]
PROGRAMMING_ERRORS: list[BaseException] = [
    TypeError("unsupported operand"),
    AttributeError("'NoneType' object has no attribute 'id'"),
    KeyError("user_id"),
    ValueError("bad literal"),
    InvalidValueError(field="completed_at", reason="must be timezone-aware"),
]


class TestIsRepositoryFailure:
    """is_repository_failure: RepositoryError, OSError and PEP 249 database errors; nothing else."""

    @pytest.mark.parametrize("error", REPOSITORY_FAILURES, ids=lambda e: type(e).__name__)
    def test_repository_failures(self, error: BaseException) -> None:
        """Errors repositories raise are recognised without importing any driver."""
        assert is_repository_failure(error)

    @pytest.mark.parametrize("error", PROGRAMMING_ERRORS, ids=lambda e: type(e).__name__)
    def test_programming_errors(self, error: BaseException) -> None:
        """A wrong type, a missing attribute or key, a bad value: not a repository failure."""
        assert not is_repository_failure(error)

    def test_repository_error_is_a_runtime_error_of_the_tree(self) -> None:
        """RepositoryError is a ProfilerCoreError and a RuntimeError with code repository_error."""
        error = RepositoryError(operation="save_entry")
        assert isinstance(error, RuntimeError)
        assert (error.code, error.operation) == ("repository_error", "save_entry")


def _failing(error: BaseException) -> Any:
    return FailingRepository(error)  # type: ignore[arg-type]  # FailingRepository takes any Exception


# (service / failing port, call with the failing fake, the documented reason code of the degraded answer)
DEGRADING: list[tuple[str, Callable[[World, Any], object], Callable[[Any], Collection[str]], str]] = [
    (
        "missions_for_learner / sessions",
        lambda w, bad: missions_for_learner("u-1", sessions=bad, missions=w.missions),
        lambda out: out.result.decision.reason_codes,
        "profiler_unavailable",
    ),
    (
        "missions_for_learner / missions",
        lambda w, bad: missions_for_learner("u-1", sessions=w.sessions, missions=bad),
        lambda out: (out.result.empty_reason.code,),
        "missions_unavailable",
    ),
    (
        "profiler_recommendations / sessions",
        lambda w, bad: profiler_recommendations("u-1", sessions=bad, recipes=w.recipes),
        lambda out: out.analysis.reason_codes,
        "profiler_unavailable",
    ),
    (
        "profiler_recommendations / recipes",
        lambda w, bad: profiler_recommendations("u-1", sessions=w.sessions, recipes=bad),
        lambda out: out.recommendations.reason_codes,
        "recipes_unavailable",
    ),
    (
        "mentee_results / sessions",
        lambda w, bad: mentee_results(
            ADMIN,
            "u-1",
            sessions=bad,
            assignments=w.assignments,
            enrollments=w.enrollments,
            cohorts=w.cohorts,
            now=NOW,
        ),
        lambda out: (out.reason.code,),
        "profiler_unavailable",
    ),
    (
        "mentee_results / assignments",
        lambda w, bad: mentee_results(
            MENTOR,
            "u-1",
            sessions=w.sessions,
            assignments=bad,
            enrollments=w.enrollments,
            cohorts=w.cohorts,
            now=NOW,
        ),
        lambda out: tuple(n.code for n in out.notes),
        "assignments_unavailable",
    ),
    (
        "mentee_results / audit",
        lambda w, bad: mentee_results(
            ADMIN,
            "u-1",
            sessions=w.sessions,
            assignments=w.assignments,
            enrollments=w.enrollments,
            cohorts=w.cohorts,
            audit=bad,
            now=NOW,
        ),
        lambda out: tuple(n.code for n in out.notes),
        "audit_unavailable",
    ),
    (
        "cohort_analytics_gate / cohorts",
        lambda w, bad: cohort_analytics_gate(ADMIN, "c-1", cohorts=bad, now=NOW),
        lambda out: (out.reason.code,),
        "cohorts_unavailable",
    ),
    (
        "enterprise_analytics_gate / cohorts",
        lambda w, bad: enterprise_analytics_gate(ADMIN, "org-1", cohorts=bad, now=NOW),
        lambda out: (out.reason.code,),
        "cohorts_unavailable",
    ),
    (
        "cohort_analytics_report / repository",
        lambda w, bad: cohort_analytics_report("c-1", decision=ALLOW, repository=bad),
        lambda out: (out.reason.code,) if isinstance(out, ReportUnavailable) else (),
        "analytics_unavailable",
    ),
    (
        "enterprise_analytics_report / repository",
        lambda w, bad: enterprise_analytics_report("org-1", decision=ALLOW, repository=bad),
        lambda out: (out.reason.code,) if isinstance(out, ReportUnavailable) else (),
        "analytics_unavailable",
    ),
    (
        "talent_matches / sessions",
        lambda w, bad: talent_matches("u-1", sessions=bad, jobs=w.jobs, talent=w.talent, now=NOW),
        lambda out: out.reason_codes,
        "profiler_unavailable",
    ),
    (
        "talent_matches / talent",
        lambda w, bad: talent_matches("u-1", sessions=w.sessions, jobs=w.jobs, talent=bad, now=NOW),
        lambda out: out.reason_codes,
        "talent_unavailable",
    ),
    (
        "talent_matches / jobs",
        lambda w, bad: talent_matches("u-1", sessions=w.sessions, jobs=bad, talent=w.talent, now=NOW),
        lambda out: out.reason_codes,
        "jobs_unavailable",
    ),
    (
        "talent_matches / recipes",
        lambda w, bad: talent_matches(
            "u-1", sessions=w.sessions, jobs=w.jobs, talent=w.talent, recipes=bad, now=NOW
        ),
        lambda out: out.reason_codes,
        "recipes_unavailable",
    ),
    (
        "talent_search / jobs",
        lambda w, bad: talent_search("j-1", jobs=bad, talent=w.talent, sessions=w.sessions, now=NOW),
        lambda out: out.ranking.reason_codes,
        "jobs_unavailable",
    ),
    (
        "talent_search / talent",
        lambda w, bad: talent_search("j-1", jobs=w.jobs, talent=bad, sessions=w.sessions, now=NOW),
        lambda out: out.ranking.reason_codes,
        "talent_unavailable",
    ),
    (
        "on_profiler_completed / portfolio",
        lambda w, bad: on_profiler_completed(_session("u-1"), portfolio=bad, now=NOW),
        lambda out: out.reason_codes,
        "portfolio_unavailable",
    ),
    (
        "on_profiler_completed / sessions",
        lambda w, bad: on_profiler_completed(_session("u-1"), portfolio=w.portfolio, sessions=bad, now=NOW),
        lambda out: out.reason_codes,
        "profiler_unavailable",
    ),
    (
        "sync_value_statements / sessions",
        lambda w, bad: sync_value_statements(["u-1"], sessions=bad, portfolio=w.portfolio, now=NOW),
        lambda out: out[0].reason_codes,
        "profiler_unavailable",
    ),
    (
        "learner_edits_statement / portfolio",
        lambda w, bad: learner_edits_statement("u-1", "Mine.", portfolio=bad, now=NOW),
        lambda out: (out.reason.code,),
        "portfolio_unavailable",
    ),
    (
        "value_statement_for_leadership / portfolio",
        lambda w, bad: value_statement_for_leadership("u-1", portfolio=bad, sessions=w.sessions),
        lambda out: tuple(r.code for r in out.reasons),
        "portfolio_unavailable",
    ),
    (
        "value_statement_for_leadership / sessions",
        lambda w, bad: value_statement_for_leadership("u-1", portfolio=w.portfolio, sessions=bad),
        lambda out: tuple(r.code for r in out.reasons),
        "profiler_unavailable",
    ),
]


class TestDegrading:
    """A repository failure degrades with its reason and a WARNING; a programming error propagates."""

    @pytest.mark.parametrize("error", REPOSITORY_FAILURES, ids=lambda e: type(e).__name__)
    @pytest.mark.parametrize(("name", "call", "codes", "reason"), DEGRADING, ids=[d[0] for d in DEGRADING])
    def test_repository_failure_degrades(
        self,
        name: str,
        call: Callable[[World, Any], object],
        codes: Callable[[Any], Collection[str]],
        reason: str,
        error: BaseException,
        caplog: pytest.LogCaptureFixture,
    ) -> None:
        """The answer carries the documented reason; one WARNING names the error type, not its message."""
        with caplog.at_level(logging.WARNING, logger="profiler_core"):
            outcome = call(World.around("u-1"), _failing(error))
        assert reason in codes(outcome), f"{name}: {codes(outcome)}"
        (warning,) = [r for r in caplog.records if r.levelno == logging.WARNING]
        assert warning.exc_info is None
        assert warning.__dict__["error_type"].endswith(type(error).__qualname__)
        assert str(error) not in f"{warning.getMessage()} {_extra(warning)}"

    @pytest.mark.parametrize("error", PROGRAMMING_ERRORS, ids=lambda e: type(e).__name__)
    @pytest.mark.parametrize(("name", "call", "codes", "reason"), DEGRADING, ids=[d[0] for d in DEGRADING])
    def test_programming_error_propagates(
        self,
        name: str,
        call: Callable[[World, Any], object],
        codes: Callable[[Any], Collection[str]],
        reason: str,
        error: BaseException,
        caplog: pytest.LogCaptureFixture,
    ) -> None:
        """A TypeError, AttributeError, KeyError or ValueError from an adapter is raised, never hidden."""
        with caplog.at_level(logging.WARNING, logger="profiler_core"), pytest.raises(type(error)):
            call(World.around("u-1"), _failing(error))
        assert not [r for r in caplog.records if r.levelno >= logging.WARNING]

    def test_naive_datetimes_from_an_adapter_propagate(self) -> None:
        """An adapter that builds values with naive timestamps fails loudly, not as 'profiler unavailable'."""

        class Naive(InMemorySessionRepository):
            def latest_completed_sessions(
                self, user_ids: Collection[UserId]
            ) -> Mapping[UserId, ProfilerSession]:
                return {u: _session(u, completed_at=datetime(2026, 1, 1)) for u in user_ids}

        with pytest.raises(InvalidValueError, match="timezone-aware"):
            missions_for_learner("u-1", sessions=Naive(), missions=InMemoryMissionRepository())


# --- logs never carry payload values -------------------------------------------------------------


def _record_text(record: logging.LogRecord) -> str:
    """Everything a handler could print of *record*: message, args, extra, exception text."""
    text = f"{record.getMessage()} {record.args!r} {record.__dict__!r}"
    if record.exc_info:
        text += logging.Formatter().formatException(record.exc_info)
    if record.exc_text:
        text += record.exc_text
    return text


def _payload_error() -> InvalidPayloadError:
    return InvalidPayloadError(
        [Problem(path="$.reflection.why_cyber", message=f"unknown value {SECRET!r}", code="unknown_value")],
        type_name="ProfilerSession",
    )


class SecretRows(InMemorySessionRepository):
    """An adapter whose stored row breaks the contract: structure() quoted the row's text."""

    def __init__(self, wrap: bool) -> None:
        super().__init__()
        self.wrap = wrap

    def latest_completed_sessions(self, user_ids: Collection[UserId]) -> Mapping[UserId, ProfilerSession]:
        if not self.wrap:
            raise _payload_error()
        try:
            raise _payload_error()
        except InvalidPayloadError as exc:
            raise RepositoryError(f"row unreadable: {SECRET}", operation="latest_completed_sessions") from exc


class TestLogsCarryNoPayloadValues:
    """A logged failure carries types, codes and paths, never a value from the payload."""

    def test_wrapped_payload_error_degrades_and_logs_paths_and_codes_only(
        self, caplog: pytest.LogCaptureFixture
    ) -> None:
        """RepositoryError from InvalidPayloadError: degraded, logged as 'path: code', no secret."""
        with caplog.at_level(logging.DEBUG, logger="profiler_core"):
            outcome = missions_for_learner(
                "u-1", sessions=SecretRows(wrap=True), missions=InMemoryMissionRepository()
            )
        assert outcome.degraded
        (warning,) = [r for r in caplog.records if r.levelno == logging.WARNING]
        chain = warning.__dict__["error_chain"]
        assert chain[0].startswith("profiler_core.errors.RepositoryError [repository_error]")
        assert "$.reflection.why_cyber: unknown_value" in chain[1]
        for record in caplog.records:
            assert SECRET not in _record_text(record)
            assert "phish" not in _record_text(record)

    @pytest.mark.parametrize("service", ["missions", "recipes", "talent"])
    def test_unwrapped_payload_error_propagates_and_logs_nothing_secret(
        self, service: str, caplog: pytest.LogCaptureFixture
    ) -> None:
        """A bare InvalidPayloadError from an adapter propagates; no log record carries the secret."""
        world = World.around("u-1")
        calls: dict[str, Callable[[], object]] = {
            "missions": lambda: missions_for_learner(
                "u-1", sessions=SecretRows(wrap=False), missions=world.missions
            ),
            "recipes": lambda: profiler_recommendations(
                "u-1", sessions=SecretRows(wrap=False), recipes=world.recipes
            ),
            "talent": lambda: talent_matches(
                "u-1", sessions=SecretRows(wrap=False), jobs=world.jobs, talent=world.talent, now=NOW
            ),
        }
        with caplog.at_level(logging.DEBUG, logger="profiler_core"), pytest.raises(InvalidPayloadError):
            calls[service]()
        assert all(SECRET not in _record_text(r) for r in caplog.records)

    @given(st.text().map(lambda t: f"SECRET<{t}>"))
    def test_no_message_text_reaches_the_log(self, secret: str) -> None:
        """Whatever an adapter's exception says, no record carries it (message, args, extra, exc_info)."""
        records: list[logging.LogRecord] = []

        class Keep(logging.Handler):
            def emit(self, record: logging.LogRecord) -> None:
                records.append(record)

        handler = Keep(level=logging.DEBUG)
        log = logging.getLogger("profiler_core.missions")
        log.addHandler(handler)
        old_level = log.level
        log.setLevel(logging.DEBUG)
        try:
            missions_for_learner(
                "u-1", sessions=_failing(RepositoryError(secret)), missions=InMemoryMissionRepository()
            )
        finally:
            log.removeHandler(handler)
            log.setLevel(old_level)
        assert [r.levelno for r in records if r.levelno >= logging.WARNING] == [logging.WARNING]
        assert all(secret not in _record_text(r) for r in records)


class TestAuditSinkStaysPure:
    """The audit sink's records use canonical ids, whatever form the request used."""

    def test_audit_record_ids_are_canonical(self) -> None:
        """A mentor's audit record names the learner by canonical text when asked with a UUID."""
        world = World.around(UUID_TEXT)
        sink = InMemoryAuditSink()
        mentee_results(
            MENTOR,
            A_UUID,
            sessions=world.sessions,
            assignments=world.assignments,
            enrollments=world.enrollments,
            cohorts=world.cohorts,
            audit=sink,
            now=NOW,
        )
        assert [r.subject_id for r in sink.records] == [UUID_TEXT]


# --- pure functions and result values take ids in any form too --------------------------------


def _match(key: Any, **kwargs: Any) -> object:
    return score_match(TalentProfile(user_id=key), JobPosting(id=key, title="T", employer_id=key), **kwargs)


class TestPureFunctionsTakeAnyIdForm:
    """The pure functions that take an id (or a mapping keyed by ids) canonicalise it first."""

    @pytest.mark.parametrize(("form", "canonical"), ID_FORMS)
    def test_gap_analysis_learner(self, form: object, canonical: str) -> None:
        """empty_analysis stores the learner id as its canonical text."""
        reason = Reason(code="no_completed_session", message="None.")
        assert empty_analysis(reason, learner_id=form).learner_id == canonical  # type: ignore[arg-type]  # any id form

    @pytest.mark.parametrize(("form", "canonical"), ID_FORMS)
    def test_rank_candidates_finds_sessions_keyed_by_any_form(self, form: object, canonical: str) -> None:
        """A sessions mapping keyed by 100 or a UUID finds the learner "100" or the UUID's text."""
        world = World.around(canonical)
        job = world.jobs.jobs[0]
        raw_keyed: dict[Any, ProfilerSession] = {form: _session(canonical)}
        ranking = rank_candidates(job, world.talent.profiles, sessions=raw_keyed, now=NOW)
        assert [m.profile.user_id for m in ranking.matches] == [canonical]
        assert ranking.matches[0].match.session_id == "s-1"

    @pytest.mark.parametrize(("form", "canonical"), ID_FORMS)
    def test_portfolio_and_leadership_ids(self, form: object, canonical: str) -> None:
        """plan_value_statement_entry, leadership_statement and seed_leadership_identity take any id form."""
        session = _session(canonical)
        statement = compose_value_statement(session)
        plan = plan_value_statement_entry(None, statement, session_id=form, user_id=form, now=NOW)  # type: ignore[arg-type]  # any id form
        assert (plan.entry.user_id, plan.entry.profiler_session_id) == (canonical, canonical)
        found = leadership_statement(_entry(canonical), user_id=form)  # type: ignore[arg-type]  # any id form
        assert found.user_id == canonical
        identity = seed_leadership_identity(statement, difficulty_selection=None, session_id=form)  # type: ignore[arg-type]  # any id form
        assert identity.session_id == canonical

    @pytest.mark.parametrize(("form", "canonical"), ID_FORMS)
    def test_analytics_ids(self, form: object, canonical: str) -> None:
        """enterprise_report, AnalyticsPartial.stats_for/rollup and partial_from_values take any id form."""
        world = World.around("u-1", cohort=canonical, org=canonical)
        cohorts = list(world.cohorts.cohorts)
        partial = partial_from_values(
            enrollments=world.enrollments.enrollments,
            sessions=world.sessions.sessions,
            results=world.sessions.results,
        )
        assert partial.stats_for(form) == partial.stats_for(canonical)  # type: ignore[arg-type]  # any id form
        assert partial.stats_for(form).total == 1  # type: ignore[arg-type]  # any id form
        assert partial.rollup([form]) == partial.rollup([canonical])  # type: ignore[list-item]  # any id form
        report = enterprise_report(form, cohorts, partial, suppression=SuppressionPolicy(k=1))  # type: ignore[arg-type]  # any id form
        assert (report.enterprise_id, list(report.cohorts)) == (canonical, [canonical])

    def test_results_keyed_by_an_int_session_id_are_found(self) -> None:
        """partial_from_values finds a result filed under the int 7001 for session "7001"."""
        world = World.around("u-1")
        session = _session("u-1", "7001")
        result = ProfilerResult(session_id=SessionId("7001"), overall_score=80.0)
        with_int: dict[Any, ProfilerResult] = {7001: result}
        partial = partial_from_values(
            enrollments=world.enrollments.enrollments, sessions=[session], results=with_int
        )
        by_text = partial_from_values(
            enrollments=world.enrollments.enrollments, sessions=[session], results={SessionId("7001"): result}
        )
        assert partial == by_text

    @pytest.mark.parametrize(
        ("build", "field"),
        [
            (lambda key: empty_analysis(Reason(code="x", message="x."), learner_id=key), "learner_id"),
            (lambda key: _match(key, session_id=key), "session_id"),
            (_match, "user_id"),
            (_match, "job_id"),
        ],
    )
    def test_result_values_hold_canonical_ids(self, build: Callable[[Any], object], field: str) -> None:
        """Result values built from a UUID hold its canonical text, equal to ones built from the text."""
        assert getattr(build(A_UUID), field) == UUID_TEXT
        assert build(A_UUID) == build(UUID_TEXT.upper())


class TestOutcomeValuesHoldCanonicalIds:
    """The services' outcome values canonicalise their ids when a host builds or evolves one itself."""

    @pytest.mark.parametrize(
        "service", ["missions_for_learner", "profiler_recommendations", "talent_matches"]
    )
    @pytest.mark.parametrize(("form", "canonical"), ID_FORMS)
    def test_learner_id(self, service: str, form: object, canonical: str) -> None:
        """evolve(outcome, learner_id=<any form>) holds the canonical text."""
        outcome: Any = SERVICES[service](World.around("u-1"), "u-1")
        assert attrs.evolve(outcome, learner_id=form) == attrs.evolve(outcome, learner_id=canonical)
        assert attrs.evolve(outcome, learner_id=form).learner_id == canonical

    @pytest.mark.parametrize(("form", "canonical"), ID_FORMS)
    def test_subject_id(self, form: object, canonical: str) -> None:
        """A gate's and a report's subject id holds the canonical text."""
        world = World.around("u-1")
        gate: Any = cohort_analytics_gate(ADMIN, "c-1", cohorts=world.cohorts, now=NOW)
        assert attrs.evolve(gate, subject_id=form).subject_id == canonical
        key: Any = form
        unavailable = ReportUnavailable(
            subject_id=key, reason=Reason(code="analytics_unavailable", message="x.")
        )
        assert unavailable.subject_id == canonical
