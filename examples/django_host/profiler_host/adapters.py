"""Adapters: the library's repository ports (``profiler_core.ports``) over the Django ORM.

Each method is one SQL query whatever the number of learners, missions or
recipes asked for (``__in`` filters; ``values()`` rows handed to the models'
``to_domain``). Where the library defines a rule (which session is the
latest completed one), the adapter fetches in one query and lets the library
decide in Python rather than re-stating the rule in SQL.
"""

from __future__ import annotations

import functools
import operator
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from datetime import datetime
from typing import ParamSpec, TypeVar

import attrs
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.db.models.functions import Collate

import profiler_core as pc
from profiler_core.access import AuditRecord
from profiler_core.errors import RepositoryError
from profiler_core.gaps import normalise_code
from profiler_core.mapping import latest_completed_session
from profiler_core.models import IdLike, canonical_id
from profiler_core.portfolio import (
    COMPARE_AND_SET_FIELDS,
    VALUE_STATEMENT_ITEM_TYPE,
    is_value_statement_entry,
    pick_value_statement_entry,
)
from profiler_core.vocabulary import COMPLETED_STATUSES
from profiler_host import models

_COMPLETED = sorted(s.value for s in COMPLETED_STATUSES)
_K = TypeVar("_K")
_V = TypeVar("_V")
_P = ParamSpec("_P")
_R = TypeVar("_R")


def _reads(method: Callable[_P, _R]) -> Callable[_P, _R]:
    """A port read raises :class:`~profiler_core.errors.RepositoryError` for a row the library cannot read.

    A row that breaks the wire contract (written by other code, or before a
    rule existed) is the database failing to answer, not the caller's bad
    input: services degrade on ``RepositoryError`` with their documented
    reason and a WARNING, whereas the row's ``InvalidPayloadError`` would
    reach the error handler as a 400 blaming the request. The message keeps
    only the problems' paths and codes (``log_summary()``), never a value.
    """

    @functools.wraps(method)
    def read(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        try:
            return method(*args, **kwargs)
        except pc.InvalidPayloadError as exc:
            raise RepositoryError(
                f"a stored row could not be read: {exc.log_summary()}", operation=method.__qualname__
            ) from exc

    return read


def _ids(ids: Iterable[IdLike]) -> list[str]:
    """The canonical text of each id asked for (``100``, ``"100"``; a UUID in any case), each once.

    Rows are written from library values, whose ids are canonical, so a query
    by canonical text finds them whatever form the caller's key took.
    """
    return sorted({canonical_id(i) for i in ids})


# --- missions -------------------------------------------------------------------


class DjangoSessionRepository:
    """:class:`profiler_core.ports.SessionRepository` over ``profiler_sessions`` and ``profiler_results``."""

    @_reads
    def latest_completed_sessions(
        self, user_ids: Collection[pc.UserId]
    ) -> Mapping[pc.UserId, pc.ProfilerSession]:
        """One query for every completed session of the learners; the library picks the latest."""
        if not user_ids:
            return {}
        rows = models.ProfilerSession.objects.filter(
            user_id__in=_ids(user_ids), status__in=_COMPLETED
        ).values()
        by_user: dict[pc.UserId, list[pc.ProfilerSession]] = defaultdict(list)
        for row in rows:
            session = models.ProfilerSession.to_domain(row)
            by_user[session.user_id].append(session)
        picked = {user: latest_completed_session(sessions) for user, sessions in by_user.items()}
        return {user: session for user, session in picked.items() if session is not None}

    @_reads
    def results_for_sessions(
        self, session_ids: Collection[pc.SessionId]
    ) -> Mapping[pc.SessionId, pc.ProfilerResult]:
        """One query for the result rows of the sessions (sessions without one are absent)."""
        if not session_ids:
            return {}
        rows = models.ProfilerResult.objects.filter(session_id__in=_ids(session_ids)).values()
        return {
            pc.SessionId(canonical_id(row["session_id"])): models.ProfilerResult.to_domain(row)
            for row in rows
        }


class DjangoMissionRepository:
    """:class:`profiler_core.ports.MissionRepository` over ``missions``."""

    @_reads
    def list_missions(
        self,
        *,
        max_difficulty: pc.MissionDifficulty | None = None,
        active_only: bool = True,
    ) -> Sequence[pc.Mission]:
        """One query: the ceiling is a SQL filter on the integer ``difficulty`` column."""
        query = models.Mission.objects.order_by("difficulty", "code", "id")
        if max_difficulty is not None:
            query = query.filter(difficulty__lte=int(max_difficulty))
        if active_only:
            query = query.filter(is_active=True)
        return [models.Mission.to_domain(row) for row in query.values()]

    @_reads
    def missions_by_ids(self, ids: Collection[pc.MissionId]) -> Mapping[pc.MissionId, pc.Mission]:
        """One query for the missions with these ids."""
        if not ids:
            return {}
        rows = models.Mission.objects.filter(id__in=_ids(ids)).values()
        return {pc.MissionId(canonical_id(row["id"])): models.Mission.to_domain(row) for row in rows}


# --- recipes --------------------------------------------------------------------


def _binary(column: str) -> Collate | str:
    # The library orders text by code point; PostgreSQL's default collation does not, "C" does.
    return Collate(column, "C") if connection.vendor == "postgresql" else column


class DjangoRecipeRepository:
    """:class:`profiler_core.ports.RecipeRepository` over ``recipes`` and the ``recipe_skills`` index."""

    @_reads
    def active_recipes_with_codes(self, codes: Collection[str]) -> Sequence[pc.Recipe]:
        """One query: active recipes whose indexed (normalised) codes meet *codes*, each once."""
        wanted = sorted({normalise_code(c) for c in codes})
        if not wanted:
            return []
        teaching = models.RecipeSkill.objects.filter(code__in=wanted).values("recipe_id")
        rows = models.Recipe.objects.filter(is_active=True, id__in=teaching).order_by("id").values()
        return [models.Recipe.to_domain(row) for row in rows]

    @_reads
    def popular_recipes(self, limit: int) -> Sequence[pc.Recipe]:
        """One query: the *limit* most used active recipes, in the library's popularity order."""
        rows = (
            models.Recipe.objects.filter(is_active=True)
            .order_by("-usage_count", "-avg_rating", _binary("slug"), _binary("id"))
            .values()[: max(limit, 0)]
        )
        return [models.Recipe.to_domain(row) for row in rows]


# --- marketplace ----------------------------------------------------------------


class DjangoJobRepository:
    """:class:`profiler_core.ports.JobRepository` over ``job_postings``."""

    @_reads
    def active_jobs(self, *, now: datetime) -> Sequence[pc.JobPosting]:
        """One query: active postings with no deadline or one after *now*."""
        rows = (
            models.JobPosting.objects.filter(is_active=True)
            .filter(Q(application_deadline__isnull=True) | Q(application_deadline__gt=now))
            .order_by("id")
            .values()
        )
        return [models.JobPosting.to_domain(row) for row in rows]

    @_reads
    def jobs_by_ids(self, ids: Collection[pc.JobId]) -> Mapping[pc.JobId, pc.JobPosting]:
        """One query for the postings with these ids, open or closed."""
        if not ids:
            return {}
        rows = models.JobPosting.objects.filter(id__in=_ids(ids)).values()
        return {pc.JobId(canonical_id(row["id"])): models.JobPosting.to_domain(row) for row in rows}


class DjangoTalentProfileRepository:
    """:class:`profiler_core.ports.TalentProfileRepository` over ``talent_profiles``."""

    @_reads
    def profiles_for_users(self, user_ids: Collection[pc.UserId]) -> Mapping[pc.UserId, pc.TalentProfile]:
        """One query for these learners' profiles, whatever their visibility."""
        if not user_ids:
            return {}
        rows = models.TalentProfile.objects.filter(user_id__in=_ids(user_ids)).values()
        return {pc.UserId(canonical_id(row["user_id"])): models.TalentProfile.to_domain(row) for row in rows}

    @_reads
    def searchable_profiles(self) -> Sequence[pc.TalentProfile]:
        """One query: visible profiles whose learner consented to sharing with employers."""
        rows = (
            models.TalentProfile.objects.filter(is_visible=True, employer_share_consent=True)
            .order_by("user_id")
            .values()
        )
        return [models.TalentProfile.to_domain(row) for row in rows]


# --- access ---------------------------------------------------------------------


def _grouped(pairs: Iterable[tuple[_K, _V]]) -> dict[_K, list[_V]]:
    grouped: dict[_K, list[_V]] = defaultdict(list)
    for key, value in pairs:
        grouped[key].append(value)
    return dict(grouped)


class DjangoMentorAssignmentRepository:
    """:class:`profiler_core.ports.MentorAssignmentRepository` over ``mentor_assignments``."""

    @_reads
    def assignments_for_mentors(
        self, mentor_ids: Collection[pc.UserId]
    ) -> Mapping[pc.UserId, Sequence[pc.MentorAssignment]]:
        """One query for every assignment of the mentors (any type, status or expiry)."""
        if not mentor_ids:
            return {}
        rows = models.MentorAssignment.objects.filter(mentor_id__in=_ids(mentor_ids)).order_by("id").values()
        assignments = (models.MentorAssignment.to_domain(row) for row in rows)
        return _grouped((a.mentor_id, a) for a in assignments)

    @_reads
    def assignments_naming(
        self,
        *,
        mentee_ids: Collection[pc.UserId] = (),
        cohort_ids: Collection[pc.CohortId] = (),
        tracks: Collection[pc.TrackKey] = (),
    ) -> Sequence[pc.MentorAssignment]:
        """One query: direct assignments by mentee, cohort ones by cohort, track ones by track key."""
        names = [
            Q(assignment_type=pc.AssignmentType.DIRECT.value, mentee_id__in=_ids(mentee_ids)),
            Q(assignment_type=pc.AssignmentType.COHORT.value, cohort_id__in=_ids(cohort_ids)),
            Q(assignment_type=pc.AssignmentType.TRACK.value, track__in=[t.value for t in tracks]),
        ]
        wanted = [name for name, ids in zip(names, (mentee_ids, cohort_ids, tracks), strict=True) if ids]
        if not wanted:
            return []
        named = functools.reduce(operator.or_, wanted)
        rows = models.MentorAssignment.objects.filter(named).order_by("id").values()
        return [models.MentorAssignment.to_domain(row) for row in rows]


class DjangoEnrollmentRepository:
    """:class:`profiler_core.ports.EnrollmentRepository` over ``enrollments``."""

    @_reads
    def enrollments_for_users(
        self, user_ids: Collection[pc.UserId]
    ) -> Mapping[pc.UserId, Sequence[pc.Enrollment]]:
        """One query for every enrollment (any status) of the users."""
        if not user_ids:
            return {}
        rows = models.Enrollment.objects.filter(user_id__in=_ids(user_ids)).order_by("id").values()
        enrollments = (models.Enrollment.to_domain(row) for row in rows)
        return _grouped((e.user_id, e) for e in enrollments)

    @_reads
    def enrollments_for_cohorts(
        self, cohort_ids: Collection[pc.CohortId]
    ) -> Mapping[pc.CohortId, Sequence[pc.Enrollment]]:
        """One query for every enrollment (any status) in the cohorts."""
        if not cohort_ids:
            return {}
        rows = models.Enrollment.objects.filter(cohort_id__in=_ids(cohort_ids)).order_by("id").values()
        enrollments = (models.Enrollment.to_domain(row) for row in rows)
        return _grouped((e.cohort_id, e) for e in enrollments)


class DjangoCohortRepository:
    """:class:`profiler_core.ports.CohortRepository` over ``cohorts``."""

    @_reads
    def cohorts_by_ids(self, cohort_ids: Collection[pc.CohortId]) -> Mapping[pc.CohortId, pc.Cohort]:
        """One query for the cohorts with these ids."""
        if not cohort_ids:
            return {}
        rows = models.Cohort.objects.filter(id__in=_ids(cohort_ids)).values()
        return {pc.CohortId(canonical_id(row["id"])): models.Cohort.to_domain(row) for row in rows}

    @_reads
    def cohorts_for_enterprises(
        self, enterprise_ids: Collection[pc.OrgId]
    ) -> Mapping[pc.OrgId, Sequence[pc.Cohort]]:
        """One query for the cohorts each enterprise sponsors; an unknown enterprise gets nothing."""
        if not enterprise_ids:
            return {}
        rows = models.Cohort.objects.filter(enterprise_id__in=_ids(enterprise_ids)).order_by("id").values()
        cohorts = (models.Cohort.to_domain(row) for row in rows)
        return _grouped((c.enterprise_id, c) for c in cohorts if c.enterprise_id is not None)


class DjangoAuditSink:
    """:class:`profiler_core.ports.AuditSink` appending to ``access_audit`` (one INSERT per call)."""

    def write(self, records: Sequence[AuditRecord]) -> None:
        """Insert the records; a database error propagates (the library logs and notes it)."""
        models.AccessAudit.objects.bulk_create([models.AccessAudit.from_domain(r) for r in records])


# --- analytics ------------------------------------------------------------------


class DjangoCohortAnalyticsRepository(
    DjangoCohortRepository, DjangoEnrollmentRepository, DjangoSessionRepository
):
    """:class:`profiler_core.ports.CohortAnalyticsRepository`: the cohort, enrollment and session adapters.

    The port is the union of those ports' methods, so the adapters compose;
    a report is five queries whatever the number of learners.
    """


# --- portfolio ------------------------------------------------------------------


class DjangoPortfolioRepository:
    """:class:`profiler_core.ports.PortfolioRepository` and ``ValueStatementSource`` over ``portfolio_items``.

    "One value statement per learner" is the database's unique
    ``statement_owner`` column; replacing an entry is a compare-and-set
    ``UPDATE``. Both turn a lost race into the port's ordinary ``None``
    answer instead of a duplicate or an overwritten learner edit.
    """

    @_reads
    def value_statements_for(self, user_ids: Collection[pc.UserId]) -> Mapping[pc.UserId, pc.PortfolioEntry]:
        """One query for the learners' reflection entries; the library picks each one's statement."""
        if not user_ids:
            return {}
        rows = models.PortfolioItem.objects.filter(
            user_id__in=_ids(user_ids), item_type=VALUE_STATEMENT_ITEM_TYPE
        ).values()
        entries = (models.PortfolioItem.to_domain(row) for row in rows)
        picked = {
            user: pick_value_statement_entry(items)
            for user, items in _grouped((e.user_id, e) for e in entries).items()
        }
        return {user: entry for user, entry in picked.items() if entry is not None}

    def save_entry(
        self, entry: pc.PortfolioEntry, *, replacing: pc.PortfolioEntry | None
    ) -> pc.PortfolioEntry | None:
        """Create *entry* (``None`` if the learner already has a statement) or compare-and-set replace it."""
        if replacing is None:
            return self._create(entry)
        if replacing.id is None or entry.id != replacing.id:
            raise pc.InvalidValueError(field="entry.id", reason="must equal the id of the entry it replaces")
        row = models.PortfolioItem.from_domain(entry)
        # Compare-and-set: the row still holds what the caller read, or nothing is written. The owner is
        # part of the guard, so an entry of one learner can never be written over another learner's row.
        unchanged = {name: getattr(replacing, name) for name in COMPARE_AND_SET_FIELDS}
        guarded = models.PortfolioItem.objects.filter(id=replacing.id, user_id=entry.user_id, **unchanged)
        updated = guarded.update(**{name: getattr(row, name) for name in _REPLACED_COLUMNS})
        return entry if updated == 1 else None

    def _create(self, entry: pc.PortfolioEntry) -> pc.PortfolioEntry | None:
        is_statement = is_value_statement_entry(entry)
        row = models.PortfolioItem.from_domain(entry, is_statement=is_statement)
        try:
            # A savepoint, so a lost race leaves the caller's transaction usable.
            with transaction.atomic():
                row.save(force_insert=True)
        except IntegrityError:
            # Re-read: losing to another writer's statement is the port's ``None``; anything else is a bug.
            if (
                is_statement
                and models.PortfolioItem.objects.filter(statement_owner_id=entry.user_id).exists()
            ):
                return None
            raise
        return attrs.evolve(entry, id=pc.EntryId(row.pk))


#: What a replace may change: the entry's own fields, never its id, owner or statement key.
_REPLACED_COLUMNS = tuple(a.name for a in attrs.fields(pc.PortfolioEntry) if a.name not in {"id", "user_id"})
