"""Hypothesis strategies for the talent-matching values (needs ``hypothesis``).

Complements :mod:`profiler_core.testing.strategies` (which already builds job
postings, talent profiles and sessions) with the values of
:mod:`profiler_core.matching`.
"""

from __future__ import annotations

from hypothesis import strategies as st

from profiler_core.matching import MatchPolicy, MatchScore, score_match
from profiler_core.testing.strategies import job_postings, recipes, talent_profiles
from profiler_core.vocabulary import DifficultySelection, TrackKey

__all__ = ["match_policies", "respelled", "alignments", "match_scores"]


def match_policies() -> st.SearchStrategy[MatchPolicy]:
    """Policies with arbitrary non-negative weights (some zero) and level fits."""
    weights = st.sampled_from((0.0, 1.0, 5.0)) | st.floats(min_value=0, max_value=100, allow_nan=False)
    return st.builds(
        MatchPolicy,
        id=st.just("matching-test"),
        version=st.integers(1, 9),
        skills_weight=weights,
        track_weight=weights,
        level_weight=weights,
        readiness_weight=weights,
        adjacent_level_fit=st.floats(min_value=0, max_value=1, allow_nan=False),
        recipes_per_skill=st.integers(0, 4),
    )


@st.composite
def respelled(draw: st.DrawFn, skill: str) -> str:
    """*skill* as a host might store it: any letter case, padded and with doubled spaces."""
    letters = "".join(c.upper() if draw(st.booleans()) else c.lower() for c in skill)
    inner = letters.replace(" ", draw(st.sampled_from((" ", "  ", "\t"))))
    return draw(st.sampled_from(("", " ", "  "))) + inner + draw(st.sampled_from(("", " ", "\n")))


def alignments() -> st.SearchStrategy[dict[TrackKey, float]]:
    """Track alignment percentages for some tracks."""
    return st.dictionaries(st.sampled_from(TrackKey), st.floats(min_value=0, max_value=100, allow_nan=False))


def match_scores() -> st.SearchStrategy[MatchScore]:
    """Valid match scores, built by :func:`~profiler_core.matching.score_match` from drawn inputs."""
    return st.builds(
        lambda profile, job, selection, alignment, track, catalogue, policy: score_match(
            profile,
            job,
            selection=selection,
            alignment=alignment,
            track=track,
            recipes=catalogue,
            policy=policy,
        ),
        talent_profiles(),
        job_postings(),
        st.none() | st.sampled_from(DifficultySelection),
        alignments(),
        st.none() | st.sampled_from(TrackKey),
        st.lists(recipes(), max_size=4),
        match_policies(),
    )
