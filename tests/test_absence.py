"""One idiom for an expected absence: ``absence`` is ``None`` with an answer, else the reason why not.

One table over every outcome class that can be an expected absence (docs/decisions.md): each
row builds the outcome the ordinary way and names the reason code it must carry (or ``None``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Protocol

import pytest
from tests import analytics_builders as ab
from tests import gap_builders as gb
from tests import match_builders as mb

from profiler_core import (
    AnalyticsPartial,
    JobPosting,
    Mission,
    PortfolioEntry,
    Principal,
    ProfilerSession,
    RoleGrant,
    structure,
)
from profiler_core.access import (
    AccessDecision,
    AnalyticsView,
    LearnerProfilerData,
    ResultsProjection,
    ResultsView,
    decide_cohort_analytics_access,
    decide_results_access,
    project_results,
)
from profiler_core.decisions import Absent, Present, Reason
from profiler_core.gap_values import GapAnalysis
from profiler_core.gaps import analyze_gaps
from profiler_core.leadership import LeadershipStatement, StatementNotFound, leadership_statement
from profiler_core.mapping import EligibleMissions, eligible_missions, mission_ceiling
from profiler_core.match_results import CandidateRanking, JobRanking, MatchStatus
from profiler_core.matching import rank_candidates, rank_jobs
from profiler_core.reports import CohortReport, EnterpriseReport, cohort_report, enterprise_report
from profiler_core.services import (
    AnalyticsAllowed,
    AnalyticsNotFound,
    ReportNotFound,
    ReportUnavailable,
    ResultsAllowed,
    ResultsNotFound,
)
from profiler_core.vocabulary import Role

NOW = datetime(2026, 10, 1, tzinfo=UTC)


class HasAbsence(Protocol):
    @property
    def absence(self) -> Reason | None: ...


ADMIN = Principal(user_id="admin-1", roles=(RoleGrant(role=Role.ADMIN),))
BASE = mission_ceiling(None)
MISSING = Reason(code="cohort_not_found", message="No cohort c-9.")


def mission() -> Mission:
    return structure({"id": 7, "code": "M-1", "title": "Ports", "difficulty": "Beginner"}, Mission)


def statement() -> PortfolioEntry:
    return structure(
        {"id": "e-1", "user_id": "u-1", "title": "My Value Statement", "summary": "I value integrity.",
         "item_type": "reflection", "status": "approved", "visibility": "private"},
        PortfolioEntry,
    )  # fmt: skip


def results_decision() -> AccessDecision[ResultsView]:
    return decide_results_access(ADMIN, "u-1", assignments=[], enrollments=[], cohorts=[], now=NOW)


def analytics_decision() -> AccessDecision[AnalyticsView]:
    return decide_cohort_analytics_access(ADMIN, ab.cohort("c-1"), now=NOW)


def projection() -> ResultsProjection:
    return project_results(LearnerProfilerData(session=gb.session(user_id="u-1")), ResultsView.ADMIN)


def jobs(postings: list[JobPosting], session: ProfilerSession | None) -> JobRanking:
    return rank_jobs(mb.profile(), postings, session=session, now=NOW)


def candidates(posting: JobPosting) -> CandidateRanking:
    return rank_candidates(posting, [mb.profile()], sessions={mb.profile().user_id: mb.session()}, now=NOW)


def job_ranking(status: MatchStatus) -> JobRanking:
    """A ranking as a service builds one without reasons (the status alone must still explain it)."""
    return JobRanking(learner_id="u-1", status=status, matches=())


#: (what is built, how, the absence code it must carry or None when it holds an answer)
CASES: list[tuple[str, Callable[[], HasAbsence], str | None]] = [
    ("EligibleMissions, empty catalogue", lambda: eligible_missions([], BASE), "no_eligible_missions"),
    ("EligibleMissions, a mission", lambda: eligible_missions([mission()], BASE), None),
    ("GapAnalysis, no completed profiler", lambda: analyze_gaps(None), "no_completed_session"),
    ("GapAnalysis, completed", lambda: analyze_gaps(gb.session(), gb.result()), None),
    ("JobRanking, profiler incomplete", lambda: jobs([mb.job()], None), "complete_profiler"),
    ("JobRanking, no open job", lambda: jobs([], mb.session()), "no_open_jobs"),
    ("JobRanking, matched", lambda: jobs([mb.job()], mb.session()), None),
    ("JobRanking, no reasons given", lambda: job_ranking(MatchStatus.NO_MATCHES), "no_matches"),
    ("CandidateRanking, job closed", lambda: candidates(mb.job(active=False)), "job_inactive"),
    ("CandidateRanking, matched", lambda: candidates(mb.job()), None),
    ("StatementNotFound", lambda: leadership_statement(None, learner_id="u-1"), "value_statement_not_found"),
    ("LeadershipStatement", lambda: leadership_statement(statement(), learner_id="u-1"), None),
    (
        "ResultsNotFound",
        lambda: ResultsNotFound(learner_id="u-1", decision=results_decision(), reason=MISSING),
        "cohort_not_found",
    ),
    (
        "ResultsAllowed",
        lambda: ResultsAllowed(learner_id="u-1", decision=results_decision(), projection=projection()),
        None,
    ),
    (
        "AnalyticsNotFound",
        lambda: AnalyticsNotFound(subject_id="c-9", decision=analytics_decision(), reason=MISSING),
        "cohort_not_found",
    ),
    (
        "AnalyticsAllowed",
        lambda: AnalyticsAllowed(subject_id="c-1", decision=analytics_decision(), cohorts=()),
        None,
    ),
    ("ReportNotFound", lambda: ReportNotFound(subject_id="c-9", reason=MISSING), "cohort_not_found"),
    ("ReportUnavailable", lambda: ReportUnavailable(subject_id="c-9", reason=MISSING), "cohort_not_found"),
    ("CohortReport", lambda: cohort_report(ab.cohort("c-1"), AnalyticsPartial.empty()), None),
    (
        "EnterpriseReport",
        lambda: enterprise_report(ab.ORG, [ab.cohort("c-1")], AnalyticsPartial.empty()),
        None,
    ),
]

#: Every class the idiom covers (the table must build each at least once).
COVERED: set[type] = {
    EligibleMissions,
    GapAnalysis,
    JobRanking,
    CandidateRanking,
    StatementNotFound,
    LeadershipStatement,
    ResultsAllowed,
    ResultsNotFound,
    AnalyticsAllowed,
    AnalyticsNotFound,
    ReportNotFound,
    ReportUnavailable,
    CohortReport,
    EnterpriseReport,
}


def _name(cls: type) -> str:
    return cls.__name__


class TestAbsence:
    @pytest.mark.parametrize(("build", "code"), [(b, c) for _, b, c in CASES], ids=[n for n, _, _ in CASES])
    def test_absence_is_none_with_an_answer_else_the_reason(
        self, build: Callable[[], HasAbsence], code: str | None
    ) -> None:
        """``absence`` is None when the outcome holds its answer, else a Reason with the expected code."""
        absence = build().absence
        if code is None:
            assert absence is None
        else:
            assert isinstance(absence, Reason)
            assert absence.code == code

    def test_the_table_covers_every_class_of_the_idiom(self) -> None:
        """Each class named in docs/decisions.md is built by a row of the table."""
        assert {type(build()) for _, build, _ in CASES} == COVERED

    @pytest.mark.parametrize("cls", sorted(COVERED, key=str), ids=_name)
    def test_every_class_exposes_absence(self, cls: type) -> None:
        """Every outcome that can be an expected absence has the ``absence`` property."""
        assert isinstance(getattr(cls, "absence", None), property)

    def test_the_old_attributes_still_agree(self) -> None:
        """empty_reason, profiler_completed and status keep working and agree with absence."""
        empty = eligible_missions([], mission_ceiling(None))
        assert empty.absence == empty.empty_reason
        analysis = analyze_gaps(None)
        assert (analysis.profiler_completed, analysis.absence) == (False, analysis.reasons[0])
        ranking = rank_jobs(mb.profile(), [mb.job()], session=None, now=NOW)
        assert ranking.status is MatchStatus.PROFILER_INCOMPLETE
        assert ranking.absence == ranking.reasons[0]

    def test_not_found_outcomes_are_absent_and_found_ones_present(self) -> None:
        """The mixins give the not-found outcomes their reason and the found ones None."""
        assert issubclass(StatementNotFound, Absent)
        assert issubclass(ResultsNotFound, Absent)
        assert issubclass(LeadershipStatement, Present)
        assert issubclass(ResultsAllowed, Present)
        assert StatementNotFound(learner_id="u-1").absence.code == "value_statement_not_found"
