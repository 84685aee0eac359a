"""Tests for profiler_core.services._common: the read-with-degrade guard every service shares.

* **Degraded is derived**: every service outcome is degraded iff a degraded
  reason is present.
* **Degrading** (SPEC §11): a repository failure (``RepositoryError``,
  ``OSError``, a PEP 249 database error) degrades with the documented reason
  and a WARNING; a programming error in an adapter propagates.
* **Log safety**: no log record carries a payload value.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.service_world import (
    ALLOW,
    MENTOR,
    SECRET,
    World,
    extra_of,
    full_session,
)

from profiler_core import (
    Cohort,
    CohortId,
    EntryId,
    JobId,
    JobPosting,
    Mission,
    MissionId,
    PortfolioEntry,
    Principal,
    ProfilerSession,
    RoleGrant,
    SessionId,
    UserId,
    structure,
    unstructure,
)
from profiler_core.decisions import Reason
from profiler_core.errors import (
    InvalidPayloadError,
    InvalidValueError,
    Problem,
    RepositoryError,
    is_repository_failure,
)
from profiler_core.serialization import unstructure_object
from profiler_core.services import (
    DEGRADED_REASON_CODES,
    ReportUnavailable,
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
    MissionDifficulty,
    Role,
    SessionStatus,
)

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
ADMIN = Principal(user_id=UserId("u-admin"), roles=(RoleGrant(role=Role.ADMIN),))
STRANGER = Principal(user_id=UserId("u-stranger"), roles=(RoleGrant(role=Role.STUDENT),))
SESSION = ProfilerSession(
    id=SessionId("s-1"),
    user_id=UserId("u-1"),
    status=SessionStatus.FINISHED,
    completed_at=NOW - timedelta(days=1),
)
ENTRY = PortfolioEntry(
    id=EntryId("e-1"),
    user_id=UserId("u-1"),
    title="My Value Statement",
    summary="I protect people.",
    item_type="reflection",
    status="approved",
    profiler_session_id=SessionId("s-1"),
    created_at=NOW - timedelta(days=1),
    updated_at=NOW - timedelta(days=1),
)
#: Codes of ordinary (not degraded) answers, beside every degraded code.
ORDINARY_CODES = (
    "no_completed_session",
    "talent_profile_missing",
    "edit_applied",
    "value_statement_not_found",
)


def _sessions() -> InMemorySessionRepository:
    return InMemorySessionRepository([SESSION], [])


def _missions() -> InMemoryMissionRepository:
    return InMemoryMissionRepository(
        [Mission(id=MissionId("m-1"), code="M1", title="L1", difficulty=MissionDifficulty(1))]
    )


def _jobs() -> InMemoryJobRepository:
    return InMemoryJobRepository([JobPosting(id=JobId("j-1"), title="SOC", employer_id="emp-1")])


def _cohorts() -> InMemoryCohortRepository:
    return InMemoryCohortRepository([Cohort(id=CohortId("c-1"), name="Autumn")])


def _results(viewer: Principal, learner: str) -> Any:
    return mentee_results(
        viewer,
        learner,
        sessions=_sessions(),
        assignments=InMemoryMentorAssignmentRepository([]),
        enrollments=InMemoryEnrollmentRepository([]),
        cohorts=_cohorts(),
        now=NOW,
    )


def _with_reasons(field: str) -> Callable[[Any, Sequence[Reason]], Any]:
    return lambda outcome, reasons: attrs.evolve(outcome, **{field: tuple(reasons)})


# (outcome class, a healthy outcome from the service over in-memory ports, how to give it other reasons)
OUTCOMES: list[tuple[str, Callable[[], Any], Callable[[Any, Sequence[Reason]], Any]]] = [
    (
        "LearnerMissions",
        lambda: missions_for_learner("u-1", sessions=_sessions(), missions=_missions()),
        lambda out, rs: attrs.evolve(
            out,
            result=attrs.evolve(out.result, decision=attrs.evolve(out.result.decision, reasons=tuple(rs))),
        ),
    ),
    (
        "ProfilerRecommendations",
        lambda: profiler_recommendations("u-1", sessions=_sessions(), recipes=InMemoryRecipeRepository([])),
        lambda out, rs: attrs.evolve(
            out, recommendations=attrs.evolve(out.recommendations, reasons=tuple(rs))
        ),
    ),
    (
        "TalentMatches",
        lambda: talent_matches(
            "u-1", sessions=_sessions(), jobs=_jobs(), talent=InMemoryTalentProfileRepository([]), now=NOW
        ),
        _with_reasons("reasons"),
    ),
    (
        "TalentSearch",
        lambda: talent_search(
            "j-1", jobs=_jobs(), talent=InMemoryTalentProfileRepository([]), sessions=_sessions(), now=NOW
        ),
        lambda out, rs: attrs.evolve(out, ranking=attrs.evolve(out.ranking, reasons=tuple(rs))),
    ),
    (
        "ValueStatementSync",
        lambda: on_profiler_completed(SESSION, portfolio=InMemoryPortfolioRepository([]), now=NOW),
        _with_reasons("reasons"),
    ),
    (
        "StatementEditOutcome",
        lambda: learner_edits_statement(
            "u-1", "I defend.", portfolio=InMemoryPortfolioRepository([ENTRY]), now=NOW
        ),
        lambda out, rs: attrs.evolve(out, reason=rs[0]) if rs else out,
    ),
    (
        "LeadershipStart",
        lambda: value_statement_for_leadership(
            "u-1", portfolio=InMemoryPortfolioRepository([ENTRY]), sessions=_sessions()
        ),
        _with_reasons("reasons"),
    ),
    ("ResultsAllowed", lambda: _results(ADMIN, "u-1"), _with_reasons("notes")),
    ("ResultsDenied", lambda: _results(STRANGER, "u-1"), _with_reasons("notes")),
    ("ResultsNotFound", lambda: _results(ADMIN, "u-none"), _with_reasons("notes")),
    (
        "AnalyticsAllowed",
        lambda: cohort_analytics_gate(ADMIN, "c-1", cohorts=_cohorts(), now=NOW),
        _with_reasons("notes"),
    ),
    (
        "AnalyticsDenied",
        lambda: cohort_analytics_gate(STRANGER, "c-1", cohorts=_cohorts(), now=NOW),
        _with_reasons("notes"),
    ),
    (
        "AnalyticsNotFound",
        lambda: cohort_analytics_gate(ADMIN, "c-none", cohorts=_cohorts(), now=NOW),
        _with_reasons("notes"),
    ),
]
IDS = [name for name, _, _ in OUTCOMES]
# The endpoint bodies that are written, never read back (see tests/test_roundtrip_outputs.py).
WRITE_ONLY = frozenset({"ResultsAllowed", "ProfilerRecommendations"})
READ_BACK = [o for o in OUTCOMES if o[0] not in WRITE_ONLY]
READ_BACK_IDS = [name for name, _, _ in READ_BACK]

reasons = st.lists(
    st.builds(
        Reason,
        code=st.sampled_from(sorted(DEGRADED_REASON_CODES) + list(ORDINARY_CODES)),
        message=st.just("Why."),
    ),
    min_size=1,
    max_size=4,
)


class TestDegradedIsDerived:
    @pytest.mark.parametrize(("name", "healthy", "_set"), OUTCOMES, ids=IDS)
    def test_healthy_outcome_is_not_degraded(
        self, name: str, healthy: Callable[[], Any], _set: object
    ) -> None:
        """Every service, over ports that answer, gives the outcome class it documents, not degraded."""
        outcome = healthy()
        assert (type(outcome).__name__, outcome.degraded) == (name, False)

    @pytest.mark.parametrize(("name", "healthy", "with_reasons"), OUTCOMES, ids=IDS)
    @given(drawn=reasons)
    def test_degraded_iff_a_degraded_reason_is_present(
        self,
        name: str,
        healthy: Callable[[], Any],
        with_reasons: Callable[[Any, Sequence[Reason]], Any],
        drawn: list[Reason],
    ) -> None:
        """An outcome is degraded exactly when one of its reasons has a code of DEGRADED_REASON_CODES."""
        outcome = with_reasons(healthy(), drawn)
        # StatementEditOutcome holds one reason: the first drawn.
        held = drawn[:1] if name == "StatementEditOutcome" else drawn
        assert outcome.degraded is any(r.code in DEGRADED_REASON_CODES for r in held)

    @pytest.mark.parametrize(("name", "healthy", "_set"), OUTCOMES, ids=IDS)
    def test_degraded_cannot_be_passed_in(self, name: str, healthy: Callable[[], Any], _set: object) -> None:
        """degraded is never stored beside the reasons: evolving or constructing with it is a TypeError."""
        with pytest.raises(TypeError):
            attrs.evolve(healthy(), degraded=True)

    @pytest.mark.parametrize(("name", "healthy", "with_reasons"), READ_BACK, ids=READ_BACK_IDS)
    def test_json_carries_degraded_and_round_trips(
        self, name: str, healthy: Callable[[], Any], with_reasons: Callable[[Any, Sequence[Reason]], Any]
    ) -> None:
        """Every outcome's JSON carries its derived degraded, and structures back to an equal value."""
        outcome = with_reasons(healthy(), [Reason(code="profiler_unavailable", message="Down.")])
        data = unstructure(outcome)
        assert isinstance(data, dict)
        assert (data["degraded"], structure(data, type(outcome))) == (True, outcome)

    def test_recommendations_body_carries_degraded(self) -> None:
        """The recommendations body (write-only: no learner id) carries the derived degraded."""
        name, healthy, with_reasons = next(o for o in OUTCOMES if o[0] == "ProfilerRecommendations")
        outcome = with_reasons(healthy(), [Reason(code="recipes_unavailable", message="Down.")])
        assert (name, unstructure_object(outcome)["degraded"]) == ("ProfilerRecommendations", True)

    def test_mentee_results_body_is_the_projection_alone(self) -> None:
        """The mentee-results body has the view's keys only: degraded travels beside it (the notes)."""
        outcome = _with_reasons("notes")(
            _results(ADMIN, "u-1"), [Reason(code="audit_unavailable", message="X.")]
        )
        body = unstructure_object(outcome)
        assert (outcome.degraded, "degraded" in body, body["mentee_id"]) == (True, False, "u-1")

    @pytest.mark.parametrize(
        ("code", "degraded"),
        [
            ("profiler_unavailable", True),
            ("audit_unavailable", True),
            ("portfolio_conflict", True),
            ("analytics_unavailable", True),
            ("no_completed_session", False),
            ("talent_profile_missing", False),
            ("value_statement_not_found", False),
        ],
    )
    def test_known_codes(self, code: str, degraded: bool) -> None:
        """Failure codes (and a save that kept losing its race) degrade; ordinary absences do not."""
        assert (code in DEGRADED_REASON_CODES) is degraded


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
        lambda w, bad: on_profiler_completed(full_session("u-1"), portfolio=bad, now=NOW),
        lambda out: out.reason_codes,
        "portfolio_unavailable",
    ),
    (
        "on_profiler_completed / sessions",
        lambda w, bad: on_profiler_completed(
            full_session("u-1"), portfolio=w.portfolio, sessions=bad, now=NOW
        ),
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
        assert str(error) not in f"{warning.getMessage()} {extra_of(warning)}"

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
                return {u: full_session(u, completed_at=datetime(2026, 1, 1)) for u in user_ids}

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
