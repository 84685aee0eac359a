"""The OCH cohort and enterprise analytics bodies, rendered from the library's reports.

The platform's keys (``cohort_id``, ``total_students``, ``score_statistics``,
``track_distribution``, ``readiness_distribution``, ``cohort_breakdown``, ...)
are read off ``unstructure(report)``: the library's report already applies the
small-cohort protection of SPEC §9, so a suppressed figure arrives here as
``{"suppressed": true}`` and stays so (the TypeScript type of such a cell is
``number | {suppressed: true}``). The platform's per-student lists
(``students``, ``not_profiled_students``) are never rendered: they would name
every learner of a cohort and undo the suppression. Field by field:
docs/reference/och.md.
"""

from __future__ import annotations

from collections.abc import Mapping

from profiler_core.access import denial_body
from profiler_core.och._json import BODY_VERSION, OchResponse, arr, obj, text
from profiler_core.reports import CohortReport, EnterpriseReport
from profiler_core.serialization import JSON, unstructure_object
from profiler_core.services import CohortReportOutcome, EnterpriseReportOutcome, ReportDenied, ReportNotFound

__all__ = [
    "cohort_analytics_body",
    "enterprise_analytics_body",
]

_SUPPRESSED: JSON = {"suppressed": True}


def _stat(block: JSON, key: str) -> JSON:
    if not isinstance(block, dict) or block.get("suppressed") is True:
        return dict(obj(_SUPPRESSED))
    return block[key]


def _score_statistics(scores: dict[str, JSON]) -> dict[str, JSON]:
    statistics: dict[str, JSON] = {}
    for name in ("aptitude", "overall", "technical_exposure"):
        statistics[f"average_{name}"] = _stat(scores[name], "mean")
    for name in ("aptitude", "overall", "technical_exposure"):
        statistics[f"min_{name}"] = _stat(scores[name], "min")
        statistics[f"max_{name}"] = _stat(scores[name], "max")
    return statistics


def _bucket_map(buckets: JSON, *, skip: frozenset[str] = frozenset()) -> dict[str, JSON]:
    return {
        key: obj(bucket)["count"]
        for bucket in arr(buckets)
        if (key := text(obj(bucket)["key"]) or "") not in skip
    }


def _track_distribution(tracks: JSON, track_ids: Mapping[str, str]) -> dict[str, JSON]:
    by_key = _bucket_map(tracks, skip=frozenset({"none"}))
    return {track_ids.get(key, key): count for key, count in by_key.items()}


def _top_strengths(buckets: JSON) -> list[JSON]:
    return [{"strength": obj(b)["key"], "count": obj(b)["count"]} for b in arr(buckets)]


def _population_body(report: dict[str, JSON], track_ids: Mapping[str, str]) -> dict[str, JSON]:
    scores = obj(report["scores"])
    return {
        "score_statistics": _score_statistics(scores),
        "track_distribution": _track_distribution(report["tracks"], track_ids),
        "top_strengths": _top_strengths(report["top_strengths"]),
        "readiness_distribution": _bucket_map(report["readiness"]),
        "difficulty_distribution": _bucket_map(report["difficulty"]),
        "track_key_distribution": _bucket_map(report["tracks"]),
        "completions": _bucket_map(report["completions"]),
        "scores": scores,
    }


def _refusal(outcome: ReportDenied | ReportNotFound | object) -> OchResponse:
    if isinstance(outcome, ReportDenied):
        return OchResponse(
            status=403, body=unstructure_object(denial_body(outcome.public_reasons, outcome.policy))
        )
    data = unstructure_object(outcome)
    status = 404 if isinstance(outcome, ReportNotFound) else 503
    error = "Not found" if status == 404 else "Analytics unavailable"
    return OchResponse(
        status=status, body={"error": error, "reason": data["reason"], "body_version": BODY_VERSION}
    )


def cohort_analytics_body(
    outcome: CohortReportOutcome, *, track_ids: Mapping[str, str] | None = None
) -> OchResponse:
    """``GET /api/v1/profiler/admin/cohorts/{cohort_id}/analytics`` from the library's cohort report.

    200: ``cohort_id``, ``cohort_name``, ``total_students``,
    ``profiled_students``, ``profiled_percentage``, ``not_profiled_count``,
    ``score_statistics`` (``average_*``, ``min_*``, ``max_*``),
    ``track_distribution`` (the platform's track UUID from *track_ids*, else
    the track key), ``top_strengths``, ``readiness_distribution`` (a map), each
    count ``number | {"suppressed": true}``, beside the library's extras.
    Never ``students`` or ``not_profiled_students``. A denial (403) is the
    library's denial body; not found 404; the repository failing 503.

    Args:
        outcome: what :func:`profiler_core.services.cohort_analytics_report` returned.
        track_ids: track key → the platform's track UUID.
    """
    if not isinstance(outcome, CohortReport):
        return _refusal(outcome)
    data = unstructure_object(outcome)
    cohort = obj(data["cohort"])
    population = obj(data["population"])
    body: dict[str, JSON] = {
        "cohort_id": cohort["id"],
        "cohort_name": cohort["name"],
        "total_students": population["total"],
        "profiled_students": population["profiled"],
        "profiled_percentage": population["profiled_pct"],
        "not_profiled_count": population["not_profiled"],
        **_population_body(data, track_ids or {}),
        "cohort_track": cohort["track"],
        "enterprise_id": cohort["enterprise_id"],
        "k": data["k"],
        "policies": data["policies"],
        "suppressed_cells": data["suppressed_cells"],
        "body_version": BODY_VERSION,
    }
    return OchResponse(status=200, body=body)


def _breakdown(data: dict[str, JSON]) -> dict[str, JSON]:
    out: dict[str, JSON] = {}
    names = [text(obj(b)["label"]) or "" for b in obj(data["cohorts"]).values()]
    for cohort_id, value in obj(data["cohorts"]).items():
        item = obj(value)
        population = obj(item["population"])
        name = text(item["label"]) or cohort_id
        key = name if names.count(name) == 1 else f"{name} ({cohort_id})"
        out[key] = {
            "total": population["total"],
            "profiled": population["profiled"],
            "avg_aptitude": None,
            "avg_overall": _stat(item["overall"], "mean"),
            "profiled_percentage": population["profiled_pct"],
            "cohort_id": cohort_id,
            "track": item["track"],
            "readiness_distribution": _bucket_map(item["readiness"]),
        }
    return out


def enterprise_analytics_body(
    outcome: EnterpriseReportOutcome,
    *,
    track_ids: Mapping[str, str] | None = None,
    sponsor_id: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
) -> OchResponse:
    """``GET /api/v1/profiler/admin/enterprise/analytics`` from the library's enterprise report.

    200: ``sponsor_id`` (the host's sponsor id, else the report's enterprise
    id), ``cohort_id`` (``null``: the whole enterprise), ``date_range``,
    ``total_employees``, ``profiled_employees``, ``profiled_percentage``,
    ``not_profiled_count``, ``score_statistics``, ``track_distribution``,
    ``cohort_breakdown`` keyed by cohort name (``"name (id)"`` when two cohorts
    share a name), ``readiness_distribution``; suppressed cells as
    ``{"suppressed": true}``. ``avg_aptitude`` of a breakdown is ``null``: the
    library's per-cohort breakdown publishes the overall score only.

    Args:
        outcome: what :func:`profiler_core.services.enterprise_analytics_report` returned.
        track_ids: track key → the platform's track UUID.
        sponsor_id: the platform's sponsor id, when it differs from the enterprise id.
        date_from: the ``date_from`` query parameter echoed, if any.
        date_to: the ``date_to`` query parameter echoed, if any.
    """
    if not isinstance(outcome, EnterpriseReport):
        return _refusal(outcome)
    data = unstructure_object(outcome)
    rollup = obj(data["rollup"])
    population = obj(rollup["population"])
    body: dict[str, JSON] = {
        "sponsor_id": sponsor_id if sponsor_id is not None else data["enterprise_id"],
        "cohort_id": None,
        "date_range": {"from": date_from, "to": date_to},
        "total_employees": population["total"],
        "profiled_employees": population["profiled"],
        "profiled_percentage": population["profiled_pct"],
        "not_profiled_count": population["not_profiled"],
        **_population_body(rollup, track_ids or {}),
        "cohort_breakdown": _breakdown(data),
        "enterprise_id": data["enterprise_id"],
        "cohort_count": data["cohort_count"],
        "k": data["k"],
        "policies": data["policies"],
        "suppressed_cells": data["suppressed_cells"],
        "body_version": BODY_VERSION,
    }
    return OchResponse(status=200, body=body)
