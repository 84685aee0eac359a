"""A mission's or cohort's track text that is not a track is reported where the track would have been used.

SPEC §2 (issue 13 follow-up): the kept label plays no part in the rule, and the decision the rule
feeds says so with a reason (``mission_track_unknown``, ``cohort_track_unknown``).
"""

from __future__ import annotations

from datetime import UTC, datetime

from profiler_core import (
    Cohort,
    DifficultySelection,
    EligibleMissions,
    Mission,
    MissionDifficulty,
    Principal,
    ProfilerSession,
    RoleGrant,
    SessionStatus,
    TrackKey,
    decide_cohort_analytics_access,
    eligible_missions,
    filter_missions_by_track,
    mission_ceiling,
    mission_track_reasons,
    structure,
    unstructure_object,
)
from profiler_core.services import missions_for_learner
from profiler_core.testing import InMemoryMissionRepository, InMemorySessionRepository
from profiler_core.vocabulary import Role, Scope

NOW = datetime(2026, 3, 1, tzinfo=UTC)
FEB = Mission(id="m-feb", code="FEB-1", title="Feb", difficulty=MissionDifficulty.BEGINNER, track_label="Feb")
GRC = Mission(
    id="m-grc", code="GRC-1", title="GRC", difficulty=MissionDifficulty.BEGINNER, track=TrackKey.GRC
)
PLAIN = Mission(id="m-any", code="ANY-1", title="Any", difficulty=MissionDifficulty.BEGINNER)
SESSION = ProfilerSession(
    id="s-1",
    user_id="u-1",
    status=SessionStatus.FINISHED,
    started_at=datetime(2026, 1, 1, tzinfo=UTC),
    completed_at=datetime(2026, 1, 2, tzinfo=UTC),
    difficulty_selection=DifficultySelection.NOVICE,
    recommended_track=TrackKey.DEFENDER,
)


class TestMissionTrackUnknown:
    def test_one_reason_per_labelled_mission(self) -> None:
        """mission_track_reasons names each mission holding a track label, and no other."""
        reasons = mission_track_reasons([PLAIN, FEB, GRC])
        assert [r.code for r in reasons] == ["mission_track_unknown"]
        assert "FEB-1" in reasons[0].message
        assert "'Feb'" in reasons[0].message

    def test_label_plays_no_part_in_the_filter(self) -> None:
        """A labelled mission passes the track filter as a mission with no track, for any track."""
        assert filter_missions_by_track([FEB, GRC], TrackKey.DEFENDER) == (FEB,)
        assert filter_missions_by_track([FEB, GRC], None) == (FEB,)

    def test_service_reports_it_when_filtering(self) -> None:
        """missions_for_learner with the track filter carries mission_track_unknown; without it, none."""
        sessions = InMemorySessionRepository([SESSION])
        catalogue = InMemoryMissionRepository([FEB, GRC, PLAIN])
        filtered = missions_for_learner("u-1", sessions=sessions, missions=catalogue, filter_by_track=True)
        assert [m.id for m in filtered.result.missions] == ["m-any", "m-feb"]
        assert [r.code for r in filtered.result.reasons] == ["mission_track_unknown"]
        unfiltered = missions_for_learner("u-1", sessions=sessions, missions=catalogue)
        assert unfiltered.result.reasons == ()

    def test_json_key_only_when_non_empty(self) -> None:
        """EligibleMissions JSON: no reasons key without reasons; with them the key is there, reads back."""
        plain = eligible_missions([PLAIN], mission_ceiling(None))
        assert "reasons" not in unstructure_object(plain)
        noted = EligibleMissions(
            decision=plain.decision, missions=(FEB,), empty_reason=None, reasons=mission_track_reasons([FEB])
        )
        data = unstructure_object(noted)
        assert data["reasons"] == [
            {"code": "mission_track_unknown", "message": mission_track_reasons([FEB])[0].message}
        ]
        assert structure(data, EligibleMissions) == noted


class TestCohortTrackUnknown:
    def test_track_director_denied_with_the_reason(self) -> None:
        """A track director and a cohort whose track is "Feb": denied, reasons name cohort_track_unknown."""
        cohort = Cohort(id="c-1", name="Feb cohort", track_label="Feb")
        director = Principal(
            user_id="d-1",
            roles=(RoleGrant(role=Role.PROGRAM_DIRECTOR, scope=Scope.TRACK, scope_ref="defender"),),
        )
        decision = decide_cohort_analytics_access(director, cohort, now=NOW)
        assert not decision.allowed
        assert "cohort_track_unknown" in [r.code for r in decision.reasons]

    def test_no_reason_for_other_scopes_or_real_tracks(self) -> None:
        """A cohort-scoped director, or a cohort with a real track, gets no cohort_track_unknown."""
        labelled = Cohort(id="c-1", name="Feb cohort", track_label="Feb")
        tracked = Cohort(id="c-2", name="GRC cohort", track=TrackKey.GRC)
        by_cohort = Principal(
            user_id="d-1", roles=(RoleGrant(role=Role.PROGRAM_DIRECTOR, scope=Scope.COHORT, scope_ref="c-9"),)
        )
        by_track = Principal(
            user_id="d-2",
            roles=(RoleGrant(role=Role.PROGRAM_DIRECTOR, scope=Scope.TRACK, scope_ref="defender"),),
        )
        codes = [
            r.code
            for viewer, cohort in ((by_cohort, labelled), (by_track, tracked))
            for r in decide_cohort_analytics_access(viewer, cohort, now=NOW).reasons
        ]
        assert "cohort_track_unknown" not in codes
