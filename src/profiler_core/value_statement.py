"""Composing the Value Statement (SPEC §6): deterministic templating over the learner's own answers.

:func:`compose_value_statement` fills the templates of a
:class:`ValueStatementPolicy` (one per :class:`Pillar`) with the reflection
and identity answers: every :class:`StatementSentence` records the answers it
came from (:class:`AnswerSource`), and nothing appears that the learner did
not write or choose. Without usable answers the statement is
:data:`GENERIC_STATEMENT`. The portfolio entry that holds the statement is
planned in :mod:`profiler_core.portfolio`.
"""

from __future__ import annotations

import enum
import re
import string
import unicodedata
from collections.abc import Iterable
from typing import overload

import attrs
from attrs import field, frozen

from profiler_core.cleaned_text import _TRAILING_SEPARATORS, _filter, _has_content, _terminated, clean_text
from profiler_core.decisions import Policy, PolicyRef
from profiler_core.errors import InvalidValueError, PolicyError
from profiler_core.models import (
    IdentityResponse,
    ProfilerSession,
    Reflection,
)

__all__ = [
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
]


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
    ref = str(instance.ref)
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
class ValueStatementPolicy(Policy):
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
    reflection, answers = _answers(source, tuple(identity_responses))
    why = _reflection_source(reflection.why_cyber, AnswerField.WHY_CYBER, policy)
    achieve = _reflection_source(reflection.what_achieve, AnswerField.WHAT_ACHIEVE, policy)
    values = _identity_sources(answers, policy)
    sentences = [
        _reflection_sentence(pillar, template, answer)
        for pillar, template, answer in (
            (Pillar.PURPOSE, policy.purpose, why),
            (Pillar.IMPACT, policy.impact, achieve),
        )
        if answer is not None
    ]
    if values:
        sentences.append(_values_sentence(values, policy))
    completeness = _completeness(reflected=(why is not None) + (achieve is not None), valued=bool(values))
    if completeness is StatementCompleteness.EMPTY:
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


def _answers(
    source: ProfilerSession | Reflection | None, answers: tuple[IdentityResponse, ...]
) -> tuple[Reflection, tuple[IdentityResponse, ...]]:
    """The reflection and identity answers to compose from: the session's, or the ones given."""
    if isinstance(source, ProfilerSession):
        if answers:
            raise InvalidValueError(
                field="identity_responses",
                reason="come from the session; pass a Reflection to give them apart",
            )
        return source.reflection, source.identity_responses
    return (source if source is not None else Reflection()), answers


def _reflection_sentence(
    pillar: Pillar, template: StatementTemplate, answer: AnswerSource
) -> StatementSentence:
    return StatementSentence(
        template_id=template.id,
        pillar=pillar,
        text=template.render(answer=_terminated(answer.text)),
        sources=(answer,),
    )


def _values_sentence(values: tuple[AnswerSource, ...], policy: ValueStatementPolicy) -> StatementSentence:
    joined = _join([v.text for v in values], policy.list_and)
    text = policy.value.render(answers=joined)
    if text.endswith(joined + ".") and _terminated(joined) == joined:
        # The last answer already ends a sentence (e.g. a bounded answer's "…"): no second stop.
        text = text[:-1]
    return StatementSentence(template_id=policy.value.id, pillar=Pillar.VALUE, text=text, sources=values)


def _completeness(*, reflected: int, valued: bool) -> StatementCompleteness:
    if reflected == 2:
        return StatementCompleteness.COMPLETE
    if reflected == 1:
        return StatementCompleteness.PARTIAL
    return StatementCompleteness.IDENTITY_ONLY if valued else StatementCompleteness.EMPTY
