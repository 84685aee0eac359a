"""Tests for profiler_core.errors: the exception tree and its structured attributes."""

from __future__ import annotations

import json

import pytest

from profiler_core.errors import (
    PROBLEM_CODES,
    AccessDeniedError,
    InvalidPayloadError,
    InvalidValueError,
    NotFoundError,
    PolicyError,
    Problem,
    ProfilerCoreError,
    UnknownValueError,
)
from profiler_core.serialization import error_body


class TestTree:
    """Every error derives from ProfilerCoreError and from the closest builtin."""

    @pytest.mark.parametrize(
        ("error", "builtin", "code"),
        [
            (InvalidPayloadError([], type_name="X"), ValueError, "invalid_payload"),
            (UnknownValueError(field="f", value="v", expected=["a"]), ValueError, "unknown_value"),
            (InvalidValueError(field="f", reason="r"), ValueError, "invalid_value"),
            (PolicyError(policy="p@1", reason="r"), ValueError, "invalid_policy"),
            (NotFoundError(kind="learner", key="u-1"), LookupError, "not_found"),
            (AccessDeniedError(reason_codes=["not_assigned"]), PermissionError, "access_denied"),
        ],
    )
    def test_bases_and_code(self, error: ProfilerCoreError, builtin: type[Exception], code: str) -> None:
        """Each error is a ProfilerCoreError, an instance of its builtin, and has a stable code."""
        assert isinstance(error, ProfilerCoreError)
        assert isinstance(error, builtin)
        assert error.code == code

    def test_root_code(self) -> None:
        """The root error has its own code."""
        assert ProfilerCoreError.code == "profiler_core_error"
        assert issubclass(ProfilerCoreError, Exception)


class TestProblem:
    """One problem in a payload."""

    def test_str_is_path_colon_message(self) -> None:
        """A problem renders as 'path: message'."""
        assert str(Problem(path="$.aptitude_breakdown.networking", message="must be 0..100")) == (
            "$.aptitude_breakdown.networking: must be 0..100"
        )

    def test_is_a_value(self) -> None:
        """A problem without a code is the invalid_value problem at that path; another code is another."""
        problems = {
            Problem(path="$.a", message="m"),
            Problem(path="$.a", message="m", code="invalid_value"),
            Problem(path="$.a", message="m", code="out_of_range"),
        }
        assert sorted(p.code for p in problems) == ["invalid_value", "out_of_range"]

    def test_code_defaults_to_invalid_value(self) -> None:
        """A problem built without a code carries the generic invalid_value code."""
        assert Problem(path="$.a", message="m").code == "invalid_value"

    def test_unknown_code_is_rejected(self) -> None:
        """A code outside PROBLEM_CODES cannot be built, so every emitted code is documented."""
        with pytest.raises(ValueError, match="unknown problem code"):
            Problem(path="$.a", message="m", code="made_up")

    def test_log_safe_has_path_and_code_only(self) -> None:
        """log_safe renders 'path: code' and leaves the message (which may quote the value) out."""
        problem = Problem(path="$.status", message="unknown value 'My secret plan'", code="unknown_value")
        assert problem.log_safe() == "$.status: unknown_value"

    @pytest.mark.parametrize(
        ("path", "expected"),
        [
            ("$.traits.a\nFORGED: line", "$.traits.a\\nFORGED: line: invalid_value"),
            ("$.traits.a\nb", "$.traits.a\\nb: invalid_value"),
            ("$.x\x00y", "$.x\\x00y: invalid_value"),
        ],
    )
    def test_log_safe_escapes_control_characters(self, path: str, expected: str) -> None:
        """A payload key in the path cannot inject a line break or control character into a log line."""
        assert Problem(path=path, message="m").log_safe() == expected

    def test_log_safe_caps_a_huge_path(self) -> None:
        """A path holding a huge payload key is cut to 200 characters in the log line."""
        line = Problem(path="$." + "k" * 5000, message="m").log_safe()
        assert len(line.removesuffix(": invalid_value")) == 200

    def test_every_code_has_a_meaning(self) -> None:
        """PROBLEM_CODES maps each snake_case code to a non-empty description."""
        assert all(code.isidentifier() and code.islower() and PROBLEM_CODES[code] for code in PROBLEM_CODES)


class TestInvalidPayloadError:
    """The error structure() raises, listing every problem."""

    def _error(self) -> InvalidPayloadError:
        return InvalidPayloadError(
            [
                Problem(path="$.aptitude_score", message="must be 0..100", code="out_of_range"),
                Problem(path="$.status", message="required field missing", code="required"),
            ],
            type_name="ProfilerSession",
        )

    def test_attributes(self) -> None:
        """problems is a tuple in the given order and type_name names the type."""
        error = self._error()
        assert error.problems == (
            Problem(path="$.aptitude_score", message="must be 0..100", code="out_of_range"),
            Problem(path="$.status", message="required field missing", code="required"),
        )
        assert error.type_name == "ProfilerSession"

    def test_message_lists_every_problem(self) -> None:
        """The message counts the problems and lists each on its own line."""
        assert str(self._error()) == (
            "invalid ProfilerSession payload (2 problem(s)):\n"
            "  $.aptitude_score: must be 0..100\n"
            "  $.status: required field missing"
        )

    def test_as_dict(self) -> None:
        """as_dict is a JSON-ready 400 body with code, type and errors, each with its problem code."""
        body = error_body(self._error())
        assert body == {
            "code": "invalid_payload",
            "type": "ProfilerSession",
            "errors": [
                {"path": "$.aptitude_score", "code": "out_of_range", "message": "must be 0..100"},
                {"path": "$.status", "code": "required", "message": "required field missing"},
            ],
        }
        assert json.loads(json.dumps(body)) == body

    def test_accepts_any_sequence(self) -> None:
        """problems may be any sequence; it is stored as a tuple."""
        error = InvalidPayloadError((Problem(path="$", message="m"),), type_name="Mission")
        assert error.problems == (Problem(path="$", message="m"),)
        assert error_body(error)["errors"] == [{"path": "$", "code": "invalid_value", "message": "m"}]

    def test_log_summary_lists_paths_and_codes_never_values(self) -> None:
        """log_summary is one line of 'path: code' entries; the quoted secret value never appears."""
        error = InvalidPayloadError(
            [
                Problem(path="$.status", message="unknown value 'My secret plan...'", code="unknown_value"),
                Problem(
                    path="$.aptitude_score", message="must be a number, got 'hunter2'", code="not_a_number"
                ),
            ],
            type_name="ProfilerSession",
        )
        summary = error.log_summary()
        assert summary == (
            "invalid ProfilerSession payload (2 problem(s)): "
            "$.status: unknown_value; $.aptitude_score: not_a_number"
        )
        assert "secret" not in summary
        assert "hunter2" not in summary


class TestUnknownValueError:
    """A vocabulary value was not recognised."""

    def test_attributes_and_message(self) -> None:
        """field, value, expected and detail are kept; the message starts with the field."""
        error = UnknownValueError(field="track", value="blue", expected=["defender", "grc"])
        assert (error.field, error.value, error.expected) == ("track", "blue", ("defender", "grc"))
        assert error.detail == "unknown value 'blue' (expected one of: defender, grc)"
        assert str(error) == "track: unknown value 'blue' (expected one of: defender, grc)"


class TestInvalidValueError:
    """A value object got an invalid field."""

    def test_attributes_and_message(self) -> None:
        """field and reason are kept; the message is 'field: reason'."""
        error = InvalidValueError(field="aptitude_score", reason="must be 0..100")
        assert (error.field, error.reason) == ("aptitude_score", "must be 0..100")
        assert str(error) == "aptitude_score: must be 0..100"

    def test_problem_code(self) -> None:
        """problem_code defaults to invalid_value and keeps a documented code such as out_of_range."""
        assert InvalidValueError(field="f", reason="r").problem_code == "invalid_value"
        assert (
            InvalidValueError(field="f", reason="r", problem_code="out_of_range").problem_code
            == "out_of_range"
        )

    def test_unknown_problem_code_is_rejected(self) -> None:
        """A problem code outside PROBLEM_CODES is a programming error, caught at once."""
        with pytest.raises(ValueError, match="unknown problem code"):
            InvalidValueError(field="f", reason="r", problem_code="nope")


class TestPolicyError:
    """A policy is inconsistent."""

    def test_attributes_and_message(self) -> None:
        """policy and reason are kept; the message is 'policy: reason'."""
        error = PolicyError(policy="difficulty@2", reason="thresholds must rise")
        assert (error.policy, error.reason) == ("difficulty@2", "thresholds must rise")
        assert str(error) == "difficulty@2: thresholds must rise"


class TestNotFoundError:
    """A host lookup found nothing."""

    def test_attributes_and_message(self) -> None:
        """kind and key are kept; the message names both."""
        error = NotFoundError(kind="cohort", key="c-1")
        assert (error.kind, error.key) == ("cohort", "c-1")
        assert str(error) == "cohort 'c-1' not found"

    def test_caught_as_lookup_error(self) -> None:
        """Hosts catching LookupError also catch it."""
        with pytest.raises(LookupError):
            raise NotFoundError(kind="learner", key=7)


class TestAccessDeniedError:
    """A host chose to raise on a denial."""

    def test_attributes_and_message(self) -> None:
        """reason_codes are kept as a tuple and listed in the message."""
        error = AccessDeniedError(reason_codes=["not_assigned", "grant_expired"])
        assert error.reason_codes == ("not_assigned", "grant_expired")
        assert str(error) == "access denied: not_assigned, grant_expired"
