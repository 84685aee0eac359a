"""Charts of the dashboard reports: the figures as plain data, and their Vega-Lite specifications.

:func:`figures` reads a :class:`~profiler_core.reports.CohortReport` or
:class:`~profiler_core.reports.EnterpriseReport` into chart values — one
:class:`BarChart` or :class:`ScoreChart` per figure, a :class:`BarCell` or
:class:`ScoreBox` per published cell — and :func:`vega_lite` turns one into
a Vega-Lite v5 specification (a plain ``dict``, its data inline), so any
frontend draws the same figures: react-vega, Altair, vega-embed, or the
HTML report of :mod:`profiler_core.report_formats`, which draws its SVG from
the same chart values. :func:`chart_specs` does both for a whole report.

A suppressed cell is drawn as suppressed, never as 0 and never left out: its
data row has ``"suppressed": true`` and ``"count": null``, and it is drawn as
a grey, dashed bar of a fixed nominal length with the word "suppressed".

This module renders report values; it sits at the edge, beside the wire
edge, and imports only the report values.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final, TypeAlias

from attrs import field, frozen

from profiler_core.reports import (
    Bucket,
    CohortReport,
    Count,
    EnterpriseReport,
    PopulationFigures,
    PopulationReport,
    ScoreBlock,
    ScoreSummary,
    Suppressed,
)

__all__ = [
    "VEGA_LITE_SCHEMA",
    "SUPPRESSED_TEXT",
    "BarCell",
    "ScoreBox",
    "BarChart",
    "ScoreChart",
    "Figure",
    "Report",
    "figures",
    "vega_lite",
    "chart_specs",
]

#: The ``$schema`` every specification names.
VEGA_LITE_SCHEMA: Final = "https://vega.github.io/schema/vega-lite/v5.json"

#: The word a suppressed cell is drawn with.
SUPPRESSED_TEXT: Final = "suppressed"

#: A dashboard report: one cohort's, or one enterprise's.
Report: TypeAlias = CohortReport | EnterpriseReport

# Colours: each passes WCAG AA (4.5:1) against white, as a bar or as text.
_BAR_COLOUR: Final = "#1f5f99"
_TEXT_COLOUR: Final = "#222222"
_SUPPRESSED_FILL: Final = "#e0e0e0"
_SUPPRESSED_STROKE: Final = "#4d4d4d"
_SERIES_COLOURS: Final = ("#1f5f99", "#b35806", "#1b7837", "#762a83", "#8c510a", "#35978f")
# A suppressed bar is this share of the longest published bar (a fixed, nominal length).
_NOMINAL_SHARE: Final = 0.25
_WIDTH: Final = 480
_SUPPRESSED_TIP: Final = f"{SUPPRESSED_TEXT}: fewer than k learners, or withheld to protect another cell"
# What a screen reader says for a suppressed bar (Vega's default would name the category only).
_SHOWN: Final[dict[str, object]] = {"field": "shown", "type": "nominal"}
# Category labels and legend entries are never cut short: Vega's default truncates them at 180 px,
# which leaves two cohorts of one name ("Autumn Defenders (coh…") impossible to tell apart.
_FULL_LABELS: Final = {"labelLimit": 0}
_ARIA: Final = {
    "calculate": f"(datum.group_label ? datum.group_label + ', ' : '') + datum.label + ': {SUPPRESSED_TEXT}'",
    "as": "aria",
}


def _number(value: float | Suppressed | None) -> float | None:
    return None if value is None or isinstance(value, Suppressed) else value


def _count(value: Count) -> int | None:
    return None if isinstance(value, Suppressed) else value


@frozen(kw_only=True)
class BarCell:
    """One bar: a category's count, or a suppressed cell (``count`` is ``None`` exactly then).

    Attributes:
        key: the category's key (``"novice"``, ``"grc"``, ``"2026-03"``, a measure).
        label: its display label.
        count: learners, or ``None`` when suppressed.
        suppressed: the cell is withheld by small-cohort protection.
        group: the group the bar belongs to in a grouped chart (a cohort id), else ``""``.
        group_label: the group's display label.
    """

    key: str
    label: str
    count: int | None
    suppressed: bool
    group: str = ""
    group_label: str = ""

    @classmethod
    def of(cls, key: str, label: str, count: Count, *, group: str = "", group_label: str = "") -> BarCell:
        """The cell of a published count or of :data:`~profiler_core.reports.SUPPRESSED`."""
        return cls(
            key=key,
            label=label,
            count=_count(count),
            suppressed=isinstance(count, Suppressed),
            group=group,
            group_label=group_label,
        )


@frozen(kw_only=True)
class ScoreBox:
    """One score's distribution: count, mean and the five order statistics, each ``None`` when withheld.

    ``suppressed`` is true when the whole statistics block is suppressed
    (every figure is then ``None``); ``range_suppressed`` when any order
    statistic (min, quartiles, max) is withheld, so no box is drawn.
    """

    key: str
    label: str
    suppressed: bool
    count: int | None = None
    missing: int | None = None
    missing_suppressed: bool = False
    mean: float | None = None
    std: float | None = None
    minimum: float | None = None
    q1: float | None = None
    median: float | None = None
    q3: float | None = None
    maximum: float | None = None
    range_suppressed: bool = False

    @classmethod
    def of(cls, key: str, label: str, block: ScoreBlock) -> ScoreBox:
        """The box of a published statistics block, or of a suppressed one."""
        if not isinstance(block, ScoreSummary):
            return cls(key=key, label=label, suppressed=True, missing_suppressed=True, range_suppressed=True)
        order = (block.minimum, block.q1, block.median, block.q3, block.maximum)
        return cls(
            key=key,
            label=label,
            suppressed=False,
            count=_count(block.count),
            missing=_count(block.missing),
            missing_suppressed=isinstance(block.missing, Suppressed),
            mean=_number(block.mean),
            std=_number(block.std),
            minimum=_number(block.minimum),
            q1=_number(block.q1),
            median=_number(block.median),
            q3=_number(block.q3),
            maximum=_number(block.maximum),
            range_suppressed=any(isinstance(v, Suppressed) for v in order),
        )


def _cells(values: Sequence[BarCell]) -> tuple[BarCell, ...]:
    return tuple(values)


def _boxes(values: Sequence[ScoreBox]) -> tuple[ScoreBox, ...]:
    return tuple(values)


@frozen(kw_only=True)
class BarChart:
    """A bar chart of counts; grouped (one bar per measure within each group) when its cells name groups.

    Attributes:
        name: the figure's name in :func:`chart_specs` (``"readiness"``).
        title: the chart's title.
        subtitle: a line under the title (the subject and k).
        description: the text alternative: every cell, in words.
        category_title: what the categories are (the category axis title).
        value_title: what the bars count (the value axis title).
        cells: the bars, in display order.
    """

    name: str
    title: str
    subtitle: str
    description: str
    category_title: str
    value_title: str
    cells: tuple[BarCell, ...] = field(converter=_cells)

    @property
    def grouped(self) -> bool:
        """Whether the bars are grouped (a breakdown by cohort)."""
        return any(c.group for c in self.cells)


@frozen(kw_only=True)
class ScoreChart:
    """Score distributions on the 0-100 scale: a box (quartiles), whiskers (min-max) and the mean per row."""

    name: str
    title: str
    subtitle: str
    description: str
    category_title: str
    boxes: tuple[ScoreBox, ...] = field(converter=_boxes)


#: One figure of a report.
Figure: TypeAlias = BarChart | ScoreChart


def _cell_text(cell: BarCell) -> str:
    shown = SUPPRESSED_TEXT if cell.count is None else str(cell.count)
    label = f"{cell.group_label}, {cell.label}" if cell.group else cell.label
    return f"{label}: {shown}"


def _box_text(box: ScoreBox) -> str:
    if box.suppressed:
        return f"{box.label}: {SUPPRESSED_TEXT}"
    parts = [f"{box.count} learners" if box.count is not None else f"count {SUPPRESSED_TEXT}"]
    parts.append(f"mean {box.mean:g}" if box.mean is not None else f"mean {SUPPRESSED_TEXT}")
    if box.range_suppressed:
        parts.append(f"range {SUPPRESSED_TEXT}")
    else:
        parts.append(
            f"min {box.minimum:g}, quartiles {box.q1:g} / {box.median:g} / {box.q3:g}, max {box.maximum:g}"
        )
    return f"{box.label}: " + ", ".join(parts)


def _bars(
    name: str, title: str, subtitle: str, category: str, cells: Sequence[BarCell], *, value: str = "Learners"
) -> BarChart:
    listed = "; ".join(_cell_text(c) for c in cells) or "nothing to show"
    return BarChart(
        name=name,
        title=title,
        subtitle=subtitle,
        description=f"{title}, {subtitle}. Bar chart of {value.lower()} by {category.lower()}: {listed}.",
        category_title=category,
        value_title=value,
        cells=cells,
    )


def _scores(name: str, title: str, subtitle: str, category: str, boxes: Sequence[ScoreBox]) -> ScoreChart:
    listed = "; ".join(_box_text(b) for b in boxes) or "nothing to show"
    return ScoreChart(
        name=name,
        title=title,
        subtitle=subtitle,
        description=f"{title}, {subtitle}. Score distributions on a 0-100 scale: {listed}.",
        category_title=category,
        boxes=boxes,
    )


def _from_buckets(buckets: Sequence[Bucket]) -> list[BarCell]:
    return [BarCell.of(b.key, b.label, b.count) for b in buckets]


def _population_cells(figures: PopulationFigures, *, group: str = "", group_label: str = "") -> list[BarCell]:
    return [
        BarCell.of("total", "Learners", figures.total, group=group, group_label=group_label),
        BarCell.of("profiled", "Profiled", figures.profiled, group=group, group_label=group_label),
        BarCell.of(
            "not_profiled", "Not profiled", figures.not_profiled, group=group, group_label=group_label
        ),
    ]


def _share(figures: PopulationFigures) -> str:
    pct = figures.profiled_pct
    if isinstance(pct, Suppressed):
        return f"profiled share {SUPPRESSED_TEXT}"
    return "profiled share -" if pct is None else f"profiled share {pct:.1f}%"


def _population_figures(body: PopulationReport, subject: str) -> list[Figure]:
    return [
        _bars(
            "profiled_share",
            f"Profiled learners ({_share(body.population)})",
            subject,
            "Population",
            _population_cells(body.population),
        ),
        _scores(
            "scores",
            "Score distributions",
            subject,
            "Score",
            [
                ScoreBox.of("aptitude", "Aptitude", body.aptitude),
                ScoreBox.of("technical_exposure", "Technical exposure", body.technical_exposure),
                ScoreBox.of("overall", "Overall", body.overall),
            ],
        ),
        _bars(
            "readiness", "Readiness (overall score)", subject, "Readiness band", _from_buckets(body.readiness)
        ),
        _bars("tracks", "Recommended track", subject, "Track", _from_buckets(body.tracks)),
        _bars("difficulty", "Difficulty selection", subject, "Difficulty", _from_buckets(body.difficulty)),
        _bars(
            "completions",
            "Completions over time (UTC month)",
            subject,
            "Month",
            _from_buckets(body.completions),
        ),
        _bars("top_strengths", "Top strengths", subject, "Strength", _from_buckets(body.top_strengths)),
    ]


def _cohort_subject(report: CohortReport) -> str:
    return f"cohort {report.cohort.name} ({report.cohort.id}), k = {report.k}"


def _enterprise_figures(report: EnterpriseReport) -> list[Figure]:
    subject = f"enterprise {report.enterprise_id}, k = {report.k}"
    rows = list(report.cohorts.values())
    labels = {row.cohort.id: f"{row.cohort.name} ({row.cohort.id})" for row in rows}
    population = [
        cell
        for row in rows
        for cell in _population_cells(row.population, group=row.cohort.id, group_label=labels[row.cohort.id])
    ]
    readiness = [
        BarCell.of(b.key, b.label, b.count, group=row.cohort.id, group_label=labels[row.cohort.id])
        for row in rows
        for b in row.readiness
    ]
    overall = [ScoreBox.of(row.cohort.id, labels[row.cohort.id], row.overall) for row in rows]
    return [
        *_population_figures(report.rollup, subject + ", each learner once"),
        _bars("cohort_population", "Learners per cohort", subject, "Cohort", population),
        _bars("cohort_readiness", "Readiness per cohort (overall score)", subject, "Cohort", readiness),
        _scores("cohort_overall", "Overall score per cohort", subject, "Cohort", overall),
    ]


def figures(report: Report) -> tuple[Figure, ...]:
    """Every figure of a cohort or enterprise report, in display order.

    A cohort report has ``profiled_share``, ``scores``, ``readiness``,
    ``tracks``, ``difficulty``, ``completions`` and ``top_strengths``; an
    enterprise report has those of its rollup, then the per-cohort breakdown:
    ``cohort_population``, ``cohort_readiness`` and ``cohort_overall``.
    """
    if isinstance(report, CohortReport):
        return tuple(_population_figures(report.body, _cohort_subject(report)))
    return tuple(_enterprise_figures(report))


# --- Vega-Lite --------------------------------------------------------------------------


def _nominal_length(chart: BarChart) -> float:
    """The fixed length of a suppressed bar: a quarter of the longest published bar (1 at least)."""
    longest = max((c.count for c in chart.cells if c.count is not None), default=0)
    return max(1.0, round(longest * _NOMINAL_SHARE, 2))


def _count_ticks(chart: BarChart) -> list[int]:
    """Whole-number ticks of the count axis, 0 to at least the longest bar, at most 10 steps.

    Given explicitly: Vega's ``tickMinStep`` still puts ticks at 0.5 and 1.5 on a short axis,
    which the integer format labels "0 1 1 2 2".
    """
    top = max([1, *(c.count for c in chart.cells if c.count is not None)])
    step = next(s * 10**p for p in range(len(str(top)) + 1) for s in (1, 2, 5) if top <= 10 * s * 10**p)
    return list(range(0, -(-top // step) * step + 1, step))


def _bar_row(cell: BarCell) -> dict[str, object]:
    row: dict[str, object] = {
        "key": cell.key,
        "label": cell.label,
        "count": cell.count,
        "suppressed": cell.suppressed,
    }
    if cell.group:
        row |= {"group": cell.group, "group_label": cell.group_label}
    return row


def _box_row(box: ScoreBox) -> dict[str, object]:
    return {
        "key": box.key,
        "label": box.label,
        "suppressed": box.suppressed,
        "count": box.count,
        "missing": box.missing,
        "missing_suppressed": box.missing_suppressed,
        "mean": box.mean,
        "std": box.std,
        "min": box.minimum,
        "q1": box.q1,
        "median": box.median,
        "q3": box.q3,
        "max": box.maximum,
        "range_suppressed": box.range_suppressed,
    }


def _filtered(test: str, layer: dict[str, object]) -> dict[str, object]:
    return {"transform": [{"filter": test}], **layer}


def _unique(values: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(values))


def _bar_spec(chart: BarChart) -> dict[str, object]:
    ticks = _count_ticks(chart)
    value = {
        "title": chart.value_title,
        "scale": {"domain": [0, ticks[-1]], "nice": False},
        "axis": {"values": ticks, "format": "d"},
    }
    nominal = _nominal_length(chart)
    tooltip = [
        {"field": "label", "type": "nominal", "title": chart.category_title},
        {"field": "count", "type": "quantitative", "title": chart.value_title},
    ]
    encoding: dict[str, object]
    if chart.grouped:
        encoding = {
            "y": {
                "field": "group_label",
                "type": "nominal",
                "sort": _unique([c.group_label for c in chart.cells]),
                "title": chart.category_title,
                "axis": dict(_FULL_LABELS),
            },
            "yOffset": {"field": "label", "type": "nominal", "sort": _unique([c.label for c in chart.cells])},
        }
        tooltip.insert(0, {"field": "group_label", "type": "nominal", "title": chart.category_title})
        tooltip[1] = {"field": "label", "type": "nominal", "title": "Measure"}
    else:
        encoding = {
            "y": {
                "field": "label",
                "type": "nominal",
                "sort": [c.label for c in chart.cells],
                "title": chart.category_title,
                "axis": dict(_FULL_LABELS),
            }
        }
    colour: dict[str, object] = (
        {
            "field": "label",
            "type": "nominal",
            "title": "Measure",
            "sort": _unique([c.label for c in chart.cells]),
            "scale": {"range": list(_SERIES_COLOURS)},
            # Below the plot: the bars' "<measure>: <count>" texts run to the right of it.
            "legend": {**_FULL_LABELS, "orient": "bottom"},
        }
        if chart.grouped
        else {"value": _BAR_COLOUR}
    )
    # A grouped chart names the measure beside each bar ("Novice (<40): suppressed"): its grey
    # suppressed bars and empty zero bars have no colour to match with the legend.
    published_text: tuple[list[dict[str, object]], dict[str, object]] = (
        ([{"calculate": "datum.label + ': ' + format(datum.count, 'd')", "as": "shown"}], _SHOWN)
        if chart.grouped
        else ([], {"field": "count", "type": "quantitative"})
    )
    suppressed_text: tuple[list[dict[str, object]], dict[str, object]] = (
        ([{"calculate": f"datum.label + ': {SUPPRESSED_TEXT}'", "as": "shown"}], _SHOWN)
        if chart.grouped
        else ([], {"value": SUPPRESSED_TEXT})
    )
    layers = [
        _filtered(
            "!datum.suppressed",
            {
                "mark": {"type": "bar"},
                "encoding": {
                    "x": {"field": "count", "type": "quantitative", **value},
                    "color": colour,
                    "tooltip": tooltip,
                },
            },
        ),
        {
            "transform": [{"filter": "!datum.suppressed"}, *published_text[0]],
            "mark": {"type": "text", "align": "left", "dx": 3, "color": _TEXT_COLOUR},
            "encoding": {
                "x": {"field": "count", "type": "quantitative", **value},
                "text": published_text[1],
            },
        },
        {
            "transform": [{"filter": "datum.suppressed"}, _ARIA],
            "mark": {
                "type": "bar",
                "fill": _SUPPRESSED_FILL,
                "stroke": _SUPPRESSED_STROKE,
                "strokeDash": [4, 2],
                "strokeWidth": 1,
            },
            "encoding": {
                "x": {"datum": nominal, "type": "quantitative", **value},
                "color": {"value": _SUPPRESSED_FILL},
                "tooltip": {"value": _SUPPRESSED_TIP},
                "description": {"field": "aria", "type": "nominal"},
            },
        },
        {
            "transform": [{"filter": "datum.suppressed"}, *suppressed_text[0]],
            "mark": {
                "type": "text",
                "align": "left",
                "dx": 3,
                "color": _SUPPRESSED_STROKE,
                "fontStyle": "italic",
            },
            "encoding": {
                "x": {"datum": nominal, "type": "quantitative", **value},
                "text": suppressed_text[1],
            },
        },
    ]
    return {
        "$schema": VEGA_LITE_SCHEMA,
        "title": {"text": chart.title, "subtitle": chart.subtitle, "anchor": "start"},
        "description": chart.description,
        "width": _WIDTH,
        "data": {"values": [_bar_row(c) for c in chart.cells]},
        "encoding": encoding,
        "layer": layers,
        "usermeta": {"profiler_core": {"figure": chart.name, "kind": "bars"}},
    }


def _score_spec(chart: ScoreChart) -> dict[str, object]:
    def x(name: str) -> dict[str, object]:
        return {
            "field": name,
            "type": "quantitative",
            "scale": {"domain": [0, 100]},
            "title": "Score (0-100)",
        }

    def x_datum(value: float) -> dict[str, object]:
        return {
            "datum": value,
            "type": "quantitative",
            "scale": {"domain": [0, 100]},
            "title": "Score (0-100)",
        }

    drawn = "!datum.suppressed && !datum.range_suppressed"
    tooltip = [
        {"field": "label", "type": "nominal", "title": chart.category_title},
        {"field": "count", "type": "quantitative", "title": "Learners"},
        {"field": "mean", "type": "quantitative", "title": "Mean"},
        {"field": "std", "type": "quantitative", "title": "Std"},
        {"field": "min", "type": "quantitative", "title": "Min"},
        {"field": "q1", "type": "quantitative", "title": "Q1"},
        {"field": "median", "type": "quantitative", "title": "Median"},
        {"field": "q3", "type": "quantitative", "title": "Q3"},
        {"field": "max", "type": "quantitative", "title": "Max"},
    ]
    layers = [
        _filtered(
            drawn,
            {
                "mark": {"type": "rule", "color": _TEXT_COLOUR},
                "encoding": {"x": x("min"), "x2": {"field": "max"}},
            },
        ),
        _filtered(
            drawn,
            {
                "mark": {"type": "bar", "size": 14, "color": "#9ecae1", "stroke": _BAR_COLOUR},
                "encoding": {"x": x("q1"), "x2": {"field": "q3"}, "tooltip": tooltip},
            },
        ),
        _filtered(
            drawn,
            {
                "mark": {"type": "tick", "color": _TEXT_COLOUR, "thickness": 2, "size": 14},
                "encoding": {"x": x("median")},
            },
        ),
        _filtered(
            "!datum.suppressed && isValid(datum.mean)",
            {
                "mark": {"type": "point", "shape": "diamond", "filled": True, "color": "#b35806", "size": 60},
                "encoding": {"x": x("mean"), "tooltip": tooltip},
            },
        ),
        _filtered(
            "!datum.suppressed && datum.range_suppressed",
            {
                "mark": {
                    "type": "text",
                    "align": "left",
                    "dx": 8,
                    "color": _SUPPRESSED_STROKE,
                    "fontStyle": "italic",
                },
                "encoding": {"x": x("mean"), "text": {"value": f"range {SUPPRESSED_TEXT}"}},
            },
        ),
        {
            "transform": [{"filter": "datum.suppressed"}, _ARIA],
            "mark": {
                "type": "bar",
                "size": 14,
                "fill": _SUPPRESSED_FILL,
                "stroke": _SUPPRESSED_STROKE,
                "strokeDash": [4, 2],
            },
            "encoding": {
                "x": x_datum(0),
                "x2": {"datum": 100},
                "tooltip": {"value": _SUPPRESSED_TIP},
                "description": {"field": "aria", "type": "nominal"},
            },
        },
        _filtered(
            "datum.suppressed",
            {
                "mark": {"type": "text", "color": _SUPPRESSED_STROKE, "fontStyle": "italic"},
                "encoding": {"x": x_datum(50), "text": {"value": SUPPRESSED_TEXT}},
            },
        ),
    ]
    return {
        "$schema": VEGA_LITE_SCHEMA,
        "title": {"text": chart.title, "subtitle": chart.subtitle, "anchor": "start"},
        "description": chart.description,
        "width": _WIDTH,
        "data": {"values": [_box_row(b) for b in chart.boxes]},
        "encoding": {
            "y": {
                "field": "label",
                "type": "nominal",
                "sort": [b.label for b in chart.boxes],
                "title": chart.category_title,
                "axis": dict(_FULL_LABELS),
            }
        },
        "layer": layers,
        "usermeta": {"profiler_core": {"figure": chart.name, "kind": "scores"}},
    }


def vega_lite(figure: Figure) -> dict[str, object]:
    """The Vega-Lite v5 specification of one figure: plain, JSON-ready data with its values inline.

    Each data row is one cell. A suppressed cell's row has
    ``"suppressed": true`` and ``"count": null`` and is drawn as a grey,
    dashed bar of a fixed nominal length with the word "suppressed"; a
    suppressed statistics block's row has every figure ``null``. The
    ``description`` is the chart's text alternative.
    """
    return _bar_spec(figure) if isinstance(figure, BarChart) else _score_spec(figure)


def chart_specs(report: Report) -> dict[str, dict[str, object]]:
    """Every figure of a cohort or enterprise report as a Vega-Lite v5 specification, by figure name.

    The names are those of :func:`figures`; ``json.dumps`` writes any of the
    specifications as they are.
    """
    return {figure.name: vega_lite(figure) for figure in figures(report)}
