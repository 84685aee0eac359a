"""Shared test configuration: Hypothesis profiles and the run's seed.

Both profiles draw fresh examples on every run (``derandomize=False``) and keep
no example database (``database=None``): a run depends only on the code and on
its seed, never on a ``.hypothesis/`` directory left by an earlier run. ``make
pytest`` passes a fresh ``--hypothesis-seed``, printed in the header and again
after a failure, so ``make pytest SEED=<n>`` replays a failing run exactly; a
failing example also prints its ``@reproduce_failure`` blob (docs/decisions.md,
"Tests").
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, settings

SEED_OPTION = "--hypothesis-seed"

# Built on Hypothesis's "default" profile, not on whatever is loaded: with CI=true
# Hypothesis loads its own "ci" profile (derandomize=True), which would otherwise leak in.
settings.register_profile(
    "ci",
    parent=settings.get_profile("default"),
    deadline=None,
    max_examples=100,
    derandomize=False,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
# "thorough" for deeper local runs: pytest --hypothesis-profile=thorough (or make test-seeds PROFILE=thorough)
settings.register_profile("thorough", parent=settings.get_profile("ci"), max_examples=2000)
settings.load_profile("ci")


def _seed_line(config: pytest.Config) -> str:
    seed = config.getoption(SEED_OPTION)
    if seed is None:
        return "hypothesis seed: fresh per test (pass --hypothesis-seed=N, or make pytest SEED=N, to fix it)"
    return (
        f"hypothesis seed: {seed} (replay this run with --hypothesis-seed={seed}, or make pytest SEED={seed})"
    )


def pytest_report_header(config: pytest.Config) -> str:
    """Name the run's Hypothesis seed before any test runs."""
    return _seed_line(config)


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, exitstatus: int, config: pytest.Config
) -> None:
    """Repeat the seed after a failed run, where the reader is looking."""
    if exitstatus not in (pytest.ExitCode.OK, pytest.ExitCode.NO_TESTS_COLLECTED):
        terminalreporter.write_line(_seed_line(config))
