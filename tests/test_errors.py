"""Tests for profiler_core.errors: the exception tree and its structured attributes."""

from __future__ import annotations

import json

import pytest

from profiler_core.errors import (
    AccessDeniedError,
    InvalidPayloadError,
    InvalidValueError,
    NotFoundError,
    PolicyError,
    Problem,
    ProfilerCoreError,
    UnknownValueError,
)


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
        """Problems with the same path and message are equal and hashable."""
        first = Problem(path="$.a", message="m")
        assert first == Problem(path="$.a", message="m")
        assert len({first, Problem(path="$.a", message="m")}) == 1


class TestInvalidPayloadError:
    """The error structure() raises, listing every problem."""

    def _error(self) -> InvalidPayloadError:
        return InvalidPayloadError(
            [
                Problem(path="$.aptitude_score", message="must be 0..100"),
                Problem(path="$.status", message="required field missing"),
            ],
            type_name="ProfilerSession",
        )

    def test_attributes(self) -> None:
        """problems is a tuple in the given order and type_name names the type."""
        error = self._error()
        assert error.problems == (
            Problem(path="$.aptitude_score", message="must be 0..100"),
            Problem(path="$.status", message="required field missing"),
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
        """as_dict is a JSON-ready 400 body with code, type and errors."""
        body = self._error().as_dict()
        assert body == {
            "code": "invalid_payload",
            "type": "ProfilerSession",
            "errors": [
                {"path": "$.aptitude_score", "message": "must be 0..100"},
                {"path": "$.status", "message": "required field missing"},
            ],
        }
        assert json.loads(json.dumps(body)) == body

    def test_accepts_any_sequence(self) -> None:
        """problems may be any sequence; it is stored as a tuple."""
        error = InvalidPayloadError((Problem(path="$", message="m"),), type_name="Mission")
        assert isinstance(error.problems, tuple)
        assert error.as_dict()["errors"] == [{"path": "$", "message": "m"}]


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
