"""Builders shared by the talent-matching test files: jobs, profiles, sessions and recipes by short name."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

from tests import builders

from profiler_core import (
    JobId,
    JobLevel,
    JobPosting,
    ProfilerSession,
    Recipe,
    RecipeId,
    TalentProfile,
    UserId,
)
from profiler_core.vocabulary import DifficultySelection, SessionStatus, TrackKey

__all__ = ["NOW", "D", "L", "T", "job", "profile", "recipe", "session", "signals"]

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
D = DifficultySelection
T = TrackKey
L = JobLevel


def job(
    jid: str = "job-1",
    skills: tuple[str, ...] = (),
    *,
    track: TrackKey | None = None,
    level: JobLevel | None = None,
    active: bool = True,
    deadline: datetime | None = None,
) -> JobPosting:
    """An open job posting *jid* of employer ``emp`` requiring *skills*."""
    return JobPosting(
        id=JobId(jid),
        title="t",
        employer_id="emp",
        required_skills=skills,
        track=track,
        level=level,
        is_active=active,
        application_deadline=deadline,
    )


def profile(
    uid: str = "u-1",
    skills: tuple[str, ...] = (),
    *,
    readiness: float | None = None,
    track: TrackKey | None = None,
    visible: bool = True,
    consent: bool = True,
) -> TalentProfile:
    """Learner *uid*'s talent profile, visible and shared with employers unless told otherwise."""
    return TalentProfile(
        user_id=UserId(uid),
        skills=skills,
        readiness_score=readiness,
        primary_track_key=track,
        is_visible=visible,
        employer_share_consent=consent,
    )


def session(
    uid: str = "u-1",
    *,
    selection: DifficultySelection | None = None,
    track: TrackKey | None = None,
    alignment: Mapping[TrackKey, float] | None = None,
    status: SessionStatus = SessionStatus.FINISHED,
) -> ProfilerSession:
    """The shared session builder: learner *uid*'s session ``s-<uid>``, completed a day before NOW."""
    return builders.session(
        f"s-{uid}",
        uid,
        status=status,
        completed_at=NOW - timedelta(days=1),
        selection=selection,
        track=track,
        alignment=alignment,
    )


def recipe(
    rid: str, codes: tuple[str, ...], *, usage: int = 0, rating: float = 0.0, active: bool = True
) -> Recipe:
    """An active recipe *rid* (slug ``slug-<rid>``) teaching *codes*."""
    return Recipe(
        id=RecipeId(rid),
        slug=f"slug-{rid}",
        title=rid,
        skill_codes=codes,
        usage_count=usage,
        avg_rating=rating,
        is_active=active,
    )


def signals(s: ProfilerSession) -> dict[str, object]:
    """The profiler signals of *s* as score_match's keyword arguments."""
    return {
        "selection": s.difficulty_selection,
        "alignment": s.track_alignment_percentages,
        "track": s.recommended_track,
    }
