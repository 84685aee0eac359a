"""Builders of the input values shared by tests/test_models.py, test_field_rules.py and test_ids.py.

Each ``_name(**overrides)`` builds one valid value and lets a test override the fields it cares
about; their names are kept from before the split because parametrize ids are made from them
(``_mission.difficulty``). ``NOW``, ``NAIVE`` and ``NO_OFFSET`` are the three kinds of moment.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta, tzinfo

from profiler_core.ids import EntryId, JobId, RecipeId, UserId
from profiler_core.models import (
    Enrollment,
    JobPosting,
    MentorAssignment,
    Mission,
    PortfolioEntry,
    ProfilerResult,
    Recipe,
    RoleGrant,
    TalentProfile,
)
from profiler_core.vocabulary import AssignmentStatus, EnrollmentStatus, MissionDifficulty, Role

NOW = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)
NAIVE = datetime(2026, 1, 15, 12, 0)


class _NoOffset(tzinfo):
    """A tzinfo that knows no offset: the datetime counts as naive."""

    def utcoffset(self, dt: datetime | None) -> timedelta | None:
        return None

    def dst(self, dt: datetime | None) -> timedelta | None:
        return None

    def tzname(self, dt: datetime | None) -> str | None:
        return None


NO_OFFSET = datetime(2026, 1, 15, 12, 0, tzinfo=_NoOffset())


def _result(**overrides: object) -> ProfilerResult:
    return ProfilerResult(**overrides)  # type: ignore[arg-type]  # fields vary per test case


def _recipe(**overrides: object) -> Recipe:
    fields: dict[str, object] = {"id": RecipeId("r-1"), "slug": "ports", "title": "Ports"}
    fields.update(overrides)
    return Recipe(**fields)  # type: ignore[arg-type]  # fields vary per test case


def _talent(**overrides: object) -> TalentProfile:
    fields: dict[str, object] = {"user_id": UserId("u-1")}
    fields.update(overrides)
    return TalentProfile(**fields)  # type: ignore[arg-type]  # fields vary per test case


def _assignment(**overrides: object) -> MentorAssignment:
    fields: dict[str, object] = {
        "mentor_id": UserId("m-1"),
        "status": AssignmentStatus.ACTIVE,
        "mentee_id": UserId("u-1"),
    }
    fields.update(overrides)
    return MentorAssignment(**fields)  # type: ignore[arg-type]  # fields vary per test case


def _grant(**overrides: object) -> RoleGrant:
    fields: dict[str, object] = {"role": Role.MENTOR}
    fields.update(overrides)
    return RoleGrant(**fields)  # type: ignore[arg-type]  # fields vary per test case


def _job(**overrides: object) -> JobPosting:
    fields: dict[str, object] = {"id": JobId("j-1"), "title": "SOC analyst", "employer_id": "e-1"}
    fields.update(overrides)
    return JobPosting(**fields)  # type: ignore[arg-type]  # fields vary per test case


def _entry(**overrides: object) -> PortfolioEntry:
    fields: dict[str, object] = {
        "id": EntryId("e-1"),
        "user_id": UserId("u-1"),
        "title": "Value Statement",
        "summary": "I protect.",
        "item_type": "reflection",
        "status": "draft",
    }
    fields.update(overrides)
    return PortfolioEntry(**fields)  # type: ignore[arg-type]  # fields vary per test case


Builder = Callable[..., object]


def _mission(**overrides: object) -> Mission:
    values: dict[str, object] = {
        "id": "m-1",
        "code": "M1",
        "title": "t",
        "difficulty": MissionDifficulty.BEGINNER,
    }
    return Mission(**(values | overrides))  # type: ignore[arg-type]  # overrides are per-test values


def _enrollment(**overrides: object) -> Enrollment:
    values: dict[str, object] = {"user_id": "u-1", "cohort_id": "c-1", "status": EnrollmentStatus.ACTIVE}
    return Enrollment(**(values | overrides))  # type: ignore[arg-type]  # overrides are per-test values
