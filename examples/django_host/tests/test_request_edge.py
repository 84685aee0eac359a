"""The request edge: every malformed request is a 400 with the documented body, never a 500 (issue 11).

The documented body is ``{"code": "invalid_payload", "type", "errors": [{"path",
"code", "message"}]}``. Ids (header, path, completion body) are 1..64
characters without control characters, checked before any query; ``limit``
is ASCII digits in range; JSON bodies are at most 32 levels deep and hold no
``NUL``. An anonymous request is 401 on every endpoint.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from profiler_host import models
from profiler_host import och_fixture as f
from profiler_host.edge import MAX_ID_LENGTH, MAX_JSON_DEPTH

pytestmark = pytest.mark.django_db

LEARNER = str(f.MENTEE)
STAFF = str(f.STAFF)
STATEMENT = "/api/v1/profiler/value-statement"

#: Every endpoint as (method, path); the ids in paths exist in the OCH fixture.
ENDPOINTS = [
    ("GET", "/api/v1/student/missions/"),
    ("GET", "/api/v1/student/missions/dashboard"),
    ("GET", "/api/v1/recipes/profiler-recommendations"),
    ("GET", f"/api/v1/profiler/mentees/{LEARNER}/results"),
    ("GET", f"/api/v1/profiler/mentees/{LEARNER}/future-you"),
    ("GET", STATEMENT),
    ("PATCH", STATEMENT),
    ("PUT", STATEMENT),
    ("GET", "/api/v1/marketplace/talent-matches"),
    ("GET", "/api/v1/marketplace/talent-matches/profiler"),
    ("GET", f"/api/v1/profiler/admin/cohorts/{f.CORONA_COHORT}/analytics"),
    ("GET", f"/api/v1/profiler/cohorts/{f.CORONA_COHORT}/analytics"),
    ("GET", f"/api/v1/profiler/admin/enterprise/analytics?sponsor_id={f.USER_UUID[5]}"),
    ("GET", f"/api/v1/profiler/enterprises/{f.USER_UUID[5]}/analytics"),
]
ENDPOINT_IDS = [f"{method} {path}" for method, path in ENDPOINTS]


def send(
    client: Client,
    method: str,
    path: str,
    *,
    headers: dict[str, str] | None = None,
    query: dict[str, str] | None = None,
    body: str | bytes | None = None,
    content_type: str = "application/json",
) -> HttpResponse:
    """One request with Django's test client (a body is sent as is, with *content_type*)."""
    call = getattr(client, method.lower())
    if method == "GET":
        return call(path, query or {}, headers=headers or {})
    return call(path, body if body is not None else "{}", content_type=content_type, headers=headers or {})


def error_body(type_name: str, path: str, code: str, message: str) -> dict[str, object]:
    """The documented 400 body with one problem."""
    return {
        "code": "invalid_payload",
        "type": type_name,
        "errors": [{"path": path, "code": code, "message": message}],
    }


def nested(depth: int) -> str:
    """A JSON object nested *depth* levels deep: ``{"a": {"a": ... 1}}``."""
    return '{"a": ' * depth + "1" + "}" * depth


AdminGet = Callable[[str], HttpResponse]


@pytest.fixture
def get_as_admin(client: Client) -> AdminGet:
    """``get(path)`` as staff user 1 (who may see everything, so only the edge can refuse)."""

    def call(path: str) -> HttpResponse:
        return client.get(path, headers={"X-User-Id": STAFF})

    return call


CONTROL = "must not contain control characters"
TOO_LONG = f"must be at most {MAX_ID_LENGTH} characters"


class TestMalformedIds:
    @pytest.mark.parametrize(("method", "path"), ENDPOINTS, ids=ENDPOINT_IDS)
    @pytest.mark.parametrize(
        ("header", "code", "message"),
        [
            (f"{LEARNER}\x00", "invalid_value", CONTROL),
            ("1\x006", "invalid_value", CONTROL),
            ("1\x1b6", "invalid_value", CONTROL),
            ("u" * (MAX_ID_LENGTH + 1), "out_of_range", TOO_LONG),
        ],
        ids=["nul-end", "nul-inside", "escape", "65-chars"],
    )
    def test_a_malformed_user_header_is_400_before_any_query(
        self,
        *,
        och: None,
        client: Client,
        method: str,
        path: str,
        header: str,
        code: str,
        message: str,
    ) -> None:
        """X-User-Id with NUL, a control character or 65 characters: 400 naming the header, no query run."""
        with CaptureQueriesContext(connection) as queries:
            response = send(client, method, path, headers={"X-User-Id": header})
        assert (response.status_code, response.json()) == (
            400,
            error_body("request", "$.header.x-user-id", code, message),
        )
        assert queries.captured_queries == []

    @pytest.mark.parametrize(
        ("template", "name"),
        [
            ("/api/v1/profiler/mentees/{}/results", "mentee_id"),
            ("/api/v1/profiler/admin/cohorts/{}/analytics", "cohort_id"),
            ("/api/v1/profiler/enterprises/{}/analytics", "enterprise_id"),
        ],
        ids=["mentee", "cohort", "enterprise"],
    )
    @pytest.mark.parametrize(
        ("segment", "code", "message"),
        [
            ("16%00", "invalid_value", CONTROL),
            ("a%00b", "invalid_value", CONTROL),
            ("a%1Bb", "invalid_value", CONTROL),
            ("a%7Fb", "invalid_value", CONTROL),
            ("x" * (MAX_ID_LENGTH + 1), "out_of_range", TOO_LONG),
            ("%20%20", "blank", "must not be blank"),
        ],
        ids=["nul-end", "nul-inside", "escape", "delete", "65-chars", "blank"],
    )
    def test_a_malformed_path_id_is_400_and_decides_nothing(
        self,
        *,
        och: None,
        get_as_admin: AdminGet,
        template: str,
        name: str,
        segment: str,
        code: str,
        message: str,
    ) -> None:
        """A path id with NUL, a control character, 65 characters or only blanks: 400, nothing decided."""
        response = get_as_admin(template.format(segment))
        assert (response.status_code, response.json()) == (
            400,
            error_body("request", f"$.path.{name}", code, message),
        )
        assert models.AccessAudit.objects.count() == 0


class TestMalformedQuery:
    @pytest.mark.parametrize(
        "path", ["/api/v1/recipes/profiler-recommendations", "/api/v1/marketplace/talent-matches"]
    )
    @pytest.mark.parametrize(
        ("limit", "code"),
        [
            ("\u00b2", "not_an_integer"),  # superscript two: str.isdigit() is true, int() refuses it
            ("\u2460", "not_an_integer"),  # circled digit one: the same
            ("\u0663", "not_an_integer"),  # Arabic-Indic three: int() would read it as 3
            ("5" * 5000, "out_of_range"),  # past int()'s 4,300-digit limit
            ("0", "out_of_range"),
            ("51", "out_of_range"),
            ("-1", "not_an_integer"),
            ("1e1", "not_an_integer"),
            ("ten", "not_an_integer"),
            ("1\x00", "not_an_integer"),
        ],
        ids=[
            "superscript",
            "circled",
            "arabic-indic",
            "5000-digits",
            "zero",
            "51",
            "minus",
            "exp",
            "word",
            "nul",
        ],
    )
    def test_a_malformed_limit_is_400(
        self, och: None, client: Client, path: str, limit: str, code: str
    ) -> None:
        """Any limit but ASCII digits 1..50 is a 400 naming $.query.limit."""
        response = send(client, "GET", path, headers={"X-User-Id": LEARNER}, query={"limit": limit})
        assert (response.status_code, response.json()) == (
            400,
            error_body("request", "$.query.limit", code, "must be an integer 1..50"),
        )

    @pytest.mark.parametrize(
        "limit", ["1", "050", " 7 ", "0" * 4999 + "5"], ids=["1", "050", "spaces", "padded"]
    )
    def test_a_well_formed_limit_is_read(self, och: None, client: Client, limit: str) -> None:
        """ASCII digits in range (any number of leading zeros, surrounding spaces) are a limit."""
        response = send(
            client,
            "GET",
            "/api/v1/recipes/profiler-recommendations",
            headers={"X-User-Id": LEARNER},
            query={"limit": limit},
        )
        assert response.status_code == 200

    @pytest.mark.parametrize("path", ["/api/v1/student/missions", "/api/v1/student/missions/dashboard"])
    @pytest.mark.parametrize("flag", ["maybe", "\x00", "2"])
    def test_a_malformed_flag_is_400(self, och: None, client: Client, path: str, flag: str) -> None:
        """?track= anything but true/false/1/0/yes/no is a 400 naming $.query.track."""
        response = send(client, "GET", path, headers={"X-User-Id": LEARNER}, query={"track": flag})
        assert (response.status_code, response.json()) == (
            400,
            error_body("request", "$.query.track", "not_a_boolean", "must be true or false"),
        )


BODY_ENDPOINTS = [
    ("PATCH", STATEMENT, {"X-User-Id": LEARNER}),
    ("PUT", STATEMENT, {"X-User-Id": LEARNER}),
]
BODY_IDS = ["PATCH statement", "PUT statement"]
NUL = "must not contain the NUL character"


class TestMalformedBodies:
    @pytest.mark.parametrize(("method", "path", "headers"), BODY_ENDPOINTS, ids=BODY_IDS)
    @pytest.mark.parametrize(
        ("body", "expected"),
        [
            (
                nested(MAX_JSON_DEPTH + 1),
                error_body(
                    "json", "$" + ".a" * MAX_JSON_DEPTH, "invalid_value", "nested deeper than 32 levels"
                ),
            ),
            ('{"summary": "a\\u0000b"}', error_body("json", "$.summary", "invalid_value", NUL)),
            ('{"summary": ["ok", "\\u0000"]}', error_body("json", "$.summary[1]", "invalid_value", NUL)),
            (
                '{"su\\u0000mmary": "x"}',
                error_body(
                    "json", '$["su\\u0000mmary"]', "invalid_value", "key must not contain the NUL character"
                ),
            ),
            (
                "[" * 100_000 + "]" * 100_000,
                error_body("json", "$", "invalid_value", "JSON parse error - nested deeper than 32 levels"),
            ),
        ],
        ids=["33-levels", "nul-string", "nul-in-list", "nul-key", "100000-levels"],
    )
    def test_an_unacceptable_body_is_400(
        self,
        *,
        och: None,
        client: Client,
        method: str,
        path: str,
        headers: dict[str, str],
        body: str,
        expected: dict[str, object],
    ) -> None:
        """Too deep a body, or NUL in a string or key: 400 of type json naming the path, nothing written."""
        entries_before = list(models.PortfolioItem.objects.values())
        response = send(client, method, path, headers=headers, body=body)
        assert (response.status_code, response.json()) == (400, expected)
        assert list(models.PortfolioItem.objects.values()) == entries_before

    @pytest.mark.parametrize(("method", "path", "headers"), BODY_ENDPOINTS, ids=BODY_IDS)
    @pytest.mark.parametrize(
        "body", ["{", "NaN", '{"summary": Infinity}', b"\xff\xfe"], ids=["broken", "nan", "inf", "latin1"]
    )
    def test_a_body_that_is_not_json_is_400(
        self,
        *,
        och: None,
        client: Client,
        method: str,
        path: str,
        headers: dict[str, str],
        body: str | bytes,
    ) -> None:
        """Undecodable JSON (NaN and Infinity included) is a 400 of type json at path $."""
        response = send(client, method, path, headers=headers, body=body)
        assert response.status_code == 400
        [error] = response.json()["errors"]
        assert (response.json()["type"], error["path"], error["code"]) == ("json", "$", "invalid_value")
        assert error["message"].startswith("JSON parse error")

    def test_32_levels_are_accepted_by_the_parser(self, och: None, client: Client) -> None:
        """A body exactly 32 levels deep passes the parser (the edit then says what is missing)."""
        response = send(
            client, "PATCH", STATEMENT, headers={"X-User-Id": LEARNER}, body=nested(MAX_JSON_DEPTH)
        )
        assert (response.status_code, response.json()) == (
            400,
            error_body("StatementEdit", "$.summary", "required", "required field missing"),
        )

    @pytest.mark.parametrize(("method", "path", "headers"), BODY_ENDPOINTS, ids=BODY_IDS)
    def test_a_body_that_is_not_json_media_is_415(
        self,
        *,
        och: None,
        client: Client,
        method: str,
        path: str,
        headers: dict[str, str],
    ) -> None:
        """A form-encoded body is 415 with the documented body naming the content type."""
        response = send(client, method, path, headers=headers, body="summary=x", content_type="text/plain")
        assert (response.status_code, response.json()) == (
            415,
            error_body("request", "$.header.content-type", "invalid_value", "must be application/json"),
        )


class TestAnonymous:
    @pytest.mark.parametrize(("method", "path"), ENDPOINTS, ids=ENDPOINT_IDS)
    @pytest.mark.parametrize("header", [None, "", "   "], ids=["absent", "empty", "blank"])
    def test_an_anonymous_request_is_401(
        self,
        *,
        och: None,
        client: Client,
        method: str,
        path: str,
        header: str | None,
    ) -> None:
        """Without a credential (no, an empty or a blank X-User-Id) every endpoint answers 401, never 200."""
        headers = {} if header is None else {"X-User-Id": header}
        response = send(client, method, path, headers=headers, body=json.dumps({"summary": "x"}))
        assert response.status_code == 401
        assert "WWW-Authenticate" in response


class TestAudit:
    def test_a_64_character_id_is_decided_and_audited_in_full(
        self, och: None, get_as_admin: AdminGet
    ) -> None:
        """The longest accepted id reaches the decision, and its audit row holds the whole id."""
        mentee = "m" * MAX_ID_LENGTH
        assert get_as_admin(f"/api/v1/profiler/mentees/{mentee}/results").status_code == 404
        assert list(models.AccessAudit.objects.values_list("viewer_id", "subject_id")) == [(STAFF, mentee)]

    @pytest.mark.parametrize("column", ["viewer_id", "subject_id"])
    def test_audit_id_columns_hold_every_accepted_id(self, column: str) -> None:
        """access_audit id columns are as wide as the longest id the edge accepts (PostgreSQL enforces it)."""
        field = models.AccessAudit._meta.get_field(column)
        assert field.max_length is not None
        assert field.max_length >= MAX_ID_LENGTH


# --- arbitrary JSON never makes a 500 ---------------------------------------------

json_values: st.SearchStrategy[Any] = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=16,
)
statement_bodies = (
    json_values
    | st.fixed_dictionaries({"summary": json_values})
    | st.fixed_dictionaries({"summary": st.text()})
)

#: Statuses a body-taking endpoint may answer; a 500 (or an exception out of the view) fails the test.
ANSWERED = {200, 400, 403, 404, 409}
ARBITRARY = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


class TestArbitraryJson:
    @ARBITRARY
    @given(body=statement_bodies, method=st.sampled_from(["PATCH", "PUT"]))
    def test_a_statement_edit_never_fails(self, och: None, client: Client, body: Any, method: str) -> None:
        """Any JSON sent as a statement edit is answered 200, 400 or 404, never 500."""
        response = send(client, method, STATEMENT, headers={"X-User-Id": LEARNER}, body=json.dumps(body))
        assert response.status_code in ANSWERED


class TestCanonicalIds:
    def test_a_uuid_user_is_one_user_in_any_case(self, och: None, client: Client) -> None:
        """X-User-Id and the path holding 16's ``uuid_id`` in upper case name learner 16 (``users.id``)."""
        upper = str(f.USER_UUID[f.MENTEE]).upper()
        response = client.get(f"/api/v1/profiler/mentees/{upper}/results", headers={"X-User-Id": upper})
        assert (response.status_code, response.json()["mentee_id"]) == (200, 16)
        assert list(models.AccessAudit.objects.values_list("viewer_id", "subject_id", "outcome")) == [
            ("16", "16", "allowed")
        ]
