"""The OCH bodies type-check against the OCH frontend's TypeScript types, with tsc (one run per module).

tests/frontend/types/och.d.ts declares the fields the OCH frontend reads (cited from its
code); each body below is rendered from a real-shaped service outcome and assigned to its
type in one generated .ts file, checked by the pinned ``tsc --noEmit --strict``.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from tests import och_body_cases as cases

from profiler_core import och
from profiler_core.models import Principal
from profiler_core.serialization import JSON

FRONTEND = Path(__file__).resolve().parent / "frontend"
TSC = FRONTEND / "node_modules" / ".bin" / "tsc"
TYPES = FRONTEND / "types" / "och"

#: name → (the TypeScript type, the body): each is checked as ``const checked_<name>: <type> = body``.
Case = tuple[str, Callable[[], dict[str, JSON]]]


def _results(viewer: Principal, learner: str = "16") -> dict[str, JSON]:
    outcome = cases.mentee_results(viewer, learner)
    return och.mentee_results_body(outcome, mentee=cases.MENTEE, track_ids=cases.TRACK_IDS).body


CASES: dict[str, Case] = {
    "mentee_results_mentor": (
        "MenteeResults & {behavioral_profile: FlatBehavioralProfile}",
        lambda: _results(cases.MENTOR),
    ),
    "mentee_results_admin": (
        "MenteeResults & {behavioral_profile: FlatBehavioralProfile}",
        lambda: _results(cases.ADMIN),
    ),
    "mentee_results_denied": ("Forbidden & LibraryDenial", lambda: _results(cases.OTHER_MENTOR)),
    "mentee_results_not_found": ("MenteeResultsNotFound", lambda: _results(cases.ADMIN, "99")),
    "future_you_mentor": (
        "FutureYouBody",
        lambda: (
            och.future_you_body(
                cases.mentee_results(cases.MENTOR),
                mentee=cases.MENTEE,
                persona={
                    "name": "SOC Sentinel",
                    "description": "Calm under pressure",
                    "estimated_readiness_date": "2027-03-01",
                },
            ).body
        ),
    ),
    "future_you_not_assessed": (
        "FutureYouBody",
        lambda: och.future_you_body(cases.mentee_results(cases.ADMIN, "99"), mentee=cases.MENTEE).body,
    ),
    "future_you_denied": (
        "Forbidden & LibraryDenial",
        lambda: och.future_you_body(cases.mentee_results(cases.OTHER_MENTOR), mentee=cases.MENTEE).body,
    ),
    "value_statement": ("ValueStatementBody", lambda: och.value_statement_body(cases.STATEMENT).body),
    "value_statement_not_found": ("ValueStatementNotFound", lambda: och.value_statement_body(None).body),
    "recommendations": (
        "ProfilerRecommendations",
        lambda: (
            och.profiler_recommendations_body(
                cases.recommendations(),
                recipe_rows=cases.RECIPE_ROWS,
                session=cases.session_of("16"),
                has_breakdown=True,
            ).body
        ),
    ),
    "recommendations_degraded": (
        "ProfilerRecommendations",
        lambda: och.profiler_recommendations_body(cases.recommendations(failing_sessions=True)).body,
    ),
    "recommendations_no_profile": (
        "ProfilerRecommendations",
        lambda: och.profiler_recommendations_body(cases.no_profile_recommendations()).body,
    ),
    "talent_matches_profiler": (
        "TalentMatchesProfiler",
        lambda: (
            och.talent_matches_body(
                cases.talent_matches(), track_ids=cases.TRACK_IDS, session=cases.session_of("16")
            ).body
        ),
    ),
    "talent_matches_seed": (
        "TalentMatchesSeed",
        lambda: och.talent_matches_body(cases.talent_matches(), track_ids=cases.TRACK_IDS, route="seed").body,
    ),
    "talent_matches_incomplete": (
        "TalentMatchesProfiler",
        lambda: och.talent_matches_body(cases.talent_matches("99"), track_ids=cases.TRACK_IDS).body,
    ),
    "cohort_analytics_suppressed": (
        "CohortAnalytics",
        lambda: och.cohort_analytics_body(cases.cohort_report(), track_ids=cases.TRACK_IDS).body,
    ),
    "cohort_analytics_open": (
        "CohortAnalytics",
        lambda: och.cohort_analytics_body(cases.cohort_report(k=2), track_ids=cases.TRACK_IDS).body,
    ),
    "cohort_analytics_small": (
        "CohortAnalytics",
        lambda: och.cohort_analytics_body(cases.cohort_report(cases.SMALL_COHORT_ID)).body,
    ),
    "cohort_analytics_denied": (
        "LibraryDenial",
        lambda: och.cohort_analytics_body(cases.cohort_report_denied()).body,
    ),
    "enterprise_analytics_suppressed": (
        "EnterpriseAnalytics",
        lambda: och.enterprise_analytics_body(cases.enterprise_report(), track_ids=cases.TRACK_IDS).body,
    ),
    "enterprise_analytics_open": (
        "EnterpriseAnalytics",
        lambda: (
            och.enterprise_analytics_body(
                cases.enterprise_report(k=2), sponsor_id="7", date_from="2026-10-01", date_to=None
            ).body
        ),
    ),
    "student_missions": (
        "StudentMissionsPage",
        lambda: och.student_missions_body(cases.missions(), page_size=2).body,
    ),
    "student_missions_last_page": (
        "StudentMissionsPage",
        lambda: (
            och.student_missions_body(
                cases.missions(),
                page=2,
                page_size=3,
                mission_rows={
                    cases.uid("mission-1"): {
                        "description": "Triage",
                        "type": "lab",
                        "estimated_time_minutes": 45,
                    }
                },
            ).body
        ),
    ),
    "student_missions_empty": (
        "StudentMissionsPage",
        lambda: och.student_missions_body(cases.missions(empty=True)).body,
    ),
    "missions_dashboard": (
        "MissionsDashboard",
        lambda: (
            och.missions_dashboard_body(
                cases.missions(), track="defender", tier="beginner", in_progress=[cases.uid("mission-1")]
            ).body
        ),
    ),
}

#: A body that lacks a required field of its type: tsc must reject it.
NEGATIVE: dict[str, Case] = {
    "negative_missing_mentee_email": (
        "MenteeResults",
        lambda: {k: v for k, v in _results(cases.MENTOR).items() if k != "mentee_email"},
    ),
    "negative_unsuppressed_string_cell": (
        "CohortAnalytics",
        lambda: {**och.cohort_analytics_body(cases.cohort_report()).body, "total_students": "12"},
    ),
    "negative_cell_not_marked_suppressed": (
        "CohortAnalytics",
        lambda: {
            **och.cohort_analytics_body(cases.cohort_report()).body,
            "total_students": {"suppressed": False},
        },
    ),
    "negative_string_has_next": (
        "StudentMissionsPage",
        lambda: {**och.student_missions_body(cases.missions()).body, "has_next": "yes"},
    ),
}

_IMPORTS = (
    "MenteeResults, FlatBehavioralProfile, MenteeResultsNotFound, Forbidden, LibraryDenial, FutureYouBody, "
    "ValueStatementBody, ValueStatementNotFound, ProfilerRecommendations, TalentMatchesProfiler, "
    "TalentMatchesSeed, CohortAnalytics, EnterpriseAnalytics, StudentMissionsPage, MissionsDashboard"
)


def _tsc_available() -> None:
    if not TSC.exists():
        pytest.fail(
            f"{TSC.relative_to(FRONTEND.parents[1])} is missing: run `make frontend-deps` "
            "(npm ci in tests/frontend) before the tests"
        )


def check(named: dict[str, Case], workdir: Path) -> dict[str, list[str]]:
    """Type-check every body in one tsc run; the errors of each case, by name (empty when it passes)."""
    _tsc_available()
    lines = [
        f'import type {{ {_IMPORTS} }} from "{TYPES.as_posix()}";',
        # `as const` keeps each JSON literal's exact types ({suppressed: true}, "medium", false);
        # Mutable drops the readonly it adds. Assigning a named constant (not a fresh literal)
        # checks every field the type declares and lets the library's extras through.
        "type Mutable<T> = { -readonly [K in keyof T]: Mutable<T[K]> };",
    ]
    owner: dict[int, str] = {}
    for index, (name, (ts_type, render)) in enumerate(named.items()):
        body = json.dumps(render(), indent=1)
        block = (
            f"const body_{index} = {body} as const;\n"
            f"export const checked_{index}: {ts_type} = body_{index} as Mutable<typeof body_{index}>;"
        )
        first = sum(chunk.count("\n") + 1 for chunk in lines) + 1
        owner.update(dict.fromkeys(range(first, first + block.count("\n") + 1), name))
        lines.append(block)
    source = workdir / "bodies.ts"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    run = subprocess.run(
        [str(TSC), "--noEmit", "--strict", "--target", "es2020", "--module", "commonjs", str(source)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    errors: dict[str, list[str]] = {name: [] for name in named}
    for match in re.finditer(r"bodies\.ts\((\d+),\d+\): (error .*)", run.stdout):
        errors[owner.get(int(match.group(1)), "<imports>")].append(match.group(2))
    if run.returncode != 0 and not any(errors.values()):
        errors["<tsc>"] = [run.stdout + run.stderr]
    return errors


@pytest.fixture(scope="module")
def tsc_errors(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    return check(CASES, tmp_path_factory.mktemp("och_ts"))


@pytest.mark.parametrize("name", sorted(CASES))
def test_body_type_checks(name: str, tsc_errors: dict[str, list[str]]) -> None:
    """The body type-checks against the frontend's type with tsc --strict."""
    assert tsc_errors[name] == []
    assert [k for k in tsc_errors if k not in CASES] == []


def test_tsc_rejects_a_body_that_misses_a_required_field(tmp_path: Path) -> None:
    """The check can fail: a missing required field, a wrongly typed cell or flag is a tsc error, by name."""
    errors = check(NEGATIVE, tmp_path)
    assert errors["negative_missing_mentee_email"] != []
    assert any("mentee_email" in e for e in errors["negative_missing_mentee_email"])
    assert errors["negative_unsuppressed_string_cell"] != []
    assert errors["negative_cell_not_marked_suppressed"] != []
    assert errors["negative_string_has_next"] != []
