"""The platform's vocabulary (SPEC §1): tracks, difficulties, statuses, roles.

Every enum here is a :class:`enum.StrEnum` (or :class:`enum.IntEnum` for
mission difficulty) so that values compare equal to the strings the platform
stores. Parsing comes in two flavours:

* **strict** (``parse_*``) raises :class:`~profiler_core.errors.UnknownValueError`
  naming the field and the value;
* **lenient** (``parse_track_lenient``) never raises and returns a
  :class:`TrackParse` that carries either the key or an explicit
  ``unknown_track`` reason. There is never a silent default.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from typing import TypeVar

from attrs import frozen

from profiler_core.errors import UnknownValueError

__all__ = [
    "TrackKey",
    "TRACK_ALIASES",
    "normalise_token",
    "parse_track",
    "parse_track_lenient",
    "TrackParse",
    "DifficultySelection",
    "parse_difficulty_selection",
    "MissionDifficulty",
    "parse_mission_difficulty",
    "SessionStatus",
    "COMPLETED_STATUSES",
    "Role",
    "parse_role",
    "Scope",
    "Priority",
    "GapType",
    "EnrollmentStatus",
    "AssignmentStatus",
    "AssignmentType",
    "RecipeDifficulty",
    "Visibility",
    "JobLevel",
    "parse_enum",
]

E = TypeVar("E", bound=enum.StrEnum)

_SEPARATORS = re.compile(r"[\s\-_]+")


def normalise_token(value: str) -> str:
    """Lower-case *value* and fold ``-``, ``_`` and runs of spaces into one ``_``.

    >>> normalise_token("  Defensive-Security ")
    'defensive_security'
    """
    return _SEPARATORS.sub("_", value.strip().lower()).strip("_")


class TrackKey(enum.StrEnum):
    """The five learning tracks."""

    DEFENDER = "defender"
    OFFENSIVE = "offensive"
    INNOVATION = "innovation"
    LEADERSHIP = "leadership"
    GRC = "grc"


#: Alias (already normalised with :func:`normalise_token`) -> track key.
TRACK_ALIASES: dict[str, TrackKey] = {
    **{key.value: key for key in TrackKey},
    "defenders": TrackKey.DEFENDER,
    "defensive_security": TrackKey.DEFENDER,
    "cyber_defense": TrackKey.DEFENDER,
    "cyberdef": TrackKey.DEFENDER,
    "socdefense": TrackKey.DEFENDER,
    "soc_defense": TrackKey.DEFENDER,
    "offensive_security": TrackKey.OFFENSIVE,
    "pentest": TrackKey.OFFENSIVE,
    "red_team": TrackKey.OFFENSIVE,
    "governance": TrackKey.GRC,
    "compliance": TrackKey.GRC,
    "risk": TrackKey.GRC,
}


@frozen(kw_only=True)
class TrackParse:
    """Outcome of :func:`parse_track_lenient`: a key, or the reason there is none.

    Attributes:
        key: The recognised track, or ``None``.
        raw: The text that was parsed (``None`` when nothing was given).
        reason_code: ``None`` when recognised, else ``"track_missing"`` or
            ``"unknown_track"``.
    """

    key: TrackKey | None
    raw: str | None
    reason_code: str | None


def parse_track(value: str | TrackKey, *, field: str = "track") -> TrackKey:
    """Parse a track key or alias strictly.

    Raises:
        UnknownValueError: *value* is not a track key or known alias.

    >>> parse_track("Red Team")
    <TrackKey.OFFENSIVE: 'offensive'>
    """
    if isinstance(value, TrackKey):
        return value
    if isinstance(value, str):
        key = TRACK_ALIASES.get(normalise_token(value))
        if key is not None:
            return key
    raise UnknownValueError(field=field, value=value, expected=sorted(TRACK_ALIASES))


def parse_track_lenient(value: str | TrackKey | None) -> TrackParse:
    """Parse a track without raising; unknown values come back with a reason.

    >>> parse_track_lenient("blue").reason_code
    'unknown_track'
    """
    if value is None or not value.strip():
        return TrackParse(key=None, raw=value, reason_code="track_missing")
    try:
        return TrackParse(key=parse_track(value), raw=str(value), reason_code=None)
    except UnknownValueError:
        return TrackParse(key=None, raw=str(value), reason_code="unknown_track")


class DifficultySelection(enum.StrEnum):
    """The difficulty a learner selects in the profiler, in rising order."""

    NOVICE = "novice"
    BEGINNER = "beginner"
    INTERMEDIATE = "intermediate"
    ADVANCED = "advanced"
    ELITE = "elite"

    @property
    def rank(self) -> int:
        """0 for novice up to 4 for elite."""
        return _SELECTION_ORDER.index(self)


_SELECTION_ORDER = tuple(DifficultySelection)


def parse_difficulty_selection(
    value: str | DifficultySelection | None, *, field: str = "difficulty_selection"
) -> DifficultySelection | None:
    """Parse a profiler difficulty selection; blank or ``None`` means "not selected".

    Raises:
        UnknownValueError: a non-blank value that is not a known selection.
    """
    if value is None or isinstance(value, DifficultySelection):
        return value
    if isinstance(value, str):
        token = normalise_token(value)
        if not token:
            return None
        for selection in DifficultySelection:
            if selection.value == token:
                return selection
    raise UnknownValueError(field=field, value=value, expected=[s.value for s in DifficultySelection])


class MissionDifficulty(enum.IntEnum):
    """Mission difficulty levels 1..5."""

    BEGINNER = 1
    INTERMEDIATE = 2
    ADVANCED = 3
    EXPERT = 4
    MASTER = 5

    @property
    def label(self) -> str:
        """The display label, e.g. ``"Master"``."""
        return self.name.title()


_MISSION_NUMBERS = {str(d.value): d for d in MissionDifficulty}
# Labels are matched as the platform writes them (title case). Lower-case words
# are the legacy text levels; the two vocabularies disagree on "beginner",
# "intermediate" and "advanced", so the case decides (see docs/contracts.md).
_MISSION_LABELS = {d.label: d for d in MissionDifficulty}
_MISSION_LEGACY = {
    "novice": MissionDifficulty.BEGINNER,
    "beginner": MissionDifficulty.INTERMEDIATE,
    "intermediate": MissionDifficulty.ADVANCED,
    "advanced": MissionDifficulty.EXPERT,
    "elite": MissionDifficulty.MASTER,
    # No clash for these two labels, so their lower-case spelling is accepted too.
    "expert": MissionDifficulty.EXPERT,
    "master": MissionDifficulty.MASTER,
}


def parse_mission_difficulty(value: object, *, field: str = "difficulty") -> MissionDifficulty:
    """Parse a mission difficulty from an integer, a label or a legacy text level.

    ``1``/``"1"``/``"Beginner"`` -> 1; legacy ``"novice"`` -> 1, ``"beginner"`` -> 2,
    ``"intermediate"`` -> 3, ``"advanced"`` -> 4, ``"elite"`` -> 5. Numeric text
    is ASCII digits only (``"٣"`` and ``"²"`` are not levels).

    Raises:
        UnknownValueError: anything else (including booleans and 0 or 6).

    >>> int(parse_mission_difficulty("Beginner")), int(parse_mission_difficulty("beginner"))
    (1, 2)
    """
    if isinstance(value, MissionDifficulty):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        if 1 <= value <= 5:
            return MissionDifficulty(value)
    elif isinstance(value, str):
        text = value.strip()
        # ASCII digits only: "٣" or "²" are digits to str.isdigit() but not to the platform.
        if text.isascii() and text.isdigit() and text.lstrip("0") in _MISSION_NUMBERS:
            return _MISSION_NUMBERS[text.lstrip("0")]
        if text in _MISSION_LABELS:
            return _MISSION_LABELS[text]
        if text in _MISSION_LEGACY:
            return _MISSION_LEGACY[text]
    raise UnknownValueError(
        field=field,
        value=value,
        expected=["1..5", *_MISSION_LABELS, *_MISSION_LEGACY],
    )


class SessionStatus(enum.StrEnum):
    """Profiler session status."""

    STARTED = "started"
    IN_PROGRESS = "in_progress"
    APTITUDE_COMPLETE = "aptitude_complete"
    BEHAVIORAL_COMPLETE = "behavioral_complete"
    CURRENT_SELF_COMPLETE = "current_self_complete"
    FUTURE_YOU_COMPLETE = "future_you_complete"
    FINISHED = "finished"
    LOCKED = "locked"

    @property
    def is_completed(self) -> bool:
        """A session counts as completed when ``finished`` or ``locked``."""
        return self in COMPLETED_STATUSES


COMPLETED_STATUSES = frozenset({SessionStatus.FINISHED, SessionStatus.LOCKED})


class Role(enum.StrEnum):
    """Platform roles. ``UNKNOWN`` keeps an unrecognised role name; it grants nothing."""

    ADMIN = "admin"
    PROGRAM_DIRECTOR = "program_director"
    MENTOR = "mentor"
    MENTEE = "mentee"
    STUDENT = "student"
    EMPLOYER = "employer"
    FINANCE = "finance"
    FINANCE_ADMIN = "finance_admin"
    SPONSOR_ADMIN = "sponsor_admin"
    ANALYST = "analyst"
    UNKNOWN = "unknown"


def parse_role(value: str | Role) -> Role:
    """Parse a role name; an unknown name becomes :attr:`Role.UNKNOWN` (it grants nothing)."""
    if isinstance(value, Role):
        return value
    token = normalise_token(value)
    for role in Role:
        if role.value == token:
            return role
    return Role.UNKNOWN


class Scope(enum.StrEnum):
    """What a role grant covers."""

    GLOBAL = "global"
    ORG = "org"
    COHORT = "cohort"
    TRACK = "track"


class Priority(enum.StrEnum):
    """Gap priority, with its weight for recipe ranking."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def weight(self) -> int:
        """high 3, medium 2, low 1."""
        return {"high": 3, "medium": 2, "low": 1}[self.value]


class GapType(enum.StrEnum):
    """Where a gap comes from."""

    APTITUDE = "aptitude"
    TECHNICAL = "technical"
    BEHAVIORAL = "behavioral"
    SKILL_ASSESSMENT = "skill_assessment"
    MISSION = "mission"


class EnrollmentStatus(enum.StrEnum):
    """Cohort enrollment status."""

    PENDING_PAYMENT = "pending_payment"
    ACTIVE = "active"
    SUSPENDED = "suspended"
    WITHDRAWN = "withdrawn"
    COMPLETED = "completed"
    INCOMPLETE = "incomplete"


class AssignmentStatus(enum.StrEnum):
    """Mentor assignment status."""

    PENDING = "pending"
    ACTIVE = "active"
    PAUSED = "paused"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class AssignmentType(enum.StrEnum):
    """What a mentor assignment covers: one mentee, a cohort, or a track."""

    DIRECT = "direct"
    COHORT = "cohort"
    TRACK = "track"


class RecipeDifficulty(enum.StrEnum):
    """Recipe difficulty."""

    BEGINNER = "beginner"
    INTERMEDIATE = "intermediate"
    ADVANCED = "advanced"


class Visibility(enum.StrEnum):
    """Portfolio entry visibility."""

    PRIVATE = "private"
    UNLISTED = "unlisted"
    PUBLIC = "public"


class JobLevel(enum.StrEnum):
    """Job seniority, in rising order."""

    ENTRY = "entry"
    MID = "mid"
    SENIOR = "senior"
    EXPERT = "expert"

    @property
    def rank(self) -> int:
        """0 for entry up to 3 for expert."""
        return tuple(JobLevel).index(self)


def parse_enum(enum_type: type[E], value: object, *, field: str) -> E:
    """Parse *value* into the string enum *enum_type*, normalising case and separators.

    Raises:
        UnknownValueError: *value* is not one of the enum's values.
    """
    if isinstance(value, enum_type):
        return value
    if isinstance(value, str):
        token = normalise_token(value)
        for member in enum_type:
            if member.value == token:
                return member
    raise UnknownValueError(field=field, value=value, expected=_values(enum_type))


def _values(members: Iterable[enum.StrEnum]) -> list[str]:
    return [m.value for m in members]
