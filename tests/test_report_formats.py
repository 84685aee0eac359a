"""Reports for people: text tables, tidy CSV, and a self-contained HTML page whose charts match the data."""

from __future__ import annotations

import csv
import io
import re
from html.parser import HTMLParser
from pathlib import Path

import attrs
import pytest
from tests.analytics_builders import ORG, seed, seed_partial

from profiler_core.analytics import (
    SUPPRESSED,
    CohortReport,
    EnterpriseReport,
    Suppressed,
    cohort_report,
    enterprise_report,
)
from profiler_core.charts import BarChart, figures
from profiler_core.cli_analytics import AnalyticsExport, export_report
from profiler_core.demo import render_dashboard
from profiler_core.report_formats import (
    CSV_COLUMNS,
    FORMATS,
    HTML_STYLE,
    NotReported,
    render_csv,
    render_document,
    render_html,
    render_html_section,
    render_text,
    reports_from_document,
    text_bars,
)
from profiler_core.reports import Bucket


def reports() -> tuple[CohortReport, EnterpriseReport]:
    cohorts, *_ = seed()
    partial = seed_partial()
    return cohort_report(cohorts[0], partial, enterprise_cohorts=cohorts), enterprise_report(
        ORG, cohorts, partial
    )


class Page(HTMLParser):
    """Collects, per chart figure, its marks (class, value text) and the page's scripts, links and svgs."""

    def __init__(self) -> None:
        super().__init__()
        self.figures: dict[str, dict[str, object]] = {}
        self.figure: str | None = None
        self.mark: dict[str, object] | None = None
        self.in_value = False
        self.tags: list[str] = []
        self.svgs: list[dict[str, str | None]] = []
        self.external: list[str] = []
        self.svg_children: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.append(tag)
        if tag in {"script", "link", "img", "iframe"} or any(
            (v or "").startswith(("http:", "https:", "//")) for k, v in attrs if k in {"src", "href"}
        ):
            self.external.append(tag)
        if tag == "figure":
            self.figure = f"{a['id']}"
            self.figures[self.figure] = {
                "cells": int(a["data-cells"] or 0),
                "marks": [],
                "name": a["data-figure"],
            }
        if tag == "svg":
            self.svgs.append(a)
            self.svg_children.append("svg")
        elif self.svg_children and len(self.svg_children) == 1 and tag in {"title", "desc"}:
            self.svg_children.append(tag)
        classes = (a.get("class") or "").split()
        if tag == "g" and "mark" in classes and self.figure is not None:
            self.mark = {"suppressed": "suppressed" in classes, "value": "", "key": a.get("data-key")}
            marks = self.figures[self.figure]["marks"]
            assert isinstance(marks, list)
            marks.append(self.mark)
        if tag == "text" and "value" in classes:
            self.in_value = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "text":
            self.in_value = False
        if tag == "g":
            self.mark = None
        if tag == "figure":
            self.figure = None
        if tag == "svg":
            self.svg_children = []

    def handle_data(self, data: str) -> None:
        if self.in_value and self.mark is not None:
            self.mark["value"] = f"{self.mark['value']}{data}"


def parse(page: str) -> Page:
    parser = Page()
    parser.feed(page)
    parser.close()
    return parser


class TestHtml:
    def test_each_chart_has_one_mark_per_cell(self) -> None:
        """Every chart of the page draws exactly one mark per cell of its figure."""
        cohort, enterprise = reports()
        page = parse(render_html([cohort, enterprise]))
        expected = [
            len(f.cells) if isinstance(f, BarChart) else len(f.boxes)
            for report in (cohort, enterprise)
            for f in figures(report)
        ]
        drawn = [len(f["marks"]) for f in page.figures.values()]  # type: ignore[arg-type]
        assert drawn == expected
        assert all(f["cells"] == len(f["marks"]) for f in page.figures.values())  # type: ignore[arg-type]

    def test_suppressed_cells_render_the_word_never_a_number(self) -> None:
        """A suppressed cell's mark is hatched and its value text is 'suppressed', without a digit."""
        cohort, _ = reports()
        page = parse(render_html([cohort]))
        readiness = next(f for f in page.figures.values() if f["name"] == "readiness")
        marks = readiness["marks"]
        assert isinstance(marks, list)
        hidden = {b.key for b in cohort.body.readiness if isinstance(b.count, Suppressed)}
        assert hidden, "the seed suppresses a readiness band of c-a"
        assert {m["key"] for m in marks if m["suppressed"]} == hidden
        for mark in marks:
            if mark["suppressed"]:
                assert mark["value"] == "suppressed"
            else:
                assert re.fullmatch(r"\d+", str(mark["value"]))

    def test_a_suppressed_block_is_drawn_suppressed(self) -> None:
        """A suppressed statistics block is one hatched mark with the word, in the score chart."""
        cohort, _ = reports()
        page = parse(render_html([cohort]))
        scores = next(f for f in page.figures.values() if f["name"] == "scores")
        blocks = {"aptitude": cohort.body.aptitude, "technical_exposure": cohort.body.technical_exposure}
        blocks["overall"] = cohort.body.overall
        marks = {m["key"]: m for m in scores["marks"]}  # type: ignore[attr-defined]
        for key, block in blocks.items():
            assert marks[key]["suppressed"] is (block is SUPPRESSED)
            if block is SUPPRESSED:
                assert marks[key]["value"] == "suppressed"

    def test_self_contained_no_script_no_external_resource(self) -> None:
        """The page loads nothing: no script, no link, no remote address; styles are inline."""
        page_text = render_html(list(reports()))
        page = parse(page_text)
        assert page.external == []
        assert "<style>" in page_text
        assert "@media print" in page_text

    def test_every_chart_has_a_text_alternative(self) -> None:
        """Each SVG has role=img, an aria-label, and a <title> and <desc> of its own."""
        page_text = render_html(list(reports()))
        page = parse(page_text)
        assert len(page.svgs) == len(page.figures) == 17
        for svg in page.svgs:
            assert svg["role"] == "img"
            assert svg["aria-label"]
            assert svg["aria-describedby"]
            assert f'<desc id="{svg["aria-describedby"]}">' in page_text

    def test_every_text_is_escaped(self) -> None:
        """A cohort name with markup is shown as text, never as markup."""
        cohorts, *_ = seed()
        evil = [
            c.__class__(id=c.id, name="<script>x</script>&", enterprise_id=c.enterprise_id) for c in cohorts
        ]
        report = cohort_report(evil[0], seed_partial(), enterprise_cohorts=evil)
        page_text = render_html([report], title="<b>t</b>")
        assert "<script>" not in page_text
        assert "&lt;script&gt;x&lt;/script&gt;&amp;" in page_text
        assert "<b>t</b>" not in page_text

    def test_not_found_ids_are_listed(self) -> None:
        """Ids asked for and not found are listed on the page."""
        note = NotReported(
            kind="enterprise", subject="org-nope", code="unknown_enterprise", message="No cohort."
        )
        assert "org-nope: not found (unknown_enterprise" in render_html([], notes=[note])

    def test_demo_dashboard_is_the_sample_reports(self) -> None:
        """The demo's dashboard draws the three reports of the analytics section."""
        page = parse(render_dashboard(7))
        assert len(page.figures) == 7 + 10 + 7


class TestHtmlSection:
    def test_one_reports_section_without_the_page(self) -> None:
        """The section is one <section> with the report's charts: no doctype, <html>, <head> or <style>."""
        cohort, _ = reports()
        fragment = render_html_section(cohort, section_id="cohort")
        assert fragment.startswith('<section id="cohort" aria-labelledby="cohort-h">')
        assert fragment.endswith("</section>")
        for whole_page in ("<!DOCTYPE", "<html", "<head", "<body", "<style", "<title>profiler"):
            assert whole_page not in fragment
        page = parse(fragment)
        assert page.external == []
        assert [f["name"] for f in page.figures.values()] == [
            "profiled_share",
            "scores",
            "readiness",
            "tracks",
            "difficulty",
            "completions",
            "top_strengths",
        ]

    def test_the_section_is_the_pages_section(self) -> None:
        """With id report-1, the section is character for character the one render_html puts on its page."""
        _, enterprise = reports()
        fragment = render_html_section(enterprise, section_id="report-1")
        assert fragment in render_html([enterprise])
        assert fragment not in render_html([reports()[0]])

    def test_ids_inside_start_with_the_section_id(self) -> None:
        """Every id inside (figure, heading, hatch) starts with the section id: two sections never clash."""
        cohort, enterprise = reports()
        both = render_html_section(cohort, section_id="a") + render_html_section(enterprise, section_id="b")
        ids = re.findall(r'\bid="([^"]+)"', both)
        assert len(ids) > 40
        assert all(i in {"a", "b"} or i.startswith(("a-", "b-")) for i in ids)
        assert len(ids) == len(set(ids))

    def test_a_suppressed_cell_is_the_word_in_the_section(self) -> None:
        """The section draws a suppressed readiness band as a hatched mark saying 'suppressed'."""
        cohort, _ = reports()
        page = parse(render_html_section(cohort, section_id="s"))
        readiness = next(f for f in page.figures.values() if f["name"] == "readiness")
        marks = readiness["marks"]
        assert isinstance(marks, list)
        assert [m["value"] for m in marks if m["suppressed"]] == ["suppressed"] * sum(
            isinstance(b.count, Suppressed) for b in cohort.body.readiness
        )

    @pytest.mark.parametrize("bad", ["", "1st", "a b", 'x"><script>', "é"])
    def test_an_unsafe_section_id_is_refused(self, bad: str) -> None:
        """A section id that is not a letter then [A-Za-z0-9_-] raises ValueError (it lands in attributes)."""
        cohort, _ = reports()
        with pytest.raises(ValueError, match="section_id"):
            render_html_section(cohort, section_id=bad)

    def test_the_stylesheet_is_the_pages(self) -> None:
        """HTML_STYLE is the stylesheet inside render_html's <style>, dark text on white with print styles."""
        assert f"<style>{HTML_STYLE}</style>" in render_html(list(reports()))
        assert "color: #222; background: #fff" in HTML_STYLE
        assert "@media print" in HTML_STYLE


class TestCsv:
    def test_tidy_rows_with_suppressed_marked(self) -> None:
        """Every row has the six columns; a suppressed figure has an empty value and suppressed true."""
        cohort, enterprise = reports()
        rows = list(csv.DictReader(io.StringIO(render_csv([cohort, enterprise]))))
        assert tuple(rows[0].keys()) == CSV_COLUMNS
        readiness = {r["category"]: r for r in rows if r["subject"] == "c-a" and r["figure"] == "readiness"}
        for bucket in cohort.body.readiness:
            row = readiness[bucket.key]
            if isinstance(bucket.count, Suppressed):
                assert (row["value"], row["suppressed"]) == ("", "true")
            else:
                assert (row["value"], row["suppressed"]) == (str(bucket.count), "false")
        assert any(r["suppressed"] == "true" for r in readiness.values())

    def test_breakdown_rows_are_keyed_by_cohort_id(self) -> None:
        """The per-cohort breakdown rows name the cohort id in the category."""
        _, enterprise = reports()
        rows = list(csv.DictReader(io.StringIO(render_csv([enterprise]))))
        categories = {r["category"] for r in rows if r["figure"] == "cohort_readiness"}
        assert categories == {
            f"{c}/{b}" for c in ("c-a", "c-b") for b in ("novice", "beginner", "intermediate", "advanced")
        }

    def test_a_spreadsheet_never_reads_a_suppressed_cell_as_zero(self) -> None:
        """No suppressed row carries a value."""
        rows = list(csv.DictReader(io.StringIO(render_csv(list(reports())))))
        assert all(r["value"] == "" for r in rows if r["suppressed"] == "true")
        assert sum(r["suppressed"] == "true" for r in rows) > 0

    @pytest.mark.parametrize(
        "hostile", ['=HYPERLINK("http://x")', "+1", "-1+1", "@SUM(A1)", "\tcmd", "\rcmd"]
    )
    def test_host_text_a_spreadsheet_would_run_is_written_as_text(self, hostile: str) -> None:
        """A subject, breakdown category or not-found id starting like a formula gets a leading apostrophe."""
        cohorts, *_ = seed()
        renamed = [attrs.evolve(c, id=f"{hostile}{n}") for n, c in enumerate(cohorts)]
        partial = seed_partial()
        cohort = cohort_report(renamed[0], partial, enterprise_cohorts=renamed)
        enterprise = enterprise_report(hostile, renamed, partial)
        note = NotReported(kind="cohort", subject=hostile, code="cohort_not_found", message="")
        rows = list(csv.DictReader(io.StringIO(render_csv([cohort, enterprise], notes=[note]))))
        texts = [r["subject"] for r in rows] + [
            r["category"] for r in rows if r["figure"].startswith("cohort_")
        ]
        assert texts
        assert all(t.startswith("'") for t in texts if hostile in t)
        assert {r["subject"] for r in rows} == {f"'{hostile}0", f"'{hostile}"}
        assert not any(t.startswith(("=", "+", "-", "@", "\t", "\r")) for t in texts)

    def test_plain_text_is_written_as_it_is(self) -> None:
        """Ordinary ids and categories (letters, digits, a hyphen inside) carry no apostrophe."""
        rows = list(csv.DictReader(io.StringIO(render_csv(list(reports())))))
        assert {r["subject"] for r in rows} == {"c-a", str(ORG)}
        assert not any(r["category"].startswith("'") for r in rows)


class TestText:
    def test_text_shows_suppressed_as_the_word(self) -> None:
        """The text bars hatch a suppressed bucket and say so; published ones show their count."""
        lines = text_bars(
            "T", [Bucket(key="a", label="A", count=SUPPRESSED), Bucket(key="b", label="B", count=4)]
        )
        assert lines == [
            "T",
            "  A  ////////////////////  suppressed (fewer than k, or protects one)",
            "  B  ####################  4",
        ]

    def test_text_report_of_both_kinds(self) -> None:
        """The text names each report and the enterprise's breakdown, with suppressed figures as the word."""
        text = render_text(list(reports()))
        assert "Cohort report: c-a 'Autumn Defenders'" in text
        assert "Enterprise report: org-1" in text
        assert "Breakdown by cohort id:" in text
        assert "suppressed" in text


class TestDocument:
    def document(self) -> dict[str, object]:
        cohorts, *_ = seed()
        export = AnalyticsExport(cohorts=cohorts, partial=seed_partial(), files=[])
        return export_report(export, enterprise_ids=["org-1", "org-nope"], cohort_ids=["c-a"])

    def test_reports_read_back_from_the_commands_document(self) -> None:
        """The command's JSON document reads back into the same report values, not-found ids as notes."""
        cohort, enterprise = reports()
        found, notes = reports_from_document(self.document())
        assert found == [enterprise, cohort]
        assert [(n.kind, n.subject, n.code) for n in notes] == [
            ("enterprise", "org-nope", "unknown_enterprise")
        ]

    @pytest.mark.parametrize("fmt", FORMATS)
    def test_every_format_renders(self, fmt: str) -> None:
        """Each format renders the document; json is the command's unchanged JSON."""
        out = render_document(self.document(), fmt)  # type: ignore[arg-type]
        expected_start = {
            "json": "{",
            "text": "Enterprise report",
            "csv": "report,",
            "html": "<!DOCTYPE html>",
        }
        assert out.startswith(expected_start[fmt])
        assert "org-nope" in out

    def test_demo_html_is_written_where_asked(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """`demo --html PATH` writes the dashboard there and says where, after the text report."""
        from profiler_core.__main__ import main  # noqa: PLC0415 - the command line under test

        target = tmp_path / "dashboard.html"
        assert main(["demo", "--html", str(target)]) == 0
        out = capsys.readouterr().out
        assert out.endswith(f"\nHTML dashboard: {target}\n")
        assert target.read_text(encoding="utf-8") == render_dashboard(7)
