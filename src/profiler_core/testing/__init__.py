"""Test your code against ours: in-memory ports, strategies and contract checks.

* :mod:`profiler_core.testing.fakes` — in-memory implementations of every port
  (re-exported here);
* :mod:`profiler_core.testing.strategies` — Hypothesis strategies for every
  value type (needs ``hypothesis``: ``pip install profiler-core[testing]``);
* :mod:`profiler_core.testing.contracts` — checks a host runs against its own
  adapters to prove they honour each port's contract.
"""

from profiler_core.testing.fakes import (
    FailingRepository,
    InMemoryMissionRepository,
    InMemorySessionRepository,
)

# [issue 3 imports]
from profiler_core.testing.fakes import InMemoryRecipeRepository
# [issue 4 imports]
from profiler_core.testing.fakes import (
    InMemoryAuditSink,
    InMemoryCohortRepository,
    InMemoryEnrollmentRepository,
    InMemoryMentorAssignmentRepository,
    InMemoryValueStatementSource,
)
# [issue 5 imports]
from profiler_core.testing.fakes import InMemoryPortfolioRepository
# [issue 6 imports]
from profiler_core.testing.fakes import (
    InMemoryJobRepository,
    InMemoryTalentProfileRepository,
)
# [issue 7 imports]
from profiler_core.testing.fakes import InMemoryCohortAnalyticsRepository

__all__ = [
    "FailingRepository",
    "InMemoryMissionRepository",
    "InMemorySessionRepository",
    # [issue 3 names]
    "InMemoryRecipeRepository",
    # [issue 4 names]
    "InMemoryAuditSink",
    "InMemoryCohortRepository",
    "InMemoryEnrollmentRepository",
    "InMemoryMentorAssignmentRepository",
    "InMemoryValueStatementSource",
    # [issue 5 names]
    "InMemoryPortfolioRepository",
    # [issue 6 names]
    "InMemoryJobRepository",
    "InMemoryTalentProfileRepository",
    # [issue 7 names]
    "InMemoryCohortAnalyticsRepository",
]
