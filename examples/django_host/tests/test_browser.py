"""The host's dashboard pages in a real headless Chromium, served by ``live_server`` over the OCH fixture.

A director, a sponsor and a mentor open their pages as a person would (``X-User-Id`` is sent
with every request, as the JSON views authenticate); a denied viewer opens the same addresses
and must get the 403 page. What each chart must show comes from the report value, built here
with the library's services over the host's repositories (the cohort and enterprise reports),
or from the JSON endpoint of the same viewer (the mentee's scores): never from the page.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import pytest
from django.utils import timezone
from profiler_host import och_fixture as f
from profiler_host.adapters import (
    DjangoAuditSink,
    DjangoCohortAnalyticsRepository,
    DjangoCohortRepository,
    TrackCatalogue,
)
from profiler_host.auth import principal_for
from profiler_host.loading import load_och_fixture
from profiler_host.models import User
from pytest_django.live_server_helper import LiveServer
from selenium import webdriver

import profiler_core as pc
from profiler_core import services, unstructure
from tests.browser import (
    SUPPRESSED,
    axe_violations,
    chart_problems,
    console_errors,
    expected_figures,
    open_page,
    page_problems,
    read_charts,
    screenshot,
)
from tests.conftest import Get

SPONSOR_ORG = str(f.USER_UUID[f.SPONSOR_ADMIN])
# The main document's own 403 status is the one console error a denied page may log.
DENIED_STATUS_ERROR = "the server responded with a status of 403"

_STATUS = "return performance.getEntriesByType('navigation')[0].responseStatus;"


@pytest.fixture
def site(transactional_db: None, live_server: LiveServer) -> str:
    """The live server's address, with the OCH fixture in the database it serves."""
    load_och_fixture()
    return str(live_server.url)


def _as(viewer: int) -> dict[str, str]:
    return {"X-User-Id": str(viewer)}


def _status(driver: webdriver.Chrome) -> int:
    return cast("int", driver.execute_script(_STATUS))


def cohort_report(cohort: object, viewer: int) -> Mapping[str, object]:
    """The cohort report *viewer* may see, as wire JSON, from the library's services."""
    catalogue = TrackCatalogue.read()
    cohort_id = pc.CohortId(str(cohort))
    gate = services.cohort_analytics_gate(
        principal_for(User.objects.get(pk=viewer)),
        cohort_id,
        cohorts=DjangoCohortRepository(catalogue),
        audit=DjangoAuditSink(),
        now=timezone.now(),
    )
    assert isinstance(gate, services.AnalyticsAllowed), gate
    report = services.cohort_analytics_report(
        cohort_id, decision=gate.decision, repository=DjangoCohortAnalyticsRepository(catalogue)
    )
    assert isinstance(report, pc.CohortReport), report
    return cast("Mapping[str, object]", unstructure(report))


def enterprise_report(enterprise: str, viewer: int) -> Mapping[str, object]:
    """The enterprise (sponsor) report *viewer* may see, as wire JSON, from the library's services."""
    catalogue = TrackCatalogue.read()
    enterprise_id = pc.OrgId(enterprise)
    gate = services.enterprise_analytics_gate(
        principal_for(User.objects.get(pk=viewer)),
        enterprise_id,
        cohorts=DjangoCohortRepository(catalogue),
        audit=DjangoAuditSink(),
        now=timezone.now(),
    )
    assert isinstance(gate, services.AnalyticsAllowed), gate
    report = services.enterprise_analytics_report(
        enterprise_id, decision=gate.decision, repository=DjangoCohortAnalyticsRepository(catalogue)
    )
    assert isinstance(report, pc.EnterpriseReport), report
    return cast("Mapping[str, object]", unstructure(report))


@dataclass(frozen=True)
class ReportPage:
    """A cohort or enterprise dashboard opened by an allowed viewer."""

    name: str
    kind: str
    subject: str
    viewer: int

    @property
    def path(self) -> str:
        """The page's address on the site."""
        return f"/dashboards/{self.kind}s/{self.subject}/"

    @property
    def section(self) -> str:
        """The selector of the page's report section."""
        return f"#{self.kind}-dashboard"

    def report(self) -> Mapping[str, object]:
        """The report the viewer may see, as wire JSON."""
        if self.kind == "cohort":
            return cohort_report(self.subject, self.viewer)
        return enterprise_report(self.subject, self.viewer)


REPORT_PAGES = [
    ReportPage(name="cohort-corona-director", kind="cohort", subject=str(f.CORONA_COHORT), viewer=f.DIRECTOR),
    ReportPage(
        name="cohort-sponsored-sponsor",
        kind="cohort",
        subject=str(f.SPONSORED_COHORT),
        viewer=f.SPONSOR_ADMIN,
    ),
    ReportPage(name="enterprise-sponsor", kind="enterprise", subject=SPONSOR_ORG, viewer=f.SPONSOR_ADMIN),
]
REPORT_IDS = [page.name for page in REPORT_PAGES]


class TestReportDashboards:
    @pytest.mark.parametrize("page", REPORT_PAGES, ids=REPORT_IDS)
    def test_page_draws_the_report(self, chromium: webdriver.Chrome, site: str, page: ReportPage) -> None:
        """The allowed viewer's page renders (200, no console error); each chart matches the report value."""
        value = page.report()
        open_page(chromium, site + page.path, headers=_as(page.viewer))
        screenshot(chromium, f"dashboard-{page.name}")
        assert _status(chromium) == 200
        assert page_problems(chromium) == []
        expected = expected_figures(value)
        assert any(c.suppressed for figure in expected for c in figure.cells), "a suppressed cell to check"
        assert chart_problems(read_charts(chromium, page.section), expected) == []
        assert console_errors(chromium) == []

    @pytest.mark.parametrize("page", REPORT_PAGES, ids=REPORT_IDS)
    def test_page_passes_the_accessibility_rules(
        self, chromium: webdriver.Chrome, site: str, page: ReportPage
    ) -> None:
        """axe-core finds no text-alternative, label, contrast, title or language violation."""
        open_page(chromium, site + page.path, headers=_as(page.viewer))
        assert _status(chromium) == 200
        assert axe_violations(chromium) == []
        assert console_errors(chromium) == []

    def test_a_tampered_copy_of_the_page_is_reported(
        self, chromium: webdriver.Chrome, site: str, tmp_path: Path
    ) -> None:
        """The served page with one mark removed and one suppressed bar redrawn as "0": both are reported."""
        path, viewer, section = f"/dashboards/cohorts/{f.CORONA_COHORT}/", f.DIRECTOR, "cohort-dashboard"
        expected = expected_figures(cohort_report(f.CORONA_COHORT, viewer))
        open_page(chromium, site + path, headers=_as(viewer))
        html = chromium.page_source
        tracks = re.search(r'<figure class="chart" id="cohort-dashboard-tracks".*?</figure>', html, re.DOTALL)
        assert tracks is not None
        original = tracks.group(0)
        published = re.search(r'<g class="mark" data-key="([^"]+)"[^>]*>.*?</g>', original, re.DOTALL)
        hidden = re.search(
            r'<g class="mark suppressed"(.*?)data-suppressed="true">.*?</g>', original, re.DOTALL
        )
        assert published is not None
        assert hidden is not None
        as_zero = f'<g class="mark"{hidden.group(1)}data-count="0"><text class="value">0</text></g>'
        changed = original.replace(published.group(0), "", 1).replace(hidden.group(0), as_zero, 1)
        page = tmp_path / "tampered.html"
        page.write_text(html.replace(original, changed, 1), encoding="utf-8")
        open_page(chromium, page.as_uri())
        problems = chart_problems(read_charts(chromium, f"#{section}"), expected)
        assert any(p.startswith("tracks: ") and "marks drawn" in p for p in problems), problems
        assert any(p.startswith("tracks[") and p.endswith("no mark drawn") for p in problems), problems
        assert any(p.startswith("tracks[") and "a suppressed cell shows '0'" in p for p in problems), problems


class TestMenteeDashboard:
    def test_mentor_sees_the_mentees_scores(self, chromium: webdriver.Chrome, site: str, get: Get) -> None:
        """Mentor 4's page for mentee 16: one mark per score of the JSON results, its value, no anti-cheat."""
        body = json.loads(get(f"/api/v1/profiler/mentees/{f.MENTEE}/results", f.MENTOR).content)
        scores = cast("dict[str, float | None]", body["scores"])
        open_page(chromium, f"{site}/dashboards/mentees/{f.MENTEE}/", headers=_as(f.MENTOR))
        screenshot(chromium, "dashboard-mentee-mentor")
        assert _status(chromium) == 200
        assert page_problems(chromium) == []
        (figure,) = read_charts(chromium, "#mentee-scores")
        assert figure.role == "img"
        assert figure.label
        assert [m.key for m in figure.marks] == list(scores)
        for mark in figure.marks:
            score = scores[mark.key]
            if score is None:
                assert "not-measured" in mark.classes
                assert mark.text == "not measured"
            else:
                assert mark.text == format(score, "g")
                assert f"{format(score, 'g')} of 100" in figure.description
        assert [row[-1] for row in figure.rows] == [
            "not measured" if s is None else format(s, "g") for s in scores.values()
        ]
        text = cast("str", chromium.execute_script("return document.body.innerText;"))
        for line in [*body["strengths"], *body["areas_for_growth"]]:
            assert line in text
        assert not re.search(r"anti.?cheat|suspicious", text, re.IGNORECASE)
        assert axe_violations(chromium) == []
        assert console_errors(chromium) == []


DENIED = [
    ("cohort-corona-mentor", f"/dashboards/cohorts/{f.CORONA_COHORT}/", f.MENTOR),
    ("cohort-corona-sponsor", f"/dashboards/cohorts/{f.CORONA_COHORT}/", f.SPONSOR_ADMIN),
    ("enterprise-director", f"/dashboards/enterprises/{SPONSOR_ORG}/", f.DIRECTOR),
    ("mentee-sponsor", f"/dashboards/mentees/{f.MENTEE}/", f.SPONSOR_ADMIN),
]


class TestDeniedViewer:
    @pytest.mark.parametrize(("name", "path", "viewer"), DENIED, ids=[d[0] for d in DENIED])
    def test_denied_viewer_sees_the_403_page(
        self, chromium: webdriver.Chrome, site: str, name: str, path: str, viewer: int
    ) -> None:
        """A viewer the access rules deny gets the 403 page: no chart, no mark, no figure of the report."""
        open_page(chromium, site + path, headers=_as(viewer))
        screenshot(chromium, f"denied-{name}")
        assert _status(chromium) == 403
        assert page_problems(chromium) == []
        assert chromium.title.startswith("Access denied")
        heading = cast("str", chromium.execute_script("return document.querySelector('h1').textContent;"))
        assert heading == "Access denied"
        assert read_charts(chromium) == []
        shown = cast("int", chromium.execute_script("return document.querySelectorAll('svg, table').length;"))
        assert shown == 0
        text = cast("str", chromium.execute_script("return document.body.innerText;"))
        assert SUPPRESSED not in text
        assert axe_violations(chromium) == []
        assert console_errors(chromium, allow=[DENIED_STATUS_ERROR]) == []
