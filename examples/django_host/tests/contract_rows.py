"""The library's contract scenarios written into the real OCH tables, and their ids mapped both ways.

The contract checks (:mod:`profiler_core.testing.contracts`) hand a factory
library values whose ids are the library's own (``"u-1"``, ``"s-2"``) beside
real-shaped ones (``"100"``, UUIDs). The OCH tables key users by a bigint and
everything else by a UUID, so :class:`Keys` gives each id that is not
already of its column's type a key that is (integers from 900000 for users,
``UUID(int=...)`` for the rest, allocated in the library's own id order so
ties break the same way), and :class:`Translated` wraps an adapter: ids asked
for go in as their stored keys (an id that is its own key goes in exactly as
the contract gave it: ``100``, a ``UUID``, upper-case text), and every id in an
answer comes back as the contract's. The adapters under test are the host's
own, reading the rows below through the library's OCH readers.

Writers: one per value type whose contract the real tables can hold, each
building the row the platform would (what the admin, the seeds and
``complete_profiling`` write); ``test_contracts.py`` says which contracts the
real schema cannot hold and why.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs
from profiler_host import loading, models

import profiler_core as pc
from profiler_core import unstructure
from profiler_core.mapping import session_id_order
from profiler_core.models import canonical_id
from profiler_core.portfolio import pick_value_statement_entry

#: The kinds of key and the id fields holding each.
USER, SESSION, MISSION, RECIPE, COHORT, ORG, JOB, EMPLOYER, ENTRY, ASSIGNMENT = range(10)
_FIELD_KINDS = {
    "user_id": USER,
    "mentor_id": USER,
    "mentee_id": USER,
    "session_id": SESSION,
    "profiler_session_id": SESSION,
    "cohort_id": COHORT,
    "enterprise_id": ORG,
    "employer_id": EMPLOYER,
}
_ID_KINDS: dict[type, int] = {
    pc.ProfilerSession: SESSION,
    pc.Mission: MISSION,
    pc.Recipe: RECIPE,
    pc.Cohort: COHORT,
    pc.JobPosting: JOB,
    pc.PortfolioEntry: ENTRY,
    pc.MentorAssignment: ASSIGNMENT,
}


def _is_uuid(text: str) -> bool:
    try:
        return str(uuid.UUID(text)) == text
    except ValueError:
        return False


class Keys:
    """Stored keys for the contract's ids: each id kept when it already fits its column, else allocated."""

    def __init__(self) -> None:
        self.forward: dict[tuple[int, str], object] = {}
        self.reverse: dict[str, str] = {}

    def allocate(self, kind: int, ids: Iterable[object]) -> None:
        """Give every id of *kind* its stored key, in the library's id order (ties break alike)."""
        texts = sorted({canonical_id(i) for i in ids if i is not None}, key=session_id_order)  # type: ignore[arg-type]
        for text in texts:
            if (kind, text) in self.forward:
                continue
            if kind == USER:
                stored: object = (
                    int(text) if text.isascii() and text.isdigit() else 900_000 + len(self.forward)
                )
            elif _is_uuid(text):
                stored = uuid.UUID(text)
            else:
                stored = uuid.UUID(int=(kind + 1 << 64) + len(self.forward))
            self.forward[kind, text] = stored
            if canonical_id(stored) != text:  # type: ignore[arg-type]
                self.reverse[canonical_id(stored)] = text  # type: ignore[arg-type]

    def key(self, kind: int, value: object) -> object:
        """The stored key of *value* (an id in any form); an id it does not know stays as it is."""
        return self.forward.get((kind, canonical_id(value)), value)  # type: ignore[arg-type]

    def ask(self, kind: int, value: object) -> object:
        """What to ask the adapter: the id as given when it is its own key, else its stored key."""
        stored = self.key(kind, value)
        return value if canonical_id(stored) == canonical_id(value) else stored  # type: ignore[arg-type]

    def back(self, value: object) -> object:
        """*value* (an answer) with every id the contract gave back in the contract's text."""
        if isinstance(value, Mapping):
            return {self.back(k): self.back(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.back(v) for v in value]
        if isinstance(value, tuple):
            return tuple(self.back(v) for v in value)
        if isinstance(value, str):
            return self.reverse.get(value, value)
        if attrs.has(type(value)):
            changes = {
                a.name: self.reverse.get(v, v)
                for a in attrs.fields(type(value))
                if (a.name == "id" or a.name in _FIELD_KINDS) and isinstance(v := getattr(value, a.name), str)
            }
            return attrs.evolve(value, **changes)
        return value

    def out(self, value: Any) -> Any:
        """*value* (a library value going in) with its ids as stored keys' text."""
        if not attrs.has(type(value)):
            return value
        changes: dict[str, object] = {}
        for a in attrs.fields(type(value)):
            current = getattr(value, a.name)
            kind = _ID_KINDS.get(type(value)) if a.name == "id" else _FIELD_KINDS.get(a.name)
            if kind is not None and current is not None:
                self.allocate(kind, [current])
                changes[a.name] = canonical_id(self.key(kind, current))  # type: ignore[arg-type]
        return attrs.evolve(value, **changes)


#: Port methods: which kind each positional or keyword id collection holds.
_ASKS: dict[str, dict[str, int]] = {
    "latest_completed_sessions": {"0": USER},
    "results_for_sessions": {"0": SESSION},
    "missions_by_ids": {"0": MISSION},
    "jobs_by_ids": {"0": JOB},
    "profiles_for_users": {"0": USER},
    "assignments_for_mentors": {"0": USER},
    "assignments_naming": {"mentee_ids": USER, "cohort_ids": COHORT},
    "enrollments_for_users": {"0": USER},
    "enrollments_for_cohorts": {"0": COHORT},
    "cohorts_by_ids": {"0": COHORT},
    "cohorts_for_enterprises": {"0": ORG},
    "value_statements_for": {"0": USER},
}


class Translated:
    """An adapter seen through :class:`Keys`: the contract's ids in, the contract's ids out."""

    def __init__(self, adapter: object, keys: Keys) -> None:
        self._adapter = adapter
        self._keys = keys

    def __getattr__(self, name: str) -> Callable[..., Any]:
        method = getattr(self._adapter, name)
        kinds = _ASKS.get(name, {})

        def call(*args: Any, **kwargs: Any) -> Any:
            def ids(kind: int | None, given: Any) -> Any:
                if kind is None or not isinstance(given, list | tuple | set | frozenset):
                    return given
                return [self._keys.ask(kind, i) for i in given]

            args = tuple(ids(kinds.get(str(n)), a) for n, a in enumerate(args))
            kwargs = {k: ids(kinds.get(k), v) for k, v in kwargs.items()}
            if name == "save_entry":
                return self._save(method, *args, **kwargs)
            return self._keys.back(method(*args, **kwargs))

        return call

    def _save(self, method: Callable[..., Any], entry: pc.PortfolioEntry, *, replacing: Any) -> Any:
        stored = self._keys.out(entry)
        ensure_users(self._keys, [stored.user_id])
        saved = method(stored, replacing=None if replacing is None else self._keys.out(replacing))
        return self._keys.back(saved)


# --- writers ------------------------------------------------------------------------------


def ensure_users(keys: Keys, user_ids: Iterable[object]) -> None:
    """Create the users (by stored key) that do not exist yet."""
    wanted = sorted({int(str(u)) for u in user_ids} - set(models.User.objects.values_list("id", flat=True)))
    loading.insert(
        models.User, ({"id": u, "username": f"user-{u}", "email": f"user-{u}@example.org"} for u in wanted)
    )


def _user(keys: Keys, user_id: object) -> int:
    keys.allocate(USER, [user_id])
    return int(str(keys.key(USER, user_id)))


def _uuid(keys: Keys, kind: int, value: object) -> uuid.UUID | None:
    if value is None:
        return None
    keys.allocate(kind, [value])
    stored = keys.key(kind, value)
    return stored if isinstance(stored, uuid.UUID) else uuid.UUID(str(stored))


def _decimal(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def add_missions(keys: Keys, missions: Sequence[pc.Mission]) -> None:
    """``missions`` rows (the track in the ``track`` column, integer difficulty)."""
    keys.allocate(MISSION, [m.id for m in missions])
    loading.insert(
        models.Mission,
        (
            {
                "id": _uuid(keys, MISSION, m.id),
                "code": m.code,
                "title": m.title,
                "difficulty": int(m.difficulty),
                "track": None if m.track is None else m.track.value,
                "tier": m.tier,
                "is_active": m.is_active,
                "skills_tags": list(m.skills_tags),
                "subtasks": unstructure(m.subtasks),
                "recipe_recommendations": list(m.recipe_recommendations),
            }
            for m in missions
        ),
    )


def add_recipes(keys: Keys, recipes: Sequence[pc.Recipe]) -> None:
    """``recipes`` rows."""
    keys.allocate(RECIPE, [r.id for r in recipes])
    loading.insert(
        models.Recipe,
        (
            {
                "id": _uuid(keys, RECIPE, r.id),
                "slug": r.slug,
                "title": r.title,
                "skill_codes": list(r.skill_codes),
                "track_codes": [t.value for t in r.track_codes] + list(r.unknown_track_codes),
                "difficulty": r.difficulty_label if r.difficulty is None else r.difficulty.value,
                "estimated_minutes": r.estimated_minutes,
                "usage_count": r.usage_count,
                "avg_rating": Decimal(str(r.avg_rating)),
                "is_active": r.is_active,
            }
            for r in recipes
        ),
    )


def add_cohorts(keys: Keys, cohorts: Sequence[pc.Cohort], cohort_ids: Iterable[object] = ()) -> None:
    """``cohorts`` rows (a track through a programs ``tracks`` row), the sponsor links, and bare cohorts."""
    keys.allocate(COHORT, [c.id for c in cohorts] + list(cohort_ids))
    keys.allocate(ORG, [c.enterprise_id for c in cohorts])
    used = {c.track for c in cohorts if c.track is not None}
    loading.insert(
        models.Track, ({"id": uuid.uuid4(), "name": t.value, "key": t.value} for t in sorted(used))
    )
    track_rows = dict(models.Track.objects.values_list("key", "id"))
    named = {canonical_id(c.id) for c in cohorts}
    bare = [pc.Cohort(id=i, name=str(i)) for i in sorted({canonical_id(i) for i in cohort_ids} - named)]  # type: ignore[arg-type]
    loading.insert(
        models.Cohort,
        (
            {
                "id": _uuid(keys, COHORT, c.id),
                "name": c.name,
                "track_id": None if c.track is None else track_rows[c.track.value],
            }
            for c in [*cohorts, *bare]
        ),
    )
    sponsors = sorted(
        {_uuid(keys, ORG, c.enterprise_id) for c in cohorts if c.enterprise_id is not None}, key=str
    )
    loading.insert(
        models.User,
        (
            {"id": 800_000 + n, "uuid_id": s, "username": f"sponsor-{n}", "email": f"s{n}@example.org"}
            for n, s in enumerate(sponsors)
        ),
    )
    loading.insert(
        models.SponsorCohortAssignment,
        (
            {"sponsor_uuid_id": _uuid(keys, ORG, c.enterprise_id), "cohort_id": _uuid(keys, COHORT, c.id)}
            for c in cohorts
            if c.enterprise_id is not None
        ),
    )


def add_enrollments(keys: Keys, enrollments: Sequence[pc.Enrollment]) -> None:
    """``enrollments`` rows (their users are created)."""
    ensure_users(keys, [_user(keys, e.user_id) for e in enrollments])
    loading.insert(
        models.Enrollment,
        (
            {
                "id": uuid.uuid4(),
                "cohort_id": _uuid(keys, COHORT, e.cohort_id),
                "user_id": _user(keys, e.user_id),
                "status": e.status.value,
            }
            for e in enrollments
        ),
    )


def add_portfolio(keys: Keys, entries: Sequence[pc.PortfolioEntry]) -> None:
    """``portfolio_items`` rows keyed by the learner's ``uuid_id``; the statement the backfill would key."""
    ensure_users(keys, [_user(keys, e.user_id) for e in entries])
    uuids = dict(models.User.objects.values_list("id", "uuid_id"))
    picked = {
        id(pick_value_statement_entry(e for e in entries if e.user_id == u))
        for u in {e.user_id for e in entries}
    }
    keys.allocate(ENTRY, [e.id for e in entries])
    loading.insert(
        models.PortfolioItem,
        (
            {
                "id": _uuid(keys, ENTRY, e.id),
                "user_id": uuids[_user(keys, e.user_id)],
                "title": e.title,
                "summary": e.summary,
                "item_type": e.item_type,
                "status": e.status,
                "visibility": e.visibility.value,
                "profiler_session_id": _uuid(keys, SESSION, e.profiler_session_id),
                "created_at": e.created_at,
                "updated_at": e.updated_at,
                "learner_edited_at": e.learner_edited_at,
                "suggested_summary": e.suggested_summary,
                "statement_owner_id": _user(keys, e.user_id) if id(e) in picked else None,
            }
            for e in entries
        ),
    )


def add_talent(keys: Keys, profiles: Sequence[pc.TalentProfile]) -> None:
    """``marketplace_profiles`` rows keyed by ``mentee_id``."""
    ensure_users(keys, [_user(keys, p.user_id) for p in profiles])
    loading.insert(
        models.MarketplaceProfile,
        (
            {
                "id": uuid.uuid4(),
                "mentee_id": _user(keys, p.user_id),
                "skills": list(p.skills),
                "readiness_score": _decimal(p.readiness_score),
                "job_fit_score": _decimal(p.job_fit_score),
                "primary_track_key": "" if p.primary_track_key is None else p.primary_track_key.value,
                "is_visible": p.is_visible,
                "employer_share_consent": p.employer_share_consent,
            }
            for p in profiles
        ),
    )
