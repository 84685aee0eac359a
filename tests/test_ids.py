"""Tests for profiler_core.ids: every pure function that takes an id canonicalises it first (SPEC §2)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from tests.service_world import (
    A_UUID,
    ID_FORMS,
    NOW,
    UUID_TEXT,
    World,
    full_session,
    statement_entry,
)

from profiler_core import (
    JobPosting,
    ProfilerResult,
    ProfilerSession,
    SessionId,
    TalentProfile,
)
from profiler_core.analytics import SuppressionPolicy, enterprise_report, partial_from_values
from profiler_core.decisions import Reason
from profiler_core.gaps import empty_analysis
from profiler_core.leadership import leadership_statement, seed_leadership_identity
from profiler_core.matching import rank_candidates, score_match
from profiler_core.portfolio import compose_value_statement, plan_value_statement_entry


def _match(key: Any, **kwargs: Any) -> object:
    return score_match(TalentProfile(user_id=key), JobPosting(id=key, title="T", employer_id=key), **kwargs)


class TestPureFunctionsTakeAnyIdForm:
    """The pure functions that take an id (or a mapping keyed by ids) canonicalise it first."""

    @pytest.mark.parametrize(("form", "canonical"), ID_FORMS)
    def test_gap_analysis_learner(self, form: object, canonical: str) -> None:
        """empty_analysis stores the learner id as its canonical text."""
        reason = Reason(code="no_completed_session", message="None.")
        assert empty_analysis(reason, learner_id=form).learner_id == canonical  # type: ignore[arg-type]  # any id form

    @pytest.mark.parametrize(("form", "canonical"), ID_FORMS)
    def test_rank_candidates_finds_sessions_keyed_by_any_form(self, form: object, canonical: str) -> None:
        """A sessions mapping keyed by 100 or a UUID finds the learner "100" or the UUID's text."""
        world = World.around(canonical)
        job = world.jobs.jobs[0]
        raw_keyed: dict[Any, ProfilerSession] = {form: full_session(canonical)}
        ranking = rank_candidates(job, world.talent.profiles, sessions=raw_keyed, now=NOW)
        assert [m.profile.user_id for m in ranking.matches] == [canonical]
        assert ranking.matches[0].match.session_id == "s-1"

    @pytest.mark.parametrize(("form", "canonical"), ID_FORMS)
    def test_portfolio_and_leadership_ids(self, form: object, canonical: str) -> None:
        """plan_value_statement_entry, leadership_statement and seed_leadership_identity take any id form."""
        session = full_session(canonical)
        statement = compose_value_statement(session)
        plan = plan_value_statement_entry(None, statement, session_id=form, learner_id=form, now=NOW)  # type: ignore[arg-type]  # any id form
        assert (plan.entry.user_id, plan.entry.profiler_session_id) == (canonical, canonical)
        found = leadership_statement(statement_entry(canonical), learner_id=form)  # type: ignore[arg-type]  # any id form
        assert found.learner_id == canonical
        identity = seed_leadership_identity(statement, difficulty_selection=None, session_id=form)  # type: ignore[arg-type]  # any id form
        assert identity.session_id == canonical

    @pytest.mark.parametrize(("form", "canonical"), ID_FORMS)
    def test_analytics_ids(self, form: object, canonical: str) -> None:
        """enterprise_report, AnalyticsPartial.stats_for/rollup and partial_from_values take any id form."""
        world = World.around("u-1", cohort=canonical, org=canonical)
        cohorts = list(world.cohorts.cohorts)
        partial = partial_from_values(
            enrollments=world.enrollments.enrollments,
            sessions=world.sessions.sessions,
            results=world.sessions.results,
        )
        assert partial.stats_for(form) == partial.stats_for(canonical)  # type: ignore[arg-type]  # any id form
        assert partial.stats_for(form).total == 1  # type: ignore[arg-type]  # any id form
        assert partial.rollup([form]) == partial.rollup([canonical])  # type: ignore[list-item]  # any id form
        report = enterprise_report(form, cohorts, partial, suppression=SuppressionPolicy(k=1))  # type: ignore[arg-type]  # any id form
        assert (report.enterprise_id, list(report.cohorts)) == (canonical, [canonical])

    def test_results_keyed_by_an_int_session_id_are_found(self) -> None:
        """partial_from_values finds a result filed under the int 7001 for session "7001"."""
        world = World.around("u-1")
        session = full_session("u-1", "7001")
        result = ProfilerResult(session_id=SessionId("7001"), overall_score=80.0)
        with_int: dict[Any, ProfilerResult] = {7001: result}
        partial = partial_from_values(
            enrollments=world.enrollments.enrollments, sessions=[session], results=with_int
        )
        by_text = partial_from_values(
            enrollments=world.enrollments.enrollments, sessions=[session], results={SessionId("7001"): result}
        )
        assert partial == by_text

    @pytest.mark.parametrize(
        ("build", "field"),
        [
            (lambda key: empty_analysis(Reason(code="x", message="x."), learner_id=key), "learner_id"),
            (lambda key: _match(key, session_id=key), "session_id"),
            (_match, "learner_id"),
            (_match, "job_id"),
        ],
    )
    def test_result_values_hold_canonical_ids(self, build: Callable[[Any], object], field: str) -> None:
        """Result values built from a UUID hold its canonical text, equal to ones built from the text."""
        assert getattr(build(A_UUID), field) == UUID_TEXT
        assert build(A_UUID) == build(UUID_TEXT.upper())
