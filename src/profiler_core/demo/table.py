"""Plain-text tables and bars for the demo report."""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["table", "bar"]


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Render *rows* under *header* as an aligned plain-text table."""
    widths = [len(h) for h in header]
    for row in rows:
        widths = [max(w, len(cell)) for w, cell in zip(widths, row, strict=True)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    return "\n".join(lines)


def bar(value: float, total: float, width: int = 30) -> str:
    """A text bar of ``value / total`` scaled to *width* characters."""
    filled = 0 if total <= 0 else round(width * value / total)
    return "#" * filled + "." * (width - filled)
