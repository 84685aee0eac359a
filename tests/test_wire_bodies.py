"""The JSON hosts receive is unchanged: ``unstructure(value)`` writes the bytes the removed methods wrote.

``tests/data/wire_bodies.json`` was captured from ``to_dict()``, ``as_dict()``,
``ResultsAllowed.payload`` and ``ProfilerRecommendations.to_response()`` before
they were removed (commit 37f68d0); it is literal data, never computed by the
code under test. The comparison is of ``json.dumps`` text, so key order counts.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from tests.wire_samples import wire_samples

from profiler_core import services
from profiler_core.errors import InvalidPayloadError
from profiler_core.reports import CohortBreakdown, CohortReport, EnterpriseReport
from profiler_core.serialization import structure, unstructure

GOLDEN: dict[str, Any] = json.loads(
    (Path(__file__).parent / "data" / "wire_bodies.json").read_text(encoding="utf-8")
)
SAMPLES = wire_samples()

# Endpoint bodies that leave out what their value holds (the learner id, the decision, the
# candidate count, a breakdown's cohort id): they are written, never read back alone.
WRITE_ONLY = (services.ResultsAllowed, services.ProfilerRecommendations, CohortBreakdown)


def _settled(data: Any) -> Any:
    """*data* with each ``strengths`` count map in key order; every other order is kept.

    A cohort's strengths are counted from sets, so their order follows the string
    hash seed of the process (it did in ``to_dict()`` too); the bytes are compared
    with that one order settled.
    """
    if isinstance(data, dict):
        return {
            key: dict(sorted(value.items()))
            if key == "strengths" and isinstance(value, dict)
            else _settled(value)
            for key, value in data.items()
        }
    if isinstance(data, list):
        return [_settled(item) for item in data]
    return data


def test_every_golden_body_has_its_sample() -> None:
    """The samples and the captured bodies name the same values (no body is silently unchecked)."""
    assert list(SAMPLES) == list(GOLDEN)


@pytest.mark.parametrize("name", list(GOLDEN))
def test_unstructure_writes_the_captured_bytes(name: str) -> None:
    """unstructure(value) is byte for byte the JSON the removed rendering method wrote."""
    written = json.dumps(_settled(unstructure(SAMPLES[name])), allow_nan=False)
    assert written == json.dumps(_settled(GOLDEN[name]))


@pytest.mark.parametrize("name", [n for n in GOLDEN if not isinstance(SAMPLES[n], WRITE_ONLY)])
def test_captured_body_reads_back(name: str) -> None:
    """structure(captured JSON, type) gives back the sample value: hosts' stored bodies stay readable."""
    value = SAMPLES[name]
    assert structure(GOLDEN[name], type(value)) == value


class TestReportProblems:
    """A report's JSON that does not read back names every problem at its own path."""

    def test_nested_problems_keep_their_paths(self) -> None:
        """Problems under scores, policies and bucket lists are reported where they are, all at once."""
        data = json.loads(json.dumps(GOLDEN["cohort_report_k3"]))
        data["scores"]["aptitude"]["mean"] = "x"
        data["policies"]["analytics"] = 5
        del data["k"]
        data["readiness"][1]["count"] = {}
        with pytest.raises(InvalidPayloadError) as caught:
            structure(data, CohortReport)
        assert sorted((p.path, p.code) for p in caught.value.problems) == [
            ("$.k", "required"),
            ("$.policies.analytics", "invalid_value"),
            ("$.readiness[1].count", "invalid_value"),
            ("$.scores.aptitude.mean", "not_a_number"),
        ]

    def test_a_breakdown_row_problem_is_under_its_cohort_id(self) -> None:
        """A bad row of an enterprise report is reported at $.cohorts.<cohort id>.<field>."""
        data = json.loads(json.dumps(GOLDEN["enterprise_report_k3"]))
        data["cohorts"]["cohort-a"]["label"] = 3
        with pytest.raises(InvalidPayloadError) as caught:
            structure(data, EnterpriseReport)
        assert [(p.path, p.code) for p in caught.value.problems] == [
            ("$.cohorts.cohort-a.label", "not_a_string")
        ]

    def test_a_breakdown_alone_does_not_read_back(self) -> None:
        """A breakdown row alone lacks its cohort id and sponsor (the report supplies both): both required."""
        with pytest.raises(InvalidPayloadError) as caught:
            structure(GOLDEN["cohort_breakdown"], CohortBreakdown)
        assert sorted((p.path, p.code) for p in caught.value.problems) == [
            ("$.enterprise_id", "required"),
            ("$.id", "required"),
        ]
