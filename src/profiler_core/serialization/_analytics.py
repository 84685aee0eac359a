"""Analytics on the wire: the mergeable state (sketches, statistics, partials) and the reports.

The state is integers only and reads back strictly (no numeric strings: a
partial is exchanged between processes, never typed by a person), listing
every problem with its path. Reports are chart-ready: a suppressed figure is
``{"suppressed": true}``, a statistics block names ``min`` and ``max``, the
three score blocks sit under ``scores``, and a cohort report's metrics are
flattened beside its cohort and policies (``docs/reference/reports.md``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final

import cattrs
from attrs import asdict
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from profiler_core.analytics import (
    _SCORE_KINDS,
    AnalyticsPartial,
    CohortStats,
    Membership,
    _counts,
    _stats_problems,
    _StatsFields,
)
from profiler_core.decisions import PolicyRef
from profiler_core.errors import InvalidPayloadError, Problem, WireValueError
from profiler_core.frozenmap import FrozenMap
from profiler_core.models import Cohort, CohortId, OrgId
from profiler_core.reports import (
    SUPPRESSED,
    Bucket,
    CohortBreakdown,
    CohortReport,
    EnterpriseReport,
    PopulationFigures,
    PopulationReport,
    ScoreBlock,
    ScoreSummary,
    Suppressed,
)
from profiler_core.serialization._errors import _problems
from profiler_core.sketches import (
    _EMPTY_BINS,
    BIN_COUNT,
    ScoreSketch,
    _is_count,
    _sketch_problems,
    _SketchFields,
)
from profiler_core.vocabulary import TrackKey

_SUPPRESSED_JSON: Final = {"suppressed": True}
_BUCKET_LISTS: Final = ("readiness", "tracks", "difficulty", "top_strengths", "completions")
_COUNT_MAPS: Final = ("tracks", "difficulty", "strengths", "completions")


def _payload_error(type_name: str, problems: Sequence[Problem]) -> InvalidPayloadError:
    return InvalidPayloadError(problems, type_name=type_name)


def _object(value: object) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise WireValueError(f"must be an object, got {type(value).__name__}", problem_code="not_an_object")
    return value


# --- the suppression marker ---------------------------------------------------


def _unstructure_suppressed(_value: Suppressed) -> dict[str, Any]:
    return dict(_SUPPRESSED_JSON)


def _structure_suppressed(value: object, _type: object) -> Suppressed:
    # Only {"suppressed": true} is the marker: {} or {"suppressed": false} is never a figure.
    if isinstance(value, Mapping) and value.get("suppressed") is True:
        return SUPPRESSED
    raise _payload_error("Suppressed", [Problem(path="$", message='must be {"suppressed": true}')])


# --- state: sketches, statistics, partials ------------------------------------


def _unstructure_sketch(sketch: ScoreSketch) -> dict[str, Any]:
    return {
        "count": sketch.count,
        "total": sketch.total,
        "total_sq": sketch.total_sq,
        "minimum": sketch.minimum,
        "maximum": sketch.maximum,
        "bins": list(sketch.bins),
    }


def _int_field(data: Mapping[str, object], key: str, path: str, problems: list[Problem]) -> int:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int):
        problems.append(Problem(path=f"{path}.{key}", message="must be an integer"))
        return 0
    return value


def _read_sketch(data: object, path: str) -> ScoreSketch:
    if not isinstance(data, Mapping):
        raise _payload_error("ScoreSketch", [Problem(path=path, message="must be an object")])
    problems: list[Problem] = []
    values = {key: _int_field(data, key, path, problems) for key in ("count", "total", "total_sq")}
    extremes: dict[str, int | None] = {}
    for key in ("minimum", "maximum"):
        extremes[key] = None if data.get(key) is None else _int_field(data, key, path, problems)
    raw_bins = data.get("bins")
    if (
        not isinstance(raw_bins, list)
        or not all(_is_count(b) for b in raw_bins)
        or len(raw_bins) != BIN_COUNT
    ):
        problems.append(Problem(path=f"{path}.bins", message=f"must be a list of {BIN_COUNT} counts >= 0"))
        raw_bins = list(_EMPTY_BINS)
    fields = _SketchFields(
        count=values["count"],
        total=values["total"],
        total_sq=values["total_sq"],
        minimum=extremes["minimum"],
        maximum=extremes["maximum"],
        bins=raw_bins,
    )
    problems = problems or _sketch_problems(fields, path)
    if problems:
        raise _payload_error("ScoreSketch", problems)
    return ScoreSketch(**asdict(fields, recurse=False))


def _unstructure_stats(stats: CohortStats) -> dict[str, Any]:
    return {
        "total": stats.total,
        "profiled": stats.profiled,
        **{kind: _unstructure_sketch(getattr(stats, kind)) for kind in _SCORE_KINDS},
        **{name: dict(getattr(stats, name)) for name in _COUNT_MAPS},
    }


def _count_map(data: Mapping[str, object], key: str, path: str, problems: list[Problem]) -> dict[str, int]:
    raw = data.get(key, {})
    if isinstance(raw, Mapping) and all(
        isinstance(name, str) and _is_count(value) for name, value in raw.items()
    ):
        return dict(raw)
    problems.append(Problem(path=f"{path}.{key}", message="must be an object of counts >= 0"))
    return {}


def _read_stats(data: object, path: str) -> CohortStats:
    if not isinstance(data, Mapping):
        raise _payload_error("CohortStats", [Problem(path=path, message="must be an object")])
    problems: list[Problem] = []
    total = _int_field(data, "total", path, problems)
    profiled = _int_field(data, "profiled", path, problems)
    sketches: dict[str, ScoreSketch] = {}
    for kind in _SCORE_KINDS:
        try:
            sketches[kind] = _read_sketch(data.get(kind), f"{path}.{kind}")
        except InvalidPayloadError as exc:
            problems += exc.problems
    maps = {key: _counts(_count_map(data, key, path, problems)) for key in _COUNT_MAPS}
    if problems:
        raise _payload_error("CohortStats", problems)
    fields = _StatsFields(
        total=total,
        profiled=profiled,
        aptitude=sketches["aptitude"],
        technical_exposure=sketches["technical_exposure"],
        overall=sketches["overall"],
        tracks=maps["tracks"],
        difficulty=maps["difficulty"],
        strengths=maps["strengths"],
        completions=maps["completions"],
    )
    problems = _stats_problems(fields, path)
    if problems:
        raise _payload_error("CohortStats", problems)
    return CohortStats(**fields._asdict())


def _unstructure_partial(partial: AnalyticsPartial) -> dict[str, Any]:
    # A stable order: memberships by their sorted cohort ids.
    entries = sorted(partial.memberships.items(), key=lambda item: sorted(item[0]))
    return {
        "memberships": [
            {"cohorts": sorted(key), "stats": _unstructure_stats(stats)} for key, stats in entries
        ]
    }


def _membership(entry: object) -> Membership | None:
    cohorts = entry.get("cohorts") if isinstance(entry, Mapping) else None
    if not isinstance(cohorts, list) or not cohorts or not all(isinstance(c, str) and c for c in cohorts):
        return None
    return frozenset(CohortId(c) for c in cohorts)


def _read_partial(data: object, _type: object) -> AnalyticsPartial:
    entries = data.get("memberships") if isinstance(data, Mapping) else None
    if not isinstance(entries, list):
        raise _payload_error("AnalyticsPartial", [Problem(path="$.memberships", message="must be a list")])
    problems: list[Problem] = []
    found: dict[Membership, CohortStats] = {}
    for index, entry in enumerate(entries):
        path = f"$.memberships[{index}]"
        key = _membership(entry)
        if key is None:
            problems.append(Problem(path=f"{path}.cohorts", message="must be a non-empty list of cohort ids"))
        elif key in found:
            problems.append(Problem(path=f"{path}.cohorts", message="duplicates an earlier membership"))
        else:
            try:
                found[key] = _read_stats(entry.get("stats"), f"{path}.stats")
            except InvalidPayloadError as exc:
                problems += exc.problems
    if problems:
        raise _payload_error("AnalyticsPartial", problems)
    return AnalyticsPartial(memberships=found)


# --- reports ------------------------------------------------------------------

#: Where a field of a report value is in its JSON: a key path (``()`` is the whole
#: object: a flattened part), its type, and whether the key may be absent.
_Spec = Mapping[str, tuple[tuple[str, ...], Any]]


def _dig(data: Mapping[str, Any], keys: tuple[str, ...]) -> object:
    raw: object = data
    for key in keys:
        raw = _object(raw)[key]
    return raw


def _read(converter: cattrs.Converter, value: object, spec: _Spec, type_name: str) -> dict[str, Any]:
    """Structure each field from its key path, collecting every problem with its JSON path."""
    data = _object(value)
    values: dict[str, Any] = {}
    problems: list[Problem] = []
    for name, (keys, type_) in spec.items():
        try:
            values[name] = converter.structure(_dig(data, keys), type_)
        except Exception as exc:
            problems += _problems(exc, ".".join(("$", *keys)))
    if problems:
        raise _payload_error(type_name, problems)
    return values


def _summary_hooks(
    converter: cattrs.Converter,
) -> tuple[Callable[[ScoreSummary], dict[str, Any]], Callable[[object, object], ScoreSummary]]:
    # The statistics block names its extremes "min" and "max" (the chart libraries' names).
    low, high = override(rename="min"), override(rename="max")
    unstructure_fn = make_dict_unstructure_fn(ScoreSummary, converter, minimum=low, maximum=high)
    structure_fn = make_dict_structure_fn(ScoreSummary, converter, minimum=low, maximum=high)

    def structure_hook(value: object, _type: object) -> ScoreSummary:
        return structure_fn(_object(value), ScoreSummary)

    return unstructure_fn, structure_hook


_POPULATION_SPEC: Final[_Spec] = {
    "population": (("population",), PopulationFigures),
    **{kind: (("scores", kind), ScoreBlock) for kind in _SCORE_KINDS},
    **{name: ((name,), tuple[Bucket, ...]) for name in _BUCKET_LISTS},
}


def _population_hooks(
    converter: cattrs.Converter,
) -> tuple[Callable[[PopulationReport], dict[str, Any]], Callable[[object, object], PopulationReport]]:
    generated = make_dict_unstructure_fn(PopulationReport, converter)

    def unstructure_hook(report: PopulationReport) -> dict[str, Any]:
        data = generated(report)
        return {
            "population": data["population"],
            "scores": {kind: data[kind] for kind in _SCORE_KINDS},
            **{name: data[name] for name in _BUCKET_LISTS},
        }

    def structure_hook(value: object, _type: object) -> PopulationReport:
        return PopulationReport(**_read(converter, value, _POPULATION_SPEC, "PopulationReport"))

    return unstructure_hook, structure_hook


_COHORT_REPORT_SPEC: Final[_Spec] = {
    "cohort": (("cohort",), Cohort),
    "policy": (("policies", "analytics"), PolicyRef),
    "suppression": (("policies", "suppression"), PolicyRef),
    "k": (("k",), int),
    "body": ((), PopulationReport),
    "suppressed_cells": (("suppressed_cells",), int),
}


def _cohort_report_hooks(
    converter: cattrs.Converter,
) -> tuple[Callable[[CohortReport], dict[str, Any]], Callable[[object, object], CohortReport]]:
    def unstructure_hook(report: CohortReport) -> dict[str, Any]:
        return {
            "kind": "cohort_report",
            "cohort": converter.unstructure(report.cohort),
            "policies": {"analytics": str(report.policy), "suppression": str(report.suppression)},
            "k": report.k,
            **converter.unstructure(report.body),
            "suppressed_cells": report.suppressed_cells,
        }

    def structure_hook(value: object, _type: object) -> CohortReport:
        return CohortReport(**_read(converter, value, _COHORT_REPORT_SPEC, "CohortReport"))

    return unstructure_hook, structure_hook


# A breakdown is keyed by its cohort's id in the enterprise report and its cohort
# is one of the enterprise's: the row carries neither, the report's hook adds both.
_BREAKDOWN_SPEC: Final[_Spec] = {
    "id": (("id",), CohortId),
    "name": (("label",), str),
    "track": (("track",), TrackKey | None),
    "track_label": (("track_label",), str | None),
    "enterprise_id": (("enterprise_id",), OrgId | None),
    "population": (("population",), PopulationFigures),
    "overall": (("overall",), ScoreBlock),
    "readiness": (("readiness",), tuple[Bucket, ...]),
}
_COHORT_FIELDS: Final = ("id", "name", "track", "track_label", "enterprise_id")


def _breakdown_hooks(
    converter: cattrs.Converter,
) -> tuple[Callable[[CohortBreakdown], dict[str, Any]], Callable[[object, object], CohortBreakdown]]:
    def unstructure_hook(row: CohortBreakdown) -> dict[str, Any]:
        return {
            "label": row.cohort.name,
            "track": converter.unstructure(row.cohort.track),
            # A cohort track that is not a track (SPEC §2): only when there is one.
            **({} if row.cohort.track_label is None else {"track_label": row.cohort.track_label}),
            "population": converter.unstructure(row.population),
            "overall": converter.unstructure(row.overall),
            "readiness": converter.unstructure(row.readiness),
        }

    def structure_hook(value: object, _type: object) -> CohortBreakdown:
        if isinstance(value, Mapping) and "track_label" not in value:
            value = {**value, "track_label": None}  # the key is there only with a label
        fields = _read(converter, value, _BREAKDOWN_SPEC, "CohortBreakdown")
        cohort = Cohort(**{name: fields.pop(name) for name in _COHORT_FIELDS})
        return CohortBreakdown(cohort=cohort, **fields)

    return unstructure_hook, structure_hook


_ENTERPRISE_SPEC: Final[_Spec] = {
    "enterprise_id": (("enterprise_id",), OrgId),
    "policy": (("policies", "analytics"), PolicyRef),
    "suppression": (("policies", "suppression"), PolicyRef),
    "k": (("k",), int),
    "rollup": (("rollup",), PopulationReport),
    "cohorts": (("cohorts",), FrozenMap[CohortId, CohortBreakdown]),
    "suppressed_cells": (("suppressed_cells",), int),
}


def _enterprise_hooks(
    converter: cattrs.Converter,
) -> tuple[Callable[[EnterpriseReport], dict[str, Any]], Callable[[object, object], EnterpriseReport]]:
    def unstructure_hook(report: EnterpriseReport) -> dict[str, Any]:
        return {
            "kind": "enterprise_report",
            "enterprise_id": report.enterprise_id,
            "cohort_count": len(report.cohorts),
            "policies": {"analytics": str(report.policy), "suppression": str(report.suppression)},
            "k": report.k,
            "rollup": converter.unstructure(report.rollup),
            "cohorts": {cid: converter.unstructure(row) for cid, row in report.cohorts.items()},
            "suppressed_cells": report.suppressed_cells,
        }

    def structure_hook(value: object, _type: object) -> EnterpriseReport:
        data = _object(value)
        rows = data.get("cohorts")
        if isinstance(rows, Mapping):
            owner = data.get("enterprise_id")
            rows = {
                cid: {**row, "id": cid, "enterprise_id": owner} if isinstance(row, Mapping) else row
                for cid, row in rows.items()
            }
        fields = _read(converter, {**data, "cohorts": rows}, _ENTERPRISE_SPEC, "EnterpriseReport")
        return EnterpriseReport(**fields)

    return unstructure_hook, structure_hook


def configure_analytics(converter: cattrs.Converter) -> None:
    """Install the analytics hooks (state and reports) on *converter*."""
    converter.register_unstructure_hook(Suppressed, _unstructure_suppressed)
    converter.register_structure_hook(Suppressed, _structure_suppressed)
    converter.register_unstructure_hook(ScoreSketch, _unstructure_sketch)
    converter.register_structure_hook(ScoreSketch, lambda v, _t: _read_sketch(v, "$"))
    converter.register_unstructure_hook(CohortStats, _unstructure_stats)
    converter.register_structure_hook(CohortStats, lambda v, _t: _read_stats(v, "$"))
    converter.register_unstructure_hook(AnalyticsPartial, _unstructure_partial)
    converter.register_structure_hook(AnalyticsPartial, _read_partial)
    for cls, hooks in (
        (ScoreSummary, _summary_hooks),
        (PopulationReport, _population_hooks),
        (CohortReport, _cohort_report_hooks),
        (CohortBreakdown, _breakdown_hooks),
        (EnterpriseReport, _enterprise_hooks),
    ):
        unstructure_hook, structure_hook = hooks(converter)
        converter.register_unstructure_hook(cls, unstructure_hook)
        converter.register_structure_hook(cls, structure_hook)
