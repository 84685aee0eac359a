"""The ``analytics`` command's optional engine: DuckDB reads the big exports.

Imported only by ``python -m profiler_core analytics --engine duckdb`` (the
``profiler-core[duckdb]`` extra); ``import profiler_core`` never imports it.

The command first tries :func:`fast_export` (:mod:`profiler_core._duckdb_fast`):
DuckDB reads every file whole, in parallel, and sums the exact state in SQL
when no line can be bad. When some line may be, the command reads the export
line by line, either way below, and names each bad line.

Where the time of the pure path goes is ``json.loads`` of whole session and
result lines, most of which the reports never read. This engine hands each
chunk of lines to DuckDB, whose JSON reader (C, parallel) extracts the fields
the command reads; each line then reaches the very same line reader, state
and report code as on the pure path (:class:`profiler_core.cli_analytics`),
as a small JSON object of those fields only. So the two paths cannot differ
in what they count or report, provided the small object is what
``json.loads`` would read from the line for those keys. Every line where that
is not certain goes to the reader as it is, and the pure path decides:

* the line is not exactly one JSON object opening with ``{`` and closing with
  ``}`` (blank lines, a byte order mark, arrays, bad JSON);
* DuckDB's JSON reader, more lenient than Python's, might read it otherwise:
  a trailing comma, a control character, a ``\\u`` escape, ``nan`` or
  ``inf`` in any case, a run of 16 digits or more, a number with a leading zero;
* a top-level key appears twice (Python keeps the last one);
* the chunk is not valid UTF-8 (its lines are read as bytes, one by one).
"""

from __future__ import annotations

import gzip
import io
import zlib
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import IO, Final, TextIO

import duckdb

from profiler_core import _duckdb_fast
from profiler_core.cli_analytics import AnalyticsExport, _reason, _stderr_problem, _UnreadableInputError

__all__: list[str] = []

#: Bytes per chunk handed to DuckDB (whole lines; a longer line makes a longer chunk).
CHUNK_BYTES = 16 * 2**20
_GZIP_MAGIC: Final = b"\x1f\x8b"
# Anything Python's json and DuckDB's reader might read differently; a false alarm only
# sends the line to the pure path. DuckDB reads nan and inf in any case (Python: NaN and
# Infinity only).
_DOUBT: Final = (
    r"[\x00-\x09\x0b-\x0c\x0e-\x1f]|\r.|,\s*[}\]]|[0-9]{16}|[:,\[]\s*-?0[0-9]|[nN][aA][nN]|[iI][nN][fF]|\\u"
)


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _member(key: str) -> str:
    return '"' + key + '":'


def _query(keys: tuple[str, ...]) -> str:
    paths = ", ".join(_literal(f'$."{key}"') for key in keys)
    fields = ", ".join(
        f"CASE WHEN v[{i}] IS NOT NULL THEN {_literal(_member(key))} || v[{i}] END"
        for i, key in enumerate(keys, start=1)
    )
    return f"""
        WITH lines AS (
            SELECT generate_subscripts(s, 1) AS n, unnest(s) AS line
            FROM (SELECT string_split($1, chr(10)) AS s)
        ), checked AS (
            SELECT n, line,
                   starts_with(line, '{{') AND (ends_with(line, '}}') OR ends_with(line, '}}' || chr(13)))
                   AND NOT regexp_matches(line, {_literal(_DOUBT)}) AND json_valid(line) AS plain
            FROM lines
        ), read AS (
            SELECT n, line, plain,
                   CASE WHEN plain THEN json_extract(line, [{paths}]) END AS v,
                   CASE WHEN plain THEN json_keys(line) END AS k
            FROM checked
        )
        SELECT CASE WHEN plain AND len(k) = len(list_distinct(k))
                    THEN '{{' || concat_ws(',', {fields}) || '}}'
                    ELSE line || chr(10) END
        FROM read ORDER BY n
    """  # noqa: S608 - keys are the module's constants, quoted


def _chunks(stream: io.BufferedIOBase, size: int) -> Iterator[bytes]:
    """Whole lines, about *size* bytes at a time (the last chunk may lack its newline)."""
    rest = b""
    while True:
        block = stream.read(size)
        if not block:
            if rest:
                yield rest
            return
        data = rest + block
        end = data.rfind(b"\n")
        if end < 0:
            rest = data
            continue
        rest = data[end + 1 :]
        yield data[: end + 1]


def open_chunks(stream: IO[bytes]) -> Iterator[bytes]:
    """The chunks of a binary stream, gunzipped when it starts with gzip's magic number."""
    head = stream.read(len(_GZIP_MAGIC))
    plain = io.BufferedReader(_Joined(head, stream))
    body: io.BufferedIOBase = gzip.GzipFile(fileobj=plain, mode="rb") if head == _GZIP_MAGIC else plain
    return _chunks(body, CHUNK_BYTES)  # read at each call: tests make it small


class _Joined(io.RawIOBase):
    """*head* (already read), then the rest of *stream*."""

    def __init__(self, head: bytes, stream: IO[bytes]) -> None:
        super().__init__()
        self._head = head
        self._stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]  # RawIOBase's buffer protocol
        view = memoryview(buffer).cast("B")
        data = self._head[: len(view)] if self._head else self._stream.read(len(view))
        self._head = self._head[len(data) :]
        view[: len(data)] = data
        return len(data)


class SlimLines:
    """Turns chunks of JSON Lines into the lines the command's reader takes, with DuckDB.

    Each line comes out either as a small JSON object of *keys* (when it is
    certainly what ``json.loads`` reads from the line for those keys) or as
    the line itself, newline included as the pure path reads it (``json``'s
    error messages count it); line numbers are unchanged (one output per line).
    """

    def __init__(self, connection: duckdb.DuckDBPyConnection, keys: tuple[str, ...]) -> None:
        self._connection = connection
        self._cursor: duckdb.DuckDBPyConnection | None = None
        self._query = _query(keys)

    def lines(self, chunks: Iterable[bytes]) -> Iterator[str | bytes]:
        """Every line of *chunks*, in order: slim JSON, the line's text, or its bytes.

        DuckDB works on the next chunk (in one worker thread; it releases the
        GIL) while the reader takes the lines of this one.
        """
        with ThreadPoolExecutor(max_workers=1) as worker:
            pending: Future[list[str | bytes]] | None = None
            for chunk in chunks:
                ahead = worker.submit(self._chunk_lines, chunk)
                if pending is not None:
                    yield from pending.result()
                pending = ahead
            if pending is not None:
                yield from pending.result()

    def _chunk_lines(self, chunk: bytes) -> list[str | bytes]:
        ended = chunk.endswith(b"\n")
        body = chunk[:-1] if ended else chunk
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            # One bad byte: the chunk's lines go to the pure path as bytes, one by one.
            pieces = body.split(b"\n")
            last = len(pieces) - 1
            return [piece + b"\n" if ended or index < last else piece for index, piece in enumerate(pieces)]
        if self._cursor is None:
            self._cursor = self._connection.cursor()  # the worker thread's own
        lines: list[str | bytes] = [line for (line,) in self._cursor.execute(self._query, [text]).fetchall()]
        last_line = lines[-1]
        if not ended and isinstance(last_line, str) and last_line.endswith("\n"):
            # The file's last line had no newline: give it as the pure path reads it.
            lines[-1] = last_line[:-1]
        return lines


def fast_export(paths: dict[str, Path], err: TextIO) -> AnalyticsExport | None:
    """The export read whole by DuckDB (bad cohort lines go to *err*), or ``None``: read it line by line."""
    return _duckdb_fast.fast_export(paths, on_problem=_stderr_problem(err))


def connect() -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection for one run."""
    return duckdb.connect(":memory:")


def engine_lines(
    name: str, stream: IO[bytes], keys: tuple[str, ...], connection: duckdb.DuckDBPyConnection
) -> Iterator[str | bytes]:
    """The lines of *stream* for the command's reader (an unreadable input: as on the pure path)."""
    try:
        yield from SlimLines(connection, keys).lines(open_chunks(stream))
    except (OSError, EOFError, zlib.error) as exc:
        raise _UnreadableInputError(name, _reason(exc)) from exc
