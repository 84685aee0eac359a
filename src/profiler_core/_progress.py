"""Progress of ``python -m profiler_core analytics`` on stderr: share of the input read, elapsed, time left.

The command line's helper (issue 16). It never reads the clock itself: the
command passes ``time.monotonic`` and tests pass a fake clock. It never writes
to standard output, only to the stream it is given (stderr).

When every input is a file of known size the meter shows the percentage of
their bytes read (the position in each file, compressed bytes for a gzip
file) and an estimate of the time left, proportional to what is still
unread; when one is standard input or a pipe it shows the lines read instead.
On a terminal it redraws one line in place; elsewhere (``--progress`` into a
log) it writes one line per update.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from typing import IO, TextIO, TypeVar

__all__: list[str] = []

_T = TypeVar("_T")
#: Where the meter reads how far a source is: its byte position.
_Position = Callable[[], int]


def size_of(stream: IO[bytes]) -> int | None:
    """The size in bytes of the regular file behind *stream* (``None``: a pipe, a terminal, unknown)."""
    try:
        status = os.fstat(stream.fileno())
    except (AttributeError, OSError, ValueError):
        return None
    return status.st_size if stat.S_ISREG(status.st_mode) else None


def duration(seconds: float) -> str:
    """``7s``, ``2m05s``, ``1h02m``: a duration for people, to the second."""
    whole = max(round(seconds), 0)
    if whole < 60:
        return f"{whole}s"
    minutes, second = divmod(whole, 60)
    if minutes < 60:
        return f"{minutes}m{second:02d}s"
    hours, minute = divmod(minutes, 60)
    return f"{hours}h{minute:02d}m"


def _mebibytes(size: int) -> str:
    return f"{size / 2**20:,.1f} MiB"


class ProgressMeter:
    """Reports how much of the inputs was read, with the time elapsed and an estimate of the rest.

    Register each input with :meth:`watch` as it is opened, call the meter
    as the reader's progress sink (``meter(source, lines)``), and
    :meth:`finish` once everything was read.
    """

    def __init__(self, stream: TextIO, clock: Callable[[], float], *, redraw: bool) -> None:
        self.stream = stream
        self.clock = clock
        self.redraw = redraw
        self.started = clock()
        self.positions: list[_Position] = []
        #: Bytes of every input, or ``None`` once one input's size is unknown.
        self.total: int | None = 0
        self.lines: dict[str, int] = {}

    def watch(self, position: _Position, size: int | None) -> None:
        """Count one input: *position* tells how many of its *size* bytes were read (``None``: unknown)."""
        self.positions.append(position)
        self.total = None if size is None or self.total is None else self.total + size

    def __call__(self, source: str, lines: int) -> None:
        """The reader's progress sink: *lines* of *source* were read."""
        self.lines[source] = lines
        self.show(self.line())

    def line(self) -> str:
        """The progress line now (reads the clock once)."""
        elapsed = self.clock() - self.started
        lines = sum(self.lines.values())
        if not self.total:
            return f"analytics: {lines:,} lines read, {duration(elapsed)} elapsed"
        done = min(sum(position() for position in self.positions), self.total)
        share = done * 100 // self.total
        text = f"analytics: {share}% of {_mebibytes(self.total)} read, {duration(elapsed)} elapsed"
        if 0 < done < self.total:
            # What is left takes as long per byte as what was read.
            text += f", about {duration(elapsed * (self.total - done) / done)} left"
        return text

    def show(self, text: str) -> None:
        """Write *text*: in place of the last line on a terminal, else as a line of its own."""
        if self.redraw:
            self.stream.write(f"\r{text}\x1b[K")
        else:
            self.stream.write(f"{text}\n")
        self.stream.flush()

    def cleared(self, report: Callable[[_T], None]) -> Callable[[_T], None]:
        """*report*, clearing the progress line first on a terminal (a message never lands inside it)."""
        if not self.redraw:
            return report

        def clear_then_report(item: _T) -> None:
            self.stream.write("\r\x1b[K")
            report(item)

        return clear_then_report

    def finish(self, lines: int) -> None:
        """The last reading, once every input was read (*lines* in all; a terminal's line is then ended)."""
        self.lines = {"": lines}
        self.show(self.line())
        if self.redraw:
            self.stream.write("\n")
            self.stream.flush()
