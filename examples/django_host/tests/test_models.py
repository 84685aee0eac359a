"""ORM rows and library values convert both ways without loss (``from_domain`` -> save -> ``to_domain``)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from profiler_host import loading, models

import profiler_core as pc
from profiler_core import unstructure
from profiler_core.testing import strategies

pytestmark = pytest.mark.django_db

T = TypeVar("T")
ROUND_TRIPS = settings(max_examples=40, deadline=None)


def storable(strategy: st.SearchStrategy[T]) -> st.SearchStrategy[T]:
    """Values PostgreSQL can store too: its text and jsonb types reject the NUL character."""
    return strategy.filter(lambda value: "\\u0000" not in json.dumps(unstructure(value)))


def read_back(model: type[Any], key: str, value: object) -> Any:
    """The value stored under *key* in *model*, read through ``values()`` and ``to_domain``."""
    return model.to_domain(model.objects.filter(pk=key).values().get())


class TestRoundTrips:
    @ROUND_TRIPS
    @given(storable(strategies.sessions()))
    def test_profiler_session(self, session: pc.ProfilerSession) -> None:
        """A session of any shape reads back equal (blank track/selection columns mean none)."""
        loading.clear_platform()
        loading.add_sessions([session])
        assert read_back(models.ProfilerSession, session.id, session) == session

    @ROUND_TRIPS
    @given(storable(strategies.results()))
    def test_profiler_result(self, result: pc.ProfilerResult) -> None:
        """A result reads back equal, its breakdown in whichever shape it was given."""
        loading.clear_platform()
        result = attrs.evolve(result, session_id=pc.SessionId("s-1"))
        loading.add_sessions(
            [
                pc.ProfilerSession(
                    id=pc.SessionId("s-1"), user_id=pc.UserId("u-1"), status=pc.SessionStatus.FINISHED
                )
            ],
            [result],
        )
        row = models.ProfilerResult.objects.filter(session_id="s-1").values().get()
        assert models.ProfilerResult.to_domain(row) == result

    @pytest.mark.parametrize(
        ("strategy", "model", "add", "key"),
        [
            (strategies.missions(), models.Mission, loading.add_missions, lambda m: m.id),
            (strategies.recipes(), models.Recipe, loading.add_recipes, lambda r: r.id),
            (strategies.cohorts(), models.Cohort, loading.add_cohorts, lambda c: c.id),
            (strategies.job_postings(), models.JobPosting, loading.add_jobs, lambda j: j.id),
            (strategies.talent_profiles(), models.TalentProfile, loading.add_talent, lambda t: t.user_id),
        ],
        ids=["mission", "recipe", "cohort", "job", "talent"],
    )
    def test_catalogue_values(
        self,
        strategy: st.SearchStrategy[Any],
        model: type[Any],
        add: Callable[[list[Any]], None],
        key: Callable[[Any], str],
    ) -> None:
        """Missions, recipes, cohorts, jobs and talent profiles read back equal."""

        @ROUND_TRIPS
        @given(storable(strategy))
        def round_trip(value: Any) -> None:
            loading.clear_platform()
            add([value])
            assert read_back(model, key(value), value) == value

        round_trip()

    @ROUND_TRIPS
    @given(storable(strategies.mentor_assignments()))
    def test_mentor_assignment(self, assignment: pc.MentorAssignment) -> None:
        """An assignment reads back equal; one without an id gets the id the row was given."""
        loading.clear_platform()
        if assignment.cohort_id is not None:
            loading.add_cohorts([pc.Cohort(id=assignment.cohort_id, name="c")])
        loading.add_assignments([assignment])
        [row] = models.MentorAssignment.objects.values()
        assert models.MentorAssignment.to_domain(row) == attrs.evolve(
            assignment, id=assignment.id or row["id"]
        )

    @ROUND_TRIPS
    @given(storable(strategies.principals()))
    def test_role_grants(self, principal: pc.Principal) -> None:
        """A principal's grants read back equal and in order (unknown roles stay unknown)."""
        loading.clear_platform()
        loading.add_principals([principal])
        rows = models.RoleGrant.objects.filter(user_id=principal.user_id).order_by("id").values()
        assert tuple(models.RoleGrant.to_domain(r) for r in rows) == principal.roles
        assert models.User.objects.get(pk=principal.user_id).is_staff is principal.is_staff

    @ROUND_TRIPS
    @given(storable(strategies.portfolio_entries()))
    def test_portfolio_entry(self, entry: pc.PortfolioEntry) -> None:
        """An entry reads back equal; one without an id gets the id the row was given."""
        loading.clear_platform()
        if entry.profiler_session_id is not None:
            loading.add_sessions(
                [
                    pc.ProfilerSession(
                        id=entry.profiler_session_id, user_id=entry.user_id, status=pc.SessionStatus.STARTED
                    )
                ]
            )
        loading.add_portfolio_entries([entry])
        [row] = models.PortfolioItem.objects.values()
        assert models.PortfolioItem.to_domain(row) == attrs.evolve(entry, id=entry.id or row["id"])

    def test_enrollment(self) -> None:
        """An enrollment reads back equal."""
        enrollment = pc.Enrollment(
            user_id=pc.UserId("u-1"), cohort_id=pc.CohortId("c-1"), status=pc.EnrollmentStatus.SUSPENDED
        )
        loading.add_cohorts([pc.Cohort(id=pc.CohortId("c-1"), name="C")], [enrollment])
        assert models.Enrollment.to_domain(models.Enrollment.objects.values().get()) == enrollment


class TestWireRules:
    def test_numeric_strings_and_aliases_in_rows_are_read(self) -> None:
        """Rows written by other code (a track alias, a legacy mission level) still read as library values."""
        loading.ensure_users(["u-1"])
        models.Mission.objects.create(id="m-1", code="M1", title="T", difficulty=3, track="Red Team")
        mission = models.Mission.to_domain(models.Mission.objects.values().get())
        assert (mission.track, int(mission.difficulty)) == (pc.TrackKey.OFFENSIVE, 3)

    def test_a_bad_row_lists_every_problem_with_its_path(self) -> None:
        """A row breaking the contract raises InvalidPayloadError naming each column."""
        models.Cohort.objects.create(id="c-1", name="C", track="blue-team")
        loading.ensure_users(["u-1"])
        models.ProfilerSession.objects.create(
            id="s-1", user_id="u-1", status="done", aptitude_score=140.0, track_confidence=2.0
        )
        with pytest.raises(pc.InvalidPayloadError) as caught:
            models.ProfilerSession.to_domain(models.ProfilerSession.objects.values().get())
        paths = {p.path for p in caught.value.problems}
        assert paths == {"$.status", "$.aptitude_score", "$.track_confidence"}
        with pytest.raises(pc.InvalidPayloadError) as cohort_error:
            models.Cohort.to_domain(models.Cohort.objects.values().get())
        assert [p.path for p in cohort_error.value.problems] == ["$.track"]
