"""Tests for profiler_core.matching: eligibility and the job and candidate rankings (SPEC §8)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.match_builders import NOW, D, L, T, job, profile, recipe, session, signals

from profiler_core import (
    JobLevel,
    JobPosting,
    ProfilerSession,
    SessionId,
    TalentProfile,
    UserId,
    unstructure,
)
from profiler_core.errors import InvalidValueError
from profiler_core.match_scoring import _plan, _score
from profiler_core.matching import (
    MatchPolicy,
    MatchStatus,
    _cheap_top,
    job_is_open,
    profile_is_searchable,
    rank_candidates,
    rank_jobs,
    score_match,
)
from profiler_core.models import BehavioralProfile, Reflection
from profiler_core.testing import strategies as pst
from profiler_core.testing import strategies_matching as mst
from profiler_core.vocabulary import DifficultySelection, SessionStatus


class TestEligibility:
    @pytest.mark.parametrize(
        ("posting", "expected"),
        [
            (job(), True),
            (job(deadline=NOW + timedelta(seconds=1)), True),
            (job(deadline=NOW), False),
            (job(deadline=NOW - timedelta(days=1)), False),
            (job(active=False), False),
            (job(active=False, deadline=NOW + timedelta(days=1)), False),
        ],
    )
    def test_job_is_open(self, posting: JobPosting, expected: bool) -> None:
        """A job is open when active and its deadline, if any, is after now."""
        assert job_is_open(posting, now=NOW) is expected

    def test_naive_now_is_rejected_everywhere(self) -> None:
        """A naive *now* is an InvalidValueError, with or without deadlines, never a TypeError."""
        naive = NOW.replace(tzinfo=None)
        calls = (
            lambda: job_is_open(job(deadline=NOW), now=naive),
            lambda: job_is_open(job(), now=naive),
            lambda: rank_jobs(profile(), [job(deadline=NOW)], session=session(), now=naive),
            lambda: rank_candidates(job(), [profile()], sessions={}, now=naive),
        )
        for call in calls:
            with pytest.raises(InvalidValueError, match="now"):
                call()

    @pytest.mark.parametrize(
        ("visible", "consent", "expected"),
        [(True, True, True), (True, False, False), (False, True, False), (False, False, False)],
    )
    def test_profile_is_searchable(self, visible: bool, consent: bool, expected: bool) -> None:
        """Employer-facing search needs visibility and share consent."""
        assert profile_is_searchable(profile(visible=visible, consent=consent)) is expected


def unique_jobs(max_size: int = 8) -> st.SearchStrategy[list[JobPosting]]:
    return st.lists(pst.job_postings(), max_size=max_size, unique_by=lambda j: j.id)


class TestRankJobs:
    @pytest.mark.parametrize(
        "learner_session",
        [None, session(status=SessionStatus.IN_PROGRESS), session(status=SessionStatus.STARTED)],
        ids=["no-session", "in-progress", "started"],
    )
    def test_without_completed_profiler_the_learner_is_asked_to_complete_it(
        self, learner_session: ProfilerSession | None
    ) -> None:
        """No completed session: a typed profiler_incomplete outcome, no job scored."""
        ranking = rank_jobs(profile(), [job()], session=learner_session, now=NOW)
        assert ranking.status is MatchStatus.PROFILER_INCOMPLETE
        assert ranking.needs_profiler
        assert ranking.reason_codes == ("complete_profiler",)
        assert ranking.matches == ()

    def test_known_ranking_with_ties_by_job_id(self) -> None:
        """Best score first; equal scores go to the smaller job id; closed jobs are counted, not shown."""
        jobs = [
            job("job-c", ("A",)),
            job("job-a", ("A",)),
            job("job-b", ("A", "B")),
            job("job-x", ("A",), active=False),
            job("job-y", ("A",), deadline=NOW),
        ]
        ranking = rank_jobs(profile(skills=("A",)), jobs, session=session(), now=NOW)
        assert [(r.rank, r.job.id) for r in ranking.matches] == [(1, "job-a"), (2, "job-c"), (3, "job-b")]
        assert ranking.status is MatchStatus.MATCHED
        assert dict(ranking.excluded) == {"job_inactive": 1, "job_deadline_passed": 1}
        assert (ranking.considered, ranking.reason_codes) == (3, ("jobs_ranked",))

    def test_limit_keeps_the_best(self) -> None:
        """Only the top `limit` jobs are returned."""
        jobs = [job(f"job-{i}", ("A",) * (i % 2)) for i in range(6)]
        ranking = rank_jobs(profile(skills=("A",)), jobs, session=session(), now=NOW, limit=2)
        assert [r.job.id for r in ranking.matches] == ["job-1", "job-3"]

    def test_no_open_job(self) -> None:
        """Only closed jobs: no_matches with reason no_open_jobs."""
        ranking = rank_jobs(profile(), [job(active=False)], session=session(), now=NOW)
        assert (ranking.status, ranking.reason_codes) == (MatchStatus.NO_MATCHES, ("no_open_jobs",))

    def test_signals_come_from_the_session(self) -> None:
        """The session's selection, track and alignment drive track and level fit."""
        learner_session = session(selection=D.ADVANCED, track=T.GRC, alignment={T.DEFENDER: 50.0})
        ranking = rank_jobs(
            profile(readiness=100),
            [job("j1", track=T.GRC, level=L.SENIOR), job("j2", track=T.DEFENDER, level=L.ENTRY)],
            session=learner_session,
            now=NOW,
        )
        assert [(r.job.id, r.match.score) for r in ranking.matches] == [
            ("j1", 100.0),
            ("j2", pytest.approx(100 * (20 * 0.5 + 15 * 0 + 15 * 1) / 50)),
        ]
        assert (ranking.session_id, ranking.recommended_track) == ("s-u-1", T.GRC)
        assert ranking.matches[0].match.session_id == "s-u-1"

    def test_session_of_another_learner_is_rejected(self) -> None:
        """Passing someone else's session is a programming error."""
        with pytest.raises(InvalidValueError, match="session"):
            rank_jobs(profile("u-1"), [job()], session=session("u-2"), now=NOW)

    @pytest.mark.parametrize("limit", [0, -1])
    def test_limit_must_be_positive(self, limit: int) -> None:
        """A limit below 1 is rejected."""
        with pytest.raises(InvalidValueError, match="limit"):
            rank_jobs(profile(), [], session=session(), now=NOW, limit=limit)

    def test_recipes_are_linked_for_missing_skills(self) -> None:
        """With a catalogue, each match's missing skills link to recipes."""
        ranking = rank_jobs(
            profile(), [job(skills=("DNS",))], session=session(), now=NOW, recipes=[recipe("r", ("DNS",))]
        )
        assert [r.id for r in ranking.matches[0].match.skill_recipes[0].recipes] == ["r"]

    def test_json_shape(self) -> None:
        """unstructure renders a ranking as plain JSON: status, matches (job, breakdown), excluded, policy."""
        ranking = rank_jobs(
            profile(), [job(), job("old", active=False)], session=session(track=T.GRC), now=NOW
        )
        data = json.loads(json.dumps(unstructure(ranking)))
        assert data["status"] == "matched"
        assert data["recommended_track"] == "grc"
        assert data["matches"][0]["rank"] == 1
        assert data["matches"][0]["job"]["id"] == "job-1"
        assert data["matches"][0]["match"]["job_id"] == "job-1"
        assert data["excluded"] == {"job_inactive": 1}

    @given(pst.talent_profiles(), unique_jobs(), pst.completed_sessions(), st.integers(1, 5), st.data())
    def test_ranking_is_independent_of_input_order(
        self,
        learner: TalentProfile,
        jobs: list[JobPosting],
        learner_session: ProfilerSession,
        limit: int,
        data: st.DataObject,
    ) -> None:
        """Shuffling the jobs never changes the ranking."""
        learner_session = _owned(learner_session, learner.user_id)
        shuffled = data.draw(st.permutations(jobs))
        first = rank_jobs(learner, jobs, session=learner_session, now=NOW, limit=limit)
        second = rank_jobs(learner, shuffled, session=learner_session, now=NOW, limit=limit)
        assert first == second
        # FrozenMap equality ignores key order; the JSON body must not depend on it either.
        assert json.dumps(unstructure(first)) == json.dumps(unstructure(second))

    def test_excluded_keys_do_not_follow_the_input_order(self) -> None:
        """The excluded counts are keyed in a fixed (sorted) order, whatever the order of the jobs."""
        closed = [job("a", active=False), job("b", deadline=NOW)]
        for jobs in (closed, closed[::-1]):
            ranking = rank_jobs(profile(), jobs, session=session(), now=NOW)
            assert list(json.loads(json.dumps(unstructure(ranking)))["excluded"]) == [
                "job_deadline_passed",
                "job_inactive",
            ]

    @given(
        pst.talent_profiles(),
        unique_jobs(),
        pst.completed_sessions(),
        pst.behavioral_profiles(),
        pst.reflections(),
        st.lists(st.text(min_size=1, max_size=8), max_size=3),
    )
    def test_behavioral_data_is_never_an_input(
        self,
        learner: TalentProfile,
        jobs: list[JobPosting],
        learner_session: ProfilerSession,
        behavioral: BehavioralProfile,
        reflection: Reflection,
        strengths: list[str],
    ) -> None:
        """Changing the behavioral profile, strengths and reflections changes no match (SPEC §8)."""
        learner_session = _owned(learner_session, learner.user_id)
        other = attrs.evolve(
            learner_session, behavioral_profile=behavioral, reflection=reflection, strengths=tuple(strengths)
        )
        first = rank_jobs(learner, jobs, session=learner_session, now=NOW)
        assert rank_jobs(learner, jobs, session=other, now=NOW) == first

    @given(
        pst.talent_profiles(), unique_jobs(), pst.completed_sessions(), pst.timestamps(), st.integers(1, 5)
    )
    def test_matches_are_the_best_open_jobs(
        self,
        learner: TalentProfile,
        jobs: list[JobPosting],
        learner_session: ProfilerSession,
        now: datetime,
        limit: int,
    ) -> None:
        """The ranking is the open jobs sorted by score then id, cut at limit; closed jobs never appear."""
        learner_session = _owned(learner_session, learner.user_id)
        ranking = rank_jobs(learner, jobs, session=learner_session, now=now, limit=limit)
        open_jobs = [
            j
            for j in jobs
            if j.is_active and (j.application_deadline is None or j.application_deadline > now)
        ]
        scores = {j.id: score_match(learner, j, **signals(learner_session)).score for j in open_jobs}  # type: ignore[arg-type]
        expected = sorted(open_jobs, key=lambda j: (-scores[j.id], j.id))[:limit]
        assert [r.job.id for r in ranking.matches] == [j.id for j in expected]
        assert [r.match.score for r in ranking.matches] == [scores[j.id] for j in expected]
        assert sum(ranking.excluded.values()) == len(jobs) - len(open_jobs)


def _owned(s: ProfilerSession, user_id: UserId) -> ProfilerSession:
    return ProfilerSession(
        id=s.id,
        user_id=user_id,
        status=s.status,
        completed_at=s.completed_at,
        difficulty_selection=s.difficulty_selection,
        recommended_track=s.recommended_track,
        track_alignment_percentages=s.track_alignment_percentages,
    )


@st.composite
def populations(
    draw: st.DrawFn,
) -> tuple[list[TalentProfile], dict[UserId, ProfilerSession]]:
    """Profiles with unique ids, coarse readiness (so ties happen), and some sessions (some incomplete)."""
    ids = draw(st.lists(st.integers(0, 60), max_size=25, unique=True))
    profiles = []
    sessions: dict[UserId, ProfilerSession] = {}
    for n in ids:
        uid = UserId(f"u-{n:02d}")
        profiles.append(
            TalentProfile(
                user_id=uid,
                skills=tuple(draw(st.lists(st.sampled_from(("NET", "dns", " SIEM ", "PYTHON")), max_size=3))),
                readiness_score=draw(st.sampled_from((None, 0.0, 50.0, 100.0))),
                primary_track_key=draw(st.none() | st.sampled_from((T.DEFENDER, T.GRC))),
                is_visible=draw(st.booleans()),
                employer_share_consent=draw(st.booleans()),
            )
        )
        if draw(st.integers(0, 5)):
            sessions[uid] = ProfilerSession(
                id=SessionId(f"s-{n}"),
                user_id=uid,
                status=draw(
                    st.sampled_from((SessionStatus.FINISHED, SessionStatus.LOCKED, SessionStatus.IN_PROGRESS))
                ),
                difficulty_selection=draw(st.none() | st.sampled_from(DifficultySelection)),
                recommended_track=draw(st.none() | st.sampled_from((T.DEFENDER, T.GRC))),
                track_alignment_percentages=draw(
                    st.dictionaries(st.sampled_from((T.DEFENDER, T.GRC)), st.sampled_from((0.0, 50.0, 100.0)))
                ),
            )
    return profiles, sessions


CANDIDATE_JOBS = st.builds(
    job,
    st.just("job-1"),
    st.lists(st.sampled_from(("NET", "DNS", "SIEM", "CLOUD")), max_size=3).map(tuple),
    track=st.none() | st.sampled_from((T.DEFENDER, T.GRC)),
    level=st.none() | st.sampled_from(JobLevel),
)


class TestRankCandidates:
    def test_closed_job_has_no_candidates(self) -> None:
        """An inactive or expired job gives job_closed with the reason."""
        for posting, code in (
            (job(active=False), "job_inactive"),
            (job(deadline=NOW), "job_deadline_passed"),
        ):
            ranking = rank_candidates(posting, [profile()], sessions={UserId("u-1"): session()}, now=NOW)
            assert (ranking.status, ranking.reason_codes, ranking.matches) == (
                MatchStatus.JOB_CLOSED,
                (code,),
                (),
            )

    def test_employer_facing_search_shows_only_visible_consenting_profiles(self) -> None:
        """Hidden profiles and profiles without share consent are left out and counted."""
        profiles = [
            profile("u-1"),
            profile("u-2", visible=False),
            profile("u-3", consent=False),
            profile("u-4", visible=False, consent=False),
            profile("u-5"),
        ]
        sessions = {p.user_id: session(p.user_id) for p in profiles if p.user_id != "u-5"}
        ranking = rank_candidates(job(), profiles, sessions=sessions, now=NOW)
        assert [r.profile.user_id for r in ranking.matches] == ["u-1"]
        assert dict(ranking.excluded) == {
            "profile_hidden": 2,
            "share_consent_missing": 1,
            "candidate_profiler_incomplete": 1,
        }
        assert (ranking.considered, ranking.reason_codes) == (1, ("candidates_ranked",))

    def test_internal_search_may_include_hidden_profiles(self) -> None:
        """With employer_facing=False, visibility and consent do not filter."""
        profiles = [profile("u-1", visible=False), profile("u-2", consent=False)]
        sessions = {p.user_id: session(p.user_id) for p in profiles}
        ranking = rank_candidates(job(), profiles, sessions=sessions, now=NOW, employer_facing=False)
        assert [r.profile.user_id for r in ranking.matches] == ["u-1", "u-2"]

    def test_ties_go_to_the_smaller_user_id(self) -> None:
        """Equal scores are ordered by user id, whatever the input order."""
        profiles = [profile(u, ("A",), readiness=50) for u in ("u-9", "u-2", "u-5")]
        sessions = {p.user_id: session(p.user_id) for p in profiles}
        ranking = rank_candidates(job(skills=("A",)), profiles, sessions=sessions, now=NOW, limit=2)
        assert [(r.rank, r.profile.user_id) for r in ranking.matches] == [(1, "u-2"), (2, "u-5")]

    def test_no_eligible_candidate(self) -> None:
        """Nobody searchable and profiled: no_matches with reason no_eligible_candidates."""
        ranking = rank_candidates(job(), [profile(visible=False)], sessions={}, now=NOW)
        assert (ranking.status, ranking.reason_codes) == (MatchStatus.NO_MATCHES, ("no_eligible_candidates",))

    def test_top_candidates_get_full_breakdowns_and_recipes(self) -> None:
        """Each returned candidate carries the full breakdown, reasons and recipe links."""
        profiles = [profile("u-1", ("NET",), readiness=80), profile("u-2", readiness=10)]
        sessions = {p.user_id: session(p.user_id, selection=D.BEGINNER) for p in profiles}
        ranking = rank_candidates(
            job(skills=("NET", "DNS"), level=L.ENTRY),
            profiles,
            sessions=sessions,
            now=NOW,
            recipes=[recipe("r", ("DNS",))],
        )
        best = ranking.matches[0].match
        assert best.learner_id == "u-1"
        assert best.score == pytest.approx(100 * (50 * 0.5 + 15 * 1 + 15 * 0.8) / 80)
        assert (best.missing_skills, best.skill_recipes[0].recipes[0].id) == (("DNS",), "r")
        assert json.loads(json.dumps(unstructure(ranking)))["matches"][0]["profile"]["user_id"] == "u-1"

    @pytest.mark.parametrize("limit", [0, -3])
    def test_limit_must_be_positive(self, limit: int) -> None:
        """A limit below 1 is rejected."""
        with pytest.raises(InvalidValueError, match="limit"):
            rank_candidates(job(), [], sessions={}, now=NOW, limit=limit)

    @given(CANDIDATE_JOBS, populations(), st.integers(1, 6), st.booleans())
    def test_matches_are_the_best_eligible_candidates_with_exact_scores(
        self,
        posting: JobPosting,
        population: tuple[list[TalentProfile], dict[UserId, ProfilerSession]],
        limit: int,
        employer_facing: bool,
    ) -> None:
        """The fast path returns exactly what scoring every eligible profile and sorting would."""
        profiles, sessions = population
        ranking = rank_candidates(
            posting, profiles, sessions=sessions, now=NOW, limit=limit, employer_facing=employer_facing
        )
        eligible = [
            p
            for p in profiles
            if (not employer_facing or (p.is_visible and p.employer_share_consent))
            and p.user_id in sessions
            and sessions[p.user_id].is_completed
        ]
        scores = {p.user_id: score_match(p, posting, **signals(sessions[p.user_id])).score for p in eligible}  # type: ignore[arg-type]
        expected = sorted(eligible, key=lambda p: (-scores[p.user_id], p.user_id))[:limit]
        assert [r.profile.user_id for r in ranking.matches] == [p.user_id for p in expected]
        assert [r.match.score for r in ranking.matches] == [scores[p.user_id] for p in expected]
        assert ranking.considered == len(eligible)
        assert ranking.considered + sum(ranking.excluded.values()) == len(profiles)

    @given(CANDIDATE_JOBS, populations(), st.integers(1, 6), st.data())
    def test_ranking_is_independent_of_input_order(
        self,
        posting: JobPosting,
        population: tuple[list[TalentProfile], dict[UserId, ProfilerSession]],
        limit: int,
        data: st.DataObject,
    ) -> None:
        """Shuffling the profiles never changes the ranking."""
        profiles, sessions = population
        shuffled = data.draw(st.permutations(profiles))
        first = rank_candidates(posting, profiles, sessions=sessions, now=NOW, limit=limit)
        assert rank_candidates(posting, shuffled, sessions=sessions, now=NOW, limit=limit) == first

    @given(CANDIDATE_JOBS, populations())
    def test_an_ineligible_profile_never_appears(
        self, posting: JobPosting, population: tuple[list[TalentProfile], dict[UserId, ProfilerSession]]
    ) -> None:
        """No hidden, non-consenting or unprofiled learner is ever listed to an employer."""
        profiles, sessions = population
        ranking = rank_candidates(posting, profiles, sessions=sessions, now=NOW, limit=100)
        for ranked in ranking.matches:
            assert profile_is_searchable(ranked.profile)
            assert sessions[ranked.profile.user_id].is_completed


class TestOneScorer:
    @given(CANDIDATE_JOBS, populations(), mst.match_policies(), st.data())
    def test_fast_path_score_equals_the_full_scorer(
        self,
        posting: JobPosting,
        population: tuple[list[TalentProfile], dict[UserId, ProfilerSession]],
        policy: MatchPolicy,
        data: st.DataObject,
    ) -> None:
        """rank_candidates' fast path scores every eligible profile exactly as the full scorer does."""
        profiles, sessions = population
        # Fine-grained readiness and alignment, so the arithmetic (not only the coarse cases) is compared.
        readiness = st.none() | st.floats(0, 100, allow_nan=False)
        profiles = [attrs.evolve(p, readiness_score=data.draw(readiness)) for p in profiles]
        sessions = {
            uid: attrs.evolve(s, track_alignment_percentages=data.draw(mst.alignments()))
            for uid, s in sessions.items()
        }
        plan = _plan(posting, policy)
        kept, tally = _cheap_top(plan, profiles, sessions, limit=len(profiles) + 1, employer_facing=False)
        assert len(kept) == tally["scored"]
        for negated, _, _, talent, latest in kept:
            full = _score(
                plan,
                talent,
                track=latest.recommended_track,
                selection=latest.difficulty_selection,
                alignment=latest.track_alignment_percentages,
                session_id=latest.id,
                recipe_index=None,
            )
            assert -negated == full.score
