"""Load the OCH fixture (:mod:`profiler_host.och_fixture`) into the real tables, and clear them.

Rows go in as the platform holds them (``Model(**row)``, one ``bulk_create``
per table): nothing is converted on the way in, so what the adapters read is
exactly what a real OCH database would hand them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import models as django_models
from django.db import transaction

from profiler_host import models, och_fixture

#: Each table with its fixture rows, parents before children.
_FIXTURE: tuple[tuple[type[django_models.Model], Sequence[Mapping[str, Any]]], ...] = (
    (models.User, och_fixture.USERS),
    (models.Role, och_fixture.ROLES),
    (models.UserRole, och_fixture.USER_ROLES),
    (models.Track, och_fixture.TRACKS),
    (models.CurriculumTrack, och_fixture.CURRICULUM_TRACKS),
    (models.Cohort, och_fixture.COHORTS),
    (models.SponsorCohortAssignment, och_fixture.SPONSOR_COHORT_ASSIGNMENTS),
    (models.Enrollment, och_fixture.ENROLLMENTS),
    (models.MenteeMentorAssignment, och_fixture.MENTEE_MENTOR_ASSIGNMENTS),
    (models.CohortMentorAssignment, och_fixture.COHORT_MENTOR_ASSIGNMENTS),
    (models.ProfilerQuestion, och_fixture.PROFILER_QUESTIONS),
    (models.ProfilerSession, och_fixture.PROFILER_SESSIONS),
    (models.ProfilerAnswer, och_fixture.PROFILER_ANSWERS),
    (models.ProfilerResult, och_fixture.PROFILER_RESULTS),
    (models.PortfolioItem, och_fixture.PORTFOLIO_ITEMS),
    (models.Recipe, och_fixture.RECIPES),
    (models.Mission, och_fixture.MISSIONS),
    (models.Employer, och_fixture.EMPLOYERS),
    (models.MarketplaceProfile, och_fixture.MARKETPLACE_PROFILES),
    (models.JobPosting, och_fixture.JOB_POSTINGS),
)


def insert(model: type[django_models.Model], rows: Iterable[Mapping[str, Any]]) -> None:
    """Insert *rows* (column -> value, as ``.values()`` gives them) into *model*'s table in one INSERT."""
    model._default_manager.bulk_create([model(**row) for row in rows])


def clear_platform() -> None:
    """Delete every row of every platform table (children first), the host's audit table included."""
    models.AccessAudit.objects.all().delete()
    for model, _ in reversed(_FIXTURE):
        model._default_manager.all().delete()


@transaction.atomic
def load_och_fixture(*, replace: bool = True) -> None:
    """Load the OCH fixture into every table (after deleting what is there when *replace*)."""
    if replace:
        clear_platform()
    for model, rows in _FIXTURE:
        insert(model, rows)
