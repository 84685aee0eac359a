"""Tests for ``python -m profiler_core analytics`` (profiler_core.cli_analytics)."""

from __future__ import annotations

import argparse
import errno
import gzip
import io
import json
import re
import subprocess
import sys
from collections.abc import Callable, Collection, Iterable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from profiler_core import CohortId, OrgId, ProfilerSession, accumulation, errors, unstructure
from profiler_core.__main__ import main
from profiler_core.analytics import (
    AnalyticsAccumulator,
    SuppressionPolicy,
    cohort_reports,
    enterprise_report,
    partial_from_values,
)
from profiler_core.cli_analytics import (
    AnalyticsExport,
    FileSummary,
    LineProblem,
    add_analytics_command,
    export_report,
    read_export,
    run_analytics,
)
from profiler_core.demo.sample import build_sample_platform
from profiler_core.errors import InvalidValueError, UnknownValueError

PLATFORM = build_sample_platform(7)


def jsonl(values: Iterable[object]) -> list[str]:
    return [json.dumps(unstructure(v)) + "\n" for v in values]


def write_exports(directory: Path, *, extra_sessions: Iterable[str] = ()) -> dict[str, Path]:
    files = {
        "cohorts": jsonl(PLATFORM.cohorts),
        "enrollments": jsonl(PLATFORM.enrollments),
        "sessions": [*jsonl(PLATFORM.sessions), *extra_sessions],
        "results": jsonl(PLATFORM.results),
    }
    paths = {}
    for name, lines in files.items():
        paths[name] = directory / f"{name}.jsonl"
        paths[name].write_text("".join(lines), encoding="utf-8")
    return paths


def argv(paths: dict[str, Path], *extra: str) -> list[str]:
    args = ["analytics", "--quiet"]
    for name, path in paths.items():
        args += [f"--{name}", str(path)]
    return [*args, *extra]


def in_process(k: int = 5) -> dict[str, object]:
    """The reports computed from the platform's values, without the command."""
    partial = partial_from_values(
        enrollments=PLATFORM.enrollments, sessions=PLATFORM.sessions, results=PLATFORM.results
    )
    suppression = SuppressionPolicy(k=k)
    enterprises = sorted({c.enterprise_id for c in PLATFORM.cohorts if c.enterprise_id})
    return {
        "enterprises": {
            e: unstructure(enterprise_report(OrgId(e), PLATFORM.cohorts, partial, suppression=suppression))
            for e in enterprises
        },
        "cohorts": {
            cid: unstructure(r)
            for cid, r in cohort_reports(PLATFORM.cohorts, partial, suppression=suppression).items()
        },
    }


class TestCommand:
    def test_reports_equal_the_in_process_reports(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """The command's enterprise and cohort reports equal those computed from the values directly."""
        status = main(argv(write_exports(tmp_path)))
        document = json.loads(capsys.readouterr().out)
        assert status == 0
        expected = in_process()
        assert document["enterprises"] == expected["enterprises"]
        assert document["cohorts"] == expected["cohorts"]
        assert document["input"]["bad_lines"] == 0

    def test_bad_lines_are_reported_with_line_numbers_and_counted(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Bad lines go to stderr as file:line: code: detail, are counted, and make the status 1."""
        bad = [
            '{"id": "x", "user_id": "learner-001", "status": "finished", "aptitude_score": 987654}\n',
            "{not json\n",
            "[1, 2]\n",
        ]
        paths = write_exports(tmp_path, extra_sessions=bad)
        status = main(argv(paths, "--k", "3"))
        captured = capsys.readouterr()
        first = len(PLATFORM.sessions) + 1
        assert status == 1
        assert f"sessions.jsonl:{first}: invalid_payload: $.aptitude_score: " in captured.err
        # the path and problem code, never the value (tmp_path is removed first: it is not ours to control)
        assert "987654" not in captured.err.replace(str(tmp_path), "<tmp>")
        assert f"sessions.jsonl:{first + 1}: not_json: " in captured.err
        assert f"sessions.jsonl:{first + 2}: invalid_payload: $: " in captured.err
        document = json.loads(captured.out)
        sessions = next(f for f in document["input"]["files"] if f["source"].endswith("sessions.jsonl"))
        assert (sessions["lines"], sessions["bad"]) == (first + 2, 3)
        assert document["input"]["bad_lines"] == 3
        assert document["cohorts"] == in_process(k=3)["cohorts"]  # the good lines still count

    def test_progress_goes_to_stderr(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """With --progress (and no --quiet) progress and a summary go to stderr; stdout holds only JSON."""
        paths = write_exports(tmp_path)
        args = [a for a in argv(paths) if a != "--quiet"]
        assert main([*args, "--progress", "--progress-every", "10"]) == 0
        captured = capsys.readouterr()
        assert re.search(
            r"^analytics: 100% of [0-9.]+ MiB read, [0-9]+s elapsed$", captured.err, re.MULTILINE
        )
        assert "lines read, 0 bad" in captured.err
        json.loads(captured.out)

    def test_out_writes_a_file(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """--out writes the JSON to a file and nothing to stdout."""
        target = tmp_path / "report.json"
        assert main(argv(write_exports(tmp_path), "--out", str(target))) == 0
        assert capsys.readouterr().out == ""
        assert json.loads(target.read_text(encoding="utf-8"))["kind"] == "analytics_report"

    def test_selection_and_unknown_ids(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """--enterprise/--cohort report exactly those; unknown ids are not_found, never everything."""
        paths = write_exports(tmp_path)
        status = main(
            argv(
                paths,
                "--enterprise",
                "org-acme",
                "--enterprise",
                "org-nope",
                "--cohort",
                "cohort-c",
                "--cohort",
                "x",
            )
        )
        document = json.loads(capsys.readouterr().out)
        assert status == 0
        assert list(document["enterprises"]) == ["org-acme", "org-nope"]
        assert document["enterprises"]["org-nope"] == {
            "kind": "not_found",
            "reason": {
                "code": "unknown_enterprise",
                "message": "No cohort names enterprise org-nope as its sponsor.",
            },
        }
        assert document["enterprises"]["org-acme"] == in_process()["enterprises"]["org-acme"]  # type: ignore[index]
        assert list(document["cohorts"]) == ["cohort-c", "x"]
        assert document["cohorts"]["x"]["reason"]["code"] == "cohort_not_found"
        assert document["cohorts"]["cohort-c"] == in_process()["cohorts"]["cohort-c"]  # type: ignore[index]

    def test_missing_file_is_status_2(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """An unreadable input is a clear message and status 2."""
        paths = write_exports(tmp_path)
        paths["sessions"] = tmp_path / "absent.jsonl"
        assert main(argv(paths)) == 2
        assert "cannot read" in capsys.readouterr().err

    def test_unwritable_out_is_status_2(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """An output that cannot be written is a clear message and status 2."""
        assert main(argv(write_exports(tmp_path), "--out", str(tmp_path / "no" / "such" / "dir.json"))) == 2
        assert "cannot write" in capsys.readouterr().err

    def test_invalid_k_is_status_2(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """--k 0 is refused."""
        assert main(argv(write_exports(tmp_path), "--k", "0")) == 2
        assert "--k" in capsys.readouterr().err

    def test_results_are_optional(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """Without --results nobody has an overall score, and the command still works."""
        paths = write_exports(tmp_path)
        del paths["results"]
        assert main(argv(paths, "--k", "1")) == 0
        document = json.loads(capsys.readouterr().out)
        assert document["cohorts"]["cohort-a"]["scores"]["overall"] == {"suppressed": True}


EARLIER, LATER = "2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z"


def source(name: str, lines: list[str]) -> tuple[str, list[str]]:
    return name, lines


class TestReadExport:
    def test_referential_problems_are_bad_lines(self) -> None:
        """A duplicate cohort, an enrollment in an unknown cohort, a result without session id: bad lines."""
        problems: list[LineProblem] = []
        export = read_export(
            cohorts=source("c", ['{"id": "c1", "name": "A"}\n', '{"id": "c1", "name": "B"}\n']),
            enrollments=source(
                "e",
                [
                    '{"user_id": "u1", "cohort_id": "c1", "status": "active"}\n',
                    '{"user_id": "u2", "cohort_id": "c9", "status": "active"}\n',
                    '{"user_id": "u3", "cohort_id": "c1", "status": "withdrawn"}\n',
                ],
            ),
            sessions=source(
                "s",
                [
                    json.dumps({"id": "s1", "user_id": "u1", "status": "finished", "completed_at": LATER}),
                    json.dumps({"id": "s2", "user_id": "u1", "status": "finished", "completed_at": EARLIER}),
                    '{"id": "s3", "user_id": "u7", "status": "finished"}\n',
                    "\n",
                ],
            ),
            results=source(
                "r",
                [
                    '{"overall_score": 50}\n',
                    '{"session_id": "s2", "overall_score": 1}\n',
                    '{"session_id": "s1", "overall_score": 0}\n',
                ],
            ),
            on_problem=problems.append,
        )
        assert [str(p) for p in problems] == [
            "c:2: duplicate_cohort: same cohort id as line 1 (the first is kept)",
            "e:2: unknown_cohort: the cohort is not in c",
            "r:1: result_without_session: $.session_id: required",
        ]
        assert export.files == (
            FileSummary(source="c", lines=2, bad=1, ignored=0),
            FileSummary(source="e", lines=3, bad=1, ignored=1),
            FileSummary(source="s", lines=4, bad=0, ignored=1),
            FileSummary(source="r", lines=3, bad=1, ignored=1),
        )
        assert export.bad_lines == 3
        stats = export.partial.stats_for(export.cohorts[0].id)
        assert (stats.total, stats.profiled, stats.overall.count, stats.overall.minimum) == (1, 1, 1, 0)

    def test_deep_nesting_and_a_second_result_are_bad_lines(self) -> None:
        """JSON nested too deeply for the parser, and a second result of a counted session, are reported."""
        problems: list[LineProblem] = []
        export = read_export(
            cohorts=source("c", ['{"id": "c1", "name": "A"}\n', "[" * 100_000 + "\n"]),
            enrollments=source("e", ['{"user_id": "u1", "cohort_id": "c1", "status": "active"}\n']),
            sessions=source("s", [json.dumps({"id": "s1", "user_id": "u1", "status": "finished"})]),
            results=source(
                "r",
                [
                    '{"session_id": "s1", "overall_score": 0}\n',
                    '{"session_id": "s1", "overall_score": 90}\n',
                ],
            ),
            on_problem=problems.append,
        )
        assert [str(p) for p in problems] == [
            "c:2: not_json: nested too deeply",
            "r:2: duplicate_result: same session as line 1 (the first is kept)",
        ]
        assert export.bad_lines == 2
        overall = export.partial.stats_for(export.cohorts[0].id).overall
        assert (overall.count, overall.maximum) == (1, 0)  # the first result is kept

    def test_progress_callback(self) -> None:
        """on_progress is called every progress_every lines with the source name and count."""
        calls: list[tuple[str, int]] = []
        read_export(
            cohorts=source("c", ["{}\n"] * 5),
            enrollments=source("e", []),
            sessions=source("s", []),
            on_progress=lambda name, lines: calls.append((name, lines)),
            progress_every=2,
        )
        assert calls == [("c", 2), ("c", 4)]

    def test_export_report_defaults(self) -> None:
        """export_report without selection reports every enterprise and every cohort."""
        export = AnalyticsExport(
            cohorts=PLATFORM.cohorts,
            partial=partial_from_values(
                enrollments=PLATFORM.enrollments, sessions=PLATFORM.sessions, results=PLATFORM.results
            ),
            files=(),
        )
        document = export_report(export)
        assert list(document["enterprises"]) == ["org-acme", "org-globex"]  # type: ignore[call-overload]
        assert list(document["cohorts"]) == ["cohort-a", "cohort-b", "cohort-c"]  # type: ignore[call-overload]
        assert document["k"] == 5


# --- issue 11 -------------------------------------------------------------------

ENROLLED = [
    '{"id": "c1", "name": "A"}\n',
]
TWO_LEARNERS = [
    '{"user_id": "learner-a", "cohort_id": "c1", "status": "active"}\n',
    '{"user_id": "learner-b", "cohort_id": "c1", "status": "active"}\n',
]


def session_line(session_id: str, user: str, completed_at: str = LATER) -> str:
    return json.dumps({"id": session_id, "user_id": user, "status": "finished", "completed_at": completed_at})


def parse(*args: str) -> argparse.Namespace:
    """The analytics command's arguments, parsed by the real parser."""
    parser = argparse.ArgumentParser()
    add_analytics_command(parser.add_subparsers(dest="command", required=True))
    return parser.parse_args(["analytics", "--quiet", *args])


class TestSessionIdConflicts:
    @pytest.mark.parametrize(
        ("sessions", "conflict_line", "profiled"),
        [
            # Both learners counted: the second line is the conflict; learner-a keeps a session, no result.
            ([session_line("sess-shared", "learner-a"), session_line("sess-shared", "learner-b")], 2, 1),
            # Not adjacent, and the first owner's session is not their latest.
            (
                [
                    session_line("sess-shared", "learner-a", EARLIER),
                    session_line("sess-a2", "learner-a"),
                    session_line("sess-shared", "learner-b"),
                ],
                3,
                1,
            ),
            # The first owner is in no cohort: the counted learner's line is the conflict.
            ([session_line("sess-shared", "learner-z"), session_line("sess-shared", "learner-a")], 2, 0),
        ],
    )
    def test_a_shared_session_id_is_a_bad_line_and_attaches_no_result(
        self, sessions: list[str], conflict_line: int, profiled: int
    ) -> None:
        """A session id shared by two learners is reported (line, code, no value); no one gets its result."""
        problems: list[LineProblem] = []
        export = read_export(
            cohorts=source("c", ENROLLED),
            enrollments=source("e", TWO_LEARNERS),
            sessions=source("s", sessions),
            results=source("r", ['{"session_id": "sess-shared", "overall_score": 90}\n']),
            on_problem=problems.append,
        )
        assert [(p.source, p.line, p.code) for p in problems] == [
            ("s", conflict_line, "session_id_conflict"),
            ("r", 1, "ambiguous_session"),
        ]
        for text in map(str, problems):
            assert "sess-shared" not in text
            assert "learner-" not in text
        stats = export.partial.stats_for(export.cohorts[0].id)
        assert (stats.total, stats.profiled, stats.overall.count) == (2, profiled, 0)
        assert export.bad_lines == 2

    def test_the_same_learner_repeating_a_session_id_is_no_conflict(self) -> None:
        """One session id twice for one learner (a re-export) is no conflict; its result attaches."""
        problems: list[LineProblem] = []
        export = read_export(
            cohorts=source("c", ENROLLED),
            enrollments=source("e", TWO_LEARNERS),
            sessions=source("s", [session_line("sess-1", "learner-a")] * 2),
            results=source("r", ['{"session_id": "sess-1", "overall_score": 90}\n']),
            on_problem=problems.append,
        )
        assert problems == []
        assert export.partial.stats_for(export.cohorts[0].id).overall.count == 1

    def test_the_command_reports_a_conflict_and_exits_1(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A session line reusing another learner's session id: file:line: session_id_conflict, status 1."""
        victim = next(s for s in PLATFORM.sessions if s.is_completed)
        other = next(e.user_id for e in PLATFORM.enrollments if e.user_id != victim.user_id)
        paths = write_exports(tmp_path, extra_sessions=[session_line(victim.id, other) + "\n"])
        status = main(argv(paths, "--k", "1"))
        captured = capsys.readouterr()
        assert status == 1
        line = len(PLATFORM.sessions) + 1
        assert f"sessions.jsonl:{line}: session_id_conflict: " in captured.err
        assert "results.jsonl:" in captured.err  # the shared id's result row is reported too
        assert json.loads(captured.out)["input"]["bad_lines"] == 2


class TestBytes:
    def test_an_undecodable_line_is_one_bad_line(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A line that is not UTF-8 is reported with its file and line; the other lines count (status 1)."""
        paths = write_exports(tmp_path)
        good = paths["results"].read_bytes()
        paths["results"].write_bytes(b'{"session_id": "\xff\xfe"}\n' + good)
        status = main(argv(paths))
        captured = capsys.readouterr()
        assert status == 1
        assert "results.jsonl:1: not_utf8: invalid UTF-8 at byte 17\n" in captured.err
        document = json.loads(captured.out)
        assert document["input"]["bad_lines"] == 1
        assert document["cohorts"] == in_process()["cohorts"]

    def test_bytes_lines_are_decoded_one_by_one(self) -> None:
        """read_export takes bytes lines: a bad byte spoils its own line only."""
        problems: list[LineProblem] = []
        export = read_export(
            cohorts=("c", [b'{"id": "c1", "name": "A"}\n']),
            enrollments=("e", [line.encode() for line in TWO_LEARNERS]),
            sessions=("s", [b"\x80\n", session_line("s-1", "learner-a").encode(), b"{\xc3\n"]),
            on_problem=problems.append,
        )
        assert [str(p) for p in problems] == [
            "s:1: not_utf8: invalid UTF-8 at byte 1",
            "s:3: not_utf8: invalid UTF-8 at byte 2",
        ]
        assert export.partial.stats_for(export.cohorts[0].id).profiled == 1

    def test_a_byte_order_mark_and_crlf_are_accepted(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A file opening with a UTF-8 byte order mark and using CRLF line ends reads like any other."""
        paths = write_exports(tmp_path)
        for path in paths.values():
            path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
        assert main(argv(paths)) == 0
        assert json.loads(capsys.readouterr().out)["cohorts"] == in_process()["cohorts"]


class TestCompressionAndStdin:
    def test_gzip_inputs_are_recognised_by_content(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Gzip-compressed inputs, named .gz or not, give the report of the plain files."""
        paths = write_exports(tmp_path)
        for name, path in paths.items():
            target = path.with_suffix(".jsonl.gz") if name != "sessions" else path.with_suffix(".export")
            target.write_bytes(gzip.compress(path.read_bytes()))
            paths[name] = target
        assert main(argv(paths)) == 0
        document = json.loads(capsys.readouterr().out)
        assert (document["enterprises"], document["cohorts"]) == (
            in_process()["enterprises"],
            in_process()["cohorts"],
        )

    @pytest.mark.parametrize(
        ("damage", "reason"),
        [
            (lambda data: data[:-12], "the compressed data ends early (truncated gzip)"),
            (lambda data: data[:2] + b"\x63" + data[3:], "not valid gzip data"),
            (
                lambda data: data[:20] + bytes(b ^ 0x55 for b in data[20:40]) + data[40:],
                "not valid gzip data",
            ),
        ],
    )
    def test_broken_gzip_is_status_2(
        self,
        tmp_path: Path,
        capsys: pytest.CaptureFixture[str],
        damage: Callable[[bytes], bytes],
        reason: str,
    ) -> None:
        """A truncated or corrupt gzip input cannot be read: a message naming the file, status 2."""
        paths = write_exports(tmp_path)
        paths["sessions"].write_bytes(damage(gzip.compress(paths["sessions"].read_bytes())))
        assert main(argv(paths)) == 2
        assert f"analytics: cannot read {paths['sessions']}: {reason}\n" in capsys.readouterr().err

    def test_dash_reads_standard_input_even_compressed(self, tmp_path: Path) -> None:
        """'-' reads the binary standard input, gzip or not, and names it <stdin> in reports."""
        paths = write_exports(tmp_path)
        stdin = io.BytesIO(gzip.compress(paths["sessions"].read_bytes() + b"{oops\n"))
        out, err = io.StringIO(), io.StringIO()
        args = parse(
            *("--cohorts", str(paths["cohorts"]), "--enrollments", str(paths["enrollments"])),
            *("--sessions", "-", "--results", str(paths["results"])),
        )
        assert run_analytics(args, stdout=out, stderr=err, stdin=stdin) == 1
        assert err.getvalue() == f"analytics: <stdin>:{len(PLATFORM.sessions) + 1}: not_json: " + (
            "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)\n"
        )
        document = json.loads(out.getvalue())
        assert document["cohorts"] == in_process()["cohorts"]
        assert [f["source"] for f in document["input"]["files"]][2] == "<stdin>"

    def test_dash_through_the_real_standard_input(self, tmp_path: Path) -> None:
        """python -m profiler_core analytics --sessions - < sessions.jsonl gives the in-process report."""
        paths = write_exports(tmp_path)
        command = [sys.executable, "-m", "profiler_core", *argv({**paths, "sessions": Path("-")})]
        with paths["sessions"].open("rb") as stdin:
            done = subprocess.run(command, stdin=stdin, capture_output=True, check=False)
        assert (done.returncode, done.stderr) == (0, b"")
        assert json.loads(done.stdout)["cohorts"] == in_process()["cohorts"]

    def test_a_read_error_midway_is_status_2(self, tmp_path: Path) -> None:
        """An input whose reading fails after some lines: 'cannot read <name>: <strerror>', status 2."""
        paths = write_exports(tmp_path)
        err = io.StringIO()
        args = parse(
            *("--cohorts", str(paths["cohorts"]), "--enrollments", str(paths["enrollments"])),
            *("--sessions", "-"),
        )
        stdin = FailingStream(paths["sessions"].read_bytes()[:300])
        assert run_analytics(args, stdout=io.StringIO(), stderr=err, stdin=stdin) == 2
        assert err.getvalue() == "analytics: cannot read <stdin>: Input/output error\n"

    def test_at_most_one_input_is_dash(self, tmp_path: Path) -> None:
        """Two inputs given as '-' are refused with status 2 before anything is read."""
        paths = write_exports(tmp_path)
        stdin = io.BytesIO(b'{"id": "c1", "name": "A"}\n')
        err = io.StringIO()
        args = parse("--cohorts", "-", "--enrollments", str(paths["enrollments"]), "--sessions", "-")
        assert run_analytics(args, stdout=io.StringIO(), stderr=err, stdin=stdin) == 2
        assert err.getvalue() == (
            "analytics: only one input may be '-' (standard input), not --cohorts and --sessions\n"
        )
        assert stdin.tell() == 0


class FailingStream(io.BytesIO):
    """A fake binary stream that serves its bytes, then fails as a broken disk or pipe does."""

    def read(self, size: int | None = -1, /) -> bytes:
        data = super().read(size)
        if not data:
            raise OSError(errno.EIO, "Input/output error")
        return data


class SessionRefusingAccumulator(AnalyticsAccumulator):
    """A fake accumulator that fails on every learner with a session: stands in for an unknown bug."""

    def add_rows(self, rows: Iterable[object]) -> None:
        for row in rows:
            assert isinstance(row, tuple)
            if row[3] is not None:  # the session's status: this learner has a session
                raise ArithmeticError("payload value 'secret'")
            super().add_rows([row])

    def add_learner(
        self, cohort_ids: Collection[CohortId], session: ProfilerSession | None, result: object = None
    ) -> None:
        if session is not None:
            raise ArithmeticError("payload value 'secret'")
        super().add_learner(cohort_ids, None)


class ExplodingLine(str):
    """A fake line whose reading raises *error*: stands in for a failure nobody has found yet.

    Both paths a line can take fail: ``json.loads`` (which looks for a byte order
    mark with ``startswith``) and the exact re-read (``startswith``, ``strip``).
    """

    error: Exception

    def startswith(self, *_args: object) -> bool:
        raise self.error

    def strip(self, chars: str | None = None) -> str:
        raise self.error


def exploding(error: Exception) -> ExplodingLine:
    line = ExplodingLine('{"id": "c1", "name": "A"}')
    line.error = error
    return line


class TestNeverATraceback:
    @pytest.mark.parametrize(
        "completed_at",
        ["9999-12-31T23:59:59-01:00", "0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59.999999-23:59"],
    )
    def test_a_timestamp_outside_utc_is_a_bad_line(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str], completed_at: str
    ) -> None:
        """A completion time with no UTC equivalent is a bad line (no value shown); the report is produced."""
        paths = write_exports(
            tmp_path, extra_sessions=[session_line("sess-far", "learner-far", completed_at) + "\n"]
        )
        with paths["enrollments"].open("a", encoding="utf-8") as enrollments:
            enrollments.write('{"user_id": "learner-far", "cohort_id": "cohort-a", "status": "active"}\n')
        status = main(argv(paths))
        captured = capsys.readouterr()
        assert status == 1
        line = len(PLATFORM.sessions) + 1
        assert f"analytics: {paths['sessions']}:{line}: " in captured.err
        assert completed_at not in captured.err
        assert "Traceback" not in captured.err
        assert json.loads(captured.out)["input"]["bad_lines"] == 1

    @pytest.mark.parametrize(
        ("error", "code", "detail"),
        [
            (RuntimeError("payload value 'secret'"), "unexpected_error", "RuntimeError"),
            (OverflowError("secret"), "unexpected_error", "OverflowError"),
            (
                UnknownValueError(field="track", value="secret", expected=()),
                "unknown_value",
                "UnknownValueError",
            ),
            (InvalidValueError(field="x", reason="secret"), "invalid_value", "InvalidValueError"),
        ],
    )
    def test_any_exception_on_a_line_is_reported_by_type_only(
        self, error: Exception, code: str, detail: str
    ) -> None:
        """An exception on one line: that line, the error's code (or unexpected_error) and type name only."""
        problems: list[LineProblem] = []
        export = read_export(
            cohorts=source("c", [exploding(error), '{"id": "c2", "name": "B"}\n']),
            enrollments=source("e", []),
            sessions=source("s", []),
            on_problem=problems.append,
        )
        assert [str(p) for p in problems] == [f"c:1: {code}: {detail}"]
        assert [c.id for c in export.cohorts] == ["c2"]

    def test_a_learner_who_cannot_be_counted_is_reported_at_their_session_line(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A kept session that cannot be added: its line is reported (type only); learner is unprofiled."""
        monkeypatch.setattr(accumulation, "AnalyticsAccumulator", SessionRefusingAccumulator)
        problems: list[LineProblem] = []
        export = read_export(
            cohorts=source("c", ENROLLED),
            enrollments=source("e", TWO_LEARNERS),
            sessions=source("s", ["\n", session_line("sess-1", "learner-a")]),
            on_problem=problems.append,
        )
        assert [str(p) for p in problems] == ["s:2: unexpected_error: ArithmeticError"]
        stats = export.partial.stats_for(export.cohorts[0].id)
        assert (stats.total, stats.profiled, export.bad_lines) == (2, 0, 1)


JSON_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=8),
    st.sampled_from(
        [
            "9999-12-31T23:59:59-01:00",
            "0001-01-01T00:00:00+01:00",
            "2026-01-01T00:00:00Z",
            "2026-01-01T00:00:00",
            "finished",
            "active",
            "s-1",
            "u-1",
            "c1",
            "85.50",
            "1e3",
            "\ud800",
        ]
    ),
)
FIELDS = st.sampled_from(
    [
        "id",
        "user_id",
        "cohort_id",
        "session_id",
        "status",
        "name",
        "completed_at",
        "started_at",
        "aptitude_score",
        "overall_score",
        "difficulty_selection",
        "recommended_track",
        "strengths",
        "behavioral_profile",
        "aptitude_breakdown",
        "enterprise_id",
    ]
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6) | FIELDS, inner, max_size=3)
    ),
    max_leaves=6,
)
PAYLOADS = st.dictionaries(FIELDS, JSON_VALUES, max_size=8)


# Records close to the real shapes, over a few ids, so lines also meet each other: the same
# cohort twice, a session id on two learners, results of kept and shared sessions.
def mostly(valid: st.SearchStrategy[object]) -> st.SearchStrategy[object]:
    return st.one_of(valid, valid, valid, JSON_VALUES)


RECORDS = st.fixed_dictionaries(
    {
        "id": st.sampled_from(["c1", "c2", "s-1", "s-2"]),
        "user_id": st.sampled_from(["u-1", "u-2"]),
        "cohort_id": st.sampled_from(["c1", "c2", "c3"]),
        "session_id": st.sampled_from(["s-1", "s-2"]),
        "status": st.sampled_from(["finished", "locked", "active", "started", "withdrawn"]),
        "name": st.just("A"),
    },
    optional={
        "completed_at": mostly(
            st.sampled_from(
                ["2026-01-01T00:00:00Z", "2026-02-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00"]
            )
        ),
        "aptitude_score": mostly(st.integers(-5, 105)),
        "overall_score": mostly(st.floats(-1, 101)),
        "difficulty_selection": mostly(st.sampled_from(["elite", "novice", ""])),
        "strengths": mostly(st.lists(st.text(max_size=5), max_size=3)),
    },
)
LINES = st.lists(
    st.one_of(
        st.binary(max_size=40),
        st.one_of(PAYLOADS, JSON_VALUES).map(lambda v: json.dumps(v).encode()),
        RECORDS.map(lambda v: json.dumps(v).encode()),
        RECORDS.map(lambda v: json.dumps(v).encode()),
    ),
    max_size=12,
)


DOCS = Path(__file__).resolve().parents[1] / "docs"


def listed_line_codes() -> frozenset[str]:
    """The bad-line codes docs/reason-codes.md lists for the command, and every error's code."""
    text = (DOCS / "reason-codes.md").read_text(encoding="utf-8")
    section = text.split("## Analytics command: bad lines", 1)[1].split("\n## ", 1)[0]
    listed = frozenset(re.findall(r"^\|\s*`([a-z_0-9]+)`", section, re.MULTILINE))
    return listed | {getattr(errors, name).code for name in errors.__all__ if name.endswith("Error")}


BAD_LINE = re.compile(r"analytics: <stdin>:[1-9][0-9]*: [a-z_0-9]+: .*")


@pytest.fixture(scope="module")
def small_exports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Cohorts and enrollments files shared by the property tests (sessions come on stdin)."""
    return write_exports(tmp_path_factory.mktemp("exports"))


class TestArbitraryBytes:
    @given(cohorts=LINES, enrollments=LINES, sessions=LINES, results=LINES)
    def test_the_line_reader_reports_and_never_raises(
        self, cohorts: list[bytes], enrollments: list[bytes], sessions: list[bytes], results: list[bytes]
    ) -> None:
        """Any bytes lines: read_export returns; each bad line reported once, in range, with a listed code."""
        problems: list[LineProblem] = []
        export = read_export(
            cohorts=("c", cohorts),
            enrollments=("e", enrollments),
            sessions=("s", sessions),
            results=("r", results),
            on_problem=problems.append,
        )
        assert export.bad_lines == len(problems)
        sizes = {"c": len(cohorts), "e": len(enrollments), "s": len(sessions), "r": len(results)}
        assert all(1 <= p.line <= sizes[p.source] for p in problems)
        assert len({(p.source, p.line) for p in problems}) == len(problems)
        assert {p.code for p in problems} <= listed_line_codes()

    @given(sessions=LINES)
    def test_the_command_always_answers_with_a_report(
        self, small_exports: dict[str, Path], sessions: list[bytes]
    ) -> None:
        """Any bytes on stdin: exit 0 or 1, a JSON report on stdout, only file:line reports on stderr."""
        out, err = io.StringIO(), io.StringIO()
        args = parse(
            *("--cohorts", str(small_exports["cohorts"]), "--enrollments", str(small_exports["enrollments"])),
            *("--sessions", "-", "--results", str(small_exports["results"])),
        )
        data = b"\n".join(sessions)
        status = run_analytics(args, stdout=out, stderr=err, stdin=io.BytesIO(data))
        if data.startswith(b"\x1f\x8b"):  # gzip's magic number: the input is read as gzip
            assert status == 2
            assert err.getvalue().startswith("analytics: cannot read <stdin>: ")
            return
        document = json.loads(out.getvalue())
        assert status == (1 if document["input"]["bad_lines"] else 0)
        reports = err.getvalue().splitlines()
        assert len(reports) == document["input"]["bad_lines"]
        for report in reports:
            assert BAD_LINE.fullmatch(report), report
