"""``python -m profiler_core analytics``: dashboard reports from JSON Lines exports.

Reads a platform's exports — cohorts, enrollments, profiler sessions and
(optionally) result rows, one JSON object per line, in the SPEC §2 shapes — in
one streaming pass per file, and prints or writes the cohort and enterprise
reports as JSON::

    python -m profiler_core analytics --cohorts cohorts.jsonl --enrollments enrollments.jsonl.gz \\
        --sessions - --results results.jsonl --out report.json < sessions.jsonl

An input may be gzip-compressed (recognised by its magic number, whatever its
name) and at most one input may be ``-``, standard input. Files are read as
bytes and decoded line by line, so one undecodable line is one bad line.

Memory is bounded by the number of learners (each keeps only their latest
completed session) plus one owner per distinct session id (to catch a session
id shared by two learners), not by the number of lines. Every bad line is
reported on stderr as ``file:line: code: detail`` — never with a value from
the line — and counted in the output's ``input`` section; nothing is skipped
silently, and the exit status is 1 when any line was bad. Progress (the
share of the input read, the time elapsed and an estimate of the time left)
goes to stderr when it is a terminal or with ``--progress``, never to stdout.
"""

from __future__ import annotations

import argparse
import gzip
import importlib
import importlib.util
import io
import json
import sys
import time
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack
from pathlib import Path
from types import ModuleType
from typing import IO, TYPE_CHECKING, Final, TextIO, TypeVar

from attrs import field, frozen

from profiler_core._export_lines import (
    ENROLLMENT_KEYS,
    RESULT_KEYS,
    SESSION_KEYS,
    EnrollmentFields,
    ResultFields,
    SessionFields,
    cohort_value,
    completion_key,
    enrollment_fields,
    export_partial,
    is_completed,
    result_fields,
    session_fields,
)
from profiler_core._progress import ProgressMeter, size_of
from profiler_core.analytics import (
    DEFAULT_ANALYTICS_POLICY,
    AnalyticsPartial,
    AnalyticsPolicy,
    SuppressionPolicy,
    analytics_reports,
)
from profiler_core.errors import InvalidPayloadError, ProfilerCoreError
from profiler_core.models import (
    Cohort,
    CohortId,
    OrgId,
)
from profiler_core.report_formats import FORMATS, render_document
from profiler_core.serialization import unstructure
from profiler_core.services.access import _cohort_tuple

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

__all__ = [
    "LineSource",
    "LineProblem",
    "FileSummary",
    "AnalyticsExport",
    "read_export",
    "export_report",
    "add_analytics_command",
    "run_analytics",
]

T = TypeVar("T")

#: A named stream of JSON Lines: ``(name, lines)``, e.g. ``("sessions.jsonl", open(..., "rb"))``.
#: Lines may be ``bytes`` (decoded as UTF-8 one by one) or already decoded ``str``.
LineSource = tuple[str, Iterable[str | bytes]]


@frozen(kw_only=True)
class LineProblem:
    """One bad line: which file, which line (1-based), a machine code and a detail.

    Neither the code nor the detail quotes a value from the line, so problems
    can be logged and shared; the codes are listed in ``docs/reason-codes.md``.
    """

    source: str
    line: int
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.source}:{self.line}: {self.code}: {self.message}"


@frozen(kw_only=True)
class FileSummary:
    """What one input file held: lines read, bad lines, and good lines outside every population.

    ``ignored`` counts well-formed lines that concern no counted learner (an
    enrollment in an uncounted status, a session of a learner not counted in
    any cohort, a result of a session that does not count).
    """

    source: str
    lines: int
    bad: int
    ignored: int


def _files(values: Iterable[FileSummary]) -> tuple[FileSummary, ...]:
    return tuple(values)


@frozen(kw_only=True)
class AnalyticsExport:
    """What :func:`read_export` read: the cohorts, the learners' partial, and per-file counts."""

    cohorts: tuple[Cohort, ...] = field(converter=_cohort_tuple)
    partial: AnalyticsPartial
    files: tuple[FileSummary, ...] = field(converter=_files)

    @property
    def bad_lines(self) -> int:
        """Bad lines over every file."""
        return sum(f.bad for f in self.files)


ProblemSink = Callable[[LineProblem], None]
ProgressSink = Callable[[str, int], None]


class _BadLineError(Exception):
    """Raised while handling one line: the line is reported with this code and detail."""

    def __init__(self, *, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _payload_detail(exc: InvalidPayloadError) -> str:
    # Path and code only: a problem's message may quote the offending value.
    return "; ".join(p.log_safe() for p in exc.problems)


def _text(raw: str | bytes, number: int) -> str:
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise _BadLineError(code="not_utf8", message=f"invalid UTF-8 at byte {exc.start + 1}") from None
    # A byte order mark may open a file (spreadsheet exports write one); it is not data.
    return raw[1:] if number == 1 and raw.startswith("\ufeff") else raw


def _json(text: str) -> object:
    try:
        return json.loads(text)
    except ValueError as exc:
        # json's messages name a position, never the text.
        raise _BadLineError(code="not_json", message=str(exc.args[0] if exc.args else exc)) from None
    except RecursionError:
        # json raises this, not ValueError, for very deeply nested input.
        raise _BadLineError(code="not_json", message="nested too deeply") from None


class _Reader:
    """Parses one source line by line, reporting problems and progress as it goes."""

    def __init__(
        self, source: LineSource, on_problem: ProblemSink, on_progress: ProgressSink, every: int
    ) -> None:
        self.name, self.lines = source
        self.on_problem = on_problem
        self.on_progress = on_progress
        self.every = every
        self.count = 0
        self.bad = 0
        self.ignored = 0

    def each(self, parse: Callable[[object], T], handle: Callable[[int, T], bool]) -> None:
        """Read each line's JSON, *parse* it and pass the result to *handle*; report every line that fails.

        *handle* returns whether the line was used (``False`` counts it as
        ignored) or raises :class:`_BadLineError`. Whatever goes wrong with one
        line — its bytes, its JSON, its payload, or an unexpected exception
        while handling it — is reported against that line and reading goes
        on; only failing to read the source itself stops it.

        The common line (UTF-8 JSON) costs one ``decode`` and one
        ``json.loads``; a line that fails them (blank, a byte order mark, bad
        bytes, bad JSON) is read again by the exact path that says why.
        """
        every, loads, ignored, number = self.every, json.loads, 0, 0
        try:
            for number, raw in enumerate(self.lines, start=1):
                if every and number % every == 0:
                    self.on_progress(self.name, number)
                try:
                    try:
                        data = loads(raw.decode() if type(raw) is bytes else raw)
                    except Exception:  # the exact path says what is wrong
                        text = _text(raw, number)
                        if not text.strip():
                            continue  # a blank line (e.g. the file's trailing newline) holds no record
                        data = _json(text)
                    if not handle(number, parse(data)):
                        ignored += 1
                except _BadLineError as bad:
                    self.problem(number, code=bad.code, message=bad.message)
                except InvalidPayloadError as exc:
                    self.problem(number, code="invalid_payload", message=_payload_detail(exc))
                except ProfilerCoreError as exc:
                    # The class name and code only: e.g. UnknownValueError's message quotes the value.
                    self.problem(number, code=exc.code, message=type(exc).__name__)
                except Exception as exc:  # a safety net: one line must not stop the run
                    self.problem(number, code="unexpected_error", message=_unexpected(exc))
        finally:
            self.count = number
            self.ignored += ignored

    def problem(self, number: int, *, code: str, message: str) -> None:
        self.bad += 1
        self.on_problem(LineProblem(source=self.name, line=number, code=code, message=message))

    def summary(self) -> FileSummary:
        return FileSummary(source=self.name, lines=self.count, bad=self.bad, ignored=self.ignored)


def _unexpected(exc: BaseException) -> str:
    # The exception's type only: its message may quote the value that caused it.
    return type(exc).__name__


def _ignore_problem(_problem: LineProblem) -> None:
    return None


def _ignore_progress(_source: str, _lines: int) -> None:
    return None


def read_export(
    *,
    cohorts: LineSource,
    enrollments: LineSource,
    sessions: LineSource,
    results: LineSource | None = None,
    policy: AnalyticsPolicy = DEFAULT_ANALYTICS_POLICY,
    on_problem: ProblemSink = _ignore_problem,
    on_progress: ProgressSink = _ignore_progress,
    progress_every: int = 100_000,
) -> AnalyticsExport:
    """Read JSON Lines exports in one pass per source into an :class:`AnalyticsExport`.

    Sources are read in order: cohorts, enrollments (only counted statuses of
    known cohorts are kept, per learner), sessions (only each counted
    learner's latest completed one is kept), results (only those of kept
    sessions). Lines are ``bytes`` (decoded as UTF-8, one line at a time) or
    ``str``. Each line is read with the wire rules of SPEC §2
    (:func:`profiler_core.structure`), on the fields the reports use: a
    session's ``id``, ``user_id``, ``status``, ``completed_at``,
    ``difficulty_selection``, ``aptitude_score``, ``technical_exposure_score``
    (and ``technical_exposure_answered``), ``strengths`` and
    ``recommended_track``; a result's ``session_id``, ``overall_score``,
    ``aptitude_score`` and ``strengths``; every field of enrollments and
    cohorts. Other fields are ignored like unknown keys.

    Bad lines are reported and skipped, never the whole source: a line that
    is not UTF-8, not JSON, or a payload ``structure()`` rejects; a second
    cohort with the same id (the first is kept); an enrollment naming a cohort
    absent from the cohorts source; a session whose id another learner's
    session already has (``session_id_conflict``: neither learner gets a
    result row of that id, and every such result row is a bad line too); a
    result without ``session_id``; a second result of a counted session (the
    first is kept); and any unexpected exception while handling a line.

    Args:
        cohorts: ``(name, lines)`` of :class:`~profiler_core.models.Cohort` objects.
        enrollments: enrollments.
        sessions: profiler sessions (any status).
        results: result rows (optional: without them no learner has an overall score).
        policy: which enrollment statuses count.
        on_problem: called with each bad line.
        on_progress: called with ``(source name, lines read)`` every *progress_every* lines.
        progress_every: progress interval (0: never).
    """

    def reader(source: LineSource) -> _Reader:
        return _Reader(source, on_problem, on_progress, progress_every)

    return _Export(
        policy,
        cohorts=reader(cohorts),
        enrollments=reader(enrollments),
        sessions=reader(sessions),
        results=reader(results) if results is not None else None,
    ).run()


class _Export:
    """The state of :func:`read_export`: one handler per kind of line, then the accumulation."""

    def __init__(
        self,
        policy: AnalyticsPolicy,
        *,
        cohorts: _Reader,
        enrollments: _Reader,
        sessions: _Reader,
        results: _Reader | None,
    ) -> None:
        self.policy = policy
        self.counted = frozenset(s.value for s in policy.counted_statuses)
        self.cohorts, self.enrollments, self.sessions, self.results = cohorts, enrollments, sessions, results
        self.known: dict[CohortId, tuple[int, Cohort]] = {}
        self.cohorts_of: dict[str, set[str]] = {}
        # Who owns each session id (the first line naming it): a result row names a
        # session, never a learner, so an id two learners share cannot place a result.
        self.owners: dict[str, tuple[str, int]] = {}
        self.shared: set[str] = set()
        # Per counted learner: (line, completion key, fields) of their latest completed session.
        self.latest: dict[str, tuple[int, object, SessionFields]] = {}
        self.kept_ids: set[str] = set()
        self.rows: dict[str, tuple[int, ResultFields]] = {}

    def run(self) -> AnalyticsExport:
        self.cohorts.each(cohort_value, self.on_cohort)
        self.enrollments.each(enrollment_fields, self.on_enrollment)
        self.sessions.each(session_fields, self.on_session)
        self.owners.clear()  # only the shared ids matter from here on
        self.kept_ids = {fields[0] for _, _, fields in self.latest.values()} - self.shared
        if self.results is not None:
            self.results.each(result_fields, self.on_result)
        return self.accumulate()

    def on_cohort(self, number: int, cohort: Cohort) -> bool:
        first = self.known.get(cohort.id)
        if first is not None:
            raise _BadLineError(
                code="duplicate_cohort", message=f"same cohort id as line {first[0]} (the first is kept)"
            )
        self.known[cohort.id] = (number, cohort)
        return True

    def on_enrollment(self, _number: int, enrollment: EnrollmentFields) -> bool:
        user, cohort, status = enrollment
        if cohort not in self.known:
            raise _BadLineError(code="unknown_cohort", message=f"the cohort is not in {self.cohorts.name}")
        if status not in self.counted:
            return False
        found = self.cohorts_of.get(user)
        if found is None:
            self.cohorts_of[user] = {cohort}
        else:
            found.add(cohort)
        return True

    def on_session(self, number: int, fields: SessionFields) -> bool:
        session_id, user = fields[0], fields[1]
        owner = self.owners.setdefault(session_id, (user, number))
        if owner[0] != user:
            self.shared.add(session_id)
            raise _BadLineError(
                code="session_id_conflict",
                message=f"same session id as line {owner[1]}, another learner's",
            )
        if user not in self.cohorts_of or not is_completed(fields[2]):
            return False
        key = completion_key(fields)
        kept = self.latest.get(user)
        # The later session wins; on equal keys the first line is kept (latest_completed_session's max).
        if kept is None or key > kept[1]:  # type: ignore[operator]
            self.latest[user] = (number, key, fields)
        return True

    def on_result(self, number: int, row: ResultFields) -> bool:
        session_id = row[0]
        if session_id is None:
            raise _BadLineError(code="result_without_session", message="$.session_id: required")
        if session_id in self.shared:
            raise _BadLineError(
                code="ambiguous_session",
                message=f"the session id belongs to more than one learner in {self.sessions.name}",
            )
        first = self.rows.get(session_id)
        if first is not None:
            raise _BadLineError(
                code="duplicate_result", message=f"same session as line {first[0]} (the first is kept)"
            )
        if session_id not in self.kept_ids:
            return False
        self.rows[session_id] = (number, row)
        return True

    def accumulate(self) -> AnalyticsExport:
        def on_error(line: int, exc: Exception) -> None:
            # The learner still counts, as not profiled; their session's line says why.
            self.sessions.problem(line, code="unexpected_error", message=_unexpected(exc))

        partial = export_partial(
            self.cohorts_of, self.latest, self.rows, policy=self.policy, on_error=on_error
        )
        return AnalyticsExport(
            cohorts=sorted((c for _, c in self.known.values()), key=lambda c: c.id),
            partial=partial,
            files=[r.summary() for r in (self.cohorts, self.enrollments, self.sessions, self.results) if r],
        )


def _not_found(kind: str, key: str) -> dict[str, object]:
    code = "cohort_not_found" if kind == "cohort" else "unknown_enterprise"
    message = (
        f"Cohort {key} does not exist."
        if kind == "cohort"
        else f"No cohort names enterprise {key} as its sponsor."
    )
    return {"kind": "not_found", "reason": {"code": code, "message": message}}


def export_report(
    export: AnalyticsExport,
    *,
    enterprise_ids: Sequence[str] = (),
    cohort_ids: Sequence[str] = (),
    policy: AnalyticsPolicy = DEFAULT_ANALYTICS_POLICY,
    suppression: SuppressionPolicy | None = None,
) -> dict[str, object]:
    """The JSON document the command prints: input counts, enterprise reports, cohort reports.

    With neither *enterprise_ids* nor *cohort_ids*, every enterprise and every
    cohort is reported; otherwise exactly the ones asked for. An id that does
    not exist is reported as ``{"kind": "not_found", "reason": {...}}`` —
    never as everything.
    """
    suppression = suppression or SuppressionPolicy()
    by_enterprise: dict[OrgId, list[Cohort]] = {}
    for cohort in export.cohorts:
        if cohort.enterprise_id is not None:
            by_enterprise.setdefault(cohort.enterprise_id, []).append(cohort)
    everything = not enterprise_ids and not cohort_ids
    wanted_enterprises = sorted(by_enterprise) if everything else list(dict.fromkeys(enterprise_ids))
    wanted_cohorts = [c.id for c in export.cohorts] if everything else list(dict.fromkeys(cohort_ids))
    known = {c.id: c for c in export.cohorts}
    # A sponsored cohort is protected together with its enterprise's other cohorts, and
    # each enterprise once for its report and its cohorts' reports (analytics_reports).
    context: dict[CohortId, Cohort] = {}
    for enterprise_id in wanted_enterprises:
        context |= {c.id: c for c in by_enterprise.get(OrgId(enterprise_id), [])}
    for wanted in wanted_cohorts:
        found = known.get(CohortId(wanted))
        if found is not None:
            siblings = by_enterprise.get(found.enterprise_id, []) if found.enterprise_id else []
            context |= {c.id: c for c in (siblings or [found])}
    reports = analytics_reports(context.values(), export.partial, policy=policy, suppression=suppression)
    enterprises: dict[str, object] = {
        enterprise_id: unstructure(reports.enterprises[OrgId(enterprise_id)])
        if OrgId(enterprise_id) in reports.enterprises
        else _not_found("enterprise", enterprise_id)
        for enterprise_id in wanted_enterprises
    }
    cohorts: dict[str, object] = {
        wanted: unstructure(reports.cohorts[CohortId(wanted)])
        if wanted in known
        else _not_found("cohort", wanted)
        for wanted in wanted_cohorts
    }
    return {
        "kind": "analytics_report",
        "policies": {"analytics": str(policy.ref), "suppression": str(suppression.ref)},
        "k": suppression.k,
        "input": {"files": [unstructure(f) for f in export.files], "bad_lines": export.bad_lines},
        "enterprises": enterprises,
        "cohorts": cohorts,
    }


def add_analytics_command(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register the ``analytics`` command on the CLI's subparsers."""
    command = subparsers.add_parser(
        "analytics",
        help="cohort and enterprise dashboard reports from JSON Lines exports",
        description="Read cohorts, enrollments, sessions and results (JSON Lines, one pass per file; "
        "gzip-compressed files are recognised by their content; '-' is standard input, for at most one "
        "of them) and print or write the cohort and enterprise reports as JSON. Bad lines are reported "
        "on stderr as file:line: code: detail and counted; the exit status is 1 when any line was bad, "
        "2 when an input could not be read or an output written.",
    )
    command.add_argument("--cohorts", required=True, type=Path, help="cohorts, one JSON object per line")
    command.add_argument("--enrollments", required=True, type=Path, help="enrollments (any status)")
    command.add_argument("--sessions", required=True, type=Path, help="profiler sessions (any status)")
    command.add_argument("--results", type=Path, help="profiler result rows (give the overall score)")
    command.add_argument(
        "--enterprise", action="append", default=[], metavar="ID", help="report this enterprise (repeatable)"
    )
    command.add_argument(
        "--cohort", action="append", default=[], metavar="ID", help="report this cohort (repeatable)"
    )
    command.add_argument("--k", type=int, default=5, help="suppression threshold k (default 5)")
    command.add_argument("--out", type=Path, help="write the report here instead of stdout")
    command.add_argument(
        "--format",
        choices=FORMATS,
        default="json",
        help="json (default: the document), text (readable tables), csv (tidy rows), "
        "html (one self-contained page with charts)",
    )
    command.add_argument(
        "--progress", action="store_true", help="progress on stderr even when it is not a terminal"
    )
    command.add_argument(
        "--progress-every", type=int, default=100_000, metavar="N", help="update progress every N lines"
    )
    command.add_argument(
        "--engine",
        choices=("python", "duckdb"),
        default="python",
        help="python (default): the pure reader; duckdb: DuckDB parses the lines first (faster on big "
        "exports; needs the profiler-core[duckdb] extra); the reports and bad lines are the same",
    )
    command.add_argument(
        "--quiet",
        action="store_true",
        help="no progress and no summary on stderr (bad lines are still reported)",
    )


def _stderr_problem(stream: TextIO) -> ProblemSink:
    def report(problem: LineProblem) -> None:
        stream.write(f"analytics: {problem}\n")

    return report


_STDIN = "-"
_GZIP_MAGIC = b"\x1f\x8b"


class _UnreadableInputError(Exception):
    """An input could not be read to its end (an I/O error, or broken gzip data)."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"cannot read {source}: {reason}")


class _Prefixed(io.RawIOBase):
    """The bytes already read from a stream (to look at its magic number), then the rest of it."""

    def __init__(self, head: bytes, rest: IO[bytes]) -> None:
        super().__init__()
        self._head = head
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer) -> int:
        view = memoryview(buffer).cast("B")
        data = self._head[: len(view)] if self._head else self._rest.read(len(view))
        self._head = self._head[len(data) :]
        view[: len(data)] = data
        return len(data)


def _reason(exc: Exception) -> str:
    if isinstance(exc, EOFError):
        return "the compressed data ends early (truncated gzip)"
    if isinstance(exc, (zlib.error, gzip.BadGzipFile)):
        return "not valid gzip data"
    return exc.strerror if isinstance(exc, OSError) and exc.strerror else type(exc).__name__


def _lines(name: str, stream: IO[bytes]) -> Iterator[bytes]:
    """The lines of a binary stream, gunzipped when it starts with gzip's magic number.

    The content decides, not the name: standard input can be compressed too,
    and no JSON Lines file starts with byte 0x1f.
    """
    try:
        head = stream.read(len(_GZIP_MAGIC))
        plain = io.BufferedReader(_Prefixed(head, stream))
        yield from gzip.GzipFile(fileobj=plain, mode="rb") if head == _GZIP_MAGIC else plain
    except (OSError, EOFError, zlib.error) as exc:
        raise _UnreadableInputError(name, _reason(exc)) from exc


def _input_name(path: Path) -> str:
    return "<stdin>" if str(path) == _STDIN else str(path)


#: The fields each big input's lines are read for (what the duckdb engine extracts).
_ENGINE_KEYS: Final = {"enrollments": ENROLLMENT_KEYS, "sessions": SESSION_KEYS, "results": RESULT_KEYS}


def _engine(engine: str) -> ModuleType | None:
    # The optional engine is imported only when asked for: profiler_core never needs duckdb.
    return importlib.import_module("profiler_core._duckdb_export") if engine == "duckdb" else None


def _read_inputs(
    paths: dict[str, Path],
    *,
    stdin: IO[bytes] | None,
    err: TextIO,
    progress: ProgressSink,
    progress_every: int,
    engine: str = "python",
    meter: ProgressMeter | None = None,
) -> AnalyticsExport | None:
    """Open the inputs and read them; ``None`` (after a message on *err*) when one cannot be read.

    With *engine* ``"duckdb"`` the enrollments, sessions and results go through
    DuckDB first (``profiler_core._duckdb_export``): same lines, same reader. A
    *meter* is told each input's position and size, and is the progress sink.
    """
    with ExitStack() as stack:
        try:
            module = _engine(engine)
            if module is not None and (fast := module.fast_export(paths, err)) is not None:
                return fast  # type: ignore[no-any-return]  # the engine read every file whole
            connection = module.connect() if module is not None else None
            sources: dict[str, LineSource] = {}
            for name, path in paths.items():
                if str(path) == _STDIN:
                    stream = stdin if stdin is not None else sys.stdin.buffer
                else:
                    stream = stack.enter_context(path.open("rb"))
                shown = _input_name(path)
                if meter is not None:  # standard input's size is unknown, even from a file
                    meter.watch(stream.tell, None if str(path) == _STDIN else size_of(stream))
                keys = _ENGINE_KEYS.get(name)
                lines = (
                    module.engine_lines(shown, stream, keys, connection)
                    if module is not None and keys is not None
                    else _lines(shown, stream)
                )
                sources[name] = (shown, lines)
            export = read_export(
                cohorts=sources["cohorts"],
                enrollments=sources["enrollments"],
                sessions=sources["sessions"],
                results=sources.get("results"),
                on_problem=meter.cleared(_stderr_problem(err)) if meter else _stderr_problem(err),
                on_progress=meter or progress,
                progress_every=progress_every,
            )
            if meter is not None:  # while the inputs are open: their positions are the last reading
                meter.finish(sum(f.lines for f in export.files))
            return export
        except OSError as exc:
            err.write(f"analytics: cannot read {exc.filename}: {exc.strerror}\n")
            return None
        except _UnreadableInputError as exc:
            err.write(f"analytics: {exc}\n")
            return None


def run_analytics(
    args: argparse.Namespace,
    *,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    stdin: IO[bytes] | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> int:
    """Run the ``analytics`` command; returns the exit status.

    0: every line was good; 1: the report was produced but some lines were bad;
    2: an input could not be read (or was ``-`` twice), the output could not
    be written, or an option is invalid. *stdin* is the binary stream ``-``
    reads (default ``sys.stdin.buffer``); *clock* times the progress shown on
    *stderr* when it is a terminal or with ``--progress`` (never with ``--quiet``).
    """
    out = stdout if stdout is not None else sys.stdout
    err = stderr if stderr is not None else sys.stderr
    try:
        suppression = SuppressionPolicy(k=args.k)
    except ProfilerCoreError as exc:
        err.write(f"analytics: --k: {exc}\n")
        return 2
    every = max(args.progress_every, 0)
    shown = not args.quiet and every > 0 and (getattr(args, "progress", False) or err.isatty())
    meter = ProgressMeter(err, clock, redraw=err.isatty()) if shown else None
    paths: dict[str, Path] = {
        name: path
        for name, path in (
            ("cohorts", args.cohorts),
            ("enrollments", args.enrollments),
            ("sessions", args.sessions),
            ("results", args.results),
        )
        if path is not None
    }
    from_stdin = [f"--{name}" for name, path in paths.items() if str(path) == _STDIN]
    if len(from_stdin) > 1:
        err.write(f"analytics: only one input may be '-' (standard input), not {' and '.join(from_stdin)}\n")
        return 2
    engine = getattr(args, "engine", "python")
    if engine == "duckdb" and importlib.util.find_spec("duckdb") is None:
        err.write("analytics: --engine duckdb needs DuckDB: pip install 'profiler-core[duckdb]'\n")
        return 2
    export = _read_inputs(
        paths,
        stdin=stdin,
        err=err,
        progress=_ignore_progress,
        progress_every=every,
        engine=engine,
        meter=meter,
    )
    if export is None:
        return 2
    document = export_report(
        export, enterprise_ids=args.enterprise, cohort_ids=args.cohort, suppression=suppression
    )
    text = render_document(document, args.format)
    if args.out is not None:
        try:
            args.out.write_text(text, encoding="utf-8")
        except OSError as exc:
            err.write(f"analytics: cannot write {args.out}: {exc.strerror}\n")
            return 2
    else:
        out.write(text)
    if not args.quiet:
        lines = sum(f.lines for f in export.files)
        err.write(f"analytics: {lines:,} lines read, {export.bad_lines:,} bad\n")
    return 1 if export.bad_lines else 0
