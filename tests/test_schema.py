"""JSON Schema of the wire forms (profiler_core.schema) agrees with the converter.

Every generated output value's ``unstructure`` validates against its output
schema; every generated input value's ``unstructure`` validates against its
input schema, and schema-valid mutations of it structure or fail with
``InvalidPayloadError`` only.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator, FormatChecker
from tests.test_roundtrip_outputs import CASE_IDS, CASES, WRITE_ONLY

from profiler_core.decisions import PolicyRef
from profiler_core.errors import InvalidPayloadError
from profiler_core.models import (
    CategoryScore,
    Cohort,
    Enrollment,
    JobPosting,
    MentorAssignment,
    Mission,
    PortfolioEntry,
    Principal,
    ProfilerResult,
    ProfilerSession,
    Recipe,
    TalentProfile,
)
from profiler_core.reports import Suppressed
from profiler_core.schema import DIALECT, INPUT_TYPES, output_types, schema_bundle, schema_for
from profiler_core.serialization import structure, unstructure
from profiler_core.testing import strategies as core

# jsonschema checks "date-time" only with an optional package; the wire's own rule is
# stricter anyway (an offset is required), so the checker is this.
_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:\d{2})")
FORMATS = FormatChecker()


@FORMATS.checks("date-time")
def _date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if not _DATE_TIME.fullmatch(value):
        return False
    return datetime.fromisoformat(value.replace("z", "Z")).utcoffset() is not None


OUTPUT_BUNDLE = schema_bundle()
INPUT_BUNDLE = schema_bundle(direction="input")


def _validator(type_: Any, *, direction: str = "output") -> Draft202012Validator:
    return Draft202012Validator(schema_for(type_, direction=direction), format_checker=FORMATS)  # type: ignore[arg-type]


def _json(value: object) -> Any:
    return json.loads(json.dumps(unstructure(value), allow_nan=False))


def _errors(validator: Draft202012Validator, data: object) -> list[str]:
    return [f"{e.json_path}: {e.message}" for e in validator.iter_errors(data)]


_SCHEMA_MAPS = ("properties", "$defs")
_SCHEMA_LISTS = ("anyOf", "oneOf", "allOf", "prefixItems")
_SCHEMA_ONES = ("items", "additionalProperties", "propertyNames", "not")


def _anything_schemas(schema: Any, path: str = "$") -> list[str]:
    """The paths of the subschemas that are {} (every value is valid against them)."""
    if not isinstance(schema, dict):
        return []
    found = [path] if schema == {} else []
    for key in _SCHEMA_MAPS:
        for name, sub in schema.get(key, {}).items():
            found += _anything_schemas(sub, f"{path}.{name}")
    for key in _SCHEMA_LISTS:
        for index, sub in enumerate(schema.get(key, [])):
            found += _anything_schemas(sub, f"{path}.{key}[{index}]")
    for key in _SCHEMA_ONES:
        if key in schema:
            found += _anything_schemas(schema[key], f"{path}.{key}")
    return found


# Output types whose every generated value does not validate (none so far): (type, reason).
EXCLUDED_OUTPUTS: dict[type, str] = {}


class TestSchemasAreSchemas:
    """The generated documents are valid draft 2020-12 schemas whose references resolve."""

    @pytest.mark.parametrize("bundle", [OUTPUT_BUNDLE, INPUT_BUNDLE], ids=["output", "input"])
    def test_bundle_is_a_valid_schema(self, bundle: dict[str, Any]) -> None:
        """Each bundle passes the draft 2020-12 metaschema and names its dialect."""
        Draft202012Validator.check_schema(bundle)
        assert bundle["$schema"] == DIALECT

    @pytest.mark.parametrize("bundle", [OUTPUT_BUNDLE, INPUT_BUNDLE], ids=["output", "input"])
    def test_every_reference_resolves(self, bundle: dict[str, Any]) -> None:
        """Every $ref in a bundle points at one of its $defs."""
        refs = set(re.findall(r'"\$ref": "#/\$defs/([^"]+)"', json.dumps(bundle)))
        assert refs
        assert refs <= set(bundle["$defs"])

    @pytest.mark.parametrize("bundle", [OUTPUT_BUNDLE, INPUT_BUNDLE], ids=["output", "input"])
    def test_no_field_accepts_anything(self, bundle: dict[str, Any]) -> None:
        """No schema in a bundle is {} (accepts anything): an unbound type variable gives its constraints."""
        assert _anything_schemas(bundle) == []

    def test_bundles_hold_every_type(self) -> None:
        """The output bundle defines every output class; the input bundle every input class."""
        assert {t.__name__ for t in output_types()} <= set(OUTPUT_BUNDLE["$defs"])
        assert {t.__name__ for t in INPUT_TYPES} <= set(INPUT_BUNDLE["$defs"])

    def test_output_types_match_the_round_trip_table(self) -> None:
        """output_types() holds every class the round-trip table covers (and so generates)."""
        covered = {cls for cls, _, _ in CASES} | {cls for cls, _, _ in WRITE_ONLY}
        assert covered <= set(output_types())


class TestOutputsValidate:
    """Every generated value's unstructure output validates against its output schema."""

    @pytest.mark.parametrize(("cls", "strategy", "target"), CASES, ids=CASE_IDS)
    @settings(max_examples=20, deadline=None)
    @given(data=st.data())
    def test_output_validates(
        self, cls: type[Any], strategy: st.SearchStrategy[Any], target: Any, data: st.DataObject
    ) -> None:
        """The JSON of a generated value has no schema error."""
        if cls in EXCLUDED_OUTPUTS:
            return
        value = data.draw(strategy)
        assert _errors(_validator(target), _json(value)) == []

    @pytest.mark.parametrize(
        ("cls", "strategy", "left_out"), WRITE_ONLY, ids=lambda v: getattr(v, "__name__", "")
    )
    @settings(max_examples=10, deadline=None)
    @given(data=st.data())
    def test_write_only_body_validates(
        self, cls: type[Any], strategy: st.SearchStrategy[Any], left_out: str, data: st.DataObject
    ) -> None:
        """The JSON of a write-only endpoint body has no schema error."""
        value = data.draw(strategy)
        assert _errors(_validator(cls), _json(value)) == []


INPUTS: list[tuple[type[Any], st.SearchStrategy[Any]]] = [
    (ProfilerSession, core.sessions()),
    (ProfilerResult, core.results()),
    (Mission, core.missions()),
    (Recipe, core.recipes()),
    (Enrollment, core.enrollments()),
    (Cohort, core.cohorts()),
    (MentorAssignment, core.mentor_assignments()),
    (Principal, core.principals()),
    (JobPosting, core.job_postings()),
    (TalentProfile, core.talent_profiles()),
    (PortfolioEntry, core.portfolio_entries()),
]
INPUT_IDS = [cls.__name__ for cls, _ in INPUTS]


def _leaves(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[tuple[Any, ...], Any]]:
    if isinstance(data, dict):
        return [leaf for key, item in data.items() for leaf in _leaves(item, (*path, key))]
    if isinstance(data, list):
        return [leaf for index, item in enumerate(data) for leaf in _leaves(item, (*path, index))]
    return [(path, data)]


def _replace(data: Any, path: tuple[Any, ...], new: object) -> Any:
    if not path:
        return new
    head, *rest = path
    if isinstance(data, dict):
        return {**data, head: _replace(data[head], tuple(rest), new)}
    return [_replace(item, tuple(rest), new) if i == head else item for i, item in enumerate(data)]


def _decimal_text(number: float) -> str:
    return f"{Decimal(repr(number)):f}"


@st.composite
def _mutated(draw: st.DrawFn, payload: dict[str, Any], required: list[str]) -> Any:
    """Drop optional keys, scale numbers toward zero, write numbers as decimal strings, ids as ints."""
    optional = sorted(set(payload) - set(required))
    dropped = draw(st.sets(st.sampled_from(optional), max_size=len(optional)) if optional else st.just(set()))
    data: Any = {k: v for k, v in payload.items() if k not in dropped}
    numbers = [(p, v) for p, v in _leaves(data) if isinstance(v, int | float) and not isinstance(v, bool)]
    for path, number in draw(st.lists(st.sampled_from(numbers), max_size=4) if numbers else st.just([])):
        how = draw(st.sampled_from(["scale", "text"]))
        if how == "scale":
            fraction = draw(st.floats(0, 1))
            new: object = int(number * fraction) if isinstance(number, int) else number * fraction
        else:
            new = str(number) if isinstance(number, int) else _decimal_text(number)
        data = _replace(data, path, new)
    return data


class TestInputs:
    """Input schemas describe what structure accepts."""

    @pytest.mark.parametrize(("cls", "strategy"), INPUTS, ids=INPUT_IDS)
    @settings(max_examples=25, deadline=None)
    @given(data=st.data())
    def test_unstructured_input_validates(
        self, cls: type[Any], strategy: st.SearchStrategy[Any], data: st.DataObject
    ) -> None:
        """The JSON of a generated input value is valid against the type's input schema."""
        assert _errors(_validator(cls, direction="input"), _json(data.draw(strategy))) == []

    @pytest.mark.parametrize(("cls", "strategy"), INPUTS, ids=INPUT_IDS)
    @settings(max_examples=40, deadline=None)
    @given(data=st.data())
    def test_schema_valid_mutation_structures_or_fails_cleanly(
        self, cls: type[Any], strategy: st.SearchStrategy[Any], data: st.DataObject
    ) -> None:
        """A schema-valid mutation structures (JSON fits the output schema) or raises InvalidPayloadError."""
        validator = _validator(cls, direction="input")
        payload = _json(data.draw(strategy))
        required = INPUT_BUNDLE["$defs"][cls.__name__]["required"]
        mutated = data.draw(_mutated(payload, required))
        if not validator.is_valid(mutated):
            return  # a scaled number left its range: not a schema-valid payload
        try:
            result = structure(mutated, cls)
        except InvalidPayloadError:
            return
        assert isinstance(result, cls)
        assert _errors(_validator(cls), _json(result)) == []

    def test_dropping_only_optional_keys_still_structures(self) -> None:
        """A session with only its required keys (id, user_id, status) is schema-valid and structures."""
        assert INPUT_BUNDLE["$defs"]["ProfilerSession"]["required"] == ["id", "user_id", "status"]
        payload = {"id": "s-1", "user_id": 7, "status": "finished"}
        assert _validator(ProfilerSession, direction="input").is_valid(payload)
        assert structure(payload, ProfilerSession).user_id == "7"


class TestRejections:
    """A payload that breaks the schema is rejected by the validator (and by structure)."""

    @pytest.mark.parametrize(
        ("field", "bad"),
        [
            ("technical_exposure_score", "high"),
            ("technical_exposure_score", 150),
            ("technical_exposure_score", -1),
            ("technical_exposure_score", "1e3"),
            ("technical_exposure_score", True),
        ],
    )
    def test_session_with_a_bad_score_is_rejected(self, field: str, bad: object) -> None:
        """A string where a number goes, or a score outside 0..100, fails the schema and structure."""
        payload = {"id": "s-1", "user_id": "u-1", field: bad}
        assert not _validator(ProfilerSession, direction="input").is_valid(payload)
        with pytest.raises(InvalidPayloadError):
            structure(payload, ProfilerSession)

    def test_output_with_a_string_score_is_rejected(self) -> None:
        """An output schema wants numbers: a numeric string is not what unstructure writes."""
        good = _json(CategoryScore(score=50.0))
        assert _validator(CategoryScore).is_valid(good)
        assert not _validator(CategoryScore).is_valid("50")
        assert not _validator(CategoryScore).is_valid(101)


class TestHandWrittenShapes:
    """The hook types' schemas pin their documented wire forms."""

    @pytest.mark.parametrize(
        ("value", "valid"),
        [("gaps@1", True), ("gaps@12", True), ("gaps@0", False), ("gaps", False), ("@1", False)],
    )
    def test_policy_ref_is_id_at_version(self, value: str, valid: bool) -> None:
        """A PolicyRef is written "id@version" with a positive version."""
        assert _validator(PolicyRef).is_valid(value) is valid

    def test_policy_ref_input_reads_the_old_object(self) -> None:
        """The pre-0.2 object {id, version} is an accepted input form, not an output form."""
        old = {"id": "gaps", "version": 2}
        assert _validator(PolicyRef, direction="input").is_valid(old)
        assert not _validator(PolicyRef).is_valid(old)
        assert structure(old, PolicyRef) == PolicyRef(id="gaps", version=2)

    @pytest.mark.parametrize(
        ("value", "valid"),
        [({"suppressed": True}, True), ({"suppressed": False}, False), ({}, False), (3, False)],
    )
    def test_suppressed_marker(self, value: object, valid: bool) -> None:
        """Only {"suppressed": true} is the suppression marker."""
        assert _validator(Suppressed).is_valid(value) is valid

    @pytest.mark.parametrize(
        ("value", "valid"),
        [
            (85, True),
            ("85.50", True),
            ({"correct": 3, "total": 4}, True),
            ({"correct": "3", "total": 4, "points": 2.5}, True),
            ({"correct": 3}, False),
            ("eighty", False),
            (-1, False),
        ],
    )
    def test_category_score_input_shapes(self, value: object, valid: bool) -> None:
        """A category score is read as a 0..100 number (or decimal string) or {correct, total[, points]}."""
        assert _validator(CategoryScore, direction="input").is_valid(value) is valid

    @pytest.mark.parametrize(
        "profile",
        [
            {"traits": {"grit": 4.0}, "strengths": ["grit"], "areas_for_growth": []},
            {"grit": 4.0, "calm": "3.5", "strengths": ["grit"]},
            None,
        ],
    )
    def test_behavioral_profile_input_shapes(self, profile: object) -> None:
        """Both behavioral profile shapes (intended and flat) are valid inputs and structure."""
        payload = {"id": "r-1", "session_id": "s-1", "behavioral_profile": profile}
        assert _validator(ProfilerResult, direction="input").is_valid(payload), _errors(
            _validator(ProfilerResult, direction="input"), payload
        )

    def test_ids_are_strings_out_and_strings_or_integers_in(self) -> None:
        """An id is written as a string and read from a string or an integer."""
        out = OUTPUT_BUNDLE["$defs"]["Cohort"]["properties"]["id"]
        assert out == {"type": "string"}
        validator = _validator(Cohort, direction="input")
        assert validator.is_valid({"id": 7, "name": "C"})
        assert not validator.is_valid({"id": 7.5, "name": "C"})

    def test_timestamps_are_date_time_strings(self) -> None:
        """A timestamp is a string with format date-time, checked with an offset."""
        schema = INPUT_BUNDLE["$defs"]["ProfilerSession"]["properties"]["started_at"]
        assert {"type": "string", "format": "date-time"} in schema.get("anyOf", [schema])
        assert FORMATS.conforms("2026-03-01T12:00:00+00:00", "date-time")
        assert not FORMATS.conforms("2026-03-01T12:00:00", "date-time")
