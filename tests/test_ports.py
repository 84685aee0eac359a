"""Ports compose by inheritance: each method and its contract is declared once."""

from __future__ import annotations

import inspect

import pytest

from profiler_core import ports

# (combined port, the ports it is made of)
COMPOSED = [
    (ports.PortfolioRepository, (ports.ValueStatementSource,)),
    (ports.EnrollmentRepository, (ports.CohortEnrollmentRepository,)),
    (
        ports.CohortAnalyticsRepository,
        (ports.CohortRepository, ports.CohortEnrollmentRepository, ports.SessionRepository),
    ),
]


def _declared(port: type) -> set[str]:
    return {
        name for name, value in vars(port).items() if inspect.isfunction(value) and not name.startswith("_")
    }


class TestComposition:
    @pytest.mark.parametrize(("port", "parts"), COMPOSED, ids=lambda p: getattr(p, "__name__", ""))
    def test_combined_port_subclasses_its_parts(self, port: type, parts: tuple[type, ...]) -> None:
        """A combined port is a Protocol subclassing the ports whose methods it needs."""
        assert [part for part in parts if part not in port.__mro__] == []

    @pytest.mark.parametrize(("port", "parts"), COMPOSED, ids=lambda p: getattr(p, "__name__", ""))
    def test_combined_port_redeclares_none_of_its_parts_methods(
        self, port: type, parts: tuple[type, ...]
    ) -> None:
        """A combined port declares no method one of its parts already declares."""
        inherited = set().union(*(_declared(part) for part in parts))
        assert _declared(port) & inherited == set()

    def test_analytics_port_needs_exactly_what_the_reports_read(self) -> None:
        """CohortAnalyticsRepository asks for the five reads of a report, not enrollments by user."""
        methods = {name for name in dir(ports.CohortAnalyticsRepository) if not name.startswith("_")}
        assert methods == {
            "cohorts_by_ids",
            "cohorts_for_enterprises",
            "enrollments_for_cohorts",
            "latest_completed_sessions",
            "results_for_sessions",
        }
