"""Portfolio (SPEC §6): the Value Statement and the portfolio entry that holds it.

Pure functions over values:

* :func:`plan_value_statement_entry` decides whether the portfolio entry is
  created, updated or kept (idempotent; a learner's edit is never overwritten);
* :func:`validate_statement_edit` and :func:`apply_statement_edit` check and
  apply the learner's own edit;
* :func:`is_value_statement_entry` and :func:`pick_value_statement_entry` say
  which stored entry is a learner's value statement.

**Where the rest lives.** :func:`clean_text` (an answer into bounded, plain,
valid text) is in :mod:`profiler_core.cleaned_text`; the statement itself,
:func:`compose_value_statement` and its policy, in
:mod:`profiler_core.value_statement`. Their public names are re-exported here,
so ``from profiler_core.portfolio import compose_value_statement`` keeps working.

The output is plain text: markup stays as the learner typed it and hosts
escape it when they render (the library never escapes or interprets it).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TypeAlias

import attrs
from attrs import frozen

from profiler_core._deprecation import renamed_keyword
from profiler_core.cleaned_text import ELLIPSIS, CleanedText, _has_content, clean_text
from profiler_core.decisions import Reason
from profiler_core.errors import InvalidValueError
from profiler_core.models import (
    IdLike,
    PortfolioEntry,
    SessionId,
    UserId,
    canonical_id,
    require_aware,
)
from profiler_core.value_statement import (
    DEFAULT_VALUE_STATEMENT_POLICY,
    GENERIC_STATEMENT,
    AnswerField,
    AnswerSource,
    Pillar,
    StatementCompleteness,
    StatementSentence,
    StatementTemplate,
    ValueStatement,
    ValueStatementPolicy,
    compose_value_statement,
)
from profiler_core.vocabulary import Visibility

# Names from cleaned_text and value_statement are re-exported: this module is the
# public face of the portfolio, as it was before they moved.
__all__ = [
    # text
    "CleanedText",
    "clean_text",
    "ELLIPSIS",
    # composition
    "Pillar",
    "AnswerField",
    "StatementCompleteness",
    "StatementTemplate",
    "ValueStatementPolicy",
    "DEFAULT_VALUE_STATEMENT_POLICY",
    "GENERIC_STATEMENT",
    "AnswerSource",
    "StatementSentence",
    "ValueStatement",
    "compose_value_statement",
    # the entry
    "VALUE_STATEMENT_TITLE",
    "VALUE_STATEMENT_ITEM_TYPE",
    "VALUE_STATEMENT_STATUS",
    "is_value_statement_entry",
    "pick_value_statement_entry",
    "COMPARE_AND_SET_FIELDS",
    "EntryPlanKind",
    "CreateEntry",
    "UpdateEntry",
    "KeepEntry",
    "EntryPlan",
    "plan_value_statement_entry",
    # the learner's edit
    "ValidatedEdit",
    "EditRejected",
    "EditApplied",
    "validate_statement_edit",
    "apply_statement_edit",
]

# --- the portfolio entry ------------------------------------------------------

#: The value-statement entry's title.
VALUE_STATEMENT_TITLE = "My Value Statement"
#: The value-statement entry's item type.
VALUE_STATEMENT_ITEM_TYPE = "reflection"
#: The value-statement entry's status when the library creates it.
VALUE_STATEMENT_STATUS = "approved"

#: The entry fields the library writes: a compare-and-set save (see
#: :class:`~profiler_core.ports.PortfolioRepository`) replaces a stored entry only
#: while these still hold what was read.
COMPARE_AND_SET_FIELDS = (
    "summary",
    "suggested_summary",
    "profiler_session_id",
    "updated_at",
    "learner_edited_at",
)

_EPOCH = datetime(1, 1, 1, tzinfo=UTC)


def is_value_statement_entry(entry: PortfolioEntry) -> bool:
    """True for a learner's value-statement entry.

    A ``reflection`` entry linked to a profiler session, or (entries made
    before the link existed) titled :data:`VALUE_STATEMENT_TITLE`.
    """
    return entry.item_type == VALUE_STATEMENT_ITEM_TYPE and (
        entry.profiler_session_id is not None or entry.title == VALUE_STATEMENT_TITLE
    )


def _pick_key(entry: PortfolioEntry) -> tuple[bool, bool, datetime, str]:
    return (
        entry.learner_edited_at is None,
        entry.created_at is None,
        entry.created_at or _EPOCH,
        entry.id or "",
    )


def pick_value_statement_entry(entries: Iterable[PortfolioEntry]) -> PortfolioEntry | None:
    """The value-statement entry among one learner's *entries*; ``None`` when there is none.

    When a host holds several (made by earlier code before a unique constraint
    existed), a learner-edited one wins, then the earliest ``created_at``
    (entries without one last), then the smallest id.
    """
    return min((e for e in entries if is_value_statement_entry(e)), key=_pick_key, default=None)


class EntryPlanKind(enum.StrEnum):
    """What a plan does to the stored entry."""

    CREATE = "create"
    UPDATE = "update"
    KEEP = "keep"


@frozen(kw_only=True)
class CreateEntry:
    """Create the entry (it has no id yet; the host assigns one when saving).

    Attributes:
        entry: the entry to create.
        reason: why (``value_statement_created``).
    """

    entry: PortfolioEntry
    reason: Reason

    @property
    def kind(self) -> EntryPlanKind:
        """:attr:`EntryPlanKind.CREATE`."""
        return EntryPlanKind.CREATE


@frozen(kw_only=True)
class UpdateEntry:
    """Replace the stored entry with :attr:`entry`.

    Attributes:
        entry: the entry to store (same id as :attr:`previous`).
        previous: the entry as it was read (hosts may use it to detect a concurrent write).
        reason: why (``value_statement_updated`` or ``learner_edit_preserved``).
    """

    entry: PortfolioEntry
    previous: PortfolioEntry
    reason: Reason

    @property
    def changed(self) -> tuple[str, ...]:
        """The names of the fields that differ between :attr:`previous` and :attr:`entry`, in field order."""
        return _changed(self.previous, self.entry)

    @property
    def kind(self) -> EntryPlanKind:
        """:attr:`EntryPlanKind.UPDATE`."""
        return EntryPlanKind.UPDATE


@frozen(kw_only=True)
class KeepEntry:
    """Nothing to write: the stored entry is already what the statement asks for.

    Attributes:
        entry: the stored entry.
        reason: why (``value_statement_unchanged`` or ``learner_edit_unchanged``).
    """

    entry: PortfolioEntry
    reason: Reason

    @property
    def kind(self) -> EntryPlanKind:
        """:attr:`EntryPlanKind.KEEP`."""
        return EntryPlanKind.KEEP


#: The outcome of :func:`plan_value_statement_entry`.
EntryPlan: TypeAlias = CreateEntry | UpdateEntry | KeepEntry


def _changed(before: PortfolioEntry, after: PortfolioEntry) -> tuple[str, ...]:
    return tuple(
        a.name for a in attrs.fields(PortfolioEntry) if getattr(before, a.name) != getattr(after, a.name)
    )


def _update(existing: PortfolioEntry, target: PortfolioEntry, now: datetime, reason: Reason) -> UpdateEntry:
    entry = attrs.evolve(target, updated_at=now)
    return UpdateEntry(entry=entry, previous=existing, reason=reason)


def plan_value_statement_entry(
    existing: PortfolioEntry | None,
    statement: ValueStatement,
    *,
    session_id: IdLike,
    learner_id: IdLike | None = None,
    now: datetime,
    user_id: IdLike | None = None,
) -> EntryPlan:
    """Decide how the learner's value-statement entry follows *statement* (SPEC §6).

    * no entry: **create** it (title :data:`VALUE_STATEMENT_TITLE`, item type
      ``reflection``, status ``approved``, visibility ``private``, linked to
      *session_id*, ``created_at = updated_at = now``);
    * an entry the learner has not edited: **update** its summary and session
      link when they differ, else **keep** it;
    * an entry the learner edited (``learner_edited_at`` set): the summary is
      never touched; the new text goes into ``suggested_summary`` (``None``
      when it equals the learner's text) and the link follows *session_id*:
      **update** when that changes something, else **keep**.

    Only ``summary``, ``suggested_summary``, ``profiler_session_id`` and
    ``updated_at`` ever change; title, status and visibility stay as stored.
    Applying the plan and planning again with the same input always keeps.

    *session_id* and *learner_id* (required) may be ``str``, ``int`` or ``UUID``
    (canonicalised first); ``user_id=`` is the deprecated name of *learner_id*
    (a ``DeprecationWarning``).

    Raises:
        InvalidValueError: *existing* belongs to another learner or is not a
            value-statement entry, *now* is naive, or an id is not an id.
    """
    require_aware(now)
    session_id = SessionId(canonical_id(session_id, field="session_id"))
    given = renamed_keyword("plan_value_statement_entry", "learner_id", learner_id, "user_id", user_id)
    learner = UserId(canonical_id(given, field="learner_id"))
    if existing is None:
        return _create(statement, session_id=session_id, user_id=learner, now=now)
    if existing.user_id != learner:
        raise InvalidValueError(field="existing.user_id", reason="belongs to another learner")
    if not is_value_statement_entry(existing):
        raise InvalidValueError(field="existing", reason="is not a value-statement entry")
    if existing.learner_edited_at is None:
        return _follow_statement(existing, statement, session_id=session_id, now=now)
    return _suggest_beside_edit(existing, statement, session_id=session_id, now=now)


def _create(
    statement: ValueStatement, *, session_id: SessionId, user_id: UserId, now: datetime
) -> CreateEntry:
    """No entry yet: a private one holding the statement, linked to the session."""
    entry = PortfolioEntry(
        id=None,
        user_id=user_id,
        title=VALUE_STATEMENT_TITLE,
        summary=statement.text,
        item_type=VALUE_STATEMENT_ITEM_TYPE,
        status=VALUE_STATEMENT_STATUS,
        visibility=Visibility.PRIVATE,
        profiler_session_id=session_id,
        created_at=now,
        updated_at=now,
    )
    return CreateEntry(
        entry=entry,
        reason=Reason(
            code="value_statement_created",
            message=f"No value-statement entry yet: create a private one linked to session {session_id} "
            f"({statement.completeness.value} statement).",
        ),
    )


def _follow_statement(
    existing: PortfolioEntry, statement: ValueStatement, *, session_id: SessionId, now: datetime
) -> EntryPlan:
    """An entry the learner has not edited follows the statement and its session."""
    target = attrs.evolve(
        existing, summary=statement.text, profiler_session_id=session_id, suggested_summary=None
    )
    if target == existing:
        return KeepEntry(
            entry=existing,
            reason=Reason(
                code="value_statement_unchanged",
                message=f"Entry {existing.id} already holds the statement of session {session_id}.",
            ),
        )
    return _update(
        existing,
        target,
        now,
        Reason(
            code="value_statement_updated",
            message=f"Entry {existing.id} was not edited by the learner: it follows session {session_id} "
            f"({statement.completeness.value} statement).",
        ),
    )


def _suggest_beside_edit(
    existing: PortfolioEntry, statement: ValueStatement, *, session_id: SessionId, now: datetime
) -> EntryPlan:
    """An entry the learner edited keeps their text; the statement becomes the suggestion."""
    suggestion = None if statement.text == existing.summary else statement.text
    target = attrs.evolve(existing, suggested_summary=suggestion, profiler_session_id=session_id)
    if target == existing:
        return KeepEntry(
            entry=existing,
            reason=Reason(
                code="learner_edit_unchanged",
                message=f"Entry {existing.id} holds the learner's edit and the suggestion of session "
                f"{session_id} already.",
            ),
        )
    return _update(
        existing,
        target,
        now,
        Reason(
            code="learner_edit_preserved",
            message=f"Entry {existing.id} holds the learner's edit, which is kept; the statement of session "
            f"{session_id} is stored beside it as the suggestion.",
        ),
    )


# --- the learner's edit -------------------------------------------------------


@frozen(kw_only=True)
class ValidatedEdit:
    """A learner's edit that passed validation.

    Attributes:
        text: the cleaned text to store (line breaks kept, at most one blank line).
    """

    text: str


@frozen(kw_only=True)
class EditRejected:
    """A learner's edit that failed validation.

    Attributes:
        field: the entry field the error belongs to (``"summary"``).
        reason: ``edit_empty`` or ``edit_too_long``.
        limit: the length limit, for ``edit_too_long``.
    """

    field: str
    reason: Reason
    limit: int | None = None


@frozen(kw_only=True)
class EditApplied:
    """A learner's edit applied to the entry.

    Attributes:
        entry: the entry to store (``learner_edited_at`` set unless nothing changed).
        previous: the entry before the edit.
        reason: ``edit_applied``, or ``edit_unchanged`` when there is nothing to store.
    """

    entry: PortfolioEntry
    previous: PortfolioEntry
    reason: Reason

    @property
    def changed(self) -> bool:
        """``True`` when :attr:`entry` differs from :attr:`previous` (and must be saved)."""
        return self.entry != self.previous


def validate_statement_edit(
    text: str, *, policy: ValueStatementPolicy = DEFAULT_VALUE_STATEMENT_POLICY
) -> ValidatedEdit | EditRejected:
    """Validate a learner's own statement text: non-empty and at most ``policy.edit_limit`` characters.

    The text is cleaned like an answer (:func:`clean_text`) but keeps its line
    breaks; it is measured after cleaning and never cut: a longer edit is
    rejected. Text with no letter, digit or symbol counts as empty.

    >>> validate_statement_edit("   ").reason.code
    'edit_empty'
    >>> validate_statement_edit("I protect  people.\\n\\n\\n\\nAlways.").text
    'I protect people.\\n\\nAlways.'
    """
    cleaned = clean_text(text, limit=policy.edit_limit, keep_line_breaks=True)
    if cleaned.truncated:
        return EditRejected(
            field="summary",
            reason=Reason(
                code="edit_too_long",
                message=f"The statement may be at most {policy.edit_limit} characters long.",
            ),
            limit=policy.edit_limit,
        )
    if not _has_content(cleaned.text):
        return EditRejected(
            field="summary",
            reason=Reason(code="edit_empty", message="The statement must not be empty."),
        )
    return ValidatedEdit(text=cleaned.text)


def apply_statement_edit(
    entry: PortfolioEntry,
    text: str,
    *,
    now: datetime,
    policy: ValueStatementPolicy = DEFAULT_VALUE_STATEMENT_POLICY,
) -> EditApplied | EditRejected:
    """Apply the learner's edit *text* to *entry*, or say which field is wrong.

    An accepted edit sets ``summary``, ``learner_edited_at = updated_at = now``;
    from then on no re-composition overwrites it. A stored suggestion stays
    beside the edit unless the learner adopted it (the edit equals it).
    Saving the same text again changes nothing (``edit_unchanged``).

    Raises:
        InvalidValueError: *now* is naive.
    """
    require_aware(now)
    checked = validate_statement_edit(text, policy=policy)
    if isinstance(checked, EditRejected):
        return checked
    if checked.text == entry.summary and entry.learner_edited_at is not None:
        return EditApplied(
            entry=entry,
            previous=entry,
            reason=Reason(code="edit_unchanged", message=f"Entry {entry.id} already holds this edit."),
        )
    suggestion = None if entry.suggested_summary == checked.text else entry.suggested_summary
    edited = attrs.evolve(
        entry, summary=checked.text, learner_edited_at=now, updated_at=now, suggested_summary=suggestion
    )
    return EditApplied(
        entry=edited,
        previous=entry,
        reason=Reason(
            code="edit_applied",
            message=f"Entry {entry.id} now holds the learner's edit; re-composition will not overwrite it.",
        ),
    )
