"""Skill codes (SPEC §4, issue 13): relating a catalogue's real skill codes to the taxonomy's codes.

A real catalogue tags recipes with its own codes (``SIEM_RULE_WRITING``,
``LOG_ANALYSIS``, ``log_parsing``), which never equal the taxonomy's codes
(``SIEM``, ``DFIR``, ``NET``). :meth:`SkillCrosswalk.relate` says whether, and
how, a real code relates to a taxonomy code, strongest kind first:

1. ``exact``: the same code as skill codes have always compared
   (:func:`~profiler_core.taxonomy.normalise_code`: case and whitespace ignored);
2. ``normalised``: the same once ``-``, ``_`` and spaces are folded alike
   (:func:`normalise_skill_code`: ``tcp-ip`` is ``TCP_IP``);
3. ``crosswalk``: the curated table of the :class:`SkillCrosswalk` maps the real
   code to the taxonomy code. An entry is authoritative: a code with an entry
   relates through it only (an empty entry means "relates to nothing");
4. ``token``: the taxonomy code is one of the real code's tokens
   (``WINDOWS_LOGGING`` has the token ``WINDOWS``);
5. ``prefix``: one of the real code's tokens starts with the taxonomy code, and
   the taxonomy code is at least :attr:`SkillCrosswalk.min_prefix` long
   (``NETWORK_SCANNING`` has ``NETWORK``, which starts with ``NET`` and ``NETW``).

Tokens in :attr:`SkillCrosswalk.stop_tokens` never relate on their own: words
too generic in a cybersecurity catalogue (``ANALYSIS``, ``SECURITY``,
``BASICS``) and known false friends of a prefix (``CLIENT`` is not ``CLI``).
The token and prefix steps relate a real code to a one-token taxonomy code only.

Imports: ``decisions``, ``errors``, ``frozenmap``, ``taxonomy``; never the wire edge.
"""

from __future__ import annotations

import enum
import json
import os
import re
from collections.abc import Iterable, Mapping, Sequence

from attrs import field, frozen

from profiler_core.decisions import Policy, PolicyRef, _policy_text
from profiler_core.errors import PolicyError, Problem
from profiler_core.frozenmap import FrozenMap
from profiler_core.taxonomy import DEFAULT_TAXONOMY, Taxonomy, normalise_code

__all__ = [
    "CodeMatchKind",
    "CodeMatch",
    "SkillCrosswalk",
    "DEFAULT_CROSSWALK_ENTRIES",
    "DEFAULT_STOP_TOKENS",
    "DEFAULT_SKILL_CROSSWALK",
    "OCH_SEED_SKILL_CODES",
    "CodeCoverage",
    "code_coverage",
    "normalise_skill_code",
    "code_tokens",
]

_SEPARATORS = re.compile(r"[\s_\-]+")


class CodeMatchKind(enum.StrEnum):
    """How a real skill code relates to a taxonomy code, strongest first (see :attr:`strength`)."""

    EXACT = "exact"
    NORMALISED = "normalised"
    CROSSWALK = "crosswalk"
    TOKEN = "token"  # noqa: S105 -- a match kind, not a credential
    PREFIX = "prefix"

    @property
    def strength(self) -> int:
        """0 for ``exact`` (the strongest) to 4 for ``prefix`` (the weakest)."""
        return _STRENGTH[self]


_STRENGTH = {kind: index for index, kind in enumerate(CodeMatchKind)}


def normalise_skill_code(code: str) -> str:
    """Upper-case *code* and fold ``-``, ``_`` and runs of spaces into one ``_``; idempotent.

    >>> normalise_skill_code(" siem-rule  writing_"), normalise_skill_code("TCP-IP")
    ('SIEM_RULE_WRITING', 'TCP_IP')
    """
    return _SEPARATORS.sub("_", code.upper()).strip("_")


def code_tokens(code: str) -> tuple[str, ...]:
    """The tokens of *code* once normalised (:func:`normalise_skill_code`).

    >>> code_tokens("SIEM_RULE_WRITING"), code_tokens("log-parsing"), code_tokens("  ")
    (('SIEM', 'RULE', 'WRITING'), ('LOG', 'PARSING'), ())
    """
    normalised = normalise_skill_code(code)
    return tuple(normalised.split("_")) if normalised else ()


@frozen(kw_only=True)
class CodeMatch:
    """One real code related to one taxonomy (or gap) code.

    Attributes:
        code: the real code, as skill codes compare (:func:`~profiler_core.taxonomy.normalise_code`).
        via: the taxonomy code it relates to, the same way.
        kind: how they relate.
    """

    code: str
    via: str
    kind: CodeMatchKind


def _entry_table(values: Mapping[str, Iterable[str]]) -> FrozenMap[str, tuple[str, ...]]:
    return FrozenMap(
        {
            normalise_skill_code(key): tuple(dict.fromkeys(normalise_code(target) for target in targets))
            for key, targets in values.items()
        }
    )


def _token_set(values: Iterable[str]) -> frozenset[str]:
    return frozenset(normalise_skill_code(value) for value in values)


def _kind_set(values: Iterable[CodeMatchKind | str]) -> frozenset[CodeMatchKind]:
    return frozenset(CodeMatchKind(value) for value in values)


#: The crosswalk's curated entries: each real code of the OCH seed catalogue -> taxonomy codes.
#: Why each one (the recipes that carry the code, from ``seed_recipes.py`` / ``seed_free_recipes.py``):
DEFAULT_CROSSWALK_ENTRIES: Mapping[str, tuple[str, ...]] = FrozenMap(
    {
        # "Write Basic Sigma Rule", "Sigma CLI Basics": detection rules that run in a SIEM.
        "SIEM_RULE_WRITING": ("SIEM",),
        # The same two recipes: detection content runs in SIEMs and in network IDSs.
        "DETECTION_ENGINEERING": ("SIEM", "IDS"),
        # jq log parsing, Windows Event Logs, Splunk, Apache logs "for incident response":
        # security monitoring (security) and investigation (forensics) both.
        "LOG_ANALYSIS": ("SIEM", "DFIR"),
        # "Parse Logs with jq": a command-line tool (linux).
        "CLI_TOOLS": ("CLI",),
        # "Setup ELK Stack": building the SIEM.
        "SIEM_ARCHITECTURE": ("SIEM",),
        # The same recipe: centralising logs is what a SIEM is for.
        "LOG_AGGREGATION": ("SIEM",),
        # "Analyze Windows Event Logs": Windows, not the generic security category.
        "WINDOWS_SECURITY": ("WIN",),
        # "Create Splunk Search Query": SIEM searching.
        "SIEM_QUERIES": ("SIEM",),
        # "Parse Apache Access Logs": web servers and their attacks.
        "WEB_SECURITY": ("WEB",),
        # "Use Wireshark for Packet Analysis": networking.
        "NETWORK_ANALYSIS": ("NET",),
        # The same recipe: packets are TCP/IP.
        "PACKET_INSPECTION": ("NET", "TCPIP"),
        # "Extract Indicators with YARA": malware.
        "MALWARE_ANALYSIS": ("MALWARE",),
        # The same recipe: indicators of compromise serve malware work and investigations.
        "INDICATOR_EXTRACTION": ("MALWARE", "DFIR"),
        # "Query Threat Intelligence APIs" in "security workflows": no threat-intelligence
        # category exists; security operations consume it (SECOPS), so it goes there.
        "THREAT_INTELLIGENCE": ("SECOPS",),
        # The same recipe: calling APIs from code is programming.
        "API_INTEGRATION": ("PROG",),
        # "Setup Snort IDS Rules": intrusion detection (security).
        "IDS_CONFIGURATION": ("IDS",),
        # The same recipe, "for network monitoring": networking (SECURITY alone is too generic).
        "NETWORK_SECURITY": ("NET",),
        # "Log Parsing Basics: Failed Logon Detection": the LOG_ANALYSIS skill, earlier.
        "LOG_PARSING": ("SIEM", "DFIR"),
        # "Nmap Basics: Port Scanning Fundamentals": ports and hosts are networking.
        "NMAP_SCANNING": ("NET",),
        # "General Skills - Beginner Level" (the dump): says nothing about what it teaches,
        # so it closes no gap (an empty entry: deliberately unmapped).
        "GENERAL_SKILLS": (),
    }
)

#: Tokens that never relate a code on their own (the token and prefix steps skip them).
DEFAULT_STOP_TOKENS: frozenset[str] = frozenset(
    {
        # Generic in a cybersecurity catalogue: ANALYSIS is a malware code, but LOG_ANALYSIS
        # and NETWORK_ANALYSIS are not malware; every recipe is about SECURITY (SEC...);
        # BASICS and FUNDAMENTALS are levels, not technical exposure (COMPLIANCE_BASICS).
        "ANALYSIS",
        "SECURITY",
        "BASICS",
        "FUNDAMENTALS",
        # False friends of a prefix: CLIENT is not CLI, COMMAND is not COMM(unication),
        # DOCKER is not DOC(umentation).
        "CLIENT",
        "COMMAND",
        "DOCKER",
    }
)

#: Every distinct skill code of the OCH seed catalogue (seed_recipes, seed_free_recipes, the dump's
#: recipes): the codes :data:`DEFAULT_CROSSWALK_ENTRIES` was curated for.
OCH_SEED_SKILL_CODES: tuple[str, ...] = (
    "SIEM_RULE_WRITING",
    "DETECTION_ENGINEERING",
    "LOG_ANALYSIS",
    "CLI_TOOLS",
    "SIEM_ARCHITECTURE",
    "LOG_AGGREGATION",
    "WINDOWS_SECURITY",
    "SIEM_QUERIES",
    "WEB_SECURITY",
    "NETWORK_ANALYSIS",
    "PACKET_INSPECTION",
    "MALWARE_ANALYSIS",
    "INDICATOR_EXTRACTION",
    "THREAT_INTELLIGENCE",
    "API_INTEGRATION",
    "IDS_CONFIGURATION",
    "NETWORK_SECURITY",
    "log_parsing",
    "nmap_scanning",
    "general_skills",
)


@frozen(kw_only=True)
class SkillCrosswalk(Policy):
    """The versioned policy that relates real skill codes to taxonomy codes; hosts may override it.

    Attributes:
        id: policy id (``"skill-crosswalk"``).
        version: policy version.
        entries: real code -> taxonomy codes (keys stored :func:`normalise_skill_code`-d,
            targets :func:`~profiler_core.taxonomy.normalise_code`-d); an empty entry relates
            its code to nothing.
        stop_tokens: tokens that never relate on their own.
        min_prefix: the shortest taxonomy code the prefix step accepts.
        kinds: the match kinds in use; ``exact`` always (``{exact}`` alone is plain equality).

    Raises:
        PolicyError: the entries, tokens or kinds are inconsistent.

    >>> [DEFAULT_SKILL_CROSSWALK.relate(code, "SIEM") for code in ("siem", "SIEM_RULE_WRITING", "SIEM-X")]
    [<CodeMatchKind.EXACT: 'exact'>, <CodeMatchKind.CROSSWALK: 'crosswalk'>, <CodeMatchKind.TOKEN: 'token'>]
    >>> (
    ...     DEFAULT_SKILL_CROSSWALK.relate("NETWORK_SCANNING", "NET"),
    ...     DEFAULT_SKILL_CROSSWALK.relate("DATA_ANALYSIS", "ANALYSIS"),
    ... )
    (<CodeMatchKind.PREFIX: 'prefix'>, None)
    """

    id: str = "skill-crosswalk"
    version: int = 1
    entries: FrozenMap[str, tuple[str, ...]] = field(
        default=DEFAULT_CROSSWALK_ENTRIES, converter=_entry_table
    )
    stop_tokens: frozenset[str] = field(default=DEFAULT_STOP_TOKENS, converter=_token_set)
    min_prefix: int = 3
    kinds: frozenset[CodeMatchKind] = field(default=frozenset(CodeMatchKind), converter=_kind_set)

    @entries.validator
    def _check(self, _attribute: object, entries: FrozenMap[str, tuple[str, ...]]) -> None:
        problems: list[str] = []
        for key, targets in entries.items():
            if not key:
                problems.append("an entry's code is blank")
            if any(not target for target in targets):
                problems.append(f"entry {key!r} has a blank target")
        for token in sorted(self.stop_tokens):
            if not token or "_" in token:
                problems.append(f"stop token {token!r} is not one token")
        if self.min_prefix < 1:
            problems.append("min_prefix must be >= 1")
        if CodeMatchKind.EXACT not in self.kinds:
            problems.append("kinds must include exact")
        if problems:
            raise PolicyError(policy=str(self.ref), reason="; ".join(problems))

    def relate(self, code: str, target: str) -> CodeMatchKind | None:
        """How real *code* relates to taxonomy code *target*: the strongest kind, or ``None``.

        >>> (
        ...     DEFAULT_SKILL_CROSSWALK.relate("WINDOWS_SECURITY", "WIN"),
        ...     DEFAULT_SKILL_CROSSWALK.relate("WINDOWS_SECURITY", "SEC"),
        ... )
        (<CodeMatchKind.CROSSWALK: 'crosswalk'>, None)
        """
        found = self.matches(code, (target,))
        return found[0].kind if found else None

    def matches(self, code: str, targets: Iterable[str]) -> tuple[CodeMatch, ...]:
        """Every target *code* relates to, strongest kind first (then in *targets*' order).

        >>> [
        ...     (m.via, m.kind.value)
        ...     for m in DEFAULT_SKILL_CROSSWALK.matches("log_analysis", ["DFIR", "LOG", "SIEM"])
        ... ]
        [('DFIR', 'crosswalk'), ('SIEM', 'crosswalk')]
        """
        exact = normalise_code(code)
        if not exact:
            return ()
        normalised = normalise_skill_code(code)
        entry = self.entries.get(normalised) if CodeMatchKind.CROSSWALK in self.kinds else None
        tokens = (
            ()
            if entry is not None
            else tuple(t for t in normalised.split("_") if t and t not in self.stop_tokens)
        )
        found: list[CodeMatch] = []
        for target in dict.fromkeys(normalise_code(t) for t in targets):
            kind = self._kind(exact, normalised, entry, tokens, target)
            if kind is not None:
                found.append(CodeMatch(code=exact, via=target, kind=kind))
        found.sort(key=lambda match: match.kind.strength)
        return tuple(found)

    def _kind(
        self,
        exact: str,
        normalised: str,
        entry: tuple[str, ...] | None,
        tokens: Sequence[str],
        target: str,
    ) -> CodeMatchKind | None:
        if not target:
            return None
        if target == exact:
            return CodeMatchKind.EXACT
        target_normalised = normalise_skill_code(target)
        if CodeMatchKind.NORMALISED in self.kinds and target_normalised == normalised:
            return CodeMatchKind.NORMALISED
        if entry is not None:
            return CodeMatchKind.CROSSWALK if target in entry else None
        if "_" in target_normalised or target_normalised in self.stop_tokens:
            return None
        if CodeMatchKind.TOKEN in self.kinds and target_normalised in tokens:
            return CodeMatchKind.TOKEN
        if (
            CodeMatchKind.PREFIX in self.kinds
            and len(target_normalised) >= self.min_prefix
            and any(token.startswith(target_normalised) for token in tokens)
        ):
            return CodeMatchKind.PREFIX
        return None

    def categories(self, code: str, taxonomy: Taxonomy = DEFAULT_TAXONOMY) -> FrozenMap[str, CodeMatch]:
        """The taxonomy categories *code* relates to, each with its strongest match.

        >>> {c: (m.via, m.kind.value) for c, m in DEFAULT_SKILL_CROSSWALK.categories("LOG_ANALYSIS").items()}
        {'security': ('SIEM', 'crosswalk'), 'forensics': ('DFIR', 'crosswalk')}
        """
        out: dict[str, CodeMatch] = {}
        for category, codes in taxonomy.categories.items():
            found = self.matches(code, codes)
            if found:
                out[category] = found[0]
        return FrozenMap(out)

    def extended(
        self, entries: Mapping[str, Sequence[str]], *, version: int, id: str | None = None
    ) -> SkillCrosswalk:
        """A new crosswalk with *entries* added or replaced (matched by normalised code).

        >>> custom = DEFAULT_SKILL_CROSSWALK.extended({"threat-hunting": ["SIEM", "DFIR"]}, version=2)
        >>> str(custom.ref), custom.relate("THREAT_HUNTING", "DFIR").value
        ('skill-crosswalk@2', 'crosswalk')
        """
        merged: dict[str, Sequence[str]] = dict(self.entries)
        merged.update({normalise_skill_code(key): targets for key, targets in entries.items()})
        return SkillCrosswalk(
            id=self.id if id is None else id,
            version=version,
            entries=merged,
            stop_tokens=self.stop_tokens,
            min_prefix=self.min_prefix,
            kinds=self.kinds,
        )

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> SkillCrosswalk:
        """Build a crosswalk from ``{"id", "version", "entries": {code: [codes]}, ...}``.

        Optional keys: ``stop_tokens`` (a list), ``min_prefix``, ``kinds`` (match kind names).

        Missing optional keys take the defaults of :data:`DEFAULT_SKILL_CROSSWALK`.

        Raises:
            PolicyError: listing every problem with its path (``$.entries.LOG_ANALYSIS[0]: ...``).

        >>> SkillCrosswalk.from_dict(
        ...     {"id": "och", "version": 2, "entries": {"log-parsing": ["siem"]}}
        ... ).entries
        FrozenMap({'LOG_PARSING': ('SIEM',)})
        """
        problems: list[Problem] = []
        ident = data.get("id", "skill-crosswalk")
        if not isinstance(ident, str) or not ident.strip():
            problems.append(Problem(path="$.id", message="must be a non-blank string"))
            ident = "skill-crosswalk"
        version = _positive_int(data.get("version"), "$.version", problems)
        min_prefix = _positive_int(data.get("min_prefix", 3), "$.min_prefix", problems)
        entries = _string_lists(data.get("entries"), "$.entries", problems)
        stop_tokens = _strings(
            data.get("stop_tokens", sorted(DEFAULT_STOP_TOKENS)), "$.stop_tokens", problems
        )
        raw_kinds = _strings(data.get("kinds", [k.value for k in CodeMatchKind]), "$.kinds", problems)
        known = {k.value for k in CodeMatchKind}
        for index, kind in enumerate(raw_kinds):
            if kind not in known:
                problems.append(Problem(path=f"$.kinds[{index}]", message=f"must be one of {sorted(known)}"))
        if problems:
            raise PolicyError(policy=_policy_text(ident, version), reason="; ".join(str(p) for p in problems))
        return cls(
            id=ident,
            version=version,
            entries=entries,
            stop_tokens=stop_tokens,
            min_prefix=min_prefix,
            kinds=[CodeMatchKind(k) for k in raw_kinds],
        )

    @classmethod
    def from_json(cls, text: str) -> SkillCrosswalk:
        """Build a crosswalk from JSON text in the :meth:`from_dict` shape.

        Raises:
            PolicyError: the text is not JSON, or not a valid crosswalk.
        """
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise PolicyError(policy="skill-crosswalk", reason=f"not valid JSON: {exc.msg}") from None
        if not isinstance(data, dict):
            raise PolicyError(
                policy="skill-crosswalk", reason=f"$: must be an object, got {type(data).__name__}"
            )
        return cls.from_dict(data)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> SkillCrosswalk:
        """Read a JSON crosswalk file (UTF-8).

        Raises:
            OSError: the file cannot be read.
            PolicyError: its content is not a valid crosswalk.
        """
        with open(path, encoding="utf-8") as handle:
            return cls.from_json(handle.read())


def _positive_int(value: object, path: str, problems: list[Problem]) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
        return value
    problems.append(Problem(path=path, message="must be a positive integer"))
    return 1


def _strings(value: object, path: str, problems: list[Problem]) -> list[str]:
    if not isinstance(value, list | tuple):
        problems.append(Problem(path=path, message="must be a list of strings"))
        return []
    out = []
    for index, item in enumerate(value):
        if isinstance(item, str) and item.strip():
            out.append(item)
        else:
            problems.append(Problem(path=f"{path}[{index}]", message="must be a non-blank string"))
    return out


def _string_lists(value: object, path: str, problems: list[Problem]) -> dict[str, list[str]]:
    if not isinstance(value, Mapping):
        problems.append(Problem(path=path, message="must be an object of code -> [codes]"))
        return {}
    out: dict[str, list[str]] = {}
    for key, targets in value.items():
        if not isinstance(key, str) or not key.strip():
            problems.append(Problem(path=f"{path}.{key}", message="code must be a non-blank string"))
            continue
        out[key] = _strings(targets, f"{path}.{key}", problems)
    return out


#: The default crosswalk, ``skill-crosswalk@1``: :data:`DEFAULT_CROSSWALK_ENTRIES`,
#: :data:`DEFAULT_STOP_TOKENS`, prefixes of at least 3 characters, every kind.
DEFAULT_SKILL_CROSSWALK = SkillCrosswalk()


@frozen(kw_only=True)
class CodeCoverage:
    """How many real codes relate to at least one taxonomy category (:func:`code_coverage`).

    Attributes:
        total: how many distinct codes were given (compared :func:`normalise_skill_code`-d).
        mapped: the codes that relate to a category, as given, in order.
        unmapped: the codes that relate to none, as given, in order.
        crosswalk: the crosswalk used.
        taxonomy: the taxonomy used.
    """

    total: int
    mapped: tuple[str, ...]
    unmapped: tuple[str, ...]
    crosswalk: PolicyRef
    taxonomy: PolicyRef

    @property
    def summary(self) -> str:
        """One sentence: ``"19 of 20 codes relate to a taxonomy category (...); unmapped: X."``."""
        unmapped = ", ".join(self.unmapped) or "none"
        return (
            f"{len(self.mapped)} of {self.total} codes relate to a taxonomy category "
            f"({self.crosswalk}, {self.taxonomy}); unmapped: {unmapped}."
        )


def code_coverage(
    codes: Iterable[str],
    *,
    crosswalk: SkillCrosswalk = DEFAULT_SKILL_CROSSWALK,
    taxonomy: Taxonomy = DEFAULT_TAXONOMY,
) -> CodeCoverage:
    """Which of *codes* relate to at least one category of *taxonomy* through *crosswalk*.

    >>> code_coverage(OCH_SEED_SKILL_CODES).summary
    '19 of 20 codes relate to a taxonomy category (skill-crosswalk@1, taxonomy@1); unmapped: general_skills.'
    """
    distinct: dict[str, str] = {}
    for code in codes:
        distinct.setdefault(normalise_skill_code(code), code)
    mapped = [code for code in distinct.values() if crosswalk.categories(code, taxonomy)]
    unmapped = [code for code in distinct.values() if code not in mapped]
    return CodeCoverage(
        total=len(distinct),
        mapped=tuple(mapped),
        unmapped=tuple(unmapped),
        crosswalk=crosswalk.ref,
        taxonomy=taxonomy.ref,
    )
