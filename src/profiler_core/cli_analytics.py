"""``python -m profiler_core analytics``: dashboard reports from JSON Lines exports.

Reads a platform's exports — cohorts, enrollments, profiler sessions and
(optionally) result rows, one JSON object per line, in the SPEC §2 shapes — in
one streaming pass per file, and prints or writes the cohort and enterprise
reports as JSON::

    python -m profiler_core analytics --cohorts cohorts.jsonl --enrollments enrollments.jsonl \\
        --sessions sessions.jsonl --results results.jsonl --out report.json

Memory is bounded by the number of learners (each keeps only their latest
completed session), not by the number of lines. Every bad line is reported on
stderr as ``file:line: message`` and counted in the output's ``input``
section; nothing is skipped silently, and the exit status is 1 when any line
was bad. Progress goes to stderr every ``--progress-every`` lines.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import TextIO, TypeVar

from attrs import field, frozen

from profiler_core.analytics import (
    DEFAULT_ANALYTICS_POLICY,
    AnalyticsAccumulator,
    AnalyticsPartial,
    AnalyticsPolicy,
    SuppressionPolicy,
    cohort_reports,
    enterprise_report,
)
from profiler_core.errors import InvalidPayloadError, ProfilerCoreError
from profiler_core.mapping import latest_completed_session
from profiler_core.models import (
    Cohort,
    CohortId,
    Enrollment,
    OrgId,
    ProfilerResult,
    ProfilerSession,
    SessionId,
    UserId,
)
from profiler_core.serialization import structure

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

#: A named stream of JSON Lines: ``(name, lines)``, e.g. ``("sessions.jsonl", open(...))``.
LineSource = tuple[str, Iterable[str]]


@frozen(kw_only=True)
class LineProblem:
    """One bad line: which file, which line (1-based), what is wrong."""

    source: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.source}:{self.line}: {self.message}"


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

    def to_dict(self) -> dict[str, object]:
        """``{"source", "lines", "bad", "ignored"}``."""
        return {"source": self.source, "lines": self.lines, "bad": self.bad, "ignored": self.ignored}


def _cohorts(values: Iterable[Cohort]) -> tuple[Cohort, ...]:
    return tuple(values)


def _files(values: Iterable[FileSummary]) -> tuple[FileSummary, ...]:
    return tuple(values)


@frozen(kw_only=True)
class AnalyticsExport:
    """What :func:`read_export` read: the cohorts, the learners' partial, and per-file counts."""

    cohorts: tuple[Cohort, ...] = field(converter=_cohorts)
    partial: AnalyticsPartial
    files: tuple[FileSummary, ...] = field(converter=_files)

    @property
    def bad_lines(self) -> int:
        """Bad lines over every file."""
        return sum(f.bad for f in self.files)


ProblemSink = Callable[[LineProblem], None]
ProgressSink = Callable[[str, int], None]


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

    def values(self, type_: type[T]) -> Iterator[tuple[int, T]]:
        """Yield ``(line number, value)`` for each good line; report the others."""
        for number, text in enumerate(self.lines, start=1):
            self.count = number
            if self.every and number % self.every == 0:
                self.on_progress(self.name, number)
            if not text.strip():
                continue  # a blank line (e.g. the file's trailing newline) holds no record
            try:
                data = json.loads(text)
            except ValueError as exc:
                self.problem(number, f"not JSON ({exc.args[0] if exc.args else exc})")
                continue
            except RecursionError:
                # json raises this, not ValueError, for very deeply nested input.
                self.problem(number, "not JSON (nested too deeply)")
                continue
            try:
                yield number, structure(data, type_)
            except InvalidPayloadError as exc:
                self.problem(number, "; ".join(str(p) for p in exc.problems))

    def problem(self, number: int, message: str) -> None:
        self.bad += 1
        self.on_problem(LineProblem(source=self.name, line=number, message=message))

    def summary(self) -> FileSummary:
        return FileSummary(source=self.name, lines=self.count, bad=self.bad, ignored=self.ignored)


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
    sessions). Lines are structured with :func:`profiler_core.structure`, so
    the wire rules of SPEC §2 apply. An enrollment naming a cohort absent from
    the cohorts source, a result without ``session_id``, and a second result
    of a counted session (the first is kept) are bad lines too.

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
    readers: list[_Reader] = []

    def reader(source: LineSource) -> _Reader:
        readers.append(_Reader(source, on_problem, on_progress, progress_every))
        return readers[-1]

    known: dict[CohortId, Cohort] = {}
    cohort_reader = reader(cohorts)
    for number, cohort in cohort_reader.values(Cohort):
        if cohort.id in known:
            cohort_reader.problem(number, f"cohort {cohort.id} appears twice")
            continue
        known[cohort.id] = cohort

    counted = policy.counted_statuses
    cohorts_of: dict[UserId, set[CohortId]] = {}
    enrollment_reader = reader(enrollments)
    for number, enrollment in enrollment_reader.values(Enrollment):
        if enrollment.cohort_id not in known:
            enrollment_reader.problem(number, f"cohort {enrollment.cohort_id} is not in {cohort_reader.name}")
        elif enrollment.status in counted:
            cohorts_of.setdefault(enrollment.user_id, set()).add(enrollment.cohort_id)
        else:
            enrollment_reader.ignored += 1

    latest: dict[UserId, ProfilerSession] = {}
    session_reader = reader(sessions)
    for _number, session in session_reader.values(ProfilerSession):
        if session.user_id not in cohorts_of or not session.is_completed:
            session_reader.ignored += 1
            continue
        kept = latest.get(session.user_id)
        latest[session.user_id] = (
            latest_completed_session((session,) if kept is None else (kept, session)) or session
        )

    kept_ids = {s.id for s in latest.values()}
    rows: dict[SessionId, ProfilerResult] = {}
    if results is not None:
        result_reader = reader(results)
        for number, row in result_reader.values(ProfilerResult):
            if row.session_id is None:
                result_reader.problem(number, "$.session_id: required to attach a result to its session")
            elif row.session_id in rows:
                result_reader.problem(number, f"a result for session {row.session_id} appears twice")
            elif row.session_id in kept_ids:
                rows[row.session_id] = row
            else:
                result_reader.ignored += 1

    accumulator = AnalyticsAccumulator(policy)
    for user in sorted(cohorts_of):
        learner_session = latest.get(user)
        accumulator.add_learner(
            cohorts_of[user], learner_session, rows.get(learner_session.id) if learner_session else None
        )
    return AnalyticsExport(
        cohorts=sorted(known.values(), key=lambda c: c.id),
        partial=accumulator.partial(),
        files=[r.summary() for r in readers],
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
    enterprises: dict[str, object] = {}
    for enterprise_id in wanted_enterprises:
        members = by_enterprise.get(OrgId(enterprise_id))
        enterprises[enterprise_id] = (
            enterprise_report(
                OrgId(enterprise_id), members, export.partial, policy=policy, suppression=suppression
            ).to_dict()
            if members
            else _not_found("enterprise", enterprise_id)
        )
    known = {c.id: c for c in export.cohorts}
    # A sponsored cohort is protected together with its enterprise's other cohorts.
    context: dict[CohortId, Cohort] = {}
    for wanted in wanted_cohorts:
        found = known.get(CohortId(wanted))
        if found is not None:
            siblings = by_enterprise.get(found.enterprise_id, []) if found.enterprise_id else []
            context |= {c.id: c for c in (siblings or [found])}
    reports = cohort_reports(context.values(), export.partial, policy=policy, suppression=suppression)
    cohorts: dict[str, object] = {
        wanted: reports[CohortId(wanted)].to_dict() if wanted in known else _not_found("cohort", wanted)
        for wanted in wanted_cohorts
    }
    return {
        "kind": "analytics_report",
        "policies": {"analytics": str(policy.ref), "suppression": str(suppression.ref)},
        "k": suppression.k,
        "input": {"files": [f.to_dict() for f in export.files], "bad_lines": export.bad_lines},
        "enterprises": enterprises,
        "cohorts": cohorts,
    }


def add_analytics_command(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register the ``analytics`` command on the CLI's subparsers."""
    command = subparsers.add_parser(
        "analytics",
        help="cohort and enterprise dashboard reports from JSON Lines exports",
        description="Read cohorts, enrollments, sessions and results (JSON Lines, one pass per file) "
        "and print or write the cohort and enterprise reports as JSON. Bad lines are reported on "
        "stderr with their line number and counted; the exit status is 1 when any line was bad.",
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
    command.add_argument("--out", type=Path, help="write the JSON here instead of stdout")
    command.add_argument(
        "--progress-every",
        type=int,
        default=100_000,
        metavar="N",
        help="progress on stderr every N lines (0: never)",
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


def _stderr_progress(stream: TextIO) -> ProgressSink:
    def report(source: str, lines: int) -> None:
        stream.write(f"analytics: {source}: {lines:,} lines read\n")
        stream.flush()

    return report


def run_analytics(
    args: argparse.Namespace, *, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int:
    """Run the ``analytics`` command; returns the exit status.

    0: every line was good; 1: the report was produced but some lines were bad;
    2: a file could not be read or written, or an option is invalid.
    """
    out = stdout if stdout is not None else sys.stdout
    err = stderr if stderr is not None else sys.stderr
    try:
        suppression = SuppressionPolicy(k=args.k)
    except ProfilerCoreError as exc:
        err.write(f"analytics: --k: {exc}\n")
        return 2
    progress = _ignore_progress if args.quiet else _stderr_progress(err)
    paths = {
        "cohorts": args.cohorts,
        "enrollments": args.enrollments,
        "sessions": args.sessions,
        "results": args.results,
    }
    with ExitStack() as stack:
        try:
            handles = {
                name: stack.enter_context(path.open(encoding="utf-8"))
                for name, path in paths.items()
                if path is not None
            }
            export = read_export(
                cohorts=(str(args.cohorts), handles["cohorts"]),
                enrollments=(str(args.enrollments), handles["enrollments"]),
                sessions=(str(args.sessions), handles["sessions"]),
                results=(str(args.results), handles["results"]) if "results" in handles else None,
                on_problem=_stderr_problem(err),
                on_progress=progress,
                progress_every=max(args.progress_every, 0),
            )
        except OSError as exc:
            err.write(f"analytics: cannot read {exc.filename}: {exc.strerror}\n")
            return 2
        except UnicodeDecodeError as exc:
            err.write(f"analytics: cannot read input: {exc}\n")
            return 2
    document = export_report(
        export, enterprise_ids=args.enterprise, cohort_ids=args.cohort, suppression=suppression
    )
    text = json.dumps(document, indent=2) + "\n"
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
