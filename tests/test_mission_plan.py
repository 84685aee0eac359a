"""The mission plan (issue 18): progress values, the learned ceiling, the plan, their laws."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from hypothesis import given
from hypothesis import strategies as st

from profiler_core import (
    DIFFICULTY_EVIDENCE_POLICY,
    CeilingDecision,
    DifficultyEvidencePolicy,
    Mission,
    MissionAssignmentRecord,
    MissionAssignmentStatus,
    MissionDifficulty,
    MissionPlan,
    MissionPlanPolicy,
    MissionProgress,
    MissionSubmission,
    MissionSubmissionStatus,
    PolicyError,
    ProfilerSession,
    TrackKey,
    learned_ceiling,
    mission_ceiling,
    plan_missions,
    structure,
    unstructure,
)
from profiler_core.decisions import Reason
from profiler_core.mapping import default_ceiling
from profiler_core.mission_plan import LearnedCeiling
from profiler_core.testing.strategies import sessions

L = "16"


def _catalogue() -> list[Mission]:
    """Three missions per level: general, defender, offensive (ids m<level><k>)."""
    return [
        Mission(
            id=f"m{level}{k}",
            code=f"M{level}{k}",
            title="t",
            difficulty=MissionDifficulty(level),
            track=track,
        )
        for level in range(1, 6)
        for k, track in enumerate((None, TrackKey.DEFENDER, TrackKey.OFFENSIVE))
    ]


def _ceiling(level: int) -> CeilingDecision:
    decision = default_ceiling(Reason(code="selection_mapped", message="test"))
    return CeilingDecision(
        ceiling=MissionDifficulty(level),
        selection=decision.selection,
        session_id="1",
        reasons=decision.reasons,
        evidence=decision.evidence,
        policy=decision.policy,
    )


def _passed(mission: str, score: float = 85.0, sid: str | None = None) -> MissionSubmission:
    return MissionSubmission(
        id=sid or f"s-{mission}-{score:g}",
        mission_id=mission,
        learner_id=L,
        status=MissionSubmissionStatus.APPROVED,
        score=score,
    )


def _scored(mission: str, score: float, sid: str | None = None) -> MissionSubmission:
    status = MissionSubmissionStatus.APPROVED if score >= 50 else MissionSubmissionStatus.REJECTED
    return MissionSubmission(
        id=sid or f"s-{mission}-{score:g}", mission_id=mission, learner_id=L, status=status, score=score
    )


def _ids(plan: MissionPlan) -> list[str]:
    return [p.mission.id for p in plan.missions]


class TestMissionProgress:
    def test_completed_is_a_completed_assignment_or_an_approved_submission(self) -> None:
        """A mission is completed by an assignment 'completed' or an 'approved' submission, nothing else."""
        progress = MissionProgress(
            learner_id=L,
            assignments=[
                MissionAssignmentRecord(
                    id="a1", mission_id="m11", learner_id=L, status=MissionAssignmentStatus.COMPLETED
                ),
                MissionAssignmentRecord(
                    id="a2", mission_id="m12", learner_id=L, status=MissionAssignmentStatus.FAILED
                ),
                MissionAssignmentRecord(
                    id="a3", mission_id="m13", learner_id=L, status=MissionAssignmentStatus.IN_PROGRESS
                ),
            ],
            submissions=[
                _passed("m21"),
                MissionSubmission(
                    id="s9", mission_id="m22", learner_id=L, status=MissionSubmissionStatus.REJECTED, score=30
                ),
                MissionSubmission(
                    id="s8", mission_id="m23", learner_id=L, status=MissionSubmissionStatus.UNDER_REVIEW
                ),
            ],
        )
        assert progress.completed == {"m11", "m21"}
        assert progress.open_assignments == {"m13"}
        assert progress.awaiting_review == {"m23"}

    def test_demonstrated_level_is_the_hardest_completed(self) -> None:
        """The demonstrated level is the highest difficulty among completed missions; None with none."""
        missions = {m.id: m for m in _catalogue()}
        assert MissionProgress.empty(L).demonstrated_level(missions) is None
        progress = MissionProgress(learner_id=L, submissions=[_passed("m11"), _passed("m30"), _passed("m20")])
        assert progress.demonstrated_level(missions) is MissionDifficulty.ADVANCED

    def test_best_scores_name_every_submission_at_the_best(self) -> None:
        """Each mission counts by its best score, with the ids of the submissions that reached it."""
        progress = MissionProgress(
            learner_id=L,
            submissions=[_scored("m11", 40, "a"), _scored("m11", 90, "c"), _scored("m11", 90, "b")],
        )
        assert progress.best_scores() == {"m11": (90.0, ("b", "c"))}

    @pytest.mark.parametrize("score", [-0.5, 100.5])
    def test_score_is_0_to_100(self, score: float) -> None:
        """A submission score outside 0..100 is refused at construction."""
        with pytest.raises(ValueError, match="score"):
            MissionSubmission(id="s", mission_id="m", learner_id=L, score=score)

    def test_platform_json_round_trips(self) -> None:
        """The platform's status strings and Decimal-like score text read; structure(unstructure(x)) == x."""
        progress = structure(
            {
                "learner_id": 16,
                "assignments": [{"id": "a", "mission_id": "m11", "learner_id": 16, "status": "in_progress"}],
                "submissions": [
                    {
                        "id": "s",
                        "mission_id": "m11",
                        "learner_id": "16",
                        "status": "needs_revision",
                        "score": "49.50",
                    }
                ],
                "points": 40,
            },
            MissionProgress,
        )
        assert progress.assignments[0].status is MissionAssignmentStatus.IN_PROGRESS
        assert progress.submissions[0].score == 49.5
        assert structure(unstructure(progress), MissionProgress) == progress


class TestLearnedCeiling:
    def test_default_is_the_profiler_ceiling_alone(self) -> None:
        """Without a policy strong submissions change nothing: the ceiling is the profiler's."""
        missions = {m.id: m for m in _catalogue()}
        progress = MissionProgress(learner_id=L, submissions=[_passed("m20", 95), _passed("m21", 95)])
        learned = learned_ceiling(_ceiling(2), progress, missions)
        assert learned.ceiling is MissionDifficulty.INTERMEDIATE
        assert learned.reasons == ()
        assert learned.policy is None
        assert learned.suggested_step is None

    @given(sessions())
    def test_default_equals_mission_ceiling(self, session: ProfilerSession) -> None:
        """Property: under the default (no evidence policy) the ceiling is exactly today's mission_ceiling."""
        decision = mission_ceiling(session)
        progress = MissionProgress(learner_id=L, submissions=[_passed(m.id, 99) for m in _catalogue()])
        assert (
            learned_ceiling(decision, progress, {m.id: m for m in _catalogue()}).ceiling == decision.ceiling
        )

    def test_two_strong_at_the_ceiling_raise_it_naming_the_submissions(self) -> None:
        """Two missions at the ceiling scored >= 80 raise it one level; the reason names both submissions."""
        missions = {m.id: m for m in _catalogue()}
        progress = MissionProgress(
            learner_id=L, submissions=[_passed("m20", 80, "s-a"), _passed("m21", 92, "s-b")]
        )
        learned = learned_ceiling(_ceiling(2), progress, missions, policy=DIFFICULTY_EVIDENCE_POLICY)
        assert learned.ceiling is MissionDifficulty.ADVANCED
        assert learned.submission_ids == ("s-a", "s-b")
        assert learned.reason_codes == ("ceiling_raised_by_evidence",)
        assert "s-a, s-b" in learned.reasons[0].message
        assert str(learned.policy) == "difficulty-evidence@1"

    @pytest.mark.parametrize(
        ("subs", "expected"),
        [
            ([("m20", 95)], 2),  # one strong mission is not enough
            ([("m20", 79.99), ("m21", 95)], 2),  # 79.99 is below 80
            ([("m20", 95), ("m20", 96)], 2),  # the same mission twice counts once
            ([("m10", 95), ("m11", 95)], 2),  # below the ceiling does not count
            ([("m20", 80), ("m21", 80)], 3),
        ],
    )
    def test_raise_table(self, subs: list[tuple[str, float]], expected: int) -> None:
        """Known cases of the raise rule: distinct missions, at the ceiling, each scored >= 80."""
        missions = {m.id: m for m in _catalogue()}
        progress = MissionProgress(
            learner_id=L, submissions=[_scored(m, s, f"s{i}") for i, (m, s) in enumerate(subs)]
        )
        assert (
            int(learned_ceiling(_ceiling(2), progress, missions, policy=DIFFICULTY_EVIDENCE_POLICY).ceiling)
            == expected
        )

    def test_master_is_the_top(self) -> None:
        """At Master strong evidence raises nothing."""
        missions = {m.id: m for m in _catalogue()}
        progress = MissionProgress(learner_id=L, submissions=[_passed("m50", 99), _passed("m51", 99)])
        learned = learned_ceiling(_ceiling(5), progress, missions, policy=DIFFICULTY_EVIDENCE_POLICY)
        assert learned.ceiling is MissionDifficulty.MASTER

    def test_two_failures_lower_the_step_never_the_ceiling(self) -> None:
        """Two missions at the ceiling best-scored below 50 lower the suggested step; the ceiling stays."""
        missions = {m.id: m for m in _catalogue()}
        progress = MissionProgress(
            learner_id=L, submissions=[_scored("m30", 30, "f1"), _scored("m31", 49.9, "f2")]
        )
        learned = learned_ceiling(_ceiling(3), progress, missions, policy=DIFFICULTY_EVIDENCE_POLICY)
        assert learned.ceiling is MissionDifficulty.ADVANCED
        assert learned.suggested_step is MissionDifficulty.INTERMEDIATE
        assert learned.submission_ids == ("f1", "f2")
        plan = plan_missions(
            _catalogue(), learned, MissionProgress(learner_id=L, submissions=progress.submissions)
        )
        assert plan.target_step is MissionDifficulty.INTERMEDIATE

    def test_a_later_pass_cancels_a_failure(self) -> None:
        """A mission counts by its best score: failed then passed at 85 is not a failure."""
        missions = {m.id: m for m in _catalogue()}
        progress = MissionProgress(
            learner_id=L,
            submissions=[_scored("m30", 30, "f1"), _scored("m30", 85, "p1"), _scored("m31", 20, "f2")],
        )
        learned = learned_ceiling(_ceiling(3), progress, missions, policy=DIFFICULTY_EVIDENCE_POLICY)
        assert learned.suggested_step is None
        assert learned.reason_codes == ("ceiling_unchanged_by_evidence",)

    def test_rules_are_data(self) -> None:
        """A policy version with other figures decides by them; impossible figures are refused."""
        missions = {m.id: m for m in _catalogue()}
        strict = DifficultyEvidencePolicy(version=2, raise_count=3, raise_min_score=90)
        progress = MissionProgress(learner_id=L, submissions=[_passed("m20", 95), _passed("m21", 95)])
        assert (
            learned_ceiling(_ceiling(2), progress, missions, policy=strict).ceiling
            is MissionDifficulty.INTERMEDIATE
        )
        with pytest.raises(PolicyError):
            DifficultyEvidencePolicy(fail_below=90, raise_min_score=80)
        with pytest.raises(PolicyError):
            DifficultyEvidencePolicy(raise_min_score=100.5)
        with pytest.raises(PolicyError):
            DifficultyEvidencePolicy(fail_below=float("nan"))
        with pytest.raises(PolicyError):
            MissionPlanPolicy(plan_size=0)

    @given(
        st.integers(1, 5),
        st.lists(st.tuples(st.sampled_from([m.id for m in _catalogue()]), st.floats(0, 100)), max_size=12),
        st.lists(st.tuples(st.sampled_from([m.id for m in _catalogue()]), st.floats(0, 100)), max_size=6),
    )
    def test_monotone_and_never_below_base(
        self, base: int, subs: list[tuple[str, float]], more: list[tuple[str, float]]
    ) -> None:
        """Property: more (or better) submissions never lower the ceiling; it is never below the base."""
        missions = {m.id: m for m in _catalogue()}
        before = MissionProgress(
            learner_id=L, submissions=[_scored(m, s, f"a{i}") for i, (m, s) in enumerate(subs)]
        )
        after = MissionProgress(
            learner_id=L,
            submissions=[*before.submissions, *(_scored(m, s, f"b{i}") for i, (m, s) in enumerate(more))],
        )
        first = learned_ceiling(_ceiling(base), before, missions, policy=DIFFICULTY_EVIDENCE_POLICY)
        second = learned_ceiling(_ceiling(base), after, missions, policy=DIFFICULTY_EVIDENCE_POLICY)
        assert first.ceiling >= base
        assert second.ceiling >= base
        assert second.ceiling >= first.ceiling
        changed = first.ceiling != base or first.suggested_step is not None
        assert bool(first.submission_ids) == changed


class TestPlan:
    def test_climbs_from_the_demonstrated_level(self) -> None:
        """Passed level 2 under ceiling 4: the plan aims at level 3, not level 1."""
        progress = MissionProgress(learner_id=L, submissions=[_passed("m10"), _passed("m20")])
        plan = plan_missions(_catalogue(), _ceiling(4), progress)
        assert plan.demonstrated is MissionDifficulty.INTERMEDIATE
        assert plan.target_step is MissionDifficulty.ADVANCED
        assert _ids(plan) == ["m30", "m40"]  # general only (no track); m10, m20 done

    def test_a_new_learner_starts_one_below_the_ceiling(self) -> None:
        """Nothing passed: the target is one level below the ceiling (elite 4 starts at 3, novice at 1)."""
        empty = MissionProgress.empty(L)
        assert _ids(plan_missions(_catalogue(), _ceiling(4), empty))[0] == "m30"
        assert _ids(plan_missions(_catalogue(), _ceiling(1), empty)) == ["m10"]

    def test_assigned_first_then_own_track_then_general(self) -> None:
        """An assigned mission leads; then the learner's track before general missions."""
        progress = MissionProgress(
            learner_id=L, assignments=[MissionAssignmentRecord(id="a", mission_id="m12", learner_id=L)]
        )
        plan = plan_missions(_catalogue(), _ceiling(3), progress, track=TrackKey.DEFENDER)
        assert _ids(plan) == ["m12", "m21", "m11"]
        assert plan.missions[0].reason_codes[0] == "mission_assigned"
        assert plan.missions[1].reason_codes == ("own_track", "at_target_step")
        assert plan.missions[0].reason_codes[1] == "assigned_other_track"  # m12 is offensive
        assert all(m.mission.track in (None, TrackKey.DEFENDER) for m in plan.missions[1:])
        unassigned = plan_missions(
            _catalogue(), _ceiling(3), MissionProgress.empty(L), track=TrackKey.DEFENDER
        )
        assert "m12" not in _ids(unassigned)

    def test_a_free_label_track_is_general_with_its_reason(self) -> None:
        """A mission whose track text is not a track is planned as general; the plan says so once."""
        feb = Mission(id="f1", code="F1", title="t", difficulty=MissionDifficulty.BEGINNER, track_label="Feb")
        plan = plan_missions([feb], _ceiling(1), MissionProgress.empty(L), track=TrackKey.DEFENDER)
        assert _ids(plan) == ["f1"]
        assert plan.missions[0].reason_codes[0] == "general_mission"
        assert plan.reason_codes == ("target_step", "mission_track_unknown")
        assert "'Feb' is not a track" in plan.reasons[1].message
        assert (
            "mission_track_unknown"
            not in plan_missions(_catalogue(), _ceiling(1), MissionProgress.empty(L)).reason_codes
        )

    def test_never_a_completed_or_awaiting_mission(self) -> None:
        """Completed missions and missions awaiting review are never planned."""
        progress = MissionProgress(
            learner_id=L,
            submissions=[
                _passed("m10"),
                MissionSubmission(
                    id="w", mission_id="m20", learner_id=L, status=MissionSubmissionStatus.SUBMITTED
                ),
            ],
        )
        plan = plan_missions(_catalogue(), _ceiling(2), progress)
        assert "m10" not in _ids(plan)
        assert "m20" not in _ids(plan)

    def test_locked_missions_are_listed_with_what_unlocks_them(self) -> None:
        """A mission above the learner's points is locked, with the points missing; enough unlock it."""
        gated = [Mission(id="g", title="g", difficulty=MissionDifficulty.BEGINNER, points_required=40)]
        plan = plan_missions(gated, _ceiling(1), MissionProgress(learner_id=L, points=15))
        assert plan.missions == ()
        assert [x.mission.id for x in plan.locked] == ["g"]
        assert plan.locked[0].points_missing == 25
        assert plan.locked[0].reason.message == "Earn 25 more points to unlock mission g: 15/40."
        assert plan.absence is not None
        assert plan.absence.code == "all_missions_locked"
        assert _ids(plan_missions(gated, _ceiling(1), MissionProgress(learner_id=L, points=40))) == ["g"]

    @pytest.mark.parametrize(
        ("catalogue", "progress", "code"),
        [
            ([], MissionProgress.empty(L), "no_missions_at_level"),
            (
                [Mission(id="m10", title="t", difficulty=MissionDifficulty.BEGINNER)],
                MissionProgress(learner_id=L, submissions=[_passed("m10")]),
                "all_missions_completed",
            ),
            (
                [Mission(id="m10", title="t", difficulty=MissionDifficulty.BEGINNER)],
                MissionProgress(
                    learner_id=L,
                    assignments=[
                        MissionAssignmentRecord(
                            id="a", mission_id="m10", learner_id=L, status=MissionAssignmentStatus.SUBMITTED
                        )
                    ],
                ),
                "missions_awaiting_review",
            ),
            (
                [Mission(id="m20", title="t", difficulty=MissionDifficulty.INTERMEDIATE)],
                MissionProgress.empty(L),
                "no_missions_at_level",
            ),
        ],
    )
    def test_empty_plan_says_why(
        self, catalogue: Sequence[Mission], progress: MissionProgress, code: str
    ) -> None:
        """An empty plan is a typed outcome whose absence names the case."""
        plan = plan_missions(catalogue, _ceiling(1), progress)
        assert plan.missions == ()
        assert plan.next_mission is None
        assert plan.absence is not None
        assert plan.absence.code == code

    def test_ties_are_deterministic(self) -> None:
        """Catalogue order does not change the plan (ties by difficulty, code, id)."""
        catalogue = _catalogue()
        progress = MissionProgress.empty(L)
        assert _ids(plan_missions(catalogue, _ceiling(3), progress)) == _ids(
            plan_missions(list(reversed(catalogue)), _ceiling(3), progress)
        )

    def test_plan_size_and_policy_ref(self) -> None:
        """The plan holds plan_size missions and names its policy id@version."""
        plan = plan_missions(
            _catalogue(), _ceiling(5), MissionProgress.empty(L), policy=MissionPlanPolicy(plan_size=5)
        )
        assert len(plan.missions) == 5
        assert str(plan.policy) == "mission-plan@1"
        assert (
            str(plan_missions(_catalogue(), _ceiling(5), MissionProgress.empty(L)).policy) == "mission-plan@1"
        )

    def test_json_round_trips(self) -> None:
        """structure(unstructure(plan)) == plan, locked missions and a learned ceiling included."""
        catalogue = [
            *_catalogue(),
            Mission(id="g", title="g", difficulty=MissionDifficulty.BEGINNER, points_required=9),
        ]
        progress = MissionProgress(learner_id=L, submissions=[_passed("m20", 90), _passed("m21", 90)])
        learned = learned_ceiling(
            _ceiling(2), progress, {m.id: m for m in catalogue}, policy=DIFFICULTY_EVIDENCE_POLICY
        )
        plan = plan_missions(catalogue, learned, progress)
        assert structure(unstructure(plan), MissionPlan) == plan
        assert structure(unstructure(learned), LearnedCeiling) == learned

    @given(
        st.integers(1, 5),
        st.sampled_from([None, *TrackKey]),
        st.lists(st.sampled_from([m.id for m in _catalogue()]), max_size=15),
        st.lists(st.sampled_from([m.id for m in _catalogue()]), max_size=6),
        st.lists(st.sampled_from(list(MissionAssignmentStatus)), min_size=6, max_size=6),
    )
    def test_never_a_completed_mission(
        self,
        level: int,
        track: TrackKey | None,
        done: list[str],
        assigned: list[str],
        statuses: list[MissionAssignmentStatus],
    ) -> None:
        """Property: over generated progress, no planned mission is one the learner completed."""
        progress = MissionProgress(
            learner_id=L,
            submissions=[_passed(m, 90, f"s{i}") for i, m in enumerate(done)],
            assignments=[
                MissionAssignmentRecord(id=f"a{i}", mission_id=m, learner_id=L, status=statuses[i])
                for i, m in enumerate(assigned)
            ],
        )
        plan = plan_missions(_catalogue(), _ceiling(level), progress, track=track)
        assert not set(_ids(plan)) & progress.completed
        assert all(p.mission.difficulty <= level for p in plan.missions)
        assert (plan.absence is None) == bool(plan.missions)
