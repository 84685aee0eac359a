"""The OCH bodies: the platform's keys and values (literal, from the facts), extras beside, privacy kept."""

from __future__ import annotations

from typing import ClassVar

import pytest
from tests import och_body_cases as cases

from profiler_core import och
from profiler_core.models import Principal
from profiler_core.serialization import JSON, unstructure_object

SUPPRESSED = {"suppressed": True}
DENIAL = {
    "allowed": False,
    "view": "none",
    "rule": "default_deny",
    "reasons": [{"code": "access_denied", "message": "You do not have access to this resource."}],
    "policy": "access@1",
}
OFFENSIVE_ID = cases.TRACK_IDS["offensive"]
SESSION_16 = cases.session_id("16")


def results(viewer: Principal, learner: str = "16") -> och.OchResponse:
    return och.mentee_results_body(
        cases.mentee_results(viewer, learner), mentee=cases.MENTEE, track_ids=cases.TRACK_IDS
    )


def platform_keys(body: dict[str, JSON], keys: list[str]) -> dict[str, JSON]:
    return {key: body[key] for key in keys}


class TestMenteeResults:
    PLATFORM: ClassVar[dict[str, JSON]] = {
        "mentee_id": 16,
        "mentee_email": "amina.otieno@example.org",
        "mentee_name": "Amina Otieno",
        "session_id": SESSION_16,
        "completed_at": "2026-10-16T09:30:00+00:00",
        "is_locked": True,
        "recommended_track": {"track_id": OFFENSIVE_ID, "confidence": 0.8, "track_key": "offensive"},
        "strengths": ["networking"],
        "areas_for_growth": ["communication"],
        "behavioral_profile": {"communication": 2.5, "leadership": 4.0},
        "future_you_persona": {},
        "aptitude_breakdown": {"networking": {"score": 80.0, "correct": 4, "total": 5}},
        "recommended_tracks": [],
        "learning_path_suggestions": [],
        "och_mapping": {},
        "foundations_reflection": None,
    }

    def test_mentor_body_has_the_platform_fields(self) -> None:
        """A mentor's 200 body has getMenteeResults' fields: host's user, track UUID, flat profile."""
        response = results(cases.MENTOR)
        assert response.status == 200
        assert platform_keys(response.body, list(self.PLATFORM)) == self.PLATFORM
        assert response.body["scores"] == {
            "overall": 45.0,
            "aptitude": 40.0,
            "behavioral": 70.0,
            "technical_exposure": 50.0,
        }

    def test_mentor_view_has_no_anti_cheat(self) -> None:
        """anti_cheat is left out (not null) when the view does not hold it: the TS type marks it optional."""
        body = results(cases.MENTOR).body
        assert "anti_cheat" not in body
        assert "reflection" not in body
        assert "track_alignment_percentages" not in body

    def test_admin_view_has_suspicious_patterns(self) -> None:
        """The admin view renders the library's anti-cheat flags as suspicious_patterns."""
        body = results(cases.ADMIN).body
        assert body["anti_cheat"] == {
            "score": 12.0,
            "suspicious_patterns": ["tab_switch", "copy_paste"],
            "device_fingerprint": None,
        }
        assert body["difficulty_selection"] == "intermediate"

    def test_library_extras_sit_beside(self) -> None:
        """The view, policy, reasons, degraded and the version are extras, the nested profile kept beside."""
        body = results(cases.MENTOR).body
        assert {k: body[k] for k in ("view", "policy", "reasons", "degraded", "body_version")} == {
            "view": "mentor",
            "policy": "access@1",
            "reasons": [],
            "degraded": False,
            "body_version": "och-bodies@1",
        }
        assert body["behavioral_profile_detail"] == {
            "traits": {"communication": 2.5, "leadership": 4.0},
            "strengths": [],
            "areas_for_growth": [],
        }

    def test_unmapped_track_has_null_track_id(self) -> None:
        """A track key the host's directory does not hold renders track_id null, never a guess."""
        body = och.mentee_results_body(
            cases.mentee_results(cases.MENTOR), mentee=cases.MENTEE, track_ids={}
        ).body
        assert body["recommended_track"] == {"track_id": None, "confidence": 0.8, "track_key": "offensive"}

    @pytest.mark.parametrize("learner", ["16", "17", "99"])
    def test_denial_body_is_the_same_for_every_learner(self, learner: str) -> None:
        """A mentor who may not see a learner gets the same 403 bytes, whoever the learner (even none)."""
        response = results(cases.OTHER_MENTOR, learner)
        assert (response.status, response.body) == (
            403,
            {**DENIAL, "error": "Permission denied. You must be assigned as a mentor or have admin access."},
        )

    def test_not_found(self) -> None:
        """No completed session: the platform's 404 keys with the library's reason beside."""
        response = results(cases.ADMIN, "99")
        assert response.status == 404
        assert response.body == {
            "error": "No profiler results found",
            "mentee_id": 16,
            "profiling_complete": False,
            "reason": {
                "code": "no_completed_session",
                "message": "Learner 99 has no completed profiler session.",
            },
            "degraded": False,
            "body_version": "och-bodies@1",
        }

    def test_display_name_falls_back_to_email(self) -> None:
        """mentee_name is "first last" stripped, else the email (the platform's rule)."""
        assert (
            och.OchUser(id=1, email="x@example.org", first_name=" ", last_name="").display_name
            == "x@example.org"
        )
        assert och.OchUser(id=1, email="x@example.org", last_name="Otieno").display_name == "Otieno"


class TestFutureYou:
    def test_backend_and_mentor_page_keys(self) -> None:
        """The FutureYou keys and the mentor pages' keys (persona, recommended_track, mission_difficulty)."""
        body = och.future_you_body(
            cases.mentee_results(cases.ADMIN),
            mentee=cases.MENTEE,
            persona={"name": "SOC Sentinel", "summary": "Calm", "estimated_readiness_date": "2027-03-01"},
        ).body
        assert platform_keys(
            body,
            [
                "id",
                "persona_name",
                "description",
                "estimated_readiness_date",
                "confidence_score",
                "persona",
                "recommended_track",
                "mission_difficulty",
            ],
        ) == {
            "id": "16",
            "persona_name": "SOC Sentinel",
            "description": "Calm",
            "estimated_readiness_date": "2027-03-01",
            "confidence_score": 0.8,
            "persona": "SOC Sentinel",
            "recommended_track": "offensive",
            "mission_difficulty": "intermediate",
        }

    def test_not_assessed(self) -> None:
        """No completed session: 200 with the platform's "Not assessed" body, optional keys left out."""
        response = och.future_you_body(cases.mentee_results(cases.ADMIN, "99"), mentee=cases.MENTEE)
        assert response.status == 200
        assert "estimated_readiness_date" not in response.body
        assert "confidence_score" not in response.body
        assert platform_keys(response.body, ["id", "persona_name", "description", "persona"]) == {
            "id": "16",
            "persona_name": "Not assessed",
            "description": "Future-You persona has not been generated yet.",
            "persona": "Not assessed",
        }

    def test_denied(self) -> None:
        """A viewer who may not see the learner gets 403 with the library's denial body."""
        response = och.future_you_body(cases.mentee_results(cases.OTHER_MENTOR), mentee=cases.MENTEE)
        assert (response.status, response.body) == (403, {**DENIAL, "error": "Permission denied"})


class TestValueStatement:
    def test_found(self) -> None:
        """The Django keys and the FastAPI keys the frontend reads, from the portfolio entry."""
        response = och.value_statement_body(cases.STATEMENT)
        assert response.status == 200
        assert response.body == {
            "value_statement": "I protect small businesses from fraud.",
            "created_at": "2026-10-17T09:30:00+00:00",
            "profiler_session_id": SESSION_16,
            "status": "draft",
            "visibility": "private",
            "session_id": SESSION_16,
            "ready_for_portfolio": True,
            "entry_id": cases.uid("portfolio-16"),
            "title": "My Value Statement",
            "body_version": "och-bodies@1",
        }

    def test_fastapi_session_id_from_the_route(self) -> None:
        """The FastAPI route's session id (its URL path) is the session_id when given."""
        body = och.value_statement_body(cases.STATEMENT, session_id="fastapi-session-7").body
        assert (body["session_id"], body["profiler_session_id"]) == ("fastapi-session-7", SESSION_16)

    def test_not_found_is_the_seed_body(self) -> None:
        """No entry: the seed's task 5.1 404 body, exactly."""
        response = och.value_statement_body(None)
        assert (response.status, response.body) == (
            404,
            {
                "value_statement": None,
                "message": "Value statement not found. Please complete profiler first.",
            },
        )


class TestRecommendations:
    def test_gaps_and_skills(self) -> None:
        """gaps carry category/type/score/priority; recommended_recipe_skills the library's skill codes."""
        body = och.profiler_recommendations_body(cases.recommendations(), session=cases.session_of("16")).body
        analysis = body["gaps_analysis"]
        assert isinstance(analysis, dict)
        gaps = analysis["gaps"]
        assert isinstance(gaps, list)
        assert [platform_keys(g, ["category", "type", "priority"]) for g in gaps if isinstance(g, dict)] == [
            {"category": "technical_exposure", "type": "technical", "priority": "medium"},
            {"category": "communication", "type": "behavioral", "priority": "medium"},
        ]
        assert [g.get("score") for g in gaps if isinstance(g, dict)] == [50.0, None]
        assert "score" not in gaps[1]  # type: ignore[operator]  # a behavioral gap has no score
        assert analysis["recommended_recipe_skills"] == ["TECH", "BASICS", "FUNDAMENTALS", "COMM"]
        assert (analysis["aptitude_score"], analysis["technical_exposure_score"]) == (40.0, 50.0)
        assert (body["total_gaps"], body["total_skills"]) == (2, 4)

    def test_recipe_item_as_the_list_serializer_renders_it(self) -> None:
        """Each recipe has RecipeListSerializer's keys, host row fields filled in, the ranking beside."""
        body = och.profiler_recommendations_body(cases.recommendations(), recipe_rows=cases.RECIPE_ROWS).body
        recipes = body["recommended_recipes"]
        assert isinstance(recipes, list)
        item = recipes[0]
        assert isinstance(item, dict)
        serializer_keys = [
            "id", "title", "slug", "description", "difficulty", "expected_duration_minutes", "track_code",
            "skill_code", "level", "source_type", "prerequisites", "tools_and_environment", "inputs", "steps",
            "tags", "validation_checks", "thumbnail_url", "usage_count", "avg_rating", "mentor_curated",
            "is_bookmarked", "user_status", "user_rating", "context_labels",
        ]  # fmt: skip
        assert platform_keys(item, serializer_keys) == {
            "id": cases.uid("recipe-siem"),
            "title": "SIEM rule writing basics",
            "slug": "siem-rule-writing-basics",
            "description": "Write your first detection rule.",
            "difficulty": "beginner",
            "expected_duration_minutes": 20,
            "track_code": "defender",
            "skill_code": "COMM",
            "level": "beginner",
            "source_type": "manual",
            "prerequisites": [],
            "tools_and_environment": ["splunk"],
            "inputs": [],
            "steps": [],
            "tags": ["COMM", "SIEM_RULE_WRITING", "splunk"],
            "validation_checks": [],
            "thumbnail_url": None,
            "usage_count": 120,
            "avg_rating": 4.5,
            "mentor_curated": False,
            "is_bookmarked": True,
            "user_status": "in_progress",
            "user_rating": None,
            "context_labels": ["Used in Mission"],
        }
        assert (item["rank"], item["addressed_codes"]) == (1, ["COMM"])

    def test_no_profile_status(self) -> None:
        """No completed session: profiler_status says not accessible, no gaps."""
        body = och.profiler_recommendations_body(cases.no_profile_recommendations()).body
        assert body["profiler_status"] == {
            "accessible": False,
            "session_id": None,
            "has_scores": False,
            "has_breakdown": False,
            "message": "No profiler session found",
            "status": "not_completed",
        }
        assert body["gaps_analysis"]["gaps"] == []  # type: ignore[call-overload,index]


class TestTalentMatches:
    def test_seed_body_without_a_profile(self) -> None:
        """Seed route, no completed profiler: matches empty, no recommended_track, no profiler_complete."""
        body = och.talent_matches_body(
            cases.talent_matches("99"), track_ids=cases.TRACK_IDS, route="seed"
        ).body
        assert platform_keys(body, ["matches"]) == {"matches": []}
        assert "recommended_track" not in body
        assert "profiler_complete" not in body

    def test_profiler_route_body(self) -> None:
        """The routed /talent-matches/profiler body: the track UUID, the session's scores, match items."""
        body = och.talent_matches_body(
            cases.talent_matches(), track_ids=cases.TRACK_IDS, session=cases.session_of("16")
        ).body
        assert platform_keys(
            body,
            [
                "recommended_track",
                "track_confidence",
                "aptitude_score",
                "difficulty_selection",
                "profiler_complete",
            ],
        ) == {
            "recommended_track": OFFENSIVE_ID,
            "track_confidence": 0.8,
            "aptitude_score": 40.0,
            "difficulty_selection": "intermediate",
            "profiler_complete": True,
        }
        matches = body["matches"]
        assert isinstance(matches, list)
        first = matches[0]
        assert isinstance(first, dict)
        assert (first["job_id"], first["job_title"]) == (cases.uid("job-soc"), "SOC Analyst")
        assert "skills_coverage" in first["match_reasons"]  # type: ignore[operator]


class TestCohortAnalytics:
    def test_open_cells_at_small_k(self) -> None:
        """At k=2 a lone cohort of 12 shows counts, statistics and the readiness map, platform names.

        Lone: in its enterprise the 2-learner sibling's cells need complements, which suppression@2
        may take from this cohort (see test_suppression.py); here nothing needs protecting.
        """
        body = och.cohort_analytics_body(cases.lone_cohort_report(k=2), track_ids=cases.TRACK_IDS).body
        assert platform_keys(
            body,
            [
                "cohort_id",
                "cohort_name",
                "total_students",
                "profiled_students",
                "profiled_percentage",
                "not_profiled_count",
                "readiness_distribution",
                "top_strengths",
            ],
        ) == {
            "cohort_id": cases.COHORT_ID,
            "cohort_name": "January Defenders",
            "total_students": 12,
            "profiled_students": 12,
            "profiled_percentage": 100.0,
            "not_profiled_count": 0,
            "readiness_distribution": {"novice": 0, "beginner": 4, "intermediate": 5, "advanced": 3},
            "top_strengths": [{"strength": "networking", "count": 12}],
        }
        statistics = body["score_statistics"]
        assert isinstance(statistics, dict)
        assert platform_keys(
            statistics,
            [
                "average_aptitude",
                "average_overall",
                "min_aptitude",
                "max_aptitude",
                "min_overall",
                "max_overall",
            ],
        ) == {
            "average_aptitude": 62.0,
            "average_overall": 67.0,
            # Order statistics on the default 5-point grid (docs/privacy.md): min rounds down, max up,
            # so the exact 84 and 89 are published as 85 and 90.
            "min_aptitude": 40.0,
            "max_aptitude": 85.0,
            "min_overall": 45.0,
            "max_overall": 90.0,
        }

    def test_small_cohort_is_suppressed(self) -> None:
        """A cohort of 2 under k=5: every count and statistic is {"suppressed": true}, never 0."""
        body = och.cohort_analytics_body(cases.cohort_report(cases.SMALL_COHORT_ID)).body
        assert body["total_students"] == SUPPRESSED
        assert body["profiled_students"] == SUPPRESSED
        statistics = body["score_statistics"]
        assert isinstance(statistics, dict)
        assert set(map(str, statistics.values())) == {str(SUPPRESSED)}

    @pytest.mark.parametrize("k", [2, 5])
    def test_no_per_student_lists(self, k: int) -> None:
        """students and not_profiled_students are never rendered."""
        body = och.cohort_analytics_body(cases.cohort_report(k=k)).body
        assert "students" not in body
        assert "not_profiled_students" not in body

    def test_track_distribution_keyed_by_track_uuid(self) -> None:
        """track_distribution keys are the host's track UUIDs; a key without one stays a key; no 'none'."""
        body = och.cohort_analytics_body(cases.cohort_report(k=2), track_ids=cases.TRACK_IDS).body
        distribution = body["track_distribution"]
        assert isinstance(distribution, dict)
        assert sorted(distribution) == sorted(
            [cases.TRACK_IDS["defender"], OFFENSIVE_ID, "innovation", "leadership", "grc"]
        )

    def test_denied(self) -> None:
        """A student asking for cohort analytics gets 403 with the library's denial body."""
        response = och.cohort_analytics_body(cases.cohort_report_denied())
        assert (response.status, response.body) == (403, DENIAL)


class TestEnterpriseAnalytics:
    def test_platform_keys(self) -> None:
        """sponsor_id, date_range, employees and a breakdown keyed by cohort name, the pilot suppressed."""
        body = och.enterprise_analytics_body(
            cases.enterprise_report(), sponsor_id="7", date_from="2026-10-01"
        ).body
        assert platform_keys(body, ["sponsor_id", "cohort_id", "date_range"]) == {
            "sponsor_id": "7",
            "cohort_id": None,
            "date_range": {"from": "2026-10-01", "to": None},
        }
        breakdown = body["cohort_breakdown"]
        assert isinstance(breakdown, dict)
        assert sorted(breakdown) == ["January Defenders", "Pilot"]
        pilot = breakdown["Pilot"]
        assert isinstance(pilot, dict)
        assert platform_keys(pilot, ["total", "profiled", "avg_aptitude", "avg_overall"]) == {
            "total": SUPPRESSED,
            "profiled": SUPPRESSED,
            "avg_aptitude": None,
            "avg_overall": SUPPRESSED,
        }
        assert "students" not in body
        assert "not_profiled_students" not in body

    def test_totals_at_small_k(self) -> None:
        """At k=1 (nothing suppressed) the 14 employees (12 + 2) are all profiled, in platform names."""
        body = och.enterprise_analytics_body(cases.enterprise_report(k=1)).body
        assert platform_keys(
            body, ["sponsor_id", "total_employees", "profiled_employees", "not_profiled_count"]
        ) == {
            "sponsor_id": cases.ENTERPRISE_ID,
            "total_employees": 14,
            "profiled_employees": 14,
            "not_profiled_count": 0,
        }


class TestMissions:
    def test_envelope_and_items(self) -> None:
        """The paging envelope over 5 eligible missions; items: competency_tags, int difficulty, null code."""
        body = och.student_missions_body(cases.missions(), page=1, page_size=2).body
        assert platform_keys(body, ["count", "total", "page", "page_size", "has_next", "has_previous"]) == {
            "count": 2,
            "total": 5,
            "page": 1,
            "page_size": 2,
            "has_next": True,
            "has_previous": False,
        }
        results_ = body["results"]
        assert isinstance(results_, list)
        item = results_[0]
        assert isinstance(item, dict)
        assert platform_keys(item, ["code", "difficulty", "competency_tags", "is_locked", "status"]) == {
            "code": None,
            "difficulty": 1,
            "competency_tags": ["log_parsing"],
            "is_locked": False,
            "status": "not_started",
        }

    def test_last_page(self) -> None:
        """Page 2 of size 3 holds the last 2 missions; has_previous true, has_next false."""
        body = och.student_missions_body(cases.missions(), page=2, page_size=3).body
        assert platform_keys(body, ["count", "total", "has_next", "has_previous"]) == {
            "count": 2,
            "total": 5,
            "has_next": False,
            "has_previous": True,
        }

    def test_empty_catalogue(self) -> None:
        """An empty catalogue is an empty first page with the library's empty reason beside."""
        body = och.student_missions_body(cases.missions(empty=True)).body
        assert platform_keys(body, ["results", "count", "total", "has_next", "has_previous"]) == {
            "results": [],
            "count": 0,
            "total": 0,
            "has_next": False,
            "has_previous": False,
        }
        assert body["empty_reason"] is not None

    def test_code_equal_to_id_is_null(self) -> None:
        """A mission code equal to its id renders null, as the platform's view does."""
        from profiler_core.och.bodies_missions import _mission_item  # noqa: PLC0415 - the one private rule

        mission: dict[str, JSON] = {
            "id": "m-1", "code": "m-1", "title": "t", "difficulty": 2, "track": None, "tier": None,
            "skills_tags": [], "subtasks": [], "recipe_recommendations": [],
        }  # fmt: skip
        assert _mission_item(mission, {})["code"] is None
        assert _mission_item({**mission, "code": "LOG-101"}, {})["code"] == "LOG-101"

    def test_bad_page_is_rejected(self) -> None:
        """page and page_size below 1 raise ValueError (the host answers 400)."""
        with pytest.raises(ValueError, match="at least 1"):
            och.student_missions_body(cases.missions(), page=0)

    def test_dashboard(self) -> None:
        """The dashboard splits admitted missions into available and in progress; next_mission is an id."""
        first = cases.uid("mission-1")
        body = och.missions_dashboard_body(cases.missions(), track="defender", in_progress=[first]).body
        in_progress = body["in_progress"]
        available = body["available_missions"]
        assert isinstance(in_progress, list)
        assert isinstance(available, list)
        assert [m["id"] for m in in_progress if isinstance(m, dict)] == [first]
        assert first not in [m["id"] for m in available if isinstance(m, dict)]
        assert len(available) == 4
        assert isinstance(body["next_mission"], str)
        assert body["locked_missions"] == []


class TestOneCodePath:
    def test_mentee_results_fields_are_the_library_json(self) -> None:
        """Fields both bodies carry hold the library JSON's values: the body adds keys, never recomputes."""
        outcome = cases.mentee_results(cases.ADMIN)
        library = unstructure_object(outcome)
        body = och.mentee_results_body(outcome, mentee=cases.MENTEE, track_ids=cases.TRACK_IDS).body
        shared = ["session_id", "completed_at", "is_locked", "scores", "strengths", "areas_for_growth"]
        shared += ["aptitude_breakdown", "difficulty_selection", "track_alignment_percentages", "reflection"]
        assert {k: body[k] for k in shared} == {k: library[k] for k in shared}

    def test_analytics_cells_are_the_report_json(self) -> None:
        """The cohort body's population cells are the report JSON's cells, suppressed or not."""
        for k in (2, 5):
            outcome = cases.cohort_report(k=k)
            population = unstructure_object(outcome)["population"]
            body = och.cohort_analytics_body(outcome).body
            assert isinstance(population, dict)
            assert [body["total_students"], body["profiled_students"], body["not_profiled_count"]] == [
                population["total"],
                population["profiled"],
                population["not_profiled"],
            ]
