"""Recipe engine (SPEC §4): skill gaps from the profiler, and the recipes that close them.

Pure functions over values:

* :class:`Taxonomy` maps categories to skill codes. It is versioned and
  host-overridable (:meth:`Taxonomy.from_dict`, :meth:`Taxonomy.load`,
  :meth:`Taxonomy.extended`); :meth:`Taxonomy.lookup` tries an exact, then a
  normalised, then a substring match and records which one it used.
* :func:`analyze_gaps` turns a completed session (and its result) into a
  :class:`GapAnalysis` under a :class:`GapPolicy`: aptitude categories,
  technical exposure, and behavioral areas for growth (from either
  behavioral-profile shape).
* :func:`skill_assessment_gaps` and :func:`mission_gaps` make gaps from other
  sources; :func:`merge_gaps` and :func:`with_gaps` merge them, each gap keeping
  its sources.
* :func:`recommend_recipes`, :func:`mission_stage_recipes` and
  :func:`next_best_recipes` rank a catalogue by greedy marginal weighted
  coverage and explain every position; without a completed profiler the
  ranking falls back to popularity, labelled as such.
"""

from __future__ import annotations

import enum
import heapq
import itertools
import json
import math
import operator
import os
import re
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence

import attrs
from attrs import field, frozen

from profiler_core.decisions import PolicyRef, Reason
from profiler_core.errors import InvalidPayloadError, InvalidValueError, PolicyError, Problem
from profiler_core.frozenmap import FrozenMap
from profiler_core.models import (
    BehavioralProfile,
    IdLike,
    Mission,
    ProfilerResult,
    ProfilerSession,
    Recipe,
    RecipeId,
    SessionId,
    UserId,
    _to_optional_id,
    _valid_optional_id,
)
from profiler_core.serialization import parse_number, unstructure_object
from profiler_core.vocabulary import GapType, Priority, normalise_token

__all__ = [
    # taxonomy
    "MatchKind",
    "TaxonomyMatch",
    "Taxonomy",
    "DEFAULT_TAXONOMY_CATEGORIES",
    "DEFAULT_TAXONOMY",
    "normalise_code",
    # gaps
    "GapPolicy",
    "DEFAULT_GAP_POLICY",
    "Gap",
    "GapRef",
    "GapAnalysis",
    "SkillAssessment",
    "TECHNICAL_EXPOSURE_CATEGORY",
    "area_for_growth_category",
    "analyze_gaps",
    "empty_analysis",
    "parse_skill_assessments",
    "skill_assessment_gaps",
    "mission_gaps",
    "merge_gaps",
    "with_gaps",
    # ranking
    "RankingPolicy",
    "DEFAULT_RANKING_POLICY",
    "RecipeRecommendation",
    "RecipeRecommendations",
    "recipe_popularity_key",
    "recipes_by_code",
    "recommend_recipes",
    "mission_stage_recipes",
    "next_best_recipes",
]


# --- taxonomy -----------------------------------------------------------------


class MatchKind(enum.StrEnum):
    """How a gap's category found its skill codes.

    ``exact``, ``normalised`` and ``substring`` are the taxonomy lookup's three
    steps; ``direct`` means the gap names its codes itself (a skill assessment
    or a mission); ``unmapped`` means no codes were found.
    """

    EXACT = "exact"
    NORMALISED = "normalised"
    SUBSTRING = "substring"
    DIRECT = "direct"
    UNMAPPED = "unmapped"


_MATCH_ORDER = {kind: index for index, kind in enumerate((*MatchKind,))}


def normalise_code(code: str) -> str:
    """Skill codes compare upper-cased, whitespace trimmed and collapsed (``-`` and ``_`` are kept).

    >>> normalise_code("  tcpip "), normalise_code("incident   response")
    ('TCPIP', 'INCIDENT RESPONSE')
    """
    return " ".join(code.split()).upper()


def _codes(values: Iterable[str]) -> tuple[str, ...]:
    # Normalised and de-duplicated, first appearance kept.
    return tuple(dict.fromkeys(normalise_code(v) for v in values))


def _strings(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(values)


def _reasons(values: Iterable[Reason]) -> tuple[Reason, ...]:
    return tuple(values)


def _category_table(values: Mapping[str, Iterable[str]]) -> FrozenMap[str, tuple[str, ...]]:
    return FrozenMap({key: tuple(normalise_code(code) for code in codes) for key, codes in values.items()})


@frozen(kw_only=True)
class TaxonomyMatch:
    """The outcome of :meth:`Taxonomy.lookup`.

    Attributes:
        category: the category that was looked up, as given.
        key: the taxonomy key it matched (``None`` when unmapped).
        codes: the skill codes of that key (empty when unmapped).
        kind: which lookup step matched.
    """

    category: str
    key: str | None
    codes: tuple[str, ...] = field(converter=_strings)
    kind: MatchKind


#: The default content of SPEC §4: category -> skill codes.
DEFAULT_TAXONOMY_CATEGORIES: Mapping[str, tuple[str, ...]] = FrozenMap(
    {
        "networking": ("NET", "NETW", "TCPIP", "DNS", "HTTP"),
        "security": ("SEC", "SECOPS", "SIEM", "IDS", "IPS"),
        "programming": ("PROG", "PYTHON", "BASH", "SCRIPT"),
        "linux": ("LINUX", "SYSADMIN", "CLI"),
        "windows": ("WIN", "WINDOWS", "POWERSHELL"),
        "cloud": ("CLOUD", "AWS", "AZURE", "GCP"),
        "cryptography": ("CRYPTO", "ENCRYPT", "HASH"),
        "forensics": ("DFIR", "FORENSICS", "INVESTIGATION"),
        "malware": ("MALWARE", "REVERSE", "ANALYSIS"),
        "web": ("WEB", "WEBAPP", "OWASP", "XSS", "SQLI"),
        "technical_exposure": ("TECH", "BASICS", "FUNDAMENTALS"),
        "communication": ("COMM",),
        "leadership": ("LEAD",),
        "documentation": ("DOC",),
    }
)


@frozen(kw_only=True)
class Taxonomy:
    """A versioned map from category to skill codes; hosts may override it.

    Codes are stored normalised (:func:`normalise_code`). Keys are kept as
    given; two keys that normalise alike (``"Web App"`` and ``"web_app"``)
    are rejected.

    Attributes:
        id: taxonomy id (``"taxonomy"``).
        version: taxonomy version.
        categories: category -> skill codes (each non-empty, codes unique).
        min_substring: the shortest normalised text the substring step
            considers, so that ``"it"`` does not match ``"security"``.

    Raises:
        PolicyError: the categories are inconsistent.

    >>> match = DEFAULT_TAXONOMY.lookup("Networking")
    >>> match.kind.value, match.key, match.codes[:2]
    ('normalised', 'networking', ('NET', 'NETW'))
    """

    id: str = "taxonomy"
    version: int = 1
    categories: FrozenMap[str, tuple[str, ...]] = field(converter=_category_table)
    min_substring: int = 3
    _tokens: FrozenMap[str, str] = field(init=False, repr=False, eq=False)

    @categories.validator
    def _check_categories(self, _attribute: object, categories: FrozenMap[str, tuple[str, ...]]) -> None:
        problems: list[str] = []
        seen: dict[str, str] = {}
        for key, codes in categories.items():
            token = normalise_token(key)
            if not token:
                problems.append(f"category {key!r} is blank")
            elif token in seen:
                problems.append(f"categories {seen[token]!r} and {key!r} normalise alike")
            seen.setdefault(token, key)
            if not codes:
                problems.append(f"category {key!r} has no skill codes")
            if any(not code for code in codes):
                problems.append(f"category {key!r} has a blank skill code")
            if len(set(codes)) != len(codes):
                problems.append(f"category {key!r} repeats a skill code")
        if self.min_substring < 1:
            problems.append("min_substring must be >= 1")
        if problems:
            raise PolicyError(policy=f"{self.id}@{self.version}", reason="; ".join(problems))

    def __attrs_post_init__(self) -> None:
        tokens = FrozenMap({normalise_token(key): key for key in self.categories})
        object.__setattr__(self, "_tokens", tokens)

    @property
    def ref(self) -> PolicyRef:
        """The ``id@version`` of this taxonomy."""
        return PolicyRef(id=self.id, version=self.version)

    def lookup(self, category: str) -> TaxonomyMatch:
        """Find the skill codes of *category*: exact, then normalised, then substring either way.

        The substring step compares normalised texts (:func:`~profiler_core.vocabulary.normalise_token`)
        and accepts a key contained in the category or the category contained in a key, when the
        shorter of the two is at least :attr:`min_substring` long. Among several candidates the longest
        overlap wins, then the alphabetically first key. Nothing found is an ``unmapped`` match.

        >>> [DEFAULT_TAXONOMY.lookup(c).kind.value for c in ("web", "Web", "web security", "it")]
        ['exact', 'normalised', 'substring', 'unmapped']
        >>> DEFAULT_TAXONOMY.lookup("web security").key
        'security'
        """
        codes = self.categories.get(category)
        if codes is not None:
            return TaxonomyMatch(category=category, key=category, codes=codes, kind=MatchKind.EXACT)
        token = normalise_token(category)
        key = self._tokens.get(token)
        if key is not None:
            return TaxonomyMatch(
                category=category, key=key, codes=self.categories[key], kind=MatchKind.NORMALISED
            )
        best: tuple[int, str] | None = None
        if len(token) >= self.min_substring:
            for key_token, candidate in self._tokens.items():
                overlap = min(len(key_token), len(token))
                if overlap >= self.min_substring and (key_token in token or token in key_token):
                    rank = (-overlap, candidate)
                    if best is None or rank < best:
                        best = rank
        if best is not None:
            return TaxonomyMatch(
                category=category, key=best[1], codes=self.categories[best[1]], kind=MatchKind.SUBSTRING
            )
        return TaxonomyMatch(category=category, key=None, codes=(), kind=MatchKind.UNMAPPED)

    def extended(
        self, categories: Mapping[str, Sequence[str]], *, version: int, id: str | None = None
    ) -> Taxonomy:
        """A new taxonomy with *categories* added or replaced (matched by normalised key).

        >>> custom = DEFAULT_TAXONOMY.extended({"teamwork": ["TEAM"]}, version=2, id="och-taxonomy")
        >>> str(custom.ref), custom.lookup("teamwork").codes
        ('och-taxonomy@2', ('TEAM',))
        """
        replaced = {normalise_token(key) for key in categories}
        merged: dict[str, Sequence[str]] = {
            key: codes for key, codes in self.categories.items() if normalise_token(key) not in replaced
        }
        merged.update(categories)
        return Taxonomy(
            id=self.id if id is None else id,
            version=version,
            categories=merged,
            min_substring=self.min_substring,
        )

    def to_dict(self) -> dict[str, object]:
        """The plain-dict form that :meth:`from_dict` reads back.

        >>> Taxonomy.from_dict(DEFAULT_TAXONOMY.to_dict()) == DEFAULT_TAXONOMY
        True
        """
        return {
            "id": self.id,
            "version": self.version,
            "min_substring": self.min_substring,
            "categories": {key: list(codes) for key, codes in self.categories.items()},
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> Taxonomy:
        """Build a taxonomy from ``{"id", "version", "categories": {category: [codes]}, "min_substring"?}``.

        Raises:
            PolicyError: listing every problem with its path (``$.categories.web[1]: ...``).

        >>> Taxonomy.from_dict(
        ...     {"id": "och", "version": 3, "categories": {"web": ["web", "OWASP"]}}
        ... ).categories
        FrozenMap({'web': ('WEB', 'OWASP')})
        """
        problems: list[Problem] = []
        ident = data.get("id", "taxonomy")
        if not isinstance(ident, str) or not ident.strip():
            problems.append(Problem(path="$.id", message="must be a non-blank string"))
            ident = "taxonomy"
        version = _positive_int(data.get("version"), "$.version", problems)
        min_substring = _positive_int(data.get("min_substring", 3), "$.min_substring", problems)
        raw = data.get("categories")
        categories: dict[str, list[str]] = {}
        if not isinstance(raw, Mapping):
            problems.append(Problem(path="$.categories", message="must be an object of category -> [codes]"))
        else:
            for key, codes in raw.items():
                path = f"$.categories.{key}"
                if not isinstance(key, str):
                    problems.append(Problem(path=path, message="category must be a string"))
                elif not isinstance(codes, list | tuple):
                    problems.append(Problem(path=path, message="must be a list of skill codes"))
                else:
                    for index, code in enumerate(codes):
                        if not isinstance(code, str) or not code.strip():
                            problems.append(
                                Problem(path=f"{path}[{index}]", message="must be a non-blank string")
                            )
                    categories[key] = [c for c in codes if isinstance(c, str)]
        if problems:
            raise PolicyError(policy=f"{ident}@{version}", reason="; ".join(str(p) for p in problems))
        return cls(id=ident, version=version, categories=categories, min_substring=min_substring)

    @classmethod
    def from_json(cls, text: str) -> Taxonomy:
        """Build a taxonomy from JSON text in the :meth:`from_dict` shape.

        Raises:
            PolicyError: the text is not JSON, or not a valid taxonomy.
        """
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise PolicyError(policy="taxonomy", reason=f"not valid JSON: {exc.msg}") from None
        if not isinstance(data, dict):
            raise PolicyError(policy="taxonomy", reason=f"$: must be an object, got {type(data).__name__}")
        return cls.from_dict(data)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Taxonomy:
        """Read a JSON taxonomy file (UTF-8).

        Raises:
            OSError: the file cannot be read.
            PolicyError: its content is not a valid taxonomy.
        """
        with open(path, encoding="utf-8") as handle:
            return cls.from_json(handle.read())


def _positive_int(value: object, path: str, problems: list[Problem]) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
        return value
    problems.append(Problem(path=path, message="must be a positive integer"))
    return 1


#: The default taxonomy (SPEC §4), ``taxonomy@1``.
DEFAULT_TAXONOMY = Taxonomy(categories=DEFAULT_TAXONOMY_CATEGORIES)


# --- policy -------------------------------------------------------------------


def _check_thresholds(instance: GapPolicy, _attribute: object, _value: object) -> None:
    problems = []
    if not 0 <= instance.high_below <= instance.gap_below <= 100:
        problems.append("need 0 <= high_below <= gap_below <= 100")
    if not 0 <= instance.assessment_high_below <= instance.assessment_gap_below <= 100:
        problems.append("need 0 <= assessment_high_below <= assessment_gap_below <= 100")
    if instance.min_evidence < 0:
        problems.append("min_evidence must be >= 0")
    if instance.trait_growth_below is not None and not math.isfinite(instance.trait_growth_below):
        problems.append("trait_growth_below must be a finite number")
    if problems:
        raise PolicyError(policy=f"{instance.id}@{instance.version}", reason="; ".join(problems))


@frozen(kw_only=True)
class GapPolicy:
    """The versioned rules that turn profiler data into gaps.

    Attributes:
        id: policy id (``"gaps"``).
        version: policy version.
        gap_below: an aptitude category or technical exposure scoring below this is a gap.
        high_below: ...and its priority is high below this, else medium.
        min_evidence: a score backed by fewer questions than this is flagged ``low_evidence``.
        no_evidence_priority: the priority of a category with no evidence at all
            (``total == 0``, or no technical-exposure question answered); ``None``
            lists it only in the analysis reasons instead of as a gap.
        behavioral_priority: the priority of every behavioral gap.
        trait_growth_below: a behavioral trait mean below this is an area for
            growth (so that the flat ``{category: mean}`` profile yields gaps too);
            ``None`` turns trait-derived gaps off.
        assessment_gap_below: a skill assessment scoring below this is a gap.
        assessment_high_below: ...and its priority is high below this, else medium.
        mission_current_priority: priority of the current subtask's required skills.
        mission_next_priority: priority of the next subtask's required skills.
        mission_tag_priority: priority of the mission's ``skills_tags``.

    Raises:
        PolicyError: thresholds out of order or out of range.
    """

    id: str = "gaps"
    version: int = 1
    gap_below: float = 60.0
    high_below: float = 40.0
    min_evidence: int = 3
    no_evidence_priority: Priority | None = Priority.LOW
    behavioral_priority: Priority = Priority.MEDIUM
    trait_growth_below: float | None = 3.0
    assessment_gap_below: float = 70.0
    assessment_high_below: float = field(default=40.0, validator=_check_thresholds)
    mission_current_priority: Priority = Priority.HIGH
    mission_next_priority: Priority = Priority.MEDIUM
    mission_tag_priority: Priority = Priority.LOW

    @property
    def ref(self) -> PolicyRef:
        """The ``id@version`` of this policy."""
        return PolicyRef(id=self.id, version=self.version)

    def priority_for(self, score: float) -> Priority | None:
        """The gap priority of a 0..100 score, or ``None`` when it is not a gap.

        >>> [DEFAULT_GAP_POLICY.priority_for(s) for s in (60, 40, 39.99)]
        [None, <Priority.MEDIUM: 'medium'>, <Priority.HIGH: 'high'>]
        """
        return _priority(score, self.gap_below, self.high_below)

    def assessment_priority_for(self, score: float) -> Priority | None:
        """The gap priority of a skill-assessment score, or ``None`` when it is not a gap."""
        return _priority(score, self.assessment_gap_below, self.assessment_high_below)


def _priority(score: float, gap_below: float, high_below: float) -> Priority | None:
    if score >= gap_below:
        return None
    return Priority.HIGH if score < high_below else Priority.MEDIUM


#: The default policy (SPEC §4): gaps below 60, high below 40, behavioral gaps medium.
DEFAULT_GAP_POLICY = GapPolicy()


# --- gaps ---------------------------------------------------------------------

#: The category of the technical-exposure gap (a key of the default taxonomy).
TECHNICAL_EXPOSURE_CATEGORY = "technical_exposure"

_PRIORITY_RANK = {Priority.HIGH: 0, Priority.MEDIUM: 1, Priority.LOW: 2}
_TYPE_RANK = {gap_type: index for index, gap_type in enumerate(GapType)}


def _optional_score(_inst: object, attribute: attrs.Attribute[float | None], value: float | None) -> None:
    if value is not None and (isinstance(value, bool) or not math.isfinite(value) or not 0 <= value <= 100):
        raise InvalidValueError(field=attribute.name, reason="must be 0..100")


def _score(_inst: object, attribute: attrs.Attribute[float], value: float) -> None:
    if isinstance(value, bool) or not math.isfinite(value) or not 0 <= value <= 100:
        raise InvalidValueError(field=attribute.name, reason="must be 0..100")


def _non_blank(_inst: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not value.strip():
        raise InvalidValueError(field=attribute.name, reason="must not be blank")


def _non_negative(_inst: object, attribute: attrs.Attribute[int | None], value: int | None) -> None:
    if value is not None and value < 0:
        raise InvalidValueError(field=attribute.name, reason="must be >= 0")


@frozen(kw_only=True)
class GapRef:
    """A pointer to a gap, as recipe recommendations name it."""

    type: GapType
    category: str
    priority: Priority

    def to_dict(self) -> dict[str, object]:
        """``{"type", "category", "priority"}`` with plain string values."""
        return {"type": self.type.value, "category": self.category, "priority": self.priority.value}


@frozen(kw_only=True)
class Gap:
    """One skill gap of a learner, with its evidence and how its codes were found.

    Attributes:
        type: where the gap comes from (aptitude, technical, behavioral, skill assessment, mission).
        category: the category (aptitude category, ``technical_exposure``, the behavioral area,
            or the skill code for assessments and missions).
        priority: high, medium or low.
        score: the 0..100 score that made it a gap (``None`` for behavioral and mission
            gaps, and for a category without evidence).
        evidence: how many questions back the score (``None`` when unknown).
        low_evidence: ``True`` when the score rests on fewer questions than the policy's
            ``min_evidence`` (or on none): flagged, never hidden.
        skill_codes: the codes that close it (empty when unmapped).
        match: how the codes were found.
        taxonomy_key: the taxonomy key that matched (``None`` for direct and unmapped).
        sources: where the gap was read (e.g. ``result.aptitude_breakdown``,
            ``skill_assessment``, ``mission:<id>``); merging keeps every source.
        reasons: why it is a gap, and any caveat about its codes or evidence.
    """

    type: GapType
    category: str = field(validator=_non_blank)
    priority: Priority
    score: float | None = field(default=None, validator=_optional_score)
    evidence: int | None = field(default=None, validator=_non_negative)
    low_evidence: bool = False
    skill_codes: tuple[str, ...] = field(default=(), converter=_codes)
    match: MatchKind = MatchKind.UNMAPPED
    taxonomy_key: str | None = None
    sources: tuple[str, ...] = field(default=(), converter=_strings)
    reasons: tuple[Reason, ...] = field(default=(), converter=_reasons)

    @property
    def key(self) -> tuple[GapType, str]:
        """The gap's identity: its type and normalised category (merging joins equal keys)."""
        return (self.type, normalise_token(self.category))

    @property
    def ref(self) -> GapRef:
        """A :class:`GapRef` to this gap."""
        return GapRef(type=self.type, category=self.category, priority=self.priority)

    @property
    def reason_codes(self) -> tuple[str, ...]:
        """The codes of :attr:`reasons`, in order."""
        return tuple(r.code for r in self.reasons)

    def to_dict(self) -> dict[str, object]:
        """The JSON shape of a gap (see ``docs/reference/gaps.md``)."""
        return {
            "type": self.type.value,
            "category": self.category,
            "priority": self.priority.value,
            "score": self.score,
            "evidence": self.evidence,
            "low_evidence": self.low_evidence,
            "skill_codes": list(self.skill_codes),
            "match": self.match.value,
            "taxonomy_key": self.taxonomy_key,
            "sources": list(self.sources),
            "reasons": _reason_dicts(self.reasons),
        }


def _reason_dicts(reasons: Iterable[Reason]) -> list[dict[str, str]]:
    return [{"code": r.code, "message": r.message} for r in reasons]


def _gap_order(gap: Gap) -> tuple[int, int, float, str, str]:
    score = math.inf if gap.score is None else gap.score
    return (
        _PRIORITY_RANK[gap.priority],
        _TYPE_RANK[gap.type],
        score,
        normalise_token(gap.category),
        gap.category,
    )


def _canonical_gaps(values: Iterable[Gap]) -> tuple[Gap, ...]:
    return tuple(sorted(values, key=_gap_order))


@frozen(kw_only=True)
class GapAnalysis:
    """A learner's gaps, the skill codes that close them, and why.

    ``gaps`` are kept in a canonical order: priority (high first), then type
    (aptitude, technical, behavioral, skill assessment, mission), then score
    (lowest first, unknown last), then category.

    Attributes:
        learner_id: the learner (``None`` when unknown).
        session_id: the profiler session analysed (``None`` without a completed one).
        profiler_completed: ``False`` when there was no completed profiler (the fallback case).
        gaps: the gaps, in canonical order.
        reasons: what the analysis used or could not use (``no_completed_session``,
            ``result_missing``...), never empty.
        policy: the gap policy used.
        taxonomy: the taxonomy used.
    """

    learner_id: UserId | None = field(default=None, converter=_to_optional_id, validator=_valid_optional_id)
    session_id: SessionId | None = field(
        default=None, converter=_to_optional_id, validator=_valid_optional_id
    )
    profiler_completed: bool
    gaps: tuple[Gap, ...] = field(default=(), converter=_canonical_gaps)
    reasons: tuple[Reason, ...] = field(converter=_reasons)
    policy: PolicyRef
    taxonomy: PolicyRef

    @property
    def recommended_skill_codes(self) -> tuple[str, ...]:
        """The de-duplicated union of the gaps' codes: by gap priority, then first appearance."""
        return tuple(dict.fromkeys(code for gap in self.gaps for code in gap.skill_codes))

    @property
    def total_gaps(self) -> int:
        """How many gaps there are."""
        return len(self.gaps)

    @property
    def total_skills(self) -> int:
        """How many recommended skill codes there are."""
        return len(self.recommended_skill_codes)

    @property
    def reason_codes(self) -> tuple[str, ...]:
        """The codes of :attr:`reasons`, in order."""
        return tuple(r.code for r in self.reasons)

    def to_dict(self) -> dict[str, object]:
        """The JSON shape of an analysis (see ``docs/reference/gaps.md``)."""
        return {
            "learner_id": self.learner_id,
            "session_id": self.session_id,
            "profiler_completed": self.profiler_completed,
            "gaps": [gap.to_dict() for gap in self.gaps],
            "recommended_skill_codes": list(self.recommended_skill_codes),
            "reasons": _reason_dicts(self.reasons),
            "policy": str(self.policy),
            "taxonomy": str(self.taxonomy),
        }


@frozen(kw_only=True)
class SkillAssessment:
    """One skill assessment: a skill code, a 0..100 score and an optional level.

    The level is kept for the host; only the score decides whether it is a gap.
    """

    skill_code: str = field(converter=normalise_code, validator=_non_blank)
    score: float = field(validator=_score)
    level: str | None = None


_GROWTH = re.compile(r"^(?:improve|develop)\s+(?P<category>.+?)\s+skills?$", re.IGNORECASE)


def area_for_growth_category(entry: str) -> str | None:
    """The category of an ``areas_for_growth`` entry, lower-cased; ``None`` for a blank entry.

    The platform writes ``"Improve {category} skills"`` and ``"Develop {category} skills"``;
    any other entry is taken whole as the category.

    >>> area_for_growth_category("Improve Communication skills")
    'communication'
    >>> area_for_growth_category("Develop  problem solving skills.")
    'problem solving'
    >>> area_for_growth_category("Time management")
    'time management'
    """
    text = " ".join(entry.split()).rstrip(".!").strip()
    if not text:
        return None
    found = _GROWTH.match(text)
    return (found.group("category") if found else text).lower()


def empty_analysis(
    reason: Reason,
    *,
    learner_id: IdLike | None = None,
    policy: GapPolicy = DEFAULT_GAP_POLICY,
    taxonomy: Taxonomy = DEFAULT_TAXONOMY,
) -> GapAnalysis:
    """The fallback analysis: no completed profiler, no gaps, and the *reason*.

    *learner_id* may be a ``str``, ``int`` or ``UUID`` (stored as its canonical text).
    """
    return GapAnalysis(
        learner_id=learner_id,
        profiler_completed=False,
        reasons=(reason,),
        policy=policy.ref,
        taxonomy=taxonomy.ref,
    )


def analyze_gaps(
    session: ProfilerSession | None,
    result: ProfilerResult | None = None,
    *,
    policy: GapPolicy = DEFAULT_GAP_POLICY,
    taxonomy: Taxonomy = DEFAULT_TAXONOMY,
) -> GapAnalysis:
    """The learner's gaps from their latest completed session and its result (SPEC §4).

    * **aptitude**: each category of ``result.aptitude_breakdown`` (either wire
      shape) scoring below ``gap_below``; a category with ``total == 0`` has no
      evidence: a ``low`` gap without score, flagged (see :class:`GapPolicy`);
    * **technical**: ``session.technical_exposure_score`` below ``gap_below``;
    * **behavioral**: every ``areas_for_growth`` entry (of the result and of the
      intended profile shape) and every trait (of either profile shape, and the
      result's ``behavioral_traits``) whose mean is below ``trait_growth_below``.

    ``None`` or an incomplete session gives the fallback analysis with reason
    ``no_completed_session``. A result whose ``session_id`` names another
    session is ignored (``result_session_mismatch``).

    >>> from profiler_core import ProfilerResult, ProfilerSession, SessionStatus, CategoryScore
    >>> session = ProfilerSession(
    ...     id="s-1", user_id="u-1", status=SessionStatus.FINISHED, technical_exposure_score=45.0
    ... )
    >>> result = ProfilerResult(
    ...     session_id="s-1", aptitude_breakdown={"networking": CategoryScore(score=30.0)}
    ... )
    >>> analysis = analyze_gaps(session, result)
    >>> [(g.category, g.priority.value) for g in analysis.gaps]
    [('networking', 'high'), ('technical_exposure', 'medium')]
    >>> analysis.recommended_skill_codes
    ('NET', 'NETW', 'TCPIP', 'DNS', 'HTTP', 'TECH', 'BASICS', 'FUNDAMENTALS')
    """
    if session is None or not session.is_completed:
        return empty_analysis(
            Reason(
                code="no_completed_session",
                message="No completed profiler session; there are no gaps to analyse.",
            ),
            learner_id=None if session is None else session.user_id,
            policy=policy,
            taxonomy=taxonomy,
        )
    reasons = [
        Reason(
            code="profiler_analyzed",
            message=f"Analysed session {session.id} under {policy.ref} and {taxonomy.ref}.",
        )
    ]
    if result is not None and result.session_id is not None and result.session_id != session.id:
        reasons.append(
            Reason(
                code="result_session_mismatch",
                message=f"The result of session {result.session_id} does not belong to session "
                f"{session.id} and was ignored.",
            )
        )
        result = None
    elif result is None:
        reasons.append(
            Reason(
                code="result_missing",
                message=f"Session {session.id} has no result row: aptitude categories and the result's "
                "areas for growth are unavailable.",
            )
        )
    gaps: list[Gap] = []
    if result is not None:
        gaps += _aptitude_gaps(result, policy, taxonomy, reasons)
    gaps += _technical_gaps(session, policy, taxonomy, reasons)
    gaps += _behavioral_gaps(session.behavioral_profile, result, policy, taxonomy)
    return GapAnalysis(
        learner_id=session.user_id,
        session_id=session.id,
        profiler_completed=True,
        gaps=merge_gaps(gaps),
        reasons=reasons,
        policy=policy.ref,
        taxonomy=taxonomy.ref,
    )


def _match_reasons(match: TaxonomyMatch, taxonomy: Taxonomy) -> list[Reason]:
    if match.kind is MatchKind.NORMALISED:
        return [
            Reason(
                code="taxonomy_match_normalised",
                message=f"Category {match.category} matched {taxonomy.ref} key {match.key} "
                "after normalisation.",
            )
        ]
    if match.kind is MatchKind.SUBSTRING:
        return [
            Reason(
                code="taxonomy_match_substring",
                message=f"Category {match.category} matched {taxonomy.ref} key {match.key} by substring.",
            )
        ]
    if match.kind is MatchKind.UNMAPPED:
        return [
            Reason(
                code="category_unmapped",
                message=f"Category {match.category} is not in {taxonomy.ref}: the gap has no skill codes.",
            )
        ]
    return []


def _gap(
    gap_type: GapType,
    category: str,
    priority: Priority,
    taxonomy: Taxonomy,
    *,
    source: str,
    reason: Reason,
    score: float | None = None,
    evidence: int | None = None,
    low_evidence: bool = False,
) -> Gap:
    match = taxonomy.lookup(category)
    return Gap(
        type=gap_type,
        category=category,
        priority=priority,
        score=score,
        evidence=evidence,
        low_evidence=low_evidence,
        skill_codes=match.codes,
        match=match.kind,
        taxonomy_key=match.key,
        sources=(source,),
        reasons=(reason, *_match_reasons(match, taxonomy)),
    )


def _low_evidence_reason(category: str, evidence: int, policy: GapPolicy) -> Reason:
    return Reason(
        code="low_evidence",
        message=f"Category {category} rests on {evidence} question(s), fewer than {policy.min_evidence}: "
        "treat the score with caution.",
    )


def _aptitude_gaps(
    result: ProfilerResult, policy: GapPolicy, taxonomy: Taxonomy, reasons: list[Reason]
) -> list[Gap]:
    gaps = []
    source = "result.aptitude_breakdown"
    for raw_category, category_score in result.aptitude_breakdown.items():
        category = raw_category.strip()
        evidence = category_score.evidence
        if category_score.score is None:
            no_evidence = Reason(
                code="aptitude_no_evidence",
                message=f"Aptitude category {category} has no evidence (0 questions): not scored as 0%.",
            )
            if policy.no_evidence_priority is None:
                reasons.append(no_evidence)
            else:
                gaps.append(
                    _gap(
                        GapType.APTITUDE,
                        category,
                        policy.no_evidence_priority,
                        taxonomy,
                        source=source,
                        reason=no_evidence,
                        evidence=0,
                        low_evidence=True,
                    )
                )
            continue
        priority = policy.priority_for(category_score.score)
        if priority is None:
            continue
        gap = _gap(
            GapType.APTITUDE,
            category,
            priority,
            taxonomy,
            source=source,
            reason=_score_reason(
                code="aptitude_gap",
                subject=f"Aptitude category {category}",
                score=category_score.score,
                policy=policy,
            ),
            score=category_score.score,
            evidence=evidence,
            low_evidence=evidence is not None and evidence < policy.min_evidence,
        )
        if gap.low_evidence and evidence is not None:
            gap = attrs.evolve(gap, reasons=(*gap.reasons, _low_evidence_reason(category, evidence, policy)))
        gaps.append(gap)
    return gaps


def _score_reason(*, code: str, subject: str, score: float, policy: GapPolicy) -> Reason:
    priority = policy.priority_for(score)
    detail = (
        f"below {policy.high_below:g}" if priority is Priority.HIGH else f"at least {policy.high_below:g}"
    )
    return Reason(
        code=code,
        message=f"{subject} scored {score:g} (< {policy.gap_below:g}): "
        f"{priority.value if priority else 'no'} priority ({detail}).",
    )


def _technical_gaps(
    session: ProfilerSession, policy: GapPolicy, taxonomy: Taxonomy, reasons: list[Reason]
) -> list[Gap]:
    score, answered = session.technical_exposure_score, session.technical_exposure_answered
    source = "session.technical_exposure_score"
    if score is None:
        if answered != 0:
            reasons.append(
                Reason(
                    code="technical_exposure_not_measured",
                    message=f"Session {session.id} has no technical-exposure score.",
                )
            )
            return []
        no_evidence = Reason(
            code="technical_no_evidence",
            message=f"Session {session.id} answered no technical-exposure question: not scored as 0%.",
        )
        if policy.no_evidence_priority is None:
            reasons.append(no_evidence)
            return []
        return [
            _gap(
                GapType.TECHNICAL,
                TECHNICAL_EXPOSURE_CATEGORY,
                policy.no_evidence_priority,
                taxonomy,
                source=source,
                reason=no_evidence,
                evidence=0,
                low_evidence=True,
            )
        ]
    priority = policy.priority_for(score)
    if priority is None:
        return []
    gap = _gap(
        GapType.TECHNICAL,
        TECHNICAL_EXPOSURE_CATEGORY,
        priority,
        taxonomy,
        source=source,
        reason=_score_reason(code="technical_gap", subject="Technical exposure", score=score, policy=policy),
        score=score,
        evidence=answered,
        low_evidence=answered is not None and answered < policy.min_evidence,
    )
    if gap.low_evidence and answered is not None:
        gap = attrs.evolve(
            gap, reasons=(*gap.reasons, _low_evidence_reason(TECHNICAL_EXPOSURE_CATEGORY, answered, policy))
        )
    return [gap]


def _behavioral_gaps(
    profile: BehavioralProfile, result: ProfilerResult | None, policy: GapPolicy, taxonomy: Taxonomy
) -> list[Gap]:
    entries: list[tuple[str, str]] = [
        (e, "session.behavioral_profile.areas_for_growth") for e in profile.areas_for_growth
    ]
    traits: list[tuple[Mapping[str, float], str]] = [(profile.traits, "session.behavioral_profile.traits")]
    if result is not None:
        entries += [(e, "result.areas_for_growth") for e in result.areas_for_growth]
        traits.append((result.behavioral_traits, "result.behavioral_traits"))
    gaps = []
    for entry, source in entries:
        category = area_for_growth_category(entry)
        if category is None:
            continue
        reason = Reason(
            code="behavioral_area_for_growth",
            message=f"Area for growth {category} is a behavioral gap "
            f"({policy.behavioral_priority.value} priority).",
        )
        gaps.append(
            _gap(
                GapType.BEHAVIORAL,
                category,
                policy.behavioral_priority,
                taxonomy,
                source=source,
                reason=reason,
            )
        )
    threshold = policy.trait_growth_below
    if threshold is not None:
        for trait_map, source in traits:
            for trait, mean in trait_map.items():
                category = " ".join(trait.split()).lower()
                if mean >= threshold or not category:
                    continue
                reason = Reason(
                    code="behavioral_trait_low",
                    message=f"Trait {category} mean {mean:g} is below {threshold:g}: an area for growth "
                    f"({policy.behavioral_priority.value} priority).",
                )
                gaps.append(
                    _gap(
                        GapType.BEHAVIORAL,
                        category,
                        policy.behavioral_priority,
                        taxonomy,
                        source=source,
                        reason=reason,
                    )
                )
    return gaps


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
        if not 0 <= score <= 100:
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
    index = _subtask_index(mission, current_subtask)
    parts: list[tuple[Iterable[str], Priority, Reason]] = []
    if index is not None:
        current = policy.mission_current_priority
        parts.append(
            (
                mission.subtasks[index].required_skills,
                current,
                Reason(
                    code="mission_current_subtask",
                    message=f"Mission {mission.id} needs this skill for the current subtask "
                    f"({current.value} priority).",
                ),
            )
        )
        if index + 1 < len(mission.subtasks):
            following = policy.mission_next_priority
            parts.append(
                (
                    mission.subtasks[index + 1].required_skills,
                    following,
                    Reason(
                        code="mission_next_subtask",
                        message=f"Mission {mission.id} needs this skill for the next subtask "
                        f"({following.value} priority).",
                    ),
                )
            )
    tags = policy.mission_tag_priority
    parts.append(
        (
            mission.skills_tags,
            tags,
            Reason(
                code="mission_skill_tag",
                message=f"Mission {mission.id} is tagged with this skill ({tags.value} priority).",
            ),
        )
    )
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
        for codes, priority, reason in parts
        for skill in codes
        if skill.strip()
    ]
    return merge_gaps(gaps)


def _merge_group(group: Sequence[Gap]) -> Gap:
    if len(group) == 1:
        return group[0]
    best_match = min(group, key=lambda g: _MATCH_ORDER[g.match])
    scores = [g.score for g in group if g.score is not None]
    evidences = [g.evidence for g in group if g.evidence is not None]
    return Gap(
        type=group[0].type,
        category=group[0].category,
        priority=min((g.priority for g in group), key=_PRIORITY_RANK.__getitem__),
        score=min(scores) if scores else None,
        evidence=max(evidences) if evidences else None,
        low_evidence=all(g.low_evidence for g in group),
        skill_codes=[code for g in group for code in g.skill_codes],
        match=best_match.match,
        taxonomy_key=best_match.taxonomy_key,
        sources=tuple(dict.fromkeys(s for g in group for s in g.sources)),
        reasons=tuple(dict.fromkeys(r for g in group for r in g.reasons)),
    )


def merge_gaps(*groups: Iterable[Gap]) -> tuple[Gap, ...]:
    """Merge gaps from several sources into one canonical, de-duplicated tuple.

    Gaps with the same :attr:`Gap.key` (type and normalised category) become
    one: the highest priority, the lowest known score, the largest known
    evidence, ``low_evidence`` only if every part was, the union of codes,
    sources and reasons (first appearance kept). The result does not depend on
    the order of the inputs beyond which spelling of a category is kept (the
    canonical first).

    >>> from profiler_core import GapType, Priority
    >>> a = Gap(type=GapType.BEHAVIORAL, category="communication", priority=Priority.MEDIUM, sources=("a",))
    >>> b = Gap(type=GapType.BEHAVIORAL, category="communication", priority=Priority.HIGH, sources=("b",))
    >>> [(g.category, g.sources) for g in merge_gaps([a], [b])]
    [('communication', ('b', 'a'))]
    """
    by_key: dict[tuple[GapType, str], list[Gap]] = {}
    for group in groups:
        for gap in group:
            by_key.setdefault(gap.key, []).append(gap)
    return _canonical_gaps(
        _merge_group(parts if len(parts) == 1 else sorted(parts, key=_merge_order))
        for parts in by_key.values()
    )


def _merge_order(gap: Gap) -> tuple[tuple[int, int, float, str, str], tuple[str, ...], str]:
    return (_gap_order(gap), gap.sources, repr(gap))


def with_gaps(analysis: GapAnalysis, *groups: Iterable[Gap]) -> GapAnalysis:
    """*analysis* with more gaps merged in (e.g. from skill assessments or a mission).

    >>> merged = with_gaps(analyze_gaps(None), skill_assessment_gaps({"NET": 50}))
    >>> merged.profiler_completed, merged.recommended_skill_codes, merged.reason_codes
    (False, ('NET',), ('no_completed_session', 'gaps_merged'))
    """
    extra = merge_gaps(*groups)
    if not extra:
        return analysis
    sources = ", ".join(dict.fromkeys(s for g in extra for s in g.sources))
    return attrs.evolve(
        analysis,
        gaps=merge_gaps(analysis.gaps, extra),
        reasons=(
            *analysis.reasons,
            Reason(code="gaps_merged", message=f"Merged {len(extra)} gap(s) from {sources}."),
        ),
    )


# --- ranking ------------------------------------------------------------------


def _check_weights(instance: RankingPolicy, _attribute: object, _value: object) -> None:
    if not instance.high_weight >= instance.medium_weight >= instance.low_weight >= 1:
        raise PolicyError(
            policy=f"{instance.id}@{instance.version}",
            reason="need high_weight >= medium_weight >= low_weight >= 1",
        )
    if instance.mission_recommendation_weight < 0:
        raise PolicyError(
            policy=f"{instance.id}@{instance.version}", reason="mission_recommendation_weight must be >= 0"
        )


@frozen(kw_only=True)
class RankingPolicy:
    """The versioned weights of recipe ranking.

    Attributes:
        id: policy id (``"recipe_ranking"``).
        version: policy version.
        high_weight: weight of a high-priority gap (3).
        medium_weight: weight of a medium-priority gap (2).
        low_weight: weight of a low-priority gap (1).
        mission_recommendation_weight: the extra gain of a recipe a mission
            recommends explicitly (:func:`mission_stage_recipes`).

    Raises:
        PolicyError: weights not positive and descending.
    """

    id: str = "recipe_ranking"
    version: int = 1
    high_weight: int = 3
    medium_weight: int = 2
    low_weight: int = 1
    mission_recommendation_weight: int = field(default=2, validator=_check_weights)

    @property
    def ref(self) -> PolicyRef:
        """The ``id@version`` of this policy."""
        return PolicyRef(id=self.id, version=self.version)

    def weight(self, priority: Priority) -> int:
        """The weight of a gap of *priority*."""
        if priority is Priority.HIGH:
            return self.high_weight
        if priority is Priority.MEDIUM:
            return self.medium_weight
        return self.low_weight


#: The default ranking: high 3, medium 2, low 1; a mission's own recommendation adds 2.
DEFAULT_RANKING_POLICY = RankingPolicy()


def recipe_popularity_key(recipe: Recipe) -> tuple[int, float, str, str]:
    """The tie-break order: usage count (most first), rating (best first), slug, then id.

    >>> from profiler_core import Recipe
    >>> a = Recipe(id="1", slug="b", title="B", usage_count=5)
    >>> b = Recipe(id="2", slug="a", title="A", usage_count=5)
    >>> [r.slug for r in sorted([a, b], key=recipe_popularity_key)]
    ['a', 'b']
    """
    return (-recipe.usage_count, -recipe.avg_rating, recipe.slug, recipe.id)


def _dedupe_key(recipe: Recipe) -> tuple[tuple[int, float, str, str], str]:
    # Two different values with one id: keep the more popular, then a stable textual order.
    return (recipe_popularity_key(recipe), repr(recipe))


def _unique_active(recipes: Iterable[Recipe], exclude_refs: frozenset[str] = frozenset()) -> list[Recipe]:
    # The one de-duplication rule of every ranking: active recipes, one value per id
    # (the _dedupe_key minimum, whatever the input order), minus the excluded ids/slugs.
    chosen: dict[RecipeId, Recipe] = {}
    for recipe in recipes:
        if not recipe.is_active or (
            exclude_refs and (recipe.id in exclude_refs or recipe.slug in exclude_refs)
        ):
            continue
        previous = chosen.get(recipe.id)
        if previous is None or _dedupe_key(recipe) < _dedupe_key(previous):
            chosen[recipe.id] = recipe
    return list(chosen.values())


def recipes_by_code(recipes: Iterable[Recipe]) -> dict[str, tuple[Recipe, ...]]:
    """The active recipes that teach each skill code, best first: the ranking for a one-code gap.

    Keys are :func:`normalise_code` spellings. Among the recipes carrying a
    code, values sharing an id count once, chosen as :func:`recommend_recipes`
    chooses among its candidates (the more popular value, then a stable textual
    order); each list is in :func:`recipe_popularity_key` order. With a single
    gap to close every candidate covers the same weight, so each list is what
    :func:`recommend_recipes` ranks for a gap holding only that code. The
    marketplace links missing skills to recipes with it.

    >>> from profiler_core import Recipe
    >>> index = recipes_by_code(
    ...     [
    ...         Recipe(id="1", slug="dns", title="DNS", skill_codes=("dns", "NET"), usage_count=5),
    ...         Recipe(id="2", slug="net", title="NET", skill_codes=("NET",), usage_count=9),
    ...     ]
    ... )
    >>> {code: [r.slug for r in found] for code, found in index.items()}
    {'NET': ['net', 'dns'], 'DNS': ['dns']}
    """
    index: dict[str, dict[RecipeId, Recipe]] = {}
    # The popularity key ends with the id, so only values sharing an id can tie;
    # _dedupe_key (which renders the value) is computed for those alone.
    for recipe in sorted((r for r in recipes if r.is_active), key=recipe_popularity_key):
        for code in dict.fromkeys(normalise_code(c) for c in recipe.skill_codes):
            if not code:
                continue
            found = index.setdefault(code, {})
            previous = found.get(recipe.id)
            if previous is None or _dedupe_key(recipe) < _dedupe_key(previous):
                found[recipe.id] = recipe
    return {code: tuple(found.values()) for code, found in index.items()}


def _recommendations(values: Iterable[RecipeRecommendation]) -> tuple[RecipeRecommendation, ...]:
    return tuple(values)


def _refs(values: Iterable[GapRef]) -> tuple[GapRef, ...]:
    return tuple(values)


@frozen(kw_only=True)
class RecipeRecommendation:
    """One ranked recipe and what it closes.

    Attributes:
        rank: 1-based position.
        recipe: the recipe.
        gain: the not-yet-covered gap weight it closed when picked (plus a
            mission's recommendation weight); 0 for a fallback.
        coverage: the total weight of every gap it addresses.
        addressed_gaps: every gap it shares a skill code with.
        closes: the gaps it covered first (not covered by a higher-ranked recipe).
        addressed_codes: its skill codes that close a gap (normalised, in its own order).
        fallback: ``True`` for a popularity fallback, which addresses no gap.
        reasons: why it is here and why at this rank.
    """

    rank: int
    recipe: Recipe
    gain: int
    coverage: int
    addressed_gaps: tuple[GapRef, ...] = field(default=(), converter=_refs)
    closes: tuple[GapRef, ...] = field(default=(), converter=_refs)
    addressed_codes: tuple[str, ...] = field(default=(), converter=_strings)
    fallback: bool = False
    reasons: tuple[Reason, ...] = field(default=(), converter=_reasons)

    @property
    def reason_codes(self) -> tuple[str, ...]:
        """The codes of :attr:`reasons`, in order."""
        return tuple(r.code for r in self.reasons)

    def to_dict(self) -> dict[str, object]:
        """The recipe's own fields (as :func:`~profiler_core.unstructure` renders them) plus the ranking."""
        data: dict[str, object] = dict(unstructure_object(self.recipe))
        data.update(
            {
                "rank": self.rank,
                "gain": self.gain,
                "coverage": self.coverage,
                "addressed_gaps": [g.to_dict() for g in self.addressed_gaps],
                "closes": [g.to_dict() for g in self.closes],
                "addressed_codes": list(self.addressed_codes),
                "fallback": self.fallback,
                "reasons": _reason_dicts(self.reasons),
            }
        )
        return data


@frozen(kw_only=True)
class RecipeRecommendations:
    """A ranked list of recipes, and why it looks as it does.

    Attributes:
        items: the recommendations, best first.
        fallback: ``True`` when the list is the popularity fallback.
        candidates: how many distinct active recipes were eligible.
        reasons: list-level reasons (``ranked_by_coverage``, ``popularity_fallback``,
            ``no_gaps_to_close``...), never empty.
        policy: the ranking policy used.
    """

    items: tuple[RecipeRecommendation, ...] = field(converter=_recommendations)
    fallback: bool
    candidates: int
    reasons: tuple[Reason, ...] = field(converter=_reasons)
    policy: PolicyRef

    @property
    def recipes(self) -> tuple[Recipe, ...]:
        """The recommended recipes, best first."""
        return tuple(item.recipe for item in self.items)

    @property
    def reason_codes(self) -> tuple[str, ...]:
        """The codes of :attr:`reasons`, in order."""
        return tuple(r.code for r in self.reasons)

    def to_list(self) -> list[dict[str, object]]:
        """The items as JSON-ready dicts (:meth:`RecipeRecommendation.to_dict`)."""
        return [item.to_dict() for item in self.items]


def _check_limit(limit: int) -> None:
    if limit < 0:
        raise InvalidValueError(field="limit", reason="must be >= 0")


def _refset(values: Collection[str]) -> frozenset[str]:
    return frozenset(values)


def _mask_weight(mask: int, weights: Sequence[int]) -> int:
    total = 0
    while mask:
        low = mask & -mask
        total += weights[low.bit_length() - 1]
        mask ^= low
    return total


def _bits(mask: int) -> list[int]:
    out = []
    while mask:
        low = mask & -mask
        out.append(low.bit_length() - 1)
        mask ^= low
    return out


@frozen(kw_only=True)
class _Pick:
    recipe: Recipe
    mask: int
    newly: int
    gain: int


_USAGE = operator.attrgetter("usage_count")
_ID = operator.attrgetter("id")


class _CodeMasks(dict[str, int]):
    """Raw code spelling -> gap bitmask; an unseen spelling is normalised once, then cached."""

    def __init__(self, masks: Mapping[str, int]) -> None:
        super().__init__(masks)
        self._masks = masks

    def __missing__(self, code: str) -> int:
        bits = self[code] = self._masks.get(normalise_code(code), 0)
        return bits


def _candidates(
    gaps: Sequence[Gap],
    recipes: Iterable[Recipe],
    *,
    required: int,
    boost_refs: frozenset[str],
    exclude_refs: frozenset[str],
) -> tuple[dict[str, int], dict[int, list[Recipe]]]:
    """Active eligible recipes grouped by their gap bitmask, de-duplicated by id.

    Bit ``i`` is ``gaps[i]``; bit ``len(gaps)`` marks an explicitly boosted recipe.
    """
    # One pass over the catalogue: each recipe's bitmask through a code -> mask index.
    code_mask: dict[str, int] = {}
    for index, gap in enumerate(gaps):
        for code in gap.skill_codes:
            code_mask[code] = code_mask.get(code, 0) | (1 << index)
    masks = _CodeMasks(code_mask)
    boost_bit = 1 << len(gaps)
    wanted = required | boost_bit
    groups: defaultdict[int, list[Recipe]] = defaultdict(list)
    for recipe in recipes:
        if not recipe.is_active:
            continue
        mask = 0
        for code in recipe.skill_codes:
            mask |= masks[code]
        if boost_refs and (recipe.id in boost_refs or recipe.slug in boost_refs):
            mask |= boost_bit
        if mask & wanted and not (
            exclude_refs and (recipe.id in exclude_refs or recipe.slug in exclude_refs)
        ):
            groups[mask].append(recipe)
    members = list(itertools.chain.from_iterable(groups.values()))
    if len(set(map(_ID, members))) != len(members):
        return code_mask, _dedupe(groups)
    return code_mask, groups


def _dedupe(groups: Mapping[int, list[Recipe]]) -> dict[int, list[Recipe]]:
    # Rare path: several values share an id; keep one per id whatever the input order.
    kept: dict[RecipeId, tuple[Recipe, int]] = {}
    for mask, bucket in groups.items():
        for recipe in bucket:
            previous = kept.get(recipe.id)
            if previous is None or _dedupe_key(recipe) < _dedupe_key(previous[0]):
                kept[recipe.id] = (recipe, mask)
    out: dict[int, list[Recipe]] = {}
    for recipe, mask in kept.values():
        out.setdefault(mask, []).append(recipe)
    return out


def _head(bucket: list[Recipe], limit: int) -> list[Recipe]:
    # The *limit* first members by recipe_popularity_key. A large bucket is cut first
    # by usage count alone (a C-level key): every member of the true head has a usage
    # count at least the limit-th largest, so nothing that matters is cut.
    if len(bucket) > 4 * limit:
        threshold = _USAGE(heapq.nlargest(limit, bucket, key=_USAGE)[-1])
        bucket = [r for r in bucket if r.usage_count >= threshold]
    return sorted(bucket, key=recipe_popularity_key)[:limit]


def _greedy(groups: Mapping[int, list[Recipe]], weights: Sequence[int], *, limit: int) -> list[_Pick]:
    """Greedy marginal weighted coverage over grouped candidates.

    Members of one group share a bitmask, hence always the same marginal gain, so
    each group only ever offers its most popular remaining member. Gains only
    shrink as coverage grows, so a lazy heap (re-check the top, push it back if it
    shrank) picks exactly what a full re-scan would.
    """
    if limit == 0:
        return []
    gap_bits = (1 << (len(weights) - 1)) - 1
    heads = {mask: _head(bucket, limit) for mask, bucket in groups.items()}
    heap = [
        (-_mask_weight(mask, weights), recipe_popularity_key(head[0]), mask) for mask, head in heads.items()
    ]
    heapq.heapify(heap)
    covered = 0
    picks: list[_Pick] = []
    position = dict.fromkeys(heads, 0)
    while heap and len(picks) < limit:
        stale, tie, mask = heapq.heappop(heap)
        gain = _mask_weight(mask & ~covered, weights)
        if gain != -stale:
            heapq.heappush(heap, (-gain, tie, mask))
            continue
        head = heads[mask]
        picks.append(_Pick(recipe=head[position[mask]], mask=mask, newly=mask & ~covered, gain=gain))
        covered |= mask & gap_bits
        position[mask] += 1
        if position[mask] < len(head):
            rest = _mask_weight(mask & ~covered, weights)
            heapq.heappush(heap, (-rest, recipe_popularity_key(head[position[mask]]), mask))
    return picks


def _ranked(
    gaps: Sequence[Gap],
    recipes: Iterable[Recipe],
    *,
    limit: int,
    ranking: RankingPolicy,
    required: int | None = None,
    boost_refs: frozenset[str] = frozenset(),
    exclude_refs: frozenset[str] = frozenset(),
    boost_reason: Reason | None = None,
) -> tuple[list[RecipeRecommendation], int]:
    gap_bits = (1 << len(gaps)) - 1
    code_mask, groups = _candidates(
        gaps,
        recipes,
        required=gap_bits if required is None else required,
        boost_refs=boost_refs,
        exclude_refs=exclude_refs,
    )
    weights = [ranking.weight(g.priority) for g in gaps]
    picks = _greedy(groups, [*weights, ranking.mission_recommendation_weight], limit=limit)
    items = []
    for rank, pick in enumerate(picks, start=1):
        addressed = [gaps[i] for i in _bits(pick.mask & gap_bits)]
        closes = [gaps[i] for i in _bits(pick.newly & gap_bits)]
        neighbours = [picks[i].gain for i in (rank - 2, rank) if 0 <= i < len(picks)]
        reasons = _pick_reasons(
            rank=rank,
            closes=closes,
            closed_weight=_mask_weight(pick.newly & gap_bits, weights),
            addressed=addressed,
            boosted=pick.mask > gap_bits,
            boost_reason=boost_reason,
        )
        if pick.gain in neighbours:
            reasons.append(
                Reason(
                    code="tie_broken_by_popularity",
                    message=f"Rank {rank}: tied on gain {pick.gain} with a neighbour; ordered by usage count "
                    f"({pick.recipe.usage_count}), rating ({pick.recipe.avg_rating:g}), then slug.",
                )
            )
        items.append(
            RecipeRecommendation(
                rank=rank,
                recipe=pick.recipe,
                gain=pick.gain,
                coverage=_mask_weight(pick.mask & gap_bits, weights),
                addressed_gaps=[g.ref for g in addressed],
                closes=[g.ref for g in closes],
                addressed_codes=[
                    c
                    for c in dict.fromkeys(normalise_code(c) for c in pick.recipe.skill_codes)
                    if c in code_mask
                ],
                reasons=reasons,
            )
        )
    return items, sum(len(bucket) for bucket in groups.values())


def _names(gaps: Sequence[Gap]) -> str:
    return ", ".join(f"{g.category} ({g.type.value}, {g.priority.value})" for g in gaps)


def _pick_reasons(
    *,
    rank: int,
    closes: Sequence[Gap],
    closed_weight: int,
    addressed: Sequence[Gap],
    boosted: bool,
    boost_reason: Reason | None,
) -> list[Reason]:
    reasons = []
    if closes:
        reasons.append(
            Reason(
                code="closes_gaps",
                message=f"Rank {rank}: closes {closed_weight} not-yet-covered gap weight: {_names(closes)}.",
            )
        )
    elif addressed:
        reasons.append(
            Reason(
                code="reinforces_covered_gaps",
                message=f"Rank {rank}: its gaps are already covered by higher-ranked recipes "
                f"({_names(addressed)}); it adds practice.",
            )
        )
    if boosted and boost_reason is not None:
        reasons.append(boost_reason)
    profiler = [g for g in addressed if g.type is not GapType.MISSION]
    if boost_reason is not None and profiler:
        reasons.append(
            Reason(
                code="also_closes_profiler_gap",
                message=f"Rank {rank}: also addresses the learner's own gaps: {_names(profiler)}.",
            )
        )
    return reasons


def _fallback(
    recipes: Iterable[Recipe], *, limit: int, ranking: RankingPolicy, exclude_refs: frozenset[str], why: str
) -> RecipeRecommendations:
    chosen = _unique_active(recipes, exclude_refs)
    top = heapq.nsmallest(limit, chosen, key=recipe_popularity_key)
    items = [
        RecipeRecommendation(
            rank=rank,
            recipe=recipe,
            gain=0,
            coverage=0,
            fallback=True,
            reasons=(
                Reason(
                    code="popularity_fallback",
                    message=f"Rank {rank}: a popular recipe (usage count {recipe.usage_count}, rating "
                    f"{recipe.avg_rating:g}), not matched to any gap.",
                ),
            ),
        )
        for rank, recipe in enumerate(top, start=1)
    ]
    return RecipeRecommendations(
        items=items,
        fallback=True,
        candidates=len(chosen),
        reasons=(
            Reason(
                code="popularity_fallback",
                message=f"{why} The most popular active recipes are shown instead (a fallback).",
            ),
        ),
        policy=ranking.ref,
    )


def _list_reasons(
    gaps: Sequence[Gap], items: Sequence[RecipeRecommendation], candidates: int
) -> list[Reason]:
    if not gaps:
        return [
            Reason(
                code="no_gaps_to_close", message="There are no gaps to close, so no recipe is recommended."
            )
        ]
    if not any(g.skill_codes for g in gaps):
        return [
            Reason(
                code="no_skill_codes",
                message=f"None of the {len(gaps)} gap(s) maps to a skill code, so no recipe can be matched.",
            )
        ]
    if not candidates:
        return [
            Reason(code="no_matching_recipes", message="No active recipe shares a skill code with the gaps.")
        ]
    return [
        Reason(
            code="ranked_by_coverage",
            message=f"Ranked {len(items)} of {candidates} candidate recipe(s) by marginal weighted "
            f"coverage of {len(gaps)} gap(s), then usage count, rating and slug.",
        )
    ]


def recommend_recipes(
    analysis: GapAnalysis,
    recipes: Iterable[Recipe],
    limit: int = 10,
    *,
    ranking: RankingPolicy = DEFAULT_RANKING_POLICY,
) -> RecipeRecommendations:
    """Rank the recipes that close the analysis' gaps (SPEC §4).

    Candidates are the active recipes sharing a skill code (compared with
    :func:`normalise_code`) with a gap, de-duplicated by id. Each next pick is
    the candidate that covers the most not-yet-covered gap weight (high 3,
    medium 2, low 1; a gap is covered once any picked recipe shares a code with
    it), ties broken by :func:`recipe_popularity_key`. Without a completed
    profiler and without gaps from another source, the most popular active
    recipes are returned instead, each labelled ``fallback``.

    Runs in one pass over the catalogue plus ``O(limit x groups x log)``, where
    groups are the distinct gap-coverage patterns.

    Raises:
        InvalidValueError: *limit* is negative.

    >>> from profiler_core import Recipe
    >>> catalogue = [
    ...     Recipe(id="1", slug="dns", title="DNS", skill_codes=("DNS",), usage_count=10),
    ...     Recipe(id="2", slug="basics", title="Basics", skill_codes=("TECH",), usage_count=900),
    ... ]
    >>> [r.recipe.slug for r in recommend_recipes(analyze_gaps(None), catalogue).items]
    ['basics', 'dns']
    """
    _check_limit(limit)
    if not analysis.profiler_completed and not analysis.gaps:
        return _fallback(
            recipes,
            limit=limit,
            ranking=ranking,
            exclude_refs=frozenset(),
            why="There is no completed profiler, so there are no gaps to rank by.",
        )
    gaps = analysis.gaps
    items, candidates = _ranked(gaps, recipes, limit=limit, ranking=ranking) if gaps else ([], 0)
    return RecipeRecommendations(
        items=items,
        fallback=False,
        candidates=candidates,
        reasons=_list_reasons(gaps, items, candidates),
        policy=ranking.ref,
    )


def mission_stage_recipes(
    mission: Mission,
    recipes: Iterable[Recipe],
    *,
    analysis: GapAnalysis | None = None,
    current_subtask: int | str | None = 0,
    limit: int = 5,
    policy: GapPolicy = DEFAULT_GAP_POLICY,
    ranking: RankingPolicy = DEFAULT_RANKING_POLICY,
) -> RecipeRecommendations:
    """Recipes for the stage a learner is at in *mission* (SPEC §4).

    Candidates are active recipes that share a code with the stage's
    :func:`mission_gaps`, or that the mission recommends explicitly in
    ``recipe_recommendations`` (by id or slug). They are ranked by greedy
    marginal weighted coverage over the mission gaps *merged with the learner's
    profiler gaps*, so a recipe that also closes a profiler gap ranks higher;
    an explicit recommendation adds the ranking policy's
    ``mission_recommendation_weight`` to its gain. De-duplicated by id.

    Raises:
        InvalidValueError: *limit* is negative.
    """
    _check_limit(limit)
    stage = mission_gaps(mission, current_subtask=current_subtask, policy=policy)
    profiler = analysis.gaps if analysis is not None else ()
    gaps = merge_gaps(stage, profiler)
    required = sum(1 << i for i, g in enumerate(gaps) if g.type is GapType.MISSION)
    explicit = _refset([r.strip() for r in mission.recipe_recommendations if r.strip()])
    items, candidates = _ranked(
        gaps,
        recipes,
        limit=limit,
        ranking=ranking,
        required=required,
        boost_refs=explicit,
        boost_reason=Reason(
            code="mission_recommended",
            message=f"Mission {mission.id} recommends this recipe explicitly "
            f"(+{ranking.mission_recommendation_weight} gain).",
        ),
    )
    reasons = [
        Reason(
            code="mission_stage",
            message=f"Mission {mission.id}: {len(stage)} stage skill code(s), {len(explicit)} explicit "
            f"recommendation(s), {len(profiler)} profiler gap(s).",
        )
    ]
    if _subtask_index(mission, current_subtask) is None:
        reasons.append(
            Reason(
                code="no_current_subtask",
                message=f"Mission {mission.id} has no current subtask {current_subtask!s}: "
                "only its tags count.",
            )
        )
    if not candidates:
        reasons.append(
            Reason(code="no_matching_recipes", message="No active recipe shares a skill code with the gaps.")
        )
    else:
        reasons.append(
            Reason(
                code="ranked_by_coverage",
                message=f"Ranked {len(items)} of {candidates} candidate recipe(s) by marginal weighted "
                f"coverage of {len(gaps)} gap(s), then usage count, rating and slug.",
            )
        )
    return RecipeRecommendations(
        items=items, fallback=False, candidates=candidates, reasons=reasons, policy=ranking.ref
    )


def next_best_recipes(
    analysis: GapAnalysis | None,
    recipes: Iterable[Recipe],
    *,
    skill_assessments: Iterable[SkillAssessment] | Mapping[str, object] = (),
    completed: Collection[str] = (),
    limit: int = 3,
    policy: GapPolicy = DEFAULT_GAP_POLICY,
    ranking: RankingPolicy = DEFAULT_RANKING_POLICY,
) -> RecipeRecommendations:
    """The next few recipes a coach would suggest (SPEC §4).

    Gaps come from the profiler *analysis* and from *skill_assessments*
    (``{skill_code: {score, level}}``, below 70 is a gap), merged with their
    sources kept; recipes in *completed* (ids or slugs) are left out. Ranked
    like :func:`recommend_recipes`; with no gaps from any source and no
    completed profiler, the popularity fallback applies.

    Raises:
        InvalidValueError: *limit* is negative.
        InvalidPayloadError: a raw *skill_assessments* mapping breaks the shape.
    """
    _check_limit(limit)
    base = (
        analysis
        if analysis is not None
        else empty_analysis(
            Reason(code="no_completed_session", message="No profiler analysis was given."),
            policy=policy,
        )
    )
    merged = with_gaps(base, skill_assessment_gaps(skill_assessments, policy=policy))
    exclude = _refset([c.strip() for c in completed if c.strip()])
    reasons: list[Reason] = []
    if exclude:
        reasons.append(
            Reason(
                code="completed_recipes_excluded",
                message=f"{len(exclude)} completed recipe reference(s) are left out.",
            )
        )
    if not merged.profiler_completed and not merged.gaps:
        fallback = _fallback(
            recipes,
            limit=limit,
            ranking=ranking,
            exclude_refs=exclude,
            why="There is no completed profiler and no assessed skill gap.",
        )
        return attrs.evolve(fallback, reasons=(*fallback.reasons, *reasons))
    gaps = merged.gaps
    items, candidates = (
        _ranked(gaps, recipes, limit=limit, ranking=ranking, exclude_refs=exclude) if gaps else ([], 0)
    )
    return RecipeRecommendations(
        items=items,
        fallback=False,
        candidates=candidates,
        reasons=(*_list_reasons(gaps, items, candidates), *reasons),
        policy=ranking.ref,
    )
