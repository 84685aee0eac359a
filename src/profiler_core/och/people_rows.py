"""OCH rows about people in: roles, enrollments, portfolio items, marketplace profiles, mentor assignments.

The learner id is the integer ``users.id`` text everywhere (see
:mod:`profiler_core.och.directories`): ``portfolio_items.user_id`` holds
``users.uuid_id`` and is turned into it through a
:class:`~profiler_core.och.UserDirectory`. Track references
(``user_roles.scope_ref`` of a ``track`` scope, ``menteementorassignments.track_id``,
``curriculum_track_mentor_assignments.curriculum_track_id``) are resolved
through a :class:`~profiler_core.och.TrackDirectory`; an unresolved one is
noted and grants nothing.

Mentor assignments come from three tables:

* ``menteementorassignments`` (``mentorship_coordination``): every row names
  a mentee; ``assignment_type`` defaults to ``cohort``; no ``expires_at``;
* ``mentor_assignments`` (``programs.MentorAssignment``): a mentor on a
  cohort, with ``role`` (``primary``, ``support``, ``guest``) and an ``active``
  boolean instead of a status: ``active`` reads as status ``active``, not
  active as ``paused`` (it counts as absent, SPEC §5). Every role covers the
  cohort the same way (the platform's views do not tell them apart);
* ``track_mentor_assignments`` / ``curriculum_track_mentor_assignments``: a
  mentor on a track, with ``role`` and ``active``.
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from profiler_core.decisions import Reason
from profiler_core.ids import IdLike, _id_text
from profiler_core.models import (
    Enrollment,
    MentorAssignment,
    PortfolioEntry,
    Principal,
    RoleGrant,
    TalentProfile,
)
from profiler_core.och.directories import TrackDirectory, UserDirectory
from profiler_core.och.rows import IdKeyed, Row, RowRead, RowsRead, _dump_timestamp, _Wire, read_rows
from profiler_core.vocabulary import Role, parse_role, parse_track_lenient

__all__ = [
    "read_user_role",
    "read_user_role_rows",
    "read_principal",
    "read_enrollment",
    "read_enrollment_rows",
    "read_portfolio_item",
    "read_portfolio_item_rows",
    "read_portfolio_api_item",
    "read_marketplace_profile",
    "read_marketplace_profile_rows",
    "read_mentee_mentor_assignment",
    "read_mentee_mentor_assignment_rows",
    "read_program_mentor_assignment",
    "read_program_mentor_assignment_rows",
    "read_track_mentor_assignment",
    "read_track_mentor_assignment_rows",
]


def _timestamps(wire: _Wire, row: Row, *names: str) -> None:
    for name in names:
        if name in row:
            wire.put(name, _dump_timestamp(row[name]))


def _role_name(wire: _Wire, row: Row, role_names: IdKeyed[str] | None) -> None:
    for column in ("role__name", "role_name", "role"):
        if isinstance(row.get(column), str):
            wire.put("role", row[column], column)
            return
    role_id = _id_text(row.get("role_id"))
    names = {_id_text(k): v for k, v in (role_names or {}).items()}
    if role_id is not None and role_id in names:
        wire.put("role", names[role_id], "role_id")
        return
    wire.fail(
        "$.role_id",
        "must name a role (role__name, or role_id with the host's role names)",
        "required",
        covers="role",
    )


def _scope_ref(wire: _Wire, row: Row, tracks: TrackDirectory | None) -> None:
    scope = row.get("scope", "global")
    scope = scope.strip().lower() if isinstance(scope, str) else scope
    wire.put("scope", scope)
    ref = row.get("scope_ref")
    legacy = {"cohort": "cohort_id", "track": "track_key", "org": "org_id"}.get(str(scope))
    column = "scope_ref"
    if ref is None and legacy is not None:
        for name in (legacy, f"{legacy}_id"):
            if row.get(name) is not None:
                ref, column = row[name], name
                break
    if scope == "track" and ref is not None:
        resolution = (tracks or TrackDirectory()).resolve(ref, field=column)
        if resolution.key is not None:
            ref = resolution.key.value
        else:
            wire.unresolved(f"$.{column}", resolution.ref, resolution.reason)
    if ref is not None:
        # scope_ref is text in the library; a UUID or an int id is written as its canonical text.
        wire.put("scope_ref", _id_text(ref) or ref, column)


def read_user_role(
    row: Row,
    *,
    tracks: TrackDirectory | None = None,
    role_names: IdKeyed[str] | None = None,
) -> RowRead[RoleGrant]:
    """Read a ``user_roles`` row as a :class:`RoleGrant`.

    The role name is ``role__name`` (a ``.values("role__name", ...)`` join),
    ``role_name`` or ``role``; else ``role_id`` looked up in *role_names* (the
    host's ``roles`` table: ``{8: "sponsor"}``). A name the library does not
    know (``sponsor``) is kept as ``unknown`` and noted: it grants nothing.
    ``scope_ref`` of a ``track`` scope is a track UUID resolved through
    *tracks* (unresolved: kept as it is, noted, grants nothing); a missing
    ``scope_ref`` falls back to the legacy ``cohort_id`` / ``track_key`` /
    ``org_id`` column of its scope.

    Raises:
        InvalidPayloadError: every problem at its real column.

    >>> read = read_user_role(
    ...     {
    ...         "id": 5,
    ...         "scope": "global",
    ...         "scope_ref": None,
    ...         "is_active": True,
    ...         "expires_at": None,
    ...         "role_id": 8,
    ...         "user_id": 4,
    ...     },
    ...     role_names={8: "sponsor"},
    ... )
    >>> read.value.role, [n.code for n in read.notes]
    (<Role.UNKNOWN: 'unknown'>, ['unknown_role'])
    """
    wire = _Wire("user_roles")
    _role_name(wire, row, role_names)
    _scope_ref(wire, row, tracks)
    wire.copy(row, "is_active")
    _timestamps(wire, row, "expires_at")
    role = wire.data.get("role")
    if isinstance(role, str) and parse_role(role) is Role.UNKNOWN:
        wire.keep(
            f"$.{wire.sources.get('role', 'role')}",
            role,
            Reason(
                code="unknown_role",
                message="The grant's role is not a role the library knows; it grants nothing.",
            ),
        )
    return wire.read(RoleGrant)


def read_user_role_rows(
    rows: Iterable[Row],
    *,
    tracks: TrackDirectory | None = None,
    role_names: IdKeyed[str] | None = None,
) -> RowsRead[RoleGrant]:
    """Batch form of :func:`read_user_role`."""
    return read_rows(rows, lambda row: read_user_role(row, tracks=tracks, role_names=role_names))


def read_principal(
    user: Row,
    roles: Iterable[Row] = (),
    *,
    tracks: TrackDirectory | None = None,
    role_names: IdKeyed[str] | None = None,
) -> RowRead[Principal]:
    """Read the viewer: a ``users`` row (``id``, ``is_staff``) and that user's ``user_roles`` rows.

    A role row that cannot be read is a problem of the principal at
    ``$.user_roles[i]...`` (a viewer is never read with a grant quietly missing).

    Raises:
        InvalidPayloadError: every problem, role rows' at ``$.user_roles[i].<column>``.

    >>> read_principal(
    ...     {"id": 2, "is_staff": False}, [{"role__name": "program_director", "scope": "global"}]
    ... ).value.roles[0].role
    <Role.PROGRAM_DIRECTOR: 'program_director'>
    """
    wire = _Wire("users")
    wire.put("user_id", user.get("id"), "id")
    wire.copy(user, "is_staff")
    batch = read_user_role_rows(roles, tracks=tracks, role_names=role_names)
    for problem in batch.problems:
        wire.fail(f"$.user_roles[{problem.index}]{problem.path[1:]}", "cannot be read", problem.code)
    for note in batch.notes:
        wire.notes.append(note.reason)
    read = wire.read(Principal)
    return RowRead(value=attrs.evolve(read.value, roles=batch.values), notes=read.notes)


def read_enrollment(row: Row) -> RowRead[Enrollment]:
    """Read an ``enrollments`` row (``user_id`` is ``users.id``) as an :class:`Enrollment`.

    Raises:
        InvalidPayloadError: every problem at its real column.

    >>> read_enrollment(
    ...     {
    ...         "id": "e-1",
    ...         "cohort_id": "738d2d0f-f246-4310-8dca-98d571612981",
    ...         "user_id": 16,
    ...         "status": "active",
    ...     }
    ... ).value.user_id
    '16'
    """
    wire = _Wire("enrollments")
    wire.copy(row, "user_id", "cohort_id", "status")
    return wire.read(Enrollment)


def read_enrollment_rows(rows: Iterable[Row]) -> RowsRead[Enrollment]:
    """Batch form of :func:`read_enrollment`."""
    return read_rows(rows, read_enrollment)


def _learner(wire: _Wire, value: object, column: str, users: UserDirectory | None) -> None:
    resolution = (users or UserDirectory()).resolve(value)
    if resolution.user_id is None and value is not None:
        wire.fail(
            f"$.{column}", "must be users.id, or a users.uuid_id the user directory knows", "invalid_value"
        )
        return
    wire.put("user_id", resolution.user_id, column)


def read_portfolio_item(row: Row, *, users: UserDirectory | None = None) -> RowRead[PortfolioEntry]:
    """Read a ``portfolio_items`` row as a :class:`PortfolioEntry`.

    ``user_id`` holds ``users.uuid_id``: *users* turns it into the learner id
    (an unknown uuid is a problem at ``$.user_id``, never a second id for the
    same person).

    Raises:
        InvalidPayloadError: every problem at its real column.

    >>> import uuid
    >>> users = UserDirectory.from_users(
    ...     [{"id": 16, "uuid_id": uuid.UUID("742ee3bd-fe83-4f7e-b1c0-7f5cab98af94")}]
    ... )
    >>> entry = read_portfolio_item(
    ...     {
    ...         "id": uuid.UUID("9d7cb1a4-57a5-4a55-9d0c-3c2f3bb0a001"),
    ...         "user_id": uuid.UUID("742ee3bd-fe83-4f7e-b1c0-7f5cab98af94"),
    ...         "title": "My Value Statement",
    ...         "summary": "I am drawn to cybersecurity because: puzzles.",
    ...         "item_type": "reflection",
    ...         "status": "approved",
    ...         "visibility": "private",
    ...         "skill_tags": "[]",
    ...         "profiler_session_id": uuid.UUID("0b6c7a52-3c1e-4f5e-9d59-0c3f8f1d2a10"),
    ...         "created_at": "2026-02-07 08:25:00.5+03",
    ...         "updated_at": "2026-02-07 08:25:00.5+03",
    ...     },
    ...     users=users,
    ... ).value
    >>> entry.user_id, entry.created_at.isoformat()
    ('16', '2026-02-07T08:25:00.500000+03:00')
    """
    wire = _Wire("portfolio_items")
    wire.copy(row, "id", "title", "summary", "item_type", "status", "visibility", "profiler_session_id")
    _learner(wire, row.get("user_id"), "user_id", users)
    _timestamps(wire, row, "created_at", "updated_at")
    return wire.read(PortfolioEntry)


def read_portfolio_item_rows(
    rows: Iterable[Row], *, users: UserDirectory | None = None
) -> RowsRead[PortfolioEntry]:
    """Batch form of :func:`read_portfolio_item`."""
    return read_rows(rows, lambda row: read_portfolio_item(row, users=users))


def read_portfolio_api_item(item: Row, *, user_id: IdLike) -> RowRead[PortfolioEntry]:
    """Read an item of the portfolio API (camelCase, ``dashboard/portfolio_views.py``) as a portfolio entry.

    The API writes ``{id, title, summary, type, status, visibility, skillTags,
    evidenceFiles, createdAt, updatedAt}`` (``summary`` is ``''`` for a null
    column) and no owner: the host passes the learner id it fetched the items
    for. ``profilerSessionId`` is read when present.

    Raises:
        InvalidPayloadError: every problem at the item's own key (``$.createdAt``).

    >>> read_portfolio_api_item(
    ...     {
    ...         "id": "9d7cb1a4-57a5-4a55-9d0c-3c2f3bb0a001",
    ...         "title": "My Value Statement",
    ...         "summary": "",
    ...         "type": "reflection",
    ...         "status": "approved",
    ...         "visibility": "private",
    ...         "skillTags": [],
    ...         "createdAt": "2026-02-07T08:25:00+03:00",
    ...         "updatedAt": None,
    ...     },
    ...     user_id=16,
    ... ).value.item_type
    'reflection'
    """
    wire = _Wire("portfolio_item")
    wire.copy(item, "id", "title", "summary", "status", "visibility")
    wire.put("user_id", user_id, "user_id")
    for name, key in (
        ("item_type", "type"),
        ("profiler_session_id", "profilerSessionId"),
        ("created_at", "createdAt"),
        ("updated_at", "updatedAt"),
    ):
        if key in item:
            wire.put(name, item[key], key)
    return wire.read(PortfolioEntry)


def read_marketplace_profile(row: Row) -> RowRead[TalentProfile]:
    """Read a ``marketplace_profiles`` row (the learner is ``mentee_id``) as a :class:`TalentProfile`.

    ``primary_track_key`` takes aliases (``cyber_defense`` → defender); a value
    that is not a track is noted ``unknown_track`` and gives no track (the
    profile is context, never rejected for it).

    Raises:
        InvalidPayloadError: every problem at its real column (``$.mentee_id``).

    >>> from decimal import Decimal
    >>> profile = read_marketplace_profile(
    ...     {
    ...         "id": "2524949f-4089-4928-995d-1073bff68b06",
    ...         "mentee_id": 16,
    ...         "readiness_score": Decimal("92.00"),
    ...         "job_fit_score": Decimal("90.00"),
    ...         "primary_track_key": "cyber_defense",
    ...         "skills": ["DFIR", "Malware Analysis", "SOAR"],
    ...         "is_visible": True,
    ...         "employer_share_consent": True,
    ...     }
    ... ).value
    >>> profile.user_id, profile.primary_track_key, profile.readiness_score
    ('16', <TrackKey.DEFENDER: 'defender'>, 92.0)
    """
    wire = _Wire("marketplace_profiles")
    wire.put("user_id", row.get("mentee_id"), "mentee_id")
    wire.copy(row, "skills", "readiness_score", "job_fit_score", "is_visible", "employer_share_consent")
    track = row.get("primary_track_key")
    if isinstance(track, str) and track.strip():
        key = parse_track_lenient(track).key
        if key is None:
            wire.keep(
                "$.primary_track_key",
                track.strip(),
                Reason(
                    code="unknown_track",
                    message="The profile's primary_track_key is not a track; it plays no part.",
                ),
            )
        else:
            wire.put("primary_track_key", key.value)
    elif track is not None and not isinstance(track, str):
        wire.put("primary_track_key", track)
    return wire.read(TalentProfile)


def read_marketplace_profile_rows(rows: Iterable[Row]) -> RowsRead[TalentProfile]:
    """Batch form of :func:`read_marketplace_profile`."""
    return read_rows(rows, read_marketplace_profile)


def _assignment_track(wire: _Wire, row: Row, columns: tuple[str, ...], tracks: TrackDirectory | None) -> None:
    for column in columns:
        ref = row.get(column)
        if ref is None or (isinstance(ref, str) and not ref.strip()):
            continue
        resolution = (tracks or TrackDirectory()).resolve(ref, field=column)
        if resolution.key is not None:
            wire.put("track", resolution.key.value, column)
        else:
            wire.unresolved(f"$.{column}", resolution.ref, resolution.reason)
        return


def _blank_is_none(value: object) -> object:
    return None if isinstance(value, str) and not value.strip() else value


def read_mentee_mentor_assignment(
    row: Row, *, tracks: TrackDirectory | None = None
) -> RowRead[MentorAssignment]:
    """Read a ``menteementorassignments`` row as a :class:`MentorAssignment`.

    ``cohort_id`` and ``track_id`` are ``varchar(100)`` (blank reads as null);
    ``track_id`` holds a track UUID resolved through *tracks* (unresolved:
    noted, no track). ``assignment_type`` is read as stored (the model's
    default is ``cohort``); what a row covers is decided by the access rules
    (SPEC §5: a row that names a mentee covers that mentee only).

    Raises:
        InvalidPayloadError: every problem at its real column.

    >>> import uuid
    >>> directory = TrackDirectory.from_rows(
    ...     curriculum_tracks=[
    ...         {
    ...             "id": uuid.UUID("5fb698b7-08a0-400c-b5d5-c0f7f19ba8d8"),
    ...             "code": "DEFENSIVE",
    ...             "slug": "defender",
    ...         }
    ...     ]
    ... )
    >>> a = read_mentee_mentor_assignment(
    ...     {
    ...         "id": uuid.UUID("c6f60589-db18-40c6-8cd1-9006e8eded8f"),
    ...         "mentee_id": 16,
    ...         "mentor_id": 4,
    ...         "cohort_id": None,
    ...         "status": "active",
    ...         "track_id": "5fb698b7-08a0-400c-b5d5-c0f7f19ba8d8",
    ...         "assignment_type": "track",
    ...     },
    ...     tracks=directory,
    ... ).value
    >>> a.mentee_id, a.mentor_id, a.track
    ('16', '4', <TrackKey.DEFENDER: 'defender'>)
    """
    wire = _Wire("menteementorassignments")
    wire.copy(row, "id", "mentor_id", "mentee_id", "status")
    wire.put("assignment_type", row.get("assignment_type", "cohort"))
    if row.get("cohort_id") is not None:
        wire.put("cohort_id", _blank_is_none(row["cohort_id"]))
    _assignment_track(wire, row, ("track_id",), tracks)
    return wire.read(MentorAssignment)


def read_mentee_mentor_assignment_rows(
    rows: Iterable[Row], *, tracks: TrackDirectory | None = None
) -> RowsRead[MentorAssignment]:
    """Batch form of :func:`read_mentee_mentor_assignment`."""
    return read_rows(rows, lambda row: read_mentee_mentor_assignment(row, tracks=tracks))


def _active_status(wire: _Wire, row: Row) -> None:
    active = row.get("active", True)
    if not isinstance(active, bool):
        wire.fail(
            "$.active",
            f"must be true or false, got {type(active).__name__}",
            "not_a_boolean",
            covers="status",
        )
        return
    wire.put("status", "active" if active else "paused", "active")


def read_program_mentor_assignment(row: Row) -> RowRead[MentorAssignment]:
    """Read a ``mentor_assignments`` row (``programs.MentorAssignment``: a mentor on a cohort).

    It has no status and no mentee: ``active`` reads as status ``active``, not
    active as ``paused``; the assignment is cohort-wide. ``role`` is not a
    coverage rule (every role covers the cohort).

    Raises:
        InvalidPayloadError: every problem at its real column.

    >>> a = read_program_mentor_assignment(
    ...     {
    ...         "id": "31800781-9621-469b-8fff-139cf726f466",
    ...         "cohort_id": "32b37d99-ef98-476a-952a-66785f3d8e60",
    ...         "mentor_id": 4,
    ...         "role": "support",
    ...         "assigned_at": "2026-02-07 16:05:06.579833+03",
    ...         "active": False,
    ...     }
    ... ).value
    >>> a.assignment_type.value, a.status.value, a.mentee_id
    ('cohort', 'paused', None)
    """
    wire = _Wire("mentor_assignments")
    wire.copy(row, "id", "mentor_id", "cohort_id")
    wire.put("assignment_type", "cohort")
    _active_status(wire, row)
    return wire.read(MentorAssignment)


def read_program_mentor_assignment_rows(rows: Iterable[Row]) -> RowsRead[MentorAssignment]:
    """Batch form of :func:`read_program_mentor_assignment`."""
    return read_rows(rows, read_program_mentor_assignment)


def read_track_mentor_assignment(
    row: Row, *, tracks: TrackDirectory | None = None
) -> RowRead[MentorAssignment]:
    """Read a ``track_mentor_assignments`` / ``curriculum_track_mentor_assignments`` row (a track mentor).

    The track is ``track_id`` or ``curriculum_track_id``, resolved through
    *tracks*; ``active`` as for :func:`read_program_mentor_assignment`.

    Raises:
        InvalidPayloadError: every problem at its real column.
    """
    wire = _Wire("track_mentor_assignments")
    wire.copy(row, "id", "mentor_id")
    wire.put("assignment_type", "track")
    _active_status(wire, row)
    _assignment_track(wire, row, ("track_id", "curriculum_track_id"), tracks)
    return wire.read(MentorAssignment)


def read_track_mentor_assignment_rows(
    rows: Iterable[Row], *, tracks: TrackDirectory | None = None
) -> RowsRead[MentorAssignment]:
    """Batch form of :func:`read_track_mentor_assignment`."""
    return read_rows(rows, lambda row: read_track_mentor_assignment(row, tracks=tracks))
