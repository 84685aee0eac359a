"""The audit record of an access decision (SPEC §5): who asked what about whom, the answer and why.

Every :class:`~profiler_core.access.AccessDecision` carries an
:class:`AuditRecord`; the enums here are its vocabulary: the question asked
(:class:`AccessAction`), the rule that decided (:class:`AccessRule`) and the
outcome (:class:`AuditOutcome`).
"""

from __future__ import annotations

import enum
from datetime import datetime

from attrs import field, frozen

from profiler_core.decisions import PolicyRef
from profiler_core.field_rules import _strings
from profiler_core.models import (
    UserId,
    _to_id,
    _valid_id,
    require_aware,
)

__all__ = ["AccessAction", "AccessRule", "AuditOutcome", "AuditRecord"]


class AccessAction(enum.StrEnum):
    """The question a decision answers (the audit record's ``action``)."""

    VIEW_RESULTS = "view_results"
    VIEW_COHORT_ANALYTICS = "view_cohort_analytics"
    VIEW_ENTERPRISE_ANALYTICS = "view_enterprise_analytics"


class AccessRule(enum.StrEnum):
    """The rule that decided: which source of access allowed, or ``default_deny``."""

    SELF = "self"
    STAFF = "staff"
    ADMIN_GLOBAL = "admin_global"
    ANALYST_SCOPE = "analyst_scope"
    DIRECTOR_SCOPE = "director_scope"
    MENTOR_DIRECT_ASSIGNMENT = "mentor_direct_assignment"
    MENTOR_COHORT_ASSIGNMENT = "mentor_cohort_assignment"
    MENTOR_TRACK_ASSIGNMENT = "mentor_track_assignment"
    SPONSOR_ADMIN_ORG = "sponsor_admin_org"
    DEFAULT_DENY = "default_deny"


class AuditOutcome(enum.StrEnum):
    """The audit record's ``outcome``."""

    ALLOWED = "allowed"
    DENIED = "denied"


def _aware_now(_inst: object, _attribute: object, value: datetime) -> None:
    require_aware(value, field="at")


@frozen(kw_only=True)
class AuditRecord:
    """What an auditor keeps of one decision: who asked what about whom, the answer and why.

    Attributes:
        viewer_id: the viewer.
        action: the question asked.
        subject_id: the learner, cohort or enterprise asked about.
        outcome: ``allowed`` or ``denied``.
        view: the view granted (``none`` when denied).
        rule: the rule that decided.
        reason_codes: the decision's reason codes, in order.
        policy: the policy that decided.
        at: the ``now`` the decision was made at (never read from a clock).
    """

    viewer_id: UserId = field(converter=_to_id, validator=_valid_id)
    action: AccessAction
    subject_id: str = field(converter=_to_id, validator=_valid_id)
    outcome: AuditOutcome
    view: str
    rule: AccessRule
    reason_codes: tuple[str, ...] = field(converter=_strings)
    policy: PolicyRef
    at: datetime = field(validator=_aware_now)
