"""Tests for profiler_core._logging: log-safe exception fields (SPEC §11: logs carry no values)."""

from __future__ import annotations

import errno
import logging
import sqlite3

import pytest

from profiler_core._logging import failure_fields, log_failure
from profiler_core.errors import InvalidPayloadError, Problem, RepositoryError

SECRET = "My secret plan: phish the CFO"


class DriverError(Exception):
    """A driver error with a machine code, as psycopg's carry ``sqlstate``."""

    sqlstate = "40001"


class FlaggedError(Exception):
    """An error whose ``errno`` is a bool: not a code."""

    errno = True


def _raised(exc: BaseException) -> BaseException:
    """*exc* with a traceback, as a service would catch it."""
    try:
        raise exc
    except BaseException as caught:
        return caught


class TestFailureFields:
    """failure_fields: the type, a machine code and where it was raised, never the message."""

    @pytest.mark.parametrize(
        ("error", "error_type", "error_code"),
        [
            (RepositoryError(SECRET), "profiler_core.errors.RepositoryError", "repository_error"),
            (DriverError(SECRET), "tests.test_logging.DriverError", "40001"),
            (OSError(errno.ECONNREFUSED, SECRET), "ConnectionRefusedError", str(errno.ECONNREFUSED)),
            (sqlite3.OperationalError(SECRET), "sqlite3.OperationalError", None),
            (FlaggedError(SECRET), "tests.test_logging.FlaggedError", None),
            (TimeoutError(SECRET), "TimeoutError", None),
        ],
    )
    def test_type_and_code_without_the_message(
        self, error: BaseException, error_type: str, error_code: str | None
    ) -> None:
        """Library codes, driver sqlstate and errno are codes; a bool attribute is not; no message text."""
        fields = failure_fields(_raised(error))
        assert (fields["error_type"], fields["error_code"]) == (error_type, error_code)
        assert SECRET not in repr(fields)

    def test_the_chain_names_each_cause_with_paths_and_codes(self) -> None:
        """A RepositoryError from a payload error: two lines, the operation and the path: code lines."""
        try:
            try:
                raise InvalidPayloadError(
                    [Problem(path="$.status", message=f"unknown value {SECRET!r}", code="unknown_value")],
                    type_name="ProfilerSession",
                )
            except InvalidPayloadError as exc:
                raise RepositoryError(SECRET, operation="latest_completed_sessions") from exc
        except RepositoryError as exc:
            chain = failure_fields(exc)["error_chain"]
        assert isinstance(chain, tuple)
        first, second = chain
        assert first.startswith(
            "profiler_core.errors.RepositoryError [repository_error] operation=latest_completed"
        )
        assert " at test_logging.py:" in first
        assert "$.status: unknown_value" in second
        assert SECRET not in repr(chain)

    def test_an_exception_never_raised_has_no_origin(self) -> None:
        """An exception built but not raised is described by type and code only."""
        assert failure_fields(RepositoryError())["error_chain"] == (
            "profiler_core.errors.RepositoryError [repository_error]",
        )

    def test_a_context_cycle_is_described_once(self) -> None:
        """An exception whose context points back at itself is not walked forever."""
        error = RepositoryError()
        error.__context__ = error
        assert len(failure_fields(error)["error_chain"]) == 1  # type: ignore[arg-type]  # a tuple of lines


class TestLogFailure:
    """log_failure: one WARNING with the type and code, no exc_info, the caller's extra kept."""

    def test_one_warning_without_exc_info(self, caplog: pytest.LogCaptureFixture) -> None:
        """The message names type and code; extra keeps the caller's ids; nothing quotes the message."""
        log = logging.getLogger("profiler_core.test")
        with caplog.at_level(logging.WARNING, logger="profiler_core.test"):
            log_failure(log, "sessions failed", _raised(DriverError(SECRET)), {"learner_id": "u-1"})
        (record,) = caplog.records
        assert record.getMessage() == "sessions failed (tests.test_logging.DriverError [40001])"
        assert (record.levelno, record.exc_info, record.__dict__["learner_id"]) == (
            logging.WARNING,
            None,
            "u-1",
        )
        assert SECRET not in repr(record.__dict__)
