"""The dashboard reports for people: readable text, tidy CSV and a self-contained HTML page.

Each renderer takes :class:`~profiler_core.reports.CohortReport` and
:class:`~profiler_core.reports.EnterpriseReport` values (and, optionally,
:class:`NotReported` notes for ids that were asked for and not found):

- :func:`render_text` — the aligned tables and text bars of the demo;
- :func:`render_csv` — tidy rows (:data:`CSV_COLUMNS`) a spreadsheet opens,
  a suppressed figure with an empty value and ``suppressed`` ``true``;
- :func:`render_html` — one HTML file, no CDN and no JavaScript: the tables
  and inline SVG bar charts drawn from the chart values of
  :mod:`profiler_core.charts`, readable on a laptop and printable;
  :func:`render_html_section` is one report's part of it, for a host's own
  page template (with :data:`HTML_STYLE`, the page's stylesheet).

:func:`reports_from_document` reads the JSON document of ``python -m
profiler_core analytics`` back into report values, and
:func:`render_document` renders that document in any of :data:`FORMATS`.
A suppressed figure is always shown as the word "suppressed": never a
number, never 0, never left out.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Final, Literal, TypeAlias

from attrs import frozen

from profiler_core._report_html import STYLE, html_page, section
from profiler_core.charts import SUPPRESSED_TEXT, BarChart, Report, ScoreBox, figures
from profiler_core.reports import (
    Bucket,
    CohortReport,
    Count,
    EnterpriseReport,
    PopulationFigures,
    ScoreBlock,
    ScoreSummary,
    Suppressed,
)
from profiler_core.serialization import structure

__all__ = [
    "FORMATS",
    "Format",
    "CSV_COLUMNS",
    "NotReported",
    "table",
    "bar",
    "population_line",
    "score_table",
    "text_bars",
    "text_report",
    "render_text",
    "render_csv",
    "render_html",
    "render_html_section",
    "HTML_STYLE",
    "reports_from_document",
    "render_document",
]

#: An output format of the analytics command.
Format: TypeAlias = Literal["json", "text", "csv", "html"]

#: Every :data:`Format`, the default first.
FORMATS: Final[tuple[Format, ...]] = ("json", "text", "csv", "html")

#: The columns of :func:`render_csv`, in order.
CSV_COLUMNS: Final = ("report", "subject", "figure", "category", "value", "suppressed")


@frozen(kw_only=True)
class NotReported:
    """An id that was asked for and has no report: its kind (``"cohort"``/``"enterprise"``), id and why."""

    kind: str
    subject: str
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.kind} {self.subject}: not found ({self.code}: {self.message})"


# --- text -------------------------------------------------------------------------------


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


def _shown(value: Count | float | None, spec: str = "") -> str:
    if value is None:
        return "-"
    if isinstance(value, Suppressed):
        return SUPPRESSED_TEXT
    return format(value, spec)


def population_line(figures: PopulationFigures) -> str:
    """Learners, profiled, not profiled and the profiled share, in one line."""
    pct = figures.profiled_pct
    share = _shown(pct, ".1f") + ("%" if isinstance(pct, float | int) else "")
    return (
        f"learners {_shown(figures.total)}, profiled {_shown(figures.profiled)}, "
        f"not profiled {_shown(figures.not_profiled)}, profiled share {share}"
    )


def _range(low: float | Suppressed, high: float | Suppressed) -> str:
    if isinstance(low, Suppressed) or isinstance(high, Suppressed):
        return SUPPRESSED_TEXT
    return f"{low:.1f}-{high:.1f}"


def _block_row(name: str, block: ScoreBlock) -> tuple[str, ...]:
    if not isinstance(block, ScoreSummary):
        return (name, SUPPRESSED_TEXT, "", "", "", "", "")
    quartiles = (block.q1, block.median, block.q3)
    return (
        name,
        _shown(block.count),
        _shown(block.mean, ".1f"),
        _shown(block.std, ".1f"),
        _range(block.minimum, block.maximum),
        " / ".join(_shown(q, ".1f") for q in quartiles)
        if not any(isinstance(q, Suppressed) for q in quartiles)
        else SUPPRESSED_TEXT,
        _shown(block.missing),
    )


def score_table(aptitude: ScoreBlock, technical_exposure: ScoreBlock, overall: ScoreBlock) -> str:
    """The three statistics blocks as a table; a suppressed block or figure reads "suppressed"."""
    header = ("score", "count", "mean", "std", "min-max", "q1 / median / q3", "missing")
    rows = [
        _block_row("aptitude", aptitude),
        _block_row("technical exposure", technical_exposure),
        _block_row("overall", overall),
    ]
    return table(header, rows)


def text_bars(title: str, buckets: Sequence[Bucket]) -> list[str]:
    """*title*, then one text bar per bucket; a suppressed bucket is hatched and says so."""
    counts = [b.count for b in buckets if not isinstance(b.count, Suppressed)]
    scale = max(counts, default=0)
    width = max((len(b.label) for b in buckets), default=0)
    lines = [title]
    for bucket in buckets:
        if isinstance(bucket.count, Suppressed):
            lines.append(
                f"  {bucket.label.ljust(width)}  {'/' * 20}  {SUPPRESSED_TEXT} "
                "(fewer than k, or protects one)"
            )
        else:
            lines.append(
                f"  {bucket.label.ljust(width)}  {bar(bucket.count, scale, width=20)}  {bucket.count}"
            )
    return lines


def _body_lines(report: Report) -> list[str]:
    body = report.body if isinstance(report, CohortReport) else report.rollup
    strengths = ", ".join(f"{b.label} ({_shown(b.count)})" for b in body.top_strengths) or "-"
    return [
        f"  {population_line(body.population)}",
        score_table(body.aptitude, body.technical_exposure, body.overall),
        *text_bars("Readiness (overall score):", body.readiness),
        *text_bars("Recommended track:", body.tracks),
        *text_bars("Difficulty selection:", body.difficulty),
        *text_bars("Completions over time (UTC month):", body.completions),
        f"Top strengths: {strengths}",
    ]


def text_report(report: Report) -> str:
    """One report as readable text: population, statistics, bars, and an enterprise's breakdown."""
    meta = f"k = {report.k}, {report.suppressed_cells} figures suppressed"
    if isinstance(report, CohortReport):
        head = f"Cohort report: {report.cohort.id} '{report.cohort.name}' ({meta})"
        return "\n".join([head, *_body_lines(report)])
    rows = [
        (
            cohort_id,
            row.cohort.name,
            _shown(row.population.total),
            _shown(row.population.profiled),
            _shown(row.overall.mean, ".1f") if isinstance(row.overall, ScoreSummary) else SUPPRESSED_TEXT,
        )
        for cohort_id, row in report.cohorts.items()
    ]
    return "\n".join(
        [
            f"Enterprise report: {report.enterprise_id}, learners counted once ({meta})",
            *_body_lines(report),
            "Breakdown by cohort id:",
            table(("cohort", "label", "learners", "profiled", "overall mean"), rows),
        ]
    )


def render_text(reports: Iterable[Report], *, notes: Iterable[NotReported] = ()) -> str:
    """Every report as readable text, one after another, then the ids that were not found."""
    parts = [text_report(r) for r in reports]
    parts += [str(n) for n in notes]
    return "\n\n".join(parts) + "\n"


# --- CSV --------------------------------------------------------------------------------

_STATS: Final = ("count", "missing", "mean", "std", "min", "q1", "median", "q3", "max")


def _box_stats(box: ScoreBox) -> dict[str, float | int | None]:
    return {
        "count": box.count,
        "missing": box.missing,
        "mean": box.mean,
        "std": box.std,
        "min": box.minimum,
        "q1": box.q1,
        "median": box.median,
        "q3": box.q3,
        "max": box.maximum,
    }


def _csv_value(value: float | int | None) -> tuple[str, str]:
    return (
        ("", "true")
        if value is None
        else (format(value, "g") if isinstance(value, float) else str(value), "false")
    )


# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection, OWASP):
# host-supplied text (ids, category keys) that does gets a leading apostrophe, shown as text.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _text_cell(text: str) -> str:
    return f"'{text}" if text.startswith(_FORMULA_STARTS) else text


def _subject(report: Report) -> tuple[str, str]:
    if isinstance(report, CohortReport):
        return "cohort", _text_cell(str(report.cohort.id))
    return "enterprise", _text_cell(str(report.enterprise_id))


def _csv_rows(report: Report) -> list[tuple[str, ...]]:
    kind, subject = _subject(report)
    body = report.body if isinstance(report, CohortReport) else report.rollup
    pct = body.population.profiled_pct
    rows: list[tuple[str, ...]] = [
        (kind, subject, "report", "k", str(report.k), "false"),
        (kind, subject, "report", "suppressed_cells", str(report.suppressed_cells), "false"),
        (kind, subject, "report", "policy", str(report.policy), "false"),
        (kind, subject, "report", "suppression", str(report.suppression), "false"),
        (
            kind,
            subject,
            "profiled_share",
            "profiled_pct",
            *(("", "true") if isinstance(pct, Suppressed) else ("" if pct is None else f"{pct:g}", "false")),
        ),
    ]
    for figure in figures(report):
        if isinstance(figure, BarChart):
            for cell in figure.cells:
                category = f"{cell.group}/{cell.key}" if cell.group else cell.key
                rows.append((kind, subject, figure.name, _text_cell(category), *_csv_value(cell.count)))
        else:
            for box in figure.boxes:
                stats = _box_stats(box)
                rows += [
                    (kind, subject, figure.name, f"{box.key}/{stat}", *_csv_value(stats[stat]))
                    for stat in _STATS
                ]
    return rows


def render_csv(reports: Iterable[Report], *, notes: Iterable[NotReported] = ()) -> str:
    """Tidy rows (:data:`CSV_COLUMNS`) of every figure of every report, then the ids not found.

    One row per published or suppressed figure: a suppressed figure has an
    empty ``value`` and ``suppressed`` ``true``, so a spreadsheet never sums
    it as 0. Categories of grouped figures are ``<cohort id>/<key>``, score
    figures ``<score>/<statistic>``. An id not found is one row with figure
    ``not_found`` and its reason code as the category. A subject or category
    that a spreadsheet would run as a formula (it starts with ``=``, ``+``,
    ``-``, ``@``, a tab or a carriage return) is written with a leading ``'``.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for report in reports:
        writer.writerows(_csv_rows(report))
    writer.writerows((n.kind, _text_cell(n.subject), "not_found", n.code, "", "false") for n in notes)
    return out.getvalue()


# --- HTML -------------------------------------------------------------------------------


def render_html(
    reports: Iterable[Report],
    *,
    title: str = "profiler_core dashboard",
    notes: Iterable[NotReported] = (),
    intro: Sequence[str] = (),
) -> str:
    """One self-contained HTML page: per report, its headline figures, SVG charts and tables.

    No external resource and no script: the styles are inline, each chart is
    an inline SVG drawn from :func:`profiler_core.charts.figures` with a
    ``<title>``, a ``<desc>`` (the chart's text alternative), ``role="img"``
    and an ``aria-label``, and each is followed by its data table. A
    suppressed cell is a hatched bar with the word "suppressed". Every text
    is escaped. *intro* lines are shown under the title.
    """
    return html_page(list(reports), title=title, notes=[str(n) for n in notes], intro=intro)


#: The stylesheet of :func:`render_html`'s page: dark text on white, print styles. A host page
#: that embeds :func:`render_html_section` puts it in a ``<style>`` element (or its own CSS file).
HTML_STYLE: Final[str] = STYLE

_SECTION_ID: Final = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")


def render_html_section(report: Report, *, section_id: str = "report-1") -> str:
    """One report as the HTML ``<section>`` of :func:`render_html`'s page, without the page around it.

    For embedding in a host's own template (a server-rendered dashboard):
    ``<section id="{section_id}">`` with an ``<h2>`` naming the subject, the
    k and policies line, the population figures, and one
    ``<figure class="chart">`` per figure of :func:`profiler_core.charts.figures`
    (its ``<h3>``, the inline SVG with ``role="img"``, ``<title>`` and
    ``<desc>``, a ``<figcaption>`` and the data table). Each cell is one
    ``<g class="mark">``; a suppressed cell is ``<g class="mark suppressed">``
    with the word "suppressed". No script, no external resource, every text
    escaped; the ids inside start with *section_id*, so two sections on one
    page need two ids. Style it with :data:`HTML_STYLE`.

    Raises:
        ValueError: *section_id* is not a letter followed by letters, digits,
            ``-`` or ``_``.
    """
    if not _SECTION_ID.fullmatch(section_id):
        msg = f"section_id must be a letter then letters, digits, '-' or '_', not {section_id!r}"
        raise ValueError(msg)
    return section(report, section_id)


# --- the analytics command's document ------------------------------------------------------


def _entries(document: Mapping[str, object], key: str) -> list[tuple[str, Mapping[str, object]]]:
    entries = document.get(key) or {}
    if not isinstance(entries, Mapping):
        msg = f"the document's {key!r} is not an object"
        raise TypeError(msg)
    return [(str(k), v) for k, v in entries.items() if isinstance(v, Mapping)]


def _note(kind: str, subject: str, entry: Mapping[str, object]) -> NotReported:
    reason = entry.get("reason")
    reason = reason if isinstance(reason, Mapping) else {}
    return NotReported(
        kind=kind, subject=subject, code=str(reason.get("code", "")), message=str(reason.get("message", ""))
    )


def reports_from_document(document: Mapping[str, object]) -> tuple[list[Report], list[NotReported]]:
    """The report values of an analytics command document, and the ids it did not find.

    Enterprise reports first, then cohort reports, in the document's order;
    each is read back with :func:`profiler_core.structure` (strict: a
    tampered document raises :class:`~profiler_core.errors.InvalidPayloadError`).
    """
    reports: list[Report] = []
    notes: list[NotReported] = []
    for subject, entry in _entries(document, "enterprises"):
        if entry.get("kind") == "not_found":
            notes.append(_note("enterprise", subject, entry))
        else:
            reports.append(structure(dict(entry), EnterpriseReport))
    for subject, entry in _entries(document, "cohorts"):
        if entry.get("kind") == "not_found":
            notes.append(_note("cohort", subject, entry))
        else:
            reports.append(structure(dict(entry), CohortReport))
    return reports, notes


def _input_line(document: Mapping[str, object]) -> str:
    data = document.get("input")
    if not isinstance(data, Mapping):
        return ""
    files = data.get("files")
    lines = (
        sum(f["lines"] for f in files if isinstance(f, Mapping) and isinstance(f.get("lines"), int))
        if isinstance(files, list)
        else 0
    )
    return f"Input: {lines:,} lines read, {data.get('bad_lines', 0)} bad."


def render_document(document: Mapping[str, object], format: Format) -> str:
    """The analytics command's document in *format*; ``json`` is the document as the command prints it."""
    if format == "json":
        return json.dumps(document, indent=2) + "\n"
    reports, notes = reports_from_document(document)
    if format == "text":
        return render_text(reports, notes=notes)
    if format == "csv":
        return render_csv(reports, notes=notes)
    intro = [line for line in (_input_line(document),) if line]
    return render_html(reports, title="profiler_core analytics report", notes=notes, intro=intro)
