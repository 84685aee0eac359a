"""Write library values into the platform's tables (the sample platform, test fixtures, contract checks).

Everything goes through the models' ``from_domain`` and ``bulk_create``:
one INSERT per table whatever the number of rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction

import profiler_core as pc
from profiler_core.demo.sample import SamplePlatform
from profiler_core.portfolio import pick_value_statement_entry
from profiler_host import models

#: Tables in an order that respects foreign keys (children first when deleting).
_TABLES: tuple[type[models.models.Model], ...] = (
    models.PortfolioItem,
    models.ProfilerResult,
    models.ProfilerSession,
    models.RecipeSkill,
    models.Recipe,
    models.Mission,
    models.MentorAssignment,
    models.Enrollment,
    models.Cohort,
    models.RoleGrant,
    models.TalentProfile,
    models.JobPosting,
    models.User,
)


def clear_platform() -> None:
    """Delete every row of every platform table."""
    for table in _TABLES:
        table.objects.all().delete()


def ensure_users(user_ids: Iterable[str | None]) -> None:
    """Create the users these ids name, if missing (one INSERT)."""
    wanted = sorted({u for u in user_ids if u})
    models.User.objects.bulk_create([models.User(id=u, username=u) for u in wanted], ignore_conflicts=True)


def add_sessions(sessions: Iterable[pc.ProfilerSession], results: Iterable[pc.ProfilerResult] = ()) -> None:
    """Insert sessions (and their users) and result rows."""
    session_list = list(sessions)
    ensure_users(s.user_id for s in session_list)
    models.ProfilerSession.objects.bulk_create([models.ProfilerSession.from_domain(s) for s in session_list])
    models.ProfilerResult.objects.bulk_create([models.ProfilerResult.from_domain(r) for r in results])


def add_missions(missions: Iterable[pc.Mission]) -> None:
    """Insert missions."""
    models.Mission.objects.bulk_create([models.Mission.from_domain(m) for m in missions])


def add_recipes(recipes: Iterable[pc.Recipe]) -> None:
    """Insert recipes and their skill-code index rows."""
    rows = [models.Recipe.from_domain(r) for r in recipes]
    models.Recipe.objects.bulk_create(rows)
    models.RecipeSkill.objects.bulk_create([skill for row in rows for skill in row.skill_rows()])


def add_cohorts(cohorts: Iterable[pc.Cohort], enrollments: Iterable[pc.Enrollment] = ()) -> None:
    """Insert cohorts and enrollments (and the enrolled users)."""
    models.Cohort.objects.bulk_create([models.Cohort.from_domain(c) for c in cohorts])
    enrollment_list = list(enrollments)
    ensure_users(e.user_id for e in enrollment_list)
    models.Enrollment.objects.bulk_create([models.Enrollment.from_domain(e) for e in enrollment_list])


def add_assignments(assignments: Iterable[pc.MentorAssignment]) -> None:
    """Insert mentor assignments (and the mentors and mentees)."""
    assignment_list = list(assignments)
    ensure_users([a.mentor_id for a in assignment_list] + [a.mentee_id for a in assignment_list])
    models.MentorAssignment.objects.bulk_create(
        [models.MentorAssignment.from_domain(a) for a in assignment_list]
    )


def add_principals(principals: Iterable[pc.Principal]) -> None:
    """Insert the principals' users (``is_staff``) and role grants."""
    principal_list = list(principals)
    ensure_users(p.user_id for p in principal_list)
    models.User.objects.filter(id__in=[p.user_id for p in principal_list if p.is_staff]).update(is_staff=True)
    models.RoleGrant.objects.bulk_create(
        [models.RoleGrant.from_domain(g, user_id=p.user_id) for p in principal_list for g in p.roles]
    )


def add_jobs(jobs: Iterable[pc.JobPosting]) -> None:
    """Insert job postings."""
    models.JobPosting.objects.bulk_create([models.JobPosting.from_domain(j) for j in jobs])


def add_talent(profiles: Iterable[pc.TalentProfile]) -> None:
    """Insert talent profiles (and their users)."""
    profile_list = list(profiles)
    ensure_users(p.user_id for p in profile_list)
    models.TalentProfile.objects.bulk_create([models.TalentProfile.from_domain(p) for p in profile_list])


def add_portfolio_entries(entries: Iterable[pc.PortfolioEntry]) -> None:
    """Insert portfolio entries (and their users), keying each learner's statement as the backfill would.

    Of a learner's value-statement entries, the one the library picks
    (:func:`~profiler_core.portfolio.pick_value_statement_entry`) gets
    ``statement_owner``; older duplicates stay unkeyed.
    """
    entry_list = list(entries)
    ensure_users(e.user_id for e in entry_list)
    by_user: dict[str, list[pc.PortfolioEntry]] = defaultdict(list)
    for entry in entry_list:
        by_user[entry.user_id].append(entry)
    keyed = {id(pick_value_statement_entry(items)) for items in by_user.values()}
    models.PortfolioItem.objects.bulk_create(
        [models.PortfolioItem.from_domain(e, is_statement=id(e) in keyed) for e in entry_list]
    )


@transaction.atomic
def load_platform(platform: SamplePlatform, *, replace: bool = True) -> None:
    """Load every table from *platform* (after deleting what is there when *replace*)."""
    if replace:
        clear_platform()
    add_principals(platform.principals)
    add_sessions(platform.sessions, platform.results)
    add_missions(platform.missions)
    add_recipes(platform.recipes)
    add_cohorts(platform.cohorts, platform.enrollments)
    add_assignments(platform.assignments)
    add_jobs(platform.jobs)
    add_talent(platform.talent)
