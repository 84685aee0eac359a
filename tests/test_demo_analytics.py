"""Tests for the demo report's analytics section (profiler_core.demo.analytics)."""

from __future__ import annotations

from tests.builders import run_under_hash_seed

from profiler_core.demo import render_report
from profiler_core.demo.analytics import analytics_section
from profiler_core.demo.sample import build_sample_platform


class TestAnalyticsSection:
    def test_renders_a_cohort_report_and_an_enterprise_rollup(self) -> None:
        """The section shows one cohort report and one enterprise rollup, each with score tables."""
        text = analytics_section(build_sample_platform(7))
        assert "Cohort report (k = 3): cohort-a 'Autumn Defenders'" in text
        assert "Enterprise rollup (k = 3): org-acme" in text
        assert text.count("q1 / median / q3") == 3  # the small cohort shows its suppressed blocks too

    def test_has_text_bar_charts_of_tracks_and_readiness(self) -> None:
        """Track and readiness distributions are drawn as text bars with their counts."""
        text = analytics_section(build_sample_platform(7))
        assert text.count("Readiness (overall score):") == 3
        assert text.count("Recommended track:") == 2
        assert "  Defender    ####################  7" in text
        assert "suppressed (fewer than k, or protects one)" in text

    def test_shows_the_suppressed_small_cohort(self) -> None:
        """cohort-c (3 learners) publishes no small count: its headline figures are suppressed, not 0."""
        text = analytics_section(build_sample_platform(7))
        small = text.split("Small cohort (default k = 5): cohort-c 'Pilot'", 1)[1]
        assert small.splitlines()[1].strip() == (
            "learners suppressed, profiled suppressed, not profiled suppressed, profiled share suppressed"
        )
        assert "3 learners" not in text

    def test_same_name_cohorts_stay_apart(self) -> None:
        """The breakdown lists both 'Autumn Defenders' cohorts by id."""
        text = analytics_section(build_sample_platform(7))
        assert "cohort-a  Autumn Defenders" in text
        assert "cohort-b  Autumn Defenders" in text

    def test_refusals_are_typed(self) -> None:
        """A sponsor of another organisation is denied; an enterprise without cohorts is not found."""
        text = analytics_section(build_sample_platform(7))
        assert "sponsor-fay asks for org-globex: denied (analytics_access_denied" in text
        assert "admin-gus asks for org-globex: EnterpriseReport (" in text
        assert "ReportNotFound (unknown_enterprise" in text

    def test_is_the_same_under_any_hash_seed_and_in_the_report(self) -> None:
        """Another hash seed renders the same section for seed 7, and make demo prints it as section 6."""
        code = (
            "import sys; from profiler_core.demo.analytics import analytics_section; "
            "from profiler_core.demo.sample import build_sample_platform; "
            "sys.stdout.write(analytics_section(build_sample_platform(7)))"
        )
        assert run_under_hash_seed(code, 3) == analytics_section(build_sample_platform(7))
        assert "6. Enterprise dashboard: analytics" in render_report(7)
