"""Reading OCH rows: what one row read gives, what a batch read gives, and the shared steps.

Every reader of :mod:`profiler_core.och` (``read_profiler_session``,
``read_recipe``, ...) takes one row as the platform hands it (a Django
``QuerySet.values()`` dict holding ``uuid.UUID`` objects, ints, ``Decimal``
values, datetimes and ``None``; or a JSON body) and returns a :class:`RowRead`:
the library value and the notes the read made (a track reference that resolved
to nothing, a vocabulary value kept as unknown). The reader builds the wire
dict the library reads and hands it to :func:`profiler_core.structure`, so
every wire rule of SPEC §2 applies; a bad row raises one
:class:`~profiler_core.errors.InvalidPayloadError` whose paths name the **real
column** (``$.behavioral_responses.why_cyber``, ``$.mentee_id``), never the
library's field.

:func:`read_rows` is the batch form: it reads every row, keeps the values of
the good ones and reports each bad one as :class:`RowProblem` values (row
index, row id, path, problem code; never the row's values), so one bad row
never hides the others and nothing is dropped silently.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from typing import Generic, TypeAlias, TypeVar

from attrs import field, frozen

from profiler_core.decisions import Reason, _reasons
from profiler_core.errors import InvalidPayloadError, Problem
from profiler_core.frozenmap import FrozenMap, freeze
from profiler_core.ids import _id_text
from profiler_core.serialization import structure

__all__ = [
    "Row",
    "IdKeyed",
    "RowRead",
    "RowProblem",
    "RowNote",
    "RowUnknown",
    "RowsRead",
    "read_rows",
]

V = TypeVar("V")

#: One row as the platform hands it: column name to value (a ``.values()`` dict or a JSON object).
Row = Mapping[str, object]

_T = TypeVar("_T")

#: A host's lookup keyed by a platform key in any form (``{8: "sponsor"}``, ``{cohort_uuid: org_id}``).
IdKeyed: TypeAlias = Mapping[str, _T] | Mapping[int, _T] | Mapping[uuid.UUID, _T]


def _kept(values: Mapping[str, str] | None) -> FrozenMap[str, str]:
    return freeze(values)


@frozen(kw_only=True)
class RowRead(Generic[V]):
    """One row read: the library value and the notes the read made.

    Attributes:
        value: the library value (``ProfilerSession``, ``Recipe``, ...).
        notes: reasons for what the read could not use as given (codes such as
            ``track_unresolved`` or ``unknown_track``); empty for a clean row.
        unknown: the values outside the library's vocabulary, kept as given,
            by the real column's path (``{"$.track_codes[1]": "DFIR"}``). They
            play no part in any rule; they are the row's own data, so log the
            paths, not the values.
    """

    value: V
    notes: tuple[Reason, ...] = field(default=(), converter=_reasons)
    unknown: FrozenMap[str, str] = field(factory=FrozenMap, converter=_kept)


@frozen(kw_only=True)
class RowProblem:
    """One problem of one rejected row: where it is and what kind, never the row's values.

    Attributes:
        index: the row's position in the batch (0-based).
        row_id: the row's ``id`` as canonical text, when it had a usable one.
        path: the real column's JSON path (``$.suspicious_patterns[1]``).
        code: the problem code (a :data:`~profiler_core.errors.PROBLEM_CODES` entry).
    """

    index: int
    row_id: str | None
    path: str
    code: str


@frozen(kw_only=True)
class RowNote:
    """One note of one read row (the row was read; this is what it could not use)."""

    index: int
    row_id: str | None
    reason: Reason


@frozen(kw_only=True)
class RowUnknown:
    """One value of a read row outside the vocabulary, kept as given (see :attr:`RowRead.unknown`)."""

    index: int
    row_id: str | None
    path: str
    value: str


def _values(values: Iterable[V]) -> tuple[V, ...]:
    return tuple(values)


def _problems_tuple(values: Iterable[RowProblem]) -> tuple[RowProblem, ...]:
    return tuple(values)


def _notes_tuple(values: Iterable[RowNote]) -> tuple[RowNote, ...]:
    return tuple(values)


def _unknown_tuple(values: Iterable[RowUnknown]) -> tuple[RowUnknown, ...]:
    return tuple(values)


@frozen(kw_only=True)
class RowsRead(Generic[V]):
    """A batch read: the values of the good rows, the problems of the bad ones, every note and unknown value.

    ``values`` keeps the order of the good rows. A row is either read (its
    value is in ``values``) or rejected (its problems are in ``problems``):
    ``len(values) + rejected == rows read``.
    """

    values: tuple[V, ...] = field(default=(), converter=_values)
    problems: tuple[RowProblem, ...] = field(default=(), converter=_problems_tuple)
    notes: tuple[RowNote, ...] = field(default=(), converter=_notes_tuple)
    unknown: tuple[RowUnknown, ...] = field(default=(), converter=_unknown_tuple)

    @property
    def rejected(self) -> int:
        """How many rows were rejected (each has at least one problem)."""
        return len({p.index for p in self.problems})

    @property
    def warning_counts(self) -> FrozenMap[str, int]:
        """How many notes of each reason code the batch made (the counted warnings)."""
        return freeze(dict(Counter(n.reason.code for n in self.notes)))


def _row_id(row: object) -> str | None:
    if not isinstance(row, Mapping):
        return None
    return _id_text(row.get("id"))


def read_rows(rows: Iterable[object], reader: Callable[[Row], RowRead[V]]) -> RowsRead[V]:
    """Read every row with *reader*; a bad row is reported and the others are still read.

    A row that is not a mapping is reported at path ``$`` with code
    ``not_an_object``. Only :class:`~profiler_core.errors.InvalidPayloadError`
    is turned into problems; any other exception from *reader* is a
    programming error and propagates.

    >>> from profiler_core.och import read_enrollment
    >>> batch = read_rows(
    ...     [{"user_id": 16, "cohort_id": "c-1", "status": "active"}, {"user_id": 17, "status": "joined"}],
    ...     read_enrollment,
    ... )
    >>> len(batch.values), [(p.index, p.path, p.code) for p in batch.problems]
    (1, [(1, '$.cohort_id', 'required'), (1, '$.status', 'unknown_value')])
    """
    values: list[V] = []
    problems: list[RowProblem] = []
    notes: list[RowNote] = []
    unknown: list[RowUnknown] = []
    for index, row in enumerate(rows):
        row_id = _row_id(row)
        if not isinstance(row, Mapping):
            problems.append(RowProblem(index=index, row_id=None, path="$", code="not_an_object"))
            continue
        try:
            read = reader(row)
        except InvalidPayloadError as exc:
            problems.extend(
                RowProblem(index=index, row_id=row_id, path=p.path, code=p.code) for p in exc.problems
            )
            continue
        values.append(read.value)
        notes.extend(RowNote(index=index, row_id=row_id, reason=r) for r in read.notes)
        unknown.extend(
            RowUnknown(index=index, row_id=row_id, path=path, value=value)
            for path, value in read.unknown.items()
        )
    return RowsRead(values=values, problems=problems, notes=notes, unknown=unknown)


# --- the shared steps of every reader (private) --------------------------------


class _Wire:
    """The wire dict a reader builds, where each field came from, and the reader's own findings."""

    def __init__(self, table: str) -> None:
        self.table = table
        self.data: dict[str, object] = {}
        self.sources: dict[str, str] = {}
        self.problems: list[Problem] = []
        self.notes: list[Reason] = []
        self.unknown: dict[str, str] = {}
        self.covered: set[str] = set()

    def put(self, name: str, value: object, source: str | None = None) -> None:
        """Set wire field *name* to *value*, read from column path *source* (default: the same name)."""
        self.data[name] = value
        if source is not None and source != name:
            self.sources[name] = source

    def copy(self, row: Row, *names: str) -> None:
        """Copy the columns *names* that *row* holds, under the same names."""
        for name in names:
            if name in row:
                self.data[name] = row[name]

    def source(self, name: str, source: str) -> None:
        """Say that wire path *name* (``reflection.why_cyber``) came from column path *source*."""
        self.sources[name] = source

    def fail(self, path: str, message: str, code: str, *, covers: str | None = None) -> None:
        """Record a problem the reader found itself, at a real column's *path* (``$.is_locked``).

        *covers* names the wire field this problem left unset: the wire edge's own
        complaint about that field (``required``) would say the same thing again.
        """
        self.problems.append(Problem(path=path, message=message, code=code))
        if covers is not None:
            self.covered.add(f"$.{covers}")

    def note(self, code: str, message: str) -> None:
        """Record a note: something the row holds that the read could not use (the row is still read)."""
        self.notes.append(Reason(code=code, message=message))

    def keep(self, path: str, value: str, reason: Reason) -> None:
        """Keep *value* (outside the vocabulary) at the real column *path*, and note *reason*."""
        self.unknown[path] = value
        self.notes.append(reason)

    def unresolved(self, path: str, ref: str | None, reason: Reason | None) -> None:
        """A reference that resolved to nothing: keep it (when it is text) and note *reason*."""
        if reason is None:
            return
        if ref is None:
            self.notes.append(reason)
        else:
            self.keep(path, ref, reason)

    def real_path(self, path: str) -> str:
        """*path* of the library's wire dict, rewritten to the real column it came from."""
        best = ""
        for name in self.sources:
            prefix = f"$.{name}"
            if (path == prefix or path.startswith((f"{prefix}.", f"{prefix}["))) and len(name) > len(best):
                best = name
        if not best:
            return path
        return f"$.{self.sources[best]}{path[len(best) + 2 :]}"

    def read(self, type_: type[V]) -> RowRead[V]:
        """Structure the wire dict as *type_*; every problem (the reader's and the wire's) at its real path.

        Raises:
            InvalidPayloadError: naming the table and every problem at its real column's path.
        """
        problems = list(self.problems)
        reported = {p.path for p in problems}
        value: V | None = None
        try:
            value = structure(self.data, type_)
        except InvalidPayloadError as exc:
            for problem in exc.problems:
                if problem.path in self.covered:
                    continue
                path = self.real_path(problem.path)
                if path not in reported:
                    problems.append(Problem(path=path, message=problem.message, code=problem.code))
        if problems or value is None:
            raise InvalidPayloadError(problems, type_name=self.table)
        return RowRead(value=value, notes=self.notes, unknown=self.unknown)


_SHORT_OFFSET = re.compile(r"([+-][0-9]{2})$", re.ASCII)
_DATE_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}", re.ASCII)


def _dump_timestamp(value: object) -> object:
    """PostgreSQL's text form ``2026-02-07 18:55:58.003432+03`` with its offset written ``+03:00``.

    Anything else is returned unchanged for the wire edge to judge.
    """
    if isinstance(value, str):
        text = value.strip()
        if _DATE_TIME.match(text) and _SHORT_OFFSET.search(text) and len(text) > 19:
            return f"{text}:00"
    return value


def _utc_if_naive(value: object) -> object:
    """A naive timestamp the source documents as UTC, made aware; anything else unchanged.

    Only for sources whose code writes ``utcnow()`` (the FastAPI
    profiling service); Django rows never go through it.
    """
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value
    if isinstance(value, str):
        text = value.strip()
        if _DATE_TIME.match(text) and not re.search(r"(Z|[+-][0-9]{2}(:?[0-9]{2})?)$", text[10:]):
            return f"{text}+00:00"
    return value
