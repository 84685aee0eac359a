"""The demo report: every integration over the deterministic sample platform.

``python -m profiler_core demo`` prints :func:`render_report` (and, with
``--html PATH``, writes :func:`render_dashboard` there). Each
integration contributes one section: a function from the
:class:`~profiler_core.demo.sample.SamplePlatform` to text, listed in
:data:`SECTIONS` in report order.
"""

from __future__ import annotations

from collections.abc import Callable

from profiler_core.demo.access import access_section
from profiler_core.demo.analytics import analytics_section, dashboard_reports
from profiler_core.demo.marketplace import marketplace_section
from profiler_core.demo.missions import missions_section
from profiler_core.demo.portfolio import portfolio_section
from profiler_core.demo.recipes import recipes_section
from profiler_core.demo.sample import SamplePlatform, build_sample_platform
from profiler_core.report_formats import render_html

__all__ = ["SECTIONS", "Section", "render_report", "render_dashboard"]

Section = Callable[[SamplePlatform], str]

#: The report's sections, in order.
SECTIONS: list[tuple[str, Section]] = [
    ("1. Missions engine: difficulty ceiling", missions_section),
    ("2. Recipe engine: gaps and recipes", recipes_section),
    ("3. Mentorship and access", access_section),
    ("4. Portfolio and leadership", portfolio_section),
    ("5. Marketplace: talent matching", marketplace_section),
    ("6. Enterprise dashboard: analytics", analytics_section),
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


def render_dashboard(seed: int = 7) -> str:
    """The HTML dashboard of the sample platform: the analytics section's reports, drawn.

    One self-contained page (:func:`profiler_core.report_formats.render_html`)
    with the cohort-a report, the org-acme rollup and the small cohort-c.
    """
    platform = build_sample_platform(seed)
    return render_html(
        dashboard_reports(platform),
        title="profiler_core demo dashboard",
        intro=[f"Sample platform, seed {seed}, now {platform.now.isoformat()}."],
    )
