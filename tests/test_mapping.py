"""Tests for profiler_core.mapping: the missions engine (SPEC §3)."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests import builders

from profiler_core import Mission, MissionDifficulty, MissionId, ProfilerSession, structure, unstructure
from profiler_core.errors import PolicyError
from profiler_core.mapping import (
    DEFAULT_DIFFICULTY_POLICY,
    EVIDENCE_CAPPED_POLICY,
    DifficultyPolicy,
    EligibleMissions,
    EvidenceFlag,
    eligible_missions,
    filter_missions_by_track,
    latest_completed_session,
    map_profiler_difficulty,
    mission_ceiling,
    mission_sort_key,
    session_id_order,
)
from profiler_core.testing import strategies as pst
from profiler_core.vocabulary import DifficultySelection, SessionStatus, TrackKey

T0 = datetime(2026, 3, 1, tzinfo=UTC)


def session(
    selection: DifficultySelection | None = None,
    *,
    aptitude: float | None = None,
    technical: float | None = None,
    status: SessionStatus = SessionStatus.FINISHED,
    sid: str = "s-1",
    minutes: int | None = 30,
    track: TrackKey | None = None,
) -> ProfilerSession:
    """The shared session builder, started at T0 and completed *minutes* later (None: not completed)."""
    return builders.session(
        sid,
        status=status,
        started_at=T0,
        completed_at=None if minutes is None else T0 + timedelta(minutes=minutes),
        selection=selection,
        aptitude=aptitude,
        technical=technical,
        track=track,
    )


def catalogue() -> list[Mission]:
    """Two active missions per level, one inactive mission per level, mixed tracks."""
    missions = []
    for level in MissionDifficulty:
        for k, track in enumerate((None, TrackKey.DEFENDER)):
            missions.append(
                Mission(
                    id=MissionId(f"m-{int(level)}-{k}"),
                    code=f"C{int(level)}{k}",
                    title="t",
                    difficulty=level,
                    track=track,
                )
            )
        missions.append(
            Mission(
                id=MissionId(f"m-{int(level)}-off"),
                code=f"X{int(level)}",
                title="t",
                difficulty=level,
                is_active=False,
            )
        )
    return missions


def levels(decision_session: ProfilerSession | None) -> set[int]:
    result = eligible_missions(catalogue(), mission_ceiling(decision_session))
    return {int(m.difficulty) for m in result.missions}


class TestMapProfilerDifficulty:
    @pytest.mark.parametrize(
        ("selection", "expected"),
        [
            ("novice", 1),
            ("beginner", 1),
            ("intermediate", 2),
            ("advanced", 3),
            ("elite", 4),
            (DifficultySelection.ELITE, 4),
            ("  Advanced ", 3),
            ("", 1),
            ("   ", 1),
            (None, 1),
            ("guru", 1),
            ("expert", 1),
        ],
    )
    def test_plain_table(self, selection: str | DifficultySelection | None, expected: int) -> None:
        """The plain table maps each selection, and anything else to 1."""
        assert map_profiler_difficulty(selection) == expected


class TestSeedAcceptanceCases:
    @pytest.mark.parametrize(
        ("learner_session", "expected_levels"),
        [
            (session(DifficultySelection.NOVICE), {1}),
            (session(DifficultySelection.INTERMEDIATE), {1, 2}),
            (session(DifficultySelection.ADVANCED), {1, 2, 3}),
            (session(DifficultySelection.ELITE, aptitude=60, technical=50), {1, 2, 3, 4}),
            (session(DifficultySelection.ELITE, aptitude=85, technical=70), {1, 2, 3, 4, 5}),
            (None, {1}),
        ],
        ids=["novice", "intermediate", "advanced", "elite", "elite-strong-evidence", "no-profiler"],
    )
    def test_levels_seen(self, learner_session: ProfilerSession | None, expected_levels: set[int]) -> None:
        """Each seed case sees exactly the mission levels the spec lists."""
        assert levels(learner_session) == expected_levels


class TestMissionCeiling:
    def test_no_session_is_default_with_reason(self) -> None:
        """No completed session gives ceiling 1 with reason no_completed_session."""
        decision = mission_ceiling(None)
        assert decision.ceiling == 1
        assert decision.reason_codes == ("no_completed_session",)
        assert decision.session_id is None
        assert decision.evidence is EvidenceFlag.UNKNOWN

    def test_incomplete_session_never_counts(self) -> None:
        """An in-progress session is treated as no session, whatever it selected."""
        decision = mission_ceiling(
            session(DifficultySelection.ELITE, status=SessionStatus.IN_PROGRESS, aptitude=99, technical=99)
        )
        assert decision.ceiling == 1
        assert decision.reason_codes == ("no_completed_session",)

    def test_missing_selection_is_explicit(self) -> None:
        """A completed session without a selection explains the default (defect 10.9)."""
        decision = mission_ceiling(session(None, technical=90))
        assert decision.ceiling == 1
        assert decision.reason_codes == ("selection_missing",)
        assert decision.session_id == "s-1"

    @pytest.mark.parametrize(
        ("aptitude", "technical", "ceiling", "code"),
        [
            (85, 70, 5, "elite_master_evidence"),
            (100, 100, 5, "elite_master_evidence"),
            (84.99, 90, 4, "elite_master_insufficient_evidence"),
            (90, 69.99, 4, "elite_master_insufficient_evidence"),
            (None, 90, 4, "elite_master_evidence_missing"),
            (90, None, 4, "elite_master_evidence_missing"),
        ],
    )
    def test_elite_reaches_master_on_evidence(
        self, aptitude: float | None, technical: float | None, ceiling: int, code: str
    ) -> None:
        """Elite maps to 5 only with aptitude >= 85 and technical exposure >= 70."""
        decision = mission_ceiling(session(DifficultySelection.ELITE, aptitude=aptitude, technical=technical))
        assert decision.ceiling == ceiling
        assert code in decision.reason_codes

    @pytest.mark.parametrize(
        ("selection", "technical", "flag"),
        [
            (DifficultySelection.NOVICE, 0, EvidenceFlag.CONSISTENT),
            (DifficultySelection.NOVICE, 39.9, EvidenceFlag.CONSISTENT),
            (DifficultySelection.NOVICE, 40, EvidenceFlag.UNDER_CONFIDENT),
            (DifficultySelection.INTERMEDIATE, 40, EvidenceFlag.CONSISTENT),
            (DifficultySelection.ADVANCED, 40, EvidenceFlag.CONSISTENT),
            (DifficultySelection.ADVANCED, 39.9, EvidenceFlag.OVER_CONFIDENT),
            (DifficultySelection.ELITE, 54.9, EvidenceFlag.OVER_CONFIDENT),
            (DifficultySelection.ELITE, 55, EvidenceFlag.CONSISTENT),
            (DifficultySelection.ELITE, None, EvidenceFlag.UNKNOWN),
        ],
    )
    def test_evidence_flag(
        self, selection: DifficultySelection, technical: float | None, flag: EvidenceFlag
    ) -> None:
        """Thresholds 0/20/40/55/70 give the evidenced selection; more than one step apart is flagged."""
        decision = mission_ceiling(session(selection, aptitude=50, technical=technical))
        assert decision.evidence is flag
        assert f"evidence_{flag.value}" in decision.reason_codes

    def test_default_policy_only_flags(self) -> None:
        """Over-confidence is flagged but the default policy keeps the selected ceiling."""
        decision = mission_ceiling(session(DifficultySelection.ADVANCED, technical=5))
        assert decision.evidence is EvidenceFlag.OVER_CONFIDENT
        assert decision.ceiling == 3
        assert str(decision.policy) == "difficulty@1"

    @pytest.mark.parametrize(
        ("selection", "technical", "expected"),
        [
            (DifficultySelection.ADVANCED, 5, 1),  # evidenced novice, +1 step tolerance = beginner -> 1
            (DifficultySelection.ELITE, 25, 2),  # evidenced beginner, +1 = intermediate -> 2
            (DifficultySelection.ELITE, 45, 3),  # evidenced intermediate, +1 = advanced -> 3
            (DifficultySelection.ELITE, 55, 4),  # evidenced advanced: within tolerance -> not capped
            (DifficultySelection.NOVICE, 100, 1),  # under-confident is never raised
        ],
    )
    def test_capping_policy_caps_by_evidence(
        self, selection: DifficultySelection, technical: float, expected: int
    ) -> None:
        """The named alternative policy lowers an over-confident ceiling to what evidence supports."""
        decision = mission_ceiling(
            session(selection, aptitude=50, technical=technical), policy=EVIDENCE_CAPPED_POLICY
        )
        assert decision.ceiling == expected
        assert str(decision.policy) == "difficulty-evidence-capped@1"
        assert ("evidence_capped" in decision.reason_codes) == (expected < map_profiler_difficulty(selection))

    def test_capping_without_lower_cap_adds_no_reason(self) -> None:
        """With zero tolerance, beginner over novice evidence is flagged but already at the cap."""
        strict = DifficultyPolicy(id="strict", tolerance_steps=0, cap_by_evidence=True)
        decision = mission_ceiling(session(DifficultySelection.BEGINNER, technical=0), policy=strict)
        assert decision.evidence is EvidenceFlag.OVER_CONFIDENT
        assert decision.ceiling == 1
        assert "evidence_capped" not in decision.reason_codes

    def test_policy_thresholds_validated(self) -> None:
        """A policy whose evidence thresholds do not rise from 0 is rejected."""
        with pytest.raises(PolicyError, match="evidence_thresholds"):
            DifficultyPolicy(evidence_thresholds=(0, 50, 40, 60, 70))
        with pytest.raises(PolicyError):
            DifficultyPolicy(evidence_thresholds=(0, 10))

    @given(pst.completed_sessions(), st.sampled_from([DEFAULT_DIFFICULTY_POLICY, EVIDENCE_CAPPED_POLICY]))
    def test_every_decision_has_a_reason_and_policy(
        self, s: ProfilerSession, policy: DifficultyPolicy
    ) -> None:
        """Every decision has a reason, names its policy, and its reasons account for the ceiling."""
        decision = mission_ceiling(s, policy=policy)
        assert decision.reasons
        assert decision.policy == policy.ref
        base = map_profiler_difficulty(s.difficulty_selection)
        if "elite_master_evidence" in decision.reason_codes:
            assert decision.ceiling == 5
        elif "evidence_capped" in decision.reason_codes:
            assert decision.ceiling < base
        else:
            assert decision.ceiling == base

    @given(
        st.none() | pst.scores(),
        st.none() | pst.scores(),
        st.sampled_from([DEFAULT_DIFFICULTY_POLICY, EVIDENCE_CAPPED_POLICY]),
    )
    def test_ceiling_monotonic_in_selection(
        self, aptitude: float | None, technical: float | None, policy: DifficultyPolicy
    ) -> None:
        """For fixed evidence, the ceiling never decreases as the selection rises."""
        ceilings = [
            mission_ceiling(session(sel, aptitude=aptitude, technical=technical), policy=policy).ceiling
            for sel in DifficultySelection
        ]
        assert ceilings == sorted(ceilings)

    @given(pst.scores(), pst.scores(), pst.scores(), pst.scores())
    def test_ceiling_monotonic_in_evidence(self, a1: float, a2: float, t1: float, t2: float) -> None:
        """More measured evidence never lowers the ceiling (under either policy)."""
        for policy in (DEFAULT_DIFFICULTY_POLICY, EVIDENCE_CAPPED_POLICY):
            for selection in DifficultySelection:
                low = mission_ceiling(
                    session(selection, aptitude=min(a1, a2), technical=min(t1, t2)), policy=policy
                )
                high = mission_ceiling(
                    session(selection, aptitude=max(a1, a2), technical=max(t1, t2)), policy=policy
                )
                assert low.ceiling <= high.ceiling


class TestLatestCompletedSession:
    def test_latest_by_completed_at(self) -> None:
        """The latest completed session wins over earlier ones and later incomplete ones."""
        early = session(DifficultySelection.NOVICE, sid="a", minutes=10)
        late = session(DifficultySelection.ADVANCED, sid="b", minutes=20, status=SessionStatus.LOCKED)
        newer_incomplete = session(
            DifficultySelection.ELITE, sid="c", minutes=None, status=SessionStatus.STARTED
        )
        assert latest_completed_session([late, newer_incomplete, early]) == late

    def test_ties_go_to_largest_id(self) -> None:
        """Equal completion times are broken by the larger session id."""
        first, second = session(sid="s-1", minutes=5), session(sid="s-2", minutes=5)
        assert latest_completed_session([second, first]) == second
        assert latest_completed_session([first, second]) == second

    def test_numeric_ids_tie_by_value(self) -> None:
        """Integer primary keys tie by value ("10" beats "9"), as the host's ORDER BY id does."""
        nine, ten = session(sid="9", minutes=5), session(sid="10", minutes=5)
        assert latest_completed_session([nine, ten]) == ten
        assert latest_completed_session([ten, nine]) == ten

    @pytest.mark.parametrize(
        ("ids", "expected"),
        [
            (["10", "9", "100"], ["9", "10", "100"]),
            (["s-10", "s-2"], ["s-10", "s-2"]),
            (["7", "abc"], ["abc", "7"]),
        ],
    )
    def test_session_id_order(self, ids: list[str], expected: list[str]) -> None:
        """All-digit ids order numerically and above text ids; text ids order as text."""
        assert sorted(ids, key=session_id_order) == expected

    def test_missing_completion_time_ranks_last(self) -> None:
        """A finished session without completed_at loses to any timestamped one."""
        stamped, unstamped = session(sid="a", minutes=1), session(sid="z", minutes=None)
        assert latest_completed_session([unstamped, stamped]) == stamped
        assert latest_completed_session([unstamped]) == unstamped

    def test_none_when_nothing_completed(self) -> None:
        """No completed session gives None."""
        assert latest_completed_session([session(status=SessionStatus.IN_PROGRESS)]) is None
        assert latest_completed_session([]) is None

    # Session ids are unique in every store; equal ids with equal times would have no order.
    @given(st.lists(pst.sessions(), max_size=8, unique_by=lambda s: s.id), st.randoms(use_true_random=False))
    def test_shuffling_never_changes_the_choice(
        self, sessions: list[ProfilerSession], rnd: random.Random
    ) -> None:
        """The chosen session, and so the decision, is independent of input order."""
        shuffled = list(sessions)
        rnd.shuffle(shuffled)
        assert latest_completed_session(shuffled) == latest_completed_session(sessions)
        assert mission_ceiling(latest_completed_session(shuffled)) == mission_ceiling(
            latest_completed_session(sessions)
        )

    @given(st.lists(pst.sessions(), max_size=8))
    def test_only_completed_sessions_count(self, sessions: list[ProfilerSession]) -> None:
        """Adding incomplete sessions never changes the choice; the choice is always completed."""
        chosen = latest_completed_session(sessions)
        assert chosen is None or chosen.is_completed
        assert latest_completed_session([s for s in sessions if s.is_completed]) == chosen


class TestEligibleMissions:
    def test_next_mission_is_derived_from_the_missions(self) -> None:
        """next_mission is not passed in: it is the first eligible mission (None when there is none)."""
        decision = mission_ceiling(session(DifficultySelection.ADVANCED))
        first, second = catalogue()[:2]
        assert (
            EligibleMissions(decision=decision, missions=(first, second), empty_reason=None).next_mission
            == first
        )
        assert EligibleMissions(decision=decision, missions=(), empty_reason=None).next_mission is None

    def test_body_keeps_next_mission_once_derived(self) -> None:
        """The JSON body still carries next_mission (the first mission), and reads back to the same value."""
        result = eligible_missions(catalogue(), mission_ceiling(session(DifficultySelection.ADVANCED)))
        body = json.loads(json.dumps(unstructure(result)))
        assert list(body) == ["decision", "missions", "next_mission", "empty_reason"]
        assert body["next_mission"]["code"] == "C10"
        assert body["next_mission"] == body["missions"][0]
        assert structure(body, EligibleMissions) == result

    def test_ordered_easiest_first_with_next(self) -> None:
        """Eligible missions are sorted by difficulty then code; the next is the easiest."""
        result = eligible_missions(
            reversed(catalogue()), mission_ceiling(session(DifficultySelection.ADVANCED))
        )
        assert [m.code for m in result.missions] == ["C10", "C11", "C20", "C21", "C30", "C31"]
        assert result.next_mission is not None
        assert result.next_mission.code == "C10"
        assert result.count == 6
        assert result.empty_reason is None

    def test_empty_is_typed_outcome(self) -> None:
        """No eligible mission is an outcome with a reason, not an exception."""
        only_hard = [m for m in catalogue() if m.difficulty == MissionDifficulty.MASTER]
        result = eligible_missions(only_hard, mission_ceiling(None))
        assert result.missions == ()
        assert result.next_mission is None
        assert result.empty_reason is not None
        assert result.empty_reason.code == "no_eligible_missions"

    # Mission ids are unique in a catalogue (the sort key ends with the id).
    @given(
        st.lists(pst.missions(), max_size=15, unique_by=lambda m: m.id),
        st.none() | pst.completed_sessions(),
        st.randoms(),
    )
    def test_never_exceed_ceiling_and_order_independent(
        self, missions: list[Mission], s: ProfilerSession | None, rnd: random.Random
    ) -> None:
        """Eligible missions are active, at or below the ceiling, and independent of input order."""
        decision = mission_ceiling(s)
        result = eligible_missions(missions, decision)
        assert all(m.is_active and m.difficulty <= decision.ceiling for m in result.missions)
        assert set(result.missions) == {
            m for m in missions if m.is_active and m.difficulty <= decision.ceiling
        }
        assert result.next_mission == (
            min(result.missions, key=mission_sort_key) if result.missions else None
        )
        shuffled = list(missions)
        rnd.shuffle(shuffled)
        assert eligible_missions(shuffled, decision) == result


class TestTrackFilter:
    def test_keeps_trackless_and_own_track(self) -> None:
        """The track filter keeps missions with no track or the learner's track."""
        kept = filter_missions_by_track(catalogue(), TrackKey.DEFENDER)
        assert {m.track for m in kept} == {None, TrackKey.DEFENDER}
        assert {m.track for m in filter_missions_by_track(catalogue(), TrackKey.GRC)} == {None}
        assert {m.track for m in filter_missions_by_track(catalogue(), None)} == {None}

    def test_composes_with_eligibility(self) -> None:
        """Filtering by track then by ceiling equals filtering by ceiling then by track."""
        decision = mission_ceiling(session(DifficultySelection.ELITE, aptitude=90, technical=90))
        a = eligible_missions(filter_missions_by_track(catalogue(), TrackKey.GRC), decision)
        b = filter_missions_by_track(eligible_missions(catalogue(), decision).missions, TrackKey.GRC)
        assert a.missions == b
