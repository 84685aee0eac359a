"""``POST /api/v1/profiler/completions``: the profiling service's trusted call, and the attacks on it.

A completion is delivered server to server with the service's own credential
(``X-Service-Token``). A learner cannot deliver one (so cannot post their own
scores), a stored session never changes owner, and a completed session is
never rewritten (409 ``{code, detail}``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from django.http import HttpResponse
from django.test import Client, override_settings
from profiler_host import models
from profiler_host.hooks import SessionStored, store_completed_session
from profiler_host.loading import add_sessions, ensure_users

import profiler_core as pc
from profiler_core.demo.sample import SamplePlatform
from tests.conftest import Get

URL = "/api/v1/profiler/completions"
TOKEN = "svc-4f1d9c-0b7e-42aa"
T0 = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)

#: learner-002's finished session in the sample platform, the target of the take-over attack.
VICTIM_SESSION = "session-002-2"


@pytest.fixture
def service() -> Iterator[dict[str, str]]:
    """The profiling service's headers, with its token configured."""
    with override_settings(PROFILER_SERVICE_TOKEN=TOKEN):
        yield {"X-Service-Token": TOKEN}


def post(client: Client, body: object, headers: dict[str, str]) -> HttpResponse:
    """POST *body* as JSON with *headers*."""
    return client.post(URL, json.dumps(body), content_type="application/json", headers=headers)


def completion(
    session_id: str = "s-new", user_id: str = "learner-001", **fields: object
) -> dict[str, object]:
    """A finished session in the wire contract."""
    return {
        "id": session_id,
        "user_id": user_id,
        "status": "finished",
        "started_at": "2030-05-01T08:20:00+00:00",
        "completed_at": "2030-05-01T09:00:00+00:00",
        "difficulty_selection": "intermediate",
        "aptitude_score": 61.0,
        "reflection": {"why_cyber": "I like solving puzzles", "what_achieve": "I want to lead a SOC"},
        **fields,
    }


def session_row(session_id: str) -> dict[str, Any]:
    """The stored row of *session_id*."""
    return models.ProfilerSession.objects.filter(pk=session_id).values().get()


class TestCredential:
    def test_the_take_over_attack_as_a_learner_is_403_and_changes_nothing(
        self, loaded: SamplePlatform, client: Client, service: dict[str, str], get: Get
    ) -> None:
        """learner-001 posting learner-002's session id as their own: 403, the session stays learner-002's."""
        before = session_row(VICTIM_SESSION)
        attack = completion(VICTIM_SESSION, "learner-001", difficulty_selection="elite", aptitude_score=100)
        response = post(client, attack, {"X-User-Id": "learner-001"})
        assert response.status_code == 403
        assert response.json()["code"] == "access_denied"
        assert session_row(VICTIM_SESSION) == before
        assert get("/api/v1/profiler/mentees/learner-002/results", "learner-001").status_code == 403

    def test_a_learner_cannot_post_their_own_scores(
        self, loaded: SamplePlatform, client: Client, service: dict[str, str]
    ) -> None:
        """A learner's own 'elite, 100' completion is refused (403) and no session is stored."""
        own = completion("s-self", "learner-006", difficulty_selection="elite", aptitude_score=100.0)
        response = post(client, own, {"X-User-Id": "learner-006"})
        assert response.status_code == 403
        assert response.json()["reason_codes"] == ["service_credential_required"]
        assert not models.ProfilerSession.objects.filter(pk="s-self").exists()

    def test_staff_is_not_the_profiling_service(
        self, loaded: SamplePlatform, client: Client, service: dict[str, str]
    ) -> None:
        """A staff user's X-User-Id is not the service credential: 403."""
        assert post(client, completion(), {"X-User-Id": "staff-hal"}).status_code == 403

    @pytest.mark.parametrize(
        ("configured", "sent"),
        [
            (TOKEN, TOKEN + "x"),
            (TOKEN, TOKEN[:-1]),
            (TOKEN, ""),
            ("", ""),
            ("", "anything"),
            ("short-secret", "short-secret"),
        ],
        ids=["longer", "shorter", "empty", "unset-empty", "unset-any", "too-short-to-count"],
    )
    def test_a_wrong_or_unconfigured_token_is_401(
        self, loaded: SamplePlatform, client: Client, configured: str, sent: str
    ) -> None:
        """A token other than the configured one, or any token when none (or a short one) is set: 401."""
        with override_settings(PROFILER_SERVICE_TOKEN=configured):
            response = post(client, completion(), {"X-Service-Token": sent})
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == "X-Service-Token"
        assert not models.ProfilerSession.objects.filter(pk="s-new").exists()

    def test_no_credential_is_401(
        self, loaded: SamplePlatform, client: Client, service: dict[str, str]
    ) -> None:
        """An anonymous completion is 401."""
        assert post(client, completion(), {}).status_code == 401

    def test_the_service_token_opens_no_other_endpoint(
        self, loaded: SamplePlatform, client: Client, service: dict[str, str]
    ) -> None:
        """The service token is not a learner credential: the learner endpoints answer it 401."""
        response = client.get("/api/v1/profiler/mentees/learner-001/results", headers=service)
        assert response.status_code == 401


class TestOwnership:
    def test_the_take_over_attack_as_the_service_is_409_and_changes_nothing(
        self, loaded: SamplePlatform, client: Client, service: dict[str, str]
    ) -> None:
        """Another learner's session id is a 409 session_owner_conflict; the stored row is untouched."""
        before = session_row(VICTIM_SESSION)
        response = post(client, completion(VICTIM_SESSION, "learner-001"), service)
        assert response.status_code == 409
        assert response.json() == {
            "code": "session_owner_conflict",
            "detail": "Session 'session-002-2' belongs to another learner; a session never changes owner.",
        }
        assert session_row(VICTIM_SESSION) == before

    def test_a_completed_session_is_not_rewritten(
        self, loaded: SamplePlatform, client: Client, service: dict[str, str]
    ) -> None:
        """The owner's completed session delivered with other scores is 409 session_already_completed."""
        assert post(client, completion(), service).status_code == 200
        response = post(client, completion(aptitude_score=99.0), service)
        assert response.status_code == 409
        assert response.json()["code"] == "session_already_completed"
        assert session_row("s-new")["aptitude_score"] == 61.0

    def test_the_store_never_updates_another_owners_row(self, db: None) -> None:
        """store_completed_session refuses an owner change even when called directly (no HTTP)."""
        ensure_users(["u-a", "u-b"])
        add_sessions(
            [
                pc.ProfilerSession(
                    id=pc.SessionId("s-1"), user_id=pc.UserId("u-a"), status=pc.SessionStatus.STARTED
                )
            ]
        )
        taken = pc.ProfilerSession(
            id=pc.SessionId("s-1"),
            user_id=pc.UserId("u-b"),
            status=pc.SessionStatus.FINISHED,
            completed_at=T0,
        )
        with pytest.raises(Exception, match="belongs to another learner"):
            store_completed_session(taken)
        assert session_row("s-1")["user_id"] == "u-a"
        assert session_row("s-1")["status"] == "started"


class TestDelivery:
    def test_a_new_completion_is_stored_and_creates_the_statement(
        self, loaded: SamplePlatform, client: Client, service: dict[str, str]
    ) -> None:
        """200 with the create plan; the session is stored as delivered and the entry links to it."""
        response = post(client, completion(), service)
        assert response.status_code == 200
        body = response.json()
        assert (body["learner_id"], body["session_id"], body["plan"]) == ("learner-001", "s-new", "create")
        assert body["entry"]["profiler_session_id"] == "s-new"
        assert session_row("s-new")["user_id"] == "learner-001"
        assert models.PortfolioItem.objects.filter(statement_owner_id="learner-001").count() == 1

    def test_delivering_it_again_keeps(
        self, loaded: SamplePlatform, client: Client, service: dict[str, str]
    ) -> None:
        """The same completion twice: 200 both times, the second plans keep, one entry."""
        first = post(client, completion(), service).json()
        second = post(client, completion(), service)
        assert second.status_code == 200
        assert second.json()["plan"] == "keep"
        assert second.json()["entry"] == first["entry"]
        assert models.PortfolioItem.objects.filter(statement_owner_id="learner-001").count() == 1

    def test_the_owners_unfinished_session_is_completed(self, db: None) -> None:
        """A stored in-progress session of the same learner is completed with the delivered fields."""
        add_sessions(
            [
                pc.ProfilerSession(
                    id=pc.SessionId("s-1"), user_id=pc.UserId("u-a"), status=pc.SessionStatus.IN_PROGRESS
                )
            ]
        )
        done = pc.ProfilerSession(
            id=pc.SessionId("s-1"),
            user_id=pc.UserId("u-a"),
            status=pc.SessionStatus.FINISHED,
            completed_at=T0,
            aptitude_score=70.0,
        )
        assert store_completed_session(done) is SessionStored.COMPLETED
        assert models.ProfilerSession.to_domain(session_row("s-1")) == done
        assert store_completed_session(done) is SessionStored.UNCHANGED

    def test_a_generic_statement_completion_is_200(
        self, loaded: SamplePlatform, client: Client, service: dict[str, str]
    ) -> None:
        """A session without reflection or identity answers gives the generic statement, answered 200."""
        response = post(client, completion("s-empty", "learner-006", reflection={}), service)
        assert response.status_code == 200
        assert response.json()["statement"]["text"] == "I am committed to advancing in cybersecurity."

    def test_an_unknown_learner_is_404(
        self, loaded: SamplePlatform, client: Client, service: dict[str, str]
    ) -> None:
        """A completion for a user the platform does not have is 404 not_found, and nothing is stored."""
        response = post(client, completion(user_id="u-ghost"), service)
        assert response.status_code == 404
        assert response.json() == {
            "code": "not_found",
            "kind": "user",
            "key": "u-ghost",
            "detail": "user 'u-ghost' not found",
        }
        assert not models.ProfilerSession.objects.filter(pk="s-new").exists()
