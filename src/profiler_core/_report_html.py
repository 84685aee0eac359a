"""The HTML page of :func:`profiler_core.report_formats.render_html`: tables and inline SVG charts.

Self-contained (inline styles, no script, no external resource), printable,
and every text escaped with :func:`html.escape`. Each chart is drawn from the
chart values of :mod:`profiler_core.charts`; each cell is one
``<g class="mark">`` (``mark suppressed`` for a suppressed cell, hatched, its
value text the word "suppressed"), so a test can count the marks.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape
from typing import Final

from profiler_core.charts import SUPPRESSED_TEXT, BarCell, BarChart, Figure, Report, ScoreBox, figures
from profiler_core.reports import CohortReport, Count, PopulationFigures, Suppressed

__all__: list[str] = []

_LABEL_W: Final = 230
_AREA_W: Final = 330
_VALUE_W: Final = 190
_WIDTH: Final = _LABEL_W + _AREA_W + _VALUE_W
_ROW: Final = 24
_BAR: Final = 16
_TOP: Final = 8
_AXIS: Final = 34
_NOMINAL_SHARE: Final = 0.25

#: The page's stylesheet (public as ``report_formats.HTML_STYLE``).
STYLE: Final = """
:root { color: #222; background: #fff; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; }
body { max-width: 62rem; margin: 0 auto; padding: 1rem 1.25rem 3rem; }
h1 { font-size: 1.6rem; margin: .5rem 0; } h2 { font-size: 1.3rem; margin-top: 2.5rem;
  border-bottom: 2px solid #1f5f99; } h3 { font-size: 1.05rem; margin: 1.5rem 0 .25rem; }
a { color: #1f5f99; } .note { color: #444; }
.suppressed { font-style: italic; color: #4d4d4d; }
figure { margin: 1rem 0 2rem; } figcaption { color: #444; font-size: .9rem; }
svg { max-width: 100%; height: auto; display: block; }
svg text { font: 12px system-ui, -apple-system, "Segoe UI", sans-serif; fill: #222; }
svg .value.suppressed { fill: #4d4d4d; font-style: italic; }
table { border-collapse: collapse; margin: .5rem 0; font-size: .9rem; }
th, td { border: 1px solid #bbb; padding: .2rem .5rem; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
dl.population { display: grid; grid-template-columns: max-content auto; gap: .1rem 1rem; }
dl.population dt { font-weight: 600; } dl.population dd { margin: 0; }
@media print {
  :root { font-size: 11pt; } body { max-width: none; padding: 0; } nav { display: none; }
  figure, table, dl { break-inside: avoid; } section { break-before: page; }
  section:first-of-type { break-before: auto; } a { color: inherit; text-decoration: none; }
}
"""


# A generous width per character of the 12 px label font: a label estimated wider than its column
# goes on a row of its own above its mark instead of running under the mark.
_CHAR_W: Final = 7.2


def _fits(label: str, indent: float) -> bool:
    return indent + len(label) * _CHAR_W <= _LABEL_W - 6


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _hatch(uid: str) -> str:
    return (
        f'<defs><pattern id="{uid}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#e0e0e0"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#4d4d4d" stroke-width="2"/></pattern></defs>'
    )


def _ticks(top: float) -> list[float]:
    """Round tick values from 0 to at least *top* (at most about 5 steps)."""
    if top <= 0:
        return [0.0, 1.0]
    raw = top / 5
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    step = max(step, 1.0)
    return [i * step for i in range(math.ceil(top / step) + 1)]


def _axis(ticks: Sequence[float], height: float, title: str) -> list[str]:
    top = ticks[-1] or 1
    out = [f'<line x1="{_LABEL_W}" y1="{height}" x2="{_LABEL_W + _AREA_W}" y2="{height}" stroke="#767676"/>']
    for tick in ticks:
        x = _LABEL_W + _AREA_W * tick / top
        out.append(f'<line x1="{x:.1f}" y1="{height}" x2="{x:.1f}" y2="{height + 4}" stroke="#767676"/>')
        out.append(f'<text x="{x:.1f}" y="{height + 16}" text-anchor="middle" class="tick">{tick:g}</text>')
    out.append(
        f'<text x="{_LABEL_W + _AREA_W / 2}" y="{height + 30}" text-anchor="middle" class="axis-title">'
        f"{_e(title)}</text>"
    )
    return out


def _svg(uid: str, title: str, description: str, height: float, body: list[str]) -> str:
    return "".join(
        [
            f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {_WIDTH} {height:.0f}" '
            f'width="{_WIDTH}" height="{height:.0f}" aria-label="{_e(title)}" '
            f'aria-labelledby="{uid}-title" aria-describedby="{uid}-desc">',
            f'<title id="{uid}-title">{_e(title)}</title><desc id="{uid}-desc">{_e(description)}</desc>',
            _hatch(uid),
            *body,
            "</svg>",
        ]
    )


def _suppressed_mark(uid: str, attrs: str, label: str, *, y: float, width: float, text_x: float) -> str:
    return (
        f'<g class="mark suppressed"{attrs} data-suppressed="true">'
        f"<title>{_e(label)}: {SUPPRESSED_TEXT}</title>"
        f'<rect x="{_LABEL_W}" y="{y:.1f}" width="{width:.1f}" height="{_BAR}" '
        f'fill="url(#{uid}-hatch)" stroke="#4d4d4d" stroke-dasharray="4 2"/>'
        f'<text class="value suppressed" x="{text_x:.1f}" y="{y + 12:.1f}">{SUPPRESSED_TEXT}</text></g>'
    )


def _bar_mark(uid: str, cell: BarCell, *, y: float, length: float, nominal: float, label: str) -> str:
    key = f' data-key="{_e(cell.key)}"' + (f' data-group="{_e(cell.group)}"' if cell.group else "")
    if cell.count is None:
        return _suppressed_mark(uid, key, label, y=y, width=nominal, text_x=_LABEL_W + nominal + 4)
    return (
        f'<g class="mark"{key} data-count="{cell.count}"><title>{_e(label)}: {cell.count}</title>'
        f'<rect x="{_LABEL_W}" y="{y:.1f}" width="{length:.1f}" height="{_BAR}" fill="#1f5f99"/>'
        f'<text class="value" x="{_LABEL_W + length + 4:.1f}" y="{y + 12:.1f}">{cell.count}</text></g>'
    )


def _bar_chart(uid: str, chart: BarChart) -> str:
    longest = max((c.count for c in chart.cells if c.count is not None), default=0)
    ticks = _ticks(max(longest, 1))
    scale = _AREA_W / (ticks[-1] or 1)
    nominal = max(1.0, longest * _NOMINAL_SHARE) * scale
    body: list[str] = []
    y = float(_TOP)
    group = None
    for cell in chart.cells:
        if chart.grouped and cell.group != group:
            group = cell.group
            body.append(
                f'<text class="group" x="4" y="{y + 12:.1f}" font-weight="bold">{_e(cell.group_label)}</text>'
            )
            y += _ROW
        indent = 16 if chart.grouped else 4
        body.append(f'<text class="label" x="{indent}" y="{y + 12:.1f}">{_e(cell.label)}</text>')
        if not _fits(cell.label, indent):
            y += _ROW
        label = f"{cell.group_label}, {cell.label}" if cell.group else cell.label
        body.append(_bar_mark(uid, cell, y=y, length=(cell.count or 0) * scale, nominal=nominal, label=label))
        y += _ROW
    body += _axis(ticks, y + 2, chart.value_title)
    return _svg(uid, f"{chart.title} ({chart.subtitle})", chart.description, y + _AXIS + 4, body)


def _x(score: float) -> float:
    return _LABEL_W + _AREA_W * score / 100


def _box_mark(uid: str, box: ScoreBox, y: float) -> str:
    mid = y + _BAR / 2
    key = f' data-key="{_e(box.key)}"'
    if box.suppressed:
        return _suppressed_mark(uid, key, box.label, y=y, width=_AREA_W, text_x=_LABEL_W + _AREA_W + 6)
    parts = [f'<g class="mark"{key}>']
    if box.range_suppressed or None in (box.minimum, box.q1, box.median, box.q3, box.maximum):
        summary = f"mean {box.mean:g}; range {SUPPRESSED_TEXT}" if box.mean is not None else SUPPRESSED_TEXT
    else:
        low, q1, median, q3, high = (
            float(v or 0) for v in (box.minimum, box.q1, box.median, box.q3, box.maximum)
        )
        parts += [
            f'<line x1="{_x(low):.1f}" y1="{mid:.1f}" x2="{_x(high):.1f}" y2="{mid:.1f}" stroke="#222"/>',
            f'<rect x="{_x(q1):.1f}" y="{y:.1f}" width="{max(_x(q3) - _x(q1), 1):.1f}" height="{_BAR}" '
            'fill="#9ecae1" stroke="#1f5f99"/>',
            f'<line x1="{_x(median):.1f}" y1="{y:.1f}" x2="{_x(median):.1f}" y2="{y + _BAR:.1f}" '
            'stroke="#222" stroke-width="2"/>',
        ]
        summary = f"mean {box.mean:g}; median {median:g}"
    if box.mean is not None:
        cx = _x(box.mean)
        parts.append(
            f'<polygon points="{cx:.1f},{y:.1f} {cx + 5:.1f},{mid:.1f} '
            f'{cx:.1f},{y + _BAR:.1f} {cx - 5:.1f},{mid:.1f}" fill="#b35806"/>'
        )
    parts.insert(1, f"<title>{_e(box.label)}: {_e(summary)}</title>")
    parts.append(
        f'<text class="value" x="{_LABEL_W + _AREA_W + 6}" y="{y + 12:.1f}">{_e(summary)}</text></g>'
    )
    return "".join(parts)


def _score_chart(uid: str, chart: Figure) -> str:
    assert not isinstance(chart, BarChart)
    body: list[str] = []
    y = float(_TOP)
    for box in chart.boxes:
        body.append(f'<text class="label" x="4" y="{y + 12:.1f}">{_e(box.label)}</text>')
        if not _fits(box.label, 4):
            y += _ROW
        body.append(_box_mark(uid, box, y))
        y += _ROW
    body += _axis([0, 20, 40, 60, 80, 100], y + 2, "Score (0-100)")
    return _svg(uid, f"{chart.title} ({chart.subtitle})", chart.description, y + _AXIS + 4, body)


def _td(value: Count | float | None) -> str:
    if value is None:
        return '<td class="num">-</td>'
    if isinstance(value, Suppressed):
        return f'<td class="suppressed">{SUPPRESSED_TEXT}</td>'
    return f'<td class="num">{_e(format(value, "g"))}</td>'


def _cell_td(count: int | None) -> str:
    return f'<td class="suppressed">{SUPPRESSED_TEXT}</td>' if count is None else _td(count)


def _data_table(chart: Figure) -> str:
    if isinstance(chart, BarChart):
        head = ["Cohort", "Measure"] if chart.grouped else [chart.category_title]
        head.append(chart.value_title)
        rows = [
            "<tr>"
            + (f"<td>{_e(c.group_label)}</td>" if chart.grouped else "")
            + f"<td>{_e(c.label)}</td>{_cell_td(c.count)}</tr>"
            for c in chart.cells
        ]
    else:
        head = [
            chart.category_title,
            "Learners",
            "Missing",
            "Mean",
            "Std",
            "Min",
            "Q1",
            "Median",
            "Q3",
            "Max",
        ]
        rows = []
        for b in chart.boxes:
            if b.suppressed:
                rows.append(
                    f"<tr><td>{_e(b.label)}</td>"
                    f'<td class="suppressed" colspan="9">{SUPPRESSED_TEXT}</td></tr>'
                )
                continue
            values = (b.mean, b.std, b.minimum, b.q1, b.median, b.q3, b.maximum)
            rows.append(
                f"<tr><td>{_e(b.label)}</td>{_cell_td(b.count)}{_cell_td(b.missing)}"
                + "".join(_cell_td(None) if v is None else _td(v) for v in values)
                + "</tr>"
            )
    header = "".join(f'<th scope="col">{_e(h)}</th>' for h in head)
    caption = f"<caption>{_e(chart.title)}: data</caption>"
    return f"<table>{caption}<thead><tr>{header}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _figure(uid: str, chart: Figure) -> str:
    svg = _bar_chart(uid, chart) if isinstance(chart, BarChart) else _score_chart(uid, chart)
    cells = len(chart.cells) if isinstance(chart, BarChart) else len(chart.boxes)
    return (
        f'<figure class="chart" id="{uid}" data-figure="{_e(chart.name)}" data-cells="{cells}">'
        f"<h3>{_e(chart.title)}</h3>{svg}<figcaption>{_e(chart.subtitle)}</figcaption>"
        f"{_data_table(chart)}</figure>"
    )


def _population(figures_: PopulationFigures) -> str:
    pct = figures_.profiled_pct
    pct_text = (
        f'<dd class="suppressed">{SUPPRESSED_TEXT}</dd>'
        if isinstance(pct, Suppressed)
        else f"<dd>{'-' if pct is None else _e(f'{pct:.1f}%')}</dd>"
    )

    def dd(value: Count) -> str:
        return (
            f'<dd class="suppressed">{SUPPRESSED_TEXT}</dd>'
            if isinstance(value, Suppressed)
            else f"<dd>{value}</dd>"
        )

    return (
        '<dl class="population">'
        f"<dt>Learners</dt>{dd(figures_.total)}<dt>Profiled</dt>{dd(figures_.profiled)}"
        f"<dt>Not profiled</dt>{dd(figures_.not_profiled)}<dt>Profiled share</dt>{pct_text}</dl>"
    )


def _heading(report: Report) -> str:
    if isinstance(report, CohortReport):
        return f"Cohort {report.cohort.name} ({report.cohort.id})"
    return f"Enterprise {report.enterprise_id}"


def section(report: Report, sid: str) -> str:
    """One report as a ``<section id=sid>`` (see :func:`profiler_core.report_formats.render_html_section`)."""
    body = report.body if isinstance(report, CohortReport) else report.rollup
    meta = (
        f"k = {report.k}; {report.suppressed_cells} figures suppressed; "
        f"policies {report.policy}, {report.suppression}"
    )
    charts = "".join(_figure(f"{sid}-{f.name}", f) for f in figures(report))
    return (
        f'<section id="{sid}" aria-labelledby="{sid}-h"><h2 id="{sid}-h">{_e(_heading(report))}</h2>'
        f'<p class="note">{_e(meta)}</p>{_population(body.population)}{charts}</section>'
    )


def html_page(reports: Sequence[Report], *, title: str, notes: Sequence[str], intro: Sequence[str]) -> str:
    """The whole page (see :func:`profiler_core.report_formats.render_html`)."""
    nav = "".join(f'<li><a href="#report-{i + 1}">{_e(_heading(r))}</a></li>' for i, r in enumerate(reports))
    explain = (
        "Small-cohort protection: a count of fewer than k learners, or a figure that would let one be "
        f"recomputed, is shown as a hatched bar marked \u201c{SUPPRESSED_TEXT}\u201d \u2014 never as 0."
    )
    parts = [
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title><style>{STYLE}</style></head><body>",
        f"<header><h1>{_e(title)}</h1>",
        *(f'<p class="note">{_e(line)}</p>' for line in intro),
        f'<p class="note">{_e(explain)}</p></header>',
        f'<nav aria-label="Reports"><ul>{nav}</ul></nav>' if nav else "",
        "<main>",
        *(section(r, f"report-{i + 1}") for i, r in enumerate(reports)),
        (
            '<section id="not-found" aria-labelledby="not-found-h"><h2 id="not-found-h">Not found</h2><ul>'
            + "".join(f"<li>{_e(n)}</li>" for n in notes)
            + "</ul></section>"
        )
        if notes
        else "",
        "</main></body></html>\n",
    ]
    return "\n".join(p for p in parts if p)
