"""Tests for profiler_core.testing: the fakes honour the contracts the hosts must honour."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping, Sequence
from typing import Any

import pytest

from profiler_core import Mission, MissionId, ProfilerResult, ProfilerSession, SessionId, UserId
from profiler_core.mapping import latest_completed_session
from profiler_core.testing import FailingRepository, InMemoryMissionRepository, InMemorySessionRepository
from profiler_core.testing.contracts import (
    check_mission_repository,
    check_session_repository,
    contract_sessions,
)
from profiler_core.vocabulary import MissionDifficulty


class TestSessionContract:
    def test_fake_honours_contract(self) -> None:
        """The in-memory session repository passes the session contract."""
        check_session_repository(InMemorySessionRepository)

    def test_contract_catches_a_repository_that_ignores_completion(self) -> None:
        """A repository that returns the newest session whatever its status fails the contract."""

        class Newest(InMemorySessionRepository):
            def latest_completed_sessions(
                self, user_ids: Collection[UserId]
            ) -> Mapping[UserId, ProfilerSession]:
                out: dict[UserId, ProfilerSession] = {}
                for s in sorted(self.sessions, key=lambda s: s.id):
                    if s.user_id in user_ids:
                        out[s.user_id] = s
                return out

        with pytest.raises(AssertionError, match="latest_completed_sessions"):
            check_session_repository(Newest)

    def test_contract_catches_missing_results(self) -> None:
        """A repository that never finds result rows fails the contract."""

        class NoResults(InMemorySessionRepository):
            def results_for_sessions(
                self, session_ids: Collection[SessionId]
            ) -> Mapping[SessionId, ProfilerResult]:
                return {}

        with pytest.raises(AssertionError, match="results_for_sessions"):
            check_session_repository(NoResults)

    def test_add_stores_session_and_result(self) -> None:
        """InMemorySessionRepository.add stores both the session and its result."""
        sessions, results = contract_sessions()
        repo = InMemorySessionRepository()
        repo.add(sessions[1], results[0])
        repo.add(sessions[0])
        assert repo.latest_completed_sessions([UserId("u-retake")]) == {UserId("u-retake"): sessions[1]}
        assert repo.results_for_sessions([SessionId("s-2")]) == {SessionId("s-2"): results[0]}


class TestMissionContract:
    def test_fake_honours_contract(self) -> None:
        """The in-memory mission repository passes the mission contract."""
        check_mission_repository(InMemoryMissionRepository)

    def test_contract_catches_inactive_missions_listed(self) -> None:
        """A repository that lists inactive missions fails the contract."""

        class Leaky(InMemoryMissionRepository):
            def list_missions(
                self, *, max_difficulty: MissionDifficulty | None = None, active_only: bool = True
            ) -> Sequence[Mission]:
                return super().list_missions(max_difficulty=max_difficulty, active_only=False)

        with pytest.raises(AssertionError, match="list_missions"):
            check_mission_repository(Leaky)

    def test_contract_catches_wrong_lookup(self) -> None:
        """A repository whose missions_by_ids drops ids fails the contract."""

        class Forgetful(InMemoryMissionRepository):
            def missions_by_ids(self, ids: Collection[MissionId]) -> Mapping[MissionId, Mission]:
                return {}

        with pytest.raises(AssertionError, match="missions_by_ids"):
            check_mission_repository(Forgetful)


class TestFailingRepository:
    def test_every_method_raises(self) -> None:
        """FailingRepository raises its error from any method."""
        repo = FailingRepository(RuntimeError("down"))
        with pytest.raises(RuntimeError, match="down"):
            repo.latest_completed_sessions([])  # type: ignore[operator]  # dynamic stand-in

    def test_default_error_is_connection_error(self) -> None:
        """Without an explicit error, a ConnectionError is raised."""
        with pytest.raises(ConnectionError):
            FailingRepository().anything()  # type: ignore[operator]  # dynamic stand-in


class _RawKeys(InMemorySessionRepository):
    """An adapter that compares the ids it is asked for as they come (100 never equals "100")."""

    def latest_completed_sessions(self, user_ids: Collection[UserId]) -> Mapping[UserId, ProfilerSession]:
        found: dict[UserId, ProfilerSession] = {}
        for user in user_ids:
            latest = latest_completed_session(s for s in self.sessions if s.user_id == user)
            if latest is not None:
                found[user] = latest
        return found


class _IntKeyed(InMemorySessionRepository):
    """An adapter that answers keyed by the database's integer primary key instead of the canonical text."""

    def latest_completed_sessions(self, user_ids: Collection[UserId]) -> Mapping[UserId, ProfilerSession]:
        found = super().latest_completed_sessions(user_ids)
        return {int(k) if k.isdigit() else k: v for k, v in found.items()}  # type: ignore[misc]  # the bug


class TestIdFormsInContracts:
    """The contracts ask for every key in every form (int, UUID, upper-case text): same answer expected."""

    def test_fakes_answer_every_id_form_alike(self) -> None:
        """The in-memory fakes canonicalise the ids they are asked for and answer with canonical keys."""
        sessions, results = contract_sessions()
        repo = InMemorySessionRepository(sessions, results)
        numeric = next(s for s in sessions if s.user_id == "100")
        raw_keys: list[Any] = [100, "100"]
        assert repo.latest_completed_sessions(raw_keys) == {"100": numeric}
        key = next(s.user_id for s in sessions if len(s.user_id) == 36)
        as_uuid: list[Any] = [uuid.UUID(key)]
        assert repo.latest_completed_sessions(as_uuid) == repo.latest_completed_sessions(
            [UserId(key.upper())]
        )
        assert list(repo.latest_completed_sessions(as_uuid)) == [key]

    def test_contract_catches_an_adapter_that_compares_raw_ids(self) -> None:
        """An adapter that misses 100 when it stores "100" fails the session contract."""
        with pytest.raises(AssertionError, match=r"latest_completed_sessions\(\[100\]\) \(int\)"):
            check_session_repository(_RawKeys)

    def test_contract_catches_an_adapter_keyed_by_int(self) -> None:
        """An adapter that answers {100: ...} instead of {"100": ...} fails the session contract."""
        with pytest.raises(AssertionError, match=r"latest_completed_sessions\[100\]"):
            check_session_repository(_IntKeyed)
