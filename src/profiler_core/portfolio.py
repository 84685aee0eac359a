"""Portfolio (SPEC §6): the Value Statement and the portfolio entry that holds it.

Pure functions over values:

* :func:`clean_text` turns an answer into bounded, plain, valid text
  (control characters removed, whitespace and punctuation normalised, cut at a
  word boundary without splitting a character sequence);
* :func:`compose_value_statement` is deterministic templating over the
  reflection and identity answers: every sentence records the answers it came
  from, and nothing appears that the learner did not write or choose;
* :func:`plan_value_statement_entry` decides whether the portfolio entry is
  created, updated or kept (idempotent; a learner's edit is never overwritten);
* :func:`validate_statement_edit` and :func:`apply_statement_edit` check and
  apply the learner's own edit;
* :func:`is_value_statement_entry` and :func:`pick_value_statement_entry` say
  which stored entry is a learner's value statement.

The output is plain text: markup stays as the learner typed it and hosts
escape it when they render (the library never escapes or interprets it).
"""

from __future__ import annotations

import enum
import re
import string
import unicodedata
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TypeAlias, overload

import attrs
from attrs import field, frozen

from profiler_core.decisions import PolicyRef, Reason
from profiler_core.errors import InvalidValueError, PolicyError
from profiler_core.models import (
    IdentityResponse,
    IdLike,
    PortfolioEntry,
    ProfilerSession,
    Reflection,
    SessionId,
    UserId,
    canonical_id,
    require_aware,
)
from profiler_core.vocabulary import Visibility

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

# --- text ---------------------------------------------------------------------

#: What a cut answer ends with (one character, U+2026).
ELLIPSIS = "\u2026"

# ZWNJ and ZWJ are format characters, but Persian and Indic words and emoji
# sequences render wrongly without them; every other format character goes
# (bidi overrides and isolates, zero-width spaces, BOMs, invisible tag characters).
_KEPT_FORMAT = frozenset("\u200c\u200d")
_ZWJ = "\u200d"
_LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
# The Stream-Safe Text Format (UAX #15) allows at most 30 non-starters in a row;
# marks beyond that only stack ("Zalgo" text) and are dropped.
_MAX_MARKS = 30
# Cleaned characters kept beyond the limit before cutting, so the cut never sees
# the (possibly unfinished) end of a chunk.
_LOOKAHEAD = 64
# A huge input is read only as far as 64 x limit characters, so cleaning costs O(limit).
_MAX_EXAMINED = 64
_TERMINALS = frozenset(".!?\u2026\u3002\uff01\uff1f\u061f")
_CLOSERS = "\"')]}\u00bb\u201d\u2019"
_TRAILING_SEPARATORS = " ,;:\u060c\u3001"
_CUT_TRAILING = " \n,;:.!?-\u2013\u2014\u2026" + _ZWJ

_SPACES = re.compile(r"[ ]{2,}")
_SPACE_AT_LINE_EDGE = re.compile(r"[ ]*\n[ ]*")
_BLANK_LINES = re.compile(r"\n{3,}")
# Punctuation is tidied only where it ends a word (before a space, a line break, a
# closing double quote or the end): inside a token or an emoticon it is the
# learner's text, e.g. ".NET", "fe80::1", "std::cout", "../etc/passwd", ":)".
_WORD_END = '(?=[ \n"\u00bb\u201d]|$)'
_SPACE_BEFORE_PUNCTUATION = re.compile(r"[ ]+([,.;:!?\u2026]+)" + _WORD_END)
_REPEATED_MARKS = re.compile(r"([!?])[!?]+")
_LONG_DOTS = re.compile(r"\.{4,}")
_DOUBLE_DOT = re.compile(r"(?<!\.)\.\.(?!\.)" + _WORD_END)
_REPEATED_SEPARATORS = re.compile(r"([,;:])\1+" + _WORD_END)
_JOINERS = re.compile("([\u200c\u200d])[\u200c\u200d]+")


@frozen(kw_only=True)
class CleanedText:
    """Text after :func:`clean_text`.

    Attributes:
        text: the cleaned text.
        truncated: ``True`` when it was cut to the limit (it then ends with :data:`ELLIPSIS`).
    """

    text: str
    truncated: bool = False


def _is_noncharacter(code: int) -> bool:
    return 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE


def _filter(text: str, keep_line_breaks: bool) -> str:
    if any("\ud800" <= ch <= "\udfff" for ch in text):
        # Re-pair surrogate halves a host may hand in; lone halves cannot be encoded and are dropped.
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "ignore")
    text = text.replace("\r\n", "\n")
    out: list[str] = []
    marks = 0
    for ch in text:
        if ch.isspace():
            out.append("\n" if keep_line_breaks and ch in _LINE_BREAKS else " ")
            marks = 0
            continue
        category = unicodedata.category(ch)
        if category in ("Cc", "Cs") or (category == "Cf" and ch not in _KEPT_FORMAT):
            continue
        if _is_noncharacter(ord(ch)):
            continue
        if category[0] == "M":
            marks += 1
            if marks > _MAX_MARKS:
                continue
        else:
            marks = 0
        out.append(ch)
    return "".join(out)


def _normalise(text: str, keep_line_breaks: bool) -> str:
    text = unicodedata.normalize("NFC", _filter(text, keep_line_breaks))
    text = _SPACES.sub(" ", text)
    if keep_line_breaks:
        text = _BLANK_LINES.sub("\n\n", _SPACE_AT_LINE_EDGE.sub("\n", text))
    text = _JOINERS.sub(r"\1", text)
    text = _SPACE_BEFORE_PUNCTUATION.sub(r"\1", text)
    text = _REPEATED_MARKS.sub(r"\1", text)
    text = _LONG_DOTS.sub("...", text)
    text = _DOUBLE_DOT.sub(".", text)
    text = _REPEATED_SEPARATORS.sub(r"\1", text)
    return text.strip(" \n")


def _is_regional_indicator(ch: str) -> bool:
    return "\U0001f1e6" <= ch <= "\U0001f1ff"


def _is_boundary(text: str, index: int) -> bool:
    """May *text* be cut before ``text[index]`` without splitting a user-perceived character?

    An approximation of UAX #29 extended grapheme clusters for the cases that
    matter in answers: combining marks (and variation selectors), emoji
    modifiers, zero-width-joiner sequences, regional-indicator pairs (flags)
    and conjoining Hangul vowels and finals.
    """
    if index <= 0 or index >= len(text):
        return True
    prev, nxt = text[index - 1], text[index]
    if unicodedata.category(nxt)[0] == "M" or _ZWJ in (prev, nxt):
        return False
    if "\U0001f3fb" <= nxt <= "\U0001f3ff" or "\u1160" <= nxt <= "\u11ff" or "\ud7b0" <= nxt <= "\ud7ff":
        return False
    if _is_regional_indicator(prev) and _is_regional_indicator(nxt):
        run = 0
        while index - 1 - run >= 0 and _is_regional_indicator(text[index - 1 - run]):
            run += 1
        return run % 2 == 0
    return True


def _cut(text: str, limit: int) -> str:
    room = limit - 1
    end = room
    while end > 0 and not _is_boundary(text, end):
        end -= 1
    if end == 0:
        # One "character" longer than the room (a long joiner chain): cut it, but never orphan marks.
        end = room
        while end > 0 and unicodedata.category(text[end])[0] == "M":
            end -= 1
    space = max(text.rfind(" ", 0, end + 1), text.rfind("\n", 0, end + 1))
    # Cut at a word boundary unless that would lose more than half (text without spaces, e.g. CJK).
    if space >= room // 2 and _is_boundary(text, space):
        end = space
    return text[:end].rstrip(_CUT_TRAILING) + ELLIPSIS


def clean_text(text: str, *, limit: int | None = None, keep_line_breaks: bool = False) -> CleanedText:
    """Make *text* plain, valid and (with *limit*) bounded.

    In order: surrogate halves are re-paired (lone ones dropped); control,
    format (except ZWJ/ZWNJ) and noncharacter code points are removed; more
    than 30 stacked combining marks are dropped; the text is NFC-normalised;
    whitespace runs become one space (or, with *keep_line_breaks*, line breaks
    become ``\\n`` with at most one blank line); spaces before ``, . ; : ! ? …``
    that end a word are removed, ``!!!``/``?!`` become one mark, four or more
    dots become ``...``, and at the end of a word two dots become one and
    doubled ``, ; :`` one. Punctuation inside a token is the learner's text and
    stays: ``.NET``, ``fe80::1``, ``../etc``, ``:)``.

    With *limit*, a longer result is cut to at most *limit* characters (code
    points): at the last word boundary when that keeps at least half, else at
    the last boundary between user-perceived characters; trailing separators
    are dropped and :data:`ELLIPSIS` appended. At most ``64 * limit``
    characters of the input are examined (usually about ``2 * limit``); when
    the rest is left unread the result counts as truncated.

    Markup is text: ``<b>`` stays ``<b>``; hosts escape on output.

    >>> clean_text("  Hello\\x00   world !!  ").text
    'Hello world!'
    >>> clean_text("one two three four", limit=10)
    CleanedText(text='one two…', truncated=True)
    """
    if limit is None:
        return CleanedText(text=_normalise(text, keep_line_breaks))
    if limit < 2:
        raise InvalidValueError(field="limit", reason="must be at least 2")
    size = 2 * limit + _LOOKAHEAD
    most = _MAX_EXAMINED * limit
    while True:
        cleaned = _normalise(text[:size], keep_line_breaks)
        if size >= len(text) or len(cleaned) > limit + _LOOKAHEAD or size >= most:
            break
        size = min(2 * size, most)
    if len(cleaned) > limit:
        return CleanedText(text=_cut(cleaned, limit), truncated=True)
    if size < len(text):
        # Almost everything examined was dropped (controls, stacked marks): the rest is not read.
        return CleanedText(text=_cut(cleaned + "  ", limit), truncated=True)
    return CleanedText(text=cleaned)


def _has_content(text: str) -> bool:
    # A letter, digit or symbol (emoji included); punctuation and marks alone say nothing.
    return any(unicodedata.category(ch)[0] in "LNS" for ch in text)


def _terminated(text: str) -> str:
    core = text.rstrip(_CLOSERS)
    return text if core and core[-1] in _TERMINALS else text + "."


# --- composition --------------------------------------------------------------


class Pillar(enum.StrEnum):
    """The three parts of the leadership identity; each statement sentence feeds one.

    Identity answers feed ``value``, ``what_achieve`` feeds ``impact`` and
    ``why_cyber`` feeds ``purpose`` (SPEC §7).
    """

    VALUE = "value"
    IMPACT = "impact"
    PURPOSE = "purpose"


class AnswerField(enum.StrEnum):
    """Where in the profiler session an answer comes from."""

    WHY_CYBER = "why_cyber"
    WHAT_ACHIEVE = "what_achieve"
    IDENTITY = "identity_responses"


class StatementCompleteness(enum.StrEnum):
    """How much of the reflection the statement could use (SPEC §6)."""

    COMPLETE = "complete"
    """Both reflection answers."""
    PARTIAL = "partial"
    """Exactly one reflection answer."""
    IDENTITY_ONLY = "identity_only"
    """No reflection answer, at least one identity answer."""
    EMPTY = "empty"
    """Nothing usable: the generic sentence."""


_PLACEHOLDERS = {"purpose": {"answer"}, "impact": {"answer"}, "value": {"answers"}, "generic": set()}


def _fields_of(pattern: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(pattern) if name is not None}


@frozen(kw_only=True)
class StatementTemplate:
    """One sentence pattern of the statement.

    Attributes:
        id: stable template id recorded on every sentence (e.g. ``"purpose.v1"``).
        pattern: ``str.format`` pattern; ``{answer}`` (one cleaned answer, with
            terminal punctuation) or ``{answers}`` (the identity answers joined
            as a list). The learner's text is a format *argument*, never part of
            the pattern.
    """

    id: str = field(validator=attrs.validators.min_len(1))
    pattern: str

    def render(self, **parts: str) -> str:
        """The sentence with *parts* filled in."""
        return self.pattern.format(**parts)

    @property
    def literal_text(self) -> tuple[str, ...]:
        """The fixed text around the placeholders, in order (what the template itself adds)."""
        return tuple(literal for literal, _, _, _ in string.Formatter().parse(self.pattern) if literal)


#: The empty statement's sentence (SPEC §6), marked generic.
GENERIC_STATEMENT = "I am committed to advancing in cybersecurity."


def _check_templates(instance: ValueStatementPolicy, _attribute: object, _value: object) -> None:
    ref = f"{instance.id}@{instance.version}"
    for name, expected in _PLACEHOLDERS.items():
        template: StatementTemplate = getattr(instance, name)
        if _fields_of(template.pattern) != expected:
            raise PolicyError(policy=ref, reason=f"template {name} must use exactly {sorted(expected)}")
        pattern = template.pattern
        if (
            not pattern.strip()
            or _filter(pattern, False) != pattern
            or not unicodedata.is_normalized("NFC", pattern)
        ):
            raise PolicyError(
                policy=ref, reason=f"template {name} must be non-blank, NFC plain text on one line"
            )
    if (
        instance.answer_limit < 40
        or instance.identity_answer_limit < 10
        or instance.identity_answer_count < 1
    ):
        raise PolicyError(policy=ref, reason="limits must be answer >= 40, identity >= 10, count >= 1")
    if instance.edit_limit < instance.max_text_length:
        raise PolicyError(
            policy=ref,
            reason=f"edit_limit {instance.edit_limit} must admit the longest statement "
            f"({instance.max_text_length})",
        )


@frozen(kw_only=True)
class ValueStatementPolicy:
    """The versioned templates and bounds behind a value statement.

    Attributes:
        id: policy id (``"value-statement"``).
        version: policy version.
        purpose: the ``why_cyber`` sentence.
        impact: the ``what_achieve`` sentence.
        value: the identity answers' sentence.
        generic: the empty statement's sentence.
        list_and: the word before the last identity answer (``"a, b and c"``).
        answer_limit: a reflection answer is cut to at most this many characters.
        identity_answer_limit: an identity answer is cut to at most this many characters.
        identity_answer_count: at most this many identity answers are used.
        edit_limit: the longest edit a learner may save (never less than :attr:`max_text_length`).
    """

    id: str = "value-statement"
    version: int = 1
    purpose: StatementTemplate = StatementTemplate(
        id="purpose.v1", pattern="Why I chose cybersecurity: {answer}"
    )
    impact: StatementTemplate = StatementTemplate(id="impact.v1", pattern="What I want to achieve: {answer}")
    value: StatementTemplate = StatementTemplate(id="value.v1", pattern="What I value: {answers}.")
    generic: StatementTemplate = StatementTemplate(id="generic.v1", pattern=GENERIC_STATEMENT)
    list_and: str = "and"
    answer_limit: int = 300
    identity_answer_limit: int = 80
    identity_answer_count: int = 5
    edit_limit: int = field(default=2000, validator=_check_templates)

    @property
    def ref(self) -> PolicyRef:
        """The ``id@version`` of this policy."""
        return PolicyRef(id=self.id, version=self.version)

    @property
    def max_text_length(self) -> int:
        """An upper bound of ``len(statement.text)`` under this policy.

        >>> DEFAULT_VALUE_STATEMENT_POLICY.max_text_length
        1090
        """

        def fixed(template: StatementTemplate) -> int:
            return sum(len(part) for part in template.literal_text)

        answer = self.answer_limit + 1  # a terminal "." may be added
        count = self.identity_answer_count
        answers = count * self.identity_answer_limit + (count - 1) * (len(self.list_and) + 2)
        sentences = fixed(self.purpose) + fixed(self.impact) + fixed(self.value) + 2 * answer + answers
        return max(sentences + 2, len(self.generic.pattern))


#: The default policy: the templates and bounds documented in docs/reference/portfolio.md.
DEFAULT_VALUE_STATEMENT_POLICY = ValueStatementPolicy()


@frozen(kw_only=True)
class AnswerSource:
    """One answer a sentence came from: where it is, and the cleaned words used.

    Attributes:
        field: ``why_cyber``, ``what_achieve`` or ``identity_responses``.
        question_id: the identity question's id (``None`` for reflection answers).
        text: the learner's words as they appear in the sentence (cleaned, bounded,
            without the terminal punctuation a template adds).
        truncated: ``True`` when the answer was cut to the policy's limit.
    """

    field: AnswerField
    question_id: str | None = attrs.field(default=None)
    text: str
    truncated: bool = False

    @question_id.validator
    def _check_question(self, _attribute: object, question_id: str | None) -> None:
        if (self.field is AnswerField.IDENTITY) != (question_id is not None):
            raise InvalidValueError(field="question_id", reason="is set exactly for identity answers")

    @property
    def key(self) -> str:
        """The field name for a reflection answer, the question id for an identity answer."""
        return self.question_id if self.question_id is not None else self.field.value


def _sources(values: Iterable[AnswerSource]) -> tuple[AnswerSource, ...]:
    return tuple(values)


@frozen(kw_only=True)
class StatementSentence:
    """One sentence of the statement, its template and the answers it came from.

    Attributes:
        template_id: the :class:`StatementTemplate` id.
        pillar: the leadership pillar it feeds (``None`` for the generic sentence).
        text: the sentence.
        sources: the answers it came from (empty only for the generic sentence).
    """

    template_id: str
    pillar: Pillar | None
    text: str
    sources: tuple[AnswerSource, ...] = field(converter=_sources)

    @sources.validator
    def _check_sources(self, _attribute: object, sources: tuple[AnswerSource, ...]) -> None:
        if (self.pillar is None) != (not sources):
            raise InvalidValueError(field="sources", reason="only the generic sentence has no sources")


def _sentences(values: Iterable[StatementSentence]) -> tuple[StatementSentence, ...]:
    return tuple(values)


@frozen(kw_only=True)
class ValueStatement:
    """A composed value statement (SPEC §6).

    Attributes:
        text: the sentences joined by one space: plain text, never escaped.
        completeness: complete, partial, identity only, or empty.
        sentences: the sentences, each with its template and sources.
        is_generic: ``True`` exactly when nothing was usable and the generic sentence stands in.
        policy: the policy that composed it.
    """

    text: str
    completeness: StatementCompleteness
    sentences: tuple[StatementSentence, ...] = field(converter=_sentences)
    is_generic: bool
    policy: PolicyRef = field()

    @policy.validator
    def _check(self, _attribute: object, _policy: object) -> None:
        if self.text != " ".join(s.text for s in self.sentences):
            raise InvalidValueError(field="text", reason="must be the sentences joined by one space")
        if self.is_generic != (self.completeness is StatementCompleteness.EMPTY):
            raise InvalidValueError(field="is_generic", reason="is set exactly for an empty statement")

    @property
    def sources(self) -> tuple[AnswerSource, ...]:
        """Every answer the statement used, in sentence order."""
        return tuple(source for sentence in self.sentences for source in sentence.sources)

    @property
    def truncated(self) -> bool:
        """``True`` when any answer was cut to its limit."""
        return any(source.truncated for source in self.sources)

    def sentence_for(self, pillar: Pillar) -> StatementSentence | None:
        """The sentence feeding *pillar*, or ``None`` when that part is missing."""
        return next((s for s in self.sentences if s.pillar == pillar), None)


_DIGITS = re.compile(r"([0-9]+)")


def _natural_key(question_id: str) -> tuple[tuple[int, int, str], ...]:
    return tuple(
        # Only the ASCII runs _DIGITS captured are numbers ("²" is a digit to isdigit() but
        # not to int()); they compare by length, then text: numeric order for any length.
        (0, len(part.lstrip("0")), part.lstrip("0")) if _DIGITS.fullmatch(part) else (1, 0, part)
        for part in _DIGITS.split(question_id)
        if part
    )


def _reflection_source(
    raw: str | None, name: AnswerField, policy: ValueStatementPolicy
) -> AnswerSource | None:
    if raw is None:
        return None
    cleaned = clean_text(raw, limit=policy.answer_limit)
    text = cleaned.text.rstrip(_TRAILING_SEPARATORS)
    if not _has_content(text):
        return None
    return AnswerSource(field=name, text=text, truncated=cleaned.truncated)


def _identity_sources(
    answers: Iterable[IdentityResponse], policy: ValueStatementPolicy
) -> tuple[AnswerSource, ...]:
    ordered = sorted(enumerate(answers), key=lambda pair: (_natural_key(pair[1].question_id), pair[0]))
    chosen: list[AnswerSource] = []
    seen: set[str] = set()
    for _, answer in ordered:
        cleaned = clean_text(answer.text, limit=policy.identity_answer_limit)
        text = cleaned.text.rstrip(_TRAILING_SEPARATORS + ".!?\u3002\uff01\uff1f\u061f")
        if not _has_content(text) or text.casefold() in seen:
            continue
        seen.add(text.casefold())
        chosen.append(
            AnswerSource(
                field=AnswerField.IDENTITY,
                question_id=answer.question_id,
                text=text,
                truncated=cleaned.truncated,
            )
        )
        if len(chosen) == policy.identity_answer_count:
            break
    return tuple(chosen)


def _join(parts: list[str], conjunction: str) -> str:
    if len(parts) == 1:
        return parts[0]
    return f"{', '.join(parts[:-1])} {conjunction} {parts[-1]}"


@overload
def compose_value_statement(
    source: ProfilerSession, *, policy: ValueStatementPolicy = DEFAULT_VALUE_STATEMENT_POLICY
) -> ValueStatement: ...
@overload
def compose_value_statement(
    source: Reflection | None = None,
    identity_responses: Iterable[IdentityResponse] = (),
    *,
    policy: ValueStatementPolicy = DEFAULT_VALUE_STATEMENT_POLICY,
) -> ValueStatement: ...
def compose_value_statement(
    source: ProfilerSession | Reflection | None = None,
    identity_responses: Iterable[IdentityResponse] = (),
    *,
    policy: ValueStatementPolicy = DEFAULT_VALUE_STATEMENT_POLICY,
) -> ValueStatement:
    """Compose the value statement from a session, or from a reflection and identity answers.

    Sentences, in order: why the learner chose cybersecurity (``why_cyber``),
    what they want to achieve (``what_achieve``), what they value (the identity
    answers, in natural question-id order, de-duplicated ignoring case, at
    most ``policy.identity_answer_count``). A missing, blank or
    punctuation-only answer is absent. Nothing else is ever added: the
    learner's words are never re-cased or re-worded, only cleaned with
    :func:`clean_text` and bounded by the policy.

    Raises:
        InvalidValueError: a session was given together with separate identity answers.

    >>> from profiler_core import IdentityResponse, Reflection
    >>> statement = compose_value_statement(
    ...     Reflection(why_cyber="I like  puzzles "),
    ...     [IdentityResponse(question_id="q1", text="integrity")],
    ... )
    >>> statement.text
    'Why I chose cybersecurity: I like puzzles. What I value: integrity.'
    >>> statement.completeness.value, [s.template_id for s in statement.sentences]
    ('partial', ['purpose.v1', 'value.v1'])
    """
    answers = tuple(identity_responses)
    if isinstance(source, ProfilerSession):
        if answers:
            raise InvalidValueError(
                field="identity_responses",
                reason="come from the session; pass a Reflection to give them apart",
            )
        reflection, answers = source.reflection, source.identity_responses
    else:
        reflection = source if source is not None else Reflection()
    why = _reflection_source(reflection.why_cyber, AnswerField.WHY_CYBER, policy)
    achieve = _reflection_source(reflection.what_achieve, AnswerField.WHAT_ACHIEVE, policy)
    values = _identity_sources(answers, policy)
    sentences: list[StatementSentence] = []
    for pillar, template, answer in (
        (Pillar.PURPOSE, policy.purpose, why),
        (Pillar.IMPACT, policy.impact, achieve),
    ):
        if answer is not None:
            sentences.append(
                StatementSentence(
                    template_id=template.id,
                    pillar=pillar,
                    text=template.render(answer=_terminated(answer.text)),
                    sources=(answer,),
                )
            )
    if values:
        joined = _join([v.text for v in values], policy.list_and)
        text = policy.value.render(answers=joined)
        if text.endswith(joined + ".") and _terminated(joined) == joined:
            # The last answer already ends a sentence (e.g. a bounded answer's "…"): no second stop.
            text = text[:-1]
        sentences.append(
            StatementSentence(template_id=policy.value.id, pillar=Pillar.VALUE, text=text, sources=values)
        )
    reflected = (why is not None) + (achieve is not None)
    if reflected == 2:
        completeness = StatementCompleteness.COMPLETE
    elif reflected == 1:
        completeness = StatementCompleteness.PARTIAL
    elif values:
        completeness = StatementCompleteness.IDENTITY_ONLY
    else:
        completeness = StatementCompleteness.EMPTY
        sentences.append(
            StatementSentence(
                template_id=policy.generic.id, pillar=None, text=policy.generic.render(), sources=()
            )
        )
    return ValueStatement(
        text=" ".join(s.text for s in sentences),
        completeness=completeness,
        sentences=tuple(sentences),
        is_generic=completeness is StatementCompleteness.EMPTY,
        policy=policy.ref,
    )


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
    user_id: IdLike,
    now: datetime,
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

    *session_id* and *user_id* may be ``str``, ``int`` or ``UUID`` (canonicalised first).

    Raises:
        InvalidValueError: *existing* belongs to another learner or is not a
            value-statement entry, *now* is naive, or an id is not an id.
    """
    require_aware(now)
    session_id = SessionId(canonical_id(session_id, field="session_id"))
    user_id = UserId(canonical_id(user_id, field="user_id"))
    if existing is None:
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
    if existing.user_id != user_id:
        raise InvalidValueError(field="existing.user_id", reason="belongs to another learner")
    if not is_value_statement_entry(existing):
        raise InvalidValueError(field="existing", reason="is not a value-statement entry")
    if existing.learner_edited_at is None:
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
