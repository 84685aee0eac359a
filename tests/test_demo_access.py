"""Tests for the demo report's access section (profiler_core.demo.access)."""

from __future__ import annotations

import pytest
from attrs import evolve
from tests.builders import run_under_hash_seed

from profiler_core.demo import SECTIONS, render_report
from profiler_core.demo.access import access_section
from profiler_core.demo.sample import build_sample_platform


@pytest.fixture(scope="module")
def section() -> str:
    return access_section(build_sample_platform())


def _row(text: str, viewer: str) -> str:
    return next(line for line in text.splitlines() if line.startswith(f"{viewer} "))


class TestAccessSection:
    def test_is_in_the_report(self) -> None:
        """The report lists the section as "3. Mentorship and access" and renders it."""
        assert ("3. Mentorship and access", access_section) in SECTIONS
        assert "3. Mentorship and access\n------------------------" in render_report()

    def test_the_same_under_any_hash_seed(self) -> None:
        """An interpreter with another hash seed renders the same section for the same sample."""
        code = (
            "import sys; from profiler_core.demo.access import access_section; "
            "from profiler_core.demo.sample import build_sample_platform; "
            "sys.stdout.write(access_section(build_sample_platform()))"
        )
        assert run_under_hash_seed(code, 3) == access_section(build_sample_platform())

    @pytest.mark.parametrize(
        ("viewer", "outcome", "reason"),
        [
            ("learner-001", "allowed", "viewer_is_learner"),
            ("learner-002", "denied", "role_not_permitted"),
            ("mentor-ada", "allowed", "mentor_assignment_active"),
            ("mentor-bob", "denied", "assignment_not_active"),
            ("mentor-cy", "denied", "assignment_expired"),
            ("director-dee", "allowed", "director_scope_covers"),
            ("director-eve", "denied", "scope_not_covering"),
            ("sponsor-fay", "denied", "role_not_permitted"),
            ("admin-gus", "allowed", "admin_global_grant"),
            ("staff-hal", "allowed", "viewer_is_staff"),
        ],
    )
    def test_matrix_row_per_principal(self, section: str, viewer: str, outcome: str, reason: str) -> None:
        """Each sample principal has a row with its decision and first reason code against learner-001."""
        row = _row(section, viewer)
        assert f" {outcome} " in row
        assert row.endswith(reason)

    def test_paused_and_expired_assignments_are_shown(self, section: str) -> None:
        """The matrix shows the paused and the expired assignment that are refused."""
        assert "asg-2 direct:learner-001 paused" in _row(section, "mentor-bob")
        assert "asg-3 cohort:cohort-a active (expired)" in _row(section, "mentor-cy")

    def test_mentor_view_has_no_anti_cheat(self, section: str) -> None:
        """The mentor payload's keys exclude anti_cheat and the private statement is hidden."""
        keys = next(line for line in section.splitlines() if line.strip().startswith("keys:"))
        assert "anti_cheat" not in keys
        assert "scores" in keys
        assert "value_statement: hidden" in section

    def test_analytics_gates(self, section: str) -> None:
        """The analytics table shows sponsors limited to their enterprise and admins seeing everything."""
        lines = section.split("Analytics gates", 1)[1]
        assert _row(lines, "sponsor-fay").split()[-6:] == [
            "sponsor",
            "sponsor",
            "denied",
            "sponsor",
            "denied",
            "denied",
        ]
        assert _row(lines, "admin-gus").split()[-7:] == [
            "admin",
            "admin",
            "admin",
            "admin",
            "admin",
            "not",
            "found",
        ]
        assert _row(lines, "director-dee").split()[-6:] == [
            "director",
            "denied",
            "denied",
            "denied",
            "denied",
            "denied",
        ]
        assert "Audit: " in section

    def test_degrades_when_the_sample_changes(self) -> None:
        """Without mentor-ada's assignment the section still renders and says what it cannot show."""
        platform = build_sample_platform()
        changed = evolve(platform, assignments=tuple(a for a in platform.assignments if a.id != "asg-1"))
        text = access_section(changed)
        assert _row(text, "mentor-ada").endswith("no_assignment")
        assert "no longer has the expected mentor" in text
