"""Tests for the demo report and the command line."""

from __future__ import annotations

import subprocess
import sys

import pytest

from profiler_core.__main__ import main
from profiler_core.demo import SECTIONS, render_report
from profiler_core.demo.sample import build_sample_platform
from profiler_core.demo.table import bar, table


class TestSamplePlatform:
    def test_deterministic(self) -> None:
        """The same seed builds the same platform; another seed builds another."""
        assert build_sample_platform(3) == build_sample_platform(3)
        assert build_sample_platform(3) != build_sample_platform(4)

    def test_covers_every_status_retakes_and_levels(self) -> None:
        """The sample has completed and incomplete sessions, retakes and missions at all five levels."""
        platform = build_sample_platform()
        assert any(s.is_completed for s in platform.sessions)
        assert any(not s.is_completed for s in platform.sessions)
        per_learner = [sum(1 for s in platform.sessions if s.user_id == u) for u in platform.learners]
        assert max(per_learner) >= 2
        assert {int(m.difficulty) for m in platform.missions} == {1, 2, 3, 4, 5}
        assert any(s.difficulty_selection is None for s in platform.sessions)


class TestReport:
    def test_report_is_deterministic_and_has_every_section(self) -> None:
        """Rendering twice gives the same text, with each section's title."""
        report = render_report()
        assert report == render_report()
        for title, _ in SECTIONS:
            assert title in report

    def test_missions_section_shows_the_integration(self) -> None:
        """The missions section shows selections, ceilings, evidence, next mission and reasons."""
        report = render_report()
        for needle in (
            "selection",
            "ceiling",
            "evidence",
            "next",
            "eligible",
            "5 Master",
            "[no_completed_session]",
        ):
            assert needle in report

    def test_report_carries_no_free_text(self) -> None:
        """The report shows ids, never the learners' free-text reflection answers."""
        platform = build_sample_platform()
        report = render_report()
        answers = {s.reflection.why_cyber for s in platform.sessions if s.reflection.why_cyber}
        assert answers
        leaked = [a for a in answers if a in report.split("4. Portfolio")[0]]
        assert not leaked


class TestTable:
    def test_table_aligns_columns(self) -> None:
        """Columns are padded to the widest cell."""
        assert table(("a", "bb"), [("ccc", "d")]).splitlines() == ["a    bb", "---  --", "ccc  d"]

    @pytest.mark.parametrize(
        ("value", "total", "expected"), [(0, 10, "...."), (5, 10, "##.."), (10, 10, "####"), (1, 0, "....")]
    )
    def test_bar(self, value: float, total: float, expected: str) -> None:
        """Bars scale value/total to the width; a zero total draws an empty bar."""
        assert bar(value, total, width=4) == expected


class TestCommandLine:
    def test_demo_command_prints_report(self, capsys: pytest.CaptureFixture[str]) -> None:
        """`python -m profiler_core demo` prints the report and exits 0."""
        assert main(["demo", "--seed", "7"]) == 0
        assert capsys.readouterr().out == render_report(7)

    def test_module_entry_point_runs(self) -> None:
        """The package runs as a module in a fresh interpreter."""
        done = subprocess.run(
            [sys.executable, "-m", "profiler_core", "demo"], capture_output=True, text=True, check=True
        )
        assert done.stdout.startswith("profiler_core demo report")

    def test_import_needs_no_web_framework(self) -> None:
        """Importing profiler_core loads no web framework or ORM."""
        code = (
            "import sys, profiler_core, profiler_core.services, profiler_core.testing;"
            "heavy = {'django', 'fastapi', 'sqlalchemy', 'hypothesis'};"
            "bad = [m for m in sys.modules if m.split('.')[0] in heavy];"
            "print(bad)"
        )
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        assert done.stdout.strip() == "[]"
