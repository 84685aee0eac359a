"""Every service outcome derives ``degraded`` from its reasons: degraded iff a degraded reason is present."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

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
from profiler_core.serialization import unstructure_object
from profiler_core.services import (
    DEGRADED_REASON_CODES,
    cohort_analytics_gate,
    learner_edits_statement,
    mentee_results,
    missions_for_learner,
    on_profiler_completed,
    profiler_recommendations,
    talent_matches,
    talent_search,
    value_statement_for_leadership,
)
from profiler_core.testing import (
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
from profiler_core.vocabulary import MissionDifficulty, Role, SessionStatus

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
