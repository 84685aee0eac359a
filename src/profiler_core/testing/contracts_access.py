"""Contract checks of the access ports (SPEC §5): mentor assignments, enrollments, cohorts, statements.

Each ``check_*`` takes a *factory* that builds the host's adapter pre-loaded
with the given values and asserts the adapter answers as the port's contract
says, asking for every key in every form a host may hold it in. Every name here
is also importable from :mod:`profiler_core.testing.contracts`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import cast

from profiler_core.models import (
    Cohort,
    CohortId,
    Enrollment,
    EntryId,
    MentorAssignment,
    OrgId,
    PortfolioEntry,
    SessionId,
    UserId,
)
from profiler_core.ports import (
    CohortRepository,
    EnrollmentRepository,
    MentorAssignmentRepository,
    ValueStatementSource,
)
from profiler_core.testing._contract_forms import (
    _NUM_USER,
    _T0,
    _UUID_COHORT,
    _UUID_USER,
    _bag,
    _forms,
    _grouped,
    _same_for_every_form,
)
from profiler_core.vocabulary import (
    AssignmentStatus,
    AssignmentType,
    EnrollmentStatus,
    TrackKey,
    Visibility,
)

__all__ = [
    "MentorAssignmentRepositoryFactory",
    "EnrollmentRepositoryFactory",
    "CohortRepositoryFactory",
    "ValueStatementSourceFactory",
    "contract_assignments",
    "contract_enrollments",
    "contract_cohorts",
    "contract_value_statements",
    "check_mentor_assignment_repository",
    "check_enrollment_repository",
    "check_cohort_repository",
    "check_value_statement_source",
]


MentorAssignmentRepositoryFactory = Callable[[Sequence[MentorAssignment]], MentorAssignmentRepository]


EnrollmentRepositoryFactory = Callable[[Sequence[Enrollment]], EnrollmentRepository]


CohortRepositoryFactory = Callable[[Sequence[Cohort]], CohortRepository]


ValueStatementSourceFactory = Callable[[Sequence[PortfolioEntry]], ValueStatementSource]


def contract_assignments() -> list[MentorAssignment]:
    """The scenario the mentor-assignment contract loads: every type, every status, an expired one."""
    return [
        MentorAssignment(
            id="a-1",
            mentor_id=UserId("m-1"),
            mentee_id=UserId("u-1"),
            # A direct assignment that also carries a cohort id is still named only by its mentee.
            cohort_id=CohortId("c-9"),
            status=AssignmentStatus.ACTIVE,
            assignment_type=AssignmentType.DIRECT,
        ),
        MentorAssignment(
            id="a-2",
            mentor_id=UserId("m-1"),
            mentee_id=UserId("u-2"),
            status=AssignmentStatus.PAUSED,
            assignment_type=AssignmentType.DIRECT,
            expires_at=_T0 - timedelta(days=1),
        ),
        MentorAssignment(
            id="a-3",
            mentor_id=UserId("m-1"),
            cohort_id=CohortId("c-1"),
            status=AssignmentStatus.ACTIVE,
            assignment_type=AssignmentType.COHORT,
        ),
        MentorAssignment(
            id="a-4",
            mentor_id=UserId("m-2"),
            track=TrackKey.GRC,
            status=AssignmentStatus.PENDING,
            assignment_type=AssignmentType.TRACK,
        ),
        MentorAssignment(
            id="a-5",
            mentor_id=UserId("m-2"),
            mentee_id=UserId("u-1"),
            status=AssignmentStatus.CANCELLED,
            assignment_type=AssignmentType.DIRECT,
        ),
        MentorAssignment(
            id="a-6",
            mentor_id=UserId("m-3"),
            cohort_id=CohortId("c-2"),
            status=AssignmentStatus.COMPLETED,
            assignment_type=AssignmentType.COHORT,
        ),
        # The platform's per-mentee rows: cohort- and track-typed, naming their mentee.
        MentorAssignment(
            id="a-9",
            mentor_id=UserId("m-3"),
            mentee_id=UserId("u-3"),
            cohort_id=CohortId("c-3"),
            status=AssignmentStatus.ACTIVE,
            assignment_type=AssignmentType.COHORT,
        ),
        MentorAssignment(
            id="a-10",
            mentor_id=UserId("m-3"),
            mentee_id=UserId("u-4"),
            track=TrackKey.OFFENSIVE,
            status=AssignmentStatus.ACTIVE,
            assignment_type=AssignmentType.TRACK,
        ),
        # Integer- and UUID-keyed mentor, mentee and cohort.
        MentorAssignment(
            id="a-7",
            mentor_id=UserId(_NUM_USER),
            mentee_id=UserId(_UUID_USER),
            status=AssignmentStatus.ACTIVE,
            assignment_type=AssignmentType.DIRECT,
        ),
        MentorAssignment(
            id="a-8",
            mentor_id=UserId(_UUID_USER),
            cohort_id=CohortId(_UUID_COHORT),
            status=AssignmentStatus.ACTIVE,
            assignment_type=AssignmentType.COHORT,
        ),
    ]


def check_mentor_assignment_repository(factory: MentorAssignmentRepositoryFactory) -> None:
    """Assert that the adapter built by *factory* honours the mentor-assignment port.

    See :class:`~profiler_core.ports.MentorAssignmentRepository`.
    """
    assignments = contract_assignments()
    by_id: dict[str | None, MentorAssignment] = {a.id: a for a in assignments}
    repo = factory(assignments)
    mentors = [UserId("m-1"), UserId("m-2"), UserId("m-none")]
    got = _grouped(repo.assignments_for_mentors(mentors))
    expected = {m: _bag(a for a in assignments if a.mentor_id == m) for m in mentors[:2]}
    assert got == expected, (
        f"assignments_for_mentors: every status returned, mentors without any absent; got {got!r}"
    )
    assert repo.assignments_for_mentors([]) == {}, "assignments_for_mentors([]) must be empty"

    def naming(
        expected_ids: Sequence[str],
        mentees: Sequence[str] = (),
        cohorts: Sequence[str] = (),
        tracks: Sequence[TrackKey] = (),
    ) -> None:
        found = _bag(
            repo.assignments_naming(
                mentee_ids=[UserId(m) for m in mentees],
                cohort_ids=[CohortId(c) for c in cohorts],
                tracks=tracks,
            )
        )
        wanted = _bag(by_id[i] for i in expected_ids)
        assert found == wanted, (
            f"assignments_naming(mentees={mentees}, cohorts={cohorts}, tracks={tracks}): "
            f"expected {sorted(expected_ids)}, got {found!r}"
        )

    naming(["a-1", "a-5"], mentees=["u-1"])
    # A per-mentee row is named by its mentee whatever its type (SPEC §5).
    naming(["a-9"], mentees=["u-3"])
    naming(["a-9"], cohorts=["c-3"])
    naming(["a-10"], mentees=["u-4"])
    naming(["a-3"], cohorts=["c-1"])
    naming([], cohorts=["c-9"])
    naming(["a-4"], tracks=[TrackKey.GRC])
    naming(["a-2", "a-6", "a-4"], mentees=["u-2"], cohorts=["c-2"], tracks=[TrackKey.GRC])
    naming([])
    _same_for_every_form(
        "assignments_for_mentors",
        lambda ids: repo.assignments_for_mentors(cast("list[UserId]", ids)),
        [_NUM_USER, _UUID_USER, "m-1", "m-none"],
    )
    for key, expected_ids, kind in (
        (_UUID_USER, ["a-7"], "mentee_ids"),
        (_UUID_COHORT, ["a-8"], "cohort_ids"),
    ):
        for form in _forms(key):
            found = _bag(repo.assignments_naming(**{kind: cast("list[str]", [form])}))  # type: ignore[arg-type]  # one keyword by name
            assert found == _bag(by_id[i] for i in expected_ids), (
                f"assignments_naming({kind}=[{form!r}]): expected {expected_ids} whatever the key's form, "
                f"got {found!r}"
            )


def contract_enrollments() -> list[Enrollment]:
    """The scenario the enrollment contract loads: several cohorts per user, several statuses."""
    return [
        Enrollment(user_id=UserId("u-1"), cohort_id=CohortId("c-1"), status=EnrollmentStatus.ACTIVE),
        Enrollment(user_id=UserId("u-1"), cohort_id=CohortId("c-2"), status=EnrollmentStatus.COMPLETED),
        Enrollment(user_id=UserId("u-2"), cohort_id=CohortId("c-1"), status=EnrollmentStatus.WITHDRAWN),
        Enrollment(user_id=UserId("u-3"), cohort_id=CohortId("c-3"), status=EnrollmentStatus.PENDING_PAYMENT),
        Enrollment(
            user_id=UserId(_NUM_USER), cohort_id=CohortId(_UUID_COHORT), status=EnrollmentStatus.ACTIVE
        ),
        Enrollment(user_id=UserId(_UUID_USER), cohort_id=CohortId("77"), status=EnrollmentStatus.ACTIVE),
    ]


def check_enrollment_repository(factory: EnrollmentRepositoryFactory) -> None:
    """Assert that the adapter built by *factory* honours the enrollment port.

    See :class:`~profiler_core.ports.EnrollmentRepository`.
    """
    enrollments = contract_enrollments()
    repo = factory(enrollments)
    users = [UserId("u-1"), UserId("u-2"), UserId("u-none")]
    got_users = _grouped(repo.enrollments_for_users(users))
    expected_users = {u: _bag(e for e in enrollments if e.user_id == u) for u in users[:2]}
    assert got_users == expected_users, f"enrollments_for_users: got {got_users!r}"
    cohorts = [CohortId("c-1"), CohortId("c-3"), CohortId("c-none")]
    got_cohorts = _grouped(repo.enrollments_for_cohorts(cohorts))
    expected_cohorts = {c: _bag(e for e in enrollments if e.cohort_id == c) for c in cohorts[:2]}
    assert got_cohorts == expected_cohorts, f"enrollments_for_cohorts: got {got_cohorts!r}"
    assert repo.enrollments_for_users([]) == {}, "enrollments_for_users([]) must be empty"
    assert repo.enrollments_for_cohorts([]) == {}, "enrollments_for_cohorts([]) must be empty"
    _same_for_every_form(
        "enrollments_for_users",
        lambda ids: repo.enrollments_for_users(cast("list[UserId]", ids)),
        [_NUM_USER, _UUID_USER, "u-1", "u-none"],
    )
    _same_for_every_form(
        "enrollments_for_cohorts",
        lambda ids: repo.enrollments_for_cohorts(cast("list[CohortId]", ids)),
        ["77", _UUID_COHORT, "c-1", "c-none"],
    )


def contract_cohorts() -> list[Cohort]:
    """The scenario the cohort contract loads: two cohorts sharing a name, one without a sponsor."""
    return [
        Cohort(id=CohortId("c-1"), name="Autumn", track=TrackKey.DEFENDER, enterprise_id=OrgId("org-1")),
        Cohort(id=CohortId("c-2"), name="Spring", track=None, enterprise_id=OrgId("org-1")),
        Cohort(id=CohortId("c-3"), name="Autumn", track=TrackKey.OFFENSIVE, enterprise_id=OrgId("org-2")),
        Cohort(id=CohortId("c-4"), name="Open", track=None, enterprise_id=None),
        Cohort(id=CohortId("77"), name="Numbered", track=None, enterprise_id=OrgId(_UUID_USER)),
        Cohort(id=CohortId(_UUID_COHORT), name="Keyed", track=None, enterprise_id=OrgId("500")),
    ]


def check_cohort_repository(factory: CohortRepositoryFactory) -> None:
    """Assert that the adapter built by *factory* honours :class:`~profiler_core.ports.CohortRepository`."""
    cohorts = contract_cohorts()
    repo = factory(cohorts)
    by_id = dict(repo.cohorts_by_ids([CohortId("c-1"), CohortId("c-4"), CohortId("c-none")]))
    assert by_id == {"c-1": cohorts[0], "c-4": cohorts[3]}, f"cohorts_by_ids: got {by_id!r}"
    sponsored = _grouped(repo.cohorts_for_enterprises([OrgId("org-1"), OrgId("org-none")]))
    assert sponsored == {"org-1": _bag(cohorts[:2])}, (
        f"cohorts_for_enterprises: only the enterprise's own cohorts, unknown ones absent; got {sponsored!r}"
    )
    assert repo.cohorts_for_enterprises([]) == {}, (
        "cohorts_for_enterprises([]) must be empty, never every cohort"
    )
    assert repo.cohorts_by_ids([]) == {}, "cohorts_by_ids([]) must be empty"
    _same_for_every_form(
        "cohorts_by_ids",
        lambda ids: repo.cohorts_by_ids(cast("list[CohortId]", ids)),
        ["77", _UUID_COHORT, "c-1", "c-none"],
    )
    _same_for_every_form(
        "cohorts_for_enterprises",
        lambda ids: repo.cohorts_for_enterprises(cast("list[OrgId]", ids)),
        ["500", _UUID_USER, "org-1", "org-none"],
    )


def contract_value_statements() -> list[PortfolioEntry]:
    """The scenario the value-statement contract loads: four learners' statements (int and UUID keys too)."""
    return [
        PortfolioEntry(
            id=EntryId(f"e-{n}"),
            user_id=UserId(user),
            title="My Value Statement",
            summary="I am committed to advancing in cybersecurity.",
            item_type="reflection",
            status="approved",
            visibility=visibility,
            profiler_session_id=SessionId(f"s-{n}"),
        )
        for n, user, visibility in (
            (1, "u-1", Visibility.PRIVATE),
            (2, "u-2", Visibility.PUBLIC),
            (3, _NUM_USER, Visibility.PRIVATE),
            (4, _UUID_USER, Visibility.PRIVATE),
        )
    ]


def check_value_statement_source(factory: ValueStatementSourceFactory) -> None:
    """Assert that the adapter built by *factory* honours the value-statement port.

    See :class:`~profiler_core.ports.ValueStatementSource`.
    """
    entries = contract_value_statements()
    source = factory(entries)
    found = dict(source.value_statements_for([UserId("u-1"), UserId("u-none")]))
    assert found == {"u-1": entries[0]}, f"value_statements_for: got {found!r}"
    assert source.value_statements_for([]) == {}, "value_statements_for([]) must be empty"
    _same_for_every_form(
        "value_statements_for",
        lambda ids: source.value_statements_for(cast("list[UserId]", ids)),
        [_NUM_USER, _UUID_USER, "u-1", "u-none"],
    )
