"""Plain-text tables and bars for the demo report (they live in :mod:`profiler_core.report_formats`)."""

from __future__ import annotations

from profiler_core.report_formats import bar, table

__all__ = ["table", "bar"]
