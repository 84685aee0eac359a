"""The dashboard pages: gated as the JSON views, charts drawn with suppressed cells as the word, accessible.

Expected values come from the OCH fixture (``profiler_host/och_fixture.py``):
Corona Cohort 2020 has three active learners (below k = 5), so its counts are
suppressed; user 5's ``sponsor_admin`` grant covers its own enterprise (the
Sponsored Cohort); mentor 4 is assigned learner 16 and 28; learner 16's latest
session scores 72.5 (aptitude) and 40 (technical exposure), result overall 66,
behavioral 57.5, and carries the anti-cheat flag ``too_fast`` (score 12.50).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from profiler_host import loading, models
from profiler_host import och_fixture as f
from rest_framework.schemas.generators import EndpointEnumerator

from tests.conftest import Get
from tests.test_query_counts import COHORT_1, SPONSOR, VIEWER, analytics_world, mentor_world

pytestmark = pytest.mark.django_db

CORONA = f"/dashboards/cohorts/{f.CORONA_COHORT}/"
SPONSORED = f"/dashboards/cohorts/{f.SPONSORED_COHORT}/"
ENTERPRISE = f"/dashboards/enterprises/{f.USER_UUID[5]}/"
OTHER_ENTERPRISE = f"/dashboards/enterprises/{f.USER_UUID[4]}/"
UNKNOWN_COHORT = "/dashboards/cohorts/00000000-0000-4000-8000-000000000000/"


def mentee_page(learner: object) -> str:
    return f"/dashboards/mentees/{learner}/"


#: The figures of a cohort page, in order, and of an enterprise page (the rollup's, then the breakdown).
COHORT_FIGURES = [
    "profiled_share",
    "scores",
    "readiness",
    "tracks",
    "difficulty",
    "completions",
    "top_strengths",
]
ENTERPRISE_FIGURES = [*COHORT_FIGURES, "cohort_population", "cohort_readiness", "cohort_overall"]


class Page(HTMLParser):
    """What a test reads off a page: charts and their marks, scripts, headings, table headers, controls."""

    def __init__(self) -> None:
        super().__init__()
        self.lang: str | None = None
        self.title = ""
        self.headings: list[str] = []
        self.figures: list[dict[str, object]] = []
        self.svgs: list[dict[str, str | None]] = []
        self.scripts: list[dict[str, str | None]] = []
        self.script_text: dict[str, str] = {}
        self.loads: list[str] = []
        self.ths: list[dict[str, str | None]] = []
        self.controls: list[str] = []
        self.figcaptions = 0
        self._stack: list[str] = []
        self._mark: dict[str, object] | None = None
        self._in_value = False
        self._script: str | None = None
        self._figure: dict[str, object] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        self._stack.append(tag)
        if tag == "html":
            self.lang = a.get("lang")
        if tag in {"h1", "h2", "h3", "h4"}:
            self.headings.append(tag)
        if tag == "figure":
            self._figure = {
                "name": a.get("data-figure"),
                "cells": int(a.get("data-cells") or -1),
                "marks": [],
                "caption": False,
            }
            self.figures.append(self._figure)
        if tag == "figcaption" and self._figure is not None:
            self._figure["caption"] = True
            self.figcaptions += 1
        if tag == "svg":
            self.svgs.append({**a, "in_figure": "yes" if self._figure is not None else None})
        if tag == "g" and "mark" in classes and self._figure is not None:
            self._mark = {"classes": classes, "value": "", "count": a.get("data-count")}
            marks = self._figure["marks"]
            assert isinstance(marks, list)
            marks.append(self._mark)
        if tag == "text" and "value" in classes:
            self._in_value = True
        if tag == "script":
            self.scripts.append(a)
            self._script = a.get("id") or ""
            self.script_text[self._script] = ""
        if tag in {"img", "iframe", "object", "embed"} or (tag == "link" and a.get("href") != "data:,"):
            self.loads.append(tag)
        if any((a.get(k) or "").startswith(("http:", "https:", "//")) for k in ("src", "href")):
            self.loads.append(tag)
        if tag == "th":
            self.ths.append(a)
        if tag in {"input", "select", "textarea", "button", "form"}:
            self.controls.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._stack and self._stack[-1] == tag:
            self._stack.pop()
        if tag == "text":
            self._in_value = False
        if tag == "g":
            self._mark = None
        if tag == "figure":
            self._figure = None
        if tag == "script":
            self._script = None

    def handle_data(self, data: str) -> None:
        if self._stack and self._stack[-1] == "title" and "svg" not in self._stack:
            self.title += data
        if self._in_value and self._mark is not None:
            self._mark["value"] = f"{self._mark['value']}{data}"
        if self._script is not None:
            self.script_text[self._script] += data

    def marks(self, name: str | None = None) -> list[dict[str, object]]:
        """Every mark of the page's charts (of the figure *name* only, when given)."""
        out: list[dict[str, object]] = []
        for figure in self.figures:
            if name is None or figure["name"] == name:
                marks = figure["marks"]
                assert isinstance(marks, list)
                out += marks
        return out


def parse(response: HttpResponse) -> Page:
    page = Page()
    page.feed(response.content.decode())
    page.close()
    return page


def suppressed(mark: dict[str, object]) -> bool:
    classes = mark["classes"]
    assert isinstance(classes, list)
    return "suppressed" in classes


class TestCohortAndEnterprisePages:
    @pytest.mark.parametrize("viewer", [f.STAFF, f.DIRECTOR], ids=["staff", "director"])
    def test_a_director_sees_the_small_cohort_suppressed(self, och: None, get: Get, viewer: int) -> None:
        """Corona (3 learners): 7 charts, 24 marks, 13 hatched and saying 'suppressed', never a number."""
        response = get(CORONA, viewer)
        page = parse(response)
        assert response.status_code == 200
        assert response["Content-Type"] == "text/html; charset=utf-8"
        assert [fig["name"] for fig in page.figures] == COHORT_FIGURES
        marks = page.marks()
        assert (len(marks), sum(map(suppressed, marks))) == (24, 13)
        for mark in marks:
            if suppressed(mark):
                assert (mark["value"], mark["count"]) == ("suppressed", None)
            else:
                assert re.fullmatch(r"\d+", str(mark["value"])), mark
        # The profiled share: learners, profiled and not profiled are all below k.
        assert [m["value"] for m in page.marks("profiled_share")] == ["suppressed"] * 3

    def test_the_headline_counts_are_the_word(self, och: None, get: Get) -> None:
        """The population list reads 'suppressed' for the learner counts, not 3 (the real number)."""
        text = get(CORONA, f.DIRECTOR).content.decode()
        population = re.search(r'<dl class="population">(.*?)</dl>', text, re.S)
        assert population is not None
        assert re.findall(r"<dt>([^<]+)</dt><dd[^>]*>([^<]+)</dd>", population.group(1)) == [
            ("Learners", "suppressed"),
            ("Profiled", "suppressed"),
            ("Not profiled", "suppressed"),
            ("Profiled share", "suppressed"),
        ]

    def test_the_sponsor_sees_its_enterprise(self, och: None, get: Get) -> None:
        """Sponsor admin 5 sees its enterprise: 10 charts (with the breakdown), 32 marks, 13 suppressed."""
        response = get(ENTERPRISE, f.SPONSOR_ADMIN)
        page = parse(response)
        assert response.status_code == 200
        assert [fig["name"] for fig in page.figures] == ENTERPRISE_FIGURES
        marks = page.marks()
        assert (len(marks), sum(map(suppressed, marks))) == (32, 13)
        assert "Enterprise dashboard: sponsor 1f7c38c3-5d2e-4b8a-9c41-0e6f2a7b3d90" in page.title
        assert "Sponsored Cohort" in response.content.decode()

    def test_the_sponsor_sees_its_cohort(self, och: None, get: Get) -> None:
        """Sponsor admin 5 sees the cohort it funds: 24 marks, 9 suppressed."""
        response = get(SPONSORED, f.SPONSOR_ADMIN)
        marks = parse(response).marks()
        assert response.status_code == 200
        assert (len(marks), sum(map(suppressed, marks))) == (24, 9)

    def test_every_chart_matches_its_cell_count(self, och: None, get: Get) -> None:
        """Each figure draws exactly the marks its data-cells says (the library's figure)."""
        for path, viewer in ((CORONA, f.STAFF), (ENTERPRISE, f.SPONSOR_ADMIN)):
            for figure in parse(get(path, viewer)).figures:
                marks = figure["marks"]
                assert isinstance(marks, list)
                assert figure["cells"] == len(marks), figure["name"]

    def test_the_chart_specs_ride_along_as_data(self, och: None, get: Get) -> None:
        """One JSON script, chart-specs: a Vega-Lite spec per figure; a suppressed row's count is null."""
        page = parse(get(CORONA, f.STAFF))
        assert page.scripts == [{"id": "chart-specs", "type": "application/json"}]
        specs = json.loads(page.script_text["chart-specs"])
        assert list(specs) == COHORT_FIGURES
        assert all(s["$schema"] == "https://vega.github.io/schema/vega-lite/v5.json" for s in specs.values())
        rows = specs["profiled_share"]["data"]["values"]
        assert [(r["suppressed"], r["count"]) for r in rows] == [(True, None)] * 3

    def test_a_cohort_name_is_escaped(self, och: None, get: Get) -> None:
        """A cohort named with markup is shown as text in the title, heading and charts."""
        models.Cohort.objects.filter(id=f.CORONA_COHORT).update(name="<script>alert(1)</script>")
        text = get(CORONA, f.STAFF).content.decode()
        assert "<script>alert" not in text
        assert "Cohort dashboard: &lt;script&gt;alert(1)&lt;/script&gt;" in text

    def test_an_empty_cohort_shows_zeros_it_may_show(self, och: None, get: Get) -> None:
        """Spring (no learners): 23 marks, only the three score blocks suppressed (no learner to protect)."""
        response = get(f"/dashboards/cohorts/{f.SPRING_COHORT}/", f.DIRECTOR)
        marks = parse(response).marks()
        assert response.status_code == 200
        assert (len(marks), [m["value"] for m in marks if suppressed(m)]) == (23, ["suppressed"] * 3)


class TestMenteePage:
    def test_the_mentor_sees_the_scores_chart(self, och: None, get: Get) -> None:
        """Mentor 4 sees learner 16: one chart of four bars (66, 72.5, 57.5, 40) with a text alternative."""
        response = get(mentee_page(f.MENTEE), f.MENTOR)
        page = parse(response)
        text = response.content.decode()
        assert response.status_code == 200
        assert [fig["name"] for fig in page.figures] == ["scores"]
        assert [m["value"] for m in page.marks()] == ["66", "72.5", "57.5", "40"]
        assert (
            "Overall: 66 of 100; Aptitude: 72.5 of 100; Behavioral: 57.5 of 100; "
            "Technical exposure: 40 of 100" in text
        )
        assert "<title>Mentee results: Name A Surname A · OCH profiler</title>" in text

    def test_the_mentor_view_shows_track_and_strengths_not_difficulty(self, och: None, get: Get) -> None:
        """The mentor view: defender at 85%, strengths, growth areas; no difficulty (director and wider)."""
        text = get(mentee_page(f.MENTEE), f.MENTOR).content.decode()
        assert "<dd>defender (85% confidence)</dd>" in text
        assert "<li>Strong in networking</li><li>Strong teamwork abilities</li>" in text
        assert "<li>Improve cryptography skills</li>" in text
        assert "Difficulty selected" not in text
        assert "intermediate" not in text

    def test_a_director_also_sees_the_difficulty(self, och: None, get: Get) -> None:
        """Director 2's view adds the difficulty selection (intermediate)."""
        text = get(mentee_page(f.MENTEE), f.DIRECTOR).content.decode()
        assert "<dt>Difficulty selected</dt><dd>intermediate</dd>" in text

    @pytest.mark.parametrize("viewer", [f.MENTOR, f.DIRECTOR, f.STAFF, f.MENTEE])
    def test_no_anti_cheat_data_for_anyone(self, och: None, get: Get, viewer: int) -> None:
        """No anti-cheat field on the page, even for staff whose view holds it (flag too_fast, score 12.5)."""
        response = get(mentee_page(f.MENTEE), viewer)
        text = response.content.decode().lower()
        assert response.status_code == 200
        for leak in ("too_fast", "12.5", "anti_cheat", "anti-cheat", "suspicious", "fp-16"):
            assert leak not in text

    def test_a_score_not_measured_is_words_not_a_bar(self, och: None, get: Get) -> None:
        """Without a result row learner 28 has no behavioral score: the mark says 'not measured', no bar."""
        models.ProfilerResult.objects.filter(session_id=f.COHORT_MENTEE_SESSION).delete()
        text = get(mentee_page(f.COHORT_MENTEE), f.MENTOR).content.decode()
        mark = re.search(r'<g class="mark not-measured" data-key="behavioral">(.*?)</g>', text)
        assert mark is not None
        assert "<rect" not in mark.group(1)
        assert ">not measured</text>" in mark.group(1)


DENIED: list[tuple[str, int]] = [
    (CORONA, f.MENTEE),
    (CORONA, f.MENTOR),
    (SPONSORED, f.MENTEE),
    (UNKNOWN_COHORT, f.MENTEE),
    (ENTERPRISE, f.DIRECTOR),
    (ENTERPRISE, f.MENTEE),
    (OTHER_ENTERPRISE, f.SPONSOR_ADMIN),
    (mentee_page(f.MENTEE), f.COHORT_MENTEE),
    (mentee_page(f.MENTEE), f.SPONSOR_ADMIN),
    (mentee_page(f.CLASSMATE), f.MENTOR),
    (mentee_page(99999), f.MENTOR),
]


class TestAccess:
    @pytest.mark.parametrize(("path", "viewer"), DENIED)
    def test_a_denied_viewer_gets_the_403_page_as_the_json_view(
        self, och: None, get: Get, path: str, viewer: int
    ) -> None:
        """Every denial is 403 with the 403.html page, no chart, no script; the JSON view also says 403."""
        response = get(path, viewer)
        page = parse(response)
        assert response.status_code == 403
        assert page.title == "Access denied · OCH profiler"
        assert (page.figures, page.svgs, page.scripts) == ([], [], [])
        assert get(json_path(path), viewer).status_code == 403

    def test_the_403_page_is_the_same_for_every_denied_subject(self, och: None, get: Get) -> None:
        """Learner 28 denied a cohort, an unknown cohort, an enterprise and two mentees: identical bytes."""
        bodies = {
            get(path, f.COHORT_MENTEE).content
            for path in (CORONA, UNKNOWN_COHORT, ENTERPRISE, mentee_page(f.MENTEE), mentee_page(99999))
        }
        assert len(bodies) == 1
        [body] = bodies
        for subject in (str(f.CORONA_COHORT), "Corona", str(f.USER_UUID[5]), "Name A", "99999"):
            assert subject.encode() not in body

    @pytest.mark.parametrize("viewer", sorted({viewer for _, viewer in DENIED}))
    def test_each_viewers_403_page_is_the_same_for_every_subject_of_a_kind(
        self, och: None, get: Get, viewer: int
    ) -> None:
        """Per denied viewer and page kind: identical 403 bytes, whether the subject exists or not."""
        pages: dict[str, set[bytes]] = {}
        for path, denied in [*DENIED, (UNKNOWN_COHORT, f.MENTOR), (mentee_page(99999), f.SPONSOR_ADMIN)]:
            if denied == viewer:
                response = get(path, viewer)
                assert response.status_code == 403, path
                pages.setdefault(path.split("/")[2], set()).add(response.content)
        assert pages
        assert all(len(bodies) == 1 for bodies in pages.values()), {k: len(v) for k, v in pages.items()}

    @pytest.mark.parametrize("path", [CORONA, ENTERPRISE, mentee_page(f.MENTEE)])
    def test_an_anonymous_viewer_is_401_as_the_json_view(self, och: None, get: Get, path: str) -> None:
        """No X-User-Id: 401 with the JSON view's WWW-Authenticate, an HTML page, no chart."""
        page, api = get(path), get(json_path(path))
        assert (page.status_code, api.status_code) == (401, 401)
        assert page["WWW-Authenticate"] == api["WWW-Authenticate"] == "X-User-Id"
        assert parse(page).figures == []

    def test_an_unknown_user_is_401(self, och: None, get: Get) -> None:
        """An X-User-Id naming nobody is 401, as the JSON views."""
        assert get(CORONA, 123456).status_code == 401

    @pytest.mark.parametrize(
        ("path", "where"),
        [
            ("/dashboards/cohorts/a%00b/", "$.path.cohort_id"),
            ("/dashboards/enterprises/a%00b/", "$.path.enterprise_id"),
            ("/dashboards/mentees/a%00b/", "$.path.mentee_id"),
        ],
    )
    def test_a_malformed_id_is_400_naming_it(self, och: None, get: Get, path: str, where: str) -> None:
        """An id with a control character is 400 naming its path, as the JSON view's error body does."""
        response = get(path, f.STAFF)
        assert response.status_code == 400
        assert f"<code>{where}</code>" in response.content.decode()
        assert get(json_path(path), f.STAFF).json()["errors"][0]["path"] == where

    def test_an_unknown_cohort_is_404_for_staff(self, och: None, get: Get) -> None:
        """Staff asking for a cohort no row has: the 404 page (the JSON view's 404), not a 403."""
        response = get(UNKNOWN_COHORT, f.STAFF)
        assert response.status_code == 404
        assert "cohort_not_found" in response.content.decode()
        assert get(json_path(UNKNOWN_COHORT), f.STAFF).status_code == 404

    def test_no_results_yet_is_404(self, och: None, get: Get) -> None:
        """Staff asking for learner 30 (profiler in progress): 404 page naming no_completed_session."""
        response = get(mentee_page(f.CLASSMATE), f.STAFF)
        assert response.status_code == 404
        assert "no_completed_session" in response.content.decode()

    def test_a_page_view_is_audited_as_the_json_view(self, och: None, get: Get) -> None:
        """Opening a page writes the same access_audit row as the JSON endpoint (same gate)."""
        fields = ("viewer_id", "action", "subject_id", "outcome", "view", "rule", "reason_codes")
        rows = []
        for path in (CORONA, json_path(CORONA)):
            models.AccessAudit.objects.all().delete()
            get(path, f.DIRECTOR)
            rows.append(list(models.AccessAudit.objects.values_list(*fields)))
        assert rows[0] == rows[1]
        assert len(rows[0]) == 1


def json_path(page_path: str) -> str:
    """The JSON endpoint a page is gated like."""
    kind, subject = page_path.strip("/").split("/")[1:]
    if kind == "cohorts":
        return f"/api/v1/profiler/admin/cohorts/{subject}/analytics"
    if kind == "enterprises":
        return f"/api/v1/profiler/enterprises/{subject}/analytics"
    return f"/api/v1/profiler/mentees/{subject}/results"


class TestPageQuality:
    @pytest.mark.parametrize(
        ("path", "viewer"),
        [(CORONA, f.STAFF), (ENTERPRISE, f.SPONSOR_ADMIN), (mentee_page(f.MENTEE), f.MENTOR)],
    )
    def test_accessible_structure(self, och: None, get: Get, path: str, viewer: int) -> None:
        """lang, title, one h1 first, each chart a labelled svg role=img in a captioned figure, th scope."""
        page = parse(get(path, viewer))
        assert page.lang == "en"
        assert page.title.endswith("· OCH profiler")
        assert page.headings[0] == "h1"
        assert page.headings.count("h1") == 1
        assert page.figures
        assert all(fig["caption"] for fig in page.figures)
        assert len(page.svgs) == len(page.figures)
        for svg in page.svgs:
            assert (svg["role"], svg["in_figure"]) == ("img", "yes")
            assert svg["aria-label"]
            assert svg["aria-describedby"]
        assert page.ths
        assert all(th.get("scope") in {"col", "row"} for th in page.ths)
        assert page.controls == []

    @pytest.mark.parametrize(
        ("path", "viewer"),
        [(CORONA, f.STAFF), (mentee_page(f.MENTEE), f.MENTOR), (CORONA, f.MENTEE), (CORONA, None)],
    )
    def test_nothing_runs_or_loads(self, och: None, get: Get, path: str, viewer: int | None) -> None:
        """No executable script, no remote resource; the CSP forbids both and nothing is cached."""
        response = get(path, viewer)
        page = parse(response)
        assert page.loads == []
        assert all(s.get("type") == "application/json" for s in page.scripts)
        assert response["Content-Security-Policy"].startswith("default-src 'none'; style-src 'unsafe-inline'")
        assert response["Cache-Control"] == "private, no-store"

    def test_dark_text_on_white(self, och: None, get: Get) -> None:
        """The page's colours: #222 text on #fff (contrast 15.9:1), suppressed text #4d4d4d (8.4:1)."""
        text = get(CORONA, f.STAFF).content.decode()
        assert ":root { color: #222; background: #fff;" in text
        assert ".suppressed { font-style: italic; color: #4d4d4d; }" in text
        assert contrast("#222222", "#ffffff") > 15
        assert contrast("#4d4d4d", "#ffffff") > 7


def test_the_pages_are_not_in_the_api_schema() -> None:
    """Schema generators (DRF's enumerator, which drf-spectacular's extends) skip the pages; the API stays."""
    paths = {path for path, _method, _view in EndpointEnumerator().get_api_endpoints()}
    assert "/api/v1/profiler/admin/cohorts/{cohort_id}/analytics" in paths
    assert not [p for p in paths if p.startswith("/dashboards/")]


def contrast(fg: str, bg: str) -> float:
    """WCAG 2 contrast ratio of two #rrggbb colours."""

    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(fg), luminance(bg)), reverse=True)
    return (high + 0.05) / (low + 0.05)


Request = Callable[[Client, int], HttpResponse]

#: (page, world builder, JSON endpoint): the page must cost what its endpoint costs, at any size.
QUERY_CASES: list[tuple[str, Callable[[int], int], str, str]] = [
    (
        "cohort",
        analytics_world,
        f"/dashboards/cohorts/{COHORT_1}/",
        f"/api/v1/profiler/admin/cohorts/{COHORT_1}/analytics",
    ),
    (
        "enterprise",
        analytics_world,
        f"/dashboards/enterprises/{SPONSOR}/",
        f"/api/v1/profiler/enterprises/{SPONSOR}/analytics",
    ),
    ("mentee", mentor_world, f"/dashboards/mentees/{VIEWER}/", f"/api/v1/profiler/mentees/{VIEWER}/results"),
]


@pytest.mark.parametrize(
    ("build", "page", "api"), [c[1:] for c in QUERY_CASES], ids=[c[0] for c in QUERY_CASES]
)
def test_a_page_costs_its_endpoints_queries(
    client: Client, build: Callable[[int], int], page: str, api: str
) -> None:
    """The page runs as many queries as its JSON endpoint (at most 14), for 10 and for 300 learners."""
    counts = []
    for n in (10, 300):
        loading.clear_platform()
        user = build(n)
        for path in (page, api):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path, headers={"X-User-Id": str(user)})
            assert response.status_code == 200, response.content[:300]
            counts.append(len(queries))
    assert counts[0] == counts[1] == counts[2] == counts[3], counts
    assert counts[0] <= 14
