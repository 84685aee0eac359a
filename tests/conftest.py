"""Shared test configuration: Hypothesis profiles."""

from __future__ import annotations

from hypothesis import HealthCheck, settings

# "ci" is what `make test` uses: no deadline (shared CI machines are noisy).
settings.register_profile("ci", deadline=None, max_examples=100, suppress_health_check=[HealthCheck.too_slow])
# "thorough" for deeper local runs: pytest --hypothesis-profile=thorough
settings.register_profile("thorough", deadline=None, max_examples=2000)
settings.load_profile("ci")
