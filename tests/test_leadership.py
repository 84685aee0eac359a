"""Tests for profiler_core.leadership: retrieval, the VIP identity, starting point, level, onboarding."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from profiler_core import (
    DifficultySelection,
    EntryId,
    IdentityResponse,
    PortfolioEntry,
    Reason,
    Reflection,
    SessionId,
    UserId,
)
from profiler_core.errors import InvalidValueError, PolicyError
from profiler_core.leadership import (
    DEFAULT_LEADERSHIP_POLICY,
    VALUE_STATEMENT_NOT_FOUND_MESSAGE,
    IdentityPart,
    LeadershipIdentity,
    LeadershipLevel,
    LeadershipPolicy,
    LeadershipStatement,
    StatementNotFound,
    leadership_level,
    leadership_statement,
    plan_leadership_onboarding,
    reflection_prompt,
    seed_leadership_identity,
    starting_point,
)
from profiler_core.portfolio import AnswerField, Pillar, ValueStatement, compose_value_statement
from profiler_core.testing.strategies_portfolio import leadership_identities, value_statements

NOW = datetime(2026, 5, 1, tzinfo=UTC)
LEARNER = UserId("u-1")

COMPLETE = compose_value_statement(
    Reflection(why_cyber="People deserve to be safe online", what_achieve="Lead a blue team"),
    [
        IdentityResponse(question_id="q1", text="integrity"),
        IdentityResponse(question_id="q2", text="curiosity"),
    ],
)


def stored(**changes: Any) -> PortfolioEntry:
    base = PortfolioEntry(
        id=EntryId("e-1"),
        user_id=LEARNER,
        title="My Value Statement",
        summary="Text.",
        item_type="reflection",
        status="approved",
        profiler_session_id=SessionId("s-1"),
    )
    return attrs.evolve(base, **changes)


class TestLeadershipStatement:
    def test_not_found_has_the_exact_message(self) -> None:
        """No entry gives the typed not-found outcome with SPEC §7's message."""
        outcome = leadership_statement(None, learner_id=LEARNER)
        assert isinstance(outcome, StatementNotFound)
        assert outcome.message == "Value statement not found. Please complete profiler first."
        assert outcome.message == VALUE_STATEMENT_NOT_FOUND_MESSAGE
        assert outcome.reason.code == "value_statement_not_found"
        assert outcome.learner_id == LEARNER

    @pytest.mark.parametrize(("edited_at", "edited"), [(None, False), (NOW, True)])
    def test_found_shows_the_entry_text(self, edited_at: datetime | None, edited: bool) -> None:
        """A found statement shows the entry's text, the learner's edit included."""
        outcome = leadership_statement(
            stored(summary="My words.", learner_edited_at=edited_at), learner_id=LEARNER
        )
        assert isinstance(outcome, LeadershipStatement)
        assert outcome.text == "My words."
        assert outcome.is_learner_edited is edited

    def test_another_learners_entry_is_refused(self) -> None:
        """Handing in someone else's entry is a host error."""
        with pytest.raises(InvalidValueError) as info:
            leadership_statement(stored(user_id=UserId("u-2")), learner_id=LEARNER)
        assert info.value.field == "entry.user_id"


class TestStartingPointAndLevel:
    @pytest.mark.parametrize(
        ("selection", "title", "level", "code"),
        [
            (
                DifficultySelection.NOVICE,
                "Security Program Management Basics",
                LeadershipLevel.BEGINNER,
                "leadership_selection_mapped",
            ),
            (
                DifficultySelection.BEGINNER,
                "Risk Management Fundamentals",
                LeadershipLevel.BEGINNER,
                "leadership_selection_mapped",
            ),
            (
                DifficultySelection.INTERMEDIATE,
                "Team Leadership",
                LeadershipLevel.INTERMEDIATE,
                "leadership_selection_mapped",
            ),
            (
                DifficultySelection.ADVANCED,
                "Strategic Security Leadership",
                LeadershipLevel.ADVANCED,
                "leadership_selection_mapped",
            ),
            (
                DifficultySelection.ELITE,
                "Executive Security Leadership",
                LeadershipLevel.MASTERY,
                "leadership_selection_mapped",
            ),
            (
                None,
                "Security Program Management Basics",
                LeadershipLevel.BEGINNER,
                "leadership_selection_missing",
            ),
        ],
    )
    def test_by_difficulty_selection(
        self, selection: DifficultySelection | None, title: str, level: LeadershipLevel, code: str
    ) -> None:
        """Each selection has its starting module and level; no selection starts as novice, with a reason."""
        point = starting_point(selection)
        assert (point.title, point.selection, point.reason.code) == (title, selection, code)
        assert leadership_level(selection) is level

    @pytest.mark.parametrize(
        ("level", "low", "high"),
        [
            (LeadershipLevel.BEGINNER, 5, 7),
            (LeadershipLevel.INTERMEDIATE, 6, 8),
            (LeadershipLevel.ADVANCED, 7, 9),
            (LeadershipLevel.MASTERY, 8, 10),
        ],
    )
    def test_reflection_lengths(self, level: LeadershipLevel, low: int, high: int) -> None:
        """The reflection prompts ask for 5-7, 6-8, 7-9 and 8-10 sentences."""
        prompt = reflection_prompt(level)
        assert (prompt.level, prompt.min_sentences, prompt.max_sentences) == (level, low, high)
        assert level.sentence_range == (low, high)
        assert prompt.text.startswith(f"In {low} to {high} sentences, ")


class TestLeadershipPolicy:
    def test_default(self) -> None:
        """The default policy is leadership@1 and starts a missing selection as novice."""
        assert str(DEFAULT_LEADERSHIP_POLICY.ref) == "leadership@1"
        assert DEFAULT_LEADERSHIP_POLICY.default_selection is DifficultySelection.NOVICE

    @pytest.mark.parametrize(
        "changes",
        [
            {"starting_points": {DifficultySelection.NOVICE: "Basics"}},
            {"levels": {}},
            {"prompts": {Pillar.VALUE: "Values?"}},
            {"prompts": {Pillar.VALUE: " ", Pillar.IMPACT: "Impact?", Pillar.PURPOSE: "Purpose?"}},
        ],
    )
    def test_incomplete_policies_are_refused(self, changes: dict[str, Any]) -> None:
        """Every selection needs a starting point and a level, every pillar a non-blank prompt."""
        with pytest.raises(PolicyError):
            attrs.evolve(DEFAULT_LEADERSHIP_POLICY, **changes)

    def test_host_tables(self) -> None:
        """A host policy may start a missing selection elsewhere."""
        policy = LeadershipPolicy(id="leadership-fast", default_selection=DifficultySelection.INTERMEDIATE)
        assert starting_point(None, policy=policy).title == "Team Leadership"
        assert leadership_level(None, policy=policy) is LeadershipLevel.INTERMEDIATE


class TestSeedLeadershipIdentity:
    def test_complete_statement_seeds_every_part_with_provenance(self) -> None:
        """Identity answers give Value, what_achieve Impact, why_cyber Purpose, each with its sources."""
        identity = seed_leadership_identity(
            COMPLETE, difficulty_selection=DifficultySelection.ADVANCED, session_id=SessionId("s-9")
        )
        assert identity.value.answers == ("integrity", "curiosity")
        assert [s.key for s in identity.value.sources] == ["q1", "q2"]
        assert identity.impact.answers == ("Lead a blue team",)
        assert [s.field for s in identity.impact.sources] == [AnswerField.WHAT_ACHIEVE]
        assert identity.purpose.answers == ("People deserve to be safe online",)
        assert [s.field for s in identity.purpose.sources] == [AnswerField.WHY_CYBER]
        assert identity.missing == ()
        assert {p.reason.code for p in identity.parts} == {"identity_part_seeded"}
        assert (identity.level, identity.reflection_prompt.min_sentences) == (LeadershipLevel.ADVANCED, 7)
        assert identity.starting_point.title == "Strategic Security Leadership"
        assert identity.session_id == "s-9"
        assert identity.policy == DEFAULT_LEADERSHIP_POLICY.ref

    @pytest.mark.parametrize(
        ("reflection", "identity_answers", "missing"),
        [
            (Reflection(what_achieve="Lead"), [], (Pillar.VALUE, Pillar.PURPOSE)),
            (Reflection(why_cyber="Why"), [IdentityResponse(question_id="q", text="x")], (Pillar.IMPACT,)),
            (None, [IdentityResponse(question_id="q", text="x")], (Pillar.IMPACT, Pillar.PURPOSE)),
            (None, [], (Pillar.VALUE, Pillar.IMPACT, Pillar.PURPOSE)),
        ],
    )
    def test_missing_parts_become_prompts(
        self,
        reflection: Reflection | None,
        identity_answers: list[IdentityResponse],
        missing: tuple[Pillar, ...],
    ) -> None:
        """A part the statement lacks is the policy's prompt, with reason identity_part_prompted."""
        identity = seed_leadership_identity(
            compose_value_statement(reflection, identity_answers), difficulty_selection=None
        )
        assert identity.missing == missing
        for part in identity.parts:
            if part.pillar in missing:
                assert part.prompt == DEFAULT_LEADERSHIP_POLICY.prompts[part.pillar]
                assert (part.answers, part.reason.code) == ((), "identity_part_prompted")

    def test_a_part_has_sources_or_a_prompt(self) -> None:
        """An identity part with neither (or both) sources and a prompt is refused."""
        reason = Reason(code="identity_part_seeded", message="m")
        with pytest.raises(InvalidValueError):
            IdentityPart(pillar=Pillar.PURPOSE, sources=(), prompt=None, reason=reason)
        with pytest.raises(InvalidValueError):
            IdentityPart(pillar=Pillar.PURPOSE, sources=COMPLETE.sources[:1], prompt="Why?", reason=reason)

    @given(value_statements(hostile=True), st.none() | st.sampled_from(DifficultySelection))
    def test_parts_trace_to_the_statement_or_are_prompts(
        self, statement: ValueStatement, selection: DifficultySelection | None
    ) -> None:
        """Each part is either exactly the statement's sources for its pillar, or a prompt without sources."""
        identity = seed_leadership_identity(statement, difficulty_selection=selection)
        feeds = {Pillar.VALUE: AnswerField.IDENTITY, Pillar.IMPACT: AnswerField.WHAT_ACHIEVE}
        for part in identity.parts:
            if part.is_prompt:
                assert part.sources == ()
                assert statement.sentence_for(part.pillar) is None
            else:
                assert set(part.sources) <= set(statement.sources)
                assert {s.field for s in part.sources} == {feeds.get(part.pillar, AnswerField.WHY_CYBER)}
                assert all(answer in statement.text for answer in part.answers)


class TestOnboardingPlan:
    def test_seeded_identity(self) -> None:
        """A complete identity confirms each part from the statement; only the reflection is left to write."""
        identity = seed_leadership_identity(COMPLETE, difficulty_selection=DifficultySelection.ELITE)
        plan = plan_leadership_onboarding(identity)
        assert [(s.id, s.title) for s in plan.steps] == [
            ("review_value_statement", "Review your value statement"),
            ("value", "Confirm your Value"),
            ("impact", "Confirm your Impact"),
            ("purpose", "Confirm your Purpose"),
            ("starting_module", "Start Executive Security Leadership"),
            ("leadership_reflection", "Write your leadership reflection"),
        ]
        assert plan.statement_steps == ("review_value_statement", "value", "impact", "purpose")
        assert plan.to_supply == ("leadership_reflection",)
        assert plan.missing_parts == ()
        assert plan.steps[-1].learner_supplies == reflection_prompt(LeadershipLevel.MASTERY).text

    def test_partial_identity(self) -> None:
        """Missing parts are steps the learner supplies, with their prompts."""
        identity = seed_leadership_identity(
            compose_value_statement(Reflection(why_cyber="Why")), difficulty_selection=None
        )
        plan = plan_leadership_onboarding(identity)
        assert plan.statement_steps == ("review_value_statement", "purpose")
        assert plan.to_supply == ("value", "impact", "leadership_reflection")
        assert plan.missing_parts == (Pillar.VALUE, Pillar.IMPACT)
        value_step = plan.steps[1]
        assert (value_step.title, value_step.learner_supplies) == (
            "Name your Value",
            DEFAULT_LEADERSHIP_POLICY.prompts[Pillar.VALUE],
        )

    @given(leadership_identities())
    def test_plan_covers_every_part(self, identity: LeadershipIdentity) -> None:
        """Every pillar is either confirmed from the statement or supplied by the learner, never both."""
        plan = plan_leadership_onboarding(identity)
        for pillar in Pillar:
            step = next(s for s in plan.steps if s.id == pillar.value)
            assert step.uses_value_statement != (step.learner_supplies is not None)
            assert (pillar in plan.missing_parts) == (step.learner_supplies is not None)
        assert "leadership_reflection" in plan.to_supply
