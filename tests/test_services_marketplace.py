"""Tests for the marketplace ports, fakes, contracts and services (SPEC §8, §11)."""

from __future__ import annotations

import json
import logging
from collections.abc import Collection, Mapping, Sequence
from datetime import UTC, datetime, timedelta

import pytest
from tests import builders

from profiler_core import (
    JobId,
    JobLevel,
    JobPosting,
    ProfilerSession,
    Recipe,
    RecipeId,
    TalentProfile,
    UserId,
)
from profiler_core.errors import InvalidValueError
from profiler_core.frozenmap import FrozenMap
from profiler_core.matching import MatchStatus, rank_candidates, rank_jobs
from profiler_core.ports import JobRepository, TalentProfileRepository
from profiler_core.serialization import unstructure
from profiler_core.services import TALENT_MATCH_MESSAGES, talent_matches, talent_search
from profiler_core.testing import (
    FailingRepository,
    InMemoryJobRepository,
    InMemoryRecipeRepository,
    InMemorySessionRepository,
    InMemoryTalentProfileRepository,
)
from profiler_core.testing.contracts import (
    check_job_repository,
    check_talent_profile_repository,
)
from profiler_core.vocabulary import DifficultySelection, SessionStatus, TrackKey

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
LEARNER = UserId("u-1")


def session(uid: str = "u-1", status: SessionStatus = SessionStatus.FINISHED) -> ProfilerSession:
    """The shared session builder: learner *uid*'s session ``s-<uid>``, a beginner defender."""
    return builders.session(
        f"s-{uid}",
        uid,
        status=status,
        completed_at=NOW - timedelta(days=2),
        selection=DifficultySelection.BEGINNER,
        track=TrackKey.DEFENDER,
        alignment={TrackKey.OFFENSIVE: 60.0},
    )


def jobs() -> list[JobPosting]:
    return [
        JobPosting(
            id=JobId("job-soc"),
            title="SOC",
            employer_id="e",
            required_skills=("SIEM", "DNS"),
            track=TrackKey.DEFENDER,
            level=JobLevel.ENTRY,
        ),
        JobPosting(
            id=JobId("job-red"),
            title="Red",
            employer_id="e",
            required_skills=("WEB",),
            track=TrackKey.OFFENSIVE,
        ),
        JobPosting(id=JobId("job-off"), title="Off", employer_id="e", is_active=False),
        JobPosting(
            id=JobId("job-old"), title="Old", employer_id="e", application_deadline=NOW - timedelta(days=1)
        ),
    ]


def profiles() -> list[TalentProfile]:
    return [
        TalentProfile(
            user_id=LEARNER,
            skills=("siem",),
            readiness_score=50,
            is_visible=True,
            employer_share_consent=True,
        ),
        TalentProfile(user_id=UserId("u-2"), skills=("SIEM", "DNS"), readiness_score=90, is_visible=True),
        TalentProfile(
            user_id=UserId("u-3"),
            skills=("DNS",),
            readiness_score=70,
            is_visible=True,
            employer_share_consent=True,
        ),
        TalentProfile(user_id=UserId("u-4"), skills=("SIEM",), is_visible=True, employer_share_consent=True),
    ]


RECIPES = [
    Recipe(id=RecipeId("r-dns"), slug="dns", title="DNS", skill_codes=("DNS",), usage_count=3),
    Recipe(id=RecipeId("r-web"), slug="web", title="Web", skill_codes=("WEB",)),
    Recipe(id=RecipeId("r-aws"), slug="aws", title="AWS", skill_codes=("AWS",)),
]


class Ports:
    """The four marketplace ports, in memory."""

    def __init__(self) -> None:
        self.sessions = InMemorySessionRepository(
            [session(), session("u-3"), session("u-4", SessionStatus.STARTED)]
        )
        self.jobs = InMemoryJobRepository(jobs())
        self.talent = InMemoryTalentProfileRepository(profiles())
        self.recipes = InMemoryRecipeRepository(RECIPES)


_STANDARD = set(logging.LogRecord("x", logging.DEBUG, "x", 0, "x", None, None).__dict__) | {
    "message",
    "asctime",
}


def assert_no_free_text(record: logging.LogRecord) -> None:
    """Neither the message nor any extra field holds a job title or a skill (free text)."""
    extra = {k: v for k, v in record.__dict__.items() if k not in _STANDARD}
    text = json.dumps([record.getMessage(), extra], default=str)
    for free in ('"SOC"', '"Red"', "SIEM", "DNS", "WEB", "siem"):
        assert free not in text, free


class TestTalentMatches:
    def test_matches_with_breakdowns_in_a_bounded_number_of_calls(self) -> None:
        """The learner gets open jobs ranked with breakdowns; each port is called once."""
        ports = Ports()
        answer = talent_matches(
            LEARNER,
            sessions=ports.sessions,
            jobs=ports.jobs,
            talent=ports.talent,
            recipes=ports.recipes,
            now=NOW,
        )
        assert answer.status is MatchStatus.MATCHED
        assert [m.job.id for m in answer.matches] == ["job-soc", "job-red"]
        assert (answer.recommended_track, answer.session_id, answer.degraded) == (
            TrackKey.DEFENDER,
            "s-u-1",
            False,
        )
        assert answer.message == TALENT_MATCH_MESSAGES[MatchStatus.MATCHED]
        assert answer.matches[0].match.skill_recipes[0].recipes[0].id == "r-dns"
        assert answer.reason_codes == ("jobs_ranked",)
        calls = (ports.sessions.calls, ports.jobs.calls, ports.talent.calls, ports.recipes.calls)
        assert [sum(c.values()) for c in calls] == [1, 1, 1, 1]

    def test_without_completed_profiler_the_learner_is_asked_to_complete_it(self) -> None:
        """No completed session: profiler_incomplete, the message asks to complete it, no other call."""
        ports = Ports()
        answer = talent_matches(
            UserId("u-4"),
            sessions=ports.sessions,
            jobs=ports.jobs,
            talent=ports.talent,
            recipes=ports.recipes,
            now=NOW,
        )
        assert (answer.status, answer.matches, answer.degraded) == (
            MatchStatus.PROFILER_INCOMPLETE,
            (),
            False,
        )
        assert answer.message == "Complete the profiler to see your job matches."
        assert answer.reason_codes == ("complete_profiler",)
        assert not ports.jobs.calls
        assert not ports.talent.calls
        assert not ports.recipes.calls

    def test_learner_without_talent_profile_is_matched_on_profiler_data(self) -> None:
        """A missing talent profile is a reason, not a failure."""
        ports = Ports()
        ports.sessions.add(session("u-9"))
        answer = talent_matches(
            UserId("u-9"), sessions=ports.sessions, jobs=ports.jobs, talent=ports.talent, now=NOW
        )
        assert answer.status is MatchStatus.MATCHED
        assert answer.reason_codes == ("jobs_ranked", "talent_profile_missing")
        assert not answer.degraded

    def test_no_open_job(self) -> None:
        """Only closed postings: no_matches and its message."""
        ports = Ports()
        answer = talent_matches(
            LEARNER,
            sessions=ports.sessions,
            jobs=InMemoryJobRepository(jobs()[2:]),
            talent=ports.talent,
            now=NOW,
        )
        assert (answer.status, answer.message) == (
            MatchStatus.NO_MATCHES,
            TALENT_MATCH_MESSAGES[MatchStatus.NO_MATCHES],
        )

    @pytest.mark.parametrize(
        ("broken", "status", "code"),
        [
            ("sessions", MatchStatus.NO_MATCHES, "profiler_unavailable"),
            ("jobs", MatchStatus.NO_MATCHES, "jobs_unavailable"),
            ("talent", MatchStatus.MATCHED, "talent_unavailable"),
            ("recipes", MatchStatus.MATCHED, "recipes_unavailable"),
        ],
    )
    def test_a_failing_port_degrades_with_a_reason_and_a_warning(
        self, broken: str, status: MatchStatus, code: str, caplog: pytest.LogCaptureFixture
    ) -> None:
        """A repository failure is logged at WARNING and degrades the answer; nothing raises."""
        ports = Ports()
        kwargs: dict[str, object] = {
            "sessions": ports.sessions,
            "jobs": ports.jobs,
            "talent": ports.talent,
            "recipes": ports.recipes,
        }
        kwargs[broken] = FailingRepository()
        with caplog.at_level(logging.WARNING, logger="profiler_core.marketplace"):
            answer = talent_matches(LEARNER, now=NOW, **kwargs)  # type: ignore[arg-type]  # ports by name
        assert answer.degraded
        assert (answer.status, answer.reason_codes[-1]) == (status, code)
        assert answer.message == TALENT_MATCH_MESSAGES["degraded"]
        assert [r.levelno for r in caplog.records] == [logging.WARNING]
        assert (caplog.records[0].exc_info, caplog.records[0].__dict__["error_type"]) == (
            None,
            "ConnectionError",
        )

    def test_decision_is_logged_at_debug_with_ids_only(self, caplog: pytest.LogCaptureFixture) -> None:
        """The DEBUG record carries ids, codes, numbers and the duration."""
        ports = Ports()
        with caplog.at_level(logging.DEBUG, logger="profiler_core.marketplace"):
            talent_matches(LEARNER, sessions=ports.sessions, jobs=ports.jobs, talent=ports.talent, now=NOW)
        [record] = caplog.records
        assert record.levelno == logging.DEBUG
        assert record.__dict__["learner_id"] == "u-1"
        assert record.__dict__["job_ids"] == ["job-soc", "job-red"]
        assert record.__dict__["reason_codes"] == ["jobs_ranked"]
        assert record.__dict__["duration_ms"] >= 0
        assert_no_free_text(record)

    def test_search_is_logged_at_debug_with_ids_only(self, caplog: pytest.LogCaptureFixture) -> None:
        """The talent search's DEBUG record carries ids and numbers, never titles or skills."""
        ports = Ports()
        with caplog.at_level(logging.DEBUG, logger="profiler_core.marketplace"):
            talent_search(
                JobId("job-soc"), jobs=ports.jobs, talent=ports.talent, sessions=ports.sessions, now=NOW
            )
        [record] = caplog.records
        assert (record.levelno, record.__dict__["job_id"]) == (logging.DEBUG, "job-soc")
        assert record.__dict__["user_ids"] == ["u-3", "u-1"]
        assert_no_free_text(record)

    def test_foreign_talent_profile_is_dropped(self, caplog: pytest.LogCaptureFixture) -> None:
        """Another user's profile from the talent port is dropped (WARNING, ids only); nothing raises."""

        class Confused(InMemoryTalentProfileRepository):
            def profiles_for_users(self, user_ids: Collection[UserId]) -> Mapping[UserId, TalentProfile]:
                return {LEARNER: profiles()[1]}

        ports = Ports()
        with caplog.at_level(logging.WARNING, logger="profiler_core.marketplace"):
            answer = talent_matches(
                LEARNER, sessions=ports.sessions, jobs=ports.jobs, talent=Confused(profiles()), now=NOW
            )
        assert answer.status is MatchStatus.MATCHED
        assert answer.reason_codes == ("jobs_ranked", "talent_profile_missing")
        assert all(m.match.matched_skills == () for m in answer.matches)
        (warning,) = caplog.records
        assert (warning.levelno, warning.learner_id, warning.foreign_id) == (  # type: ignore[attr-defined]  # logging extra
            logging.WARNING,
            "u-1",
            "u-2",
        )
        assert_no_free_text(warning)

    def test_foreign_session_is_dropped(self, caplog: pytest.LogCaptureFixture) -> None:
        """Another learner's session from the session port counts as none: profiler_incomplete, no raise."""

        class Confused(InMemorySessionRepository):
            def latest_completed_sessions(
                self, user_ids: Collection[UserId]
            ) -> Mapping[UserId, ProfilerSession]:
                return {LEARNER: session("u-3")}

        ports = Ports()
        with caplog.at_level(logging.WARNING, logger="profiler_core.marketplace"):
            answer = talent_matches(
                LEARNER, sessions=Confused(), jobs=ports.jobs, talent=ports.talent, now=NOW
            )
        assert (answer.status, answer.session_id, answer.matches) == (
            MatchStatus.PROFILER_INCOMPLETE,
            None,
            (),
        )
        assert not ports.jobs.calls
        (warning,) = caplog.records
        assert (warning.learner_id, warning.foreign_id) == ("u-1", "u-3")  # type: ignore[attr-defined]  # logging extra

    @pytest.mark.parametrize(
        ("limit", "now", "field"),
        [
            (0, NOW, "limit"),
            (True, NOW, "limit"),
            (3, NOW.replace(tzinfo=None), "now"),
        ],
        ids=["limit-0", "limit-bool", "naive-now"],
    )
    def test_bad_arguments_raise_before_any_call(self, limit: int, now: datetime, field: str) -> None:
        """A bad limit or a naive now raises the pure ranking's error before any repository call."""
        ports = Ports()
        with pytest.raises(InvalidValueError) as raised:
            talent_matches(
                LEARNER,
                sessions=ports.sessions,
                jobs=ports.jobs,
                talent=ports.talent,
                recipes=ports.recipes,
                now=now,
                limit=limit,
            )
        with pytest.raises(InvalidValueError) as pure:
            rank_jobs(profiles()[0], [], session=session(), now=now, limit=limit)
        assert (raised.value.field, raised.value.reason) == (pure.value.field, pure.value.reason)
        assert raised.value.field == field
        calls = ports.sessions.calls + ports.jobs.calls + ports.talent.calls + ports.recipes.calls
        assert calls.total() == 0

    def test_messages_are_read_only(self) -> None:
        """TALENT_MATCH_MESSAGES is a FrozenMap: a host cannot change another host's messages."""
        assert isinstance(TALENT_MATCH_MESSAGES, FrozenMap)
        with pytest.raises(TypeError):
            TALENT_MATCH_MESSAGES["degraded"] = "changed"  # type: ignore[index]  # the point: no __setitem__
        assert set(TALENT_MATCH_MESSAGES) == {"matched", "no_matches", "profiler_incomplete", "degraded"}

    def test_json_body(self) -> None:
        """as_dict() is the endpoint body: plain JSON with the documented keys."""
        ports = Ports()
        answer = talent_matches(
            LEARNER, sessions=ports.sessions, jobs=ports.jobs, talent=ports.talent, now=NOW, limit=1
        )
        body = json.loads(json.dumps(unstructure(answer)))
        assert list(body) == [
            "learner_id",
            "status",
            "recommended_track",
            "session_id",
            "matches",
            "message",
            "reasons",
            "policy",
            "degraded",
        ]
        assert (body["status"], body["recommended_track"], body["policy"]) == (
            "matched",
            "defender",
            "matching@1",
        )
        assert [m["job"]["id"] for m in body["matches"]] == ["job-soc"]
        assert [c["kind"] for c in body["matches"][0]["match"]["components"]] == [
            "skills",
            "track",
            "level",
            "readiness",
        ]


class TestTalentSearch:
    def test_only_searchable_profiled_candidates_in_bounded_calls(self) -> None:
        """Employers see visible, consenting, profiled learners; each port is called once."""
        ports = Ports()
        search = talent_search(
            JobId("job-soc"),
            jobs=ports.jobs,
            talent=ports.talent,
            sessions=ports.sessions,
            recipes=ports.recipes,
            now=NOW,
        )
        ranking = search.ranking
        assert [m.profile.user_id for m in ranking.matches] == ["u-3", "u-1"]  # 70.5 and 67.5
        assert dict(ranking.excluded) == {"candidate_profiler_incomplete": 1}
        assert not search.degraded
        calls = (ports.sessions.calls, ports.jobs.calls, ports.talent.calls, ports.recipes.calls)
        assert [sum(c.values()) for c in calls] == [1, 1, 1, 1]
        assert json.loads(json.dumps(unstructure(search)))["degraded"] is False

    @pytest.mark.parametrize(
        ("job_id", "status", "code"),
        [
            ("job-none", MatchStatus.JOB_NOT_FOUND, "job_not_found"),
            ("job-off", MatchStatus.JOB_CLOSED, "job_inactive"),
            ("job-old", MatchStatus.JOB_CLOSED, "job_deadline_passed"),
        ],
    )
    def test_unknown_or_closed_job(self, job_id: str, status: MatchStatus, code: str) -> None:
        """An unknown job is job_not_found; a closed one job_closed with why."""
        ports = Ports()
        search = talent_search(
            JobId(job_id), jobs=ports.jobs, talent=ports.talent, sessions=ports.sessions, now=NOW
        )
        assert (search.ranking.status, search.ranking.reason_codes) == (status, (code,))

    @pytest.mark.parametrize("job_id", ["job-off", "job-old"])
    def test_closed_job_reads_no_candidates(self, job_id: str) -> None:
        """A closed job answers job_closed after one job read: no profile, session or recipe scan."""
        ports = Ports()
        search = talent_search(
            JobId(job_id),
            jobs=ports.jobs,
            talent=ports.talent,
            sessions=ports.sessions,
            recipes=ports.recipes,
            now=NOW,
        )
        assert (search.ranking.status, search.degraded) == (MatchStatus.JOB_CLOSED, False)
        assert ports.jobs.calls == {"jobs_by_ids": 1}
        assert (ports.talent.calls + ports.sessions.calls + ports.recipes.calls).total() == 0

    @pytest.mark.parametrize(
        ("job_id", "limit", "now", "field"),
        [
            ("job-soc", 0, NOW, "limit"),
            ("job-none", -1, NOW, "limit"),
            ("job-soc", 3, NOW.replace(tzinfo=None), "now"),
        ],
        ids=["limit-0", "unknown-job-limit", "naive-now"],
    )
    def test_bad_arguments_raise_before_any_call(
        self, job_id: str, limit: int, now: datetime, field: str
    ) -> None:
        """A bad limit or a naive now raises the pure ranking's InvalidValueError before the job is read."""
        ports = Ports()
        with pytest.raises(InvalidValueError) as raised:
            talent_search(
                JobId(job_id),
                jobs=ports.jobs,
                talent=ports.talent,
                sessions=ports.sessions,
                now=now,
                limit=limit,
            )
        with pytest.raises(InvalidValueError) as pure:
            rank_candidates(jobs()[0], [], sessions={}, now=now, limit=limit)
        assert (raised.value.field, raised.value.reason) == (pure.value.field, pure.value.reason)
        assert raised.value.field == field
        assert (ports.jobs.calls + ports.talent.calls + ports.sessions.calls).total() == 0

    def test_foreign_rows_are_dropped(self, caplog: pytest.LogCaptureFixture) -> None:
        """Another job for the id asked, or a session filed under another learner, is dropped (WARNING)."""

        class WrongJob(InMemoryJobRepository):
            def jobs_by_ids(self, ids: Collection[JobId]) -> Mapping[JobId, JobPosting]:
                return {JobId("job-soc"): jobs()[1]}

        class SwappedSessions(InMemorySessionRepository):
            def latest_completed_sessions(
                self, user_ids: Collection[UserId]
            ) -> Mapping[UserId, ProfilerSession]:
                return {**super().latest_completed_sessions(user_ids), UserId("u-4"): session("u-3")}

        ports = Ports()
        with caplog.at_level(logging.WARNING, logger="profiler_core.marketplace"):
            wrong_job = talent_search(
                JobId("job-soc"), jobs=WrongJob(), talent=ports.talent, sessions=ports.sessions, now=NOW
            )
            swapped = talent_search(
                JobId("job-soc"),
                jobs=ports.jobs,
                talent=ports.talent,
                sessions=SwappedSessions(ports.sessions.sessions),
                now=NOW,
            )
        assert (wrong_job.ranking.status, wrong_job.ranking.reason_codes) == (
            MatchStatus.JOB_NOT_FOUND,
            ("job_not_found",),
        )
        assert [m.profile.user_id for m in swapped.ranking.matches] == ["u-3", "u-1"]
        assert dict(swapped.ranking.excluded) == {"candidate_profiler_incomplete": 1}
        assert [r.levelno for r in caplog.records] == [logging.WARNING, logging.WARNING]
        for record in caplog.records:
            assert_no_free_text(record)

    def test_nobody_searchable(self) -> None:
        """No searchable profile: no session lookup is needed, no candidate is listed."""
        ports = Ports()
        search = talent_search(
            JobId("job-soc"),
            jobs=ports.jobs,
            talent=InMemoryTalentProfileRepository(),
            sessions=ports.sessions,
            now=NOW,
        )
        assert search.ranking.status is MatchStatus.NO_MATCHES
        assert not ports.sessions.calls

    @pytest.mark.parametrize(
        ("broken", "code"),
        [("jobs", "jobs_unavailable"), ("talent", "talent_unavailable"), ("sessions", "talent_unavailable")],
    )
    def test_a_failing_port_degrades(self, broken: str, code: str, caplog: pytest.LogCaptureFixture) -> None:
        """A repository failure is logged at WARNING and degrades the search with a reason."""
        ports = Ports()
        kwargs: dict[str, object] = {"jobs": ports.jobs, "talent": ports.talent, "sessions": ports.sessions}
        kwargs[broken] = FailingRepository()
        with caplog.at_level(logging.WARNING, logger="profiler_core.marketplace"):
            search = talent_search(JobId("job-soc"), now=NOW, **kwargs)  # type: ignore[arg-type]  # ports by name
        assert search.degraded
        assert search.ranking.matches == ()
        assert search.ranking.reason_codes[-1] == code
        assert [r.levelno for r in caplog.records] == [logging.WARNING]

    def test_failing_recipe_lookup_keeps_the_candidates(self) -> None:
        """Without recipes the candidates are still ranked, with reason recipes_unavailable."""
        ports = Ports()
        search = talent_search(
            JobId("job-soc"),
            jobs=ports.jobs,
            talent=ports.talent,
            sessions=ports.sessions,
            recipes=FailingRepository(),  # type: ignore[arg-type]  # stands in for any port
            now=NOW,
        )
        assert search.degraded
        assert [m.profile.user_id for m in search.ranking.matches] == ["u-3", "u-1"]
        assert search.ranking.reason_codes == ("candidates_ranked", "recipes_unavailable")


class LaxJobRepository(InMemoryJobRepository):
    """A broken adapter: forgets the deadline."""

    def active_jobs(self, *, now: datetime) -> Sequence[JobPosting]:
        return [j for j in self.jobs if j.is_active]


class LeakyTalentRepository(InMemoryTalentProfileRepository):
    """A broken adapter: ignores share consent."""

    def searchable_profiles(self) -> Sequence[TalentProfile]:
        return [p for p in self.profiles if p.is_visible]


class NarrowTalentRepository(InMemoryTalentProfileRepository):
    """A broken adapter: answers only for visible profiles."""

    def profiles_for_users(self, user_ids: Collection[UserId]) -> Mapping[UserId, TalentProfile]:
        return {u: p for u, p in super().profiles_for_users(user_ids).items() if p.is_visible}


class TestContracts:
    def test_in_memory_job_repository_honours_the_contract(self) -> None:
        """The fake job repository passes the contract a host adapter must pass."""
        check_job_repository(InMemoryJobRepository)

    def test_in_memory_talent_repository_honours_the_contract(self) -> None:
        """The fake talent repository passes the contract a host adapter must pass."""
        check_talent_profile_repository(InMemoryTalentProfileRepository)

    def test_job_contract_catches_an_adapter_ignoring_deadlines(self) -> None:
        """An adapter that lists expired jobs fails the job contract."""
        with pytest.raises(AssertionError, match="active_jobs"):
            check_job_repository(LaxJobRepository)

    @pytest.mark.parametrize(
        ("adapter", "message"),
        [(LeakyTalentRepository, "searchable_profiles"), (NarrowTalentRepository, "profiles_for_users")],
    )
    def test_talent_contract_catches_broken_adapters(
        self, adapter: type[InMemoryTalentProfileRepository], message: str
    ) -> None:
        """An adapter leaking non-consenting profiles, or hiding profiles from their owner, fails."""
        with pytest.raises(AssertionError, match=message):
            check_talent_profile_repository(adapter)

    def test_fakes_satisfy_the_ports(self) -> None:
        """The fakes are usable wherever the ports are expected."""
        job_port: JobRepository = InMemoryJobRepository()
        talent_port: TalentProfileRepository = InMemoryTalentProfileRepository()
        assert job_port.active_jobs(now=NOW) == []
        assert talent_port.searchable_profiles() == []
