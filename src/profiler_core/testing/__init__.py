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
# [issue 4 imports]
# [issue 5 imports]
# [issue 6 imports]
# [issue 7 imports]

__all__ = [
    "FailingRepository",
    "InMemoryMissionRepository",
    "InMemorySessionRepository",
    # [issue 3 names]
    # [issue 4 names]
    # [issue 5 names]
    # [issue 6 names]
    # [issue 7 names]
]
