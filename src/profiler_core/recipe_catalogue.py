"""The recipe catalogue index (SPEC §4, issue 15): prepared once, ranked per request in microseconds.

:class:`RecipeCatalogue` holds a catalogue's active recipes with what every
ranking would otherwise recompute on each call: the recipes in popularity
order, an inverted index from each skill code (as spelled) to its recipes, the
crosswalk's relation of every spelling to every code of a taxonomy, and the
recipes of each id and slug. Pass it wherever a ranking takes recipes
(:func:`~profiler_core.recipe_ranking.recommend_recipes`,
:func:`~profiler_core.recipe_ranking.mission_stage_recipes`,
:func:`~profiler_core.recipe_ranking.next_best_recipes`): the result is the
one the plain catalogue gives, and a call touches only the recipes that cover
a gap (or, for the popularity fallback, the first ones in a precomputed order).

Sets of recipes are Python integers used as bitsets: bit ``p`` is the recipe
at position ``p`` of :attr:`RecipeCatalogue.recipes`, so the most popular
members of a set are its lowest bits.

Imports: ``models``, ``skill_codes``, ``taxonomy``, ``gap_values`` and the ranking's
private greedy-coverage engine (``_greedy_coverage``, for the one popularity and
de-duplication order); never the wire edge.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence

from attrs import field, frozen

from profiler_core._greedy_coverage import _dedupe_key, recipe_popularity_key
from profiler_core.gap_values import Gap
from profiler_core.models import Recipe
from profiler_core.skill_codes import DEFAULT_SKILL_CROSSWALK, CodeMatch, SkillCrosswalk
from profiler_core.taxonomy import DEFAULT_TAXONOMY, Taxonomy, normalise_code

__all__ = ["RecipeCatalogue"]


def _popularity_order(recipes: Iterable[Recipe]) -> tuple[Recipe, ...]:
    # The active recipes by the de-duplication key (popularity, then the value's text), stable.
    # recipe_popularity_key ends with the id, so only values sharing an id can tie on it;
    # only those runs pay for the textual order.
    active = [r for r in recipes if r.is_active]
    keys = list(map(recipe_popularity_key, active))
    order = sorted(range(len(active)), key=keys.__getitem__)
    if len({r.id for r in active}) == len(active):
        return tuple(active[i] for i in order)
    out: list[Recipe] = []
    start = 0
    while start < len(order):
        end = start + 1
        while end < len(order) and keys[order[end]] == keys[order[start]]:
            end += 1
        run = [active[i] for i in order[start:end]]
        out.extend(run if len(run) == 1 else sorted(run, key=_dedupe_key))
        start = end
    return tuple(out)


def _bitset(positions: Collection[int], size: int) -> int:
    """The integer whose set bits are *positions* (each below *size*)."""
    if len(positions) < 32:
        return sum(1 << p for p in set(positions))
    buffer = bytearray((size + 7) // 8)
    for p in positions:
        buffer[p >> 3] |= 1 << (p & 7)
    return int.from_bytes(buffer, "little")


def _lowest(bits: int, count: int) -> list[int]:
    """The positions of the *count* lowest set bits of *bits*, lowest first."""
    out: list[int] = []
    while bits and len(out) < count:
        low = bits & -bits
        out.append(low.bit_length() - 1)
        bits ^= low
    return out


class _Members:
    """A group's most popular members (at most *limit*), read from its bitset as far as asked."""

    __slots__ = ("_bits", "_catalogue", "_read", "_size")

    def __init__(self, catalogue: RecipeCatalogue, bits: int, limit: int) -> None:
        self._catalogue = catalogue
        self._bits = bits
        self._read: list[int] = []
        self._size = min(limit, bits.bit_count())

    def __len__(self) -> int:
        return self._size

    def _position(self, index: int) -> int:
        if not 0 <= index < self._size:
            raise IndexError(index)
        while len(self._read) <= index:
            low = self._bits & -self._bits
            self._read.append(low.bit_length() - 1)
            self._bits ^= low
        return self._read[index]

    def __getitem__(self, index: int, /) -> Recipe:
        return self._catalogue.recipes[self._position(index)]

    def tie(self, index: int) -> tuple[int, float, str, str]:
        return self._catalogue._keys[self._position(index)]


@frozen(kw_only=True)
class RecipeCatalogue:
    """A recipe catalogue indexed once for ranking; an immutable value, safe to share across requests.

    Build it when the catalogue changes (at start-up, or when the host's recipes
    are edited) with :meth:`build`, and pass it as the *recipes* of a ranking.
    Iterating it yields :attr:`recipes`, so any function that takes recipes
    accepts it.

    Attributes:
        recipes: the active recipes, most popular first
            (:func:`~profiler_core.recipe_ranking.recipe_popularity_key`); values
            sharing an id are all kept, in the order the rankings de-duplicate them.
        crosswalk: the crosswalk whose relations are precomputed; a ranking called with
            another crosswalk relates the codes itself (same result, slower).
        taxonomy: the taxonomy whose codes are precomputed targets; a gap code outside
            it is related on each call (same result, slower).

    >>> from profiler_core import Recipe
    >>> catalogue = RecipeCatalogue.build(
    ...     [
    ...         Recipe(id="1", slug="dns", title="DNS", skill_codes=("DNS",), usage_count=5),
    ...         Recipe(id="2", slug="net", title="NET", skill_codes=("NETWORK_SCANNING",), usage_count=9),
    ...         Recipe(id="3", slug="old", title="Old", skill_codes=("NET",), is_active=False),
    ...     ]
    ... )
    >>> [r.slug for r in catalogue], len(catalogue)
    (['net', 'dns'], 2)
    """

    recipes: tuple[Recipe, ...] = field(converter=_popularity_order)
    crosswalk: SkillCrosswalk = DEFAULT_SKILL_CROSSWALK
    taxonomy: Taxonomy = DEFAULT_TAXONOMY
    # The index (private, read-only once built; plain dicts, whose lookups run in C).
    # spelling (as the recipes spell it) -> positions of the recipes carrying it.
    _positions: Mapping[str, Sequence[int]] = field(init=False, repr=False, eq=False)
    # spelling -> its normalise_code form.
    _normalised: Mapping[str, str] = field(init=False, repr=False, eq=False)
    # spelling, and its normalise_code form -> its crosswalk matches to the taxonomy's codes.
    _matches: Mapping[str, tuple[CodeMatch, ...]] = field(init=False, repr=False, eq=False)
    # taxonomy code -> bitset of the recipes with a spelling related to it.
    _targets: Mapping[str, int] = field(init=False, repr=False, eq=False)
    # recipe id / slug -> the position of its first value, and of the others (rare).
    _ids: Mapping[str, int] = field(init=False, repr=False, eq=False)
    _more_ids: Mapping[str, Sequence[int]] = field(init=False, repr=False, eq=False)
    _slugs: Mapping[str, int] = field(init=False, repr=False, eq=False)
    _more_slugs: Mapping[str, Sequence[int]] = field(init=False, repr=False, eq=False)
    # Bitsets of the ids held by several values (de-duplicated per call, among candidates).
    _duplicates: tuple[int, ...] = field(init=False, repr=False, eq=False)
    # recipe_popularity_key of each position.
    _keys: tuple[tuple[int, float, str, str], ...] = field(init=False, repr=False, eq=False)
    # The first position of each id: the popularity fallback without exclusions.
    _winners: tuple[int, ...] = field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        size = len(self.recipes)
        positions: defaultdict[str, list[int]] = defaultdict(list)
        ids: dict[str, int] = {}
        more_ids: defaultdict[str, list[int]] = defaultdict(list)
        slugs: dict[str, int] = {}
        more_slugs: defaultdict[str, list[int]] = defaultdict(list)
        for position, recipe in enumerate(self.recipes):
            codes = recipe.skill_codes
            for code in codes if len(codes) < 2 else dict.fromkeys(codes):
                positions[code].append(position)
            if ids.setdefault(recipe.id, position) != position:
                more_ids[recipe.id].append(position)
            if slugs.setdefault(recipe.slug, position) != position:
                more_slugs[recipe.slug].append(position)
        codes = tuple(dict.fromkeys(c for found in self.taxonomy.categories.values() for c in found))
        matches: dict[str, tuple[CodeMatch, ...]] = {}
        for spelling in [*positions, *(normalise_code(s) for s in positions)]:
            if spelling not in matches:
                matches[spelling] = self.crosswalk.matches(spelling, codes)
        related: dict[str, list[int]] = {code: [] for code in codes}
        for spelling, where in positions.items():
            for match in matches[spelling]:
                related[match.via].extend(where)
        set_ = object.__setattr__
        set_(self, "_positions", dict(positions))
        set_(self, "_normalised", {s: normalise_code(s) for s in positions})
        set_(self, "_matches", matches)
        set_(self, "_targets", {c: _bitset(p, size) for c, p in related.items()})
        set_(self, "_ids", ids)
        set_(self, "_more_ids", dict(more_ids))
        set_(self, "_slugs", slugs)
        set_(self, "_more_slugs", dict(more_slugs))
        set_(self, "_duplicates", tuple(_bitset([ids[i], *more], size) for i, more in more_ids.items()))
        set_(self, "_winners", tuple(ids.values()))
        set_(self, "_keys", tuple(map(recipe_popularity_key, self.recipes)))

    @classmethod
    def build(
        cls,
        recipes: Iterable[Recipe],
        *,
        crosswalk: SkillCrosswalk = DEFAULT_SKILL_CROSSWALK,
        taxonomy: Taxonomy = DEFAULT_TAXONOMY,
    ) -> RecipeCatalogue:
        """Index *recipes* (inactive ones are left out) for *crosswalk* and *taxonomy*'s codes.

        Runs in one pass over the catalogue plus one crosswalk relation per distinct
        code spelling and taxonomy code; pass the crosswalk and taxonomy the rankings use.

        >>> catalogue = RecipeCatalogue.build([])
        >>> len(catalogue), str(catalogue.crosswalk.ref), str(catalogue.taxonomy.ref)
        (0, 'skill-crosswalk@1', 'taxonomy@1')
        """
        return cls(recipes=tuple(recipes), crosswalk=crosswalk, taxonomy=taxonomy)

    def __iter__(self) -> Iterator[Recipe]:
        """The active recipes, most popular first."""
        return iter(self.recipes)

    def __len__(self) -> int:
        """How many active recipe values the catalogue holds."""
        return len(self.recipes)

    # --- what the rankings ask (private: profiler_core.recipe_ranking calls these) -----------

    def _normalise(self, code: str) -> str:
        """``normalise_code(code)``, precomputed for the catalogue's spellings."""
        found = self._normalised.get(code)
        return normalise_code(code) if found is None else found

    def _knows(self, crosswalk: SkillCrosswalk) -> bool:
        return crosswalk is self.crosswalk or crosswalk == self.crosswalk

    def _id_positions(self, ident: str) -> list[int]:
        """The positions of the values whose id is *ident* (none for an unknown id)."""
        if ident not in self._ids:
            return []
        return [self._ids[ident], *self._more_ids.get(ident, ())]

    def _refs(self, refs: Iterable[str]) -> int:
        """The bitset of the values whose id or slug is one of *refs*."""
        found: list[int] = []
        for ref in refs:
            found += self._id_positions(ref)
            if ref in self._slugs:
                found += [self._slugs[ref], *self._more_slugs.get(ref, ())]
        return _bitset(found, len(self.recipes))

    def _related_sets(self, codes: Sequence[str], crosswalk: SkillCrosswalk) -> dict[str, int]:
        """Each of *codes* (normalised) -> the bitset of the recipes with a spelling related to it."""
        known = self._knows(crosswalk)
        out = {code: self._targets[code] for code in codes if known and code in self._targets}
        unknown = [code for code in codes if code not in out]
        if unknown:
            found: dict[str, list[int]] = {code: [] for code in unknown}
            for spelling, where in self._positions.items():
                for match in crosswalk.matches(spelling, unknown):
                    found.setdefault(match.via, []).extend(where)
            size = len(self.recipes)
            out.update({code: _bitset(found.get(code, ()), size) for code in unknown})
        return out

    def _relation(
        self, targets: tuple[str, ...], crosswalk: SkillCrosswalk
    ) -> Callable[[str], tuple[CodeMatch, ...]]:
        """``code -> crosswalk.matches(code, targets)``, from the precomputed matches where it can."""
        if not (self._knows(crosswalk) and all(t in self._targets for t in targets)):
            return functools.cache(lambda code: crosswalk.matches(code, targets))
        table = self._matches
        order = {target: index for index, target in enumerate(targets)}

        def related(code: str) -> tuple[CodeMatch, ...]:
            # What crosswalk.matches(code, targets) gives: the matches to *targets*, strongest
            # kind first, then in *targets*' order.
            found = table.get(code)
            if found is None:
                return crosswalk.matches(code, targets)
            kept = [m for m in found if m.via in order]
            if len(kept) > 1:
                kept.sort(key=lambda m: (m.kind.strength, order[m.via]))
            return tuple(kept)

        return related

    def _groups(
        self,
        gaps: Sequence[Gap],
        *,
        required: int,
        boost_refs: frozenset[str],
        exclude_refs: frozenset[str],
        crosswalk: SkillCrosswalk,
        limit: int,
    ) -> tuple[dict[int, _Members], int]:
        """The candidates' most popular *limit* members per gap bitmask, and how many candidates.

        The same groups (cut to their heads) and count as the plain catalogue's
        ``_greedy_coverage._candidates``: bit ``i`` is ``gaps[i]``, bit ``len(gaps)`` a
        boosted recipe; candidates address a *required* gap or are boosted, are not
        excluded, and are de-duplicated by id.
        """
        codes = tuple(dict.fromkeys(code for gap in gaps for code in gap.skill_codes))
        related = self._related_sets(codes, crosswalk) if codes else {}
        sets = [functools.reduce(int.__or__, (related[c] for c in gap.skill_codes), 0) for gap in gaps]
        boosted = self._refs(boost_refs) if boost_refs else 0
        sets.append(boosted)
        candidates = boosted
        for index, bits in enumerate(sets[:-1]):
            if required >> index & 1:
                candidates |= bits
        if exclude_refs:
            candidates &= ~self._refs(exclude_refs)
        for bits in self._duplicates:
            shared = candidates & bits
            if shared & (shared - 1):
                candidates ^= shared ^ (shared & -shared)
        groups: dict[int, int] = {0: candidates} if candidates else {}
        for index, bits in enumerate(sets):
            if not bits:
                continue
            split: dict[int, int] = {}
            for mask, members in groups.items():
                inside = members & bits
                if inside:
                    split[mask | 1 << index] = inside
                if inside != members:
                    split[mask] = members ^ inside
            groups = split
        heads = {mask: _Members(self, members, limit) for mask, members in groups.items()}
        return heads, candidates.bit_count()

    def _popular(self, limit: int, exclude_refs: frozenset[str]) -> tuple[list[Recipe], int]:
        """The popularity fallback: the *limit* most popular recipes (one per id), and how many ids."""
        recipes = self.recipes
        if not exclude_refs:
            return [recipes[p] for p in self._winners[:limit]], len(self._winners)
        excluded = set(_lowest(self._refs(exclude_refs), len(recipes)))
        touched = {recipes[p].id for p in excluded}
        gone = sum(1 for ident in touched if excluded.issuperset(self._id_positions(ident)))
        top: list[Recipe] = []
        seen: set[str] = set()
        for position, recipe in enumerate(recipes):
            if len(top) == limit:
                break
            if position not in excluded and recipe.id not in seen:
                seen.add(recipe.id)
                top.append(recipe)
        return top, len(self._winners) - gone
