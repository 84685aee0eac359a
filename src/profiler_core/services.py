"""Use cases: ports in, pure functions in the middle, values out.

Services are plain functions taking repository ports as keyword arguments.
Each logs its decision at DEBUG with ids and codes only, logs integration
failures at WARNING with the exception, and puts the call's duration in
``extra``. An ordinary absence or a failing repository never raises to the
host: it degrades to a default carrying a reason.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Protocol, TypeAlias, TypeVar

import attrs
from attrs import field, frozen

from profiler_core._logging import get_logger, timed
from profiler_core.access import (
    DEFAULT_ACCESS_POLICY,
    AccessDecision,
    AccessPolicy,
    AnalyticsView,
    LearnerProfilerData,
    ResultsProjection,
    ResultsView,
    decide_cohort_analytics_access,
    decide_enterprise_analytics_access,
    decide_results_access,
    mentee_results_payload,
    project_results,
)
from profiler_core.analytics import (
    DEFAULT_ANALYTICS_POLICY,
    DEFAULT_SUPPRESSION_POLICY,
    AnalyticsPartial,
    AnalyticsPolicy,
    CohortReport,
    EnterpriseReport,
    SuppressionPolicy,
    cohort_report,
    enterprise_report,
    partial_from_values,
)
from profiler_core.decisions import PolicyRef, Reason
from profiler_core.errors import InvalidValueError
from profiler_core.frozenmap import FrozenMap
from profiler_core.gaps import (
    DEFAULT_GAP_POLICY,
    DEFAULT_RANKING_POLICY,
    DEFAULT_TAXONOMY,
    GapAnalysis,
    GapPolicy,
    RankingPolicy,
    RecipeRecommendations,
    Taxonomy,
    analyze_gaps,
    empty_analysis,
    normalise_code,
    recommend_recipes,
)
from profiler_core.leadership import (
    DEFAULT_LEADERSHIP_POLICY,
    LeadershipIdentity,
    LeadershipPolicy,
    LeadershipStatement,
    OnboardingPlan,
    StatementNotFound,
    leadership_statement,
    plan_leadership_onboarding,
    seed_leadership_identity,
)
from profiler_core.mapping import (
    DEFAULT_DIFFICULTY_POLICY,
    DifficultyPolicy,
    EligibleMissions,
    default_ceiling,
    eligible_missions,
    filter_missions_by_track,
    latest_completed_session,
    mission_ceiling,
)
from profiler_core.matching import (
    DEFAULT_MATCH_POLICY,
    CandidateRanking,
    MatchPolicy,
    MatchStatus,
    RankedJob,
    job_is_open,
    rank_candidates,
    rank_jobs,
)
from profiler_core.models import (
    Cohort,
    CohortId,
    Enrollment,
    JobId,
    JobPosting,
    MentorAssignment,
    OrgId,
    PortfolioEntry,
    Principal,
    ProfilerResult,
    ProfilerSession,
    Recipe,
    SessionId,
    TalentProfile,
    UserId,
)
from profiler_core.portfolio import (
    DEFAULT_VALUE_STATEMENT_POLICY,
    EditRejected,
    EntryPlan,
    EntryPlanKind,
    KeepEntry,
    ValueStatement,
    ValueStatementPolicy,
    apply_statement_edit,
    compose_value_statement,
    plan_value_statement_entry,
    validate_statement_edit,
)
from profiler_core.ports import (
    AuditSink,
    CohortAnalyticsRepository,
    CohortRepository,
    EnrollmentRepository,
    JobRepository,
    MentorAssignmentRepository,
    MissionRepository,
    PortfolioRepository,
    RecipeRepository,
    SessionRepository,
    TalentProfileRepository,
    ValueStatementSource,
)
from profiler_core.vocabulary import Role, TrackKey

__all__ = [
    "LearnerMissions",
    "missions_for_learner",
    "ProfilerStatus",
    "ProfilerRecommendations",
    "profiler_recommendations",
    "ResultsAllowed",
    "ResultsDenied",
    "ResultsNotFound",
    "MenteeResults",
    "AnalyticsAllowed",
    "AnalyticsDenied",
    "AnalyticsNotFound",
    "AnalyticsGate",
    "mentee_results",
    "cohort_analytics_gate",
    "enterprise_analytics_gate",
    "ValueStatementSync",
    "on_profiler_completed",
    "sync_value_statements",
    "StatementEditOutcome",
    "learner_edits_statement",
    "LeadershipStart",
    "value_statement_for_leadership",
    "TalentMatches",
    "TalentSearch",
    "talent_matches",
    "talent_search",
    "TALENT_MATCH_MESSAGES",
    "AccessDecisionLike",
    "ReportDenied",
    "ReportNotFound",
    "ReportUnavailable",
    "CohortReportOutcome",
    "EnterpriseReportOutcome",
    "cohort_analytics_report",
    "enterprise_analytics_report",
]


# --- argument checks and adapter guards shared by the sections below ---


def _check_now(now: datetime) -> None:
    # The pure functions reject a naive now with this very error; a service checks it before any
    # repository call, so a bad argument costs no query and never surfaces as a TypeError from a
    # comparison with an aware expiry or deadline.
    if now.tzinfo is None or now.utcoffset() is None:
        raise InvalidValueError(field="now", reason="must be timezone-aware")


def _check_match_limit(limit: int) -> None:
    # Same rule and error as profiler_core.matching's rankings, checked before any repository call.
    if isinstance(limit, bool) or limit < 1:
        raise InvalidValueError(field="limit", reason="must be >= 1")


def _drop_foreign(log: logging.Logger, what: str, extra: Mapping[str, object], **foreign: object) -> None:
    # A faulty adapter answered with a row of another learner (or session, or job). The row is
    # treated as not returned; the WARNING names ids only, never the row's content.
    log.warning(
        "adapter returned %s of another owner; treated as not returned", what, extra={**extra, **foreign}
    )


_Owned = TypeVar("_Owned", ProfilerSession, PortfolioEntry, TalentProfile)


def _owned(
    row: _Owned | None, learner_id: UserId, log: logging.Logger, what: str, extra: Mapping[str, object]
) -> _Owned | None:
    """*row* if it belongs to *learner_id*; ``None`` (and a WARNING) if a faulty adapter sent another's."""
    if row is not None and row.user_id != learner_id:
        _drop_foreign(log, what, extra, foreign_user_id=row.user_id)
        return None
    return row


_missions_log = get_logger("missions")


# --- missions (SPEC §3) ---


@frozen(kw_only=True)
class LearnerMissions:
    """What the student mission list and the mission dashboard show.

    Attributes:
        learner_id: the learner.
        result: the ceiling decision, the eligible missions and the next one.
        degraded: ``True`` when a repository failed and a default was used
            (the reasons say which).
    """

    learner_id: UserId
    result: EligibleMissions
    degraded: bool = False


def missions_for_learner(
    learner_id: UserId,
    *,
    sessions: SessionRepository,
    missions: MissionRepository,
    policy: DifficultyPolicy = DEFAULT_DIFFICULTY_POLICY,
    filter_by_track: bool = False,
) -> LearnerMissions:
    """The learner's eligible missions and next mission, with the ceiling decision.

    Two repository calls whatever the catalogue size. If the session
    repository fails, the default ceiling applies with reason
    ``profiler_unavailable``; if the mission repository fails, the list is
    empty with reason ``missions_unavailable``. Both are logged at WARNING;
    nothing raises to the host.

    Args:
        learner_id: the learner.
        sessions: the session port.
        missions: the mission port.
        policy: the difficulty policy.
        filter_by_track: also keep only missions with no track or the learner's
            recommended track.
    """
    degraded = False
    with timed() as clock:
        session: ProfilerSession | None = None
        try:
            session = sessions.latest_completed_sessions([learner_id]).get(learner_id)
            decision = mission_ceiling(session, policy=policy)
        except Exception:
            _missions_log.warning(
                "session repository failed; default ceiling applies",
                exc_info=True,
                extra={"learner_id": learner_id},
            )
            degraded = True
            decision = default_ceiling(
                Reason(
                    code="profiler_unavailable",
                    message="Profiler data is unavailable; the default ceiling 1 (Beginner) applies.",
                ),
                policy=policy,
            )
        try:
            catalogue = missions.list_missions(max_difficulty=decision.ceiling, active_only=True)
            if filter_by_track:
                track = session.recommended_track if session is not None else None
                catalogue = filter_missions_by_track(catalogue, track)
            result = eligible_missions(catalogue, decision)
        except Exception:
            _missions_log.warning(
                "mission repository failed; no missions listed",
                exc_info=True,
                extra={"learner_id": learner_id},
            )
            degraded = True
            result = EligibleMissions(
                decision=decision,
                missions=(),
                next_mission=None,
                empty_reason=Reason(
                    code="missions_unavailable",
                    message="The mission catalogue is unavailable.",
                ),
            )
    _missions_log.debug(
        "mission ceiling decided",
        extra={
            "learner_id": learner_id,
            "session_id": decision.session_id,
            "ceiling": int(decision.ceiling),
            "reason_codes": decision.reason_codes,
            "evidence": decision.evidence.value,
            "policy": str(decision.policy),
            "eligible": result.count,
            "next_mission_id": result.next_mission.id if result.next_mission else None,
            "degraded": degraded,
            "duration_ms": clock["duration_ms"],
        },
    )
    return LearnerMissions(learner_id=learner_id, result=result, degraded=degraded)


# --- recipes (SPEC §4) ---


_recipes_log = get_logger("recipes")


class ProfilerStatus(enum.StrEnum):
    """The ``profiler_status`` of the recommendations response."""

    COMPLETED = "completed"
    NOT_COMPLETED = "not_completed"
    UNAVAILABLE = "unavailable"


@frozen(kw_only=True)
class ProfilerRecommendations:
    """What ``GET /api/v1/recipes/profiler-recommendations`` returns, as a value.

    Attributes:
        learner_id: the learner.
        profiler_status: ``completed``, ``not_completed`` (no completed session: the
            popularity fallback) or ``unavailable`` (the session repository failed).
        analysis: the gap analysis.
        recommendations: the ranked recipes (or the labelled fallback).
        message: one sentence for the learner (no names, no free text).
        degraded: ``True`` when a repository failed and a default was used (the
            reasons say which).
    """

    learner_id: UserId
    profiler_status: ProfilerStatus
    analysis: GapAnalysis
    recommendations: RecipeRecommendations
    message: str
    degraded: bool = False

    @property
    def total_gaps(self) -> int:
        """How many gaps the analysis found."""
        return self.analysis.total_gaps

    @property
    def total_skills(self) -> int:
        """How many distinct skill codes close them."""
        return self.analysis.total_skills

    def to_response(self) -> dict[str, object]:
        """The endpoint's JSON body (see ``docs/reference/gaps.md``).

        ``gaps_analysis`` is :meth:`GapAnalysis.to_dict`, ``recommended_recipes`` is
        :meth:`RecipeRecommendations.to_list`; ``total_gaps``, ``total_skills``,
        ``profiler_status`` and ``message`` as the platform names them, plus
        ``fallback``, ``degraded``, ``reasons`` (the list-level ranking reasons) and
        ``policy`` (the ranking policy).
        """
        return {
            "gaps_analysis": self.analysis.to_dict(),
            "recommended_recipes": self.recommendations.to_list(),
            "total_gaps": self.total_gaps,
            "total_skills": self.total_skills,
            "profiler_status": self.profiler_status.value,
            "message": self.message,
            "fallback": self.recommendations.fallback,
            "degraded": self.degraded,
            "reasons": [{"code": r.code, "message": r.message} for r in self.recommendations.reasons],
            "policy": str(self.recommendations.policy),
        }


def _recommendations_message(
    status: ProfilerStatus, analysis: GapAnalysis, ranked: RecipeRecommendations, recipes_failed: bool
) -> str:
    if status is ProfilerStatus.UNAVAILABLE:
        lead = "Your profiler results are unavailable right now"
    elif status is ProfilerStatus.NOT_COMPLETED:
        lead = "Complete the profiler to get recommendations for your skill gaps"
    elif not analysis.gaps:
        return "No skill gaps found in your profiler results."
    else:
        lead = f"Found {analysis.total_gaps} skill gap(s) in your profiler results"
    if recipes_failed:
        return f"{lead}; recipes are unavailable right now, please try again later."
    if ranked.fallback:
        return f"{lead}; here are popular recipes to start with."
    if not ranked.items:
        return f"{lead}; no recipe covers them yet."
    return f"{lead}; {len(ranked.items)} recipe(s) recommended to close them."


def profiler_recommendations(
    learner_id: UserId,
    *,
    sessions: SessionRepository,
    recipes: RecipeRepository,
    policy: GapPolicy = DEFAULT_GAP_POLICY,
    taxonomy: Taxonomy = DEFAULT_TAXONOMY,
    ranking: RankingPolicy = DEFAULT_RANKING_POLICY,
    limit: int = 10,
) -> ProfilerRecommendations:
    """The learner's gaps and the recipes that close them (``GET /api/v1/recipes/profiler-recommendations``).

    At most three repository calls whatever the catalogue size: the latest
    completed session, its result, and one recipe query (recipes sharing the
    gaps' codes, or the popular recipes for the fallback). Without a completed
    session the analysis is empty (``no_completed_session``) and the recipes are
    the popularity fallback, labelled as such.

    Failures never raise to the host; each is logged at WARNING and degrades
    with a reason: the session repository (``profiler_unavailable``, popularity
    fallback), the result lookup (``result_unavailable``: the analysis goes on
    without the result), the recipe repository (``recipes_unavailable``: no
    recipes listed).

    Args:
        learner_id: the learner.
        sessions: the session port.
        recipes: the recipe port.
        policy: the gap policy.
        taxonomy: the taxonomy.
        ranking: the ranking policy.
        limit: how many recipes at most.

    Raises:
        InvalidValueError: *limit* is negative.
    """
    if limit < 0:
        raise InvalidValueError(field="limit", reason="must be >= 0")
    degraded = False
    recipes_failed = False
    with timed() as clock:
        session: ProfilerSession | None = None
        try:
            session = sessions.latest_completed_sessions([learner_id]).get(learner_id)
        except Exception:
            _recipes_log.warning(
                "session repository failed; popularity fallback applies",
                exc_info=True,
                extra={"learner_id": learner_id},
            )
            degraded = True
            status = ProfilerStatus.UNAVAILABLE
            analysis = empty_analysis(
                Reason(
                    code="profiler_unavailable",
                    message="Profiler data is unavailable; there are no gaps to analyse.",
                ),
                learner_id=learner_id,
                policy=policy,
                taxonomy=taxonomy,
            )
        else:
            status = ProfilerStatus.NOT_COMPLETED if session is None else ProfilerStatus.COMPLETED
            result: ProfilerResult | None = None
            lookup_failed = False
            if session is not None:
                try:
                    result = sessions.results_for_sessions([session.id]).get(session.id)
                except Exception:
                    _recipes_log.warning(
                        "result lookup failed; gaps analysed without the result",
                        exc_info=True,
                        extra={"learner_id": learner_id, "session_id": session.id},
                    )
                    degraded = lookup_failed = True
            analysis = analyze_gaps(session, result, policy=policy, taxonomy=taxonomy)
            if session is None:
                analysis = attrs.evolve(analysis, learner_id=learner_id)
            if lookup_failed:
                analysis = attrs.evolve(
                    analysis,
                    reasons=(
                        *analysis.reasons,
                        Reason(
                            code="result_unavailable",
                            message="The profiler result could not be read; aptitude gaps are unavailable.",
                        ),
                    ),
                )
        fallback = not analysis.profiler_completed and not analysis.gaps
        try:
            catalogue: Sequence[Recipe] = ()
            if fallback:
                catalogue = recipes.popular_recipes(limit)
            elif analysis.recommended_skill_codes:
                catalogue = recipes.active_recipes_with_codes(analysis.recommended_skill_codes)
            ranked = recommend_recipes(analysis, catalogue, limit, ranking=ranking)
        except Exception:
            _recipes_log.warning(
                "recipe repository failed; no recipes listed",
                exc_info=True,
                extra={"learner_id": learner_id},
            )
            degraded = recipes_failed = True
            ranked = RecipeRecommendations(
                items=(),
                fallback=fallback,
                candidates=0,
                reasons=(Reason(code="recipes_unavailable", message="The recipe catalogue is unavailable."),),
                policy=ranking.ref,
            )
    _recipes_log.debug(
        "profiler recommendations decided",
        extra={
            "learner_id": learner_id,
            "session_id": analysis.session_id,
            "profiler_status": status.value,
            "gap_codes": tuple(f"{g.type.value}:{g.priority.value}" for g in analysis.gaps),
            "total_gaps": analysis.total_gaps,
            "total_skills": analysis.total_skills,
            "reason_codes": analysis.reason_codes + ranked.reason_codes,
            "recipe_ids": tuple(item.recipe.id for item in ranked.items),
            "fallback": ranked.fallback,
            "degraded": degraded,
            "policy": str(analysis.policy),
            "taxonomy": str(analysis.taxonomy),
            "ranking": str(ranked.policy),
            "duration_ms": clock["duration_ms"],
        },
    )
    return ProfilerRecommendations(
        learner_id=learner_id,
        profiler_status=status,
        analysis=analysis,
        recommendations=ranked,
        message=_recommendations_message(status, analysis, ranked, recipes_failed),
        degraded=degraded,
    )


# --- access (SPEC §5) ---


_access_log = get_logger("access")
_T = TypeVar("_T")


def _notes(values: Sequence[Reason]) -> tuple[Reason, ...]:
    return tuple(values)


def _cohort_tuple(values: Sequence[Cohort]) -> tuple[Cohort, ...]:
    return tuple(values)


@frozen(kw_only=True)
class ResultsAllowed:
    """The viewer may see the learner's results; here they are, projected for the granted view.

    Attributes:
        learner_id: the learner.
        decision: the access decision (``allowed``).
        projection: the results as the decision's view shows them.
        notes: why the outcome is degraded (a repository or the audit sink
            failed); empty normally.
    """

    learner_id: UserId
    decision: AccessDecision[ResultsView]
    projection: ResultsProjection
    notes: tuple[Reason, ...] = field(default=(), converter=_notes)

    @property
    def degraded(self) -> bool:
        """``True`` when something failed on the way (see :attr:`notes`)."""
        return bool(self.notes)

    @property
    def payload(self) -> dict[str, object]:
        """The mentee-results JSON body (:func:`~profiler_core.access.mentee_results_payload`)."""
        return mentee_results_payload(self.projection)


@frozen(kw_only=True)
class ResultsDenied:
    """The viewer may not see the learner's results; ``decision.reasons`` says why (a 403)."""

    learner_id: UserId
    decision: AccessDecision[ResultsView]
    notes: tuple[Reason, ...] = field(default=(), converter=_notes)

    @property
    def degraded(self) -> bool:
        """``True`` when something failed on the way (see :attr:`notes`)."""
        return bool(self.notes)


@frozen(kw_only=True)
class ResultsNotFound:
    """The viewer may see the learner's results, but there are none to show (a 404).

    ``reason`` is ``no_completed_session``, or ``profiler_unavailable`` when
    the session repository failed (then :attr:`degraded` is ``True``).
    """

    learner_id: UserId
    decision: AccessDecision[ResultsView]
    reason: Reason
    notes: tuple[Reason, ...] = field(default=(), converter=_notes)

    @property
    def degraded(self) -> bool:
        """``True`` when something failed on the way (see :attr:`notes`)."""
        return bool(self.notes)


#: What :func:`mentee_results` returns.
MenteeResults: TypeAlias = ResultsAllowed | ResultsDenied | ResultsNotFound


@frozen(kw_only=True)
class AnalyticsAllowed:
    """The viewer may see the analytics; ``cohorts`` are the cohorts they cover, ordered by id."""

    subject_id: str
    decision: AccessDecision[AnalyticsView]
    cohorts: tuple[Cohort, ...] = field(converter=_cohort_tuple)
    notes: tuple[Reason, ...] = field(default=(), converter=_notes)

    @property
    def degraded(self) -> bool:
        """``True`` when something failed on the way (see :attr:`notes`)."""
        return bool(self.notes)


@frozen(kw_only=True)
class AnalyticsDenied:
    """The viewer may not see the analytics; ``decision.reasons`` says why."""

    subject_id: str
    decision: AccessDecision[AnalyticsView]
    notes: tuple[Reason, ...] = field(default=(), converter=_notes)

    @property
    def degraded(self) -> bool:
        """``True`` when something failed on the way (see :attr:`notes`)."""
        return bool(self.notes)


@frozen(kw_only=True)
class AnalyticsNotFound:
    """The viewer would be allowed, but the cohort or enterprise is unknown (or unreadable).

    ``reason`` is ``cohort_not_found``, ``unknown_enterprise`` or ``cohorts_unavailable``.
    """

    subject_id: str
    decision: AccessDecision[AnalyticsView]
    reason: Reason
    notes: tuple[Reason, ...] = field(default=(), converter=_notes)

    @property
    def degraded(self) -> bool:
        """``True`` when something failed on the way (see :attr:`notes`)."""
        return bool(self.notes)


#: What the analytics gates return.
AnalyticsGate: TypeAlias = AnalyticsAllowed | AnalyticsDenied | AnalyticsNotFound


def _read(
    call: Callable[[], _T], default: _T, failure: Reason, notes: list[Reason], extra: dict[str, object]
) -> _T:
    try:
        return call()
    except Exception:
        _access_log.warning(
            "repository failed; access continues without it (%s)", failure.code, exc_info=True, extra=extra
        )
        notes.append(failure)
        return default


def _write_audit(
    sink: AuditSink | None,
    decision: AccessDecision[ResultsView] | AccessDecision[AnalyticsView],
    notes: list[Reason],
    extra: dict[str, object],
) -> None:
    if sink is None:
        return
    _read(
        lambda: sink.write([decision.audit]),
        None,
        Reason(code="audit_unavailable", message="The audit record could not be written."),
        notes,
        extra,
    )


def _log_access(
    decision: AccessDecision[ResultsView] | AccessDecision[AnalyticsView],
    outcome: str,
    notes: Sequence[Reason],
    duration_ms: float,
) -> None:
    _access_log.debug(
        "access decided",
        extra={
            "viewer_id": decision.audit.viewer_id,
            "subject_id": decision.audit.subject_id,
            "action": decision.audit.action.value,
            "allowed": decision.allowed,
            "view": decision.view.value,
            "rule": decision.rule.value,
            "reason_codes": decision.reason_codes,
            "policy": str(decision.policy),
            "outcome": outcome,
            "notes": tuple(n.code for n in notes),
            "degraded": bool(notes),
            "duration_ms": duration_ms,
        },
    )


_SCOPED_ROLES = frozenset({Role.MENTOR, Role.PROGRAM_DIRECTOR, Role.ANALYST})


def mentee_results(
    viewer: Principal,
    learner_id: UserId,
    *,
    sessions: SessionRepository,
    assignments: MentorAssignmentRepository,
    enrollments: EnrollmentRepository,
    cohorts: CohortRepository,
    statements: ValueStatementSource | None = None,
    audit: AuditSink | None = None,
    learner_track: TrackKey | None = None,
    now: datetime,
    policy: AccessPolicy = DEFAULT_ACCESS_POLICY,
) -> MenteeResults:
    """A learner's profiler results for *viewer*: allowed (projected), denied, or not found.

    The access decision comes first and needs no profiler data, so a denied
    viewer learns nothing about the learner's results. Placement data
    (enrollments, cohorts) is read only when the viewer holds an effective
    mentor, director or analyst grant, assignments only for an effective
    mentor grant; each read is one batch call. An ordinary denial never
    raises. A failing repository is logged at WARNING and noted: the decision
    is then made without that data (so it can only deny more), and a failing
    session repository gives :class:`ResultsNotFound` with
    ``profiler_unavailable``. A result row of another session or a statement of
    another learner (a faulty adapter) is dropped with a WARNING. The audit
    record goes to *audit* when given.

    Args:
        viewer: who asks.
        learner_id: whose results.
        sessions: the session port (latest completed session and its result).
        assignments: the mentor-assignment port.
        enrollments: the enrollment port.
        cohorts: the cohort port.
        statements: where value statements are read (optional).
        audit: where the audit record goes (optional).
        learner_track: the host's confirmed track for the learner, if any.
        now: the time of the decision (timezone-aware).
        policy: the access policy.

    Raises:
        InvalidValueError: *now* is naive (checked before any repository call,
            as :func:`~profiler_core.access.decide_results_access` does).
    """
    _check_now(now)
    notes: list[Reason] = []
    extra: dict[str, object] = {"viewer_id": viewer.user_id, "learner_id": learner_id}
    with timed() as clock:
        effective = {g.role for g in viewer.roles if g.is_effective(now)}
        learner_enrollments: Sequence[Enrollment] = ()
        known_cohorts: Sequence[Cohort] = ()
        mine: Sequence[MentorAssignment] = ()
        if effective & _SCOPED_ROLES and viewer.user_id != learner_id:
            learner_enrollments = _read(
                lambda: enrollments.enrollments_for_users([learner_id]).get(learner_id, ()),
                (),
                Reason(code="enrollments_unavailable", message="Enrollments could not be read."),
                notes,
                extra,
            )
            cohort_ids = sorted({e.cohort_id for e in learner_enrollments})
            if cohort_ids:
                known_cohorts = _read(
                    lambda: tuple(cohorts.cohorts_by_ids(cohort_ids).values()),
                    (),
                    Reason(code="cohorts_unavailable", message="Cohorts could not be read."),
                    notes,
                    extra,
                )
        if Role.MENTOR in effective and viewer.user_id != learner_id:
            mine = _read(
                lambda: assignments.assignments_for_mentors([viewer.user_id]).get(viewer.user_id, ()),
                (),
                Reason(code="assignments_unavailable", message="Mentor assignments could not be read."),
                notes,
                extra,
            )
        decision = decide_results_access(
            viewer,
            learner_id,
            assignments=mine,
            enrollments=learner_enrollments,
            cohorts=known_cohorts,
            learner_track=learner_track,
            now=now,
            policy=policy,
        )
        outcome: MenteeResults
        _write_audit(audit, decision, notes, extra)
        if not decision.allowed:
            outcome = ResultsDenied(learner_id=learner_id, decision=decision, notes=notes)
        else:
            outcome = _allowed_results(
                learner_id, decision, sessions=sessions, statements=statements, notes=notes, extra=extra
            )
    _log_access(decision, _outcome_name(outcome), outcome.notes, clock["duration_ms"])
    return outcome


def _outcome_name(outcome: MenteeResults | AnalyticsGate) -> str:
    if isinstance(outcome, ResultsAllowed | AnalyticsAllowed):
        return "allowed"
    if isinstance(outcome, ResultsDenied | AnalyticsDenied):
        return "denied"
    return "not_found"


def _allowed_results(
    learner_id: UserId,
    decision: AccessDecision[ResultsView],
    *,
    sessions: SessionRepository,
    statements: ValueStatementSource | None,
    notes: list[Reason],
    extra: dict[str, object],
) -> MenteeResults:
    unavailable = Reason(code="profiler_unavailable", message="Profiler data is unavailable.")
    failures = len(notes)
    session = _read(
        lambda: sessions.latest_completed_sessions([learner_id]).get(learner_id),
        None,
        unavailable,
        notes,
        extra,
    )
    if session is None:
        reason = (
            unavailable
            if len(notes) > failures
            else Reason(
                code="no_completed_session",
                message=f"Learner {learner_id} has no completed profiler session.",
            )
        )
        return ResultsNotFound(learner_id=learner_id, decision=decision, reason=reason, notes=notes)
    result: ProfilerResult | None = _read(
        lambda: sessions.results_for_sessions([session.id]).get(session.id),
        None,
        Reason(code="result_unavailable", message="The profiler result row could not be read."),
        notes,
        extra,
    )
    statement: PortfolioEntry | None = None
    if statements is not None:
        statement = _read(
            lambda: statements.value_statements_for([learner_id]).get(learner_id),
            None,
            Reason(code="statements_unavailable", message="Value statements could not be read."),
            notes,
            extra,
        )
    if result is not None and result.session_id not in (None, session.id):
        # A result row of another session never describes this one.
        _drop_foreign(
            _access_log, "a result row", extra, session_id=session.id, foreign_session_id=result.session_id
        )
        result = None
    statement = _owned(statement, learner_id, _access_log, "a value statement", extra)
    data = LearnerProfilerData(session=session, result=result, value_statement=statement)
    return ResultsAllowed(
        learner_id=learner_id,
        decision=decision,
        projection=project_results(data, decision.view),
        notes=notes,
    )


def _missing_cohort(cohort_id: CohortId) -> Cohort:
    # Stands in for a cohort that is unknown or unreadable: no track, no sponsor,
    # so only grants that need neither can allow (and then the answer is "not found").
    return Cohort(id=cohort_id, name="", track=None, enterprise_id=None)


def cohort_analytics_gate(
    viewer: Principal,
    cohort_id: CohortId,
    *,
    cohorts: CohortRepository,
    audit: AuditSink | None = None,
    now: datetime,
    policy: AccessPolicy = DEFAULT_ACCESS_POLICY,
) -> AnalyticsGate:
    """May *viewer* see cohort *cohort_id*'s analytics? Allowed (with the cohort), denied, or not found.

    One repository call. Whether a cohort exists is told only to a viewer who
    would be allowed to see it: for anyone else an unknown cohort is an
    ordinary denial. A failing repository is logged at WARNING and treated as
    an unknown cohort (``cohorts_unavailable``).
    """
    _check_now(now)
    notes: list[Reason] = []
    extra: dict[str, object] = {"viewer_id": viewer.user_id, "cohort_id": cohort_id}
    with timed() as clock:
        unavailable = Reason(code="cohorts_unavailable", message="Cohorts could not be read.")
        cohort = _read(
            lambda: cohorts.cohorts_by_ids([cohort_id]).get(cohort_id), None, unavailable, notes, extra
        )
        decision = decide_cohort_analytics_access(
            viewer, cohort or _missing_cohort(cohort_id), now=now, policy=policy
        )
        _write_audit(audit, decision, notes, extra)
        outcome: AnalyticsGate
        if not decision.allowed:
            outcome = AnalyticsDenied(subject_id=cohort_id, decision=decision, notes=notes)
        elif cohort is None:
            reason = (
                unavailable
                if unavailable in notes
                else Reason(code="cohort_not_found", message=f"Cohort {cohort_id} does not exist.")
            )
            outcome = AnalyticsNotFound(subject_id=cohort_id, decision=decision, reason=reason, notes=notes)
        else:
            outcome = AnalyticsAllowed(
                subject_id=cohort_id, decision=decision, cohorts=(cohort,), notes=notes
            )
    _log_access(decision, _outcome_name(outcome), outcome.notes, clock["duration_ms"])
    return outcome


def enterprise_analytics_gate(
    viewer: Principal,
    enterprise_id: OrgId,
    *,
    cohorts: CohortRepository,
    audit: AuditSink | None = None,
    now: datetime,
    policy: AccessPolicy = DEFAULT_ACCESS_POLICY,
) -> AnalyticsGate:
    """May *viewer* see an enterprise's analytics? Allowed (with its cohorts), denied, or not found.

    The decision needs no data; only an allowed viewer causes one repository
    call for the enterprise's cohorts. An enterprise that sponsors no cohort
    is :class:`AnalyticsNotFound` with ``unknown_enterprise`` — never "every
    cohort" (SPEC §10.6). A failing repository is logged at WARNING and gives
    ``cohorts_unavailable``.
    """
    notes: list[Reason] = []
    extra: dict[str, object] = {"viewer_id": viewer.user_id, "enterprise_id": enterprise_id}
    with timed() as clock:
        decision = decide_enterprise_analytics_access(viewer, enterprise_id, now=now, policy=policy)
        _write_audit(audit, decision, notes, extra)
        outcome: AnalyticsGate
        if not decision.allowed:
            outcome = AnalyticsDenied(subject_id=enterprise_id, decision=decision, notes=notes)
        else:
            unavailable = Reason(code="cohorts_unavailable", message="Cohorts could not be read.")
            found = _read(
                lambda: tuple(cohorts.cohorts_for_enterprises([enterprise_id]).get(enterprise_id, ())),
                None,
                unavailable,
                notes,
                extra,
            )
            if not found:
                reason = (
                    unavailable
                    if found is None
                    else Reason(
                        code="unknown_enterprise",
                        message=f"No cohort names enterprise {enterprise_id} as its sponsor.",
                    )
                )
                outcome = AnalyticsNotFound(
                    subject_id=enterprise_id, decision=decision, reason=reason, notes=notes
                )
            else:
                outcome = AnalyticsAllowed(
                    subject_id=enterprise_id,
                    decision=decision,
                    cohorts=sorted(found, key=lambda c: c.id),
                    notes=notes,
                )
    _log_access(decision, _outcome_name(outcome), outcome.notes, clock["duration_ms"])
    return outcome


# --- portfolio and leadership (SPEC §6, §7) ---


# datetime and PortfolioEntry are imported by the access section above.


_portfolio_log = get_logger("portfolio")
_leadership_log = get_logger("leadership")

_PORTFOLIO_UNAVAILABLE = Reason(
    code="portfolio_unavailable", message="The portfolio repository failed; nothing was stored."
)
_PORTFOLIO_CONFLICT = Reason(
    code="portfolio_conflict",
    message="The entry changed twice while being saved; nothing was stored (try again).",
)


def _reason_tuple(values: Sequence[Reason]) -> tuple[Reason, ...]:
    return tuple(values)


@frozen(kw_only=True)
class ValueStatementSync:
    """What one completion (or sync) did to a learner's value-statement entry.

    Attributes:
        learner_id: the learner.
        session_id: the completed session the statement was composed from (``None`` when none counted).
        statement: the composed statement (``None`` when there was no completed session).
        plan: what the plan was (``None`` when nothing was planned).
        entry: the entry as stored after the call (``None`` when there is none or it is unknown).
        reasons: the plan's reason, then any degradation (``portfolio_unavailable``, ``portfolio_conflict``,
            ``profiler_unavailable`` when the replay check could not read the latest session), or why
            nothing was planned (``session_not_completed``, ``stale_session_ignored``,
            ``no_completed_session``, ``profiler_unavailable``).
        degraded: ``True`` when a repository failed or a conflict persisted.
    """

    learner_id: UserId
    session_id: SessionId | None
    statement: ValueStatement | None
    plan: EntryPlanKind | None
    entry: PortfolioEntry | None
    reasons: tuple[Reason, ...] = field(converter=_reason_tuple)
    degraded: bool = False

    @property
    def reason_codes(self) -> tuple[str, ...]:
        """The codes of :attr:`reasons`, in order."""
        return tuple(r.code for r in self.reasons)


def _store_statement(
    user_id: UserId,
    session_id: SessionId,
    statement: ValueStatement,
    *,
    portfolio: PortfolioRepository,
    now: datetime,
    prefetched: Mapping[UserId, PortfolioEntry] | None,
) -> tuple[PortfolioEntry | None, EntryPlan, tuple[Reason, ...]]:
    def attempt(existing: PortfolioEntry | None) -> tuple[PortfolioEntry | None, EntryPlan]:
        plan = plan_value_statement_entry(
            existing, statement, session_id=session_id, user_id=user_id, now=now
        )
        if isinstance(plan, KeepEntry):
            return plan.entry, plan
        return portfolio.save_entry(plan.entry, replacing=existing), plan

    def read() -> PortfolioEntry | None:
        return portfolio.value_statements_for([user_id]).get(user_id)

    stored, plan = attempt(prefetched.get(user_id) if prefetched is not None else read())
    if stored is None:
        # A concurrent writer made the save return None: read again and re-plan once.
        stored, plan = attempt(read())
    if stored is None:
        return None, plan, (plan.reason, _PORTFOLIO_CONFLICT)
    return stored, plan, (plan.reason,)


def _superseding_session(
    session: ProfilerSession, sessions: SessionRepository | None
) -> tuple[ProfilerSession | None, tuple[Reason, ...]]:
    """The learner's later completed session that makes *session* a stale replay, and any degradation note.

    One repository call. ``(None, ())`` when *session* is the latest (or newer than what the
    repository sees yet, e.g. a lagging replica) or *sessions* is ``None``.
    """
    if sessions is None:
        return None, ()
    extra: dict[str, object] = {"learner_id": session.user_id, "session_id": session.id}
    try:
        latest = sessions.latest_completed_sessions([session.user_id]).get(session.user_id)
    except Exception:
        _portfolio_log.warning(
            "session repository failed; value statement stored without the replay check",
            exc_info=True,
            extra=extra,
        )
        return None, (
            Reason(
                code="profiler_unavailable",
                message="The latest completed session could not be read; the statement was stored "
                "without checking that this completion is the latest.",
            ),
        )
    latest = _owned(latest, session.user_id, _portfolio_log, "a latest session", extra)
    if latest is None or latest.id == session.id:
        return None, ()
    # The same order as the repository's "latest" (completed_at, then id): only an older completion is stale.
    return (latest, ()) if latest_completed_session([session, latest]) is latest else (None, ())


def _sync_one(
    session: ProfilerSession,
    *,
    portfolio: PortfolioRepository,
    now: datetime,
    policy: ValueStatementPolicy,
    prefetched: Mapping[UserId, PortfolioEntry] | None,
    sessions: SessionRepository | None = None,
) -> ValueStatementSync:
    with timed() as clock:
        statement = None
        plan_kind = None
        entry = None
        degraded = False
        if not session.is_completed:
            reasons: tuple[Reason, ...] = (
                Reason(
                    code="session_not_completed",
                    message=f"Session {session.id} is {session.status.value}, not completed; "
                    "the portfolio is left as it is.",
                ),
            )
        else:
            newer, notes = _superseding_session(session, sessions)
            if newer is not None:
                reasons = (
                    Reason(
                        code="stale_session_ignored",
                        message=f"Session {session.id} completed before the learner's latest completed "
                        f"session {newer.id}; the portfolio is left as it is.",
                    ),
                )
            else:
                statement = compose_value_statement(session, policy=policy)
                try:
                    entry, plan, reasons = _store_statement(
                        session.user_id,
                        session.id,
                        statement,
                        portfolio=portfolio,
                        now=now,
                        prefetched=prefetched,
                    )
                    plan_kind = plan.kind
                    degraded = entry is None
                except Exception:
                    _portfolio_log.warning(
                        "portfolio repository failed; value statement not stored",
                        exc_info=True,
                        extra={"learner_id": session.user_id, "session_id": session.id},
                    )
                    reasons, degraded = (_PORTFOLIO_UNAVAILABLE,), True
                if notes:
                    reasons, degraded = (*reasons, *notes), True
    _portfolio_log.debug(
        "value statement synced",
        extra={
            "learner_id": session.user_id,
            "session_id": session.id,
            "completeness": statement.completeness.value if statement else None,
            "plan": plan_kind.value if plan_kind else None,
            "entry_id": entry.id if entry else None,
            "reason_codes": tuple(r.code for r in reasons),
            "degraded": degraded,
            "duration_ms": clock["duration_ms"],
        },
    )
    return ValueStatementSync(
        learner_id=session.user_id,
        session_id=session.id,
        statement=statement,
        plan=plan_kind,
        entry=entry,
        reasons=reasons,
        degraded=degraded,
    )


def on_profiler_completed(
    session: ProfilerSession,
    *,
    portfolio: PortfolioRepository,
    now: datetime,
    sessions: SessionRepository | None = None,
    policy: ValueStatementPolicy = DEFAULT_VALUE_STATEMENT_POLICY,
) -> ValueStatementSync:
    """Compose the learner's value statement and create, update or keep their entry (SPEC §6, §10.11).

    Call it where the profiler completes, on every path. Safe to call twice
    or concurrently: the plan is idempotent (a second call keeps), and the
    port's compare-and-set save means a concurrent writer makes this call
    read again and re-plan once (``portfolio_conflict`` if it still loses).
    A learner's edit is never overwritten. An incomplete session stores
    nothing (``session_not_completed``). Repository failures are logged at
    WARNING and reported as ``portfolio_unavailable``; nothing raises.

    Completions delivered out of order (a queue redelivering ``s-1`` after
    ``s-2`` was processed) are recognised only with *sessions*: one call reads
    the learner's latest completed session, and a *session* that completed
    before it leaves the entry as it is (``stale_session_ignored``, no
    portfolio call). A *session* newer than what the repository sees yet is
    applied. If that read fails the statement is stored anyway, degraded,
    with ``profiler_unavailable`` after the plan's reason. Without *sessions*
    a replayed older completion cannot be told apart from a retake: the entry
    records only the opaque id of its session, not when that session
    completed, so an unedited entry follows whichever completion came last.

    Args:
        session: the session that just completed.
        portfolio: the portfolio port.
        now: the time of the call (``created_at``/``updated_at``).
        sessions: the session port, to ignore replayed older completions (recommended).
        policy: the value-statement policy.
    """
    _check_now(now)
    return _sync_one(session, portfolio=portfolio, now=now, policy=policy, prefetched=None, sessions=sessions)


def sync_value_statements(
    learner_ids: Collection[UserId],
    *,
    sessions: SessionRepository,
    portfolio: PortfolioRepository,
    now: datetime,
    policy: ValueStatementPolicy = DEFAULT_VALUE_STATEMENT_POLICY,
) -> tuple[ValueStatementSync, ...]:
    """Bring many learners' entries up to date with their latest completed sessions (a backfill).

    Two reads for the whole batch (sessions, entries), then one save per
    entry that changes; re-running it changes nothing. Learners without a
    completed session are reported with ``no_completed_session`` and left
    alone. Results follow the order of *learner_ids* (duplicates once).
    """
    learners = tuple(dict.fromkeys(learner_ids))
    try:
        latest = sessions.latest_completed_sessions(learners)
    except Exception:
        _portfolio_log.warning(
            "session repository failed; no value statement synced",
            exc_info=True,
            extra={"learners": len(learners)},
        )
        unavailable = Reason(
            code="profiler_unavailable", message="Profiler data is unavailable; nothing was synced."
        )
        return tuple(
            ValueStatementSync(
                learner_id=learner,
                session_id=None,
                statement=None,
                plan=None,
                entry=None,
                reasons=(unavailable,),
                degraded=True,
            )
            for learner in learners
        )
    try:
        prefetched: Mapping[UserId, PortfolioEntry] | None = portfolio.value_statements_for(
            [learner for learner in learners if learner in latest]
        )
    except Exception:
        _portfolio_log.warning(
            "portfolio repository failed; entries are read one by one",
            exc_info=True,
            extra={"learners": len(learners)},
        )
        prefetched = None
    out = []
    for learner in learners:
        session = latest.get(learner)
        if session is None:
            out.append(
                ValueStatementSync(
                    learner_id=learner,
                    session_id=None,
                    statement=None,
                    plan=None,
                    entry=None,
                    reasons=(
                        Reason(
                            code="no_completed_session",
                            message="The learner has no completed profiler session; nothing to compose.",
                        ),
                    ),
                )
            )
            continue
        out.append(_sync_one(session, portfolio=portfolio, now=now, policy=policy, prefetched=prefetched))
    return tuple(out)


@frozen(kw_only=True)
class StatementEditOutcome:
    """What became of a learner's edit of their value statement.

    Attributes:
        learner_id: the learner.
        entry: the entry as stored after the call (``None`` when not found or unknown).
        rejection: the validation error, with its field (``None`` when the edit passed validation).
        reason: ``edit_applied``, ``edit_unchanged``, ``edit_empty``, ``edit_too_long``,
            ``value_statement_not_found``, ``portfolio_conflict`` or ``portfolio_unavailable``.
        degraded: ``True`` when a repository failed or a conflict persisted.
    """

    learner_id: UserId
    entry: PortfolioEntry | None
    rejection: EditRejected | None
    reason: Reason
    degraded: bool = False

    @property
    def accepted(self) -> bool:
        """``True`` when the learner's text is what the entry now holds."""
        return self.reason.code in ("edit_applied", "edit_unchanged")


def _edit(
    learner_id: UserId, text: str, portfolio: PortfolioRepository, now: datetime, policy: ValueStatementPolicy
) -> StatementEditOutcome:
    for _attempt in range(2):
        # Never let an edit land on another learner's entry.
        entry = _owned(
            portfolio.value_statements_for([learner_id]).get(learner_id),
            learner_id,
            _portfolio_log,
            "a value statement",
            {"learner_id": learner_id},
        )
        if entry is None:
            return StatementEditOutcome(
                learner_id=learner_id,
                entry=None,
                rejection=None,
                reason=StatementNotFound(user_id=learner_id).reason,
            )
        applied = apply_statement_edit(entry, text, now=now, policy=policy)
        if isinstance(applied, EditRejected):  # pragma: no cover - validated before the read
            return StatementEditOutcome(
                learner_id=learner_id, entry=entry, rejection=applied, reason=applied.reason
            )
        if not applied.changed:
            return StatementEditOutcome(
                learner_id=learner_id, entry=entry, rejection=None, reason=applied.reason
            )
        saved = portfolio.save_entry(applied.entry, replacing=entry)
        if saved is not None:
            return StatementEditOutcome(
                learner_id=learner_id, entry=saved, rejection=None, reason=applied.reason
            )
    return StatementEditOutcome(
        learner_id=learner_id, entry=None, rejection=None, reason=_PORTFOLIO_CONFLICT, degraded=True
    )


def learner_edits_statement(
    learner_id: UserId,
    text: str,
    *,
    portfolio: PortfolioRepository,
    now: datetime,
    policy: ValueStatementPolicy = DEFAULT_VALUE_STATEMENT_POLICY,
) -> StatementEditOutcome:
    """Validate and store the learner's own edit of their value statement (SPEC §6).

    The learner edits only their own entry: it is looked up by *learner_id*
    (the authenticated user). An invalid edit is rejected with its field
    before any read; no entry gives ``value_statement_not_found``, and so does
    an entry of another learner from a faulty adapter (logged at WARNING,
    never saved). The save is compare-and-set: if a sync wrote in between, the
    edit is re-applied to the fresh entry once. From then on no re-composition
    overwrites the edit.
    """
    with timed() as clock:
        checked = validate_statement_edit(text, policy=policy)
        if isinstance(checked, EditRejected):
            outcome = StatementEditOutcome(
                learner_id=learner_id, entry=None, rejection=checked, reason=checked.reason
            )
        else:
            try:
                outcome = _edit(learner_id, checked.text, portfolio, now, policy)
            except Exception:
                _portfolio_log.warning(
                    "portfolio repository failed; edit not stored",
                    exc_info=True,
                    extra={"learner_id": learner_id},
                )
                outcome = StatementEditOutcome(
                    learner_id=learner_id,
                    entry=None,
                    rejection=None,
                    reason=_PORTFOLIO_UNAVAILABLE,
                    degraded=True,
                )
    _portfolio_log.debug(
        "value statement edit",
        extra={
            "learner_id": learner_id,
            "entry_id": outcome.entry.id if outcome.entry else None,
            "reason_code": outcome.reason.code,
            "field": outcome.rejection.field if outcome.rejection else None,
            "degraded": outcome.degraded,
            "duration_ms": clock["duration_ms"],
        },
    )
    return outcome


@frozen(kw_only=True)
class LeadershipStart:
    """What the VIP Leadership Academy needs to onboard a learner (SPEC §7).

    Attributes:
        learner_id: the learner.
        statement: the found statement, :class:`~profiler_core.leadership.StatementNotFound`
            (its ``message`` is the one to show), or ``None`` when the portfolio was unavailable.
        identity: Value, Impact, Purpose, starting point and level (``None`` unless found and
            the profiler data could be read).
        onboarding: the onboarding plan built from :attr:`identity`.
        reasons: why (``value_statement_not_found``, the starting point's reason,
            ``no_completed_session``, ``portfolio_unavailable``, ``profiler_unavailable``).
        degraded: ``True`` when a repository failed.
    """

    learner_id: UserId
    statement: LeadershipStatement | StatementNotFound | None
    identity: LeadershipIdentity | None
    onboarding: OnboardingPlan | None
    reasons: tuple[Reason, ...] = field(converter=_reason_tuple)
    degraded: bool = False

    @property
    def found(self) -> bool:
        """``True`` when the learner has a value statement."""
        return isinstance(self.statement, LeadershipStatement)


def _leadership(
    learner_id: UserId,
    portfolio: PortfolioRepository,
    sessions: SessionRepository,
    policy: LeadershipPolicy,
    statement_policy: ValueStatementPolicy,
) -> LeadershipStart:
    try:
        entry = portfolio.value_statements_for([learner_id]).get(learner_id)
    except Exception:
        _leadership_log.warning(
            "portfolio repository failed; no value statement", exc_info=True, extra={"learner_id": learner_id}
        )
        return LeadershipStart(
            learner_id=learner_id,
            statement=None,
            identity=None,
            onboarding=None,
            reasons=(_PORTFOLIO_UNAVAILABLE,),
            degraded=True,
        )
    extra: dict[str, object] = {"learner_id": learner_id}
    found = leadership_statement(
        _owned(entry, learner_id, _leadership_log, "a value statement", extra), user_id=learner_id
    )
    if isinstance(found, StatementNotFound):
        return LeadershipStart(
            learner_id=learner_id, statement=found, identity=None, onboarding=None, reasons=(found.reason,)
        )
    try:
        session = sessions.latest_completed_sessions([learner_id]).get(learner_id)
    except Exception:
        _leadership_log.warning(
            "session repository failed; identity not seeded", exc_info=True, extra={"learner_id": learner_id}
        )
        return LeadershipStart(
            learner_id=learner_id,
            statement=found,
            identity=None,
            onboarding=None,
            reasons=(
                Reason(
                    code="profiler_unavailable",
                    message="Profiler data is unavailable; the identity cannot be seeded now.",
                ),
            ),
            degraded=True,
        )
    # Another learner's answers must never seed this learner's identity.
    session = _owned(session, learner_id, _leadership_log, "a latest session", extra)
    reasons: list[Reason] = []
    if session is None:
        reasons.append(
            Reason(
                code="no_completed_session",
                message="The learner has no completed profiler session; every part is a prompt.",
            )
        )
        statement = compose_value_statement(None, policy=statement_policy)
    else:
        statement = compose_value_statement(session, policy=statement_policy)
    identity = seed_leadership_identity(
        statement,
        difficulty_selection=session.difficulty_selection if session else None,
        session_id=session.id if session else None,
        policy=policy,
    )
    reasons.append(identity.starting_point.reason)
    return LeadershipStart(
        learner_id=learner_id,
        statement=found,
        identity=identity,
        onboarding=plan_leadership_onboarding(identity),
        reasons=reasons,
    )


def value_statement_for_leadership(
    learner_id: UserId,
    *,
    portfolio: PortfolioRepository,
    sessions: SessionRepository,
    policy: LeadershipPolicy = DEFAULT_LEADERSHIP_POLICY,
    statement_policy: ValueStatementPolicy = DEFAULT_VALUE_STATEMENT_POLICY,
) -> LeadershipStart:
    """The learner's value statement for the academy, the identity seeded from it, and the onboarding plan.

    No statement gives :class:`~profiler_core.leadership.StatementNotFound`
    ("Value statement not found. Please complete profiler first."). Otherwise
    the identity is seeded from the sources of the statement composed from the
    learner's latest completed session (the text shown stays the entry's, the
    learner's edit included). Two repository calls; failures are logged at
    WARNING and reported, never raised. An entry or session of another
    learner (a faulty adapter) is dropped with a WARNING and counts as absent.
    """
    with timed() as clock:
        start = _leadership(learner_id, portfolio, sessions, policy, statement_policy)
    _leadership_log.debug(
        "leadership identity seeded" if start.identity else "leadership identity not seeded",
        extra={
            "learner_id": learner_id,
            "found": start.found,
            "session_id": start.identity.session_id if start.identity else None,
            "missing": tuple(p.value for p in start.identity.missing) if start.identity else (),
            "level": start.identity.level.value if start.identity else None,
            "reason_codes": tuple(r.code for r in start.reasons),
            "degraded": start.degraded,
            "duration_ms": clock["duration_ms"],
        },
    )
    return start


# --- marketplace (SPEC §8) ---


_marketplace_log = get_logger("marketplace")

#: The ``message`` of :class:`TalentMatches`, by status (and for a degraded answer); read-only.
TALENT_MATCH_MESSAGES: FrozenMap[str, str] = FrozenMap(
    {
        MatchStatus.MATCHED: "Your best job matches, with what each needs.",
        MatchStatus.NO_MATCHES: "No open job postings to match right now.",
        MatchStatus.PROFILER_INCOMPLETE: "Complete the profiler to see your job matches.",
        "degraded": "Job matches are partly unavailable right now; please try again later.",
    }
)


def _ranked(values: Iterable[RankedJob]) -> tuple[RankedJob, ...]:
    return tuple(values)


def _service_reasons(values: Iterable[Reason]) -> tuple[Reason, ...]:
    return tuple(values)


@frozen(kw_only=True)
class TalentMatches:
    """What ``GET /api/v1/marketplace/talent-matches`` returns for a learner.

    Attributes:
        learner_id: the learner.
        status: ``matched``, ``no_matches`` or ``profiler_incomplete``.
        recommended_track: the recommended track of the learner's latest completed session.
        session_id: that session.
        matches: the top open jobs, best first, each with its full breakdown.
        message: one sentence for the learner (see :data:`TALENT_MATCH_MESSAGES`).
        reasons: why (ranking reasons, plus any degradation).
        policy: the matching policy.
        degraded: ``True`` when a repository failed and the answer is partial.
    """

    learner_id: UserId
    status: MatchStatus
    recommended_track: TrackKey | None
    session_id: SessionId | None
    matches: tuple[RankedJob, ...] = field(converter=_ranked)
    message: str
    reasons: tuple[Reason, ...] = field(converter=_service_reasons)
    policy: PolicyRef
    degraded: bool = False

    @property
    def reason_codes(self) -> tuple[str, ...]:
        """The codes of :attr:`reasons`, in order."""
        return tuple(r.code for r in self.reasons)

    def as_dict(self) -> dict[str, object]:
        """The endpoint's JSON body (see ``docs/reference/matching.md``)."""
        return {
            "learner_id": self.learner_id,
            "status": self.status.value,
            "recommended_track": None if self.recommended_track is None else self.recommended_track.value,
            "session_id": self.session_id,
            "matches": [m.as_dict() for m in self.matches],
            "message": self.message,
            "reasons": [{"code": r.code, "message": r.message} for r in self.reasons],
            "policy": str(self.policy),
            "degraded": self.degraded,
        }


@frozen(kw_only=True)
class TalentSearch:
    """An employer's talent search for one job: the candidate ranking, and whether it is partial."""

    ranking: CandidateRanking
    degraded: bool = False

    def as_dict(self) -> dict[str, object]:
        """The ranking's JSON shape plus ``"degraded"``."""
        return {**self.ranking.as_dict(), "degraded": self.degraded}


def _recipe_catalogue(
    recipes: RecipeRepository | None, skills: Iterable[str], log_extra: dict[str, object]
) -> tuple[tuple[Recipe, ...] | None, Reason | None]:
    # The port expects normalised codes (see RecipeRepository.active_recipes_with_codes).
    codes = sorted({normalise_code(s) for s in skills} - {""})
    if recipes is None or not codes:
        return None, None
    try:
        return tuple(recipes.active_recipes_with_codes(codes)), None
    except Exception:
        _marketplace_log.warning(
            "recipe lookup failed; matches listed without recipes", exc_info=True, extra=log_extra
        )
        return None, Reason(
            code="recipes_unavailable",
            message="The recipe catalogue is unavailable; missing skills are listed without recipes.",
        )


def talent_matches(
    learner_id: UserId,
    *,
    sessions: SessionRepository,
    jobs: JobRepository,
    talent: TalentProfileRepository,
    now: datetime,
    recipes: RecipeRepository | None = None,
    limit: int = 10,
    policy: MatchPolicy = DEFAULT_MATCH_POLICY,
) -> TalentMatches:
    """The learner's best open jobs with explainable breakdowns (SPEC §8).

    At most four repository calls whatever the number of jobs: the latest
    completed session, the talent profile, the open jobs, and (with *recipes*)
    one recipe lookup for every skill the open jobs require. Without a
    completed session the answer is ``profiler_incomplete`` and asks the learner
    to complete the profiler (no further call is made). A learner without a
    talent profile is matched on an empty one (no skills, no readiness), with
    reason ``talent_profile_missing``. A session or talent profile of another
    user (a faulty adapter) is dropped with a WARNING and counts as absent. A
    failing repository is logged at WARNING and degrades the answer with a
    reason; nothing raises to the host but invalid arguments.

    Args:
        learner_id: the learner.
        sessions: the session port.
        jobs: the job port.
        talent: the talent-profile port.
        now: the time deadlines are compared with (timezone-aware).
        recipes: the recipe port; when given, missing skills link to the
            recipes that teach them (one ``active_recipes_with_codes`` call).
        limit: how many matches (>= 1).
        policy: the matching policy.

    Raises:
        InvalidValueError: *limit* below 1 or *now* naive, as
            :func:`~profiler_core.matching.rank_jobs` raises; checked before any
            repository call.
    """
    _check_match_limit(limit)
    _check_now(now)
    degraded = False
    notes: list[Reason] = []
    extra: dict[str, object] = {"learner_id": learner_id}
    with timed() as clock:
        try:
            session = _owned(
                sessions.latest_completed_sessions([learner_id]).get(learner_id),
                learner_id,
                _marketplace_log,
                "a latest session",
                extra,
            )
        except Exception:
            _marketplace_log.warning("session repository failed; no matches", exc_info=True, extra=extra)
            session, degraded = None, True
            notes.append(
                Reason(
                    code="profiler_unavailable",
                    message="Profiler data is unavailable; no job is matched.",
                )
            )
        profile = TalentProfile(user_id=learner_id)
        open_jobs: Sequence[JobPosting] = ()
        catalogue: tuple[Recipe, ...] | None = None
        if session is not None:
            try:
                found = _owned(
                    talent.profiles_for_users([learner_id]).get(learner_id),
                    learner_id,
                    _marketplace_log,
                    "a talent profile",
                    extra,
                )
                if found is None:
                    notes.append(
                        Reason(
                            code="talent_profile_missing",
                            message=f"Learner {learner_id} has no talent profile; matched on profiler data "
                            "alone (no skills, no readiness).",
                        )
                    )
                else:
                    profile = found
            except Exception:
                _marketplace_log.warning("talent repository failed", exc_info=True, extra=extra)
                degraded = True
                notes.append(
                    Reason(
                        code="talent_unavailable",
                        message="Talent profiles are unavailable; matched on profiler data alone.",
                    )
                )
            try:
                open_jobs = jobs.active_jobs(now=now)
            except Exception:
                _marketplace_log.warning("job repository failed; no matches", exc_info=True, extra=extra)
                degraded = True
                notes.append(Reason(code="jobs_unavailable", message="Job postings are unavailable."))
            skills = [skill for job in open_jobs for skill in job.required_skills]
            catalogue, recipe_note = _recipe_catalogue(recipes, skills, extra)
            if recipe_note is not None:
                degraded = True
                notes.append(recipe_note)
        ranking = rank_jobs(
            profile, open_jobs, session=session, now=now, limit=limit, recipes=catalogue, policy=policy
        )
    if degraded and ranking.status is MatchStatus.PROFILER_INCOMPLETE:
        # We could not read the session: we do not know the profiler is incomplete.
        status, reasons = MatchStatus.NO_MATCHES, notes
    else:
        status, reasons = ranking.status, [*ranking.reasons, *notes]
    message = TALENT_MATCH_MESSAGES["degraded" if degraded else status]
    _marketplace_log.debug(
        "talent matches ranked",
        extra={
            "learner_id": learner_id,
            "session_id": ranking.session_id,
            "status": status.value,
            "job_ids": [m.job.id for m in ranking.matches],
            "scores": [round(m.match.score, 2) for m in ranking.matches],
            "considered": ranking.considered,
            "excluded": dict(ranking.excluded),
            "reason_codes": [r.code for r in reasons],
            "policy": str(ranking.policy),
            "degraded": degraded,
            "duration_ms": clock["duration_ms"],
        },
    )
    return TalentMatches(
        learner_id=learner_id,
        status=status,
        recommended_track=ranking.recommended_track,
        session_id=ranking.session_id,
        matches=ranking.matches,
        message=message,
        reasons=reasons,
        policy=ranking.policy,
        degraded=degraded,
    )


def _job_by_id(jobs: JobRepository, job_id: JobId, extra: Mapping[str, object]) -> JobPosting | None:
    """The posting *job_id*, or ``None``: one call; a posting of another id counts as absent."""
    job = jobs.jobs_by_ids([job_id]).get(job_id)
    if job is not None and job.id != job_id:
        _drop_foreign(_marketplace_log, "a job", extra, foreign_job_id=job.id)
        return None
    return job


def _searchable_candidates(
    talent: TalentProfileRepository, sessions: SessionRepository, extra: Mapping[str, object]
) -> tuple[Sequence[TalentProfile], dict[UserId, ProfilerSession]]:
    """The searchable profiles and their latest completed sessions: two calls (one without profiles)."""
    profiles = talent.searchable_profiles()
    found = sessions.latest_completed_sessions([p.user_id for p in profiles]) if profiles else {}
    latest = {user: session for user, session in found.items() if session.user_id == user}
    for user in sorted(found.keys() - latest.keys()):
        _drop_foreign(
            _marketplace_log,
            "a latest session",
            {**extra, "learner_id": user},
            foreign_user_id=found[user].user_id,
        )
    return profiles, latest


def talent_search(
    job_id: JobId,
    *,
    jobs: JobRepository,
    talent: TalentProfileRepository,
    sessions: SessionRepository,
    now: datetime,
    recipes: RecipeRepository | None = None,
    limit: int = 10,
    policy: MatchPolicy = DEFAULT_MATCH_POLICY,
) -> TalentSearch:
    """An employer's talent search: the best visible, consenting candidates for one job (SPEC §8).

    At most four repository calls whatever the population: the job, the
    searchable profiles, their latest completed sessions (one batch call), and
    (with *recipes*) one recipe lookup for the job's skills. An unknown job
    gives ``job_not_found``; a closed one ``job_closed`` after the job read
    alone (no profile, session or recipe is read). A job of another id, or a
    session filed under another learner (a faulty adapter), is dropped with a
    WARNING. A failing repository is logged at WARNING and degrades the answer
    with a reason.

    Args:
        job_id: the job.
        jobs: the job port.
        talent: the talent-profile port.
        sessions: the session port.
        now: the time the deadline is compared with (timezone-aware).
        recipes: see :func:`talent_matches`.
        limit: how many candidates (>= 1).
        policy: the matching policy.

    Raises:
        InvalidValueError: *limit* below 1 or *now* naive, as
            :func:`~profiler_core.matching.rank_candidates` raises; checked
            before any repository call.
    """
    _check_match_limit(limit)
    _check_now(now)
    extra: dict[str, object] = {"job_id": job_id}
    degraded = False
    with timed() as clock:
        try:
            job = _job_by_id(jobs, job_id, extra)
            missing = Reason(code="job_not_found", message=f"Job {job_id} does not exist.")
        except Exception:
            _marketplace_log.warning("job repository failed; no candidates", exc_info=True, extra=extra)
            job, degraded = None, True
            missing = Reason(code="jobs_unavailable", message="Job postings are unavailable.")
        if job is None:
            ranking = CandidateRanking(
                job_id=job_id,
                status=MatchStatus.JOB_NOT_FOUND,
                matches=(),
                reasons=(missing,),
                policy=policy.ref,
            )
        elif not job_is_open(job, now=now):
            # The pure ranking gives job_closed with why; no candidate needs reading for it.
            ranking = rank_candidates(job, (), sessions={}, now=now, limit=limit, policy=policy)
        else:
            notes: list[Reason] = []
            try:
                profiles, latest = _searchable_candidates(talent, sessions, extra)
            except Exception:
                _marketplace_log.warning("talent search failed; no candidates", exc_info=True, extra=extra)
                profiles, latest, degraded = (), {}, True
                notes.append(
                    Reason(
                        code="talent_unavailable",
                        message="Talent profiles or profiler data are unavailable.",
                    )
                )
            catalogue, recipe_note = _recipe_catalogue(recipes, job.required_skills, extra)
            if recipe_note is not None:
                degraded = True
                notes.append(recipe_note)
            ranking = rank_candidates(
                job,
                profiles,
                sessions=latest,
                now=now,
                limit=limit,
                employer_facing=True,
                recipes=catalogue,
                policy=policy,
            )
            if notes:
                ranking = attrs.evolve(ranking, reasons=(*ranking.reasons, *notes))
    _marketplace_log.debug(
        "talent search ranked",
        extra={
            "job_id": job_id,
            "status": ranking.status.value,
            "user_ids": [m.profile.user_id for m in ranking.matches],
            "scores": [round(m.match.score, 2) for m in ranking.matches],
            "considered": ranking.considered,
            "excluded": dict(ranking.excluded),
            "reason_codes": list(ranking.reason_codes),
            "policy": str(ranking.policy),
            "degraded": degraded,
            "duration_ms": clock["duration_ms"],
        },
    )
    return TalentSearch(ranking=ranking, degraded=degraded)


# --- analytics (SPEC §9) ---

# Sequence, Cohort, CohortId and OrgId are imported by the sections above.


_analytics_log = get_logger("analytics")


class AccessDecisionLike(Protocol):
    """What the analytics services need of an access decision: allowed or not, and why.

    :class:`profiler_core.access.AccessDecision` (from
    ``decide_cohort_analytics_access`` / ``decide_enterprise_analytics_access``)
    satisfies it; so does any host value with these two attributes.
    """

    @property
    def allowed(self) -> bool:
        """``True`` when the viewer may see the report."""
        ...

    @property
    def reasons(self) -> Sequence[Reason]:
        """Why (codes and sentences)."""
        ...


def _reason_seq(values: Sequence[Reason]) -> tuple[Reason, ...]:
    return tuple(values)


@frozen(kw_only=True)
class ReportDenied:
    """The access decision denied the report; nothing was read.

    Attributes:
        subject_id: the cohort or enterprise asked for.
        reasons: ``analytics_access_denied`` followed by the decision's reasons.
    """

    subject_id: str
    reasons: tuple[Reason, ...] = field(converter=_reason_seq)


@frozen(kw_only=True)
class ReportNotFound:
    """The cohort does not exist, or the enterprise sponsors no cohort (never "everything").

    Attributes:
        subject_id: the cohort or enterprise asked for.
        reason: ``cohort_not_found`` or ``unknown_enterprise``.
    """

    subject_id: str
    reason: Reason


@frozen(kw_only=True)
class ReportUnavailable:
    """A repository failed (logged at WARNING); no partial figures are published.

    Attributes:
        subject_id: the cohort or enterprise asked for.
        reason: ``analytics_unavailable``.
    """

    subject_id: str
    reason: Reason


#: What :func:`cohort_analytics_report` returns.
CohortReportOutcome: TypeAlias = CohortReport | ReportDenied | ReportNotFound | ReportUnavailable
#: What :func:`enterprise_analytics_report` returns.
EnterpriseReportOutcome: TypeAlias = EnterpriseReport | ReportDenied | ReportNotFound | ReportUnavailable

_ANALYTICS_UNAVAILABLE = Reason(
    code="analytics_unavailable", message="Cohort, enrollment or profiler data could not be read."
)


def _denied(subject_id: str, decision: AccessDecisionLike) -> ReportDenied:
    return ReportDenied(
        subject_id=subject_id,
        reasons=(
            Reason(
                code="analytics_access_denied",
                message=f"The access decision denies the report of {subject_id}.",
            ),
            *decision.reasons,
        ),
    )


def _partial_for(
    cohorts: Sequence[Cohort], repository: CohortAnalyticsRepository, policy: AnalyticsPolicy
) -> AnalyticsPartial:
    """Three batch calls: the cohorts' enrollments, their learners' latest sessions, the results."""
    by_cohort = repository.enrollments_for_cohorts([c.id for c in cohorts])
    enrollments = [e for c in cohorts for e in by_cohort.get(c.id, ())]
    learners = sorted({e.user_id for e in enrollments if e.status in policy.counted_statuses})
    latest = repository.latest_completed_sessions(learners) if learners else {}
    sessions = [latest[u] for u in learners if u in latest]
    results = repository.results_for_sessions([s.id for s in sessions]) if sessions else {}
    return partial_from_values(enrollments=enrollments, sessions=sessions, results=results, policy=policy)


def _log_report(
    outcome: CohortReportOutcome | EnterpriseReportOutcome,
    subject: dict[str, object],
    duration_ms: float,
) -> None:
    extra: dict[str, object] = {**subject, "outcome": type(outcome).__name__, "duration_ms": duration_ms}
    if isinstance(outcome, CohortReport | EnterpriseReport):
        extra |= {
            "suppressed_cells": outcome.suppressed_cells,
            "k": outcome.k,
            "policy": str(outcome.policy),
            "suppression": str(outcome.suppression),
        }
        if isinstance(outcome, EnterpriseReport):
            extra["cohort_count"] = len(outcome.cohorts)
    elif isinstance(outcome, ReportDenied):
        extra["reason_codes"] = tuple(r.code for r in outcome.reasons)
    else:
        extra["reason_codes"] = (outcome.reason.code,)
    _analytics_log.debug("analytics report decided", extra=extra)


def cohort_analytics_report(
    cohort_id: CohortId,
    *,
    decision: AccessDecisionLike,
    repository: CohortAnalyticsRepository,
    policy: AnalyticsPolicy = DEFAULT_ANALYTICS_POLICY,
    suppression: SuppressionPolicy = DEFAULT_SUPPRESSION_POLICY,
) -> CohortReportOutcome:
    """The cohort dashboard of *cohort_id*, if *decision* allows it (SPEC §9).

    A denied decision returns :class:`ReportDenied` before any repository
    call. Otherwise at most five batch calls: the cohort, its enterprise's
    cohorts (suppression runs over the whole enterprise so the cohort's figures
    cannot be differenced against the enterprise report), their enrollments,
    the learners' latest completed sessions, and those sessions' results. An
    unknown cohort is :class:`ReportNotFound` (``cohort_not_found``); a failing
    repository is logged at WARNING and gives :class:`ReportUnavailable`.

    Args:
        cohort_id: the cohort.
        decision: the access decision for this viewer and cohort (anything with
            ``allowed`` and ``reasons``, e.g. ``decide_cohort_analytics_access``'s).
        repository: the analytics port.
        policy: counted enrollment statuses, top strengths.
        suppression: small-cohort protection (k).
    """
    subject: dict[str, object] = {"cohort_id": cohort_id}
    outcome: CohortReportOutcome
    with timed() as clock:
        if not decision.allowed:
            outcome = _denied(cohort_id, decision)
        else:
            try:
                cohort = repository.cohorts_by_ids([cohort_id]).get(cohort_id)
                if cohort is None:
                    outcome = ReportNotFound(
                        subject_id=cohort_id,
                        reason=Reason(code="cohort_not_found", message=f"Cohort {cohort_id} does not exist."),
                    )
                else:
                    context = [cohort]
                    if cohort.enterprise_id is not None:
                        siblings = repository.cohorts_for_enterprises([cohort.enterprise_id])
                        context += [c for c in siblings.get(cohort.enterprise_id, ()) if c.id != cohort.id]
                    partial = _partial_for(context, repository, policy)
                    outcome = cohort_report(
                        cohort, partial, enterprise_cohorts=context, policy=policy, suppression=suppression
                    )
            except Exception:
                _analytics_log.warning("analytics repository failed; no report", exc_info=True, extra=subject)
                outcome = ReportUnavailable(subject_id=cohort_id, reason=_ANALYTICS_UNAVAILABLE)
    _log_report(outcome, subject, clock["duration_ms"])
    return outcome


def enterprise_analytics_report(
    enterprise_id: OrgId,
    *,
    decision: AccessDecisionLike,
    repository: CohortAnalyticsRepository,
    policy: AnalyticsPolicy = DEFAULT_ANALYTICS_POLICY,
    suppression: SuppressionPolicy = DEFAULT_SUPPRESSION_POLICY,
) -> EnterpriseReportOutcome:
    """The enterprise dashboard of *enterprise_id*, if *decision* allows it (SPEC §9, §10.6).

    A denied decision returns :class:`ReportDenied` before any repository
    call. An enterprise that sponsors no cohort is :class:`ReportNotFound`
    (``unknown_enterprise``): never every cohort. Otherwise four batch calls
    (cohorts, enrollments, sessions, results) and the report: the rollup over
    the enterprise's distinct learners and a breakdown keyed by cohort id.
    A failing repository is logged at WARNING and gives
    :class:`ReportUnavailable`.

    Args:
        enterprise_id: the sponsoring organisation.
        decision: the access decision for this viewer and enterprise.
        repository: the analytics port.
        policy: counted enrollment statuses, top strengths.
        suppression: small-cohort protection (k).
    """
    subject: dict[str, object] = {"enterprise_id": enterprise_id}
    outcome: EnterpriseReportOutcome
    with timed() as clock:
        if not decision.allowed:
            outcome = _denied(enterprise_id, decision)
        else:
            try:
                found = repository.cohorts_for_enterprises([enterprise_id]).get(enterprise_id, ())
                members = [c for c in found if c.enterprise_id == enterprise_id]
                if not members:
                    outcome = ReportNotFound(
                        subject_id=enterprise_id,
                        reason=Reason(
                            code="unknown_enterprise",
                            message=f"No cohort names enterprise {enterprise_id} as its sponsor.",
                        ),
                    )
                else:
                    partial = _partial_for(members, repository, policy)
                    outcome = enterprise_report(
                        enterprise_id, members, partial, policy=policy, suppression=suppression
                    )
            except Exception:
                _analytics_log.warning("analytics repository failed; no report", exc_info=True, extra=subject)
                outcome = ReportUnavailable(subject_id=enterprise_id, reason=_ANALYTICS_UNAVAILABLE)
    _log_report(outcome, subject, clock["duration_ms"])
    return outcome
