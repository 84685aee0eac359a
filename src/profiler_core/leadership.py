"""VIP Leadership Academy (SPEC §7): the leadership identity seeded from the value statement.

Pure functions over values:

* :func:`leadership_statement` retrieves the learner's statement for the
  academy, or the typed :class:`StatementNotFound` carrying
  :data:`VALUE_STATEMENT_NOT_FOUND_MESSAGE`;
* :func:`seed_leadership_identity` seeds **Value, Impact, Purpose** from the
  statement's sources (identity answers, ``what_achieve``, ``why_cyber``),
  each with provenance, or a prompt when the learner has not said it yet;
  with the starting point and leadership level from the difficulty selection;
* :func:`plan_leadership_onboarding` lists the onboarding steps, which of them
  use the value statement and what the learner still has to supply.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping

from attrs import field, frozen

from profiler_core._deprecation import renamed, renamed_keyword
from profiler_core.decisions import Absent, Policy, PolicyRef, Present, Reason
from profiler_core.errors import InvalidValueError, PolicyError
from profiler_core.frozenmap import FrozenMap, freeze
from profiler_core.models import (
    IdLike,
    PortfolioEntry,
    SessionId,
    UserId,
    _to_id,
    _to_optional_id,
    _valid_id,
    _valid_optional_id,
    canonical_id,
)
from profiler_core.portfolio import AnswerSource, Pillar, ValueStatement
from profiler_core.value_statement import _sources
from profiler_core.vocabulary import DifficultySelection

__all__ = [
    "VALUE_STATEMENT_NOT_FOUND_MESSAGE",
    "LeadershipStatement",
    "StatementNotFound",
    "leadership_statement",
    "LeadershipLevel",
    "ReflectionPrompt",
    "reflection_prompt",
    "LeadershipPolicy",
    "DEFAULT_LEADERSHIP_POLICY",
    "StartingPoint",
    "starting_point",
    "leadership_level",
    "IdentityPart",
    "LeadershipIdentity",
    "seed_leadership_identity",
    "OnboardingStep",
    "OnboardingPlan",
    "plan_leadership_onboarding",
]

#: The message of the "not found" outcome, exactly as SPEC §7 words it.
VALUE_STATEMENT_NOT_FOUND_MESSAGE = "Value statement not found. Please complete profiler first."


# --- retrieval ------------------------------------------------------------------

_NOT_FOUND = Reason(code="value_statement_not_found", message=VALUE_STATEMENT_NOT_FOUND_MESSAGE)


@frozen(kw_only=True)
class LeadershipStatement(Present):
    """The learner's value statement, found for the academy.

    Attributes:
        learner_id: the learner (``user_id`` is its deprecated name; the JSON key stays ``user_id``).
        entry: their value-statement portfolio entry.
    """

    learner_id: UserId = field(converter=_to_id, validator=_valid_id)
    entry: PortfolioEntry

    user_id = renamed[UserId]("learner_id")

    @property
    def text(self) -> str:
        """The statement as the learner sees it (their edit, when they made one); a null summary is ``""``."""
        return self.entry.summary or ""

    @property
    def is_learner_edited(self) -> bool:
        """``True`` when the text is the learner's own edit."""
        return self.entry.learner_edited_at is not None


@frozen(kw_only=True)
class StatementNotFound(Absent):
    """The learner has no value statement yet: an ordinary outcome, not an error.

    Attributes:
        learner_id: the learner (``user_id`` is its deprecated name; the JSON key stays ``user_id``).
        reason: code ``value_statement_not_found`` with :data:`VALUE_STATEMENT_NOT_FOUND_MESSAGE`.
    """

    learner_id: UserId = field(converter=_to_id, validator=_valid_id)
    reason: Reason = _NOT_FOUND

    user_id = renamed[UserId]("learner_id")

    @property
    def message(self) -> str:
        """``"Value statement not found. Please complete profiler first."``"""
        return self.reason.message


def leadership_statement(
    entry: PortfolioEntry | None, *, learner_id: IdLike | None = None, user_id: IdLike | None = None
) -> LeadershipStatement | StatementNotFound:
    """The learner's statement for the academy, or :class:`StatementNotFound`.

    Pass the learner's value-statement entry (see
    :func:`~profiler_core.portfolio.pick_value_statement_entry`), or ``None``.
    *learner_id* (required) may be a ``str``, ``int`` or ``UUID`` (canonicalised
    first); ``user_id=`` is its deprecated name (a ``DeprecationWarning``).

    Raises:
        InvalidValueError: *entry* belongs to another learner, or *user_id* is not an id.

    >>> leadership_statement(None, learner_id="u-1").message
    'Value statement not found. Please complete profiler first.'
    """
    given = renamed_keyword("leadership_statement", "learner_id", learner_id, "user_id", user_id)
    learner = UserId(canonical_id(given, field="learner_id"))
    if entry is None:
        return StatementNotFound(learner_id=learner)
    if entry.user_id != learner:
        raise InvalidValueError(field="entry.user_id", reason="belongs to another learner")
    return LeadershipStatement(learner_id=learner, entry=entry)


# --- levels, starting points, policy --------------------------------------------------


class LeadershipLevel(enum.StrEnum):
    """The academy's leadership levels, in rising order."""

    BEGINNER = "beginner"
    INTERMEDIATE = "intermediate"
    ADVANCED = "advanced"
    MASTERY = "mastery"

    @property
    def sentence_range(self) -> tuple[int, int]:
        """How many sentences the level's reflection asks for: 5-7, 6-8, 7-9, 8-10."""
        low = 5 + tuple(LeadershipLevel).index(self)
        return (low, low + 2)


@frozen(kw_only=True)
class ReflectionPrompt:
    """The reflection a level asks the learner to write.

    Attributes:
        level: the leadership level.
        min_sentences: the fewest sentences asked for.
        max_sentences: the most sentences asked for.
        text: the prompt shown to the learner.
    """

    level: LeadershipLevel
    min_sentences: int
    max_sentences: int
    text: str


def reflection_prompt(level: LeadershipLevel) -> ReflectionPrompt:
    """The reflection prompt of *level* (SPEC §7: 5-7, 6-8, 7-9 or 8-10 sentences).

    >>> reflection_prompt(LeadershipLevel.MASTERY).text
    'In 8 to 10 sentences, describe the security leader you want to become: what you value, ...'
    """
    low, high = level.sentence_range
    return ReflectionPrompt(
        level=level,
        min_sentences=low,
        max_sentences=high,
        text=f"In {low} to {high} sentences, describe the security leader you want to become: "
        "what you value, the impact you want to have and why it matters to you.",
    )


_STARTING_POINTS = {
    DifficultySelection.NOVICE: "Security Program Management Basics",
    DifficultySelection.BEGINNER: "Risk Management Fundamentals",
    DifficultySelection.INTERMEDIATE: "Team Leadership",
    DifficultySelection.ADVANCED: "Strategic Security Leadership",
    DifficultySelection.ELITE: "Executive Security Leadership",
}
# novice and beginner share the first level, as they share ceiling 1 in the missions engine (SPEC §3).
_LEVELS = {
    DifficultySelection.NOVICE: LeadershipLevel.BEGINNER,
    DifficultySelection.BEGINNER: LeadershipLevel.BEGINNER,
    DifficultySelection.INTERMEDIATE: LeadershipLevel.INTERMEDIATE,
    DifficultySelection.ADVANCED: LeadershipLevel.ADVANCED,
    DifficultySelection.ELITE: LeadershipLevel.MASTERY,
}
_PROMPTS = {
    Pillar.VALUE: "Which values guide you in cybersecurity? Name two or three in your own words.",
    Pillar.IMPACT: "What impact do you want to have as a security leader?",
    Pillar.PURPOSE: "Why does cybersecurity matter to you?",
}


def _starting_points(values: Mapping[DifficultySelection, str]) -> FrozenMap[DifficultySelection, str]:
    return freeze(values)


def _levels(
    values: Mapping[DifficultySelection, LeadershipLevel],
) -> FrozenMap[DifficultySelection, LeadershipLevel]:
    return freeze(values)


def _prompts(values: Mapping[Pillar, str]) -> FrozenMap[Pillar, str]:
    return freeze(values)


def _check_policy(instance: LeadershipPolicy, _attribute: object, _value: object) -> None:
    ref = str(instance.ref)
    for name, table, keys in (
        ("starting_points", instance.starting_points, tuple(DifficultySelection)),
        ("levels", instance.levels, tuple(DifficultySelection)),
        ("prompts", instance.prompts, tuple(Pillar)),
    ):
        missing = [str(k) for k in keys if k not in table]
        if missing:
            raise PolicyError(policy=ref, reason=f"{name} lacks {', '.join(missing)}")
    if any(not text.strip() for text in (*instance.starting_points.values(), *instance.prompts.values())):
        raise PolicyError(policy=ref, reason="starting points and prompts must not be blank")


@frozen(kw_only=True)
class LeadershipPolicy(Policy):
    """The versioned tables behind a leadership identity.

    Attributes:
        id: policy id (``"leadership"``).
        version: policy version.
        starting_points: the first module for each difficulty selection.
        levels: the leadership level for each difficulty selection.
        default_selection: what a missing selection counts as (``novice``).
        prompts: what the learner is asked when a pillar is missing.
    """

    id: str = "leadership"
    version: int = 1
    starting_points: FrozenMap[DifficultySelection, str] = field(
        factory=lambda: freeze(_STARTING_POINTS), converter=_starting_points
    )
    levels: FrozenMap[DifficultySelection, LeadershipLevel] = field(
        factory=lambda: freeze(_LEVELS), converter=_levels
    )
    default_selection: DifficultySelection = DifficultySelection.NOVICE
    prompts: FrozenMap[Pillar, str] = field(
        factory=lambda: freeze(_PROMPTS), converter=_prompts, validator=_check_policy
    )


#: The default policy: SPEC §7's starting points; novice and beginner start at level beginner.
DEFAULT_LEADERSHIP_POLICY = LeadershipPolicy()


@frozen(kw_only=True)
class StartingPoint:
    """Where the learner starts in the academy, and why.

    Attributes:
        title: the first module.
        selection: the difficulty selection used (``None`` when the learner made none).
        reason: ``leadership_selection_mapped`` or ``leadership_selection_missing``.
    """

    title: str
    selection: DifficultySelection | None
    reason: Reason


def leadership_level(
    selection: DifficultySelection | None, *, policy: LeadershipPolicy = DEFAULT_LEADERSHIP_POLICY
) -> LeadershipLevel:
    """The leadership level for a difficulty selection (a missing one counts as ``policy.default_selection``).

    >>> [leadership_level(s).value for s in DifficultySelection]
    ['beginner', 'beginner', 'intermediate', 'advanced', 'mastery']
    """
    return policy.levels[selection if selection is not None else policy.default_selection]


def starting_point(
    selection: DifficultySelection | None, *, policy: LeadershipPolicy = DEFAULT_LEADERSHIP_POLICY
) -> StartingPoint:
    """The starting point for a difficulty selection, with its reason.

    >>> starting_point(DifficultySelection.ELITE).title
    'Executive Security Leadership'
    >>> starting_point(None).reason.code
    'leadership_selection_missing'
    """
    if selection is None:
        used = policy.default_selection
        title = policy.starting_points[used]
        return StartingPoint(
            title=title,
            selection=None,
            reason=Reason(
                code="leadership_selection_missing",
                message=f"No difficulty selection; the academy starts as for {used.value}: {title}, "
                f"level {policy.levels[used].value}.",
            ),
        )
    title = policy.starting_points[selection]
    return StartingPoint(
        title=title,
        selection=selection,
        reason=Reason(
            code="leadership_selection_mapped",
            message=f"Selection {selection.value} starts at {title}, level {policy.levels[selection].value}.",
        ),
    )


# --- the identity -----------------------------------------------------------------


@frozen(kw_only=True)
class IdentityPart:
    """One pillar of the identity: the learner's own words with their provenance, or a prompt.

    Attributes:
        pillar: value, impact or purpose.
        sources: the statement's answers this part is seeded from (empty for a prompt).
        prompt: what to ask the learner when they have not said it yet (``None`` when seeded).
        reason: ``identity_part_seeded`` or ``identity_part_prompted``.
    """

    pillar: Pillar
    sources: tuple[AnswerSource, ...] = field(converter=_sources)
    prompt: str | None = field()
    reason: Reason

    @prompt.validator
    def _check(self, _attribute: object, prompt: str | None) -> None:
        if (prompt is None) == (not self.sources):
            raise InvalidValueError(field="prompt", reason="a part has either sources or a prompt")

    @property
    def answers(self) -> tuple[str, ...]:
        """The learner's words, one per source (empty for a prompt)."""
        return tuple(source.text for source in self.sources)

    @property
    def is_prompt(self) -> bool:
        """``True`` when the learner still has to supply this part."""
        return self.prompt is not None


@frozen(kw_only=True)
class LeadershipIdentity:
    """The leadership identity seeded at onboarding (SPEC §7).

    Attributes:
        value: from the identity answers.
        impact: from ``what_achieve``.
        purpose: from ``why_cyber``.
        starting_point: the first module, by difficulty selection.
        level: the leadership level, by difficulty selection.
        reflection_prompt: the level's reflection prompt.
        session_id: the profiler session the statement was composed from, when known.
        policy: the policy that seeded it.
    """

    value: IdentityPart
    impact: IdentityPart
    purpose: IdentityPart
    starting_point: StartingPoint
    level: LeadershipLevel
    reflection_prompt: ReflectionPrompt
    session_id: SessionId | None = field(converter=_to_optional_id, validator=_valid_optional_id)
    policy: PolicyRef

    @property
    def parts(self) -> tuple[IdentityPart, IdentityPart, IdentityPart]:
        """Value, Impact, Purpose, in that order."""
        return (self.value, self.impact, self.purpose)

    @property
    def missing(self) -> tuple[Pillar, ...]:
        """The pillars the learner still has to supply."""
        return tuple(part.pillar for part in self.parts if part.is_prompt)


def _part(statement: ValueStatement, pillar: Pillar, policy: LeadershipPolicy) -> IdentityPart:
    sentence = statement.sentence_for(pillar)
    if sentence is None:
        return IdentityPart(
            pillar=pillar,
            sources=(),
            prompt=policy.prompts[pillar],
            reason=Reason(
                code="identity_part_prompted",
                message=f"The statement has no {pillar.value} answer: the learner supplies it at onboarding.",
            ),
        )
    keys = ", ".join(source.key for source in sentence.sources)
    return IdentityPart(
        pillar=pillar,
        sources=sentence.sources,
        prompt=None,
        reason=Reason(
            code="identity_part_seeded",
            message=f"{pillar.value.title()} is seeded from {keys} (template {sentence.template_id}).",
        ),
    )


def seed_leadership_identity(
    statement: ValueStatement,
    *,
    difficulty_selection: DifficultySelection | None,
    session_id: IdLike | None = None,
    policy: LeadershipPolicy = DEFAULT_LEADERSHIP_POLICY,
) -> LeadershipIdentity:
    """Seed Value, Impact and Purpose from *statement*'s sources (SPEC §7).

    Each part carries the statement's sources for its pillar (identity answers
    for Value, ``what_achieve`` for Impact, ``why_cyber`` for Purpose); a
    part the statement lacks becomes the policy's prompt. The starting point
    and the level come from *difficulty_selection* (a missing one counts as
    ``policy.default_selection``); the reflection prompt from the level.

    >>> from profiler_core import Reflection
    >>> from profiler_core.portfolio import compose_value_statement
    >>> identity = seed_leadership_identity(
    ...     compose_value_statement(Reflection(why_cyber="People deserve safety")),
    ...     difficulty_selection=DifficultySelection.INTERMEDIATE,
    ... )
    >>> identity.purpose.answers, [p.value for p in identity.missing]
    (('People deserve safety',), ['value', 'impact'])
    >>> identity.starting_point.title, identity.level.value, identity.reflection_prompt.min_sentences
    ('Team Leadership', 'intermediate', 6)
    """
    level = leadership_level(difficulty_selection, policy=policy)
    return LeadershipIdentity(
        value=_part(statement, Pillar.VALUE, policy),
        impact=_part(statement, Pillar.IMPACT, policy),
        purpose=_part(statement, Pillar.PURPOSE, policy),
        starting_point=starting_point(difficulty_selection, policy=policy),
        level=level,
        reflection_prompt=reflection_prompt(level),
        session_id=session_id,
        policy=policy.ref,
    )


# --- onboarding -------------------------------------------------------------------


@frozen(kw_only=True)
class OnboardingStep:
    """One step of the academy's onboarding.

    Attributes:
        id: stable step id (``review_value_statement``, ``value``, ``impact``,
            ``purpose``, ``starting_module``, ``leadership_reflection``).
        title: what the step asks, in a few words.
        uses_value_statement: ``True`` when the step starts from the value statement.
        learner_supplies: the prompt for what the learner must write in this step (``None`` when nothing).
    """

    id: str
    title: str
    uses_value_statement: bool
    learner_supplies: str | None = None


def _steps(values: Iterable[OnboardingStep]) -> tuple[OnboardingStep, ...]:
    return tuple(values)


def _pillars(values: Iterable[Pillar]) -> tuple[Pillar, ...]:
    return tuple(values)


@frozen(kw_only=True)
class OnboardingPlan:
    """The onboarding steps built from an identity.

    Attributes:
        steps: the steps, in order.
        missing_parts: the pillars the learner still has to supply.
    """

    steps: tuple[OnboardingStep, ...] = field(converter=_steps)
    missing_parts: tuple[Pillar, ...] = field(converter=_pillars)

    @property
    def statement_steps(self) -> tuple[str, ...]:
        """The ids of the steps that use the value statement."""
        return tuple(step.id for step in self.steps if step.uses_value_statement)

    @property
    def to_supply(self) -> tuple[str, ...]:
        """The ids of the steps where the learner still has to write something."""
        return tuple(step.id for step in self.steps if step.learner_supplies is not None)


_PILLAR_TITLES = {
    Pillar.VALUE: ("Confirm your Value", "Name your Value"),
    Pillar.IMPACT: ("Confirm your Impact", "Describe your Impact"),
    Pillar.PURPOSE: ("Confirm your Purpose", "Describe your Purpose"),
}


def plan_leadership_onboarding(identity: LeadershipIdentity) -> OnboardingPlan:
    """The onboarding plan: review the statement, confirm or supply each pillar, start, reflect.

    A seeded pillar is *confirmed* from the value statement; a missing one is
    *supplied* by the learner with its prompt. The leadership reflection is
    always the learner's to write, at the level's length.

    >>> from profiler_core.portfolio import compose_value_statement
    >>> plan = plan_leadership_onboarding(
    ...     seed_leadership_identity(compose_value_statement(), difficulty_selection=None)
    ... )
    >>> plan.statement_steps, plan.to_supply
    (('review_value_statement',), ('value', 'impact', 'purpose', 'leadership_reflection'))
    """
    steps = [
        OnboardingStep(
            id="review_value_statement", title="Review your value statement", uses_value_statement=True
        )
    ]
    for part in identity.parts:
        confirm, supply = _PILLAR_TITLES[part.pillar]
        steps.append(
            OnboardingStep(
                id=part.pillar.value,
                title=supply if part.is_prompt else confirm,
                uses_value_statement=not part.is_prompt,
                learner_supplies=part.prompt,
            )
        )
    steps.append(
        OnboardingStep(
            id="starting_module",
            title=f"Start {identity.starting_point.title}",
            uses_value_statement=False,
        )
    )
    steps.append(
        OnboardingStep(
            id="leadership_reflection",
            title="Write your leadership reflection",
            uses_value_statement=False,
            learner_supplies=identity.reflection_prompt.text,
        )
    )
    return OnboardingPlan(steps=steps, missing_parts=identity.missing)
