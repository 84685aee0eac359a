"""Scoring one learner against one job (SPEC §8): the four components, their reasons, linked recipes.

:func:`score_match` scores one pair: the job's part that does not depend on
the learner (its distinct skill keys, effective weights and points per
component) is worked out once as a private plan, then each component is scored
with its reasons. :func:`recipes_for_skills` links missing skills to the
recipes that teach them. The rankings that score many pairs are in
:mod:`profiler_core.matching`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence

from attrs import frozen

from profiler_core.decisions import Reason
from profiler_core.errors import InvalidValueError
from profiler_core.frozenmap import FrozenMap
from profiler_core.match_policy import (
    _DEFAULT_LEVEL,
    _SELECTIONS,
    DEFAULT_MATCH_POLICY,
    MatchComponentKind,
    MatchPolicy,
    job_level_for_selection,
    level_fit,
)
from profiler_core.match_results import (
    MatchComponent,
    MatchScore,
    SkillRecipes,
)
from profiler_core.models import (
    IdLike,
    JobPosting,
    Recipe,
    SessionId,
    TalentProfile,
    canonical_id,
)
from profiler_core.recipe_ranking import recipe_popularity_key, recipes_by_code
from profiler_core.skill_codes import DEFAULT_SKILL_CROSSWALK, SkillCrosswalk
from profiler_core.taxonomy import normalise_code
from profiler_core.vocabulary import DifficultySelection, TrackKey

__all__ = ["score_match", "recipes_for_skills"]


def _label(skill: str) -> str:
    return " ".join(skill.split())


class _SkillKeys(dict[str, str]):
    """A per-call memo of :func:`normalise_code` (skill spellings repeat across profiles)."""

    def __missing__(self, skill: str) -> str:
        key = self[skill] = normalise_code(skill)
        return key


class _RelatedIndex(Mapping[str, Sequence[Recipe]]):
    """:func:`recipes_by_code`'s index where a skill also finds the recipes whose codes relate to it.

    The relation is the recipe engine's (:class:`~profiler_core.skill_codes.SkillCrosswalk`):
    a missing ``SIEM`` links to a ``SIEM_RULE_WRITING`` recipe. Exact and related
    recipes alike, by popularity (the ranking does not demote a related match),
    each recipe once. Worked out once per skill.
    """

    def __init__(self, recipes: Iterable[Recipe], crosswalk: SkillCrosswalk) -> None:
        self._exact = recipes_by_code(recipes)
        self._crosswalk = crosswalk
        self._memo: dict[str, tuple[Recipe, ...]] = {}

    def __getitem__(self, skill: str) -> tuple[Recipe, ...]:
        found = self._memo.get(skill)
        if found is None:
            related: dict[str, Recipe] = {r.id: r for r in self._exact.get(skill, ())}
            for code, recipes in self._exact.items():
                if code != skill and self._crosswalk.relate(code, skill) is not None:
                    related.update((r.id, r) for r in recipes)
            found = self._memo[skill] = tuple(sorted(related.values(), key=recipe_popularity_key))
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self._exact)

    def __len__(self) -> int:
        return len(self._exact)


def _recipe_index(recipes: Iterable[Recipe], crosswalk: SkillCrosswalk) -> Mapping[str, Sequence[Recipe]]:
    return _RelatedIndex(recipes, crosswalk)


def _link(
    skills: Iterable[str], index: Mapping[str, Sequence[Recipe]], per_skill: int
) -> tuple[SkillRecipes, ...]:
    linked: dict[str, SkillRecipes] = {}
    for skill in skills:
        key = normalise_code(skill)
        if key and key not in linked:
            linked[key] = SkillRecipes(skill=_label(skill), recipes=index.get(key, [])[:per_skill])
    return tuple(linked.values())


def recipes_for_skills(
    skills: Iterable[str],
    recipes: Iterable[Recipe],
    *,
    per_skill: int = 3,
    crosswalk: SkillCrosswalk = DEFAULT_SKILL_CROSSWALK,
) -> tuple[SkillRecipes, ...]:
    """For each skill, the active recipes tagged with it or with a code that relates to it.

    Skills compare with :func:`profiler_core.taxonomy.normalise_code` (case and
    whitespace); a recipe code also relates to a skill through *crosswalk*, the
    recipe engine's relation (a ``SIEM`` skill links to a ``SIEM_RULE_WRITING``
    recipe; pass an equality-only crosswalk for the equal codes alone). The recipes come from
    the recipe engine's own per-code index,
    :func:`profiler_core.recipe_ranking.recipes_by_code`: de-duplicated by id as the recipe
    ranking does, ordered by :func:`profiler_core.recipe_ranking.recipe_popularity_key`
    (usage count, then rating, both descending, then slug). With a single skill
    to close every candidate covers the same gap weight, so this is
    :func:`profiler_core.recipe_ranking.recommend_recipes` for that skill alone. Skills no
    recipe teaches are listed with no recipes.

    Raises:
        InvalidValueError: *per_skill* is negative.

    >>> from profiler_core import Recipe, RecipeId
    >>> catalogue = [
    ...     Recipe(id=RecipeId("r1"), slug="dns-basics", title="DNS", skill_codes=("DNS",), usage_count=5),
    ...     Recipe(id=RecipeId("r2"), slug="dns-deep", title="DNS+", skill_codes=("dns",), usage_count=9),
    ... ]
    >>> [(s.skill, [r.slug for r in s.recipes]) for s in recipes_for_skills(["Dns", "SIEM"], catalogue)]
    [('Dns', ['dns-deep', 'dns-basics']), ('SIEM', [])]
    """
    if isinstance(per_skill, bool) or per_skill < 0:
        raise InvalidValueError(field="per_skill", reason="must be >= 0")
    return _link(skills, _recipe_index(recipes, crosswalk), per_skill)


@frozen(kw_only=True)
class _Plan:
    """Everything about one job under one policy that does not depend on the learner."""

    job: JobPosting
    labels: tuple[tuple[str, str], ...]  # (key, label) of the distinct required skills, job order
    keys: frozenset[str]
    weights: tuple[float, float, float, float]  # effective weights, in _KINDS order
    # Points of a full fit per component (100 x effective weight). Contributions are
    # computed as points x numerator / denominator so round inputs give round points.
    skills_points: float
    track_points: float
    level_fits: Mapping[DifficultySelection | None, float]
    level_points: Mapping[DifficultySelection | None, float]  # already x level fit
    readiness_points: float
    policy: MatchPolicy


def _plan(job: JobPosting, policy: MatchPolicy) -> _Plan:
    labels: dict[str, str] = {}
    for skill in job.required_skills:
        key = normalise_code(skill)
        if key and key not in labels:
            labels[key] = _label(skill)
    applies = (bool(labels), job.track is not None, job.level is not None, True)
    raw = (policy.skills_weight, policy.track_weight, policy.level_weight, policy.readiness_weight)
    # A neutral component's policy weight is left out of the total, which shares
    # it among the components that apply.
    applied = [float(w) if a else 0.0 for w, a in zip(raw, applies, strict=True)]
    total = sum(applied)
    ws, wt, wl, wr = (w / total if total > 0 else 0.0 for w in applied)
    ps, pt, pl, pr = (100.0 * w / total if total > 0 else 0.0 for w in applied)
    fits: dict[DifficultySelection | None, float] = {}
    if job.level is not None:
        for selection in _SELECTIONS:
            learner = job_level_for_selection(selection) or _DEFAULT_LEVEL
            fits[selection] = level_fit(learner, job.level, policy=policy)
    return _Plan(
        job=job,
        labels=tuple(labels.items()),
        keys=frozenset(labels),
        weights=(ws, wt, wl, wr),
        skills_points=ps,
        track_points=pt,
        level_fits=fits,
        level_points={s: pl * fit for s, fit in fits.items()} or dict.fromkeys(_SELECTIONS, 0.0),
        readiness_points=pr,
        policy=policy,
    )


def _total(skills: float, track: float, level: float, readiness: float) -> float:
    # The one place the contributions are added; the bulk loop repeats this exact expression.
    score = skills + track + level + readiness
    return 100.0 if score > 100.0 else score


def _skills_part(
    plan: _Plan, learner_keys: Collection[str]
) -> tuple[MatchComponent, tuple[str, ...], tuple[str, ...], Reason]:
    matched = tuple(label for key, label in plan.labels if key in learner_keys)
    missing = tuple(label for key, label in plan.labels if key not in learner_keys)
    if not plan.labels:
        reason = Reason(
            code="no_required_skills",
            message=f"Job {plan.job.id} lists no required skills; the skills weight is shared "
            "among the other components.",
        )
        return (
            MatchComponent(kind=MatchComponentKind.SKILLS, value=None, weight=0.0, contribution=0.0),
            (),
            (),
            reason,
        )
    component = MatchComponent(
        kind=MatchComponentKind.SKILLS,
        value=len(matched) / len(plan.labels),
        weight=plan.weights[0],
        contribution=plan.skills_points * len(matched) / len(plan.labels),
    )
    reason = Reason(
        code="skills_coverage",
        message=f"Covers {len(matched)} of {len(plan.labels)} required skills; "
        "skills beyond the job's never lower the score.",
    )
    return component, matched, missing, reason


def _track_part(
    plan: _Plan, track: TrackKey | None, alignment: Mapping[TrackKey, float]
) -> tuple[MatchComponent, Reason]:
    job_track = plan.job.track
    if job_track is None:
        reason = Reason(
            code="track_not_specified",
            message=f"Job {plan.job.id} names no track; the track weight is shared among the "
            "other components.",
        )
        return MatchComponent(kind=MatchComponentKind.TRACK, value=None, weight=0.0, contribution=0.0), reason
    if track is job_track:
        fit, points = 1.0, plan.track_points
        reason = Reason(code="track_same", message=f"The learner's track {track.value} is the job's track.")
    else:
        percentage = alignment.get(job_track)
        fit = 0.0 if percentage is None else percentage / 100.0
        points = 0.0 if percentage is None else plan.track_points * percentage / 100.0
        learner = "none" if track is None else track.value
        if percentage is None:
            reason = Reason(
                code="track_alignment_missing",
                message=f"The learner's track ({learner}) is not the job's track {job_track.value} and no "
                f"alignment with {job_track.value} was measured; track fit 0.",
            )
        else:
            reason = Reason(
                code="track_alignment",
                message=f"The learner's track ({learner}) is not the job's track {job_track.value}; "
                f"their alignment with {job_track.value} is {percentage:g}%.",
            )
    component = MatchComponent(
        kind=MatchComponentKind.TRACK, value=fit, weight=plan.weights[1], contribution=points
    )
    return component, reason


def _level_part(plan: _Plan, selection: DifficultySelection | None) -> tuple[MatchComponent, list[Reason]]:
    job_level = plan.job.level
    if job_level is None:
        reason = Reason(
            code="level_not_specified",
            message=f"Job {plan.job.id} names no level; the level weight is shared among the "
            "other components.",
        )
        return MatchComponent(kind=MatchComponentKind.LEVEL, value=None, weight=0.0, contribution=0.0), [
            reason
        ]
    reasons = []
    learner = job_level_for_selection(selection)
    if learner is None:
        learner = _DEFAULT_LEVEL
        reasons.append(
            Reason(
                code="level_selection_missing",
                message="No difficulty selection was recorded; the entry level is assumed, as the "
                "missions engine assumes ceiling 1.",
            )
        )
    fit = plan.level_fits[selection]
    steps = abs(learner.rank - job_level.rank)
    if steps == 0:
        reasons.append(
            Reason(
                code="level_same", message=f"Profiler level {learner.value} is the job's level; level fit 1."
            )
        )
    else:
        reasons.append(
            Reason(
                code="level_adjacent" if steps == 1 else "level_distant",
                message=f"Profiler level {learner.value} is {steps} step{'s' if steps > 1 else ''} from the "
                f"job level {job_level.value}; level fit {fit:g}.",
            )
        )
    component = MatchComponent(
        kind=MatchComponentKind.LEVEL,
        value=fit,
        weight=plan.weights[2],
        contribution=plan.level_points[selection],
    )
    return component, reasons


def _readiness_part(plan: _Plan, readiness: float | None) -> tuple[MatchComponent, Reason]:
    if readiness is None:
        reason = Reason(
            code="readiness_missing", message="No readiness score is recorded; readiness counts 0."
        )
        value, points = 0.0, 0.0
    else:
        reason = Reason(code="readiness_scored", message=f"Readiness score {readiness:g} of 100.")
        value, points = readiness / 100.0, plan.readiness_points * readiness / 100.0
    component = MatchComponent(
        kind=MatchComponentKind.READINESS, value=value, weight=plan.weights[3], contribution=points
    )
    return component, reason


def _score(
    plan: _Plan,
    profile: TalentProfile,
    *,
    track: TrackKey | None,
    selection: DifficultySelection | None,
    alignment: Mapping[TrackKey, float],
    session_id: SessionId | None,
    recipe_index: Mapping[str, Sequence[Recipe]] | None,
) -> MatchScore:
    learner_track = track if track is not None else profile.primary_track_key
    skills, matched, missing, skills_reason = _skills_part(plan, {normalise_code(s) for s in profile.skills})
    track_component, track_reason = _track_part(plan, learner_track, alignment)
    level_component, level_reasons = _level_part(plan, selection)
    readiness_component, readiness_reason = _readiness_part(plan, profile.readiness_score)
    components = (skills, track_component, level_component, readiness_component)
    reasons = [skills_reason, track_reason, *level_reasons, readiness_reason]
    if not any(plan.weights):
        reasons.append(
            Reason(
                code="nothing_to_weigh",
                message=f"Policy {plan.policy.ref} gives weight 0 to every component that applies to "
                f"job {plan.job.id}; the score is 0.",
            )
        )
    linked = () if recipe_index is None else _link(missing, recipe_index, plan.policy.recipes_per_skill)
    return MatchScore(
        learner_id=profile.user_id,
        job_id=plan.job.id,
        score=_total(*(c.contribution for c in components)),
        components=components,
        matched_skills=matched,
        missing_skills=missing,
        skill_recipes=linked,
        reasons=reasons,
        session_id=session_id,
        policy=plan.policy.ref,
    )


def score_match(
    profile: TalentProfile,
    job: JobPosting,
    *,
    selection: DifficultySelection | None = None,
    alignment: Mapping[TrackKey, float] | None = None,
    track: TrackKey | None = None,
    session_id: IdLike | None = None,
    recipes: Iterable[Recipe] | None = None,
    policy: MatchPolicy = DEFAULT_MATCH_POLICY,
    crosswalk: SkillCrosswalk = DEFAULT_SKILL_CROSSWALK,
) -> MatchScore:
    """Score one learner against one job (SPEC §8).

    The learner's profiler signals come from their latest completed session:
    pass its ``difficulty_selection``, ``track_alignment_percentages`` and
    ``recommended_track`` (:func:`rank_jobs` and :func:`rank_candidates` do
    this for you). Eligibility (open job, searchable profile) is not checked
    here; the rankings check it.

    Args:
        profile: the learner's talent profile (skills and readiness).
        job: the job posting.
        selection: the profiler difficulty selection (``None``: entry level is assumed).
        alignment: the profiler's alignment percentage per track.
        track: the learner's track; ``None`` falls back to ``profile.primary_track_key``.
        session_id: the session the signals came from (recorded on the result).
        recipes: a recipe catalogue; each missing skill then lists the recipes
            that teach it (:func:`recipes_for_skills`).
        policy: the weights.
        crosswalk: how recipe codes relate to a missing skill (:func:`recipes_for_skills`).

    >>> from profiler_core import JobId, JobPosting, JobLevel, TalentProfile, TrackKey, UserId
    >>> job = JobPosting(
    ...     id=JobId("j1"),
    ...     title="SOC Analyst",
    ...     employer_id="e1",
    ...     required_skills=("SIEM", "DNS"),
    ...     track=TrackKey.DEFENDER,
    ...     level=JobLevel.ENTRY,
    ... )
    >>> profile = TalentProfile(user_id=UserId("u1"), skills=("siem", "python"), readiness_score=60)
    >>> match = score_match(profile, job, selection=DifficultySelection.BEGINNER, track=TrackKey.DEFENDER)
    >>> match.score  # 50 x 1/2 + 20 x 1 + 15 x 1 + 15 x 0.6
    69.0
    >>> [(c.kind.value, c.contribution) for c in match.components]
    [('skills', 25.0), ('track', 20.0), ('level', 15.0), ('readiness', 9.0)]
    >>> match.matched_skills, match.missing_skills
    (('SIEM',), ('DNS',))
    """
    plan = _plan(job, policy)
    return _score(
        plan,
        profile,
        track=track,
        selection=selection,
        alignment=alignment if alignment is not None else FrozenMap(),
        session_id=None if session_id is None else SessionId(canonical_id(session_id, field="session_id")),
        recipe_index=None if recipes is None else _recipe_index(recipes, crosswalk),
    )
