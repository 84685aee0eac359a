"""Adapters: the library's repository ports (``profiler_core.ports``) over the OCH platform's real tables.

Every method is **one SQL query** whatever the number of learners, missions
or recipes asked for (``__in`` filters, joins through ``.values("fk__column")``),
and hands the ``.values()`` rows, as the database gives them (UUID objects,
bigints, ``Decimal`` values, aware datetimes, ``None``), to the library's OCH
readers (:mod:`profiler_core.och`). Nothing is converted by hand here: the
readers know where the platform keeps each thing (reflection answers in
``behavioral_responses``, flags in ``suspicious_patterns``, tracks by UUID...).

Keys. The library's learner id is ``users.id``'s text (``"16"``); tables that
key users by ``users.uuid_id`` (``portfolio_items``, ``sponsor_cohort_assignments``)
are joined to ``users`` in the same query. Every other key is a UUID: an id
asked for that is not a UUID (or, for users, not an integer) cannot name a row
and finds nothing.

Unreadable rows. A read that decides access or a learner's answer
(sessions, results, enrollments, cohorts, assignments, portfolio) raises
:class:`~profiler_core.errors.RepositoryError` when a row breaks the wire
contract (paths and codes only, never values), so the services degrade with
their documented reason. A catalogue read (missions, recipes, jobs, talent
profiles) keeps the readable rows and logs the rejected ones (a WARNING with
their ids, paths and codes). Notes a read makes (a track UUID that resolves to
nothing, a catalogue code outside the vocabulary) are logged at INFO, counted
by code.
"""

from __future__ import annotations

import functools
import logging
import operator
import uuid
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any, TypeVar

import attrs
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.db.models.functions import Collate
from django.utils import timezone

import profiler_core as pc
from profiler_core import och
from profiler_core.access import AuditRecord
from profiler_core.errors import RepositoryError
from profiler_core.mapping import latest_completed_session
from profiler_core.models import IdLike, canonical_id
from profiler_core.och.rows import Row, RowRead, RowsRead, read_rows
from profiler_core.portfolio import (
    COMPARE_AND_SET_FIELDS,
    VALUE_STATEMENT_ITEM_TYPE,
    is_value_statement_entry,
    pick_value_statement_entry,
)
from profiler_core.taxonomy import normalise_code
from profiler_core.vocabulary import COMPLETED_STATUSES
from profiler_host import models

logger = logging.getLogger("profiler_host.adapters")

_COMPLETED = sorted(s.value for s in COMPLETED_STATUSES)
_IDENTITY_CATEGORY = "identity_value"
_K = TypeVar("_K")
_V = TypeVar("_V")


# --- keys -------------------------------------------------------------------------


def user_pks(ids: Iterable[IdLike]) -> list[int]:
    """The ``users.id`` values the learner ids name (``16``, ``"16"``); a non-integer id names none."""
    pks: set[int] = set()
    for key in ids:
        text = canonical_id(key)
        if text.lstrip("-").isascii() and text.lstrip("-").isdigit():
            pks.add(int(text))
    return sorted(pks)


def uuid_pks(ids: Iterable[IdLike]) -> list[uuid.UUID]:
    """The UUID keys the ids name (a ``UUID``, its text in any case); an id that is not a UUID names none."""
    keys: set[uuid.UUID] = set()
    for key in ids:
        try:
            keys.add(key if isinstance(key, uuid.UUID) else uuid.UUID(canonical_id(key)))
        except ValueError:
            continue
    return sorted(keys)


def _id(value: object) -> str:
    return canonical_id(value)  # type: ignore[arg-type]  # a primary key read back: UUID or int


# --- reading rows through the library's OCH readers ----------------------------------


def _log_notes(batch: RowsRead[Any], table: str) -> None:
    if batch.notes:
        logger.info("%s: notes %s", table, dict(batch.warning_counts))


def read_strict(table: str, rows: Iterable[Row], reader: Callable[[Row], RowRead[_V]]) -> list[_V]:
    """Every row read by *reader*, or :class:`RepositoryError` naming each bad row's id, path and code."""
    batch = read_rows(rows, reader)
    if batch.problems:
        shown = "; ".join(f"{p.row_id or p.index} {p.path} {p.code}" for p in batch.problems)
        raise RepositoryError(f"{table}: a stored row could not be read: {shown}", operation=f"read {table}")
    _log_notes(batch, table)
    return list(batch.values)


def read_lenient(table: str, rows: Iterable[Row], reader: Callable[[Row], RowRead[_V]]) -> list[_V]:
    """The readable rows; each rejected row is logged (WARNING: its id, path and code) and left out."""
    batch = read_rows(rows, reader)
    for problem in batch.problems:
        logger.warning(
            "%s: row %s left out: %s %s", table, problem.row_id or problem.index, problem.path, problem.code
        )
    _log_notes(batch, table)
    return list(batch.values)


def track_directory() -> och.TrackDirectory:
    """The platform's track directory: every ``tracks`` and ``curriculum_tracks`` row (two queries)."""
    return TrackCatalogue.read().directory


@attrs.frozen(kw_only=True)
class TrackCatalogue:
    """The platform's tracks: the directory (UUID, slug, code → key) and each key's ``curriculum_tracks.id``.

    ``track_ids`` is what the OCH bodies render as a track's UUID
    (``recommended_track.track_id``, ``track_distribution`` keys): the
    curriculum track whose slug is the key, the id ``sync_fastapi_profiling``
    stores in ``recommended_track_id``.
    """

    directory: och.TrackDirectory
    track_ids: Mapping[str, str]

    @classmethod
    def read(cls) -> TrackCatalogue:
        """Two queries: every ``tracks`` row and every ``curriculum_tracks`` row."""
        curriculum = list(models.CurriculumTrack.objects.values("id", "slug", "code", "name"))
        directory = och.TrackDirectory.from_rows(
            tracks=models.Track.objects.values("id", "key", "name"), curriculum_tracks=curriculum
        )
        track_ids = {
            key.value: _id(row["id"]) for row in curriculum if (key := directory.key(row["slug"])) is not None
        }
        return cls(directory=directory, track_ids=track_ids)


class _Tracks:
    """Adapters that resolve track UUIDs: the catalogue is given, or read once per adapter instance."""

    def __init__(self, catalogue: TrackCatalogue | None = None) -> None:
        self._given = catalogue

    @functools.cached_property
    def catalogue(self) -> TrackCatalogue:
        """The catalogue given at construction, else :meth:`TrackCatalogue.read` (on first use)."""
        return self._given if self._given is not None else TrackCatalogue.read()

    @property
    def tracks(self) -> och.TrackDirectory:
        """The track directory of :attr:`catalogue`."""
        return self.catalogue.directory


def _grouped(pairs: Iterable[tuple[_K, _V]]) -> dict[_K, list[_V]]:
    grouped: dict[_K, list[_V]] = defaultdict(list)
    for key, value in pairs:
        grouped[key].append(value)
    return dict(grouped)


# --- profiler ---------------------------------------------------------------------


_SESSION_COLUMNS = tuple(
    f.attname for f in models.ProfilerSession._meta.concrete_fields if f.attname != "device_fingerprint"
)


class DjangoSessionRepository(_Tracks):
    """:class:`profiler_core.ports.SessionRepository` over ``profilersessions`` and ``profilerresults``.

    ``recommended_track_id`` resolves through the track directory (two
    queries, once per adapter), then the alignment percentages, then the
    learner's ``users.track_key`` (joined in the session query).

    The rows and values it read stay on the instance (:attr:`session_rows`,
    :attr:`latest`, :attr:`results`), so a view renders columns the library
    value does not hold (``futureyou_persona``) without another query.
    """

    def __init__(self, catalogue: TrackCatalogue | None = None) -> None:
        super().__init__(catalogue)
        self.session_rows: dict[str, dict[str, Any]] = {}
        self.latest: dict[pc.UserId, pc.ProfilerSession] = {}
        self.results: dict[pc.SessionId, pc.ProfilerResult] = {}

    def latest_completed_sessions(
        self, user_ids: Collection[pc.UserId]
    ) -> Mapping[pc.UserId, pc.ProfilerSession]:
        """Two queries: the learners' completed sessions (with ``users.track_key``), their identity answers.

        Completed means ``status`` finished or locked, or ``is_locked`` (which
        wins over ``status``); the library picks the latest of each learner's.
        """
        pks = user_pks(user_ids)
        if not pks:
            return {}
        rows = list(
            models.ProfilerSession.objects.filter(user_id__in=pks)
            .filter(Q(status__in=_COMPLETED) | Q(is_locked=True))
            .values(*_SESSION_COLUMNS, "user__track_key")
        )
        sessions = self._read_sessions(rows)
        picked = {
            user: latest_completed_session(items)
            for user, items in _grouped((s.user_id, s) for s in sessions).items()
        }
        found = {user: session for user, session in picked.items() if session is not None}
        self.latest.update(found)
        return found

    def session_by_id(self, session_id: IdLike) -> pc.ProfilerSession | None:
        """The session with this id, any status (the completion hook's read, not a port method)."""
        keys = uuid_pks([session_id])
        if not keys:
            return None
        rows = models.ProfilerSession.objects.filter(id=keys[0]).values(*_SESSION_COLUMNS, "user__track_key")
        sessions = self._read_sessions(list(rows))
        return sessions[0] if sessions else None

    def _read_sessions(self, rows: list[dict[str, Any]]) -> list[pc.ProfilerSession]:
        if not rows:
            return []  # no identity answers, no track catalogue to read
        self.session_rows.update((_id(row["id"]), row) for row in rows)
        answers = _identity_answers([row["id"] for row in rows])
        tracks = self.tracks

        def read(row: Row) -> RowRead[pc.ProfilerSession]:
            chosen = answers.get(_id(row["id"]), ())
            return och.read_profiler_session(
                row,
                tracks=tracks,
                answers=chosen,
                questions=[a["question"] for a in chosen],  # type: ignore[misc]  # the joined question row
                user_track_key=row["user__track_key"],
            )

        return read_strict("profilersessions", rows, read)

    def results_for_sessions(
        self, session_ids: Collection[pc.SessionId]
    ) -> Mapping[pc.SessionId, pc.ProfilerResult]:
        """One query for the result rows of the sessions (sessions without one are absent)."""
        keys = uuid_pks(session_ids)
        if not keys:
            return {}
        rows = models.ProfilerResult.objects.filter(session_id__in=keys).values()
        results = read_strict("profilerresults", rows, och.read_profiler_result)
        found = {pc.SessionId(r.session_id): r for r in results if r.session_id is not None}
        self.results.update(found)
        return found


def _identity_answers(session_ids: Sequence[object]) -> dict[str, list[dict[str, object]]]:
    """One query: each session's identity answers (``profileranswers`` joined to their question)."""
    if not session_ids:
        return {}
    rows = models.ProfilerAnswer.objects.filter(
        session_id__in=session_ids, question__category=_IDENTITY_CATEGORY
    ).values("session_id", "question_id", "answer", "question__category", "question__options")
    by_session: dict[str, list[dict[str, object]]] = defaultdict(list)
    for row in rows:
        question = {
            "id": row["question_id"],
            "category": row["question__category"],
            "options": row["question__options"],
        }
        by_session[_id(row["session_id"])].append({**row, "question": question})
    return dict(by_session)


# --- missions -------------------------------------------------------------------


class DjangoMissionRepository(_Tracks):
    """:class:`profiler_core.ports.MissionRepository` over ``missions`` (``track_id`` by the directory).

    The rows read stay on the instance (:attr:`mission_rows`, by mission id).
    """

    def __init__(self, catalogue: TrackCatalogue | None = None) -> None:
        super().__init__(catalogue)
        self.mission_rows: dict[str, dict[str, Any]] = {}

    def _read(self, rows: Iterable[dict[str, Any]]) -> list[pc.Mission]:
        rows = list(rows)
        self.mission_rows.update((_id(row["id"]), row) for row in rows)
        tracks = self.tracks
        return read_lenient("missions", rows, lambda row: och.read_mission(row, tracks=tracks))

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
        return self._read(query.values())

    def missions_by_ids(self, ids: Collection[pc.MissionId]) -> Mapping[pc.MissionId, pc.Mission]:
        """One query for the missions with these ids."""
        keys = uuid_pks(ids)
        if not keys:
            return {}
        return {m.id: m for m in self._read(models.Mission.objects.filter(id__in=keys).values())}


class DjangoMissionProgressRepository:
    """:class:`profiler_core.ports.MissionProgressRepository` over the missions progress tables.

    Two queries whatever the number of learners: the individual assignments
    and the submissions of the learners, each joined to ``users`` (both key
    students by ``users.uuid_id``) and, for submissions, to their assignment's
    mission. Rows go to the library's readers (``och.read_mission_assignment_rows``,
    ``och.read_mission_submission_rows``) with a user directory built from
    the same rows. Points: the platform's come from curriculum progress, which
    this host does not store, so every learner has 0 (missions with
    ``points_required`` are shown locked with what unlocks them).
    """

    def progress_for(self, learner_ids: Collection[pc.UserId]) -> Mapping[pc.UserId, pc.MissionProgress]:
        """Two queries: the learners' assignments (any status) and submissions (any status)."""
        pks = user_pks(learner_ids)
        if not pks:
            return {}
        assigned = list(
            models.MissionAssignment.objects.filter(student__id__in=pks)
            .order_by("assigned_at", "id")
            .values("id", "mission_id", "student_id", "status", "assigned_at", "student__id")
        )
        submitted = list(
            models.MissionSubmission.objects.filter(student__id__in=pks)
            .order_by("created_at", "id")
            .values(
                "id",
                "assignment_id",
                "student_id",
                "status",
                "score",
                "submitted_at",
                "assignment__mission_id",
                "student__id",
            )
        )
        users = och.UserDirectory.from_users(
            {"id": r["student__id"], "uuid_id": r["student_id"]} for r in [*assigned, *submitted]
        )
        assignments = read_strict(
            "mission_assignments", assigned, lambda row: och.read_mission_assignment(row, users=users)
        )
        submissions = read_strict(
            "mission_submissions", submitted, lambda row: och.read_mission_submission(row, users=users)
        )
        by_learner: dict[pc.UserId, tuple[list[Any], list[Any]]] = {}
        for a in assignments:
            by_learner.setdefault(a.learner_id, ([], []))[0].append(a)
        for sub in submissions:
            by_learner.setdefault(sub.learner_id, ([], []))[1].append(sub)
        return {
            learner: pc.MissionProgress(learner_id=learner, assignments=a, submissions=sb)
            for learner, (a, sb) in by_learner.items()
        }


# --- recipes --------------------------------------------------------------------


def _binary(column: str) -> Collate | str:
    # The library orders text by code point; PostgreSQL's default collation does not, "C" does.
    return Collate(column, "C") if connection.vendor == "postgresql" else column


class DjangoRecipeRepository:
    """:class:`profiler_core.ports.RecipeRepository` over ``recipes``.

    The platform keeps a recipe's skill codes in the ``skill_codes`` JSON list
    (no index table); "recipes teaching these codes" is one query for the
    active catalogue, the codes compared in Python as the library normalises
    them (:func:`~profiler_core.gaps.normalise_code`). The seed catalogue is
    15 recipes; a large catalogue on PostgreSQL would use ``skill_codes ?| array[...]``
    on a ``jsonb`` column instead. The rows read stay on the instance
    (:attr:`recipe_rows`, by recipe id) for the serializer's fields.
    """

    def __init__(self) -> None:
        self.recipe_rows: dict[str, dict[str, Any]] = {}

    def _read(self, rows: Iterable[dict[str, Any]]) -> list[pc.Recipe]:
        rows = list(rows)
        self.recipe_rows.update((_id(row["id"]), row) for row in rows)
        return read_lenient("recipes", rows, och.read_recipe)

    def active_recipes_with_codes(self, codes: Collection[str]) -> Sequence[pc.Recipe]:
        """One query: active recipes whose normalised skill codes meet *codes*, each once."""
        wanted = {normalise_code(c) for c in codes}
        if not wanted:
            return []
        rows = models.Recipe.objects.filter(is_active=True).order_by("id").values()
        recipes = self._read(rows)
        return [r for r in recipes if wanted.intersection(normalise_code(c) for c in r.skill_codes)]

    def popular_recipes(self, limit: int) -> Sequence[pc.Recipe]:
        """One query: the *limit* most used active recipes, in the library's popularity order."""
        rows = (
            models.Recipe.objects.filter(is_active=True)
            .order_by("-usage_count", "-avg_rating", _binary("slug"), "id")
            .values()[: max(limit, 0)]
        )
        return self._read(rows)


# --- marketplace ----------------------------------------------------------------


class DjangoJobRepository:
    """:class:`profiler_core.ports.JobRepository` over ``marketplace_job_postings``."""

    def active_jobs(self, *, now: datetime) -> Sequence[pc.JobPosting]:
        """One query: active postings with no deadline or one after *now*."""
        rows = (
            models.JobPosting.objects.filter(is_active=True)
            .filter(Q(application_deadline__isnull=True) | Q(application_deadline__gt=now))
            .order_by("id")
            .values()
        )
        return read_lenient("marketplace_job_postings", rows, och.read_job_posting)

    def jobs_by_ids(self, ids: Collection[pc.JobId]) -> Mapping[pc.JobId, pc.JobPosting]:
        """One query for the postings with these ids, open or closed."""
        keys = uuid_pks(ids)
        if not keys:
            return {}
        rows = models.JobPosting.objects.filter(id__in=keys).values()
        return {j.id: j for j in read_lenient("marketplace_job_postings", rows, och.read_job_posting)}


class DjangoTalentProfileRepository:
    """:class:`profiler_core.ports.TalentProfileRepository` over ``marketplace_profiles`` (``mentee_id``)."""

    def profiles_for_users(self, user_ids: Collection[pc.UserId]) -> Mapping[pc.UserId, pc.TalentProfile]:
        """One query for these learners' profiles, whatever their visibility."""
        pks = user_pks(user_ids)
        if not pks:
            return {}
        rows = models.MarketplaceProfile.objects.filter(mentee_id__in=pks).values()
        profiles = read_lenient("marketplace_profiles", rows, och.read_marketplace_profile)
        return {p.user_id: p for p in profiles}

    def searchable_profiles(self) -> Sequence[pc.TalentProfile]:
        """One query: visible profiles whose learner consented to sharing with employers."""
        rows = (
            models.MarketplaceProfile.objects.filter(is_visible=True, employer_share_consent=True)
            .order_by("mentee_id")
            .values()
        )
        return read_lenient("marketplace_profiles", rows, och.read_marketplace_profile)


# --- access ---------------------------------------------------------------------


class DjangoMentorAssignmentRepository(_Tracks):
    """:class:`profiler_core.ports.MentorAssignmentRepository` over the platform's two assignment tables.

    ``menteementorassignments`` (one row per mentee; type ``cohort`` by
    default, ``track_id`` a curriculum track's UUID text) and the programs
    app's ``mentor_assignments`` (a mentor on a cohort: ``active`` and ``role``,
    no status, no mentee). Each method is two queries, one per table, whatever
    the number of mentors, mentees or cohorts. What a row covers is the
    library's decision (SPEC §5), not the query's.
    """

    def _read(self, mentee_rows: Iterable[Row], cohort_rows: Iterable[Row]) -> list[pc.MentorAssignment]:
        tracks = self.tracks
        return [
            *read_strict(
                "menteementorassignments",
                mentee_rows,
                lambda row: och.read_mentee_mentor_assignment(row, tracks=tracks),
            ),
            *read_strict("mentor_assignments", cohort_rows, och.read_program_mentor_assignment),
        ]

    def assignments_for_mentors(
        self, mentor_ids: Collection[pc.UserId]
    ) -> Mapping[pc.UserId, Sequence[pc.MentorAssignment]]:
        """Two queries for every assignment of the mentors (any type, status or activity)."""
        pks = user_pks(mentor_ids)
        if not pks:
            return {}
        assignments = self._read(
            models.MenteeMentorAssignment.objects.filter(mentor_id__in=pks).order_by("id").values(),
            models.CohortMentorAssignment.objects.filter(mentor_id__in=pks).order_by("id").values(),
        )
        return _grouped((a.mentor_id, a) for a in assignments)

    def assignments_naming(
        self,
        *,
        mentee_ids: Collection[pc.UserId] = (),
        cohort_ids: Collection[pc.CohortId] = (),
        tracks: Collection[pc.TrackKey] = (),
    ) -> Sequence[pc.MentorAssignment]:
        """Two queries: rows naming one of the mentees (any type), cohort rows by cohort, track rows by track.

        A track row's ``track_id`` holds a track UUID (or a key): it is matched
        against every reference the track directory resolves to one of *tracks*.
        """
        pks = user_pks(mentee_ids)
        cohorts = uuid_pks(cohort_ids)
        track_refs = _track_refs(self.tracks, tracks) if tracks else []
        names = [
            Q(mentee_id__in=pks) if pks else None,
            Q(assignment_type="cohort", cohort_id__in=[str(c) for c in cohorts]) if cohorts else None,
            Q(assignment_type="track", track_id__in=track_refs) if track_refs else None,
        ]
        wanted = [name for name in names if name is not None]
        mentee_rows: Iterable[Row] = ()
        if wanted:
            named = functools.reduce(operator.or_, wanted)
            mentee_rows = models.MenteeMentorAssignment.objects.filter(named).order_by("id").values()
        cohort_rows: Iterable[Row] = ()
        if cohorts:
            cohort_rows = (
                models.CohortMentorAssignment.objects.filter(cohort_id__in=cohorts).order_by("id").values()
            )
        return self._read(mentee_rows, cohort_rows)


def _track_refs(directory: och.TrackDirectory, keys: Collection[pc.TrackKey]) -> list[str]:
    """Every reference (UUID text, slug, code) the directory resolves to one of *keys*, and the keys."""
    wanted = {pc.TrackKey(k) for k in keys}
    refs = {ref for ref, found in directory.entries.items() if len(found) == 1 and found <= wanted}
    refs |= {k.value for k in wanted}
    return sorted(refs)


class DjangoEnrollmentRepository:
    """:class:`profiler_core.ports.EnrollmentRepository` over ``enrollments``."""

    def enrollments_for_users(
        self, user_ids: Collection[pc.UserId]
    ) -> Mapping[pc.UserId, Sequence[pc.Enrollment]]:
        """One query for every enrollment (any status) of the users."""
        pks = user_pks(user_ids)
        if not pks:
            return {}
        rows = models.Enrollment.objects.filter(user_id__in=pks).order_by("id").values()
        return _grouped((e.user_id, e) for e in read_strict("enrollments", rows, och.read_enrollment))

    def enrollments_for_cohorts(
        self, cohort_ids: Collection[pc.CohortId]
    ) -> Mapping[pc.CohortId, Sequence[pc.Enrollment]]:
        """One query for every enrollment (any status) in the cohorts."""
        keys = uuid_pks(cohort_ids)
        if not keys:
            return {}
        rows = models.Enrollment.objects.filter(cohort_id__in=keys).order_by("id").values()
        return _grouped((e.cohort_id, e) for e in read_strict("enrollments", rows, och.read_enrollment))


#: What a cohort read selects: its columns, the programs track's key, and the sponsor (the enterprise).
_COHORT_COLUMNS = (
    "id",
    "name",
    "track_id",
    "track__key",
    "curriculum_tracks",
    "sponsor_assignments__sponsor_uuid_id",
)


class DjangoCohortRepository(_Tracks):
    """:class:`profiler_core.ports.CohortRepository` over ``cohorts`` and ``sponsor_cohort_assignments``.

    The platform has no cohort → enterprise column: the enterprise of a
    cohort is the sponsor that funds it (``sponsor_cohort_assignments``,
    ``sponsor_uuid_id`` = the sponsor user's ``users.uuid_id``), joined in the
    same query. A cohort two sponsors fund is read once per sponsor by
    :meth:`cohorts_for_enterprises`; :meth:`cohorts_by_ids` gives it the
    first sponsor by UUID.
    """

    def _read(self, rows: Iterable[Row]) -> list[tuple[object, pc.Cohort]]:
        tracks = self.tracks
        read = read_strict(
            "cohorts",
            rows,
            lambda row: och.read_cohort(
                row,
                tracks=tracks,
                enterprise_id=row["sponsor_assignments__sponsor_uuid_id"],  # type: ignore[arg-type]
            ),
        )
        return [(c.enterprise_id, c) for c in read]

    def cohorts_by_ids(self, cohort_ids: Collection[pc.CohortId]) -> Mapping[pc.CohortId, pc.Cohort]:
        """One query for the cohorts with these ids (each with its first sponsor as the enterprise)."""
        keys = uuid_pks(cohort_ids)
        if not keys:
            return {}
        rows = (
            models.Cohort.objects.filter(id__in=keys)
            .order_by("id", "sponsor_assignments__sponsor_uuid_id")
            .values(*_COHORT_COLUMNS)
        )
        found: dict[pc.CohortId, pc.Cohort] = {}
        for _, cohort in self._read(rows):
            found.setdefault(cohort.id, cohort)
        return found

    def cohorts_for_enterprises(
        self, enterprise_ids: Collection[pc.OrgId]
    ) -> Mapping[pc.OrgId, Sequence[pc.Cohort]]:
        """One query for the cohorts each sponsor funds; an unknown sponsor gets nothing."""
        keys = uuid_pks(enterprise_ids)
        if not keys:
            return {}
        rows = (
            models.Cohort.objects.filter(sponsor_assignments__sponsor_uuid_id__in=keys)
            .order_by("id")
            .values(*_COHORT_COLUMNS)
        )
        return _grouped((c.enterprise_id, c) for _, c in self._read(rows) if c.enterprise_id is not None)


class DjangoAuditSink:
    """:class:`profiler_core.ports.AuditSink` appending to the host's ``access_audit`` table (one INSERT)."""

    def write(self, records: Sequence[AuditRecord]) -> None:
        """Insert the records; a database error propagates (the library logs and notes it)."""
        models.AccessAudit.objects.bulk_create([_audit_row(r) for r in records])


def _audit_row(record: AuditRecord) -> models.AccessAudit:
    return models.AccessAudit(**{**pc.unstructure_object(record), "at": record.at})


# --- analytics ------------------------------------------------------------------


class DjangoCohortAnalyticsRepository(
    DjangoCohortRepository, DjangoEnrollmentRepository, DjangoSessionRepository
):
    """:class:`profiler_core.ports.CohortAnalyticsRepository`: the cohort, enrollment and session adapters.

    The port is the union of those ports' methods, so the adapters compose
    (and share one track directory).
    """


# --- portfolio ------------------------------------------------------------------

#: What a portfolio read selects: the item's columns and its learner's ``users.id`` (it keys by ``uuid_id``).
_PORTFOLIO_COLUMNS = (
    *(f.attname for f in models.PortfolioItem._meta.concrete_fields if f.attname != "statement_owner_id"),
    "user__id",
)


#: The host's extension columns of ``portfolio_items`` (not on the real table, so not the OCH reader's).
_EXTENSION_COLUMNS = ("learner_edited_at", "suggested_summary")


def _portfolio_items(rows: Iterable[Mapping[str, Any]]) -> list[pc.PortfolioEntry]:
    """The items, read by the OCH reader with a user directory from the joined ``users.id``; then extensions.

    ``user_id`` holds ``users.uuid_id``: the directory is built from the same
    rows' joined ``user__id``. The reader reads the real columns; the host's
    own extension columns (:data:`_EXTENSION_COLUMNS`) are set on the value
    after it (the library validates them like any field).
    """
    rows = list(rows)
    users = och.UserDirectory.from_users({"id": r["user__id"], "uuid_id": r["user_id"]} for r in rows)

    def read(row: Row) -> RowRead[pc.PortfolioEntry]:
        read = och.read_portfolio_item(row, users=users)
        extensions = {name: row[name] for name in _EXTENSION_COLUMNS if row.get(name) is not None}
        return RowRead(value=attrs.evolve(read.value, **extensions), notes=read.notes) if extensions else read

    return read_strict("portfolio_items", rows, read)


class DjangoPortfolioRepository:
    """:class:`profiler_core.ports.PortfolioRepository` and ``ValueStatementSource`` over ``portfolio_items``.

    "One value statement per learner" is the host's unique
    ``statement_owner`` column (a host extension); replacing an entry is a
    compare-and-set ``UPDATE``. Both turn a lost race into the port's ordinary
    ``None`` answer instead of a duplicate or an overwritten learner edit.
    """

    def value_statements_for(self, user_ids: Collection[pc.UserId]) -> Mapping[pc.UserId, pc.PortfolioEntry]:
        """One query for the learners' reflection items; the library picks each one's statement."""
        pks = user_pks(user_ids)
        if not pks:
            return {}
        rows = models.PortfolioItem.objects.filter(
            user__id__in=pks, item_type=VALUE_STATEMENT_ITEM_TYPE
        ).values(*_PORTFOLIO_COLUMNS)
        entries = _portfolio_items(rows)
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
        (key,) = uuid_pks([replacing.id]) or (None,)
        (owner,) = user_pks([entry.user_id]) or (None,)
        if key is None or owner is None:
            return None
        # Compare-and-set: the row still holds what the caller read, or nothing is written. The owner is
        # part of the guard, so an entry of one learner can never be written over another learner's row.
        unchanged = {
            name: portfolio_column(name, getattr(replacing, name)) for name in COMPARE_AND_SET_FIELDS
        }
        guarded = models.PortfolioItem.objects.filter(id=key, user__id=owner, **unchanged)
        changed = {name: portfolio_column(name, getattr(entry, name)) for name in _REPLACED_FIELDS}
        return entry if guarded.update(**changed) == 1 else None

    def _create(self, entry: pc.PortfolioEntry) -> pc.PortfolioEntry | None:
        (owner,) = user_pks([entry.user_id]) or (None,)
        user_uuid = models.User.objects.filter(pk=owner).values_list("uuid_id", flat=True).first()
        if owner is None or user_uuid is None:
            raise pc.NotFoundError(kind="user", key=entry.user_id)
        # The real table's timestamps are NOT NULL: an entry without them is stored (and answered) as of now.
        now = timezone.now()
        entry = attrs.evolve(entry, created_at=entry.created_at or now, updated_at=entry.updated_at or now)
        is_statement = is_value_statement_entry(entry)
        key = uuid_pks([entry.id])[0] if entry.id is not None and uuid_pks([entry.id]) else uuid.uuid4()
        row = models.PortfolioItem(
            id=key,
            user_id=user_uuid,
            statement_owner_id=owner if is_statement else None,
            skill_tags="[]",
            evidence_files="[]",
            **{name: portfolio_column(name, getattr(entry, name)) for name in _REPLACED_FIELDS},
        )
        try:
            # A savepoint, so a lost race leaves the caller's transaction usable.
            with transaction.atomic():
                row.save(force_insert=True)
        except IntegrityError:
            # Re-read: losing to another writer's statement is the port's ``None``; anything else is a bug.
            if is_statement and models.PortfolioItem.objects.filter(statement_owner_id=owner).exists():
                return None
            raise
        return attrs.evolve(entry, id=pc.EntryId(str(key)))


#: What a replace writes: the entry's own fields, never its id, owner or statement key.
_REPLACED_FIELDS = tuple(a.name for a in attrs.fields(pc.PortfolioEntry) if a.name not in {"id", "user_id"})


def portfolio_column(name: str, value: object) -> object:
    """A :class:`~profiler_core.PortfolioEntry` field's value as its ``portfolio_items`` column holds it.

    The one write the host makes to a platform table: enums by value, the
    session id as a UUID (``None`` when it is not one), everything else as it is.
    """
    if name == "profiler_session_id":
        return (uuid_pks([value]) or [None])[0] if value is not None else None  # type: ignore[list-item]
    if isinstance(value, pc.Visibility):
        return value.value
    return value
