"""Taxonomy (SPEC §4): the versioned, host-overridable map from category to skill codes.

:meth:`Taxonomy.lookup` tries an exact, then a normalised, then a substring
match and records which one it used (:class:`TaxonomyMatch`);
:meth:`Taxonomy.extended` adds or replaces categories; :meth:`Taxonomy.from_dict`,
:meth:`Taxonomy.from_json` and :meth:`Taxonomy.load` read a host's taxonomy.
:func:`normalise_code` is how skill codes compare everywhere.

Imports: ``decisions``, ``errors``, ``frozenmap``, ``vocabulary``; never the wire edge.
"""

from __future__ import annotations

import enum
import json
import os
from collections.abc import Iterable, Mapping, Sequence

from attrs import field, frozen

from profiler_core.decisions import Policy, _policy_text
from profiler_core.errors import PolicyError, Problem
from profiler_core.field_rules import _strings
from profiler_core.frozenmap import FrozenMap
from profiler_core.vocabulary import normalise_token

__all__ = [
    "MatchKind",
    "TaxonomyMatch",
    "Taxonomy",
    "DEFAULT_TAXONOMY_CATEGORIES",
    "DEFAULT_TAXONOMY",
    "normalise_code",
]


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


def normalise_code(code: str) -> str:
    """Skill codes compare upper-cased, whitespace trimmed and collapsed (``-`` and ``_`` are kept).

    >>> normalise_code("  tcpip "), normalise_code("incident   response")
    ('TCPIP', 'INCIDENT RESPONSE')
    """
    return " ".join(code.split()).upper()


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
class Taxonomy(Policy):
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
            raise PolicyError(policy=str(self.ref), reason="; ".join(problems))

    def __attrs_post_init__(self) -> None:
        tokens = FrozenMap({normalise_token(key): key for key in self.categories})
        object.__setattr__(self, "_tokens", tokens)

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
            raise PolicyError(policy=_policy_text(ident, version), reason="; ".join(str(p) for p in problems))
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
