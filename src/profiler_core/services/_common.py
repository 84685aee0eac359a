"""What every service does the same way: id arguments, repository calls, adapter answers.

Private: the names here are not part of the public API. Three rules live here
and nowhere else:

* **Ids** (SPEC §2): an id argument is canonicalised first (:func:`_id_arg`, :func:`_ids`), so
  ``100``, ``"100"`` and a ``UUID`` or its text in any case mean the same; a
  value that is not an id raises ``InvalidValueError`` naming the parameter.
* **Degrading** (SPEC §11): :meth:`_Guard.fetch` (and :meth:`_Guard.repository`
  for a block of calls) turns a repository failure
  (:func:`~profiler_core.errors.is_repository_failure`) into a logged WARNING,
  the service's default answer and a reason noted on the guard; anything else
  propagates. An outcome is degraded exactly when it carries one of
  :data:`DEGRADED_REASON_CODES` (:func:`_is_degraded`): result classes derive
  ``degraded`` from their reasons, they never store it.
* **Logging and timing**: a guard starts the call's clock; :meth:`_Guard.decided`
  logs the decision at DEBUG (ids and codes only) with ``duration_ms``.
* **Ownership**: an adapter's answer is re-keyed by canonical id and every row
  is checked against the key it was asked for (:meth:`_Guard.owned_map`,
  :meth:`_Guard.owned_groups`); a row of another owner is treated as not returned
  and logged at WARNING with ids only.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TypeVar

from attrs import Factory, define, field, frozen

from profiler_core._logging import log_failure
from profiler_core.decisions import Reason
from profiler_core.errors import is_repository_failure
from profiler_core.models import IdLike, _is_canonical_text, canonical_id

# A private module: the services import its helpers by name; nothing here is public.
__all__: list[str] = []

#: The reason codes a service adds when a repository failed (or a save kept losing its race) and it
#: answered a default: an outcome is degraded exactly when one of them is among its reasons.
DEGRADED_REASON_CODES: frozenset[str] = frozenset(
    {
        "analytics_unavailable",
        "assignments_unavailable",
        "audit_unavailable",
        "cohorts_unavailable",
        "enrollments_unavailable",
        "jobs_unavailable",
        "missions_unavailable",
        "portfolio_conflict",
        "portfolio_unavailable",
        "profiler_unavailable",
        "progress_unavailable",
        "recipes_unavailable",
        "result_unavailable",
        "statements_unavailable",
        "talent_unavailable",
    }
)


def _is_degraded(*groups: Iterable[Reason | None]) -> bool:
    """``True`` when any of the reasons is one of :data:`DEGRADED_REASON_CODES` (``None`` is skipped)."""
    return any(r is not None and r.code in DEGRADED_REASON_CODES for group in groups for r in group)


_R = TypeVar("_R")
_T = TypeVar("_T")
# The key type of an adapter's answer: its declared id NewType, or whatever the adapter used.
_K = TypeVar("_K", bound=IdLike)


def _id_arg(value: IdLike, name: str) -> str:
    """The canonical text of the id argument *name* (``InvalidValueError`` naming it if not an id)."""
    return canonical_id(value, field=name)


@define
class _RepositoryCall:
    """What :meth:`_Guard.repository` yields: whether the guarded repository call failed."""

    failed: bool = False


def _belongs(owner: str | None, key: str, unlinked_ok: bool) -> bool:
    # A row's owner comes from a value's id field, which holds canonical text already.
    return owner == key if owner is not None else unlinked_ok


def _key(raw: object) -> str:
    # The adapter's key as canonical text; the common case (already canonical) costs one check.
    return raw if _is_canonical_text(raw) else canonical_id(raw, field="key")  # type: ignore[return-value, arg-type]  # checked


@frozen(kw_only=True)
class _Guard:
    """One service call's logger and log ``extra`` (ids only), and the rules every adapter call follows."""

    log: logging.Logger
    extra: Mapping[str, object]
    #: The reasons of the repository failures met so far (see :meth:`fetch`), in order.
    notes: list[Reason] = Factory(list)
    started: float = field(factory=time.perf_counter)

    def fetch(self, call: Callable[[], _T], default: _T, message: str, failure: Reason) -> _T:
        """``call()``; after a repository failure *default*, logged at WARNING with *failure* noted."""
        answer, failed = self.read(call, default, message)
        if failed:
            self.notes.append(failure)
        return answer

    def failed(self, failure: Reason) -> bool:
        """``True`` when a call guarded by :meth:`fetch` failed with *failure*."""
        return failure in self.notes

    def decided(self, message: str, **fields: object) -> None:
        """Log the decision at DEBUG: *fields* (ids and codes only) and ``duration_ms`` since the start."""
        elapsed = round((time.perf_counter() - self.started) * 1000, 3)
        self.log.debug(message, extra={**fields, "duration_ms": elapsed})

    @contextmanager
    def repository(self, message: str) -> Iterator[_RepositoryCall]:
        """Guard repository calls: a repository failure is logged at WARNING and sets ``failed``.

        The block is left at the failure and the service answers its documented
        default. Any other exception (a programming error in an adapter)
        propagates unlogged and unchanged.
        """
        call = _RepositoryCall()
        try:
            yield call
        except Exception as exc:
            if not is_repository_failure(exc):
                raise
            log_failure(self.log, message, exc, self.extra)
            call.failed = True

    def read(self, call: Callable[[], _T], default: _T, message: str) -> tuple[_T, bool]:
        """``(call(), False)``, or ``(default, True)`` after a repository failure (see :meth:`repository`)."""
        answer = default
        with self.repository(message) as outcome:
            answer = call()
        return answer, outcome.failed

    def drop_foreign(self, what: str, **ids: object) -> None:
        """Log at WARNING (ids only, never the row) that an adapter's row was treated as not returned."""
        self.log.warning(
            "adapter returned %s of another owner; treated as not returned", what, extra={**self.extra, **ids}
        )

    def owned_map(
        self,
        found: Mapping[_K, _R],
        asked: Collection[str],
        owner: Callable[[_R], str | None],
        what: str,
        *,
        unlinked_ok: bool = False,
    ) -> dict[str, _R]:
        """An adapter's one-row-per-key answer, keyed by canonical id, holding only rows it was asked for.

        A key the caller did not ask for, or a row whose *owner* is not its key
        (a faulty adapter), is dropped with a WARNING. With *unlinked_ok* a row
        whose owner is ``None`` (a result row that names no session) is kept.
        """
        wanted = set(asked)
        kept: dict[str, _R] = {}
        for raw_key, row in found.items():
            key = _key(raw_key)
            if key in wanted and _belongs(owner(row), key, unlinked_ok):
                kept[key] = row
            else:
                self.drop_foreign(what, asked_id=key, foreign_id=owner(row))
        return kept

    def owned_groups(
        self,
        found: Mapping[_K, Sequence[_R]],
        asked: Collection[str],
        owner: Callable[[_R], str | None],
        what: str,
    ) -> dict[str, tuple[_R, ...]]:
        """An adapter's many-rows-per-key answer, keyed by canonical id, each group holding only its own rows.

        A row filed under a key it does not belong to (or under a key the caller
        did not ask for) is dropped with a WARNING; a group left empty is absent.
        """
        wanted = set(asked)
        kept: dict[str, list[_R]] = {}
        for raw_key, rows in found.items():
            key = _key(raw_key)
            for row in rows:
                if key in wanted and _belongs(owner(row), key, False):
                    kept.setdefault(key, []).append(row)
                else:
                    self.drop_foreign(what, asked_id=key, foreign_id=owner(row))
        return {key: tuple(rows) for key, rows in kept.items()}

    def owned(self, row: _R | None, key: str, owner: Callable[[_R], str | None], what: str) -> _R | None:
        """*row* if it belongs to *key*; ``None`` (and a WARNING) if a faulty adapter sent another's."""
        if row is None:
            return None
        return self.owned_map({key: row}, (key,), owner, what).get(key)


def _ids(values: Iterable[IdLike], name: str) -> tuple[str, ...]:
    """Canonical, de-duplicated ids in first-seen order (``InvalidValueError`` naming *name*)."""
    return tuple(dict.fromkeys(canonical_id(v, field=name) for v in values))
