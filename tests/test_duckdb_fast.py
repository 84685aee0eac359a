"""The duckdb engine's whole-file path (_duckdb_fast) gives what the pure path gives, or steps aside."""

from __future__ import annotations

import gzip
import io
import json
import re
import sys
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from unittest import mock

from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from profiler_core import _duckdb_fast
from profiler_core._duckdb_fast import fast_export
from profiler_core.cli_analytics import AnalyticsExport, LineProblem, _read_inputs, export_report

COHORTS = (
    b'{"id": "c1", "name": "A", "enterprise_id": "e1"}\n'
    b'{"id": "c2", "name": "B", "enterprise_id": "e1"}\n'
    b'{"id": 7, "name": "C"}\n'
)
UUID = "6F9619FF-8B86-D011-B42D-00C04FC964FF"
USERS = st.sampled_from(["u-1", "u-2", "u-3", UUID, UUID.lower(), 4, "4"])
ODD_IDS = st.sampled_from(["", " ", "\u3000", True, 1.5, None, ["u-1"], 10**30])
SESSION_IDS = st.sampled_from(["s-1", "s-2", "s-3", "9", "10", 10, "s-10"])
BASE = datetime(2026, 1, 31, 23, 30, tzinfo=UTC)


def stamp(minutes: int, offset: int, fraction: str, zulu: bool) -> str:
    """An ISO 8601 timestamp as platforms write them: Z or an offset, a fraction of 0 to 6 digits."""
    local = (BASE + timedelta(minutes=minutes)).astimezone(timezone(timedelta(minutes=offset)))
    sign = "-" if offset < 0 else "+"
    zone = "Z" if zulu and offset == 0 else f"{sign}{abs(offset) // 60:02d}:{abs(offset) % 60:02d}"
    return local.strftime("%Y-%m-%dT%H:%M:%S") + fraction + zone


STAMPS = st.builds(
    stamp,
    st.integers(-90, 90),
    st.sampled_from([0, 60, -60, 330, -570, 23 * 60 + 59]),
    st.sampled_from(["", "", ".5", ".123456", ".000001"]),
    st.booleans(),
)
ODD_STAMPS = st.sampled_from(
    [
        "2026-02-29T00:00:00Z",
        "2026-01-01",
        "2026-01-01T00:00:00",
        " 2026-01-01T00:00:00Z",
        "2026-01-01 00:00:00Z",
        "2026-01-01T00:00Z",
        "2026-01-01T00:00:00.1234567Z",
        "0000-01-01T00:00:00Z",
        "0001-01-01T00:00:00+01:00",
        "9999-12-31T23:59:59-01:00",
        "2026-01-01T24:00:00Z",
        "2026-01-01t00:00:00z",
        20260101,
    ]
)
SCORES = st.one_of(
    st.floats(0, 100),
    st.integers(0, 100),
    st.sampled_from([0.0, -0.0, 100.0, 99.995, 12.345678901]),
)
ODD_SCORES = st.sampled_from(
    [-0.01, 100.0001, 101, -1, "85.50", "7", True, float("nan"), float("inf"), [1], {"a": 1}, 10**400]
)
STATUS = st.sampled_from(["finished", "locked", "in_progress", "started", "aptitude_complete"])
ODD_STATUS = st.sampled_from(["FINISHED", "Finished", " finished", "done", 3, None])
ENROLLMENT_STATUS = st.sampled_from(["active", "completed", "withdrawn", "suspended", "incomplete"])
SELECTIONS = st.sampled_from(["novice", "beginner", "intermediate", "advanced", "elite", None])
TRACKS = st.sampled_from(["defender", "offensive", "innovation", "leadership", "grc", None])
ODD_KEYS = st.sampled_from(["Elite", "", " ", "red_team", "GRC", 5])
LABELS = st.sampled_from(
    ["web", "Web", " web ", "cloud", "Cloud  Security", "cloud security", "", "\u00e9t\u00e9"]
)
STRENGTHS = st.lists(LABELS, max_size=3)
ODD_STRENGTHS = st.sampled_from([None, "web", ["web", 1], [None], {"web": 1}])


def extra(reflections: list[object]) -> st.SearchStrategy[dict[str, object]]:
    """Fields no report reads (the pure path ignores them; they may still make a line bad JSON)."""
    return st.fixed_dictionaries(
        {},
        optional={
            "reflection": st.sampled_from(reflections),
            "behavioral_profile": st.sampled_from([{"traits": {"a": 1.5}}, [1], None]),
            "anti_cheat_score": st.floats(allow_nan=False, allow_infinity=False),
        },
    )


PLAIN_EXTRA = extra([{"why_cyber": "I want to, in short, help"}, 5, None, "caf\u00e9 \u2603"])
# "nan, inf" in a text is a false alarm of the raw checks: the run takes the exact path.
EXTRA = extra([{"why_cyber": "I want to, in short, help"}, 5, None, "nan, inf"])


def sometimes(
    good: st.SearchStrategy[object], odd: st.SearchStrategy[object], *, allow: bool
) -> st.SearchStrategy[object]:
    """Mostly a good value; when *allow*, sometimes an odd one (read otherwise by the pure path, or bad)."""
    return st.one_of(good, good, good, good, good, odd) if allow else good


def record(
    required: dict[str, st.SearchStrategy[object]],
    optional: dict[str, st.SearchStrategy[object]],
    *,
    odd: bool,
) -> st.SearchStrategy[dict[str, object]]:
    """A JSON object with some fields missing, plus unread fields."""
    return st.builds(
        lambda fields, unread: {**unread, **fields},
        st.fixed_dictionaries(required, optional=optional),
        EXTRA if odd else PLAIN_EXTRA,
    )


def enrollments(*, odd: bool) -> st.SearchStrategy[dict[str, object]]:
    return record(
        {
            "user_id": sometimes(USERS, ODD_IDS, allow=odd),
            "cohort_id": sometimes(
                st.sampled_from(["c1", "c2", "7", 7]), st.sampled_from(["c9", "", None]), allow=odd
            ),
            "status": sometimes(ENROLLMENT_STATUS, ODD_STATUS, allow=odd),
        },
        {},
        odd=odd,
    )


def sessions(*, odd: bool) -> st.SearchStrategy[dict[str, object]]:
    return record(
        {
            "id": sometimes(SESSION_IDS, ODD_IDS, allow=odd),
            "user_id": sometimes(USERS, ODD_IDS, allow=odd),
            "status": sometimes(STATUS, ODD_STATUS, allow=odd),
        },
        {
            "completed_at": sometimes(st.one_of(STAMPS, st.none()), ODD_STAMPS, allow=odd),
            "difficulty_selection": sometimes(SELECTIONS, ODD_KEYS, allow=odd),
            "recommended_track": sometimes(TRACKS, ODD_KEYS, allow=odd),
            "aptitude_score": sometimes(st.one_of(SCORES, st.none()), ODD_SCORES, allow=odd),
            "technical_exposure_score": sometimes(st.one_of(SCORES, st.none()), ODD_SCORES, allow=odd),
            "technical_exposure_answered": sometimes(
                st.one_of(st.none(), st.integers(1, 10_000)),
                st.sampled_from([0, -1, 10_001, 10.0, True, "10"]),
                allow=odd,
            ),
            "strengths": sometimes(STRENGTHS, ODD_STRENGTHS, allow=odd),
        },
        odd=odd,
    )


def results(*, odd: bool) -> st.SearchStrategy[dict[str, object]]:
    return record(
        {"session_id": sometimes(SESSION_IDS, ODD_IDS, allow=odd)},
        {
            "overall_score": sometimes(st.one_of(SCORES, st.none()), ODD_SCORES, allow=odd),
            "aptitude_score": sometimes(st.one_of(SCORES, st.none()), ODD_SCORES, allow=odd),
            "strengths": sometimes(STRENGTHS, ODD_STRENGTHS, allow=odd),
        },
        odd=odd,
    )


# Raw lines the pure path reads or rejects in ways DuckDB's JSON reader might not share.
RAW_LINES = st.sampled_from(
    [
        b"",
        b"   ",
        b"\t",
        b"[1, 2]",
        b"null",
        b'"text"',
        b"{not json",
        b"\xef\xbb\xbf{}",
        b'{"a": "\xff"}',
        b"{} {}",
        b'{"user_id": "u-1", "cohort_id": "c1", "status": "active",}',
        b'{"user_id": "u-1", "cohort_id": "c1", "status": "active", "x": [1,]}',
        b'{"user_id": "u-1", "cohort_id": "c1", "status": "active", "x": nan}',
        b'{"user_id": "u-1", "cohort_id": "c1", "status": "active", "x": -Infinity}',
        b'{"user_id": "u-1", "cohort_id": "c1", "status": "active", "x": INF}',
        b'{"user_id": "u-1", "cohort_id": "c1", "status": "active", "status": "withdrawn"}',
        b'{"user_id": "u-1", "cohort_id": "c1", "status": "active", "st\\u0061tus": "withdrawn"}',
        b'{"user_id": "u-1", "cohort_id": "c1", "status": "active", "x": ' + b"[" * 600 + b"]" * 600 + b"}",
        b'{"id": "s-1", "user_id": "u-1", "status": "finished", "strengths": null}',
        b'{"id": "s-1", "user_id": "u-1", "status": "finished", "strengths" : null}',
        b'{"id": "s-1", "user_id": "u-1", "status": "finished", "aptitude_score": NaN}',
        b'{"id": "s-1", "user_id": "u-1", "status": "finished", "aptitude_score": 1e400}',
        b'{"id": "s\\u002d1", "user_id": "u-1", "status": "finished", "aptitude_score": 50}',
        b'{"id": "s-1", "user_id": "u-1", "status": "finished", "aptitude_score": 85.50}',
        b'{"session_id": "s-1", "overall_score": 100.0000000000000001, "strengths": []}',
        b'{"session_id": "s-1", "overall_score": 70}\r',
        b'{"session_id": "s-1",\t"overall_score": 70}',
        b'{"session_id": "s-1", "strengths": null}',
        b'{"session_id": null, "overall_score": 70}',
        b'{"overall_score": 70}',
    ]
)


def lines_of(
    records: st.SearchStrategy[dict[str, object]], *, raw: bool = True
) -> st.SearchStrategy[list[bytes]]:
    """Lines of a file: records as platforms write them (default or compact separators), odd raw lines."""
    dumped = st.builds(
        lambda value, compact: json.dumps(value, separators=(",", ":") if compact else None).encode(),
        records,
        st.booleans(),
    )
    lines = st.one_of(dumped, dumped, dumped, dumped, dumped, dumped, RAW_LINES) if raw else dumped
    return st.lists(lines, max_size=12)


def run(directory: Path, engine: str) -> tuple[str, str, AnalyticsExport | None]:
    """The command's document (JSON) and stderr with one engine."""
    err = io.StringIO()
    paths = {name: directory / f"{name}.jsonl" for name in ("cohorts", "enrollments", "sessions", "results")}
    export = _read_inputs(
        paths, stdin=None, err=err, progress=lambda _s, _n: None, progress_every=0, engine=engine
    )
    document = json.dumps(export_report(export), sort_keys=True) if export is not None else ""
    return document, err.getvalue(), export


def write(directory: Path, files: dict[str, bytes]) -> dict[str, Path]:
    """The export's files in *directory*."""
    paths = {}
    for name, data in files.items():
        paths[name] = directory / f"{name}.jsonl"
        paths[name].write_bytes(data)
    return paths


def fast(paths: dict[str, Path]) -> tuple[AnalyticsExport | None, list[str]]:
    """The fast path's export (or None) and the problems it reported."""
    problems: list[LineProblem] = []
    export = _duckdb_fast.fast_export(paths, on_problem=problems.append)
    return export, [str(p) for p in problems]


def joined(lines: list[bytes], *, final_newline: bool) -> bytes:
    return b"\n".join(lines) + (b"\n" if final_newline and lines else b"")


class TestFastPathEqualsPurePath:
    @settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        files=st.fixed_dictionaries(
            {
                "enrollments": lines_of(enrollments(odd=True)),
                "sessions": lines_of(sessions(odd=True)),
                "results": lines_of(results(odd=True)),
            }
        ),
        final_newline=st.booleans(),
        crlf=st.booleans(),
    )
    def test_generated_exports_give_the_pure_paths_reports_and_bad_lines(
        self, files: dict[str, list[bytes]], final_newline: bool, crlf: bool
    ) -> None:
        """Odd and bad lines of every kind: the engine's document and stderr equal the pure path's."""
        self.check(files, final_newline=final_newline, crlf=crlf)

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        files=st.fixed_dictionaries(
            {
                "enrollments": lines_of(enrollments(odd=False), raw=False),
                "sessions": lines_of(sessions(odd=False), raw=False),
                "results": lines_of(results(odd=False), raw=False),
            }
        ),
        final_newline=st.booleans(),
        crlf=st.booleans(),
    )
    @example(
        files={
            "enrollments": [],
            "sessions": [],
            "results": [b'{"session_id": "s-1", "reflection": "nan, inf"}'],
        },
        final_newline=False,
        crlf=False,
    )
    def test_generated_plain_exports_take_the_fast_path(
        self, files: dict[str, list[bytes]], final_newline: bool, crlf: bool
    ) -> None:
        """Plain spellings: no bad line, no repeated session, no raw doubt (a false alarm): the fast path."""
        taken, pure_export = self.check(files, final_newline=final_newline, crlf=crlf)
        assert pure_export is not None
        ids = [json.loads(line)["id"] for line in files["sessions"]]
        repeated = len({str(i).lower() for i in ids}) < len(ids)
        text = b"\n".join(line for lines in files.values() for line in lines).decode()
        doubtful = any(
            re.search(pattern, text) for pattern in (*_duckdb_fast._DOUBT, _duckdb_fast._NULL_STRENGTHS)
        )
        if sum(f.bad for f in pure_export.files) == 0 and not repeated and not doubtful:
            assert taken is not None

    def check(
        self, lines: dict[str, list[bytes]], *, final_newline: bool, crlf: bool
    ) -> tuple[AnalyticsExport | None, AnalyticsExport | None]:
        """The engine gives the pure path's document and stderr; the fast path, when taken, its export."""
        newline = b"\r\n" if crlf else b"\n"
        files = {"cohorts": COHORTS}
        for name, found in lines.items():
            files[name] = joined(found, final_newline=final_newline).replace(b"\n", newline)
        taken: list[AnalyticsExport | None] = []
        problems: list[LineProblem] = []

        def spy(
            paths: dict[str, Path], *, on_problem: Callable[[LineProblem], None]
        ) -> AnalyticsExport | None:
            def both(problem: LineProblem) -> None:
                problems.append(problem)
                on_problem(problem)

            export = fast_export(paths, on_problem=both)
            taken.append(export)
            return export

        with tempfile.TemporaryDirectory() as tmp, mock.patch.object(_duckdb_fast, "fast_export", spy):
            directory = Path(tmp)
            write(directory, files)
            pure_document, pure_err, pure_export = run(directory, "python")
            engine_document, engine_err, _ = run(directory, "duckdb")
        assert (engine_document, engine_err) == (pure_document, pure_err)
        assert pure_export is not None
        assert len(taken) == 1
        event("fast path" if taken[0] is not None else "exact path")
        if taken[0] is not None:
            # Taken only when no line is bad, and then exactly the pure path's export.
            assert sum(f.bad for f in pure_export.files[1:]) == 0
            assert (taken[0].partial, taken[0].files, taken[0].cohorts) == (
                pure_export.partial,
                pure_export.files,
                pure_export.cohorts,
            )
        else:
            assert problems == []
        return taken[0], pure_export


def plain_export(learners: int) -> dict[str, bytes]:
    """An export of plain lines only (every spelling the fast path reads): it must take the fast path."""
    enrollments: list[dict[str, object]] = []
    sessions: list[dict[str, object]] = []
    results: list[dict[str, object]] = []
    for n in range(learners):
        user: object = n if n % 3 == 0 else f"u-{n}"
        enrollments.append({"user_id": user, "cohort_id": ["c1", "c2", 7][n % 3], "status": "active"})
        if n % 5 == 0:
            enrollments.append({"user_id": user, "cohort_id": "c2", "status": "completed"})
        if n % 7 == 0:
            enrollments.append({"user_id": user, "cohort_id": "c1", "status": "withdrawn"})
        for attempt in range((n // 3) % 3):
            stamp = datetime(2026, 1, 31, 23, tzinfo=UTC) + timedelta(minutes=37 * n + attempt)
            offset = timezone(timedelta(minutes=[0, 90, -300][n % 3]))
            sessions.append(
                {
                    "id": f"s-{n}-{attempt}" if n % 4 else 1000 * n + attempt,
                    "user_id": user,
                    "status": ["finished", "locked", "in_progress"][(n + attempt) % 3],
                    "completed_at": stamp.astimezone(offset).isoformat() if n % 11 else None,
                    "difficulty_selection": [None, "novice", "elite"][n % 3],
                    "recommended_track": [None, "grc", "defender", "offensive"][n % 4],
                    "aptitude_score": None if n % 13 == 0 else (n * 7.31) % 100,
                    "technical_exposure_score": n % 101,
                    "technical_exposure_answered": 10,
                    "strengths": [["web", "Web"], [], ["cloud  security", "Cloud Security"]][n % 3],
                    "reflection": {"why_cyber": "I want to protect people, in short"},
                }
            )
            if n % 6:
                results.append(
                    {
                        "session_id": f"s-{n}-{attempt}" if n % 4 else 1000 * n + attempt,
                        "overall_score": None if n % 17 == 0 else (n * 3.7) % 100,
                        "aptitude_score": 42.5,
                        "strengths": ["linux"] if n % 2 else [],
                    }
                )
    encode: Callable[[list[dict[str, object]]], bytes] = lambda rows: b"".join(  # noqa: E731
        json.dumps(row).encode() + b"\n" for row in rows
    )
    return {
        "cohorts": COHORTS,
        "enrollments": encode(enrollments),
        "sessions": encode(sessions),
        "results": encode(results),
    }


class TestTheFastPathIsTaken:
    def test_a_plain_export_takes_the_fast_path_with_the_pure_paths_figures(self, tmp_path: Path) -> None:
        """Ints, UUIDs, offsets, retakes, strength spellings: the fast path reads them all, exactly."""
        paths = write(tmp_path, plain_export(300))
        taken, problems = fast(paths)
        _document, err, pure_export = run(tmp_path, "python")
        assert taken is not None
        assert pure_export is not None
        assert (problems, err) == ([], "")
        assert taken.partial == pure_export.partial
        assert taken.files == pure_export.files
        assert all(taken.partial.stats_for(c).profiled > 0 for c in ("c1", "c2", "7"))

    def test_an_export_without_results_takes_the_fast_path(self, tmp_path: Path) -> None:
        """--results is optional: without it no learner has an overall score, as on the pure path."""
        files = plain_export(60)
        del files["results"]
        paths = write(tmp_path, files)
        taken, _problems = fast(paths)
        err = io.StringIO()
        pure = _read_inputs(paths, stdin=None, err=err, progress=lambda _s, _n: None, progress_every=0)
        assert taken is not None
        assert pure is not None
        assert (taken.partial, taken.files) == (pure.partial, pure.files)
        assert taken.partial.stats_for("c1").overall.count == 0

    def test_gzip_inputs_take_the_fast_path(self, tmp_path: Path) -> None:
        """A gzip-compressed input (known by its magic number, whatever its name) is read whole too."""
        files = plain_export(60)
        files["sessions"] = gzip.compress(files["sessions"])
        paths = write(tmp_path, files)
        taken, _problems = fast(paths)
        assert taken is not None
        assert taken.partial == run(tmp_path, "python")[2].partial  # type: ignore[union-attr]

    def test_a_bad_cohort_line_is_reported_once(self, tmp_path: Path) -> None:
        """Cohorts are read by the pure reader; their bad lines are reported once, by the fast path."""
        files = plain_export(30)
        files["cohorts"] += b'{"id": "c1", "name": "again"}\n'
        write(tmp_path, files)
        document, err, _export = run(tmp_path, "duckdb")
        assert err.count("duplicate_cohort") == 1
        assert (document, err) == run(tmp_path, "python")[:2]

    def test_one_bad_line_sends_the_run_to_the_exact_path(self, tmp_path: Path) -> None:
        """A single bad session line: the fast path steps aside and the line is named with its number."""
        files = plain_export(30)
        files["sessions"] += b'{"id": "s-x", "user_id": "u-1", "status": "finished", "aptitude_score": 101}\n'
        paths = write(tmp_path, files)
        assert fast(paths) == (None, [])
        document, err, _export = run(tmp_path, "duckdb")
        line = files["sessions"].count(b"\n")
        assert f"sessions.jsonl:{line}: invalid_payload: $.aptitude_score" in err
        assert (document, err) == run(tmp_path, "python")[:2]

    def test_standard_input_is_never_read_whole(self, tmp_path: Path) -> None:
        """An input on standard input cannot be read twice: the fast path declines."""
        paths = write(tmp_path, plain_export(5))
        paths["sessions"] = Path("-")
        assert fast(paths) == (None, [])


class TestRawChecks:
    def test_each_pattern_flags_what_the_pure_path_rejects(self) -> None:
        """Trailing commas, nan/inf spellings, escaped keys and null strengths are each caught."""
        import re  # noqa: PLC0415 - Python's re reads these patterns as RE2 does

        lines = {
            '{"a": 1,}': True,
            '{"a": [1 , ]}': True,
            '{"a": nan}': True,
            '{"a": -INFINITY }': True,
            '{"a": inf]': True,
            '{"st\\u0061tus": 1}': True,
            '{"strengths" :null}': True,
            '{"a": "financial", "b": "information"}': False,
            '{"a": "x, y", "b": [1, 2], "c": {"d": null}}': False,
        }
        patterns = (*_duckdb_fast._DOUBT, _duckdb_fast._NULL_STRENGTHS)
        found = {line: any(re.search(p, line) for p in patterns) for line in lines}
        assert found == lines

    def test_the_depth_limit_follows_the_recursion_limit(self) -> None:
        """A line nested deeper than half the recursion limit is doubtful (json.loads may fail on it)."""
        assert sys.getrecursionlimit() // 2 == _duckdb_fast._Run.depth_limit()
