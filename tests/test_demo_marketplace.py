"""Tests for the demo report's marketplace section."""

from __future__ import annotations

from tests.builders import run_under_hash_seed

from profiler_core.demo import SECTIONS, render_report
from profiler_core.demo.marketplace import marketplace_section
from profiler_core.demo.sample import build_sample_platform


class TestMarketplaceSection:
    def test_section_shows_top_jobs_and_top_candidates(self) -> None:
        """The section lists a learner's top jobs with breakdowns and a job's top candidates."""
        text = marketplace_section(build_sample_platform(7))
        assert "Top 3 jobs for learner-001" in text
        assert "rank  job     score  skills  track  level  readiness" in text
        assert "Top 5 candidates for job-01" in text
        assert "Missing skills and the recipes that teach them:" in text

    def test_section_shows_closed_jobs_and_the_profiler_prompt(self) -> None:
        """Inactive and expired jobs are closed to search; an unprofiled learner is asked to finish."""
        text = marketplace_section(build_sample_platform(7))
        assert "job-06: job_closed [job_inactive]" in text
        assert "job-07: job_closed [job_deadline_passed]" in text
        assert "no (inactive)" in text
        assert "no (deadline passed)" in text
        assert "(profiler_incomplete): Complete the profiler to see your job matches." in text

    def test_section_is_in_the_report_and_the_same_under_any_hash_seed(self) -> None:
        """The report includes section 5; another hash seed renders the same section for seed 7."""
        assert "5. Marketplace: talent matching" in [title for title, _ in SECTIONS]
        code = (
            "import sys; from profiler_core.demo.marketplace import marketplace_section; "
            "from profiler_core.demo.sample import build_sample_platform; "
            "sys.stdout.write(marketplace_section(build_sample_platform(7)))"
        )
        assert run_under_hash_seed(code, 3) == marketplace_section(build_sample_platform(7))
        assert "5. Marketplace: talent matching" in render_report(7)
