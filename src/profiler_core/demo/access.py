"""Demo section: the mentorship layer and every access rule (SPEC §5)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from profiler_core.access import DEFAULT_ACCESS_POLICY
from profiler_core.demo.sample import SamplePlatform
from profiler_core.demo.table import table
from profiler_core.models import MentorAssignment, OrgId, PortfolioEntry, Principal, RoleGrant, UserId
from profiler_core.serialization import unstructure_object
from profiler_core.services import (
    AnalyticsAllowed,
    AnalyticsDenied,
    AnalyticsGate,
    MenteeResults,
    ResultsAllowed,
    ResultsDenied,
    cohort_analytics_gate,
    enterprise_analytics_gate,
    mentee_results,
)
from profiler_core.testing.fakes import (
    InMemoryAuditSink,
    InMemoryCohortRepository,
    InMemoryEnrollmentRepository,
    InMemoryMentorAssignmentRepository,
    InMemorySessionRepository,
    InMemoryValueStatementSource,
)
from profiler_core.vocabulary import Scope, Visibility

__all__ = ["access_section"]

_ANALYTICS_VIEWERS = ("director-dee", "director-eve", "sponsor-fay", "admin-gus", "staff-hal", "mentor-ada")


def _grants(viewer: Principal) -> str:
    parts = ["is_staff"] if viewer.is_staff else []
    parts += [_grant(g) for g in viewer.roles]
    return ", ".join(parts) or "-"


def _grant(grant: RoleGrant) -> str:
    scope = "" if grant.scope is Scope.GLOBAL else f"@{grant.scope.value}:{grant.scope_ref}"
    return f"{grant.role.value}{scope}"


def _assignments(viewer: Principal, assignments: tuple[MentorAssignment, ...], now: datetime) -> str:
    mine = [a for a in assignments if a.mentor_id == viewer.user_id]
    return ", ".join(_assignment(a, now) for a in mine) or "-"


def _assignment(assignment: MentorAssignment, now: datetime) -> str:
    target = assignment.mentee_id or assignment.cohort_id or assignment.track
    expired = " (expired)" if assignment.expires_at is not None and assignment.expires_at <= now else ""
    return f"{assignment.id} {assignment.assignment_type.value}:{target} {assignment.status.value}{expired}"


def _cell(outcome: AnalyticsGate) -> str:
    if isinstance(outcome, AnalyticsAllowed):
        return outcome.decision.view.value
    if isinstance(outcome, AnalyticsDenied):
        return "denied"
    return "not found"


def access_section(platform: SamplePlatform) -> str:
    """Who may see learner-001's results (and why), what a mentor sees, and the analytics gates."""
    learner = platform.learners[0]
    now = platform.now
    sessions = InMemorySessionRepository(platform.sessions, platform.results)
    assignments = InMemoryMentorAssignmentRepository(platform.assignments)
    enrollments = InMemoryEnrollmentRepository(platform.enrollments)
    cohorts = InMemoryCohortRepository(platform.cohorts)
    audit = InMemoryAuditSink()
    statement = PortfolioEntry(
        id=None,
        user_id=learner,
        title="My Value Statement",
        summary="(the learner's value statement)",
        item_type="reflection",
        status="approved",
        visibility=Visibility.PRIVATE,
    )
    statements = InMemoryValueStatementSource([statement])
    rows, details = [], []
    outcomes: dict[UserId, MenteeResults] = {}
    for viewer in platform.principals:
        outcome = mentee_results(
            viewer,
            learner,
            sessions=sessions,
            assignments=assignments,
            enrollments=enrollments,
            cohorts=cohorts,
            statements=statements,
            audit=audit,
            now=now,
        )
        outcomes[viewer.user_id] = outcome
        decision = outcome.decision
        rows.append(
            (
                viewer.user_id,
                _grants(viewer),
                _assignments(viewer, platform.assignments, now),
                "allowed" if isinstance(outcome, ResultsAllowed) else "denied",
                decision.view.value,
                decision.rule.value,
                decision.reasons[0].code,
            )
        )
        details.append(
            f"  {viewer.user_id}: " + " ".join(f"[{r.code}] {r.message}" for r in decision.reasons)
        )
    header = ("viewer", "grants", "assignments", "outcome", "view", "rule", "reason")

    lines = [
        f"Policy {DEFAULT_ACCESS_POLICY.ref}. Who may see {learner}'s profiler results? "
        "Each source of access is judged alone; the widest wins.",
        table(header, rows),
        "",
        "Reasons:",
        *details,
        "",
        *_views(outcomes, learner),
        "",
        *_analytics(platform, cohorts, audit),
        "",
        f"Audit: {len(audit.records)} records written "
        f"({sum(1 for r in audit.records if r.outcome.value == 'denied')} denials).",
    ]
    return "\n".join(lines)


def _views(outcomes: Mapping[UserId, MenteeResults], learner: UserId) -> list[str]:
    mentor = outcomes.get(UserId("mentor-ada"))
    admin = outcomes.get(UserId("admin-gus"))
    own = outcomes.get(learner)
    if not (
        isinstance(mentor, ResultsAllowed)
        and isinstance(admin, ResultsAllowed)
        and isinstance(own, ResultsAllowed)
    ):
        return ["(the sample platform no longer has the expected mentor, admin and learner)"]
    payload = unstructure_object(mentor)
    scores = mentor.projection.scores
    anti = admin.projection.anti_cheat
    flags = ", ".join(anti.flags) if anti and anti.flags else "none"
    lines = [
        "What mentor-ada sees (mentee-results payload, mentor view):",
        f"  keys: {', '.join(payload)}",
        f"  scores: overall {scores.overall}, aptitude {scores.aptitude}, behavioral {scores.behavioral}, "
        f"technical exposure {scores.technical_exposure}",
        f"  recommended track: {mentor.projection.recommended_track}, "
        f"confidence {mentor.projection.track_confidence}",
        f"  strengths: {', '.join(mentor.projection.strengths)}; "
        f"areas for growth: {', '.join(mentor.projection.areas_for_growth)}",
        f"  value_statement: {'shown' if payload['value_statement'] else 'hidden'} (the entry is private; "
        f"{learner} {'sees' if own.projection.value_statement else 'does not see'} it in their own view)",
        "  anti_cheat: not in the mentor view at all; the admin view adds "
        f"score {anti.score if anti else '-'}, flags {flags}",
    ]
    denied = [uid for uid, o in outcomes.items() if isinstance(o, ResultsDenied)]
    lines.append(f"  denied viewers get only the decision (a 403 with its reasons): {', '.join(denied)}")
    return lines


def _analytics(
    platform: SamplePlatform, cohorts: InMemoryCohortRepository, audit: InMemoryAuditSink
) -> list[str]:
    subjects = [c.id for c in platform.cohorts]
    enterprises = [OrgId("org-acme"), OrgId("org-globex"), OrgId("org-unknown")]
    by_id = {p.user_id: p for p in platform.principals}
    rows = []
    for uid in _ANALYTICS_VIEWERS:
        viewer = by_id[UserId(uid)]
        cells = [
            _cell(cohort_analytics_gate(viewer, cid, cohorts=cohorts, audit=audit, now=platform.now))
            for cid in subjects
        ]
        cells += [
            _cell(enterprise_analytics_gate(viewer, org, cohorts=cohorts, audit=audit, now=platform.now))
            for org in enterprises
        ]
        rows.append((uid, _grants(viewer), *cells))
    header = ("viewer", "grants", *subjects, *enterprises)
    return [
        "Analytics gates (cohort analytics, then enterprise analytics; a cell is the view granted):",
        table(header, rows),
    ]
