"""Tests for the command line's entry points (profiler_core.__main__): ``--version``."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import entry_points

import pytest

import profiler_core
from profiler_core.__main__ import main

VERSION_LINE = f"profiler_core {profiler_core.__version__}\n"


class TestVersion:
    def test_main_prints_the_version_and_exits_0(self, capsys: pytest.CaptureFixture[str]) -> None:
        """main(["--version"]) prints "profiler_core <__version__>" on stdout and exits with status 0."""
        with pytest.raises(SystemExit) as exited:
            main(["--version"])
        assert exited.value.code == 0
        assert capsys.readouterr() == (VERSION_LINE, "")

    def test_python_dash_m_prints_the_version(self) -> None:
        """python -m profiler_core --version prints the version and exits 0 (no command needed)."""
        done = subprocess.run(
            [sys.executable, "-m", "profiler_core", "--version"], capture_output=True, text=True, check=False
        )
        assert (done.returncode, done.stdout, done.stderr) == (0, VERSION_LINE, "")

    def test_the_console_script_is_main(self) -> None:
        """The installed profiler-core console script runs __main__.main, so --version works there too."""
        (script,) = entry_points(group="console_scripts", name="profiler-core")
        assert script.value == "profiler_core.__main__:main"
        assert script.load() is main
