"""The HTML report's chart layout: a long label gets a row of its own instead of running under its mark."""

from __future__ import annotations

import re

from attrs import evolve
from tests.analytics_builders import ORG, seed, seed_partial

from profiler_core.analytics import enterprise_report
from profiler_core.report_formats import render_html_section

#: A cohort named as the platform names them: a name and a UUID id make a label of about 60 characters.
LONG_NAME = "Sponsored Cohort 32b37d99-ef98-476a-952a-66785f3d8e60"
_LABEL = re.compile(r'<text class="(?:label|group)" x="[\d.]+" y="([\d.]+)"[^>]*>([^<]*)</text>')
_VALUE_Y = re.compile(r'<text class="value[^"]*" x="[\d.]+" y="([\d.]+)"')


def _figure(html: str, name: str) -> str:
    match = re.search(rf'<figure class="chart" id="e-{name}".*?</figure>', html, re.DOTALL)
    assert match is not None, name
    return match.group(0)


def _rows(figure: str) -> tuple[dict[str, float], list[float]]:
    """The labels' baselines by text, and the baseline of each mark's value text (its row)."""
    labels = {text: float(y) for y, text in _LABEL.findall(figure)}
    marks = [float(y) for y in _VALUE_Y.findall(figure)]
    return labels, marks


def test_a_long_cohort_label_is_on_its_own_row() -> None:
    """The breakdown's "Sponsored Cohort <uuid> (c-a)" sits above its box and bars, never beside them."""
    cohorts, *_ = seed()
    named = [evolve(c, name=LONG_NAME) for c in cohorts]
    html = render_html_section(enterprise_report(ORG, named, seed_partial()), section_id="e")
    for name in ("cohort_overall", "cohort_readiness"):
        labels, marks = _rows(_figure(html, name))
        long = [text for text in labels if text.startswith(LONG_NAME)]
        assert len(long) == 2, labels
        for text in long:
            assert labels[text] not in marks, (name, text, labels[text], marks)


def test_a_short_label_stays_beside_its_mark() -> None:
    """A label that fits its column ("Aptitude") shares its row with its mark: no space is wasted."""
    cohorts, *_ = seed()
    html = render_html_section(enterprise_report(ORG, cohorts, seed_partial()), section_id="e")
    labels, marks = _rows(_figure(html, "scores"))
    assert labels["Aptitude"] in marks, (labels, marks)
