"""The ports of :mod:`profiler_core.ports`, implemented over sqlite3.

Each repository wraps the request's connection and answers every batch method
with exactly one query: id lists are bound as one JSON parameter
(:func:`~fastapi_host.db.id_list`), so listing endpoints never do N+1 queries.
Rows become values through :meth:`~fastapi_host.db.Table.load` only.
"""

from __future__ import annotations

import enum
import json
import sqlite3
import uuid
from collections.abc import Collection, Mapping, Sequence
from datetime import datetime

import attrs

from fastapi_host.db import TABLES, id_list, stored_time
from fastapi_host.errors import SessionConflict
from profiler_core import (
    Cohort,
    CohortId,
    Enrollment,
    EntryId,
    InvalidValueError,
    JobId,
    JobPosting,
    MentorAssignment,
    Mission,
    MissionAssignmentRecord,
    MissionDifficulty,
    MissionId,
    MissionProgress,
    MissionSubmission,
    NotFoundError,
    OrgId,
    PortfolioEntry,
    ProfilerResult,
    ProfilerSession,
    Recipe,
    SessionId,
    TalentProfile,
    TrackKey,
    UserId,
    unstructure_object,
)
from profiler_core.access import AuditRecord
from profiler_core.errors import RepositoryError
from profiler_core.mapping import mission_sort_key
from profiler_core.portfolio import (
    COMPARE_AND_SET_FIELDS,
    VALUE_STATEMENT_ITEM_TYPE,
    VALUE_STATEMENT_TITLE,
    is_value_statement_entry,
)
from profiler_core.taxonomy import normalise_code

__all__ = [
    "SessionWrite",
    "HOST_AUDIT_POLICY",
    "SqliteSessionRepository",
    "SqliteMissionRepository",
    "SqliteMissionProgressRepository",
    "SqliteRecipeRepository",
    "SqliteMentorAssignmentRepository",
    "SqliteEnrollmentRepository",
    "SqliteCohortRepository",
    "SqliteAuditSink",
    "SqliteCohortAnalyticsRepository",
    "SqlitePortfolioRepository",
    "SqliteJobRepository",
    "SqliteTalentProfileRepository",
]

_IN = "IN (SELECT value FROM json_each(?))"


#: SQL for "the session id is all ASCII digits" (mapping.session_id_order ranks those by value).
_NUMERIC_ID = "(s.id <> '' AND s.id NOT GLOB '*[^0-9]*')"


class SessionWrite(enum.StrEnum):
    """What :meth:`SqliteSessionRepository.save_session` did."""

    STORED = "stored"
    """A new session was inserted, or a stored incomplete session of the same learner progressed."""
    UNCHANGED = "unchanged"
    """The same completed session was delivered again; nothing was written."""


class SqliteSessionRepository:
    """:class:`~profiler_core.ports.SessionRepository` over ``profiler_sessions`` and ``profiler_results``."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection

    def save_session(self, session: ProfilerSession) -> SessionWrite:
        """Store *session* (the completion route's write); never changes a stored session's owner.

        One guarded upsert: a new id is inserted; a stored session of the same
        learner that is not completed yet is updated (progress). Every column
        but ``id`` and ``user_id`` is updated, so no statement this host runs
        can move a session to another learner. A completed session is
        immutable: delivering it again unchanged writes nothing.

        Raises:
            NotFoundError: the session's learner is not a user of the platform.
            SessionConflict: ``session_owner_conflict`` when the id is another
                learner's session; ``session_already_completed`` when the stored
                session is completed and *session* differs from it. Nothing is written.
        """
        table = TABLES["profiler_sessions"]
        row = table.dump(session)
        updates = ", ".join(f"{c} = excluded.{c}" for c in table.columns if c not in ("id", "user_id"))
        upsert = table.insert_sql(
            conflict=f"ON CONFLICT (id) DO UPDATE SET {updates} "
            "WHERE profiler_sessions.user_id = excluded.user_id "
            "AND profiler_sessions.status NOT IN ('finished', 'locked')"
        )
        if self.connection.execute("SELECT 1 FROM users WHERE id = ?", (session.user_id,)).fetchone() is None:
            raise NotFoundError(kind="user", key=session.user_id)
        with self.connection:
            # A write statement takes SQLite's write lock even when its WHERE refuses the
            # update, so the read below sees the row that refused it, not a later one.
            if self.connection.execute(upsert, row).rowcount == 1:
                return SessionWrite.STORED
            stored = self.connection.execute(
                "SELECT * FROM profiler_sessions WHERE id = ?", (row["id"],)
            ).fetchone()
        if stored["user_id"] != row["user_id"]:
            raise SessionConflict(
                code="session_owner_conflict",
                message=f"Session {session.id} belongs to another learner; a stored session never "
                "changes owner.",
            )
        if _normalised_session_row(stored) != row:
            raise SessionConflict(
                code="session_already_completed",
                message=f"Session {session.id} is completed and stored with different data; a completed "
                "session is never changed.",
            )
        return SessionWrite.UNCHANGED

    def latest_completed_sessions(self, user_ids: Collection[UserId]) -> Mapping[UserId, ProfilerSession]:
        """See :class:`~profiler_core.ports.SessionRepository`: one windowed query for the whole batch."""
        if not user_ids:
            return {}
        # Same order as profiler_core.mapping.latest_completed_session: timestamped sessions
        # first, latest completed_at, ties to the largest id in session_id_order (all-digit ids
        # by numeric value and above text ids; text ids compare like Python str).
        rows = self.connection.execute(
            f"""
            SELECT * FROM (
                SELECT s.*, ROW_NUMBER() OVER (
                    PARTITION BY s.user_id
                    ORDER BY s.completed_at IS NULL, s.completed_at DESC,
                        {_NUMERIC_ID} DESC,
                        CASE WHEN {_NUMERIC_ID} THEN length(s.id) ELSE 0 END DESC,
                        s.id DESC
                ) AS rank_in_user
                FROM profiler_sessions AS s
                WHERE s.status IN ('finished', 'locked') AND s.user_id {_IN}
            ) WHERE rank_in_user = 1
            """,
            (id_list(user_ids),),
        ).fetchall()
        table = TABLES["profiler_sessions"]
        sessions = (table.load(row, ProfilerSession) for row in rows)
        return {s.user_id: s for s in sessions}

    def results_for_sessions(self, session_ids: Collection[SessionId]) -> Mapping[SessionId, ProfilerResult]:
        """See :class:`~profiler_core.ports.SessionRepository`."""
        if not session_ids:
            return {}
        rows = self.connection.execute(
            f"SELECT * FROM profiler_results WHERE session_id {_IN}", (id_list(session_ids),)
        ).fetchall()
        table = TABLES["profiler_results"]
        return {SessionId(row["session_id"]): table.load(row, ProfilerResult) for row in rows}


def _normalised_session_row(row: sqlite3.Row) -> dict[str, object] | None:
    """A stored session row as :meth:`~fastapi_host.db.Table.dump` writes it; ``None`` if it does not load."""
    table = TABLES["profiler_sessions"]
    try:
        return table.dump(table.load(dict(row), ProfilerSession))
    except RepositoryError:
        return None


class SqliteMissionRepository:
    """:class:`~profiler_core.ports.MissionRepository` over ``missions``."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection

    def list_missions(
        self,
        *,
        max_difficulty: MissionDifficulty | None = None,
        active_only: bool = True,
    ) -> Sequence[Mission]:
        """See :class:`~profiler_core.ports.MissionRepository`: filtered in SQL, one query."""
        rows = self.connection.execute(
            "SELECT * FROM missions WHERE (:ceiling IS NULL OR difficulty <= :ceiling) "
            "AND (:active_only = 0 OR is_active = 1)",
            {
                "ceiling": None if max_difficulty is None else int(max_difficulty),
                "active_only": int(active_only),
            },
        ).fetchall()
        table = TABLES["missions"]
        return sorted((table.load(row, Mission) for row in rows), key=mission_sort_key)

    def missions_by_ids(self, ids: Collection[MissionId]) -> Mapping[MissionId, Mission]:
        """See :class:`~profiler_core.ports.MissionRepository`."""
        if not ids:
            return {}
        rows = self.connection.execute(f"SELECT * FROM missions WHERE id {_IN}", (id_list(ids),)).fetchall()
        table = TABLES["missions"]
        return {MissionId(row["id"]): table.load(row, Mission) for row in rows}


class SqliteMissionProgressRepository:
    """:class:`~profiler_core.ports.MissionProgressRepository` over the mission progress tables.

    Three queries whatever the number of learners: ``mission_assignments``,
    ``mission_submissions`` and ``mission_points``.
    """

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection

    def progress_for(self, learner_ids: Collection[UserId]) -> Mapping[UserId, MissionProgress]:
        """See :class:`~profiler_core.ports.MissionProgressRepository`."""
        if not learner_ids:
            return {}
        wanted = (id_list(learner_ids),)
        assigned = self.connection.execute(
            f"SELECT * FROM mission_assignments WHERE learner_id {_IN} ORDER BY assigned_at, id", wanted
        ).fetchall()
        submitted = self.connection.execute(
            f"SELECT * FROM mission_submissions WHERE learner_id {_IN} ORDER BY submitted_at, id", wanted
        ).fetchall()
        points = self.connection.execute(
            f"SELECT learner_id, points FROM mission_points WHERE learner_id {_IN}", wanted
        ).fetchall()
        assignments, submissions = TABLES["mission_assignments"], TABLES["mission_submissions"]
        found: dict[UserId, tuple[list[MissionAssignmentRecord], list[MissionSubmission], int]] = {}
        for row in assigned:
            found.setdefault(UserId(row["learner_id"]), ([], [], 0))[0].append(
                assignments.load(row, MissionAssignmentRecord)
            )
        for row in submitted:
            found.setdefault(UserId(row["learner_id"]), ([], [], 0))[1].append(
                submissions.load(row, MissionSubmission)
            )
        for row in points:
            a, sub, _ = found.get(UserId(row["learner_id"]), ([], [], 0))
            found[UserId(row["learner_id"])] = (a, sub, int(row["points"]))
        return {
            learner: MissionProgress(learner_id=learner, assignments=a, submissions=sub, points=p)
            for learner, (a, sub, p) in found.items()
        }

    def set_points(self, learner_id: str, points: int) -> None:
        """Store *learner_id*'s points (the host's curriculum progress)."""
        self.connection.execute(
            "INSERT INTO mission_points (learner_id, points) VALUES (?, ?) "
            "ON CONFLICT (learner_id) DO UPDATE SET points = excluded.points",
            (learner_id, points),
        )


# --- recipes ------------------------------------------------------------------


class SqliteRecipeRepository:
    """:class:`~profiler_core.ports.RecipeRepository` over ``recipes``.

    Codes are matched with the library's ``normalise_code`` registered as an SQL
    function (see :func:`~fastapi_host.db.connect`), so stored codes need not be
    normalised. The marketplace's talent matching uses it too (recipes for missing skills).
    """

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection

    def active_recipes_with_codes(self, codes: Collection[str]) -> Sequence[Recipe]:
        """See :class:`~profiler_core.ports.RecipeRepository`: one query, each recipe once."""
        if not codes:
            return []
        rows = self.connection.execute(
            f"""
            SELECT * FROM recipes AS r
            WHERE r.is_active = 1 AND EXISTS (
                SELECT 1 FROM json_each(r.skill_codes) AS c WHERE normalise_code(c.value) {_IN}
            )
            ORDER BY r.id
            """,
            (id_list(normalise_code(c) for c in codes),),
        ).fetchall()
        table = TABLES["recipes"]
        return [table.load(row, Recipe) for row in rows]

    def popular_recipes(self, limit: int) -> Sequence[Recipe]:
        """See :class:`~profiler_core.ports.RecipeRepository`: ``recipe_popularity_key`` order in SQL."""
        rows = self.connection.execute(
            "SELECT * FROM recipes WHERE is_active = 1 "
            "ORDER BY usage_count DESC, avg_rating DESC, slug, id LIMIT ?",
            (limit,),
        ).fetchall()
        table = TABLES["recipes"]
        return [table.load(row, Recipe) for row in rows]


# --- access -------------------------------------------------------------------


class SqliteMentorAssignmentRepository:
    """:class:`~profiler_core.ports.MentorAssignmentRepository` over ``mentor_assignments``.

    Every status and expiry is returned: the library's access rules judge them
    (and explain a paused or expired assignment in their reasons).
    """

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection

    def assignments_for_mentors(
        self, mentor_ids: Collection[UserId]
    ) -> Mapping[UserId, Sequence[MentorAssignment]]:
        """See :class:`~profiler_core.ports.MentorAssignmentRepository`."""
        if not mentor_ids:
            return {}
        rows = self.connection.execute(
            f"SELECT * FROM mentor_assignments WHERE mentor_id {_IN} ORDER BY id", (id_list(mentor_ids),)
        ).fetchall()
        table = TABLES["mentor_assignments"]
        found: dict[UserId, list[MentorAssignment]] = {}
        for row in rows:
            found.setdefault(UserId(row["mentor_id"]), []).append(table.load(row, MentorAssignment))
        return found

    def assignments_naming(
        self,
        *,
        mentee_ids: Collection[UserId] = (),
        cohort_ids: Collection[CohortId] = (),
        tracks: Collection[TrackKey] = (),
    ) -> Sequence[MentorAssignment]:
        """See :class:`~profiler_core.ports.MentorAssignmentRepository`: the three targets in one query."""
        if not (mentee_ids or cohort_ids or tracks):
            return []
        rows = self.connection.execute(
            f"""
            SELECT * FROM mentor_assignments
            WHERE (mentee_id {_IN})
               OR (assignment_type = 'cohort' AND cohort_id {_IN})
               OR (assignment_type = 'track' AND track {_IN})
            ORDER BY id
            """,
            (id_list(mentee_ids), id_list(cohort_ids), id_list(str(t) for t in tracks)),
        ).fetchall()
        table = TABLES["mentor_assignments"]
        return [table.load(row, MentorAssignment) for row in rows]


class SqliteEnrollmentRepository:
    """:class:`~profiler_core.ports.EnrollmentRepository` over ``enrollments`` (every status)."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection

    def enrollments_for_users(self, user_ids: Collection[UserId]) -> Mapping[UserId, Sequence[Enrollment]]:
        """See :class:`~profiler_core.ports.EnrollmentRepository`."""
        return {UserId(k): v for k, v in self._by("user_id", user_ids).items()}

    def enrollments_for_cohorts(
        self, cohort_ids: Collection[CohortId]
    ) -> Mapping[CohortId, Sequence[Enrollment]]:
        """See :class:`~profiler_core.ports.EnrollmentRepository`."""
        return {CohortId(k): v for k, v in self._by("cohort_id", cohort_ids).items()}

    def _by(self, column: str, keys: Collection[str]) -> dict[str, list[Enrollment]]:
        if not keys:
            return {}
        rows = self.connection.execute(
            f"SELECT * FROM enrollments WHERE {column} {_IN} ORDER BY user_id, cohort_id", (id_list(keys),)
        ).fetchall()
        table = TABLES["enrollments"]
        found: dict[str, list[Enrollment]] = {}
        for row in rows:
            found.setdefault(row[column], []).append(table.load(row, Enrollment))
        return found


class SqliteCohortRepository:
    """:class:`~profiler_core.ports.CohortRepository` over ``cohorts``."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection

    def cohorts_by_ids(self, cohort_ids: Collection[CohortId]) -> Mapping[CohortId, Cohort]:
        """See :class:`~profiler_core.ports.CohortRepository`."""
        if not cohort_ids:
            return {}
        rows = self.connection.execute(
            f"SELECT * FROM cohorts WHERE id {_IN}", (id_list(cohort_ids),)
        ).fetchall()
        table = TABLES["cohorts"]
        return {CohortId(row["id"]): table.load(row, Cohort) for row in rows}

    def cohorts_for_enterprises(self, enterprise_ids: Collection[OrgId]) -> Mapping[OrgId, Sequence[Cohort]]:
        """See :class:`~profiler_core.ports.CohortRepository`: no ids never means every cohort."""
        if not enterprise_ids:
            return {}
        rows = self.connection.execute(
            f"SELECT * FROM cohorts WHERE enterprise_id {_IN} ORDER BY id", (id_list(enterprise_ids),)
        ).fetchall()
        table = TABLES["cohorts"]
        found: dict[OrgId, list[Cohort]] = {}
        for row in rows:
            found.setdefault(OrgId(row["enterprise_id"]), []).append(table.load(row, Cohort))
        return found


#: The ``policy`` of the audit rows this host writes itself (requests it refused before the library decided).
HOST_AUDIT_POLICY = "fastapi_host@1"


class SqliteAuditSink:
    """:class:`~profiler_core.ports.AuditSink` appending to ``access_audit`` (committed at once).

    Besides the library's records it keeps the host's own refusals
    (:meth:`write_host_refusal`), so every access decision leaves a row.
    """

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection

    def write_host_refusal(
        self, *, viewer_id: str, action: str, subject_id: str, reason_code: str, at: datetime
    ) -> None:
        """Record a request the host refused before any library decision (rule ``host_refusal``).

        Args:
            viewer_id: who asked (an id the host accepted).
            action: the question asked (``view_results``, ``deliver_completion``...).
            subject_id: whom it was about, already bounded by the caller
                (:func:`fastapi_host.edge.bounded`): an id the host refused is never stored as sent.
            reason_code: why it was refused.
            at: the request's ``now``.
        """
        with self.connection:
            self.connection.execute(
                "INSERT INTO access_audit (viewer_id, action, subject_id, outcome, view, rule, "
                "reason_codes, policy, at) VALUES (?, ?, ?, 'denied', 'none', 'host_refusal', ?, ?, ?)",
                (viewer_id, action, subject_id, json.dumps([reason_code]), HOST_AUDIT_POLICY, at.isoformat()),
            )

    def write(self, records: Sequence[AuditRecord]) -> None:
        """See :class:`~profiler_core.ports.AuditSink`: one ``executemany`` for the batch."""
        rows = [unstructure_object(record) for record in records]
        for row in rows:
            row["reason_codes"] = json.dumps(row["reason_codes"])
        with self.connection:
            self.connection.executemany(
                "INSERT INTO access_audit (viewer_id, action, subject_id, outcome, view, rule, "
                "reason_codes, policy, at) VALUES (:viewer_id, :action, :subject_id, :outcome, :view, "
                ":rule, :reason_codes, :policy, :at)",
                rows,
            )


# --- analytics ----------------------------------------------------------------


class SqliteCohortAnalyticsRepository:
    """:class:`~profiler_core.ports.CohortAnalyticsRepository`: the cohort, enrollment and session ports.

    The analytics port has the same methods and contracts as those three, so
    it delegates to them over the one connection: five queries per report,
    whatever the cohort size.
    """

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.cohorts = SqliteCohortRepository(connection)
        self.enrollments = SqliteEnrollmentRepository(connection)
        self.sessions = SqliteSessionRepository(connection)

    def cohorts_by_ids(self, cohort_ids: Collection[CohortId]) -> Mapping[CohortId, Cohort]:
        """See :class:`~profiler_core.ports.CohortRepository`."""
        return self.cohorts.cohorts_by_ids(cohort_ids)

    def cohorts_for_enterprises(self, enterprise_ids: Collection[OrgId]) -> Mapping[OrgId, Sequence[Cohort]]:
        """See :class:`~profiler_core.ports.CohortRepository`."""
        return self.cohorts.cohorts_for_enterprises(enterprise_ids)

    def enrollments_for_cohorts(
        self, cohort_ids: Collection[CohortId]
    ) -> Mapping[CohortId, Sequence[Enrollment]]:
        """See :class:`~profiler_core.ports.EnrollmentRepository`."""
        return self.enrollments.enrollments_for_cohorts(cohort_ids)

    def latest_completed_sessions(self, user_ids: Collection[UserId]) -> Mapping[UserId, ProfilerSession]:
        """See :class:`~profiler_core.ports.SessionRepository`."""
        return self.sessions.latest_completed_sessions(user_ids)

    def results_for_sessions(self, session_ids: Collection[SessionId]) -> Mapping[SessionId, ProfilerResult]:
        """See :class:`~profiler_core.ports.SessionRepository`."""
        return self.sessions.results_for_sessions(session_ids)


# --- portfolio ----------------------------------------------------------------

# The SQL form of profiler_core.portfolio.is_value_statement_entry; the contract checks keep them equal.
_IS_STATEMENT = (
    f"item_type = '{VALUE_STATEMENT_ITEM_TYPE}' "
    f"AND (profiler_session_id IS NOT NULL OR title = '{VALUE_STATEMENT_TITLE}')"
)


class SqlitePortfolioRepository:
    """:class:`~profiler_core.ports.PortfolioRepository` over ``portfolio_items``.

    It also serves as the access layer's ``ValueStatementSource`` (same method).

    Creating a value statement is one guarded ``INSERT``: it writes nothing when
    the learner already has a statement (``NOT EXISTS``, which also covers
    statements written before the constraint). SQLite runs that statement under
    its single write lock; the ``UNIQUE`` ``value_statement_of`` column is what
    keeps it to one entry on a database where two transactions can both pass
    ``NOT EXISTS`` (PostgreSQL under READ COMMITTED): the second insert becomes
    a no-op (``ON CONFLICT DO NOTHING``). Replacing is a compare-and-set
    ``UPDATE`` on the library's ``COMPARE_AND_SET_FIELDS``.
    """

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection

    def value_statements_for(self, user_ids: Collection[UserId]) -> Mapping[UserId, PortfolioEntry]:
        """See :class:`~profiler_core.ports.PortfolioRepository`: one windowed query for the batch."""
        if not user_ids:
            return {}
        # Same order as profiler_core.portfolio.pick_value_statement_entry: learner-edited first,
        # then the earliest created_at (entries without one last), then the smallest id.
        rows = self.connection.execute(
            f"""
            SELECT * FROM (
                SELECT p.*, ROW_NUMBER() OVER (
                    PARTITION BY p.user_id
                    ORDER BY p.learner_edited_at IS NULL, p.created_at IS NULL, p.created_at, p.id
                ) AS rank_in_user
                FROM portfolio_items AS p
                WHERE {_IS_STATEMENT} AND p.user_id {_IN}
            ) WHERE rank_in_user = 1
            """,
            (id_list(user_ids),),
        ).fetchall()
        table = TABLES["portfolio_items"]
        return {UserId(row["user_id"]): table.load(row, PortfolioEntry) for row in rows}

    def save_entry(self, entry: PortfolioEntry, *, replacing: PortfolioEntry | None) -> PortfolioEntry | None:
        """See :class:`~profiler_core.ports.PortfolioRepository` (create-once, compare-and-set)."""
        table = TABLES["portfolio_items"]
        if replacing is None:
            if entry.id is not None:
                raise InvalidValueError(field="id", reason="must be None for a new entry")
            stored = attrs.evolve(entry, id=EntryId(f"entry-{uuid.uuid4().hex}"))
            row = table.dump(stored)
            with self.connection:
                if not is_value_statement_entry(stored):
                    self.connection.execute(table.insert_sql(), row)
                    return stored
                names = ", ".join(table.columns)
                marks = ", ".join(f":{c}" for c in table.columns)
                inserted = self.connection.execute(
                    f"""
                    INSERT INTO portfolio_items ({names}, value_statement_of)
                    SELECT {marks}, :user_id
                    WHERE NOT EXISTS (
                        SELECT 1 FROM portfolio_items WHERE user_id = :user_id AND {_IS_STATEMENT}
                    )
                    ON CONFLICT (value_statement_of) DO NOTHING
                    """,
                    row,
                ).rowcount
            return stored if inserted == 1 else None
        if entry.id != replacing.id:
            raise InvalidValueError(field="id", reason="must be the id of the entry it replaces")
        if entry.user_id != replacing.user_id:
            raise InvalidValueError(field="user_id", reason="an entry never changes owner")
        row = table.dump(entry)
        previous = table.dump(replacing)
        # user_id is never assigned, and the stored row must still be this learner's:
        # no update moves an entry to another learner.
        assignments = ", ".join(f"{c} = :{c}" for c in table.columns if c not in ("id", "user_id"))
        # Compare-and-set: only while the stored row still holds what the caller read
        # (IS compares NULLs as equal).
        unchanged = " AND ".join(f"{c} IS :previous_{c}" for c in COMPARE_AND_SET_FIELDS)
        with self.connection:
            updated = self.connection.execute(
                f"UPDATE portfolio_items SET {assignments} "
                f"WHERE id = :id AND user_id = :user_id AND {unchanged}",
                {**row, **{f"previous_{c}": previous[c] for c in COMPARE_AND_SET_FIELDS}},
            ).rowcount
        return entry if updated == 1 else None


# --- marketplace --------------------------------------------------------------


class SqliteJobRepository:
    """:class:`~profiler_core.ports.JobRepository` over ``job_postings``."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection

    def active_jobs(self, *, now: datetime) -> Sequence[JobPosting]:
        """See :class:`~profiler_core.ports.JobRepository`: open at *now*, filtered in SQL."""
        rows = self.connection.execute(
            "SELECT * FROM job_postings WHERE is_active = 1 "
            "AND (application_deadline IS NULL OR application_deadline > ?) ORDER BY id",
            (stored_time(now),),
        ).fetchall()
        table = TABLES["job_postings"]
        return [table.load(row, JobPosting) for row in rows]

    def jobs_by_ids(self, ids: Collection[JobId]) -> Mapping[JobId, JobPosting]:
        """See :class:`~profiler_core.ports.JobRepository`."""
        if not ids:
            return {}
        rows = self.connection.execute(
            f"SELECT * FROM job_postings WHERE id {_IN}", (id_list(ids),)
        ).fetchall()
        table = TABLES["job_postings"]
        return {JobId(row["id"]): table.load(row, JobPosting) for row in rows}


class SqliteTalentProfileRepository:
    """:class:`~profiler_core.ports.TalentProfileRepository` over ``talent_profiles``."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection

    def profiles_for_users(self, user_ids: Collection[UserId]) -> Mapping[UserId, TalentProfile]:
        """See :class:`~profiler_core.ports.TalentProfileRepository`."""
        if not user_ids:
            return {}
        rows = self.connection.execute(
            f"SELECT * FROM talent_profiles WHERE user_id {_IN}", (id_list(user_ids),)
        ).fetchall()
        table = TABLES["talent_profiles"]
        return {UserId(row["user_id"]): table.load(row, TalentProfile) for row in rows}

    def searchable_profiles(self) -> Sequence[TalentProfile]:
        """See :class:`~profiler_core.ports.TalentProfileRepository`: visible *and* consenting."""
        rows = self.connection.execute(
            "SELECT * FROM talent_profiles WHERE is_visible = 1 AND employer_share_consent = 1 "
            "ORDER BY user_id"
        ).fetchall()
        table = TABLES["talent_profiles"]
        return [table.load(row, TalentProfile) for row in rows]
