"""Tests for the demo report's portfolio and leadership section."""

from __future__ import annotations

from tests.builders import run_under_hash_seed

from profiler_core.demo import SECTIONS, render_report
from profiler_core.demo.portfolio import portfolio_section
from profiler_core.demo.sample import build_sample_platform


class TestPortfolioSection:
    def test_listed_fourth_in_the_report(self) -> None:
        """The report has the section "4. Portfolio and leadership", rendered by portfolio_section."""
        assert ("4. Portfolio and leadership", portfolio_section) in SECTIONS
        assert "4. Portfolio and leadership\n---------------------------" in render_report()

    def test_the_same_under_any_hash_seed(self) -> None:
        """An interpreter with another hash seed renders the same section for the same sample."""
        code = (
            "import sys; from profiler_core.demo.portfolio import portfolio_section; "
            "from profiler_core.demo.sample import build_sample_platform; "
            "sys.stdout.write(portfolio_section(build_sample_platform()))"
        )
        assert run_under_hash_seed(code, 3) == portfolio_section(build_sample_platform())

    def test_shows_complete_partial_and_no_reflection(self) -> None:
        """Learners with complete, partial and no reflection get their statements, with sources."""
        text = portfolio_section(build_sample_platform())
        for needle in (
            "learner-001 (complete reflection): Why I chose cybersecurity: I want to protect people "
            "from online fraud. What I want to achieve: I want to lead a security operations team. "
            "What I value: ",
            "learner-002 (partial reflection): Why I chose cybersecurity: Solving puzzles under "
            "pressure keeps me curious. What I value: ",
            "learner-003 (no reflection, identity answers only): What I value: ",
            "I am committed to advancing in cybersecurity.",
            "purpose.v1<why_cyber> impact.v1<what_achieve> value.v1<identity-0,identity-1>",
            "[value_statement_created]",
        ):
            assert needle in text

    def test_shows_idempotence_edits_and_leadership(self) -> None:
        """A second sync keeps, an edit survives, the identity is seeded, and not-found has its message."""
        text = portfolio_section(build_sample_platform())
        for needle in (
            "sync again: keep for every learner, 0 new saves; 1 entry for learner-001.",
            "[edit_applied]; completion runs again: [learner_edit_preserved]",
            "suggestion kept beside it: True",
            "Executive Security Leadership",
            "impact, purpose, leadership_reflection",
            "learner-006: Value statement not found. Please complete profiler first.",
            "mastery: In 8 to 10 sentences",
        ):
            assert needle in text
