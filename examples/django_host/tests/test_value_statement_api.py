"""``GET|PATCH|PUT /api/v1/profiler/value-statement``: the learner's statement and edit (SPEC §6, §7)."""

from __future__ import annotations

import pytest
from django.test import Client
from profiler_host import models
from profiler_host.hooks import sync_all_value_statements

from profiler_core.demo.sample import SamplePlatform
from profiler_core.portfolio import DEFAULT_VALUE_STATEMENT_POLICY
from tests.conftest import Get

URL = "/api/v1/profiler/value-statement"
LEARNER = "learner-001"
NOT_FOUND = "Value statement not found. Please complete profiler first."


@pytest.fixture
def statements(loaded: SamplePlatform) -> SamplePlatform:
    """The sample platform with every completed learner's value statement composed."""
    sync_all_value_statements(now=loaded.now)
    return loaded


def edit(client: Client, text: object, *, method: str = "patch", as_user: str = LEARNER):
    """Send a statement edit body ``{"summary": text}``."""
    send = getattr(client, method)
    return send(URL, {"summary": text}, content_type="application/json", headers={"X-User-Id": as_user})


class TestValueStatementGet:
    def test_returns_statement_identity_and_onboarding(self, statements: SamplePlatform, get: Get) -> None:
        """200 with the entry (title, reflection, private, linked session) and the seeded identity."""
        response = get(URL, LEARNER)
        assert response.status_code == 200
        body = response.json()
        entry = body["statement"]["entry"]
        assert (entry["title"], entry["item_type"], entry["status"], entry["visibility"]) == (
            "My Value Statement",
            "reflection",
            "approved",
            "private",
        )
        assert entry["profiler_session_id"] == "session-001-1"
        assert set(body["identity"]) >= {"value", "impact", "purpose", "starting_point"}
        assert body["onboarding"]["steps"]

    def test_statement_text_uses_the_learners_answers(self, statements: SamplePlatform, get: Get) -> None:
        """The summary quotes the learner's own reflection answers (learner-001 wrote both)."""
        summary = get(URL, LEARNER).json()["statement"]["entry"]["summary"]
        assert "I want to protect people from online fraud" in summary
        assert "I want to lead a security operations team" in summary

    @pytest.mark.parametrize("learner", ["learner-006", "mentor-ada"])
    def test_no_statement_is_a_404_with_the_message(
        self, statements: SamplePlatform, get: Get, learner: str
    ) -> None:
        """Without a completed profiler the answer is 404 with the academy's message."""
        response = get(URL, learner)
        assert response.status_code == 404
        assert response.json() == {"code": "value_statement_not_found", "detail": NOT_FOUND}

    def test_requires_the_user_header(self, statements: SamplePlatform, get: Get) -> None:
        """Without X-User-Id the answer is 401."""
        assert get(URL).status_code == 401


class TestValueStatementEdit:
    @pytest.mark.parametrize("method", ["patch", "put"])
    def test_stores_the_learners_edit(self, statements: SamplePlatform, client: Client, method: str) -> None:
        """200 with the edited entry; the row holds the cleaned text and the edit time."""
        response = edit(client, "I protect  people.", method=method)
        assert response.status_code == 200
        body = response.json()
        assert body["reason"]["code"] == "edit_applied"
        assert body["entry"]["summary"] == "I protect people."
        row = models.PortfolioItem.objects.get(user_id=LEARNER)
        assert row.summary == "I protect people."
        assert row.learner_edited_at is not None

    def test_a_later_sync_keeps_the_edit(self, statements: SamplePlatform, client: Client) -> None:
        """Re-composing after an edit never overwrites it; the composed text is kept beside it."""
        edit(client, "My own words.")
        sync_all_value_statements(now=statements.now)
        row = models.PortfolioItem.objects.get(user_id=LEARNER)
        assert row.summary == "My own words."
        assert row.suggested_summary is not None
        assert "I want to protect people from online fraud" in row.suggested_summary

    def test_saving_the_same_edit_twice_changes_nothing(
        self, statements: SamplePlatform, client: Client
    ) -> None:
        """The second identical edit answers edit_unchanged."""
        edit(client, "Same.")
        assert edit(client, "Same.").json()["reason"]["code"] == "edit_unchanged"

    @pytest.mark.parametrize(
        ("text", "code", "problem_code"),
        [
            ("   ", "edit_empty", "blank"),
            ("x" * (DEFAULT_VALUE_STATEMENT_POLICY.edit_limit + 1), "edit_too_long", "out_of_range"),
        ],
    )
    def test_rejects_an_invalid_edit_with_its_field(
        self, statements: SamplePlatform, client: Client, text: str, code: str, problem_code: str
    ) -> None:
        """An empty or too long text is a 400 naming $.summary and its problem code, plus the reason."""
        response = edit(client, text)
        assert response.status_code == 400
        body = response.json()
        assert body["code"] == "invalid_payload"
        assert [(e["path"], e["code"]) for e in body["errors"]] == [("$.summary", problem_code)]
        assert body["reason_codes"] == [code]

    @pytest.mark.parametrize(
        ("body", "error"),
        [
            ({}, {"path": "$.summary", "code": "required", "message": "required field missing"}),
            ({"summary": 7}, {"path": "$.summary", "code": "not_a_string", "message": "must be a string"}),
            ([], {"path": "$", "code": "not_an_object", "message": "must be an object"}),
        ],
    )
    def test_rejects_a_malformed_body_with_its_path(
        self, statements: SamplePlatform, client: Client, body: object, error: dict[str, str]
    ) -> None:
        """A body without a string summary is a 400 with the path and machine code of the problem."""
        response = client.patch(URL, body, content_type="application/json", headers={"X-User-Id": LEARNER})
        assert response.status_code == 400
        assert response.json()["errors"] == [error]

    def test_rejects_a_body_that_is_not_json(self, statements: SamplePlatform, client: Client) -> None:
        """Broken JSON gets the same 400 shape, at path $."""
        response = client.patch(URL, "{", content_type="application/json", headers={"X-User-Id": LEARNER})
        assert response.status_code == 400
        body = response.json()
        assert (body["code"], body["type"], body["errors"][0]["path"]) == ("invalid_payload", "json", "$")

    def test_editing_without_a_statement_is_a_404(self, statements: SamplePlatform, client: Client) -> None:
        """A learner without a statement cannot edit one: 404 with the academy's message."""
        response = edit(client, "Hello.", as_user="learner-006")
        assert response.status_code == 404
        assert response.json()["detail"] == NOT_FOUND

    def test_requires_the_user_header(self, statements: SamplePlatform, client: Client) -> None:
        """Without X-User-Id an edit is a 401 and nothing changes."""
        response = client.patch(URL, {"summary": "x"}, content_type="application/json")
        assert response.status_code == 401
        assert models.PortfolioItem.objects.filter(learner_edited_at__isnull=False).count() == 0
