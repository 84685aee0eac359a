"""Talent matching: rank 100,000 candidates for one job, beside the platform's old Jaccard ranking.

Both rankings run over the same profiles in one process and return the top 10:

* **baseline**: what the platform did, in plain Python: Jaccard similarity of
  the raw skill lists (``|A & B| / |A | B|``), then the top 10 by score and id
  with :func:`heapq.nsmallest` (the same top-k selection as the library, so the
  comparison measures the scoring, not the sort);
* **profiler_core**: :func:`profiler_core.matching.rank_candidates`, which also
  checks visibility and share consent, looks up each learner's completed
  session, scores skills coverage (case and whitespace normalised), track,
  level and readiness, and builds the full breakdown (components, matched and
  missing skills, reasons) for the top 10.

Each is timed as the best of several repetitions (after one warm-up run), the two
interleaved so that both see the same machine load.
Target (issue 6): ratio <= 1.5. The benchmark prints numbers; it asserts nothing.
"""

from __future__ import annotations

import heapq
import random
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime, timedelta

from profiler_core.matching import CandidateRanking, rank_candidates
from profiler_core.models import JobId, JobPosting, ProfilerSession, SessionId, TalentProfile, UserId
from profiler_core.vocabulary import DifficultySelection, JobLevel, SessionStatus, TrackKey

__all__ = ["main", "jaccard_top", "build_population"]

PROFILES = 100_000
LIMIT = 10
REPEATS = 7
NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)

_SKILLS = (
    "NET",
    "DNS",
    "SIEM",
    "SECOPS",
    "IDS",
    "PYTHON",
    "BASH",
    "LINUX",
    "WIN",
    "POWERSHELL",
    "AWS",
    "AZURE",
    "CRYPTO",
    "WEB",
    "OWASP",
    "DFIR",
    "MALWARE",
    "Incident Response",
    "Threat Hunting",
    "Cloud Security",
)


def _spelling(rng: random.Random, skill: str) -> str:
    # Hosts store skills as typed: some lower-case, some padded.
    roll = rng.random()
    if roll < 0.15:
        return skill.lower()
    if roll < 0.2:
        return f" {skill} "
    return skill


def build_population(
    size: int, *, all_eligible: bool = False, seed: int = 11
) -> tuple[JobPosting, list[TalentProfile], dict[UserId, ProfilerSession]]:
    """One job, *size* talent profiles and each learner's completed session (deterministic).

    By default about 10% of profiles are hidden, 10% lack share consent and 5%
    have no completed session, as on the platform; with *all_eligible* every
    profile is searchable and profiled (the library's worst case: it scores all).
    """
    rng = random.Random(seed)
    share = 1.0 if all_eligible else 0.9
    job = JobPosting(
        id=JobId("job-bench"),
        title="SOC Analyst II",
        employer_id="employer-1",
        required_skills=("SIEM", "NET", "PYTHON", "Incident Response", "LINUX"),
        application_deadline=NOW + timedelta(days=30),
        track=TrackKey.DEFENDER,
        level=JobLevel.MID,
    )
    tracks = list(TrackKey)
    selections = [*DifficultySelection, None]
    profiles: list[TalentProfile] = []
    sessions: dict[UserId, ProfilerSession] = {}
    for index in range(size):
        user = UserId(f"learner-{index:06d}")
        profiles.append(
            TalentProfile(
                user_id=user,
                skills=tuple(_spelling(rng, s) for s in rng.sample(_SKILLS, rng.randint(2, 8))),
                readiness_score=round(rng.uniform(10, 95), 1),
                primary_track_key=rng.choice(tracks),
                is_visible=rng.random() < share,
                employer_share_consent=rng.random() < share,
            )
        )
        if all_eligible or rng.random() < 0.95:
            sessions[user] = ProfilerSession(
                id=SessionId(f"session-{index:06d}"),
                user_id=user,
                status=SessionStatus.FINISHED,
                completed_at=NOW - timedelta(days=rng.randint(1, 300)),
                difficulty_selection=rng.choice(selections),
                recommended_track=rng.choice(tracks),
                track_alignment_percentages={t: round(rng.uniform(5, 95), 1) for t in tracks},
            )
    return job, profiles, sessions


def jaccard_top(job: JobPosting, profiles: Sequence[TalentProfile], limit: int) -> list[tuple[float, str]]:
    """The platform's old ranking: Jaccard over raw skill lists, top *limit* by score then id."""
    required = set(job.required_skills)
    scored = []
    for profile in profiles:
        skills = set(profile.skills)
        union = len(skills | required)
        score = len(skills & required) / union * 100 if union else 0.0
        scored.append((-score, profile.user_id))
    return [(-score, user) for score, user in heapq.nsmallest(limit, scored)]


def _best_pair(
    first: Callable[[], object], second: Callable[[], object], repeats: int
) -> tuple[float, float]:
    """Best wall time of each, interleaved so both see the same machine load."""
    first()
    second()
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeats):
        for run, bucket in ((first, times[0]), (second, times[1])):
            start = time.perf_counter()
            run()
            bucket.append(time.perf_counter() - start)
    return min(times[0]), min(times[1])


def _library(
    job: JobPosting, profiles: Sequence[TalentProfile], sessions: Mapping[UserId, ProfilerSession]
) -> CandidateRanking:
    return rank_candidates(job, profiles, sessions=sessions, now=NOW, limit=LIMIT)


def _scenario(title: str, *, all_eligible: bool) -> None:
    job, profiles, sessions = build_population(PROFILES, all_eligible=all_eligible)
    baseline, library = _best_pair(
        lambda: jaccard_top(job, profiles, LIMIT), lambda: _library(job, profiles, sessions), REPEATS
    )
    ranking = _library(job, profiles, sessions)
    print(f"{title}: {len(profiles):,} profiles, {len(sessions):,} completed sessions, top {LIMIT}")
    print(f"  baseline (Jaccard, plain Python): {baseline * 1000:8.1f} ms")
    print(f"  profiler_core rank_candidates:    {library * 1000:8.1f} ms")
    print(f"  ratio: {library / baseline:.2f} (target <= 1.5)")
    print(f"  scored {ranking.considered:,}; left out {dict(ranking.excluded)}")
    best = ranking.matches[0].match
    parts = ", ".join(f"{c.kind.value} {c.contribution:.1f}" for c in best.components)
    print(f"  top candidate {best.user_id}: score {best.score:.2f} = {parts}")


def main() -> None:
    """Build the populations, time both rankings, print the times and the ratios."""
    _scenario("platform-like population", all_eligible=False)
    _scenario("every profile eligible", all_eligible=True)


if __name__ == "__main__":
    main()
