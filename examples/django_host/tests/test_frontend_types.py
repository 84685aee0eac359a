"""The host's real HTTP responses type-check against the OCH frontend's TypeScript types (tsc --strict).

Each case is one request to the Django host over the real-shaped fixture;
its JSON body is written as a ``const`` and assigned to the frontend's type
(``tests/frontend/types/och.d.ts`` at the repository root: the fields
``profilerClient.ts``, ``fastapiClient.ts``, ``types/recipes.ts``,
``missionsClient.ts``... read), all in one ``tsc`` run (the pinned
TypeScript of ``tests/frontend``; ``make frontend-deps`` installs it). A
negative case proves the check can fail.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client
from profiler_host import och_fixture as f
from profiler_host.loading import clear_platform, load_och_fixture

REPOSITORY = Path(__file__).resolve().parents[3]
FRONTEND = REPOSITORY / "tests" / "frontend"
TSC = FRONTEND / "node_modules" / ".bin" / "tsc"
TYPES = FRONTEND / "types" / "och.d.ts"

#: name -> (TypeScript type, viewer, path, expected status)
CASES: dict[str, tuple[str, int, str, int]] = {
    "mentee results, mentor": (
        "MenteeResults",
        f.MENTOR,
        f"/api/v1/profiler/mentees/{f.MENTEE}/results",
        200,
    ),
    "mentee results, staff": ("MenteeResults", f.STAFF, f"/api/v1/profiler/mentees/{f.MENTEE}/results", 200),
    "mentee results, none": (
        "MenteeResultsNotFound",
        f.STAFF,
        f"/api/v1/profiler/mentees/{f.UNPROFILED}/results",
        404,
    ),
    "mentee results, denied": (
        "Forbidden & LibraryDenial",
        f.COHORT_MENTEE,
        f"/api/v1/profiler/mentees/{f.MENTEE}/results",
        403,
    ),
    "future-you": ("FutureYouBody", f.MENTOR, f"/api/v1/profiler/mentees/{f.MENTEE}/future-you", 200),
    "future-you, not assessed": (
        "FutureYouBody",
        f.STAFF,
        f"/api/v1/profiler/mentees/{f.UNPROFILED}/future-you",
        200,
    ),
    "value statement": ("ValueStatementBody", f.MENTEE, "/api/v1/profiler/value-statement", 200),
    "value statement, none": (
        "ValueStatementNotFound",
        f.COHORT_MENTEE,
        "/api/v1/profiler/value-statement",
        404,
    ),
    "recommendations": ("ProfilerRecommendations", f.MENTEE, "/api/v1/recipes/profiler-recommendations", 200),
    "recommendations, fallback": (
        "ProfilerRecommendations",
        f.UNPROFILED,
        "/api/v1/recipes/profiler-recommendations",
        200,
    ),
    "talent matches, seed": ("TalentMatchesSeed", f.MENTEE, "/api/v1/marketplace/talent-matches", 200),
    "talent matches, profiler": (
        "TalentMatchesProfiler",
        f.MENTEE,
        "/api/v1/marketplace/talent-matches/profiler",
        200,
    ),
    "talent matches, incomplete": (
        "TalentMatchesProfiler",
        f.UNPROFILED,
        "/api/v1/marketplace/talent-matches/profiler",
        200,
    ),
    "cohort analytics": (
        "CohortAnalytics",
        f.STAFF,
        f"/api/v1/profiler/admin/cohorts/{f.CORONA_COHORT}/analytics",
        200,
    ),
    "enterprise analytics": (
        "EnterpriseAnalytics",
        f.STAFF,
        f"/api/v1/profiler/admin/enterprise/analytics?sponsor_id={f.USER_UUID[f.SPONSOR_ADMIN]}",
        200,
    ),
    "student missions": ("StudentMissionsPage", f.MENTEE, "/api/v1/student/missions/", 200),
    "missions dashboard": ("MissionsDashboard", f.MENTEE, "/api/v1/student/missions/dashboard", 200),
}

Rendered = dict[str, tuple[str, object]]


def check(bodies: Rendered, workdir: Path) -> dict[str, list[str]]:
    """One tsc run over every body; each case's errors by name (empty when it type-checks)."""
    if not TSC.exists():
        pytest.fail(f"{TSC} is missing: run `make frontend-deps` (npm ci in tests/frontend) first")
    names = "CohortAnalytics, EnterpriseAnalytics, Forbidden, FutureYouBody, LibraryDenial, MenteeResults, "
    names += "MenteeResultsNotFound, MissionsDashboard, ProfilerRecommendations, StudentMissionsPage, "
    names += "TalentMatchesProfiler, TalentMatchesSeed, ValueStatementBody, ValueStatementNotFound"
    lines = [
        f'import type {{ {names} }} from "{TYPES.as_posix()}";',
        "type Mutable<T> = { -readonly [K in keyof T]: Mutable<T[K]> };",
    ]
    owner: dict[int, str] = {}
    for index, (name, (ts_type, body)) in enumerate(bodies.items()):
        block = (
            f"const body_{index} = {json.dumps(body, indent=1)} as const;\n"
            f"export const checked_{index}: {ts_type} = body_{index} as Mutable<typeof body_{index}>;"
        )
        first = sum(chunk.count("\n") + 1 for chunk in lines) + 1
        owner.update(dict.fromkeys(range(first, first + block.count("\n") + 1), name))
        lines.append(block)
    source = workdir / "responses.ts"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    run = subprocess.run(
        [str(TSC), "--noEmit", "--strict", "--target", "es2020", "--module", "commonjs", str(source)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    errors: dict[str, list[str]] = {name: [] for name in bodies}
    for match in re.finditer(r"responses\.ts\((\d+),\d+\): (error .*)", run.stdout):
        errors.setdefault(owner.get(int(match.group(1)), "<imports>"), []).append(match.group(2))
    if run.returncode != 0 and not any(errors.values()):
        errors["<tsc>"] = [run.stdout + run.stderr]
    return errors


def responses(client: Client) -> tuple[Rendered, dict[str, int]]:
    """Every case's type and JSON body, and its status."""
    bodies: Rendered = {}
    statuses: dict[str, int] = {}
    for name, (ts_type, viewer, path, _) in CASES.items():
        response = client.get(path, headers={"X-User-Id": str(viewer)})
        bodies[name] = (ts_type, response.json())
        statuses[name] = response.status_code
    return bodies, statuses


@pytest.fixture(scope="module")
def checked(
    django_db_setup: None, django_db_blocker: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[dict[str, list[str]], dict[str, int]]:
    """Every case requested once over the fixture, and the one tsc run's errors."""
    with django_db_blocker.unblock():  # type: ignore[attr-defined]  # pytest-django's blocker
        load_och_fixture()
        try:
            bodies, statuses = responses(Client())
        finally:
            clear_platform()
    return check(bodies, tmp_path_factory.mktemp("tsc")), statuses


@pytest.mark.parametrize("name", list(CASES))
def test_the_response_type_checks(name: str, checked: tuple[dict[str, list[str]], dict[str, int]]) -> None:
    """The endpoint's real response has its expected status and type-checks against the frontend's type."""
    errors, statuses = checked
    assert statuses[name] == CASES[name][3]
    assert errors[name] == []
    assert [k for k in errors if k not in CASES] == []


NEGATIVE: dict[str, Callable[[dict[str, object]], dict[str, object]]] = {
    "no mentee_email": lambda body: {k: v for k, v in body.items() if k != "mentee_email"},
    "string mentee_id": lambda body: {**body, "mentee_id": "16"},
}


@pytest.mark.django_db
def test_tsc_rejects_a_response_that_breaks_the_type(och: None, client: Client, tmp_path: Path) -> None:
    """The check can fail: a results body without ``mentee_email``, or with a string ``mentee_id``."""
    body = client.get(f"/api/v1/profiler/mentees/{f.MENTEE}/results", headers={"X-User-Id": "4"}).json()
    errors = check({name: ("MenteeResults", spoil(body)) for name, spoil in NEGATIVE.items()}, tmp_path)
    assert all(errors[name] for name in NEGATIVE), errors
