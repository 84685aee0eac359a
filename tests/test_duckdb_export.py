"""The analytics command's duckdb engine gives exactly what the pure reader gives (reports and bad lines)."""

from __future__ import annotations

import gzip
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from tests.test_cli_analytics import LINES, RECORDS, argv, write_exports

from profiler_core import _duckdb_export
from profiler_core.__main__ import main
from profiler_core._export_lines import ENROLLMENT_KEYS, RESULT_KEYS, SESSION_KEYS
from profiler_core.cli_analytics import LineProblem, _lines, _UnreadableInputError, export_report, read_export

CONNECTION = _duckdb_export.connect()

# Lines where DuckDB's JSON reader and Python's json may disagree, or the pure path has
# something to say: each must reach the pure path and be reported (or read) the same way.
TRICKY_LINES = (
    b'{"id": "s-1", "user_id": "u-1", "status": "started", "status": "finished"}',
    b'{"id": "s-1", "user_id": "u-1", "status": "finished", "aptitude_score": 5, "aptitude_score": 50}',
    b'{"id": "s-1", "user_id": "u-1", "status": "finished",}',
    b'{"id": "s-1", "user_id": "u-1", "status": "finished", "x": {"a": 1,}}',
    b'{"id": "s\\u0031", "user_id": "u-1", "status": "finished"}',
    b'{"id": "s\\ud800", "user_id": "u-1", "status": "finished"}',
    b'{"id": "s-1", "user_id": "u-1", "status": "finished", "aptitude_score": NaN}',
    # DuckDB reads nan and inf in any case; Python's json rejects these (regression: they were
    # read as valid lines by the engine).
    b'{"id": "s-1", "user_id": "u-1", "status": "finished", "x": nan}',
    b'{"session_id": "s-1", "overall_score": 80, "x": -INF}',
    b'{"id": "s-1", "user_id": "u-1", "status": "finished", "aptitude_score": 1e400}',
    b'{"id": 12345678901234567890123, "user_id": "u-1", "status": "finished"}',
    b'{"id": "s-1", "user_id": "u-1", "status": "finished", "aptitude_score": 012}',
    b'{"id": "s-1", "user_id": "u-1", "status": "finished", "aptitude_score": 85.50}',
    b'{"id": "s-1", "user_id": "u-1", "status": "finished"}\r',
    b'{"id": "s-1",\t"user_id": "u-1", "status": "finished"}',
    b'{"id": "s-1", "user_id": "u-1", "status": "finished"} {}',
    b'\xef\xbb\xbf{"id": "c1", "name": "A"}',
    b'{"id": "c1", "name": "A\xff"}',
    b'{"id": "s-1", "user_id": "u-1", "status": "finished", "strengths": ["a\\"b", "c\\\\d"]}',
    b'{"id": "s-1", "user_id": "u-1", "status": "finished", /* c */ "aptitude_score": 1}',
    b'{"session_id": "s-1", "overall_score": 100.0000000000000001, "strengths": []}',
    b'{"user_id": "u-1", "cohort_id": "c1", "status": "active"}',
    b'{"cohort_id": "c1", "user_id": "u-2", "status": "completed", "extra": [1, 2, {"a": null}]}',
    b"",
    b"   ",
    b"[1, 2]",
    b'{"id": "s-2", "user_id": "u-2", "status": "locked", "completed_at": "2026-01-01T00:00:00Z"',
)
TRICKY = st.sampled_from(TRICKY_LINES)
EXPORT_LINES = st.lists(
    st.one_of(
        LINES.map(lambda lines: lines[0] if lines else b""),
        RECORDS.map(lambda v: json.dumps(v).encode()),
        TRICKY,
    ),
    max_size=14,
)


def engine(name: str, data: bytes, keys: tuple[str, ...]) -> tuple[str, object]:
    """A source read through the duckdb engine."""
    return (name, _duckdb_export.engine_lines(name, io.BytesIO(data), keys, CONNECTION))


def pure(name: str, data: bytes) -> tuple[str, object]:
    """A source read as the command's pure path reads a file: gunzipped when it starts with gzip's magic."""
    return (name, _lines(name, io.BytesIO(data)))


def both(cohorts: bytes, enrollments: bytes, sessions: bytes, results: bytes) -> list[tuple[str, list[str]]]:
    """Reports and bad lines of the pure path and of the engine."""
    outcomes: list[tuple[str, list[str]]] = []
    for use_engine in (False, True):
        problems: list[LineProblem] = []

        def read(name: str, data: bytes, keys: tuple[str, ...], *, use_engine: bool = use_engine) -> object:
            return engine(name, data, keys) if use_engine else pure(name, data)

        try:
            export = read_export(
                cohorts=pure("c", cohorts),  # type: ignore[arg-type]
                enrollments=read("e", enrollments, ENROLLMENT_KEYS),  # type: ignore[arg-type]
                sessions=read("s", sessions, SESSION_KEYS),  # type: ignore[arg-type]
                results=read("r", results, RESULT_KEYS),  # type: ignore[arg-type]
                on_problem=problems.append,
            )
        except _UnreadableInputError as unreadable:  # broken gzip data: the command stops, naming the input
            outcomes.append((str(unreadable), []))
            continue
        outcomes.append((json.dumps(export_report(export), sort_keys=True), [str(p) for p in problems]))
    return outcomes


def joined(lines: list[bytes], *, final_newline: bool) -> bytes:
    return b"\n".join(lines) + (b"\n" if final_newline and lines else b"")


class TestEngineEqualsPurePath:
    @settings(max_examples=60)
    @given(
        enrollments=EXPORT_LINES,
        sessions=EXPORT_LINES,
        results=EXPORT_LINES,
        final_newline=st.booleans(),
        chunk=st.sampled_from([1, 64, 1 << 20]),
    )
    @example(
        enrollments=[], sessions=[], results=[b"\x1f\x8b", b'{"id": "c1"}'], final_newline=False, chunk=1
    )
    @example(enrollments=[], sessions=[], results=[b"\x1f\x8b\x08\x00"], final_newline=False, chunk=64)
    def test_generated_exports_give_identical_reports_and_bad_lines(
        self,
        enrollments: list[bytes],
        sessions: list[bytes],
        results: list[bytes],
        final_newline: bool,
        chunk: int,
    ) -> None:
        """Any lines, bad ones included, any chunking: the engine reports what the pure path reports."""
        cohorts = b'{"id": "c1", "name": "A", "enterprise_id": "e1"}\n{"id": "c2", "name": "B"}\n'
        default, _duckdb_export.CHUNK_BYTES = _duckdb_export.CHUNK_BYTES, chunk
        try:
            pure_outcome, engine_outcome = both(
                cohorts,
                joined(enrollments, final_newline=final_newline),
                joined(sessions, final_newline=final_newline),
                joined(results, final_newline=final_newline),
            )
        finally:
            _duckdb_export.CHUNK_BYTES = default
        assert engine_outcome == pure_outcome

    @pytest.mark.parametrize("line", TRICKY_LINES)
    def test_each_doubtful_line_is_read_as_the_pure_path_reads_it(self, line: bytes) -> None:
        """A doubtful line as a counted learner's session and as a result: engine and pure path agree."""
        completed = b'{"id": "s-1", "user_id": "u-1", "status": "finished", "aptitude_score": 70}'
        outcomes = both(
            b'{"id": "c1", "name": "A"}\n',
            b'{"user_id": "u-1", "cohort_id": "c1", "status": "active"}\n',
            joined([completed, line, completed], final_newline=True),
            joined([line, b'{"session_id": "s-1", "overall_score": 80}'], final_newline=False),
        )
        assert outcomes[1] == outcomes[0]

    def test_slim_lines_carry_only_the_fields_read(self) -> None:
        """A plain line reaches the reader as a small object of the read keys; a doubtful one as itself."""
        data = (
            b'{"id": "s-1", "user_id": "u-1", "status": "finished", "reflection": {"why_cyber": "x"}}\n'
            b'{"id": "s-1", "id": "s-2", "user_id": "u-1", "status": "finished"}\n'
        )
        lines = list(_duckdb_export.SlimLines(CONNECTION, SESSION_KEYS).lines([data]))
        assert json.loads(lines[0]) == {"id": "s-1", "user_id": "u-1", "status": "finished"}
        assert lines[1] == '{"id": "s-1", "id": "s-2", "user_id": "u-1", "status": "finished"}\n'


class TestCommand:
    def test_the_engine_flag_gives_the_same_document_and_status(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """--engine duckdb prints the same report, bad lines and exit status as the default engine."""
        paths = write_exports(
            tmp_path, extra_sessions=['{"id": "x", "user_id": 3, "status": "nope"}\n', "{bad\n"]
        )
        outputs = []
        for flag in ("python", "duckdb"):
            status = main(argv(paths, "--engine", flag))
            captured = capsys.readouterr()
            outputs.append((status, captured.out, captured.err))
        assert outputs[0] == outputs[1]
        assert outputs[0][0] == 1
        assert "invalid_payload" in outputs[0][2]
        assert "not_json" in outputs[0][2]

    def test_gzip_input_through_the_engine(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A gzip-compressed input is read by the engine as by the pure path."""
        paths = write_exports(tmp_path)
        packed = tmp_path / "sessions.jsonl.gz"
        packed.write_bytes(gzip.compress(paths["sessions"].read_bytes()))
        paths["sessions"] = packed
        main(argv(paths))
        pure_out = capsys.readouterr().out
        main(argv(paths, "--engine", "duckdb"))
        assert capsys.readouterr().out == pure_out

    def test_truncated_gzip_is_status_2(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """Broken gzip data through the engine: status 2 and the pure path's message."""
        paths = write_exports(tmp_path)
        broken = tmp_path / "sessions.jsonl.gz"
        broken.write_bytes(gzip.compress(paths["sessions"].read_bytes())[:-30])
        paths["sessions"] = broken
        assert main(argv(paths, "--engine", "duckdb")) == 2
        assert f"analytics: cannot read {broken}: " in capsys.readouterr().err

    def test_importing_the_library_does_not_import_duckdb(self) -> None:
        """import profiler_core (and its command line) never imports duckdb: the engine is optional."""
        code = "import sys, profiler_core, profiler_core.cli_analytics; print('duckdb' in sys.modules)"
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        assert done.stdout.strip() == "False"
