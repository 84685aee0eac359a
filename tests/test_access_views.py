"""Tests for profiler_core.access_views: the results and analytics views and their projections (SPEC §5)."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pytest
from attrs import evolve
from hypothesis import given
from hypothesis import strategies as st
from tests.access_builders import LEARNER, full_data

from profiler_core import BehavioralProfile, IdentityResponse, ProfilerSession, Reflection, SessionId, UserId
from profiler_core.access_views import (
    VIEW_FIELDS,
    AnalyticsView,
    AntiCheatView,
    LearnerProfilerData,
    ProfilerScores,
    ResultsProjection,
    ResultsView,
    ValueStatementView,
    project_results,
)
from profiler_core.errors import InvalidValueError
from profiler_core.serialization._bodies import _mentee_results_body as mentee_results_payload
from profiler_core.testing.strategies_access import learner_profiler_data
from profiler_core.vocabulary import DifficultySelection, SessionStatus, TrackKey, Visibility

# --- views ----------------------------------------------------------------------


MENTOR_KEYS = [
    "view",
    "mentee_id",
    "session_id",
    "completed_at",
    "is_locked",
    "scores",
    "recommended_track",
    "strengths",
    "areas_for_growth",
    "behavioral_profile",
    "aptitude_breakdown",
    "value_statement",
]
DIRECTOR_KEYS = [*MENTOR_KEYS, "difficulty_selection", "track_alignment_percentages"]
SELF_KEYS = [*DIRECTOR_KEYS, "reflection", "identity_responses"]
ADMIN_KEYS = [*SELF_KEYS, "anti_cheat"]


class TestProjection:
    @pytest.mark.parametrize(
        ("view", "keys"),
        [
            (ResultsView.MENTOR, MENTOR_KEYS),
            (ResultsView.DIRECTOR, DIRECTOR_KEYS),
            (ResultsView.SELF, SELF_KEYS),
            (ResultsView.ADMIN, ADMIN_KEYS),
        ],
    )
    def test_payload_keys_per_view(self, view: ResultsView, keys: list[str]) -> None:
        """Each view's payload has exactly its documented keys, in order."""
        payload = mentee_results_payload(project_results(full_data(), view))
        assert list(payload) == keys
        assert list(VIEW_FIELDS[view]) == keys

    @pytest.mark.parametrize(
        ("view", "visibility", "shown"),
        [
            (ResultsView.MENTOR, Visibility.PRIVATE, False),
            (ResultsView.MENTOR, Visibility.UNLISTED, True),
            (ResultsView.MENTOR, Visibility.PUBLIC, True),
            (ResultsView.DIRECTOR, Visibility.PRIVATE, False),
            (ResultsView.DIRECTOR, Visibility.PUBLIC, True),
            (ResultsView.SELF, Visibility.PRIVATE, True),
            (ResultsView.ADMIN, Visibility.PRIVATE, True),
        ],
    )
    def test_value_statement_visibility(self, view: ResultsView, visibility: Visibility, shown: bool) -> None:
        """A private statement reaches only the learner and admins; a visible one reaches mentors too."""
        payload = mentee_results_payload(project_results(full_data(visibility), view))
        assert (payload["value_statement"] is not None) == shown

    def test_admin_view_adds_anti_cheat_and_self_data(self) -> None:
        """The admin payload carries anti-cheat, reflection, identity, selection and alignment."""
        payload = mentee_results_payload(project_results(full_data(), ResultsView.ADMIN))
        assert payload["anti_cheat"] == {"score": 12.0, "flags": ["tab_switch"]}
        assert payload["reflection"] == {"why_cyber": "I like puzzles", "what_achieve": "Lead a SOC"}
        assert payload["identity_responses"] == [{"question_id": "q-1", "text": "integrity"}]
        assert payload["difficulty_selection"] == "advanced"
        assert payload["track_alignment_percentages"] == {"defender": 80.0, "grc": 35.0}

    def test_fallbacks_between_session_and_result(self) -> None:
        """Missing session data falls back to the result, missing growth areas to the profile."""
        data = full_data()
        session = evolve(
            data.session, aptitude_score=None, strengths=(), behavioral_profile=BehavioralProfile()
        )
        projection = project_results(evolve(data, session=session), ResultsView.MENTOR)
        assert projection.scores.aptitude == 70.0
        assert projection.strengths == ("cloud",)
        assert projection.behavioral_profile == BehavioralProfile(traits={"teamwork": 4.2})
        no_result = project_results(LearnerProfilerData(session=data.session), ResultsView.MENTOR)
        assert no_result.scores == ProfilerScores(aptitude=72.5, technical_exposure=40.0)
        assert no_result.areas_for_growth == ("Improve documentation skills",)
        assert no_result.aptitude_breakdown == {}
        assert mentee_results_payload(no_result)["value_statement"] is None

    def test_empty_session_fields_render_as_null(self) -> None:
        """Unset optional fields render as null, never as invented values."""
        bare = ProfilerSession(id=SessionId("s-9"), user_id=LEARNER, status=SessionStatus.FINISHED)
        payload = mentee_results_payload(
            project_results(LearnerProfilerData(session=bare), ResultsView.ADMIN)
        )
        assert payload["completed_at"] is None
        assert payload["is_locked"] is False
        assert payload["recommended_track"] == {"track_key": None, "confidence": None}
        assert payload["difficulty_selection"] is None
        assert payload["anti_cheat"] == {"score": None, "flags": []}

    def test_none_view_projects_nothing(self) -> None:
        """Projecting for the none view is a programming error."""
        with pytest.raises(InvalidValueError, match="view"):
            project_results(full_data(), ResultsView.NONE)

    @pytest.mark.parametrize(
        ("widen", "field_name"),
        [
            (lambda p: evolve(p, anti_cheat=AntiCheatView(score=1.0, flags=("x",))), "anti_cheat"),
            (lambda p: evolve(p, reflection=Reflection(why_cyber="x")), "reflection"),
            (
                lambda p: evolve(p, identity_responses=(IdentityResponse(question_id="q", text="t"),)),
                "identity_responses",
            ),
            (lambda p: evolve(p, difficulty_selection=DifficultySelection.ELITE), "difficulty_selection"),
            (
                lambda p: evolve(p, track_alignment_percentages={TrackKey.GRC: 1.0}),
                "track_alignment_percentages",
            ),
            (
                lambda p: evolve(
                    p,
                    value_statement=ValueStatementView(
                        entry_id=None, title="t", summary="s", visibility=Visibility.PRIVATE
                    ),
                ),
                "value_statement",
            ),
        ],
        ids=["anti_cheat", "reflection", "identity", "selection", "alignment", "private-statement"],
    )
    def test_mentor_projection_cannot_hold_more(
        self, widen: Callable[[ResultsProjection], ResultsProjection], field_name: str
    ) -> None:
        """A mentor projection holding data beyond the mentor view cannot be built."""
        mentor = project_results(full_data(), ResultsView.MENTOR)
        with pytest.raises(InvalidValueError, match=field_name):
            widen(mentor)

    def test_projection_for_none_view_cannot_be_built(self) -> None:
        """A projection whose view is none cannot be built."""
        with pytest.raises(InvalidValueError, match="view"):
            evolve(project_results(full_data(), ResultsView.MENTOR), view=ResultsView.NONE)

    def test_data_must_belong_together(self) -> None:
        """LearnerProfilerData rejects a result of another session and a statement of another learner."""
        data = full_data()
        assert data.learner_id == LEARNER
        assert data.result is not None
        assert data.value_statement is not None
        with pytest.raises(InvalidValueError, match="result"):
            evolve(data, result=evolve(data.result, session_id=SessionId("s-other")))
        with pytest.raises(InvalidValueError, match="value_statement"):
            evolve(data, value_statement=evolve(data.value_statement, user_id=UserId("u-other")))
        assert evolve(data, result=evolve(data.result, session_id=None)).result is not None


class TestDecisionValues:
    def test_views_are_ordered(self) -> None:
        """Views rise none < mentor < director < self < admin and none < sponsor < director < admin."""
        assert [v.rank for v in ResultsView] == [0, 1, 2, 3, 4]
        assert [v.value for v in sorted(ResultsView, key=lambda v: v.rank)] == [
            "none",
            "mentor",
            "director",
            "self",
            "admin",
        ]
        assert [v.value for v in sorted(AnalyticsView, key=lambda v: v.rank)] == [
            "none",
            "sponsor",
            "director",
            "admin",
        ]


class TestLaws:
    @given(
        learner_profiler_data(), st.sampled_from([ResultsView.MENTOR, ResultsView.DIRECTOR, ResultsView.SELF])
    )
    def test_only_admin_sees_anti_cheat(self, data: LearnerProfilerData, view: ResultsView) -> None:
        """Below admin, neither the projection nor the payload holds any anti-cheat field."""
        projection = project_results(data, view)
        payload = mentee_results_payload(projection)
        assert projection.anti_cheat is None
        assert not [key for key in _all_keys(payload) if "anti_cheat" in key or "cheat" in key]

    @given(learner_profiler_data(), st.sampled_from([ResultsView.MENTOR, ResultsView.DIRECTOR]))
    def test_private_statement_never_reaches_a_mentor(
        self, data: LearnerProfilerData, view: ResultsView
    ) -> None:
        """A private value statement is absent from mentor and director payloads; a visible one is present."""
        payload = mentee_results_payload(project_results(data, view))
        statement = data.value_statement
        visible = statement is not None and statement.visibility is not Visibility.PRIVATE
        assert (payload["value_statement"] is not None) == visible

    @given(learner_profiler_data())
    def test_views_nest(self, data: LearnerProfilerData) -> None:
        """A wider view's payload holds every key of a narrower one, same value (statement aside)."""
        payloads = [mentee_results_payload(project_results(data, v)) for v in list(ResultsView)[1:]]
        for narrow, wide in itertools.pairwise(payloads):
            for key, value in narrow.items():
                if key not in ("view", "value_statement"):
                    assert wide[key] == value


def _all_keys(value: object) -> list[str]:
    if isinstance(value, dict):
        return [str(k) for k in value] + [k for v in value.values() for k in _all_keys(v)]
    if isinstance(value, list):
        return [k for v in value for k in _all_keys(v)]
    return []
