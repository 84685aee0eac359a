"""Greedy marginal weighted coverage: the engine behind :mod:`profiler_core.recipe_ranking`.

Private. Candidates are grouped by the bitmask of the gaps they address (bit
``i`` is ``gaps[i]``); one lazy-heap greedy pass picks the group with the most
not-yet-covered weight, each group offering its most popular remaining member.
Every ranking de-duplicates recipes here, with one rule (:func:`_one_per_id`).
"""

from __future__ import annotations

import heapq
import itertools
import operator
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Protocol

from attrs import frozen

from profiler_core.gaps import Gap
from profiler_core.models import Recipe, RecipeId
from profiler_core.taxonomy import normalise_code

__all__ = ["recipe_popularity_key"]


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


def _one_per_id(recipes: Iterable[Recipe]) -> list[Recipe]:
    """The one de-duplication rule of every ranking: one value per recipe id.

    Among values sharing an id the :func:`_dedupe_key` minimum is kept (the more
    popular, then a stable textual order), whatever the input order; ids keep the
    position of their first appearance.
    """
    chosen: dict[RecipeId, Recipe] = {}
    for recipe in recipes:
        previous = chosen.get(recipe.id)
        if previous is None or _dedupe_key(recipe) < _dedupe_key(previous):
            chosen[recipe.id] = recipe
    return list(chosen.values())


def _excluded(recipe: Recipe, refs: frozenset[str]) -> bool:
    return bool(refs) and (recipe.id in refs or recipe.slug in refs)


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
    """Raw code spelling -> gap bitmask; an unseen spelling is normalised (or related) once, then cached.

    With *related* (a code -> the gap codes it relates to, :mod:`profiler_core.skill_codes`),
    every spelling is related, even one that equals a gap code (it may relate to others too).
    """

    def __init__(
        self, masks: Mapping[str, int], related: Callable[[str], Iterable[str]] | None = None
    ) -> None:
        super().__init__(masks if related is None else {})
        self._masks = masks
        self._related = related

    def __missing__(self, code: str) -> int:
        if self._related is None:
            bits = self._masks.get(normalise_code(code), 0)
        else:
            bits = 0
            for target in self._related(code):
                bits |= self._masks.get(target, 0)
        self[code] = bits
        return bits


def _candidates(
    gaps: Sequence[Gap],
    recipes: Iterable[Recipe],
    *,
    required: int,
    boost_refs: frozenset[str],
    exclude_refs: frozenset[str],
    related: Callable[[str], Iterable[str]] | None = None,
) -> tuple[dict[str, int], dict[int, list[Recipe]]]:
    """Active eligible recipes grouped by their gap bitmask, de-duplicated by id.

    Bit ``i`` is ``gaps[i]``; bit ``len(gaps)`` marks an explicitly boosted recipe.
    A recipe code addresses the gaps whose codes it equals (normalised), or those
    *related* names.
    """
    # One pass over the catalogue: each recipe's bitmask through a code -> mask index.
    code_mask: dict[str, int] = {}
    for index, gap in enumerate(gaps):
        for code in gap.skill_codes:
            code_mask[code] = code_mask.get(code, 0) | (1 << index)
    masks = _CodeMasks(code_mask, related)
    boost_bit = 1 << len(gaps)
    wanted = required | boost_bit
    groups: defaultdict[int, list[Recipe]] = defaultdict(list)
    for recipe in recipes:
        if not recipe.is_active:
            continue
        mask = 0
        for code in recipe.skill_codes:
            mask |= masks[code]
        if _excluded(recipe, boost_refs):
            mask |= boost_bit
        if mask & wanted and not _excluded(recipe, exclude_refs):
            groups[mask].append(recipe)
    members = list(itertools.chain.from_iterable(groups.values()))
    if len(set(map(_ID, members))) != len(members):
        return code_mask, _dedupe(groups)
    return code_mask, groups


def _dedupe(groups: Mapping[int, list[Recipe]]) -> dict[int, list[Recipe]]:
    # Rare path: several values share an id; keep the one _one_per_id keeps, once
    # (a value's mask follows from the value, so it stays in its own group).
    winners = {r.id: r for r in _one_per_id(itertools.chain.from_iterable(groups.values()))}
    out: dict[int, list[Recipe]] = {}
    for mask, bucket in groups.items():
        for recipe in bucket:
            if winners.get(recipe.id) is recipe:
                del winners[recipe.id]
                out.setdefault(mask, []).append(recipe)
    return out


class _SortedHead(list[Recipe]):
    """A group's most popular members, sorted (the plain catalogue's :class:`_Head`)."""

    def tie(self, index: int) -> tuple[int, float, str, str]:
        return recipe_popularity_key(self[index])


def _head(bucket: list[Recipe], limit: int) -> _SortedHead:
    # The *limit* first members by recipe_popularity_key. A large bucket is cut first
    # by usage count alone (a C-level key): every member of the true head has a usage
    # count at least the limit-th largest, so nothing that matters is cut.
    if len(bucket) > 4 * limit:
        threshold = _USAGE(heapq.nlargest(limit, bucket, key=_USAGE)[-1])
        bucket = [r for r in bucket if r.usage_count >= threshold]
    return _SortedHead(sorted(bucket, key=recipe_popularity_key)[:limit])


class _Head(Protocol):
    """The most popular members of one group, in popularity order (a list, or computed on demand)."""

    def __len__(self) -> int: ...

    def __getitem__(self, index: int, /) -> Recipe: ...

    def tie(self, index: int) -> tuple[int, float, str, str]:
        """The :func:`recipe_popularity_key` of member *index*."""


def _greedy(groups: Mapping[int, list[Recipe]], weights: Sequence[int], *, limit: int) -> list[_Pick]:
    """Greedy marginal weighted coverage over grouped candidates (see :func:`_greedy_heads`)."""
    if limit == 0:
        return []
    return _greedy_heads(
        {mask: _head(bucket, limit) for mask, bucket in groups.items()}, weights, limit=limit
    )


def _greedy_heads(heads: Mapping[int, _Head], weights: Sequence[int], *, limit: int) -> list[_Pick]:
    """Greedy marginal weighted coverage over each group's most popular members.

    Members of one group share a bitmask, hence always the same marginal gain, so
    each group only ever offers its most popular remaining member: *heads* holds,
    per bitmask, its at most *limit* most popular members in order (read only as
    far as the picks go). Gains only shrink as coverage grows, so a lazy heap
    (re-check the top, push it back if it shrank) picks exactly what a full
    re-scan would.
    """
    if limit == 0:
        return []
    gap_bits = (1 << (len(weights) - 1)) - 1
    known: dict[int, int] = {}

    def weight(mask: int) -> int:
        found = known.get(mask)
        if found is None:
            found = known[mask] = _mask_weight(mask, weights)
        return found

    heap = [(-weight(mask), head.tie(0), mask) for mask, head in heads.items()]
    heapq.heapify(heap)
    covered = 0
    picks: list[_Pick] = []
    position = dict.fromkeys(heads, 0)
    while heap and len(picks) < limit:
        stale, tie, mask = heapq.heappop(heap)
        gain = weight(mask & ~covered)
        if gain != -stale:
            heapq.heappush(heap, (-gain, tie, mask))
            continue
        head = heads[mask]
        picks.append(_Pick(recipe=head[position[mask]], mask=mask, newly=mask & ~covered, gain=gain))
        covered |= mask & gap_bits
        position[mask] += 1
        if position[mask] < len(head):
            rest = weight(mask & ~covered)
            heapq.heappush(heap, (-rest, head.tie(position[mask]), mask))
    return picks
