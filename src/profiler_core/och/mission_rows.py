"""OCH mission progress rows in: ``mission_assignments`` and ``mission_submissions`` (issue 18).

``student_id`` holds ``users.uuid_id``: the host's
:class:`~profiler_core.och.UserDirectory` turns it into the learner id (the
integer ``users.id`` text); an integer id is kept as it is. A submission
names its assignment, not its mission: the reader takes ``mission_id``, else
the joined ``assignment__mission_id`` (``.values("assignment__mission_id",
...)``), else the host's *missions_by_assignment* lookup. Statuses are the
platform's (``assigned`` .. ``failed``; ``draft`` .. ``rejected``); a
``Decimal`` ``score`` reads as a number; timestamps keep their offsets
(PostgreSQL's ``+03`` too).
"""

from __future__ import annotations

from collections.abc import Iterable

from profiler_core.ids import IdLike, _id_text
from profiler_core.mission_progress import MissionAssignmentRecord, MissionSubmission
from profiler_core.och.directories import UserDirectory
from profiler_core.och.rows import IdKeyed, Row, RowRead, RowsRead, _dump_timestamp, _Wire, read_rows

__all__ = [
    "read_mission_assignment",
    "read_mission_assignment_rows",
    "read_mission_submission",
    "read_mission_submission_rows",
]


def _student(wire: _Wire, row: Row, users: UserDirectory | None) -> None:
    value = row.get("student_id")
    resolution = (users or UserDirectory()).resolve(value)
    if resolution.user_id is None:
        wire.fail(
            "$.student_id",
            "must be users.id, or a users.uuid_id the user directory knows",
            "required" if value is None else "invalid_value",
            covers="learner_id",
        )
        return
    wire.put("learner_id", resolution.user_id, "student_id")


def read_mission_assignment(
    row: Row, *, users: UserDirectory | None = None
) -> RowRead[MissionAssignmentRecord]:
    """Read a ``mission_assignments`` row as a :class:`~profiler_core.MissionAssignmentRecord`.

    A cohort assignment (``student_id`` NULL) names no learner and is
    rejected at ``$.student_id``: the host expands cohort assignments to
    their learners before reading (or reads only individual ones).

    Raises:
        InvalidPayloadError: every problem at its real column.

    >>> import uuid
    >>> users = UserDirectory.from_users(
    ...     [{"id": 16, "uuid_id": uuid.UUID("742ee3bd-fe83-4f7e-b1c0-7f5cab98af94")}]
    ... )
    >>> read = read_mission_assignment(
    ...     {
    ...         "id": uuid.UUID("b5cc4ca7-3803-4510-9dcb-6abcf9ebc980"),
    ...         "mission_id": uuid.UUID("32f96ff3-fa0d-4f49-9f52-1ac276c7ecbe"),
    ...         "assignment_type": "individual",
    ...         "student_id": uuid.UUID("742ee3bd-fe83-4f7e-b1c0-7f5cab98af94"),
    ...         "status": "assigned",
    ...         "assigned_at": "2026-02-07 18:55:58.003432+03",
    ...     },
    ...     users=users,
    ... )
    >>> read.value.learner_id, read.value.status.value, read.value.assigned_at.isoformat()
    ('16', 'assigned', '2026-02-07T18:55:58.003432+03:00')
    """
    wire = _Wire("mission_assignments")
    wire.copy(row, "id", "mission_id", "status")
    _student(wire, row, users)
    if row.get("assigned_at") is not None:
        wire.put("assigned_at", _dump_timestamp(row["assigned_at"]))
    return wire.read(MissionAssignmentRecord)


def read_mission_assignment_rows(
    rows: Iterable[Row], *, users: UserDirectory | None = None
) -> RowsRead[MissionAssignmentRecord]:
    """Batch form of :func:`read_mission_assignment`."""
    return read_rows(rows, lambda row: read_mission_assignment(row, users=users))


def read_mission_submission(
    row: Row,
    *,
    users: UserDirectory | None = None,
    mission_id: IdLike | None = None,
) -> RowRead[MissionSubmission]:
    """Read a ``mission_submissions`` row as a :class:`~profiler_core.mission_progress.MissionSubmission`.

    The mission: ``mission_id``, else ``assignment__mission_id``, else the
    host's *mission_id* (its assignment's mission).

    Raises:
        InvalidPayloadError: every problem at its real column.

    >>> from decimal import Decimal
    >>> read = read_mission_submission(
    ...     {
    ...         "id": "15a52f15-5d4d-463d-b681-35548ff2ac15",
    ...         "assignment_id": "f4c8a287-0000-4000-8000-000000000001",
    ...         "assignment__mission_id": "32f96ff3-fa0d-4f49-9f52-1ac276c7ecbe",
    ...         "student_id": 16,
    ...         "status": "rejected",
    ...         "score": Decimal("50.00"),
    ...         "submitted_at": "2026-02-14 16:19:22.145175+03",
    ...     }
    ... )
    >>> read.value.status.value, read.value.score, read.value.passed
    ('rejected', 50.0, False)
    """
    wire = _Wire("mission_submissions")
    wire.copy(row, "assignment_id", "status", "score")
    if "id" in row:
        # The submission id is plain text in the library (no id type of its own): a UUID is read as its text.
        wire.put("id", _id_text(row["id"]) or row["id"])
    if row.get("mission_id") is not None:
        wire.put("mission_id", row["mission_id"])
    elif row.get("assignment__mission_id") is not None:
        wire.put("mission_id", row["assignment__mission_id"], "assignment__mission_id")
    elif mission_id is not None:
        wire.put("mission_id", mission_id, "assignment_id")
    _student(wire, row, users)
    if row.get("submitted_at") is not None:
        wire.put("submitted_at", _dump_timestamp(row["submitted_at"]))
    return wire.read(MissionSubmission)


def read_mission_submission_rows(
    rows: Iterable[Row],
    *,
    users: UserDirectory | None = None,
    missions_by_assignment: IdKeyed[IdLike] | None = None,
) -> RowsRead[MissionSubmission]:
    """Batch form of :func:`read_mission_submission`; *missions_by_assignment*: assignment id → mission id."""
    lookup = {_id_text(k): v for k, v in (missions_by_assignment or {}).items()}
    return read_rows(
        rows,
        lambda row: read_mission_submission(
            row, users=users, mission_id=lookup.get(_id_text(row.get("assignment_id")))
        ),
    )
