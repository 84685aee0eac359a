"""Test your code against ours: in-memory ports, strategies and contract checks.

* :mod:`profiler_core.testing.fakes` — in-memory implementations of every port
  (re-exported here);
* :mod:`profiler_core.testing.strategies` (and the ``strategies_*`` modules) —
  Hypothesis strategies for every value type; they need ``hypothesis``, which
  the ``testing`` extra installs: ``pip install 'profiler-core[testing]'``;
* :mod:`profiler_core.testing.contracts` — checks a host runs against its own
  adapters to prove they honour each port's contract.

The fakes and the contract checks need nothing beyond the library itself.
"""

from profiler_core.testing.fakes import (
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
    InMemoryValueStatementSource,
)

__all__ = [
    "FailingRepository",
    "InMemoryMissionRepository",
    "InMemorySessionRepository",
    "InMemoryRecipeRepository",
    "InMemoryAuditSink",
    "InMemoryCohortRepository",
    "InMemoryEnrollmentRepository",
    "InMemoryMentorAssignmentRepository",
    "InMemoryValueStatementSource",
    "InMemoryPortfolioRepository",
    "InMemoryJobRepository",
    "InMemoryTalentProfileRepository",
    "InMemoryCohortAnalyticsRepository",
]
