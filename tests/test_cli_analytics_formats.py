"""``analytics --format``: the same reports as JSON, readable text, tidy CSV or one HTML page."""

from __future__ import annotations

import csv
import io
import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from tests.test_cli_analytics import argv, write_exports

from profiler_core.__main__ import main


class _Marks(HTMLParser):
    """Counts chart marks and notes any script or external resource."""

    def __init__(self) -> None:
        super().__init__()
        self.marks = 0
        self.scripts = 0
        self.external = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "g" and "mark" in (values.get("class") or "").split():
            self.marks += 1
        if tag == "script":
            self.scripts += 1
        if any((values.get(name) or "").startswith(("http:", "https:", "//")) for name in ("src", "href")):
            self.external += 1


class TestFormat:
    def test_json_is_the_default_and_unchanged(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """``--format json`` prints exactly what the command prints without the flag."""
        paths = write_exports(tmp_path)
        assert main(argv(paths)) == 0
        default = capsys.readouterr().out
        assert main(argv(paths, "--format", "json")) == 0
        assert capsys.readouterr().out == default
        assert "enterprises" in json.loads(default)

    def test_text_shows_the_cohorts_as_tables(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """``--format text`` prints readable tables naming each reported cohort, and no JSON."""
        paths = write_exports(tmp_path)
        assert main(argv(paths, "--format", "text")) == 0
        text = capsys.readouterr().out
        document_cohorts = _cohort_ids(tmp_path)
        assert document_cohorts
        for cohort_id in document_cohorts:
            assert cohort_id in text
        assert not text.lstrip().startswith("{")

    def test_csv_is_tidy_rows_with_suppressed_marked(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """``--format csv`` gives one header and tidy rows; a suppressed row has no value."""
        paths = write_exports(tmp_path)
        assert main(argv(paths, "--format", "csv")) == 0
        rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
        header, body = rows[0], rows[1:]
        assert header == ["report", "subject", "figure", "category", "value", "suppressed"]
        assert body
        assert all(len(row) == len(header) for row in body)
        suppressed = [row for row in body if row[5] == "true"]
        assert suppressed, "the sample platform has small cells"
        assert all(row[4] == "" for row in suppressed)

    def test_html_is_one_offline_page_with_charts(self, tmp_path: Path) -> None:
        """``--format html --out`` writes one page with chart marks, no script and no external resource."""
        paths = write_exports(tmp_path)
        page = tmp_path / "report.html"
        assert main([*argv(paths, "--format", "html"), "--out", str(page)]) == 0
        parser = _Marks()
        parser.feed(page.read_text(encoding="utf-8"))
        assert parser.marks > 0
        assert (parser.scripts, parser.external) == (0, 0)

    def test_an_unknown_format_is_refused(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """An unknown format is a usage error (exit 2) that names the choices."""
        paths = write_exports(tmp_path)
        with pytest.raises(SystemExit) as exit_info:
            main(argv(paths, "--format", "xml"))
        assert exit_info.value.code == 2
        assert "json" in capsys.readouterr().err


def _cohort_ids(tmp_path: Path) -> list[str]:
    lines = (tmp_path / "cohorts.jsonl").read_text(encoding="utf-8").splitlines()
    return [str(json.loads(line)["id"]) for line in lines if line.strip()]
