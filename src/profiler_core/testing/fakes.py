"""In-memory implementations of every port, for tests and the demo.

Each fake counts its calls in ``calls`` so tests can assert that a service
makes a bounded number of repository calls (no N+1).

Every fake keys by canonical id (:func:`~profiler_core.models.canonical_id`):
asked with ``100``, ``"100"``, a ``UUID`` or its upper-case text it answers the
same, keyed by the canonical text, as a host adapter must
(:mod:`profiler_core.testing.contracts` checks it).
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from datetime import datetime
from typing import TypeVar

import attrs

from profiler_core.access import AuditRecord
from profiler_core.dp import PrivacyBudget
from profiler_core.errors import InvalidValueError
from profiler_core.mapping import latest_completed_session, mission_sort_key
from profiler_core.matching import job_is_open, profile_is_searchable
from profiler_core.mission_progress import MissionAssignmentRecord, MissionProgress, MissionSubmission
from profiler_core.models import (
    Cohort,
    CohortId,
    Enrollment,
    EntryId,
    JobId,
    JobPosting,
    MentorAssignment,
    Mission,
    MissionId,
    OrgId,
    PortfolioEntry,
    ProfilerResult,
    ProfilerSession,
    Recipe,
    SessionId,
    TalentProfile,
    UserId,
    canonical_id,
)
from profiler_core.portfolio import (
    COMPARE_AND_SET_FIELDS,
    is_value_statement_entry,
    pick_value_statement_entry,
)
from profiler_core.recipe_ranking import recipe_popularity_key
from profiler_core.taxonomy import normalise_code
from profiler_core.vocabulary import AssignmentType, MissionDifficulty, TrackKey

__all__ = [
    "FailingRepository",
    "InMemorySessionRepository",
    "InMemoryMissionRepository",
    "InMemoryMissionProgressRepository",
    "InMemoryRecipeRepository",
    "InMemoryMentorAssignmentRepository",
    "InMemoryEnrollmentRepository",
    "InMemoryCohortRepository",
    "InMemoryValueStatementSource",
    "InMemoryAuditSink",
    "InMemoryPortfolioRepository",
    "InMemoryJobRepository",
    "InMemoryTalentProfileRepository",
    "InMemoryCohortAnalyticsRepository",
    "InMemoryPrivacyBudgetRepository",
]


T = TypeVar("T")
K = TypeVar("K", bound=str)


def _canonical(wanted: Iterable[str]) -> set[str]:
    # A host may ask with the platform's raw keys (int, UUID, upper-case UUID text): same answer.
    return {canonical_id(w, field="id") for w in wanted}


def _grouped(items: Iterable[T], key: Callable[[T], K | None], wanted: Collection[K]) -> dict[K, list[T]]:
    """The *items* whose key is one of *wanted* (by canonical id), grouped by that key (input order kept)."""
    keys = _canonical(wanted)
    found: dict[K, list[T]] = {}
    for item in items:
        item_key = key(item)
        if item_key is not None and item_key in keys:
            found.setdefault(item_key, []).append(item)
    return found


def _indexed(items: Iterable[T], key: Callable[[T], K], wanted: Collection[K]) -> dict[K, T]:
    """The *items* whose key is one of *wanted* (by canonical id), by that key (the last one wins)."""
    keys = _canonical(wanted)
    return {key(item): item for item in items if key(item) in keys}


class FailingRepository:
    """Stands in for any port and raises *error* from every method (to test degradation)."""

    def __init__(self, error: Exception | None = None) -> None:
        self.error = error or ConnectionError("repository unavailable")

    def __getattr__(self, name: str) -> object:
        def fail(*_args: object, **_kwargs: object) -> object:
            raise self.error

        return fail


class InMemorySessionRepository:
    """:class:`~profiler_core.ports.SessionRepository` over lists of values."""

    def __init__(
        self,
        sessions: Iterable[ProfilerSession] = (),
        results: Iterable[ProfilerResult] = (),
    ) -> None:
        self.sessions: list[ProfilerSession] = list(sessions)
        self.results: dict[SessionId, ProfilerResult] = {
            r.session_id: r for r in results if r.session_id is not None
        }
        self.calls: Counter[str] = Counter()

    def add(self, session: ProfilerSession, result: ProfilerResult | None = None) -> None:
        """Store a session (and its result)."""
        self.sessions.append(session)
        if result is not None:
            self.results[session.id] = result

    def latest_completed_sessions(self, user_ids: Collection[UserId]) -> Mapping[UserId, ProfilerSession]:
        """See :class:`~profiler_core.ports.SessionRepository`."""
        self.calls["latest_completed_sessions"] += 1
        by_user = _grouped(self.sessions, lambda s: s.user_id, user_ids)
        latest = {user: latest_completed_session(items) for user, items in by_user.items()}
        return {user: session for user, session in latest.items() if session is not None}

    def results_for_sessions(self, session_ids: Collection[SessionId]) -> Mapping[SessionId, ProfilerResult]:
        """See :class:`~profiler_core.ports.SessionRepository`."""
        self.calls["results_for_sessions"] += 1
        wanted = _canonical(session_ids)
        return {sid: result for sid, result in self.results.items() if sid in wanted}


class InMemoryMissionRepository:
    """:class:`~profiler_core.ports.MissionRepository` over a list of missions."""

    def __init__(self, missions: Iterable[Mission] = ()) -> None:
        self.missions: list[Mission] = list(missions)
        self.calls: Counter[str] = Counter()

    def list_missions(
        self,
        *,
        max_difficulty: MissionDifficulty | None = None,
        active_only: bool = True,
    ) -> Sequence[Mission]:
        """See :class:`~profiler_core.ports.MissionRepository`."""
        self.calls["list_missions"] += 1
        chosen = [
            m
            for m in self.missions
            if (not active_only or m.is_active) and (max_difficulty is None or m.difficulty <= max_difficulty)
        ]
        return sorted(chosen, key=mission_sort_key)

    def missions_by_ids(self, ids: Collection[MissionId]) -> Mapping[MissionId, Mission]:
        """See :class:`~profiler_core.ports.MissionRepository`."""
        self.calls["missions_by_ids"] += 1
        return _indexed(self.missions, lambda m: m.id, ids)


# --- recipes (SPEC §4) ---


class InMemoryMissionProgressRepository:
    """:class:`~profiler_core.ports.MissionProgressRepository` over assignments, submissions and points."""

    def __init__(
        self,
        assignments: Iterable[MissionAssignmentRecord] = (),
        submissions: Iterable[MissionSubmission] = (),
        points: Mapping[str, int] | None = None,
    ) -> None:
        self.assignments = list(assignments)
        self.submissions = list(submissions)
        self.points: dict[UserId, int] = {
            UserId(canonical_id(k, field="id")): v for k, v in (points or {}).items()
        }
        self.calls: Counter[str] = Counter()

    def add_submission(self, submission: MissionSubmission) -> None:
        """Store one more submission (the demo's strong submissions)."""
        self.submissions.append(submission)

    def progress_for(self, learner_ids: Collection[UserId]) -> Mapping[UserId, MissionProgress]:
        """See :class:`~profiler_core.ports.MissionProgressRepository`."""
        self.calls["progress_for"] += 1
        assigned = _grouped(self.assignments, lambda a: a.learner_id, learner_ids)
        submitted = _grouped(self.submissions, lambda s: s.learner_id, learner_ids)
        pointed = {k: v for k, v in self.points.items() if k in _canonical(learner_ids)}
        return {
            learner: MissionProgress(
                learner_id=learner,
                assignments=assigned.get(learner, ()),
                submissions=submitted.get(learner, ()),
                points=pointed.get(learner, 0),
            )
            for learner in sorted(set(assigned) | set(submitted) | set(pointed))
        }


class InMemoryRecipeRepository:
    """:class:`~profiler_core.ports.RecipeRepository` over a list of recipes."""

    def __init__(self, recipes: Iterable[Recipe] = ()) -> None:
        self.recipes: list[Recipe] = list(recipes)
        self.calls: Counter[str] = Counter()

    def add(self, recipe: Recipe) -> None:
        """Store a recipe."""
        self.recipes.append(recipe)

    def active_recipes_with_codes(self, codes: Collection[str]) -> Sequence[Recipe]:
        """See :class:`~profiler_core.ports.RecipeRepository`."""
        self.calls["active_recipes_with_codes"] += 1
        wanted = {normalise_code(c) for c in codes}
        return [
            r for r in self.recipes if r.is_active and any(normalise_code(c) in wanted for c in r.skill_codes)
        ]

    def popular_recipes(self, limit: int) -> Sequence[Recipe]:
        """See :class:`~profiler_core.ports.RecipeRepository`."""
        self.calls["popular_recipes"] += 1
        return heapq.nsmallest(limit, (r for r in self.recipes if r.is_active), key=recipe_popularity_key)


# --- access (SPEC §5) ---


class InMemoryMentorAssignmentRepository:
    """:class:`~profiler_core.ports.MentorAssignmentRepository` over a list of assignments."""

    def __init__(self, assignments: Iterable[MentorAssignment] = ()) -> None:
        self.assignments: list[MentorAssignment] = list(assignments)
        self.calls: Counter[str] = Counter()

    def assignments_for_mentors(
        self, mentor_ids: Collection[UserId]
    ) -> Mapping[UserId, Sequence[MentorAssignment]]:
        """See :class:`~profiler_core.ports.MentorAssignmentRepository`."""
        self.calls["assignments_for_mentors"] += 1
        return _grouped(self.assignments, lambda a: a.mentor_id, mentor_ids)

    def assignments_naming(
        self,
        *,
        mentee_ids: Collection[UserId] = (),
        cohort_ids: Collection[CohortId] = (),
        tracks: Collection[TrackKey] = (),
    ) -> Sequence[MentorAssignment]:
        """See :class:`~profiler_core.ports.MentorAssignmentRepository`."""
        self.calls["assignments_naming"] += 1
        mentees, cohorts, wanted_tracks = _canonical(mentee_ids), _canonical(cohort_ids), set(tracks)
        return [
            a
            for a in self.assignments
            if (a.mentee_id is not None and a.mentee_id in mentees)
            or (a.assignment_type is AssignmentType.COHORT and a.cohort_id in cohorts)
            or (a.assignment_type is AssignmentType.TRACK and a.track in wanted_tracks)
        ]


class InMemoryEnrollmentRepository:
    """:class:`~profiler_core.ports.EnrollmentRepository` over a list of enrollments."""

    def __init__(self, enrollments: Iterable[Enrollment] = ()) -> None:
        self.enrollments: list[Enrollment] = list(enrollments)
        self.calls: Counter[str] = Counter()

    def enrollments_for_users(self, user_ids: Collection[UserId]) -> Mapping[UserId, Sequence[Enrollment]]:
        """See :class:`~profiler_core.ports.EnrollmentRepository`."""
        self.calls["enrollments_for_users"] += 1
        return _grouped(self.enrollments, lambda e: e.user_id, user_ids)

    def enrollments_for_cohorts(
        self, cohort_ids: Collection[CohortId]
    ) -> Mapping[CohortId, Sequence[Enrollment]]:
        """See :class:`~profiler_core.ports.EnrollmentRepository`."""
        self.calls["enrollments_for_cohorts"] += 1
        return _grouped(self.enrollments, lambda e: e.cohort_id, cohort_ids)


class InMemoryCohortRepository:
    """:class:`~profiler_core.ports.CohortRepository` over a list of cohorts."""

    def __init__(self, cohorts: Iterable[Cohort] = ()) -> None:
        self.cohorts: list[Cohort] = list(cohorts)
        self.calls: Counter[str] = Counter()

    def cohorts_by_ids(self, cohort_ids: Collection[CohortId]) -> Mapping[CohortId, Cohort]:
        """See :class:`~profiler_core.ports.CohortRepository`."""
        self.calls["cohorts_by_ids"] += 1
        return _indexed(self.cohorts, lambda c: c.id, cohort_ids)

    def cohorts_for_enterprises(self, enterprise_ids: Collection[OrgId]) -> Mapping[OrgId, Sequence[Cohort]]:
        """See :class:`~profiler_core.ports.CohortRepository`."""
        self.calls["cohorts_for_enterprises"] += 1
        return _grouped(self.cohorts, lambda c: c.enterprise_id, enterprise_ids)


class InMemoryValueStatementSource:
    """:class:`~profiler_core.ports.ValueStatementSource` over a list of entries (last per learner wins)."""

    def __init__(self, entries: Iterable[PortfolioEntry] = ()) -> None:
        self.entries: dict[UserId, PortfolioEntry] = {e.user_id: e for e in entries}
        self.calls: Counter[str] = Counter()

    def value_statements_for(self, user_ids: Collection[UserId]) -> Mapping[UserId, PortfolioEntry]:
        """See :class:`~profiler_core.ports.ValueStatementSource`."""
        self.calls["value_statements_for"] += 1
        wanted = _canonical(user_ids)
        return {u: entry for u, entry in self.entries.items() if u in wanted}


class InMemoryAuditSink:
    """:class:`~profiler_core.ports.AuditSink` that keeps every record in ``records``, in order."""

    def __init__(self) -> None:
        self.records: list[AuditRecord] = []
        self.calls: Counter[str] = Counter()

    def write(self, records: Sequence[AuditRecord]) -> None:
        """See :class:`~profiler_core.ports.AuditSink`."""
        self.calls["write"] += 1
        self.records.extend(records)


# --- portfolio and leadership (SPEC §6, §7) ---


class InMemoryPortfolioRepository:
    """:class:`~profiler_core.ports.PortfolioRepository` over a list of entries.

    It also serves as a :class:`~profiler_core.ports.ValueStatementSource`.
    New entries get ids ``entry-1``, ``entry-2``... (skipping ids in use).
    """

    def __init__(self, entries: Iterable[PortfolioEntry] = ()) -> None:
        self.entries: list[PortfolioEntry] = list(entries)
        self.calls: Counter[str] = Counter()
        self._issued = 0

    def value_statements_for(self, user_ids: Collection[UserId]) -> Mapping[UserId, PortfolioEntry]:
        """See :class:`~profiler_core.ports.PortfolioRepository`."""
        self.calls["value_statements_for"] += 1
        by_user = _grouped(self.entries, lambda e: e.user_id, user_ids)
        picked = {user: pick_value_statement_entry(items) for user, items in by_user.items()}
        return {user: entry for user, entry in picked.items() if entry is not None}

    def save_entry(self, entry: PortfolioEntry, *, replacing: PortfolioEntry | None) -> PortfolioEntry | None:
        """See :class:`~profiler_core.ports.PortfolioRepository` (create-once, compare-and-set)."""
        self.calls["save_entry"] += 1
        if replacing is None:
            if entry.id is not None:
                raise InvalidValueError(field="id", reason="must be None for a new entry")
            if is_value_statement_entry(entry) and any(
                is_value_statement_entry(e) and e.user_id == entry.user_id for e in self.entries
            ):
                return None
            stored = attrs.evolve(entry, id=self._new_id())
            self.entries.append(stored)
            return stored
        if entry.id != replacing.id:
            raise InvalidValueError(field="id", reason="must be the id of the entry it replaces")
        for index, current in enumerate(self.entries):
            if current.id == replacing.id:
                if any(getattr(current, f) != getattr(replacing, f) for f in COMPARE_AND_SET_FIELDS):
                    return None
                self.entries[index] = entry
                return entry
        return None

    def _new_id(self) -> EntryId:
        used = {e.id for e in self.entries}
        while True:
            self._issued += 1
            candidate = EntryId(f"entry-{self._issued}")
            if candidate not in used:
                return candidate


# --- marketplace (SPEC §8) ---


class InMemoryJobRepository:
    """:class:`~profiler_core.ports.JobRepository` over a list of postings."""

    def __init__(self, jobs: Iterable[JobPosting] = ()) -> None:
        self.jobs: list[JobPosting] = list(jobs)
        self.calls: Counter[str] = Counter()

    def active_jobs(self, *, now: datetime) -> Sequence[JobPosting]:
        """See :class:`~profiler_core.ports.JobRepository`."""
        self.calls["active_jobs"] += 1
        return sorted((j for j in self.jobs if job_is_open(j, now=now)), key=lambda j: j.id)

    def jobs_by_ids(self, ids: Collection[JobId]) -> Mapping[JobId, JobPosting]:
        """See :class:`~profiler_core.ports.JobRepository`."""
        self.calls["jobs_by_ids"] += 1
        return _indexed(self.jobs, lambda j: j.id, ids)


class InMemoryTalentProfileRepository:
    """:class:`~profiler_core.ports.TalentProfileRepository` over a list of profiles."""

    def __init__(self, profiles: Iterable[TalentProfile] = ()) -> None:
        self.profiles: list[TalentProfile] = list(profiles)
        self.calls: Counter[str] = Counter()

    def profiles_for_users(self, user_ids: Collection[UserId]) -> Mapping[UserId, TalentProfile]:
        """See :class:`~profiler_core.ports.TalentProfileRepository`."""
        self.calls["profiles_for_users"] += 1
        return _indexed(self.profiles, lambda p: p.user_id, user_ids)

    def searchable_profiles(self) -> Sequence[TalentProfile]:
        """See :class:`~profiler_core.ports.TalentProfileRepository`."""
        self.calls["searchable_profiles"] += 1
        return sorted((p for p in self.profiles if profile_is_searchable(p)), key=lambda p: p.user_id)


# --- analytics (SPEC §9) ---


class InMemoryCohortAnalyticsRepository:
    """:class:`~profiler_core.ports.CohortAnalyticsRepository` over lists of values."""

    def __init__(
        self,
        cohorts: Iterable[Cohort] = (),
        enrollments: Iterable[Enrollment] = (),
        sessions: Iterable[ProfilerSession] = (),
        results: Iterable[ProfilerResult] = (),
    ) -> None:
        self.cohorts: dict[CohortId, Cohort] = {c.id: c for c in cohorts}
        self.enrollments: list[Enrollment] = list(enrollments)
        self.sessions = InMemorySessionRepository(sessions, results)
        self.calls: Counter[str] = Counter()

    def cohorts_by_ids(self, cohort_ids: Collection[CohortId]) -> Mapping[CohortId, Cohort]:
        """See :class:`~profiler_core.ports.CohortAnalyticsRepository`."""
        self.calls["cohorts_by_ids"] += 1
        wanted = _canonical(cohort_ids)
        return {cid: cohort for cid, cohort in self.cohorts.items() if cid in wanted}

    def cohorts_for_enterprises(self, enterprise_ids: Collection[OrgId]) -> Mapping[OrgId, Sequence[Cohort]]:
        """See :class:`~profiler_core.ports.CohortAnalyticsRepository`."""
        self.calls["cohorts_for_enterprises"] += 1
        ordered = sorted(self.cohorts.values(), key=lambda c: c.id)
        return _grouped(ordered, lambda c: c.enterprise_id, enterprise_ids)

    def enrollments_for_cohorts(
        self, cohort_ids: Collection[CohortId]
    ) -> Mapping[CohortId, Sequence[Enrollment]]:
        """See :class:`~profiler_core.ports.CohortAnalyticsRepository`."""
        self.calls["enrollments_for_cohorts"] += 1
        return _grouped(self.enrollments, lambda e: e.cohort_id, cohort_ids)

    def latest_completed_sessions(self, user_ids: Collection[UserId]) -> Mapping[UserId, ProfilerSession]:
        """See :class:`~profiler_core.ports.CohortAnalyticsRepository`."""
        self.calls["latest_completed_sessions"] += 1
        return self.sessions.latest_completed_sessions(user_ids)

    def results_for_sessions(self, session_ids: Collection[SessionId]) -> Mapping[SessionId, ProfilerResult]:
        """See :class:`~profiler_core.ports.CohortAnalyticsRepository`."""
        self.calls["results_for_sessions"] += 1
        return self.sessions.results_for_sessions(session_ids)


class InMemoryPrivacyBudgetRepository:
    """:class:`~profiler_core.ports.PrivacyBudgetRepository` over a dict of ledgers (compare-and-set)."""

    def __init__(self, budgets: Iterable[PrivacyBudget] = ()) -> None:
        self.budgets: dict[str, PrivacyBudget] = {b.subject_id: b for b in budgets}
        self.calls: Counter[str] = Counter()

    def budget(self, subject_id: str) -> PrivacyBudget | None:
        """See :class:`~profiler_core.ports.PrivacyBudgetRepository`."""
        self.calls["budget"] += 1
        return self.budgets.get(canonical_id(subject_id))

    def save_budget(self, budget: PrivacyBudget, *, replacing: PrivacyBudget | None) -> PrivacyBudget | None:
        """See :class:`~profiler_core.ports.PrivacyBudgetRepository`."""
        self.calls["save_budget"] += 1
        stored = self.budgets.get(budget.subject_id)
        if stored != replacing:
            return None
        self.budgets[budget.subject_id] = budget
        return budget
