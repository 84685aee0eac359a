"""The request edge: malformed or anonymous requests get a 4xx in the documented body, never a 500."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from fastapi_host import create_app
from fastapi_host.db import connect
from fastapi_host.dependencies import audit_sink
from fastapi_host.edge import MAX_ID_LENGTH, MAX_JSON_DEPTH
from fastapi_och_fixtures import service_session
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openapi_schemas import component

from profiler_core import InvalidValueError, NotFoundError, PolicyError, UnknownValueError
from profiler_core.demo.sample import SamplePlatform
from profiler_core.testing import FailingRepository

COMPLETIONS = "/api/v1/profiler/completions"
STATEMENT = "/api/v1/profiler/value-statement"
SERVICE_TOKEN = "test-profiling-service-token"

#: The documented body of each error status (its schema in the OpenAPI document).
ERROR_BODIES: dict[int, str] = {
    400: "PayloadErrorBody",
    401: "ReasonBody",
    403: "DeniedBody",
    404: "NotFoundBody",
    405: "ReasonBody",
    409: "ReasonBody",
}

#: Every GET endpoint a viewer calls, with a subject the viewer could be asking about.
VIEWER_GETS = [
    "/api/v1/student/missions",
    "/api/v1/student/missions/dashboard",
    "/api/v1/recipes/profiler-recommendations",
    "/api/v1/marketplace/talent-matches",
    STATEMENT,
    "/api/v1/profiler/mentees/learner-001/results",
    "/api/v1/profiler/cohorts/cohort-a/analytics",
    "/api/v1/profiler/enterprises/org-acme/analytics",
]


@pytest.fixture
def tolerant(db_path: Path, platform: SamplePlatform) -> Iterator[TestClient]:
    """A client that reports a server error as a 500 response instead of raising it."""
    app = create_app(db_path, clock=lambda: platform.now, service_token=SERVICE_TOKEN)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def assert_documented(status: int, body: Any) -> None:
    """*body* is the documented body of *status* (its schema in the OpenAPI document validates it)."""
    assert status in ERROR_BODIES, f"undocumented status {status}: {body!r}"
    component(ERROR_BODIES[status]).validate(body)
    if status == 400:
        assert body["code"] == "invalid_payload"
        assert body["errors"], "a 400 names at least one problem"


def nested(depth: int) -> str:
    """A JSON array nested *depth* levels."""
    return "[" * depth + "]" * depth


def session(**fields: object) -> dict[str, object]:
    """A valid finished session of learner-006 in the OCH FastAPI service's shape, with *fields* replaced."""
    return {**service_session("learner-006", "s-malformed"), **fields}


LONG = "x" * (MAX_ID_LENGTH + 1)
DIGITS_5000 = "9" * 5000

#: (case id, method, path, headers, query, body as text or JSON, expected status, expected problem path)
MALFORMED: list[tuple[str, str, str, dict[str, str], dict[str, str], object, int, str | None]] = [
    # ids in headers
    (
        "header-long",
        "GET",
        "/api/v1/student/missions",
        {"X-User-Id": LONG},
        {},
        None,
        400,
        "$.header.x-user-id",
    ),
    (
        "header-nul",
        "GET",
        "/api/v1/student/missions",
        {"X-User-Id": "learner-001\x00"},
        {},
        None,
        400,
        "$.header.x-user-id",
    ),
    (
        "header-control",
        "GET",
        STATEMENT,
        {"X-User-Id": "learner\x7f001"},
        {},
        None,
        400,
        "$.header.x-user-id",
    ),
    ("header-huge", "GET", STATEMENT, {"X-User-Id": "y" * 5000}, {}, None, 400, "$.header.x-user-id"),
    # ids in paths
    (
        "mentee-long",
        "GET",
        f"/api/v1/profiler/mentees/{LONG}/results",
        {"X-User-Id": "admin-gus"},
        {},
        None,
        400,
        "$.path.mentee_id",
    ),
    (
        "mentee-nul",
        "GET",
        "/api/v1/profiler/mentees/learner%00001/results",
        {"X-User-Id": "mentor-ada"},
        {},
        None,
        400,
        "$.path.mentee_id",
    ),
    (
        "mentee-blank",
        "GET",
        "/api/v1/profiler/mentees/%20%20/results",
        {"X-User-Id": "mentor-ada"},
        {},
        None,
        400,
        "$.path.mentee_id",
    ),
    (
        "cohort-long",
        "GET",
        f"/api/v1/profiler/cohorts/{LONG}/analytics",
        {"X-User-Id": "admin-gus"},
        {},
        None,
        400,
        "$.path.cohort_id",
    ),
    (
        "cohort-nul",
        "GET",
        "/api/v1/profiler/cohorts/cohort-a%00/analytics",
        {"X-User-Id": "director-dee"},
        {},
        None,
        400,
        "$.path.cohort_id",
    ),
    (
        "enterprise-long",
        "GET",
        f"/api/v1/profiler/enterprises/{LONG}/analytics",
        {"X-User-Id": "sponsor-fay"},
        {},
        None,
        400,
        "$.path.enterprise_id",
    ),
    (
        "enterprise-nul",
        "GET",
        "/api/v1/profiler/enterprises/org%00acme/analytics",
        {"X-User-Id": "admin-gus"},
        {},
        None,
        400,
        "$.path.enterprise_id",
    ),
    # query strings
    *[
        (
            f"{where}-limit-{case}",
            "GET",
            path,
            {"X-User-Id": "learner-001"},
            {"limit": value},
            None,
            400,
            "$.query.limit",
        )
        for where, path in (
            ("recipes", "/api/v1/recipes/profiler-recommendations"),
            ("matches", "/api/v1/marketplace/talent-matches"),
        )
        for case, value in (
            ("superscript", "\u00b2"),
            ("circled", "\u2460"),
            ("fullwidth", "\uff15"),
            ("5000-digits", DIGITS_5000),
            ("exponent", "1e1"),
            ("negative", "-1"),
            ("over", "51"),
            ("nul", "1\x00"),
            ("empty", ""),
        )
    ],
    (
        "track-flag",
        "GET",
        "/api/v1/student/missions",
        {"X-User-Id": "learner-001"},
        {"track": "maybe\x00"},
        None,
        400,
        "$.query.track",
    ),
    # completion bodies
    *[
        ("completion-" + case, "POST", COMPLETIONS, {"X-Service-Token": SERVICE_TOKEN}, {}, body, 400, path)
        for case, body, path in (
            ("ts-before-year-1", session(completed_at="0001-01-01T00:00:00+01:00"), "$.completed_at"),
            ("ts-after-year-9999", session(completed_at="9999-12-31T23:30:00-01:00"), "$.completed_at"),
            (
                "exposure-1e30",
                session(telemetry={"technical_exposure_score": 1e30}),
                "$.telemetry.technical_exposure_score",
            ),
            (
                "exposure-1e300-digits",
                session(telemetry={"technical_exposure_score": int("9" * 300)}),
                None,
            ),
            ("id-long", session(id=LONG), "$.id"),
            ("user-id-long", session(user_id=LONG), "$.user_id"),
            ("id-blank", session(id="   "), None),
            (
                "nul-in-string",
                session(reflection_responses={"why_cyber": "a\x00b"}),
                "$.reflection_responses.why_cyber",
            ),
            ("nul-in-key", session(scores={"a\x00": 3}), None),
            ("too-deep", session(reflection_responses=json.loads(nested(MAX_JSON_DEPTH + 1))), None),
            ("responses-not-a-list", session(responses={"identity_1": "A"}), "$.responses"),
            ("reflection-not-an-object", session(reflection_responses="yes"), "$.reflection_responses"),
            ("array", [session()], "$"),
            ("string", "finished", "$"),
            ("null", None, "$"),
        )
    ],
    *[
        ("completion-" + case, "POST", COMPLETIONS, {"X-Service-Token": SERVICE_TOKEN}, {}, raw, 400, "$")
        for case, raw in (
            ("recursion", nested(100_000)),
            ("recursion-in-field", '{"reflection_responses": ' + nested(50_000) + "}"),
            ("5000-digit-integer", '{"id": ' + DIGITS_5000 + "}"),
            ("not-json", "{"),
            ("not-utf8", b"\xff\xfe\xfa"),
            ("empty", ""),
        )
    ],
    # statement edits (a pydantic model body)
    *[
        ("edit-" + case, method, STATEMENT, {"X-User-Id": "learner-001"}, {}, body, 400, path)
        for method in ("PUT", "PATCH")
        for case, body, path in (
            ("recursion", nested(100_000), "$"),
            ("not-json", "{", None),
            ("5000-digit-integer", '{"summary": ' + DIGITS_5000 + "}", None),
            ("summary-number", {"summary": 5}, "$.body.summary"),
            ("summary-null", {"summary": None}, "$.body.summary"),
            ("list", [{"summary": "x"}], "$.body"),
        )
    ],
    # no such route, no such method
    ("unknown-route", "GET", "/api/v1/nope", {"X-User-Id": "learner-001"}, {}, None, 404, None),
    ("wrong-method", "DELETE", "/api/v1/student/missions", {"X-User-Id": "learner-001"}, {}, None, 405, None),
]


def send(
    client: TestClient,
    method: str,
    path: str,
    *,
    headers: dict[str, str],
    query: dict[str, str],
    body: object,
) -> tuple[int, Any]:
    """Send one request; a str or bytes body goes as is, anything else as JSON."""
    content: bytes | str | None
    if isinstance(body, str | bytes):
        content = body
    elif body is None and method in ("GET", "DELETE"):
        content = None
    else:
        content = json.dumps(body)
    response = client.request(
        method,
        path,
        params=query,
        headers={**headers, "content-type": "application/json"},
        content=content,
    )
    if response.headers.get("content-type") != "application/json":
        return response.status_code, response.text
    return response.status_code, response.json()


class TestMalformedRequests:
    @pytest.mark.parametrize(
        ("method", "path", "headers", "query", "body", "status", "problem_path"),
        [case[1:] for case in MALFORMED],
        ids=[case[0] for case in MALFORMED],
    )
    def test_is_4xx_in_the_documented_body(
        self,
        *,
        tolerant: TestClient,
        method: str,
        path: str,
        headers: dict[str, str],
        query: dict[str, str],
        body: object,
        status: int,
        problem_path: str | None,
    ) -> None:
        """Each malformed request is answered with its 4xx and the documented body, naming where it is bad."""
        got, answer = send(tolerant, method, path, headers=headers, query=query, body=body)
        assert got == status, answer
        assert_documented(got, answer)
        if problem_path is not None:
            assert problem_path in {e["path"] for e in answer["errors"]}

    def test_nothing_malformed_was_stored(self, tolerant: TestClient, db_path: Path) -> None:
        """After every malformed completion, no session of the malformed id exists."""
        for _, method, path, headers, query, body, _, _ in MALFORMED:
            if path == COMPLETIONS:
                send(tolerant, method, path, headers=headers, query=query, body=body)
        with closing(connect(db_path)) as connection:
            stored = connection.execute(
                "SELECT count(*) FROM profiler_sessions WHERE id = 's-malformed'"
            ).fetchone()[0]
        assert stored == 0


class TestAnonymous:
    @pytest.mark.parametrize("path", VIEWER_GETS)
    @pytest.mark.parametrize(
        "headers", [{}, {"X-User-Id": ""}, {"X-User-Id": "   "}, {"X-User-Id": "nobody"}], ids=str
    )
    def test_viewer_endpoints_are_401(self, tolerant: TestClient, path: str, headers: dict[str, str]) -> None:
        """No user, a blank one or an unknown one: 401 with the documented body on every viewer endpoint."""
        response = tolerant.get(path, headers=headers)
        assert response.status_code == 401
        assert_documented(401, response.json())

    @pytest.mark.parametrize("method", ["PUT", "PATCH"])
    def test_statement_edit_is_401(self, tolerant: TestClient, method: str) -> None:
        """Anonymous statement edits are 401 too."""
        response = tolerant.request(method, STATEMENT, json={"summary": "x"})
        assert response.status_code == 401
        assert_documented(401, response.json())

    def test_anonymous_requests_are_not_audited_as_anyone(self, tolerant: TestClient, db_path: Path) -> None:
        """A 401 makes no access decision: no audit row names a viewer that was never authenticated."""
        for path in VIEWER_GETS:
            tolerant.get(path)
        with closing(connect(db_path)) as connection:
            assert connection.execute("SELECT count(*) FROM access_audit").fetchone()[0] == 0


def failing_repository() -> FailingRepository:
    """A provider of the library's FailingRepository (FastAPI must see no parameters)."""
    return FailingRepository()


def audit_rows(db_path: Path) -> list[tuple[str, ...]]:
    """Every access_audit row as (viewer, action, subject, outcome, rule, reason codes), in order."""
    with closing(connect(db_path)) as connection:
        rows: list[sqlite3.Row] = connection.execute(
            "SELECT viewer_id, action, subject_id, outcome, rule, reason_codes FROM access_audit ORDER BY id"
        ).fetchall()
    return [tuple(r) for r in rows]


class TestAuditOfLongIds:
    @pytest.mark.parametrize(
        ("path", "action"),
        [
            ("/api/v1/profiler/mentees/{}/results", "view_results"),
            ("/api/v1/profiler/cohorts/{}/analytics", "view_cohort_analytics"),
            ("/api/v1/profiler/enterprises/{}/analytics", "view_enterprise_analytics"),
        ],
    )
    def test_an_id_at_the_bound_is_decided_and_audited(
        self, tolerant: TestClient, db_path: Path, path: str, action: str
    ) -> None:
        """A 64-character subject id is an ordinary question: denied (403) and audited with the full id."""
        subject = "s" * MAX_ID_LENGTH
        response = tolerant.get(path.format(subject), headers={"X-User-Id": "mentor-ada"})
        assert response.status_code == 403
        [row] = audit_rows(db_path)
        assert row[:5] == ("mentor-ada", action, subject, "denied", "default_deny")

    @pytest.mark.parametrize(
        ("raw", "stored"),
        [
            ("s" * (MAX_ID_LENGTH + 1), "s" * (MAX_ID_LENGTH - 1) + "\u2026"),
            ("s" * 10_000, "s" * (MAX_ID_LENGTH - 1) + "\u2026"),
            ("learner%00001", "learner\\x00001"),
        ],
        ids=["65", "10000", "nul"],
    )
    def test_a_malformed_id_is_refused_and_the_refusal_audited(
        self, tolerant: TestClient, db_path: Path, raw: str, stored: str
    ) -> None:
        """Over the bound or holding NUL: 400, and an audit row with the subject bounded and escaped."""
        response = tolerant.get(
            f"/api/v1/profiler/mentees/{raw}/results", headers={"X-User-Id": "mentor-ada"}
        )
        assert response.status_code == 400
        assert audit_rows(db_path) == [
            ("mentor-ada", "view_results", stored, "denied", "host_refusal", '["malformed_subject_id"]')
        ]

    def test_a_refusal_with_a_failing_audit_sink_is_still_400(
        self, db_path: Path, platform: SamplePlatform
    ) -> None:
        """The refusal stands when its audit row cannot be written (logged, not a 500)."""
        app = create_app(db_path, clock=lambda: platform.now, service_token=SERVICE_TOKEN)
        app.dependency_overrides[audit_sink] = failing_repository
        with TestClient(app, raise_server_exceptions=False) as client:
            response = client.get(
                f"/api/v1/profiler/mentees/{LONG}/results", headers={"X-User-Id": "mentor-ada"}
            )
        assert response.status_code == 400
        assert audit_rows(db_path) == []


#: Arbitrary JSON: what a client may put in a body.
JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=20)
    | st.sampled_from(["finished", "2026-11-25T08:40:00+00:00", "learner-006", "elite", "85.5", ""]),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)

#: The OCH FastAPI service's ``ProfilingSession`` fields (the completion route's body).
SESSION_FIELDS = [
    "id",
    "user_id",
    "responses",
    "started_at",
    "completed_at",
    "scores",
    "recommended_track",
    "ip_address",
    "user_agent",
    "device_fingerprint",
    "response_times",
    "suspicious_patterns",
    "anti_cheat_score",
    "telemetry",
    "difficulty_verification",
    "reflection_responses",
]

#: Session-shaped objects whose fields hold arbitrary JSON, and whose nested objects have the service's
#: keys with arbitrary values: they get past the first checks of the reader.
SESSION_LIKE = st.fixed_dictionaries(
    {"id": st.just("s-fuzz"), "user_id": st.sampled_from(["learner-006", 16])},
    optional={
        **{name: JSON_VALUES for name in SESSION_FIELDS if name not in ("id", "user_id")},
        "responses": st.lists(
            st.fixed_dictionaries(
                {"question_id": st.sampled_from(["identity_1", "tech_exposure_1", "x"]) | JSON_VALUES},
                optional={"selected_option": JSON_VALUES | st.sampled_from(["A", "e", "Z"])},
            ),
            max_size=4,
        ),
        "telemetry": st.fixed_dictionaries({}, optional={"technical_exposure_score": JSON_VALUES}),
        "difficulty_verification": st.fixed_dictionaries({}, optional={"selected_difficulty": JSON_VALUES}),
        "reflection_responses": st.fixed_dictionaries(
            {}, optional={"why_cyber": JSON_VALUES, "what_achieve": JSON_VALUES, "submitted_at": JSON_VALUES}
        ),
    },
)


class TestArbitraryBodies:
    def test_no_body_is_a_server_error(self, tolerant: TestClient) -> None:
        """Any JSON posted to the completion route or the statement edit is answered below 500, documented."""

        @settings(deadline=None, max_examples=150, suppress_health_check=[HealthCheck.too_slow])
        @given(
            st.sampled_from(
                [
                    ("POST", COMPLETIONS, {"X-Service-Token": SERVICE_TOKEN}),
                    ("PUT", STATEMENT, {"X-User-Id": "learner-001"}),
                    ("PATCH", STATEMENT, {"X-User-Id": "learner-001"}),
                ]
            ),
            JSON_VALUES | SESSION_LIKE,
        )
        def never_500(route: tuple[str, str, dict[str, str]], body: object) -> None:
            method, path, headers = route
            response = tolerant.request(
                method,
                path,
                headers={**headers, "content-type": "application/json"},
                content=json.dumps(body),
            )
            assert response.status_code < 500, response.text
            if response.status_code >= 400:
                assert_documented(response.status_code, response.json())

        never_500()


class TestCanonicalIds:
    UPPER = "6F9619FF-8B86-D011-B42D-00C04FC964FF"

    def test_a_uuid_user_is_one_user_in_any_case(self, tolerant: TestClient, db_path: Path) -> None:
        """X-User-Id and a path id holding an upper-case UUID name the user stored as its canonical text."""
        with closing(connect(db_path)) as connection, connection:
            connection.execute("INSERT INTO users (id, is_staff) VALUES (?, 0)", (self.UPPER.lower(),))
        response = tolerant.get(
            f"/api/v1/profiler/mentees/{self.UPPER}/results", headers={"X-User-Id": self.UPPER}
        )
        assert response.status_code == 404  # the learner themself, allowed, has no completed session
        assert response.json()["code"] == "no_completed_session"
        assert [row[:4] for row in audit_rows(db_path)] == [
            (self.UPPER.lower(), "view_results", self.UPPER.lower(), "allowed")
        ]


def _raiser(error: Exception) -> Callable[[], dict[str, object]]:
    def endpoint() -> dict[str, object]:
        raise error

    return endpoint


class TestLibraryErrors:
    @pytest.mark.parametrize(
        ("error", "status", "code"),
        [
            (UnknownValueError(field="track", value="cyberz", expected=["defender"]), 400, "unknown_value"),
            (
                InvalidValueError(field="limit", reason="too big", problem_code="out_of_range"),
                400,
                "out_of_range",
            ),
            (InvalidValueError(field="id", reason="blank", problem_code="blank"), 400, "blank"),
            (PolicyError(policy="difficulty@1", reason="inconsistent"), 400, "invalid_value"),
        ],
        ids=["unknown-value", "out-of-range", "blank", "policy"],
    )
    def test_every_profiler_core_error_is_the_documented_400(
        self, db_path: Path, platform: SamplePlatform, error: Exception, status: int, code: str
    ) -> None:
        """A ProfilerCoreError without its own handler is a 400 in the payload body, with its problem code."""
        app = create_app(db_path, clock=lambda: platform.now)
        app.add_api_route("/raises", _raiser(error))
        with TestClient(app, raise_server_exceptions=False) as client:
            response = client.get("/raises")
        assert response.status_code == status
        assert_documented(status, response.json())
        assert [(e["path"], e["code"]) for e in response.json()["errors"]] == [("$", code)]

    def test_not_found_error_is_the_documented_404(self, db_path: Path, platform: SamplePlatform) -> None:
        """NotFoundError keeps its own 404 body (kind and key), not the generic 400."""
        app = create_app(db_path, clock=lambda: platform.now)
        app.add_api_route("/raises", _raiser(NotFoundError(kind="cohort", key="c-9")))
        with TestClient(app, raise_server_exceptions=False) as client:
            response = client.get("/raises")
        assert response.status_code == 404
        assert response.json() == {
            "code": "not_found",
            "kind": "cohort",
            "key": "c-9",
            "detail": "cohort 'c-9' not found",
        }
