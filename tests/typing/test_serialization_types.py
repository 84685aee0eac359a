"""Type-level tests of the wire edge: mypy checks this file; pytest imports it and finds nothing to run.

The README's FastAPI snippet returns an endpoint body from a handler typed
``-> dict[str, Any]``; ``unstructure`` returns :data:`~profiler_core.JSON`,
which is not a dict for mypy, so the snippet uses ``unstructure_object``.
"""

from __future__ import annotations

from typing import Annotated, Any, assert_type

from profiler_core import JSON, Reason, UserId, unstructure, unstructure_object
from profiler_core.ports import MissionRepository, SessionRepository
from profiler_core.services import missions_for_learner


def current_user_id() -> str:
    """Stands in for the host's FastAPI dependency."""
    return "u-1"


def eligible(
    user_id: Annotated[str, current_user_id],
    sessions: SessionRepository,
    missions: MissionRepository,
) -> dict[str, Any]:
    """The README's FastAPI endpoint, as written there: it type-checks under --strict."""
    return unstructure_object(missions_for_learner(UserId(user_id), sessions=sessions, missions=missions))


def eligible_json(user_id: str, sessions: SessionRepository, missions: MissionRepository) -> dict[str, JSON]:
    """The same endpoint typed with the library's JSON alias."""
    return unstructure_object(missions_for_learner(UserId(user_id), sessions=sessions, missions=missions))


def check_unstructure_returns_json() -> None:
    """unstructure is JSON (not Any); unstructure_object is a JSON object."""
    assert_type(unstructure(Reason(code="a", message="b")), JSON)
    assert_type(unstructure_object(Reason(code="a", message="b")), dict[str, JSON])
    body: JSON = {"nested": [1, 2.5, "x", None, True, {"k": []}]}
    assert_type(body, JSON)


def check_json_is_not_a_dict(sessions: SessionRepository, missions: MissionRepository) -> dict[str, Any]:
    """Returning bare unstructure() from a dict-typed handler is flagged: use unstructure_object."""
    return unstructure(  # type: ignore[return-value]  # JSON may be a list or a scalar
        missions_for_learner(UserId("u-1"), sessions=sessions, missions=missions)
    )


def check_json_rejects_non_json() -> None:
    """Only JSON-shaped data fits the alias (a set is flagged)."""
    bad: JSON = {"k": {1, 2}}  # type: ignore[dict-item]  # a set is not JSON
    assert_type(bad, JSON)
