"""Tests for ``python -m profiler_core analytics`` (profiler_core.cli_analytics)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

import pytest

from profiler_core import OrgId, unstructure
from profiler_core.__main__ import main
from profiler_core.analytics import SuppressionPolicy, cohort_reports, enterprise_report, partial_from_values
from profiler_core.cli_analytics import (
    AnalyticsExport,
    FileSummary,
    LineProblem,
    export_report,
    read_export,
)
from profiler_core.demo.sample import build_sample_platform

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
            e: enterprise_report(OrgId(e), PLATFORM.cohorts, partial, suppression=suppression).to_dict()
            for e in enterprises
        },
        "cohorts": {
            cid: r.to_dict()
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
        """Bad lines go to stderr as file:line: message, are counted, and make the status 1."""
        bad = [
            '{"id": "x", "user_id": "learner-001", "status": "finished", "aptitude_score": 140}\n',
            "{not json\n",
            "[1, 2]\n",
        ]
        paths = write_exports(tmp_path, extra_sessions=bad)
        status = main(argv(paths, "--k", "3"))
        captured = capsys.readouterr()
        first = len(PLATFORM.sessions) + 1
        assert status == 1
        assert f"sessions.jsonl:{first}: $.aptitude_score: must be 0..100" in captured.err
        assert f"sessions.jsonl:{first + 1}: not JSON" in captured.err
        assert f"sessions.jsonl:{first + 2}: $: must be an object" in captured.err
        document = json.loads(captured.out)
        sessions = next(f for f in document["input"]["files"] if f["source"].endswith("sessions.jsonl"))
        assert (sessions["lines"], sessions["bad"]) == (first + 2, 3)
        assert document["input"]["bad_lines"] == 3
        assert document["cohorts"] == in_process(k=3)["cohorts"]  # the good lines still count

    def test_progress_goes_to_stderr(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """Without --quiet, progress lines and a summary go to stderr; stdout holds only JSON."""
        paths = write_exports(tmp_path)
        args = [a for a in argv(paths) if a != "--quiet"]
        assert main([*args, "--progress-every", "10"]) == 0
        captured = capsys.readouterr()
        assert "sessions.jsonl: 20 lines read" in captured.err
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

    def test_undecodable_input_is_status_2(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """Bytes that are not UTF-8 stop the command with status 2."""
        paths = write_exports(tmp_path)
        paths["results"].write_bytes(b"\xff\xfe{}\n")
        assert main(argv(paths)) == 2
        assert "cannot read input" in capsys.readouterr().err

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
            "c:2: cohort c1 appears twice",
            "e:2: cohort c9 is not in c",
            "r:1: $.session_id: required to attach a result to its session",
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
            "c:2: not JSON (nested too deeply)",
            "r:2: a result for session s1 appears twice",
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
