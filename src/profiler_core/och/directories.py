"""Directories the host gives the OCH row readers: track references and user keys (SPEC §12).

The OCH platform refers to a track by UUID (``profilersessions.recommended_track_id``,
``user_roles.scope_ref``, ``menteementorassignments.track_id``,
``missions.track_id``), by slug (``curriculum_tracks.slug``, ``cohorts.curriculum_tracks``)
or by code (``curriculum_tracks.code``). A :class:`TrackDirectory`, built from the
host's ``tracks`` and ``curriculum_tracks`` rows, turns each into a
:class:`~profiler_core.vocabulary.TrackKey`; a reference it cannot resolve comes
back with a reason (``track_unresolved``, ``track_ambiguous``), never a guess.

Users have two keys: ``users.id`` (a bigint) and ``users.uuid_id`` (a UUID).
Sessions, enrollments, role grants, mentor assignments and marketplace profiles
key users by the integer id; portfolio items and mission assignments by the
UUID. **The library's one learner id is the integer id's text** (``"16"``): it is
what most tables hold, what the platform's routes carry (``<int:mentee_id>``) and
what the FastAPI profiling service sends. A :class:`UserDirectory` turns a
``uuid_id`` into that id.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping

from attrs import field, frozen

from profiler_core.decisions import Reason
from profiler_core.errors import InvalidValueError
from profiler_core.frozenmap import FrozenMap, freeze
from profiler_core.ids import UserId, _id_text
from profiler_core.och.rows import IdKeyed
from profiler_core.vocabulary import TrackKey, normalise_token, parse_track_lenient

__all__ = [
    "TrackResolution",
    "TrackDirectory",
    "UserResolution",
    "UserDirectory",
]


def _ref_text(ref: object) -> str | None:
    """The canonical text of a reference (an id's text, or a stripped string), or ``None``."""
    if isinstance(ref, str):
        ref = ref.strip()
    return _id_text(ref)


def _is_uuid_text(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return len(text) == 36  # the hyphenated form only


@frozen(kw_only=True)
class TrackResolution:
    """What a track reference resolved to: a key, or the reason there is none.

    Attributes:
        key: the track, or ``None`` when the reference was empty or unresolved.
        ref: the reference's canonical text (``None`` when none was given).
        reason: ``None`` when resolved or when no reference was given; else a
            reason with code ``track_unresolved`` or ``track_ambiguous``.
    """

    key: TrackKey | None
    ref: str | None
    reason: Reason | None = None

    @property
    def resolved(self) -> bool:
        """True when the reference named a track."""
        return self.key is not None


def _entries(values: Mapping[str, frozenset[TrackKey]] | None) -> FrozenMap[str, frozenset[TrackKey]]:
    return freeze(values)


@frozen(kw_only=True)
class TrackDirectory:
    """Track references (UUID, slug, code) to track keys, given by the host (SPEC §5, §12).

    Build it with :meth:`from_rows` (or :meth:`from_tracks` /
    :meth:`from_curriculum_tracks` and :meth:`merge`). Each row's id, and its
    slug, code or key text, point at the track its slug, key, code or name
    parses to (SPEC §1 aliases: ``defensive-security`` and ``DEFENSIVE``... the
    first that parses wins, in that order). A row none of whose names parses
    (``Feb``, ``test-track``) is kept as unresolved, so its id is reported, not
    mistaken for a stranger's.

    Resolution (:meth:`resolve`): the directory's entry for the reference; else
    the reference itself parsed as a track key or alias (``SOCDEFENSE``,
    ``cyber_defense``); else ``track_unresolved``. A reference that two rows
    point at different tracks is ``track_ambiguous``.

    >>> directory = TrackDirectory.from_rows(
    ...     curriculum_tracks=[
    ...         {
    ...             "id": uuid.UUID("5fb698b7-08a0-400c-b5d5-c0f7f19ba8d8"),
    ...             "code": "DEFENSIVE",
    ...             "slug": "defender",
    ...         }
    ...     ],
    ... )
    >>> directory.key("5FB698B7-08A0-400C-B5D5-C0F7F19BA8D8")
    <TrackKey.DEFENDER: 'defender'>
    >>> directory.resolve("Feb").reason.code
    'track_unresolved'
    """

    entries: FrozenMap[str, frozenset[TrackKey]] = field(factory=FrozenMap, converter=_entries)

    @classmethod
    def from_rows(
        cls,
        *,
        tracks: Iterable[Mapping[str, object]] = (),
        curriculum_tracks: Iterable[Mapping[str, object]] = (),
    ) -> TrackDirectory:
        """Build from ``tracks`` (programs) rows and ``curriculum_tracks`` rows (``.values()`` dicts).

        A ``tracks`` row is read by ``id`` and ``key`` (then ``name``); a
        ``curriculum_tracks`` row by ``id``, ``slug``, ``code`` (then ``name``).
        A row without a usable ``id`` still contributes its names.
        """
        return cls.from_tracks(tracks).merge(cls.from_curriculum_tracks(curriculum_tracks))

    @classmethod
    def from_tracks(cls, rows: Iterable[Mapping[str, object]]) -> TrackDirectory:
        """Build from programs ``tracks`` rows: ``id`` and ``key`` (``defensive-security``), then ``name``."""
        return cls._build(rows, ("key", "name"))

    @classmethod
    def from_curriculum_tracks(cls, rows: Iterable[Mapping[str, object]]) -> TrackDirectory:
        """Build from ``curriculum_tracks`` rows: ``id``, ``slug``, ``code``, then ``name``."""
        return cls._build(rows, ("slug", "code", "name"))

    @classmethod
    def from_keys(cls, keys: IdKeyed[TrackKey]) -> TrackDirectory:
        """Build from a plain ``{reference: track key}`` mapping (tests, hosts with their own lookup).

        Raises:
            InvalidValueError: a reference is not an id or text.
        """
        entries: dict[str, set[TrackKey]] = {}
        for ref, key in keys.items():
            text = _ref_text(ref)
            if text is None:
                raise InvalidValueError(field="track_reference", reason="must be a non-blank id or text")
            entries.setdefault(_lookup_key(text), set()).add(TrackKey(key))
        return cls(entries={k: frozenset(v) for k, v in entries.items()})

    @classmethod
    def _build(cls, rows: Iterable[Mapping[str, object]], names: tuple[str, ...]) -> TrackDirectory:
        entries: dict[str, set[TrackKey]] = {}
        for row in rows:
            texts = [t for name in names if isinstance(row.get(name), str) and (t := str(row[name]).strip())]
            key = next((p.key for t in texts if (p := parse_track_lenient(t)).key is not None), None)
            refs = [_ref_text(row.get("id")), *texts]
            for ref in refs:
                if ref is None:
                    continue
                bucket = entries.setdefault(_lookup_key(ref), set())
                if key is not None:
                    bucket.add(key)
        return cls(entries={k: frozenset(v) for k, v in entries.items()})

    def merge(self, other: TrackDirectory) -> TrackDirectory:
        """One directory holding both; a reference both know keeps every track either gives it."""
        merged: dict[str, frozenset[TrackKey]] = dict(self.entries)
        for ref, keys in other.entries.items():
            merged[ref] = merged.get(ref, frozenset()) | keys
        return TrackDirectory(entries=merged)

    def resolve(self, ref: object, *, field: str = "track") -> TrackResolution:
        """Resolve *ref* (a UUID, an int, a slug, a code, a key or alias) to a track, or say why not.

        ``None`` or a blank string is no reference (``key=None``, no reason). A
        value that is neither an id nor text is unresolved.
        """
        if ref is None or (isinstance(ref, str) and not ref.strip()):
            return TrackResolution(key=None, ref=None)
        text = _ref_text(ref)
        if text is None:
            return TrackResolution(
                key=None,
                ref=None,
                reason=Reason(
                    code="track_unresolved",
                    message=f"The {field} reference is not an id or text and names no track.",
                ),
            )
        keys = self.entries.get(_lookup_key(text))
        if keys is None or not keys:
            parsed = parse_track_lenient(text).key if keys is None else None
            if parsed is not None:
                return TrackResolution(key=parsed, ref=text)
            shown = text if _is_uuid_text(text) else "given"
            return TrackResolution(
                key=None,
                ref=text,
                reason=Reason(
                    code="track_unresolved",
                    message=f"The {field} reference {shown} is not a track the directory knows; "
                    "it names no track.",
                ),
            )
        if len(keys) > 1:
            shown = text if _is_uuid_text(text) else "given"
            return TrackResolution(
                key=None,
                ref=text,
                reason=Reason(
                    code="track_ambiguous",
                    message=f"The {field} reference {shown} points at {len(keys)} different tracks; "
                    "it names none of them.",
                ),
            )
        (key,) = keys
        return TrackResolution(key=key, ref=text)

    def key(self, ref: object) -> TrackKey | None:
        """The track *ref* resolves to, or ``None`` (see :meth:`resolve` for why)."""
        return self.resolve(ref).key


def _lookup_key(text: str) -> str:
    # Ids compare by their canonical text; names by their normalised token (DEFENSIVE ~ defensive).
    return text if _is_uuid_text(text) else normalise_token(text)


@frozen(kw_only=True)
class UserResolution:
    """What a user reference resolved to: the canonical learner id, or the reason there is none."""

    user_id: UserId | None
    reason: Reason | None = None


def _uuid_map(values: Mapping[str, UserId] | None) -> FrozenMap[str, UserId]:
    return freeze(values)


@frozen(kw_only=True)
class UserDirectory:
    """``users.uuid_id`` to ``users.id``: the library's learner id is the integer id's text.

    An integer (or its decimal text) is already a learner id and is kept as it
    is; a UUID is looked up. A UUID the directory does not know is
    ``user_unresolved``, never kept as a second, different id for the same person.

    >>> users = UserDirectory.from_users(
    ...     [{"id": 16, "uuid_id": uuid.UUID("742ee3bd-fe83-4f7e-b1c0-7f5cab98af94")}]
    ... )
    >>> users.learner_id("742EE3BD-FE83-4F7E-B1C0-7F5CAB98AF94"), users.learner_id(16), users.learner_id("16")
    ('16', '16', '16')
    """

    by_uuid: FrozenMap[str, UserId] = field(factory=FrozenMap, converter=_uuid_map)

    @classmethod
    def from_users(cls, rows: Iterable[Mapping[str, object]]) -> UserDirectory:
        """Build from ``users`` rows holding ``id`` (bigint) and ``uuid_id`` (UUID).

        Raises:
            InvalidValueError: a row whose ``id`` or ``uuid_id`` is not an id,
                or one ``uuid_id`` given two different ids.
        """
        mapping: dict[str, UserId] = {}
        for index, row in enumerate(rows):
            user_id = _id_text(row.get("id"))
            uuid_text = _id_text(row.get("uuid_id"))
            if user_id is None or uuid_text is None:
                raise InvalidValueError(
                    field=f"users[{index}]", reason="needs an id and a uuid_id", problem_code="required"
                )
            if mapping.setdefault(uuid_text, UserId(user_id)) != user_id:
                raise InvalidValueError(
                    field=f"users[{index}].uuid_id", reason="is given two different user ids"
                )
        return cls(by_uuid=mapping)

    def resolve(self, ref: object) -> UserResolution:
        """The learner id *ref* means: an integer id as it is, a known ``uuid_id`` as its integer id."""
        text = _ref_text(ref)
        if text is None:
            return UserResolution(
                user_id=None,
                reason=Reason(code="user_unresolved", message="The user reference is not an id."),
            )
        if _is_uuid_text(text):
            user_id = self.by_uuid.get(text)
            if user_id is None:
                return UserResolution(
                    user_id=None,
                    reason=Reason(
                        code="user_unresolved",
                        message=f"The user uuid {text} is not in the user directory.",
                    ),
                )
            return UserResolution(user_id=user_id)
        return UserResolution(user_id=UserId(text))

    def learner_id(self, ref: object) -> UserId | None:
        """The canonical learner id of *ref*, or ``None`` when it cannot be resolved."""
        return self.resolve(ref).user_id
