"""The analytics command's progress meter (issue 16): share read, time elapsed and left, on stderr only."""

from __future__ import annotations

import argparse
import io
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from tests.test_cli_analytics import PLATFORM, in_process, write_exports

from profiler_core._progress import ProgressMeter, duration, size_of
from profiler_core.cli_analytics import add_analytics_command, run_analytics


class FakeClock:
    """A clock that reads the times it is given, one per call (then the last one again)."""

    def __init__(self, *times: float) -> None:
        self.times = list(times)

    def __call__(self) -> float:
        return self.times.pop(0) if len(self.times) > 1 else self.times[0]


class Terminal(io.StringIO):
    """A text stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


class Position:
    """How far a fake input was read, moved by the test."""

    def __init__(self) -> None:
        self.at = 0

    def __call__(self) -> int:
        return self.at


def ticking() -> Callable[[], float]:
    """A fake clock a second apart per reading: 0, 1, 2, ..."""
    counter: Iterator[int] = iter(range(1_000_000))
    return lambda: float(next(counter))


class TestMeter:
    def test_percentage_sequence_and_estimate(self) -> None:
        """Two files of 3 MiB and 1 MiB: the share read grows 25, 50, 75, 100% and the time left shrinks."""
        stream = io.StringIO()
        meter = ProgressMeter(stream, FakeClock(0.0, 10.0, 20.0, 30.0, 40.0), redraw=False)
        first, second = Position(), Position()
        meter.watch(first, 3 * 2**20)
        meter.watch(second, 2**20)
        for source, lines, (a, b) in (
            ("enrollments.jsonl", 100, (2**20, 0)),
            ("enrollments.jsonl", 200, (2 * 2**20, 0)),
            ("sessions.jsonl", 100, (3 * 2**20, 0)),
        ):
            first.at, second.at = a, b
            meter(source, lines)
        second.at = 2**20
        meter.finish(400)
        assert stream.getvalue().splitlines() == [
            "analytics: 25% of 4.0 MiB read, 10s elapsed, about 30s left",
            "analytics: 50% of 4.0 MiB read, 20s elapsed, about 20s left",
            "analytics: 75% of 4.0 MiB read, 30s elapsed, about 10s left",
            "analytics: 100% of 4.0 MiB read, 40s elapsed",
        ]

    def test_an_unknown_size_shows_lines_instead(self) -> None:
        """With standard input among the inputs there is no percentage: lines read over every source."""
        stream = io.StringIO()
        meter = ProgressMeter(stream, FakeClock(0.0, 5.0, 75.0), redraw=False)
        meter.watch(Position(), 1000)
        meter.watch(Position(), None)
        meter("cohorts.jsonl", 20)
        meter("<stdin>", 120_000)
        assert stream.getvalue().splitlines() == [
            "analytics: 20 lines read, 5s elapsed",
            "analytics: 120,020 lines read, 1m15s elapsed",
        ]
        assert "%" not in stream.getvalue()

    def test_a_terminal_redraws_one_line(self) -> None:
        """On a terminal each reading replaces the last (carriage return, clear) and finish ends the line."""
        stream = Terminal()
        position = Position()
        meter = ProgressMeter(stream, ticking(), redraw=True)
        meter.watch(position, 200)
        position.at = 50
        meter("a.jsonl", 10)
        position.at = 200
        meter.finish(40)
        assert stream.getvalue() == (
            "\ranalytics: 25% of 0.0 MiB read, 1s elapsed, about 3s left\x1b[K"
            "\ranalytics: 100% of 0.0 MiB read, 2s elapsed\x1b[K\n"
        )

    def test_nothing_read_yet_gives_no_estimate(self) -> None:
        """At 0% there is no rate to estimate from: no time left is shown."""
        stream = io.StringIO()
        meter = ProgressMeter(stream, FakeClock(0.0, 3.0), redraw=False)
        meter.watch(Position(), 10)
        meter("a.jsonl", 0)
        assert stream.getvalue() == "analytics: 0% of 0.0 MiB read, 3s elapsed\n"

    @pytest.mark.parametrize(
        ("seconds", "text"),
        [(0, "0s"), (59.4, "59s"), (60, "1m00s"), (125, "2m05s"), (3599, "59m59s"), (3720, "1h02m")],
    )
    def test_duration(self, seconds: float, text: str) -> None:
        """Durations read as seconds, minutes and seconds, or hours and minutes."""
        assert duration(seconds) == text

    def test_size_of_a_file_and_of_a_pipe(self, tmp_path: Path) -> None:
        """A regular file has its size; a stream without a file behind it has none."""
        path = tmp_path / "x.jsonl"
        path.write_bytes(b"{}\n" * 7)
        with path.open("rb") as stream:
            assert size_of(stream) == 21
        assert size_of(io.BytesIO(b"{}\n")) is None


def parse(*args: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_analytics_command(parser.add_subparsers())
    return parser.parse_args(["analytics", *args])


def inputs(paths: dict[str, Path]) -> list[str]:
    return [a for name, path in paths.items() for a in (f"--{name}", str(path))]


class TestCommandProgress:
    def test_progress_flag_writes_percentages_to_stderr_never_stdout(self, tmp_path: Path) -> None:
        """With --progress the share read ends at 100% on stderr; stdout is the JSON document alone."""
        paths = write_exports(tmp_path)
        out, err = io.StringIO(), io.StringIO()
        args = parse(*inputs(paths), "--progress", "--progress-every", "10")
        assert run_analytics(args, stdout=out, stderr=err, clock=ticking()) == 0
        lines = err.getvalue().splitlines()
        size = sum(p.stat().st_size for p in paths.values())
        assert f"analytics: 100% of {size / 2**20:,.1f} MiB read" in lines[-2]
        assert all(line.startswith("analytics: ") and "% of " in line for line in lines[:-1])
        assert lines[-1].endswith("lines read, 0 bad")
        assert "analytics:" not in out.getvalue()
        assert json.loads(out.getvalue())["cohorts"] == in_process()["cohorts"]

    def test_no_progress_without_a_terminal_or_the_flag(self, tmp_path: Path) -> None:
        """stderr not a terminal and no --progress: the summary only, no progress line."""
        paths = write_exports(tmp_path)
        err = io.StringIO()
        assert (
            run_analytics(parse(*inputs(paths), "--progress-every", "10"), stdout=io.StringIO(), stderr=err)
            == 0
        )
        assert err.getvalue().count("\n") == 1
        assert "elapsed" not in err.getvalue()

    def test_a_terminal_shows_progress_without_the_flag(self, tmp_path: Path) -> None:
        """stderr a terminal: progress is drawn in place and its line ended before the summary."""
        paths = write_exports(tmp_path)
        err = Terminal()
        args = parse(*inputs(paths), "--progress-every", "10")
        assert run_analytics(args, stdout=io.StringIO(), stderr=err, clock=ticking()) == 0
        drawn, summary = err.getvalue().rsplit("\n", 2)[:2]
        assert drawn.startswith("\ranalytics: ")
        assert "100% of " in drawn.split("\r")[-1]
        assert summary.endswith("lines read, 0 bad")

    def test_a_bad_line_on_a_terminal_starts_on_a_clean_line(self, tmp_path: Path) -> None:
        """On a terminal the progress line is cleared before a bad line is reported, never run into it."""
        paths = write_exports(tmp_path, extra_sessions=["{oops\n"])
        err = Terminal()
        args = parse(*inputs(paths), "--progress-every", "1")
        assert run_analytics(args, stdout=io.StringIO(), stderr=err, clock=ticking()) == 1
        assert re.search(
            r"elapsed[^\n]*\x1b\[K\r\x1b\[Kanalytics: [^\n]*sessions\.jsonl:[0-9]+: not_json", err.getvalue()
        )

    def test_quiet_wins_over_the_flag(self, tmp_path: Path) -> None:
        """--quiet --progress: nothing on stderr when every line is good."""
        err = Terminal()
        args = parse(*inputs(write_exports(tmp_path)), "--quiet", "--progress")
        assert run_analytics(args, stdout=io.StringIO(), stderr=err, clock=ticking()) == 0
        assert err.getvalue() == ""

    def test_standard_input_counts_lines(self, tmp_path: Path) -> None:
        """With '-' among the inputs the progress counts lines read, without a percentage."""
        paths = write_exports(tmp_path)
        stdin = io.BytesIO(paths.pop("sessions").read_bytes())
        err = io.StringIO()
        args = parse(*inputs(paths), "--sessions", "-", "--progress", "--progress-every", "10")
        assert run_analytics(args, stdout=io.StringIO(), stderr=err, stdin=stdin, clock=ticking()) == 0
        progress = err.getvalue().splitlines()[:-1]
        assert progress
        assert all(re.fullmatch(r"analytics: [0-9,]+ lines read, [0-9]+s elapsed", line) for line in progress)
        total = (
            len(PLATFORM.cohorts) + len(PLATFORM.enrollments) + len(PLATFORM.sessions) + len(PLATFORM.results)
        )
        assert progress[-1].startswith(f"analytics: {total:,} lines read")
