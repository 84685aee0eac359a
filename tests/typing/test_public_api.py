"""Type-level tests: mypy checks this file; pytest imports it and finds nothing to run.

Each ``check_*`` function is never called. ``assert_type`` pins what a public
signature infers to; an assignment to a port pins that a fake satisfies it; a
``# type: ignore[code]`` pins that a misuse *is* flagged (mypy's
``warn_unused_ignores`` fails the run if the misuse ever type-checks).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import assert_type

import cattrs

import profiler_core
from profiler_core import (
    CategoryScore,
    InvalidPayloadError,
    Mission,
    MissionDifficulty,
    PolicyRef,
    Problem,
    ProfilerResult,
    ProfilerSession,
    Reason,
    Role,
    Scope,
    TrackKey,
    UserId,
    structure,
    unstructure,
)
from profiler_core.frozenmap import FrozenMap, freeze
from profiler_core.mapping import (
    CeilingDecision,
    EligibleMissions,
    eligible_missions,
    latest_completed_session,
    map_profiler_difficulty,
    mission_ceiling,
)
from profiler_core.models import SessionId, technical_exposure_percentage
from profiler_core.ports import MissionRepository, SessionRepository
from profiler_core.serialization import error_body, make_converter, parse_number, parse_timestamp
from profiler_core.services import LearnerMissions, missions_for_learner
from profiler_core.testing import InMemoryMissionRepository, InMemorySessionRepository
from profiler_core.vocabulary import (
    DifficultySelection,
    TrackParse,
    parse_difficulty_selection,
    parse_enum,
    parse_mission_difficulty,
    parse_role,
    parse_track,
    parse_track_lenient,
)

__all__: list[str] = []


def check_structure_infers_the_requested_type() -> None:
    """structure(data, T) is a T; unstructure is plain JSON data."""
    assert_type(structure({}, ProfilerSession), ProfilerSession)
    assert_type(structure({}, ProfilerResult), ProfilerResult)
    assert_type(structure({}, Mission), Mission)
    assert_type(profiler_core.structure({}, CategoryScore), CategoryScore)
    assert_type(unstructure(Reason(code="a", message="b")), profiler_core.JSON)
    assert_type(make_converter(), cattrs.Converter)
    assert_type(parse_number("85.50"), float)
    assert_type(parse_timestamp("2026-01-01T00:00:00Z"), datetime)


def check_errors_are_structured() -> None:
    """InvalidPayloadError exposes typed problems and a JSON body."""
    error = InvalidPayloadError([Problem(path="$", message="m")], type_name="Mission")
    assert_type(error.problems, tuple[Problem, ...])
    assert_type(error_body(error), dict[str, object])
    assert_type(error.type_name, str)


def check_vocabulary_parsers() -> None:
    """Strict parsers return the enum; lenient ones the outcome; blank selections None."""
    assert_type(parse_track("Red Team"), TrackKey)
    assert_type(parse_track_lenient("blue"), TrackParse)
    assert_type(parse_track_lenient(None).key, TrackKey | None)
    assert_type(parse_difficulty_selection(""), DifficultySelection | None)
    assert_type(parse_mission_difficulty("novice"), MissionDifficulty)
    assert_type(parse_role("mentor"), Role)
    assert_type(parse_enum(Scope, "org", field="scope"), Scope)
    assert_type(DifficultySelection.ELITE.rank, int)
    assert_type(MissionDifficulty.MASTER.label, str)


def check_values(session: ProfilerSession, result: ProfilerResult) -> None:
    """Value fields are typed as documented (ids are NewTypes; maps are FrozenMaps)."""
    assert_type(session.id, SessionId)
    assert_type(session.user_id, UserId)
    assert_type(session.technical_exposure_score, float | None)
    assert_type(session.track_alignment_percentages, FrozenMap[TrackKey, float])
    assert_type(session.strengths, tuple[str, ...])
    assert_type(result.aptitude_breakdown, FrozenMap[str, CategoryScore])
    assert_type(CategoryScore.from_counts(correct=1, total=2), CategoryScore)
    assert_type(CategoryScore(score=1.0).evidence, int | None)
    assert_type(technical_exposure_percentage(20, 10), float | None)
    assert_type(PolicyRef.parse("difficulty@1"), PolicyRef)
    assert_type(freeze({"networking": 40.0}), FrozenMap[str, float])


def check_values_are_frozen(session: ProfilerSession) -> None:
    """Assigning to a value, or building one without its required fields, is a type error."""
    session.aptitude_score = 10.0  # type: ignore[misc]
    ProfilerSession(id=SessionId("s-1"))  # type: ignore[call-arg]


def check_missions_engine(sessions: Sequence[ProfilerSession], missions: Sequence[Mission]) -> None:
    """The missions engine infers as documented."""
    assert_type(map_profiler_difficulty("novice"), MissionDifficulty)
    assert_type(map_profiler_difficulty(None), MissionDifficulty)
    assert_type(latest_completed_session(sessions), ProfilerSession | None)
    decision = mission_ceiling(latest_completed_session(sessions))
    assert_type(decision, CeilingDecision)
    assert_type(decision.ceiling, MissionDifficulty)
    assert_type(decision.reasons, tuple[Reason, ...])
    assert_type(decision.policy, PolicyRef)
    eligible = eligible_missions(missions, decision)
    assert_type(eligible, EligibleMissions)
    assert_type(eligible.next_mission, Mission | None)
    assert_type(eligible.missions, tuple[Mission, ...])


def check_fakes_satisfy_ports() -> None:
    """The in-memory fakes are structurally the ports services accept."""
    session_repository: SessionRepository = InMemorySessionRepository()
    mission_repository: MissionRepository = InMemoryMissionRepository()
    assert_type(
        session_repository.latest_completed_sessions([UserId("u-1")]), Mapping[UserId, ProfilerSession]
    )
    assert_type(mission_repository.list_missions(), Sequence[Mission])
    assert_type(
        missions_for_learner(UserId("u-1"), sessions=session_repository, missions=mission_repository),
        LearnerMissions,
    )


def check_ports_reject_non_implementations() -> None:
    """Something that is not a port implementation is refused where a port is expected."""
    _: SessionRepository = InMemoryMissionRepository()  # type: ignore[assignment]
