"""The demo report: every integration over the deterministic sample platform.

``python -m profiler_core demo`` prints :func:`render_report`. Each
integration contributes one section: a function from the
:class:`~profiler_core.demo.sample.SamplePlatform` to text, listed in
:data:`SECTIONS` in report order.
"""

from __future__ import annotations

from collections.abc import Callable

from profiler_core.demo.missions import missions_section

# [issue 3 imports]
# [issue 4 imports]
# [issue 5 imports]
# [issue 6 imports]
# [issue 7 imports]
from profiler_core.demo.sample import SamplePlatform, build_sample_platform

__all__ = ["SECTIONS", "Section", "render_report"]

Section = Callable[[SamplePlatform], str]

#: The report's sections, in order.
SECTIONS: list[tuple[str, Section]] = [
    ("1. Missions engine: difficulty ceiling", missions_section),
    # [issue 3 section]
    # [issue 4 section]
    # [issue 5 section]
    # [issue 6 section]
    # [issue 7 section]
]


def render_report(seed: int = 7) -> str:
    """The whole report for the sample platform built from *seed*."""
    platform = build_sample_platform(seed)
    completed = sum(1 for s in platform.sessions if s.is_completed)
    parts = [
        "profiler_core demo report",
        "=" * 25,
        f"Sample platform (seed {seed}, now {platform.now.isoformat()}): {len(platform.learners)} learners, "
        f"{len(platform.sessions)} sessions ({completed} completed), {len(platform.missions)} missions, "
        f"{len(platform.recipes)} recipes, {len(platform.cohorts)} cohorts, {len(platform.jobs)} jobs.",
    ]
    for title, section in SECTIONS:
        parts += ["", title, "-" * len(title), section(platform).rstrip()]
    return "\n".join(parts) + "\n"
