"""Gap sources other than the profiler (SPEC §4): skill assessments and mission stages.

:func:`skill_assessment_gaps` reads skill assessments (:class:`SkillAssessment`
values or the raw ``{skill_code: {score, level}}`` mapping, read with
:func:`parse_skill_assessments`); :func:`mission_gaps` gives the skills a
mission stage needs. Both return canonical, merged gaps
(:func:`profiler_core.gaps.merge_gaps`) with direct codes. Every name here is
also importable from :mod:`profiler_core.gaps` and :mod:`profiler_core`.

Imports ``decisions``, ``errors``, ``models``, ``taxonomy``, ``gaps``,
``vocabulary`` and the dependency-free ``_numbers``; never the wire edge.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from attrs import field, frozen

from profiler_core._numbers import parse_number
from profiler_core.decisions import Reason
from profiler_core.errors import InvalidPayloadError, Problem
from profiler_core.field_rules import _in_score_range, _score_check
from profiler_core.gap_values import _non_blank
from profiler_core.gaps import DEFAULT_GAP_POLICY, Gap, GapPolicy, merge_gaps
from profiler_core.models import Mission
from profiler_core.taxonomy import MatchKind, normalise_code
from profiler_core.vocabulary import GapType, Priority

__all__ = [
    "SkillAssessment",
    "parse_skill_assessments",
    "skill_assessment_gaps",
    "mission_gaps",
]


@frozen(kw_only=True)
class SkillAssessment:
    """One skill assessment: a skill code, a 0..100 score and an optional level.

    The level is kept for the host; only the score decides whether it is a gap.
    """

    skill_code: str = field(converter=normalise_code, validator=_non_blank)
    score: float = field(validator=_score_check)
    level: str | None = None


def parse_skill_assessments(data: Mapping[str, object]) -> tuple[SkillAssessment, ...]:
    """Read ``{skill_code: {score, level}}`` (or ``{skill_code: score}``), sorted by code.

    Scores accept numbers and numeric strings (``"55.0"``) in 0..100; ``level``
    is an optional string.

    Raises:
        InvalidPayloadError: listing every problem with its path (``$.NET.score: must be 0..100``).

    >>> parse_skill_assessments({"net": {"score": "55", "level": "beginner"}, "DNS": 80})
    (SkillAssessment(skill_code='DNS', score=80.0, level=None),
     SkillAssessment(skill_code='NET', score=55.0, level='beginner'))
    """
    problems: list[Problem] = []
    found: dict[str, SkillAssessment] = {}
    for raw_code, value in data.items():
        path = f"$.{raw_code}"
        key: object = raw_code  # JSON keys are strings; a host's dict may not be
        code = normalise_code(key) if isinstance(key, str) else ""
        if not code:
            problems.append(Problem(path=path, message="skill code must be a non-blank string"))
            continue
        level: object = None
        raw_score: object = value
        score_path = path
        if isinstance(value, Mapping):
            raw_score, level, score_path = value.get("score"), value.get("level"), f"{path}.score"
        if level is not None and not isinstance(level, str):
            problems.append(Problem(path=f"{path}.level", message="must be a string"))
            level = None
        try:
            score = parse_number(raw_score)
        except ValueError as exc:
            problems.append(Problem(path=score_path, message=str(exc)))
            continue
        if not _in_score_range(score):
            problems.append(Problem(path=score_path, message="must be 0..100"))
            continue
        if code in found:
            problems.append(Problem(path=path, message=f"duplicates skill code {code} after normalisation"))
            continue
        found[code] = SkillAssessment(
            skill_code=code, score=score, level=level if isinstance(level, str) else None
        )
    if problems:
        raise InvalidPayloadError(problems, type_name="SkillAssessment")
    return tuple(found[code] for code in sorted(found))


def skill_assessment_gaps(
    assessments: Iterable[SkillAssessment] | Mapping[str, object],
    *,
    policy: GapPolicy = DEFAULT_GAP_POLICY,
    source: str = "skill_assessment",
) -> tuple[Gap, ...]:
    """Gaps from skill assessments: a score below ``assessment_gap_below`` (70) is a gap.

    Accepts :class:`SkillAssessment` values or the raw ``{skill_code: {score, level}}``
    mapping (read with :func:`parse_skill_assessments`). Each gap's category and only
    code is the skill code (match ``direct``); its source is *source*.

    Raises:
        InvalidPayloadError: a raw mapping breaks the shape.

    >>> [(g.category, g.priority.value) for g in skill_assessment_gaps({"NET": {"score": 55}, "DNS": 70})]
    [('NET', 'medium')]
    """
    items = parse_skill_assessments(assessments) if isinstance(assessments, Mapping) else tuple(assessments)
    gaps = []
    for item in items:
        priority = policy.assessment_priority_for(item.score)
        if priority is None:
            continue
        gaps.append(
            Gap(
                type=GapType.SKILL_ASSESSMENT,
                category=item.skill_code,
                priority=priority,
                score=item.score,
                skill_codes=(item.skill_code,),
                match=MatchKind.DIRECT,
                sources=(source,),
                reasons=(
                    Reason(
                        code="skill_assessment_gap",
                        message=f"Skill {item.skill_code} assessed {item.score:g} "
                        f"(< {policy.assessment_gap_below:g}): {priority.value} priority.",
                    ),
                ),
            )
        )
    return merge_gaps(gaps)


def _subtask_index(mission: Mission, current_subtask: int | str | None) -> int | None:
    if current_subtask is None:
        return None
    if isinstance(current_subtask, int):
        return current_subtask if 0 <= current_subtask < len(mission.subtasks) else None
    return next((i for i, s in enumerate(mission.subtasks) if s.id == current_subtask), None)


def mission_gaps(
    mission: Mission,
    *,
    current_subtask: int | str | None = 0,
    policy: GapPolicy = DEFAULT_GAP_POLICY,
) -> tuple[Gap, ...]:
    """Gaps for a mission stage: the current and next subtask's required skills and the mission's tags.

    *current_subtask* is a 0-based index or a subtask id (default: the first
    subtask); ``None``, an index out of range or an unknown id mean no current
    subtask, and only the tags count. Each code is one ``mission`` gap (match
    ``direct``, source ``mission:<id>``) with the policy's priority for the part
    it came from; a code in several parts keeps the highest.

    >>> from profiler_core import Mission, MissionDifficulty, Subtask
    >>> mission = Mission(
    ...     id="m-1",
    ...     code="M1",
    ...     title="Recon",
    ...     difficulty=MissionDifficulty.BEGINNER,
    ...     skills_tags=("NET",),
    ...     subtasks=(
    ...         Subtask(id="t1", required_skills=("LINUX",)),
    ...         Subtask(id="t2", required_skills=("DOC",)),
    ...     ),
    ... )
    >>> [(g.category, g.priority.value) for g in mission_gaps(mission)]
    [('LINUX', 'high'), ('DOC', 'medium'), ('NET', 'low')]
    """
    gaps = [
        Gap(
            type=GapType.MISSION,
            category=normalise_code(skill),
            priority=priority,
            skill_codes=(skill,),
            match=MatchKind.DIRECT,
            sources=(f"mission:{mission.id}",),
            reasons=(reason,),
        )
        for codes, priority, reason in _mission_needs(
            mission, _subtask_index(mission, current_subtask), policy
        )
        for skill in codes
        if skill.strip()
    ]
    return merge_gaps(gaps)


_Need = tuple[Iterable[str], Priority, Reason]


def _mission_needs(mission: Mission, index: int | None, policy: GapPolicy) -> list[_Need]:
    """The skills the mission needs, each group with its priority and why: current, next subtask, tags."""
    needs: list[_Need] = []
    if index is not None:
        current = policy.mission_current_priority
        needs.append(_subtask_need(mission, index, current, code="mission_current_subtask", which="current"))
        if index + 1 < len(mission.subtasks):
            following = policy.mission_next_priority
            needs.append(
                _subtask_need(mission, index + 1, following, code="mission_next_subtask", which="next")
            )
    tags = policy.mission_tag_priority
    tagged = Reason(
        code="mission_skill_tag",
        message=f"Mission {mission.id} is tagged with this skill ({tags.value} priority).",
    )
    needs.append((mission.skills_tags, tags, tagged))
    return needs


def _subtask_need(mission: Mission, index: int, priority: Priority, *, code: str, which: str) -> _Need:
    reason = Reason(
        code=code,
        message=f"Mission {mission.id} needs this skill for the {which} subtask ({priority.value} priority).",
    )
    return mission.subtasks[index].required_skills, priority, reason
