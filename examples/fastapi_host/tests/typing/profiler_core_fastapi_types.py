"""Type-checked, never run: profiler_core.fastapi's public names infer as documented (run_tests.sh's mypy)."""

from __future__ import annotations

from typing import Annotated, Any, assert_type

from fastapi import Depends, FastAPI, Request

from profiler_core.decisions import Reason
from profiler_core.fastapi import (
    LibraryResponse,
    Port,
    error_responses,
    install_exception_handlers,
    install_openapi,
    library_model,
    library_schema,
    register_port,
)
from profiler_core.ports import SessionRepository
from profiler_core.testing import InMemorySessionRepository

SESSIONS: Port[SessionRepository] = Port("sessions")
Sessions = Annotated[SessionRepository, Depends(SESSIONS)]


def check(app: FastAPI, request: Request) -> None:
    """A Protocol-typed port provides the Protocol, a fake satisfies it, the helpers infer as documented."""
    register_port(app, SESSIONS, lambda _request: InMemorySessionRepository())
    assert_type(SESSIONS(request), SessionRepository)
    assert_type(library_model(Reason), object)
    assert_type(library_schema(Reason), dict[str, Any])
    assert_type(error_responses(400, 403), dict[int | str, dict[str, Any]])
    assert_type(LibraryResponse(Reason(code="selection_mapped", message="A reason.")), LibraryResponse)
    install_exception_handlers(app)
    install_openapi(app)


def wrong_factory(app: FastAPI) -> None:
    """A factory that builds something else is refused."""
    register_port(app, SESSIONS, lambda _request: "not a repository")  # type: ignore[arg-type,return-value]
