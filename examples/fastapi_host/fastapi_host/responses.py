"""Response models: the JSON each endpoint returns, so the OpenAPI document describes it.

Every body is the library's own JSON for a value: :func:`profiler_core.unstructure`
of it (the library's one rendering of every value, endpoint bodies included);
these pydantic models mirror those shapes. They forbid extra keys, so a field the
library adds (or renames) fails this host's tests instead of silently
disappearing from the document. Vocabulary fields use the library's own enums,
so the document lists their values.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema

from profiler_core import (
    DifficultySelection,
    GapType,
    JobLevel,
    MissionDifficulty,
    Priority,
    RecipeDifficulty,
    TrackKey,
    Visibility,
)
from profiler_core.access import ResultsView
from profiler_core.leadership import LeadershipLevel
from profiler_core.mapping import EvidenceFlag
from profiler_core.matching import MatchComponentKind, MatchStatus
from profiler_core.portfolio import AnswerField, EntryPlanKind, Pillar, StatementCompleteness
from profiler_core.services import ProfilerStatus
from profiler_core.skill_codes import CodeMatchKind
from profiler_core.taxonomy import MatchKind

__all__ = [
    "Body",
    "ERROR_RESPONSES",
    "errors",
    "Timestamp",
    "Count",
    "ReasonOut",
    "ProblemOut",
    "PayloadErrorBody",
    "DeniedBody",
    "NotFoundBody",
    "UnauthenticatedBody",
    "ReasonBody",
    "CeilingDecisionOut",
    "SubtaskOut",
    "MissionOut",
    "EligibleMissionsOut",
    "LearnerMissionsOut",
    "NextMissionOut",
    "GapRefOut",
    "GapOut",
    "GapAnalysisOut",
    "CodeMatchOut",
    "RecipeRecommendationOut",
    "ProfilerRecommendationsOut",
    "ScoresOut",
    "RecommendedTrackOut",
    "BehavioralProfileOut",
    "CategoryScoreOut",
    "ValueStatementViewOut",
    "ReflectionOut",
    "IdentityResponseOut",
    "AntiCheatOut",
    "MenteeResultsOut",
    "PortfolioEntryOut",
    "AnswerSourceOut",
    "StatementSentenceOut",
    "ValueStatementOut",
    "ValueStatementSyncOut",
    "StatementEditOut",
    "StatementEditIn",
    "LeadershipStatementOut",
    "IdentityPartOut",
    "StartingPointOut",
    "ReflectionPromptOut",
    "LeadershipIdentityOut",
    "OnboardingStepOut",
    "OnboardingPlanOut",
    "LeadershipStartOut",
    "JobPostingOut",
    "MatchComponentOut",
    "RecipeLinkOut",
    "SkillRecipesOut",
    "MatchScoreOut",
    "RankedJobOut",
    "TalentMatchesOut",
    "SuppressedOut",
    "ScoreSummaryOut",
    "PopulationFiguresOut",
    "BucketOut",
    "ScoreBlocksOut",
    "PoliciesOut",
    "CohortOut",
    "PopulationReportOut",
    "CohortReportOut",
    "CohortBreakdownOut",
    "EnterpriseReportOut",
    "OchValueStatementOut",
    "OchValueStatementNotFoundBody",
]


class Body(BaseModel):
    """Base of every response model: extra keys are an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid")


def _unset_or(description: str) -> Any:
    """A key the library writes only when it holds something (SPEC §2's kept vocabulary): absent otherwise."""
    return Field(default=None, exclude_if=lambda value: value is None, description=description)


def _empty_or(description: str) -> Any:
    """A list the library writes only when it is non-empty: absent otherwise."""
    return Field(default_factory=list, exclude_if=lambda value: not value, description=description)


# --- shared -------------------------------------------------------------------


class ReasonOut(Body):
    """A reason: a stable snake_case ``code`` and one human sentence."""

    code: str = Field(examples=["selection_mapped"])
    message: str


# --- errors -------------------------------------------------------------------


class ProblemOut(Body):
    """One problem in a request: its JSON path, its machine code and what is wrong."""

    path: str = Field(examples=["$.query.limit"])
    code: str = Field(examples=["out_of_range"], description="One of the library's PROBLEM_CODES.")
    message: str


class PayloadErrorBody(Body):
    """400: ``error_body(InvalidPayloadError)``, every problem with its path."""

    code: Literal["invalid_payload"]
    type: str = Field(description="The type being read: a library type name, or `request`.")
    errors: list[ProblemOut]


class DeniedBody(Body):
    """403: ``["access_denied"]`` for every subject, except for admin and staff (the decision's codes)."""

    code: Literal["access_denied"]
    reason_codes: list[str] = Field(examples=[["access_denied"]])
    detail: str


class NotFoundBody(Body):
    """404: a typed not-found (``kind`` and ``key``) with the library's message."""

    code: str = Field(examples=["value_statement_not_found"])
    kind: str = Field(examples=["value_statement"])
    key: str
    detail: str = Field(examples=["Value statement not found. Please complete profiler first."])


class UnauthenticatedBody(Body):
    """401: no credential (``X-User-Id``, or ``X-Service-Token`` on the completion route), or a wrong one."""

    code: Literal["unauthenticated"]
    detail: str


class ReasonBody(Body):
    """409 or 503: a reason code and its sentence (of the 409s, only ``portfolio_conflict`` is retried)."""

    code: str = Field(examples=["portfolio_unavailable"])
    detail: str


#: ``responses=`` entries for the documented error statuses.
ERROR_RESPONSES: dict[int | str, dict[str, object]] = {
    400: {"model": PayloadErrorBody, "description": "Bad input: every problem with its path."},
    401: {
        "model": UnauthenticatedBody,
        "description": "Missing or unknown `X-User-Id` (example-only); a missing or wrong `X-Service-Token`.",
    },
    403: {
        "model": DeniedBody,
        "description": "Denied: `access_denied`, the same for every subject (admin and staff get the "
        "decision's reason codes; the audit record keeps them).",
    },
    404: {"model": NotFoundBody, "description": "A typed not-found, with the library's message."},
    409: {
        "model": ReasonBody,
        "description": "The write conflicts: `portfolio_conflict` (a concurrent write won twice; safe to "
        "retry), `session_owner_conflict` or `session_already_completed` (never retry).",
    },
    503: {"model": ReasonBody, "description": "A repository failed and there is nothing to show."},
}


def errors(*statuses: int) -> dict[int | str, dict[str, object]]:
    """The ``responses=`` argument documenting *statuses*."""
    return {status: ERROR_RESPONSES[status] for status in statuses}


# --- missions -----------------------------------------------------------------


class CeilingDecisionOut(Body):
    """``CeilingDecision``: the highest mission difficulty the learner may see, and why."""

    ceiling: MissionDifficulty
    selection: DifficultySelection | None
    session_id: str | None
    reasons: list[ReasonOut]
    evidence: EvidenceFlag
    policy: str = Field(examples=["difficulty@1"], description="id@version")


class SubtaskOut(Body):
    """A mission subtask."""

    id: str | None
    title: str
    required_skills: list[str]


class MissionOut(Body):
    """A mission of the catalogue."""

    id: str
    code: str
    title: str
    difficulty: MissionDifficulty
    track: TrackKey | None
    track_label: str | None = _unset_or(
        "The row's track text when it is not a track (kept, never filtered on)."
    )
    tier: str | None
    is_active: bool
    skills_tags: list[str]
    subtasks: list[SubtaskOut]
    recipe_recommendations: list[str]
    points_required: int | None = Field(
        default=None, ge=0, description="The points that unlock the mission (null: no points gate)."
    )


class EligibleMissionsOut(Body):
    """``EligibleMissions``: the missions the ceiling admits (easiest first) and the next one."""

    decision: CeilingDecisionOut
    missions: list[MissionOut]
    next_mission: MissionOut | None
    empty_reason: ReasonOut | None
    reasons: list[ReasonOut] = _empty_or("Notes on the catalogue (mission_track_unknown): only when some.")


class PlannedMissionOut(Body):
    """``PlannedMission``: one mission of the week's plan and why it is there."""

    mission: MissionOut
    reasons: list[ReasonOut]


class LockedMissionOut(Body):
    """``LockedMission``: an eligible mission locked by points, and what unlocks it."""

    mission: MissionOut
    points_required: int = Field(ge=0)
    points: int = Field(ge=0)
    reason: ReasonOut


class LearnedCeilingOut(Body):
    """``LearnedCeiling``: the profiler's ceiling, as mission evidence moved it under an opt-in policy."""

    base: CeilingDecisionOut
    ceiling: MissionDifficulty
    suggested_step: MissionDifficulty | None
    reasons: list[ReasonOut]
    submission_ids: list[str]
    policy: str | None = Field(examples=["difficulty-evidence@1"], description="id@version, null by default")


class MissionPlanOut(Body):
    """``MissionPlan``: the week's next missions (first to do first), the locked ones, and why."""

    ceiling: LearnedCeilingOut
    demonstrated: MissionDifficulty | None
    target_step: MissionDifficulty
    missions: list[PlannedMissionOut]
    locked: list[LockedMissionOut]
    reasons: list[ReasonOut]
    empty_reason: ReasonOut | None
    policy: str = Field(examples=["mission-plan@1"], description="id@version")


class LearnerMissionsOut(Body):
    """``LearnerMissions``: the student mission list, and the week's plan (``services.mission_plan``)."""

    learner_id: str
    result: EligibleMissionsOut
    degraded: bool = Field(description="A repository failed and a default was used (see the reasons).")
    plan: MissionPlanOut | None = Field(default=None, description="The week's plan and the locked missions.")


class NextMissionOut(Body):
    """The mission dashboard's card: the next mission (the plan's first) and the ceiling decision."""

    learner_id: str
    decision: CeilingDecisionOut
    next_mission: MissionOut | None = Field(
        description="The plan's first mission (never one the learner completed); null when the plan is empty."
    )
    eligible_count: int = Field(ge=0)
    empty_reason: ReasonOut | None = Field(
        description="Why the plan is empty (the plan's absence); null when there is a next mission."
    )
    degraded: bool
    plan: MissionPlanOut | None = Field(default=None, description="The week's plan and the locked missions.")


# --- recipes ------------------------------------------------------------------


class GapRefOut(Body):
    """Which gap a recipe addresses: its type, category and priority."""

    type: GapType
    category: str
    priority: Priority


class GapOut(Body):
    """A skill gap with its evidence, its skill codes and how they were found."""

    type: GapType
    category: str
    priority: Priority
    score: float | None
    evidence: int | None
    low_evidence: bool = Field(description="Rests on little or no evidence: flagged, never hidden.")
    skill_codes: list[str]
    match: MatchKind
    taxonomy_key: str | None
    sources: list[str]
    reasons: list[ReasonOut]


class GapAnalysisOut(Body):
    """The learner's gaps and the skill codes that close them."""

    learner_id: str | None
    session_id: str | None
    profiler_completed: bool
    gaps: list[GapOut]
    recommended_skill_codes: list[str]
    reasons: list[ReasonOut]
    policy: str = Field(examples=["gaps@1"], description="id@version")
    taxonomy: str = Field(examples=["taxonomy@1"], description="id@version")


class CodeMatchOut(Body):
    """A recipe code that relates to a gap's code other than by equality, and how."""

    code: str
    via: str
    kind: CodeMatchKind


class RecipeRecommendationOut(Body):
    """A recipe (its own fields) plus its rank and what it closes."""

    id: str
    slug: str
    title: str
    skill_codes: list[str]
    track_codes: list[TrackKey]
    unknown_track_codes: list[str] = _empty_or("The row's track codes that are not tracks (kept, no part).")
    difficulty: RecipeDifficulty | None = Field(description="null only beside difficulty_label.")
    difficulty_label: str | None = _unset_or("The row's difficulty when it is not one of ours (mastery).")
    estimated_minutes: int
    usage_count: int
    avg_rating: float
    is_active: bool
    rank: int = Field(ge=1)
    gain: int
    coverage: int
    addressed_gaps: list[GapRefOut]
    closes: list[GapRefOut]
    addressed_codes: list[str]
    fallback: bool
    reasons: list[ReasonOut]
    code_matches: list[CodeMatchOut] = _empty_or("Codes related other than by equality (crosswalk...).")


class ProfilerRecommendationsOut(Body):
    """``unstructure(ProfilerRecommendations)``: the platform's recommendations body."""

    gaps_analysis: GapAnalysisOut
    recommended_recipes: list[RecipeRecommendationOut]
    total_gaps: int
    total_skills: int
    profiler_status: ProfilerStatus
    message: str
    fallback: bool = Field(description="The list is the popularity fallback (no completed profiler).")
    degraded: bool
    reasons: list[ReasonOut]
    policy: str = Field(examples=["recipe-ranking@1"], description="id@version")


# --- mentorship: a mentee's results -------------------------------------------

#: A timestamp as the library writes it (ISO 8601 with offset), passed through verbatim.
Timestamp = Annotated[str, WithJsonSchema({"type": "string", "format": "date-time"})]


class ScoresOut(Body):
    """The four scores a mentor sees (0..100, ``null`` when not measured)."""

    overall: float | None
    aptitude: float | None
    behavioral: float | None
    technical_exposure: float | None


class RecommendedTrackOut(Body):
    """The recommended track key and its confidence (0..1)."""

    track_key: TrackKey | None
    confidence: float | None


class BehavioralProfileOut(Body):
    """Traits (``{category: mean}``), strengths and areas for growth."""

    traits: dict[str, float]
    strengths: list[str]
    areas_for_growth: list[str]


class CategoryScoreOut(Body):
    """One aptitude category: its score and the evidence behind it (``total`` 0 means none)."""

    score: float | None
    correct: int | None
    total: int | None


class ValueStatementViewOut(Body):
    """The value statement as the granted view shows it."""

    entry_id: str | None
    title: str
    summary: str
    visibility: Visibility


class ReflectionOut(Body):
    """The learner's two reflection answers (``self`` and ``admin`` views only)."""

    why_cyber: str | None
    what_achieve: str | None


class IdentityResponseOut(Body):
    """A chosen answer of the Identity & Value module."""

    question_id: str
    text: str


class AntiCheatOut(Body):
    """Anti-cheat data (``admin`` view only)."""

    score: float | None
    flags: list[str]


class MenteeResultsOut(Body):
    """``mentee_results_payload``: exactly the keys of the granted view (``VIEW_FIELDS``).

    Every view has the mentor keys; ``director`` adds ``difficulty_selection``
    and ``track_alignment_percentages``; ``self`` adds ``reflection`` and
    ``identity_responses``; ``admin`` adds ``anti_cheat``. Absent keys are
    absent, never ``null``.
    """

    view: ResultsView
    mentee_id: str
    session_id: str
    completed_at: Timestamp | None
    is_locked: bool
    scores: ScoresOut
    recommended_track: RecommendedTrackOut
    strengths: list[str]
    areas_for_growth: list[str]
    behavioral_profile: BehavioralProfileOut
    aptitude_breakdown: dict[str, CategoryScoreOut]
    value_statement: ValueStatementViewOut | None
    difficulty_selection: DifficultySelection | None = Field(None, description="director view and wider")
    track_alignment_percentages: dict[TrackKey, float] | None = Field(
        None, description="director view and wider"
    )
    reflection: ReflectionOut | None = Field(None, description="self and admin views")
    identity_responses: list[IdentityResponseOut] | None = Field(None, description="self and admin views")
    anti_cheat: AntiCheatOut | None = Field(None, description="admin view only")


# --- portfolio and leadership -------------------------------------------------


class PortfolioEntryOut(Body):
    """A portfolio entry (the value statement is the ``reflection`` linked to a profiler session)."""

    id: str | None
    user_id: str
    title: str
    summary: str
    item_type: str
    status: str
    visibility: Visibility
    profiler_session_id: str | None
    created_at: Timestamp | None
    updated_at: Timestamp | None
    learner_edited_at: Timestamp | None = Field(description="Set once the learner edited the text.")
    suggested_summary: str | None = Field(
        description="A newer composed text, kept beside the learner's edit."
    )


class AnswerSourceOut(Body):
    """An answer a sentence (or identity part) came from."""

    field: AnswerField
    question_id: str | None
    text: str
    truncated: bool


class StatementSentenceOut(Body):
    """One templated sentence of the statement and the answers it came from."""

    template_id: str
    pillar: Pillar | None = Field(description="null for the generic sentence of an empty statement.")
    text: str
    sources: list[AnswerSourceOut]


class ValueStatementOut(Body):
    """The composed value statement: deterministic templating of the learner's own answers."""

    text: str
    completeness: StatementCompleteness
    sentences: list[StatementSentenceOut]
    is_generic: bool
    policy: str = Field(examples=["value-statement@1"], description="id@version")


class ValueStatementSyncOut(Body):
    """``ValueStatementSync``: what one completion did to the learner's value-statement entry."""

    learner_id: str
    session_id: str | None
    statement: ValueStatementOut | None
    plan: EntryPlanKind | None
    entry: PortfolioEntryOut | None
    reasons: list[ReasonOut]
    degraded: bool


class StatementEditOut(Body):
    """An accepted edit: the entry as stored, and ``edit_applied`` or ``edit_unchanged``."""

    learner_id: str
    entry: PortfolioEntryOut
    reason: ReasonOut
    degraded: bool


class StatementEditIn(BaseModel):
    """The learner's own text for their value statement (validated by the library, not here)."""

    summary: str = Field(description="The new statement text; the library cleans and bounds it.")


class LeadershipStatementOut(Body):
    """The learner's value statement, as the academy reads it."""

    user_id: str
    entry: PortfolioEntryOut


class IdentityPartOut(Body):
    """Value, Impact or Purpose: seeded from the statement's answers, or a prompt to complete."""

    pillar: Pillar
    sources: list[AnswerSourceOut]
    prompt: str | None
    reason: ReasonOut


class StartingPointOut(Body):
    """The academy module the learner starts at, from their difficulty selection."""

    title: str
    selection: DifficultySelection | None
    reason: ReasonOut


class ReflectionPromptOut(Body):
    """The leadership reflection prompt of a level (how many sentences to write)."""

    level: LeadershipLevel
    min_sentences: int
    max_sentences: int
    text: str


class LeadershipIdentityOut(Body):
    """Value, Impact, Purpose with provenance, the starting point and the level."""

    value: IdentityPartOut
    impact: IdentityPartOut
    purpose: IdentityPartOut
    starting_point: StartingPointOut
    level: LeadershipLevel
    reflection_prompt: ReflectionPromptOut
    session_id: str | None
    policy: str = Field(examples=["leadership@1"], description="id@version")


class OnboardingStepOut(Body):
    """One onboarding step: whether it uses the value statement, and what the learner supplies."""

    id: str
    title: str
    uses_value_statement: bool
    learner_supplies: str | None


class OnboardingPlanOut(Body):
    """The academy onboarding plan built from the identity."""

    steps: list[OnboardingStepOut]
    missing_parts: list[Pillar]


class LeadershipStartOut(Body):
    """``LeadershipStart``: the statement, the identity seeded from it, and the onboarding plan."""

    learner_id: str
    statement: LeadershipStatementOut
    identity: LeadershipIdentityOut | None
    onboarding: OnboardingPlanOut | None
    reasons: list[ReasonOut]
    degraded: bool


# --- marketplace --------------------------------------------------------------


class JobPostingOut(Body):
    """A job posting (``track`` and ``level`` optional)."""

    id: str
    title: str
    employer_id: str
    job_type: str
    required_skills: list[str]
    is_active: bool
    application_deadline: Timestamp | None
    track: TrackKey | None
    level: JobLevel | None


class MatchComponentOut(Body):
    """One component of a match score and its contribution to it."""

    kind: MatchComponentKind
    value: float | None = Field(ge=0, le=1, description="The fit 0..1; null when neutral (no basis).")
    weight: float = Field(ge=0, le=1)
    contribution: float = Field(ge=0, le=100)


class RecipeLinkOut(Body):
    """A recipe that teaches a missing skill (the whole recipe, in its one wire shape)."""

    id: str
    slug: str
    title: str
    skill_codes: list[str]
    track_codes: list[TrackKey]
    unknown_track_codes: list[str] = _empty_or("The row's track codes that are not tracks (kept, no part).")
    difficulty: RecipeDifficulty | None = Field(description="null only beside difficulty_label.")
    difficulty_label: str | None = _unset_or("The row's difficulty when it is not one of ours (mastery).")
    estimated_minutes: int = Field(ge=0)
    usage_count: int = Field(ge=0)
    avg_rating: float = Field(ge=0, le=5)
    is_active: bool


class SkillRecipesOut(Body):
    """A missing skill and the recipes that teach it."""

    skill: str
    recipes: list[RecipeLinkOut]


class MatchScoreOut(Body):
    """An explainable match (0..100): components, matched and missing skills, reasons."""

    user_id: str
    job_id: str
    score: float = Field(ge=0, le=100)
    components: list[MatchComponentOut]
    matched_skills: list[str]
    missing_skills: list[str]
    skill_recipes: list[SkillRecipesOut]
    reasons: list[ReasonOut]
    session_id: str | None
    policy: str = Field(examples=["matching@1"], description="id@version")


class RankedJobOut(Body):
    """A job in the learner's ranking."""

    rank: int = Field(ge=1)
    job: JobPostingOut
    match: MatchScoreOut


class TalentMatchesOut(Body):
    """``unstructure(TalentMatches)``: the learner's best open jobs, or why there are none."""

    learner_id: str
    status: MatchStatus
    recommended_track: TrackKey | None
    session_id: str | None
    matches: list[RankedJobOut]
    message: str
    reasons: list[ReasonOut]
    policy: str = Field(examples=["matching@1"], description="id@version")
    degraded: bool


# --- analytics ----------------------------------------------------------------


class SuppressedOut(Body):
    """A figure withheld by small-cohort protection: never a number, never 0."""

    suppressed: Literal[True]


#: A published count of learners, or ``{"suppressed": true}``.
Count = int | SuppressedOut


class ScoreSummaryOut(Body):
    """Statistics of one score over at least k learners (order statistics: withheld or on a 5-point grid)."""

    count: Count
    missing: Count
    mean: float
    std: float
    min: float | SuppressedOut
    q1: float | SuppressedOut
    median: float | SuppressedOut
    q3: float | SuppressedOut
    max: float | SuppressedOut


class PopulationFiguresOut(Body):
    """Total, profiled, not profiled (distinct learners) and the profiled percentage (never above 100)."""

    total: Count
    profiled: Count
    not_profiled: Count
    profiled_pct: float | SuppressedOut | None


class BucketOut(Body):
    """One bar of a distribution."""

    key: str
    label: str
    count: Count


class ScoreBlocksOut(Body):
    """The three statistics blocks; a block over fewer than k learners is suppressed."""

    aptitude: ScoreSummaryOut | SuppressedOut
    technical_exposure: ScoreSummaryOut | SuppressedOut
    overall: ScoreSummaryOut | SuppressedOut


class PoliciesOut(Body):
    """The analytics and suppression policies (``id@version``)."""

    analytics: str
    suppression: str


class CohortOut(Body):
    """A cohort (its name is a label; it is identified by id)."""

    id: str
    name: str
    track: TrackKey | None
    track_label: str | None = _unset_or("The row's track text when it is not a track (never counted as one).")
    enterprise_id: str | None


class PopulationReportOut(Body):
    """Every SPEC §9 metric of one population, after suppression (chart-ready)."""

    population: PopulationFiguresOut
    scores: ScoreBlocksOut
    readiness: list[BucketOut]
    tracks: list[BucketOut]
    difficulty: list[BucketOut]
    top_strengths: list[BucketOut]
    completions: list[BucketOut]


class CohortReportOut(Body):
    """``unstructure(CohortReport)``: the cohort dashboard (the population report's keys, flattened)."""

    kind: Literal["cohort_report"]
    cohort: CohortOut
    policies: PoliciesOut
    k: int = Field(ge=1, description="Counts below k are suppressed.")
    population: PopulationFiguresOut
    scores: ScoreBlocksOut
    readiness: list[BucketOut]
    tracks: list[BucketOut]
    difficulty: list[BucketOut]
    top_strengths: list[BucketOut]
    completions: list[BucketOut]
    suppressed_cells: int = Field(ge=0)


class CohortBreakdownOut(Body):
    """One cohort's row of an enterprise report."""

    label: str
    track: TrackKey | None
    track_label: str | None = _unset_or("The cohort's track text when it is not a track.")
    population: PopulationFiguresOut
    overall: ScoreSummaryOut | SuppressedOut
    readiness: list[BucketOut]


class EnterpriseReportOut(Body):
    """``unstructure(EnterpriseReport)``: the rollup over distinct learners and a row per cohort id."""

    kind: Literal["enterprise_report"]
    enterprise_id: str
    cohort_count: int = Field(ge=1)
    policies: PoliciesOut
    k: int = Field(ge=1)
    rollup: PopulationReportOut
    cohorts: dict[str, CohortBreakdownOut] = Field(description="Keyed by cohort id.")
    suppressed_cells: int = Field(ge=0)


# --- the OCH platform's value-statement bodies (added for issue 13) -------------


class OchValueStatementOut(LeadershipStartOut):
    """``GET /value-statement``: ``profiler_core.och.value_statement_body`` beside ``LeadershipStart``.

    The OCH frontend reads the FastAPI service's ``value_statement``,
    ``session_id`` and ``ready_for_portfolio``; ``created_at``,
    ``profiler_session_id``, ``status`` and ``visibility`` are the Django
    view's; ``entry_id``, ``title`` and ``body_version`` the library's.
    """

    value_statement: str
    session_id: str | None
    ready_for_portfolio: bool
    created_at: Timestamp | None
    profiler_session_id: str | None
    status: str
    visibility: Visibility
    entry_id: str | None
    title: str
    body_version: str = Field(examples=["och-bodies@1"])


class OchValueStatementNotFoundBody(NotFoundBody):
    """404 of ``GET /value-statement``: the platform's ``{value_statement: null, message}`` and the host's."""

    value_statement: None
    message: str = Field(examples=["Value statement not found. Please complete profiler first."])
