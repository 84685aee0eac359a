"""Tests for the demo report and the command line."""

from __future__ import annotations

import subprocess
import sys

import pytest
from tests.builders import run_under_hash_seed

from profiler_core.__main__ import main
from profiler_core.demo import SECTIONS, render_report
from profiler_core.demo.sample import build_sample_platform
from profiler_core.demo.table import bar, table

REPORT_CODE = "import sys; from profiler_core.demo import render_report; sys.stdout.write(render_report(7))"
PLATFORM_CODE = (
    "import sys; from profiler_core.demo.sample import build_sample_platform; "
    "sys.stdout.write(repr(build_sample_platform(3)))"
)


class TestSamplePlatform:
    def test_the_same_seed_builds_the_same_platform_under_any_hash_seed(self) -> None:
        """Seed 3 builds the same platform in interpreters with different hash seeds; seed 4 another."""
        here = repr(build_sample_platform(3))
        assert {run_under_hash_seed(PLATFORM_CODE, seed) for seed in (1, 2)} == {here}
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
    def test_report_is_the_same_under_any_hash_seed(self) -> None:
        """Interpreters with different hash seeds render the same report text for the same sample."""
        here = render_report(7)
        assert {run_under_hash_seed(REPORT_CODE, seed) for seed in (1, 2)} == {here}

    def test_report_has_every_section_in_order(self) -> None:
        """The report shows each section's numbered title, in the order of SECTIONS."""
        report = render_report()
        titles = [
            "1. Missions engine: difficulty ceiling",
            "2. Recipe engine: gaps and recipes",
            "3. Mentorship and access",
            "4. Portfolio and leadership",
            "5. Marketplace: talent matching",
            "6. Enterprise dashboard: analytics",
        ]
        assert [title for title, _ in SECTIONS] == titles
        positions = [report.index(f"{title}\n{'-' * len(title)}") for title in titles]
        assert positions == sorted(positions)

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
