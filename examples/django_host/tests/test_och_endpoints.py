"""Every seed endpoint, over the real-shaped OCH fixture, answers the body the OCH frontend reads.

Expected values are written from the fixture rows (``profiler_host/och_fixture.py``)
and the platform's facts (its views' keys, ``profilerClient.ts``,
``RecipeListSerializer``, the seed's task bodies), never computed by the code
under test.
"""

from __future__ import annotations

import pytest
from django.test import Client
from profiler_host import models
from profiler_host import och_fixture as f

from tests.conftest import Get

pytestmark = pytest.mark.django_db

MENTEE_SESSION = str(f.MENTEE_SESSION)
DEFENDER_UUID = str(f.DEFENDER_TRACK)
STATEMENT = (
    "I am drawn to cybersecurity because: I want to keep hospitals running when attackers strike. "
    "My goal is to: I aim to lead a security operations team. "
    "My core values align with protecting and advancing cybersecurity."
)
#: The 403 body every learner gets for any mentee they may not see (SPEC §5: denials do not leak).
RESULTS_DENIED = {
    "allowed": False,
    "view": "none",
    "rule": "default_deny",
    "reasons": [{"code": "access_denied", "message": "You do not have access to this resource."}],
    "policy": "access@1",
    "error": "Permission denied. You must be assigned as a mentor or have admin access.",
}
ANALYTICS_DENIED = {
    "code": "access_denied",
    "reason_codes": ["access_denied"],
    "detail": "You do not have access to this resource.",
}

#: The keys ``profilerClient.getMenteeResults`` requires (``enhanced_results``, ``anti_cheat`` are optional).
MENTEE_RESULTS_KEYS = {
    "mentee_id",
    "mentee_email",
    "mentee_name",
    "session_id",
    "completed_at",
    "is_locked",
    "scores",
    "recommended_track",
    "strengths",
    "areas_for_growth",
    "behavioral_profile",
    "future_you_persona",
    "aptitude_breakdown",
    "recommended_tracks",
    "learning_path_suggestions",
    "och_mapping",
}


def results(get: Get, mentee: object, viewer: object) -> tuple[int, dict[str, object]]:
    response = get(f"/api/v1/profiler/mentees/{mentee}/results", viewer)
    return response.status_code, response.json()


class TestMenteeResults:
    def test_the_mentor_of_the_real_track_row_sees_the_profilerclient_body(self, och: None, get: Get) -> None:
        """Mentor 4, by the dump's ``track``-typed row naming mentee 16, gets getMenteeResults' fields."""
        status, body = results(get, f.MENTEE, f.MENTOR)
        assert status == 200
        assert set(body) >= MENTEE_RESULTS_KEYS
        assert {k: body[k] for k in ("mentee_id", "mentee_email", "mentee_name", "session_id")} == {
            "mentee_id": 16,
            "mentee_email": "a@example.org",
            "mentee_name": "Name A Surname A",
            "session_id": MENTEE_SESSION,
        }
        assert body["is_locked"] is True
        assert body["completed_at"] == "2026-02-07T05:25:00+00:00"  # 08:25 at the dump's +03
        assert body["scores"] == {
            "overall": 66.0,
            "aptitude": 72.5,
            "behavioral": 57.5,
            "technical_exposure": 40.0,
        }
        assert body["recommended_track"] == {
            "track_id": DEFENDER_UUID,
            "confidence": 0.85,
            "track_key": "defender",
        }
        assert body["behavioral_profile"] == {"teamwork": 7.5, "communication": 4.0}
        assert body["strengths"] == ["Strong in networking", "Strong teamwork abilities"]
        assert body["areas_for_growth"] == ["Improve cryptography skills", "Develop communication skills"]

    def test_a_mentor_sees_no_anti_cheat_data(self, och: None, get: Get) -> None:
        """The mentor's view leaves ``anti_cheat`` out (optional in the TypeScript type)."""
        _, body = results(get, f.MENTEE, f.MENTOR)
        assert "anti_cheat" not in body

    def test_staff_see_the_suspicious_patterns_column(self, och: None, get: Get) -> None:
        """Staff (admin view) get ``anti_cheat`` from ``anti_cheat_score`` and ``suspicious_patterns``."""
        status, body = results(get, f.MENTEE, f.STAFF)
        assert status == 200
        assert body["anti_cheat"] == {
            "score": 12.5,
            "suspicious_patterns": ["too_fast"],
            "device_fingerprint": None,
        }

    def test_a_learner_sees_their_own_results(self, och: None, get: Get) -> None:
        """Learner 16 asking about themself is allowed."""
        status, body = results(get, f.MENTEE, f.MENTEE)
        assert (status, body["mentee_id"]) == (200, 16)

    def test_the_mentee_is_found_by_uuid_id_too(self, och: None, get: Get) -> None:
        """``users.uuid_id`` in the path names the same learner as ``users.id``."""
        status, body = results(get, f.USER_UUID[f.MENTEE], f.MENTOR)
        assert (status, body["mentee_id"], body["session_id"]) == (200, 16, MENTEE_SESSION)

    def test_the_mentor_of_the_auto_created_cohort_row_sees_its_mentee(self, och: None, get: Get) -> None:
        """Mentor 4, by the ``cohort``-typed row naming mentee 28 (as the platform creates it), sees 28."""
        status, body = results(get, f.COHORT_MENTEE, f.MENTOR)
        assert (status, body["mentee_id"], body["recommended_track"]["track_id"]) == (
            200,
            28,
            str(f.GRC_TRACK),
        )

    def test_a_cohort_row_naming_a_mentee_covers_that_mentee_only(self, och: None, get: Get) -> None:
        """Regression (issue 13): mentor 4's auto-created ``cohort``-typed row names "Corona Cohort 2020"
        *and* mentee 28; learner 30, in the same cohort and nobody's mentee, is not covered: the one 403."""
        assert results(get, f.CLASSMATE, f.MENTOR) == (403, RESULTS_DENIED)
        assert results(get, f.UNPROFILED, f.MENTOR) == (403, RESULTS_DENIED)
        assert results(get, f.COHORT_MENTEE, f.MENTOR)[0] == 200

    def test_another_learner_is_denied_with_the_one_body(self, och: None, get: Get) -> None:
        """Learner 28 asking about 16, or about a user who does not exist, gets the same 403 body."""
        assert results(get, f.MENTEE, f.COHORT_MENTEE) == (403, RESULTS_DENIED)
        assert results(get, 99999, f.COHORT_MENTEE) == (403, RESULTS_DENIED)

    def test_every_denial_is_audited(self, och: None, get: Get) -> None:
        """The denied decision is one ``access_audit`` row naming viewer and subject."""
        results(get, f.MENTEE, f.COHORT_MENTEE)
        assert list(models.AccessAudit.objects.values_list("viewer_id", "subject_id", "outcome")) == [
            ("28", "16", "denied")
        ]

    def test_no_such_mentee_is_the_platform_404_for_an_allowed_viewer(self, och: None, get: Get) -> None:
        """Staff asking about a user id nobody has get ``{"error": "Mentee not found"}``."""
        assert results(get, 99999, f.STAFF) == (404, {"error": "Mentee not found"})

    def test_no_completed_session_is_the_platform_404(self, och: None, get: Get) -> None:
        """Learner 31 never profiled: 404, the platform's ``error``, ``mentee_id``, ``profiling_complete``."""
        status, body = results(get, f.UNPROFILED, f.STAFF)
        assert status == 404
        assert {k: body[k] for k in ("error", "mentee_id", "profiling_complete")} == {
            "error": "No profiler results found",
            "mentee_id": 31,
            "profiling_complete": False,
        }


class TestFutureYou:
    def test_the_mentor_reads_the_persona_column(self, och: None, get: Get) -> None:
        """Both the backend's keys and the mentor pages' keys, from ``futureyou_persona`` and the session."""
        response = get(f"/api/v1/profiler/mentees/{f.MENTEE}/future-you", f.MENTOR)
        body = response.json()
        assert response.status_code == 200
        assert {k: body[k] for k in ("id", "persona_name", "description", "persona", "confidence_score")} == {
            "id": "16",
            "persona_name": "Cyber Sentinel",
            "description": "Guards critical systems.",
            "persona": "Cyber Sentinel",
            "confidence_score": 0.85,
        }
        assert body["recommended_track"] == "defender"

    def test_no_session_is_not_assessed(self, och: None, get: Get) -> None:
        """Learner 31 has no completed session: the platform's "Not assessed" body (200)."""
        body = get(f"/api/v1/profiler/mentees/{f.UNPROFILED}/future-you", f.STAFF).json()
        assert (body["id"], body["persona_name"], body["description"]) == (
            "31",
            "Not assessed",
            "Future-You persona has not been generated yet.",
        )

    def test_another_learner_is_denied(self, och: None, get: Get) -> None:
        """Learner 28 may not see 16's persona: 403 with the platform's ``error``."""
        response = get(f"/api/v1/profiler/mentees/{f.MENTEE}/future-you", f.COHORT_MENTEE)
        assert (response.status_code, response.json()["error"]) == (403, "Permission denied")


class TestValueStatement:
    PATH = "/api/v1/profiler/value-statement"

    def test_the_seed_body_with_the_fastapi_keys(self, och: None, get: Get) -> None:
        """Learner 16's ``My Value Statement`` item: the seed's 5.1 keys, Django's and the FastAPI route's."""
        response = get(self.PATH, f.MENTEE)
        body = response.json()
        assert response.status_code == 200
        assert {k: body[k] for k in body if k not in {"entry_id", "title", "body_version"}} == {
            "value_statement": STATEMENT,
            "created_at": "2026-02-07T05:26:00+00:00",
            "profiler_session_id": MENTEE_SESSION,
            "status": "approved",
            "visibility": "private",
            "session_id": MENTEE_SESSION,
            "ready_for_portfolio": True,
        }

    def test_no_statement_is_the_seed_404_body(self, och: None, get: Get) -> None:
        """Learner 28 has no statement item: exactly the seed's 404 body."""
        response = get(self.PATH, f.COHORT_MENTEE)
        assert (response.status_code, response.json()) == (
            404,
            {
                "value_statement": None,
                "message": "Value statement not found. Please complete profiler first.",
            },
        )

    def test_the_learner_edits_their_statement(self, och: None, client: Client, get: Get) -> None:
        """A PATCH stores the learner's words in the real row; the GET then answers them."""
        response = client.patch(
            self.PATH,
            {"summary": "I protect hospitals."},
            content_type="application/json",
            headers={"X-User-Id": "16"},
        )
        assert (response.status_code, response.json()["value_statement"]) == (200, "I protect hospitals.")
        stored = models.PortfolioItem.objects.values_list("summary", flat=True).get(id=f.VALUE_STATEMENT_ITEM)
        assert stored == "I protect hospitals."
        assert get(self.PATH, f.MENTEE).json()["value_statement"] == "I protect hospitals."

    def test_a_blank_edit_is_400(self, och: None, client: Client) -> None:
        """A blank summary is refused naming ``$.summary``."""
        response = client.patch(
            self.PATH, {"summary": "  "}, content_type="application/json", headers={"X-User-Id": "16"}
        )
        assert response.status_code == 400
        assert [e["path"] for e in response.json()["errors"]] == ["$.summary"]


class TestProfilerRecommendations:
    PATH = "/api/v1/recipes/profiler-recommendations"

    def test_gaps_in_the_platform_shape(self, och: None, get: Get) -> None:
        """16's result has cryptography 1/4 (25 %, a high aptitude gap) and technical exposure 40 (medium)."""
        body = get(self.PATH, f.MENTEE).json()
        gaps = {(g["category"], g["type"]): g for g in body["gaps_analysis"]["gaps"]}
        assert {k: gaps["cryptography", "aptitude"][k] for k in ("score", "priority")} == {
            "score": 25.0,
            "priority": "high",
        }
        assert {k: gaps["technical_exposure", "technical"][k] for k in ("score", "priority")} == {
            "score": 40.0,
            "priority": "medium",
        }
        assert "networking" not in {category for category, _ in gaps}  # 3/4 = 75 %, no gap
        analysis = body["gaps_analysis"]
        assert (analysis["aptitude_score"], analysis["technical_exposure_score"]) == (72.5, 40.0)
        assert body["profiler_status"]["accessible"] is True
        assert body["profiler_status"]["session_id"] == MENTEE_SESSION

    def test_the_recipe_list_serializer_fields(self, och: None, get: Get) -> None:
        """Without a profiler (learner 31) the most used active recipe comes first, serializer fields."""
        body = get(self.PATH, f.UNPROFILED).json()
        first = body["recommended_recipes"][0]
        assert {k: first[k] for k in ("id", "title", "slug", "description", "difficulty")} == {
            "id": "a1b2c3d4-0001-4000-8000-000000000001",
            "title": "Write your first SIEM rule",
            "slug": "siem-rule-writing-basics",
            "description": "Write your first SIEM rule.",  # the summary column
            "difficulty": "beginner",
        }
        assert {
            k: first[k]
            for k in (
                "expected_duration_minutes",
                "track_code",
                "skill_code",
                "level",
                "tools_and_environment",
            )
        } == {
            "expected_duration_minutes": 20,
            "track_code": "defender",  # SOCDEFENSE is the defender track; DFIR is no track
            "skill_code": "SIEM_RULE_WRITING",
            "level": "beginner",
            "tools_and_environment": ["Splunk"],  # tools_used, as the serializer falls back
        }
        assert "retired-recipe" not in [r["slug"] for r in body["recommended_recipes"]]

    def test_no_profiler_is_the_platform_status(self, och: None, get: Get) -> None:
        """Learner 31: ``profiler_status.accessible`` false, no gaps."""
        body = get(self.PATH, f.UNPROFILED).json()
        assert (body["profiler_status"]["accessible"], body["profiler_status"]["message"]) == (
            False,
            "No profiler session found",
        )
        assert (body["gaps_analysis"]["gaps"], body["total_gaps"]) == ([], 0)


class TestTalentMatches:
    def test_the_seed_route_names_the_track_by_uuid(self, och: None, get: Get) -> None:
        """The seed's 6.2 body: ``recommended_track`` is the session's track as its curriculum UUID."""
        body = get("/api/v1/marketplace/talent-matches", f.MENTEE).json()
        assert body["recommended_track"] == DEFENDER_UUID
        assert "profiler_complete" not in body
        # Backend Dev has no deadline; System admin and OCH Mentor closed in 2026 (dump deadlines).
        assert [m["job_id"] for m in body["matches"]] == ["3eb4e1d1-29c7-4494-8142-f37699468864"]
        assert set(body["matches"][0]) >= {"job_id", "job_title", "match_score", "match_reasons"}

    def test_the_routed_profiler_path_adds_the_session_scores(self, och: None, get: Get) -> None:
        """The routed path adds ``track_confidence``, ``aptitude_score``, ``difficulty_selection``."""
        body = get("/api/v1/marketplace/talent-matches/profiler", f.MENTEE).json()
        assert {
            k: body[k]
            for k in ("track_confidence", "aptitude_score", "difficulty_selection", "profiler_complete")
        } == {
            "track_confidence": 0.85,
            "aptitude_score": 72.5,
            "difficulty_selection": "intermediate",
            "profiler_complete": True,
        }

    def test_no_profiler_has_no_matches(self, och: None, get: Get) -> None:
        """Learner 31: no matches, ``profiler_complete`` false, no ``recommended_track``."""
        body = get("/api/v1/marketplace/talent-matches/profiler", f.UNPROFILED).json()
        assert (body["matches"], body["profiler_complete"], "recommended_track" in body) == ([], False, False)


class TestStudentMissions:
    def test_the_paging_envelope(self, och: None, get: Get) -> None:
        """``missionsClient.getAllMissions`` reads the envelope: results, count, total, page, has_next..."""
        body = get("/api/v1/student/missions/", f.MENTEE).json()
        assert {"results", "count", "total", "page", "page_size", "has_next", "has_previous"} <= set(body)
        assert (body["page"], body["page_size"], body["has_previous"]) == (1, 20, False)
        assert body["ceiling"]["ceiling"] == 2  # 16's latest session selected intermediate

    def test_the_dumps_missions_under_the_ceiling(self, och: None, get: Get) -> None:
        """16's ceiling is 2: the dump's two difficulty-1 missions (``code`` NULL), not the level-3 one."""
        body = get("/api/v1/student/missions/", f.MENTEE).json()
        assert (body["count"], body["total"], body["has_next"]) == (2, 2, False)
        assert sorted(m["title"] for m in body["results"]) == [
            "Network Security Fundamentals",
            "Penetration Testing Fundamentals",
        ]
        [network] = [m for m in body["results"] if m["id"] == "32f96ff3-fa0d-4f49-9f52-1ac276c7ecbe"]
        assert {
            k: network[k]
            for k in (
                "code",
                "description",
                "difficulty",
                "type",
                "estimated_time_minutes",
                "competency_tags",
            )
        } == {
            "code": None,
            "description": "The basics.",
            "difficulty": 1,
            "type": "intermediate",
            "estimated_time_minutes": 60,
            "competency_tags": ["Network Sec", "SOC Analyst"],
        }
        assert network["track_key"] == "defender"  # track_id: the programs track "defensive-security"

    def test_a_page_past_the_end_is_empty(self, och: None, get: Get) -> None:
        """``page_size=1&page=2`` is the second mission; ``page=3`` is an empty page."""
        second = get("/api/v1/student/missions/", f.MENTEE, page="2", page_size="1").json()
        past = get("/api/v1/student/missions/", f.MENTEE, page="3", page_size="1").json()
        assert (second["count"], second["has_next"], second["has_previous"]) == (1, False, True)
        assert (past["results"], past["total"]) == ([], 2)

    def test_a_malformed_page_is_400(self, och: None, get: Get) -> None:
        """``page=0`` is refused naming ``$.query.page``."""
        response = get("/api/v1/student/missions/", f.MENTEE, page="0")
        assert (response.status_code, response.json()["errors"][0]["path"]) == (400, "$.query.page")

    def test_the_dashboard_answers(self, och: None, get: Get) -> None:
        """The dashboard shows the learner's ``users.track_key`` and the ceiling."""
        body = get("/api/v1/student/missions/dashboard", f.MENTEE).json()
        assert (body["track"], body["ceiling"]["ceiling"], body["locked_missions"]) == ("leadership", 2, [])


class TestAnalytics:
    COHORT = f"/api/v1/profiler/admin/cohorts/{f.CORONA_COHORT}/analytics"

    def test_the_platform_keys_small_counts_suppressed(self, och: None, get: Get) -> None:
        """Corona Cohort 2020 has three active learners (below k): counts are ``{"suppressed": true}``."""
        response = get(self.COHORT, f.STAFF)
        body = response.json()
        assert response.status_code == 200
        assert (body["cohort_id"], body["cohort_name"]) == (str(f.CORONA_COHORT), "Corona Cohort 2020")
        assert body["total_students"] == {"suppressed": True}
        assert body["profiled_students"] == {"suppressed": True}
        assert set(body["readiness_distribution"]) == {"novice", "beginner", "intermediate", "advanced"}
        assert "students" not in body
        assert "not_profiled_students" not in body

    def test_the_seed_path_answers_the_same(self, och: None, get: Get) -> None:
        """The seed's ``profiler/cohorts/{id}/analytics`` path is the same view."""
        seed = get(f"/api/v1/profiler/cohorts/{f.CORONA_COHORT}/analytics", f.STAFF).json()
        assert seed == get(self.COHORT, f.STAFF).json()

    def test_a_learner_is_denied(self, och: None, get: Get) -> None:
        """Learner 16 may not see the cohort's analytics: the uniform 403."""
        response = get(self.COHORT, f.MENTEE)
        assert (response.status_code, response.json()) == (403, ANALYTICS_DENIED)

    def test_an_unknown_cohort_is_404(self, och: None, get: Get) -> None:
        """A cohort UUID no row has is 404 for staff."""
        response = get(
            "/api/v1/profiler/admin/cohorts/00000000-0000-4000-8000-000000000000/analytics", f.STAFF
        )
        assert response.status_code == 404

    def test_the_enterprise_is_the_sponsor(self, och: None, get: Get) -> None:
        """``sponsor_id`` (the sponsor's ``users.uuid_id``) names the cohorts it funds; breakdown by name."""
        response = get("/api/v1/profiler/admin/enterprise/analytics", f.STAFF, sponsor_id=str(f.USER_UUID[5]))
        body = response.json()
        assert response.status_code == 200
        assert (body["sponsor_id"], body["cohort_id"]) == (str(f.USER_UUID[5]), None)
        assert list(body["cohort_breakdown"]) == ["Sponsored Cohort"]
        assert body["total_employees"] == {"suppressed": True}

    def test_the_sponsor_admin_sees_their_own_enterprise(self, och: None, get: Get) -> None:
        """User 5's ``sponsor_admin`` grant is scoped (``org``) to their own ``uuid_id``: only there."""
        own = get(f"/api/v1/profiler/enterprises/{f.USER_UUID[5]}/analytics", f.SPONSOR_ADMIN)
        other = get(f"/api/v1/profiler/enterprises/{f.USER_UUID[4]}/analytics", f.SPONSOR_ADMIN)
        assert (own.status_code, own.json()["sponsor_id"]) == (200, str(f.USER_UUID[5]))
        assert (other.status_code, other.json()) == (403, ANALYTICS_DENIED)

    def test_the_enterprise_needs_a_sponsor(self, och: None, get: Get) -> None:
        """Without ``sponsor_id`` the enterprise route is 400 naming ``$.query.sponsor_id``."""
        response = get("/api/v1/profiler/admin/enterprise/analytics", f.STAFF)
        assert (response.status_code, response.json()["errors"][0]["path"]) == (400, "$.query.sponsor_id")

    def test_a_sponsor_that_funds_nothing_is_404(self, och: None, get: Get) -> None:
        """A sponsor with no ``sponsor_cohort_assignments`` row is 404 for staff, never every cohort."""
        response = get("/api/v1/profiler/enterprises/00000000-0000-4000-8000-000000000000/analytics", f.STAFF)
        assert response.status_code == 404
