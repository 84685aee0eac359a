"""Repository ports: what a host implements so services can read its data.

Every port is a :class:`typing.Protocol` that takes and returns
:mod:`profiler_core` values. Methods are batch-first: one call answers for
many learners (or ids), so a host can answer each with one query and listing
endpoints never do N+1 queries. In-memory implementations live in
:mod:`profiler_core.testing`; contract checks for host adapters in
:mod:`profiler_core.testing.contracts`.

**Ids.** The services ask with canonical id text
(:func:`~profiler_core.models.canonical_id`: ``"100"``, a UUID's lower-case
hyphenated text). An adapter canonicalises the ids it is given (a host may
call it with the platform's raw keys: ``100``, a ``uuid.UUID``, upper-case
UUID text) and keys every answer by the canonical text of the row's id, never
by a raw ``int`` or ``UUID``. The services re-key answers by canonical id and
drop (with a WARNING) any row whose owner is not the key it was asked under.

**Errors.** When the backend cannot answer (a database or network error, a
stored row the library cannot read), an adapter lets the database driver's
error or an :class:`OSError` propagate, or raises
:class:`~profiler_core.errors.RepositoryError` (``raise RepositoryError(...)
from exc``, e.g. around an :class:`~profiler_core.errors.InvalidPayloadError`
from structuring a stored row). The services degrade on exactly those
(:func:`~profiler_core.errors.is_repository_failure`); anything else an
adapter raises (``TypeError``, ``AttributeError``, an invalid value) is a
programming error and reaches the host unchanged.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from typing import Protocol

from profiler_core.access import AuditRecord
from profiler_core.dp import PrivacyBudget
from profiler_core.mission_progress import MissionProgress
from profiler_core.models import (
    Cohort,
    CohortId,
    Enrollment,
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
)
from profiler_core.vocabulary import MissionDifficulty, TrackKey

__all__ = [
    "SessionRepository",
    "MissionRepository",
    "MissionProgressRepository",
    "RecipeRepository",
    "MentorAssignmentRepository",
    "CohortEnrollmentRepository",
    "EnrollmentRepository",
    "CohortRepository",
    "ValueStatementSource",
    "AuditSink",
    "PortfolioRepository",
    "JobRepository",
    "TalentProfileRepository",
    "CohortAnalyticsRepository",
    "PrivacyBudgetRepository",
]


# --- missions (SPEC §3) ---


class SessionRepository(Protocol):
    """**Protocol:** where profiler sessions and their results are stored."""

    def latest_completed_sessions(self, user_ids: Collection[UserId]) -> Mapping[UserId, ProfilerSession]:
        """The latest completed session of each learner, in one call.

        Must agree with :func:`profiler_core.mapping.latest_completed_session`:
        only ``finished`` or ``locked`` sessions, latest ``completed_at``, ties
        to the largest id (numeric ids by value, as
        :func:`profiler_core.mapping.session_id_order` orders them). Learners
        without one are absent from the mapping.
        """
        ...

    def results_for_sessions(self, session_ids: Collection[SessionId]) -> Mapping[SessionId, ProfilerResult]:
        """The result row of each session that has one, in one call (missing rows are absent)."""
        ...


class MissionRepository(Protocol):
    """**Protocol:** the mission catalogue."""

    def list_missions(
        self,
        *,
        max_difficulty: MissionDifficulty | None = None,
        active_only: bool = True,
    ) -> Sequence[Mission]:
        """Missions at or below *max_difficulty* (all when ``None``), in one call."""
        ...

    def missions_by_ids(self, ids: Collection[MissionId]) -> Mapping[MissionId, Mission]:
        """The missions with these ids that exist, in one call."""
        ...


class MissionProgressRepository(Protocol):
    """**Protocol:** learners' mission assignments and submissions (what the platform stores)."""

    def progress_for(self, learner_ids: Collection[UserId]) -> Mapping[UserId, MissionProgress]:
        """Each learner's assignments and submissions (any status) and points, in one call.

        A host answers with one query per table whatever the number of
        learners. Learners with no assignment, no submission and no points may
        be absent (the services treat them as
        :meth:`~profiler_core.mission_progress.MissionProgress.empty`).
        """
        ...


# --- recipes (SPEC §4) ---


class RecipeRepository(Protocol):
    """**Protocol:** the recipe catalogue."""

    def active_recipes_with_codes(self, codes: Collection[str]) -> Sequence[Recipe]:
        """The active recipes sharing any of *codes*, each once, in one call (any order).

        Codes compare as :func:`profiler_core.gaps.normalise_code` does (upper-cased,
        whitespace trimmed and collapsed), so a host should store codes normalised
        and normalise *codes* before querying (e.g. a Postgres ``skill_codes && %s``).
        No codes asked, no recipes answered.
        """
        ...

    def popular_recipes(self, limit: int) -> Sequence[Recipe]:
        """The *limit* most popular active recipes, in :func:`profiler_core.gaps.recipe_popularity_key` order.

        That order is usage count (descending), rating (descending), slug, then id.
        """
        ...


# --- access (SPEC §5) ---


class MentorAssignmentRepository(Protocol):
    """**Protocol:** mentor assignments in every status.

    Return assignments whatever their status and expiry: the access rules judge
    both, and explain a paused or expired assignment in their reasons.
    """

    def assignments_for_mentors(
        self, mentor_ids: Collection[UserId]
    ) -> Mapping[UserId, Sequence[MentorAssignment]]:
        """Every assignment of each mentor (any type, any status), in one call.

        Mentors without an assignment are absent from the mapping.
        """
        ...

    def assignments_naming(
        self,
        *,
        mentee_ids: Collection[UserId] = (),
        cohort_ids: Collection[CohortId] = (),
        tracks: Collection[TrackKey] = (),
    ) -> Sequence[MentorAssignment]:
        """Every assignment that names one of these learners, cohorts or tracks, in one call.

        A row that names a mentee is named by its ``mentee_id``, whatever its
        type (the platform keeps one ``cohort``-typed row per mentee, SPEC §5);
        a ``cohort`` row is also named by its ``cohort_id`` and a ``track`` row by
        its ``track``. Any status, any order.
        """
        ...


class CohortEnrollmentRepository(Protocol):
    """**Protocol:** cohort enrollments in every status, by cohort."""

    def enrollments_for_cohorts(
        self, cohort_ids: Collection[CohortId]
    ) -> Mapping[CohortId, Sequence[Enrollment]]:
        """Every enrollment in each cohort (any status), in one call; empty cohorts are absent."""
        ...


class EnrollmentRepository(CohortEnrollmentRepository, Protocol):
    """**Protocol:** cohort enrollments in every status, by user and by cohort."""

    def enrollments_for_users(self, user_ids: Collection[UserId]) -> Mapping[UserId, Sequence[Enrollment]]:
        """Every enrollment of each user (any status), in one call; users without one are absent."""
        ...


class CohortRepository(Protocol):
    """**Protocol:** cohorts, by id and by sponsoring enterprise."""

    def cohorts_by_ids(self, cohort_ids: Collection[CohortId]) -> Mapping[CohortId, Cohort]:
        """The cohorts with these ids that exist, in one call."""
        ...

    def cohorts_for_enterprises(self, enterprise_ids: Collection[OrgId]) -> Mapping[OrgId, Sequence[Cohort]]:
        """The cohorts each enterprise sponsors (``Cohort.enterprise_id``), in one call.

        Enterprises that sponsor no cohort are absent: an unknown enterprise is
        never answered with every cohort, and cohorts are never matched by name.
        """
        ...


class ValueStatementSource(Protocol):
    """**Protocol:** where learners' value-statement portfolio entries are read."""

    def value_statements_for(self, user_ids: Collection[UserId]) -> Mapping[UserId, PortfolioEntry]:
        """The value-statement entry of each learner (at most one), in one call.

        Must agree with :func:`profiler_core.portfolio.pick_value_statement_entry`
        over each learner's entries: a ``reflection`` entry linked to a
        profiler session or titled "My Value Statement"; among several, a
        learner-edited one, then the earliest ``created_at``, then the smallest
        id. Learners without one are absent from the mapping.
        """
        ...


class AuditSink(Protocol):
    """**Protocol:** where access decisions' audit records are kept."""

    def write(self, records: Sequence[AuditRecord]) -> None:
        """Keep *records* (one call for many). A failure is logged and reported, never hidden."""
        ...


# --- portfolio and leadership (SPEC §6, §7) ---


class PortfolioRepository(ValueStatementSource, Protocol):
    """**Protocol:** where portfolio entries are stored (the value statement is one of them).

    A :class:`ValueStatementSource` (its ``value_statements_for``) that can also
    save, so one host adapter serves both ports.
    """

    def save_entry(self, entry: PortfolioEntry, *, replacing: PortfolioEntry | None) -> PortfolioEntry | None:
        """Store *entry* unless someone else wrote first; return it as stored, or ``None``.

        * ``replacing=None`` creates *entry* (its ``id`` is ``None``) and returns
          it with the id the host assigned, all other fields unchanged. If
          *entry* is a value-statement entry and its learner already has one,
          nothing is written and ``None`` is returned: completing twice, or
          concurrently, never makes two (a unique constraint or
          ``select_for_update`` does it in SQL).
        * ``replacing=previous`` replaces the stored entry ``previous.id`` with
          *entry* only if the stored entry still holds ``previous``'s values of
          :data:`~profiler_core.portfolio.COMPARE_AND_SET_FIELDS` (``summary``,
          ``suggested_summary``, ``profiler_session_id``, ``updated_at``,
          ``learner_edited_at``): one ``UPDATE ... WHERE id = ... AND <those
          columns> = ...`` that reports the rows it changed. Otherwise (changed
          or deleted meanwhile) nothing is written and ``None`` is returned, so
          a concurrent learner edit is never overwritten.
        """
        ...


# --- marketplace (SPEC §8) ---


class JobRepository(Protocol):
    """**Protocol:** marketplace job postings."""

    def active_jobs(self, *, now: datetime) -> Sequence[JobPosting]:
        """Every open posting at *now*, in one call.

        Must agree with :func:`profiler_core.matching.job_is_open`: ``is_active``
        and either no ``application_deadline`` or one after *now*. Any order
        (the ranking orders them).
        """
        ...

    def jobs_by_ids(self, ids: Collection[JobId]) -> Mapping[JobId, JobPosting]:
        """The postings with these ids that exist, open or closed, in one call."""
        ...


class TalentProfileRepository(Protocol):
    """**Protocol:** learners' marketplace profiles."""

    def profiles_for_users(self, user_ids: Collection[UserId]) -> Mapping[UserId, TalentProfile]:
        """The profile of each of these learners that has one (any visibility), in one call."""
        ...

    def searchable_profiles(self) -> Sequence[TalentProfile]:
        """Every profile employer-facing search may show, in one call.

        Must agree with :func:`profiler_core.matching.profile_is_searchable`:
        ``is_visible`` *and* ``employer_share_consent``. Any order.
        """
        ...


# --- analytics (SPEC §9) ---


class CohortAnalyticsRepository(CohortRepository, CohortEnrollmentRepository, SessionRepository, Protocol):
    """**Protocol:** what the enterprise dashboard reads: cohorts, enrollments, sessions, results.

    Every method answers for a whole cohort (or enterprise, or set of
    learners) in one call, so a report costs five queries whatever its size.
    It is :class:`CohortRepository`, :class:`CohortEnrollmentRepository` and
    :class:`SessionRepository` together (the same methods and contracts), so one
    host adapter implementing those ports serves this one too.
    """


class PrivacyBudgetRepository(Protocol):
    """**Protocol:** where each cohort's and enterprise's privacy ledger is stored (the opt-in DP policy).

    One :class:`~profiler_core.dp.PrivacyBudget` per subject id (a cohort id
    or an enterprise id, canonical text). Writes are compare-and-set, so two
    concurrent reports can never both spend the last of a budget.
    """

    def budget(self, subject_id: str) -> PrivacyBudget | None:
        """The stored ledger of *subject_id* (any id form), or ``None`` when none was opened."""
        ...

    def save_budget(self, budget: PrivacyBudget, *, replacing: PrivacyBudget | None) -> PrivacyBudget | None:
        """Store *budget* unless someone else wrote first; return it as stored, or ``None``.

        * ``replacing=None`` creates the ledger of ``budget.subject_id`` only if
          none is stored (else nothing is written and ``None`` is returned).
        * ``replacing=previous`` replaces the stored ledger only if it still
          equals ``previous`` (same total, same charges): one ``UPDATE ... WHERE
          subject_id = ... AND charge_count = ...`` that reports the rows it
          changed. Otherwise nothing is written and ``None`` is returned.
        """
        ...
