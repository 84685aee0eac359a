"""Tests for profiler_core.audit: the audit record of an access decision (SPEC §5)."""

from __future__ import annotations

from datetime import datetime

import pytest
from attrs import evolve
from tests.access_builders import LEARNER, NOW, VIEWER, assignment, grant, results_access, viewer

from profiler_core import PolicyRef
from profiler_core.audit import AccessAction, AccessRule, AuditOutcome, AuditRecord
from profiler_core.errors import InvalidValueError
from profiler_core.vocabulary import Role


class TestDecisionValues:
    def test_audit_record_describes_the_decision(self) -> None:
        """The audit record holds viewer, subject, action, outcome, view, rule, codes, policy and now."""
        decision = results_access(viewer(grant(Role.MENTOR)), [assignment()])
        assert decision.audit == AuditRecord(
            viewer_id=VIEWER,
            action=AccessAction.VIEW_RESULTS,
            subject_id=LEARNER,
            outcome=AuditOutcome.ALLOWED,
            view="mentor",
            rule=AccessRule.MENTOR_DIRECT_ASSIGNMENT,
            reason_codes=("mentor_assignment_active",),
            policy=PolicyRef(id="access", version=1),
            at=NOW,
        )

    def test_audit_time_must_be_aware(self) -> None:
        """An audit record with a naive time cannot be built."""
        with pytest.raises(InvalidValueError, match="at"):
            evolve(results_access(viewer()).audit, at=datetime(2026, 1, 1))
