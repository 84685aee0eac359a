"""The demo's mission plan (issue 18): different levels, different next missions; never a completed one."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from profiler_core.demo import render_report
from profiler_core.demo.missions import learner_plans, missions_section
from profiler_core.demo.sample import build_sample_platform


def _completed(platform_seed: int) -> tuple[dict[str, set[str]], dict[str, list[str]]]:
    # Plain str keys: the test compares ids, not their types.
    platform = build_sample_platform(platform_seed)
    done: dict[str, set[str]] = {u: set() for u in platform.learners}
    for s in platform.mission_submissions:
        if s.status.value == "approved":
            done[s.learner_id].add(s.mission_id)
    for a in platform.mission_assignments:
        if a.status.value == "completed":
            done[a.learner_id].add(a.mission_id)
    plans = {str(u): [str(p.mission.id) for p in o.plan.missions] for u, o in learner_plans(platform).items()}
    return done, plans


class TestDemoPlans:
    def test_learners_at_different_levels_get_different_next_missions(self) -> None:
        """Seed 7: the next missions differ across ceilings (an elite ceiling-5 learner starts at level 4)."""
        platform = build_sample_platform(7)
        plans = learner_plans(platform)
        firsts = {o.plan.next_mission.id for o in plans.values() if o.plan.next_mission is not None}
        assert len(firsts) >= 4
        levels = {
            str(u): (int(o.plan.ceiling.ceiling), int(o.plan.next_mission.difficulty))
            for u, o in plans.items()
            if o.plan.next_mission is not None
        }
        assert levels["learner-005"] == (5, 4)  # elite, nothing passed: one below the ceiling
        assert levels["learner-002"] == (2, 2)  # passed level 1: the next step
        assert levels["learner-001"] == (1, 1)

    def test_the_sample_has_progress_and_a_points_gate(self) -> None:
        """The sample holds assignments, submissions (approved and rejected), points and two gates."""
        platform = build_sample_platform(7)
        assert platform.mission_assignments
        assert {s.status.value for s in platform.mission_submissions} == {"approved", "rejected"}
        assert sorted(m.points_required for m in platform.missions if m.points_required) == [40, 70]
        assert set(platform.mission_points) == set(platform.learners)

    @settings(max_examples=8)
    @given(st.integers(0, 10_000))
    def test_no_demo_learner_is_told_to_do_a_completed_mission(self, seed: int) -> None:
        """Property over sample seeds: no planned mission is one the learner completed."""
        done, plans = _completed(seed)
        for learner, planned in plans.items():
            assert not set(planned) & done[learner], learner

    def test_section_shows_the_plan_the_lock_and_the_learning_ceiling(self) -> None:
        """The section shows the plan table, a locked mission's unlock condition, the raised ceiling."""
        section = missions_section(build_sample_platform(7))
        assert "Next missions for the week" in section
        assert "[locked_by_points] Earn " in section
        assert "[ceiling_raised_by_evidence]" in section
        assert "difficulty-evidence@1: ceiling 4" in section
        assert "default (profiler's ceiling alone): ceiling 3" in section
        assert section in render_report(7)
