"""The OCH recipe body carries the ranking's code_matches beside the platform's fields, only when present."""

from __future__ import annotations

from datetime import UTC, datetime

from profiler_core import (
    ProfilerResult,
    ProfilerSession,
    Recipe,
    SessionStatus,
    UserId,
    structure,
)
from profiler_core.och import profiler_recommendations_body
from profiler_core.serialization import JSON
from profiler_core.services import profiler_recommendations
from profiler_core.testing import InMemoryRecipeRepository, InMemorySessionRepository

SESSION = ProfilerSession(
    id="s-1", user_id="u-1", status=SessionStatus.FINISHED, completed_at=datetime(2026, 1, 2, tzinfo=UTC)
)
RESULT = structure({"session_id": "s-1", "aptitude_breakdown": {"security": 30}}, ProfilerResult)


def _items(*recipes: Recipe) -> list[dict[str, JSON]]:
    outcome = profiler_recommendations(
        UserId("u-1"),
        sessions=InMemorySessionRepository([SESSION], [RESULT]),
        recipes=InMemoryRecipeRepository(recipes),
    )
    items = profiler_recommendations_body(outcome).body["recommended_recipes"]
    assert isinstance(items, list)
    return [item for item in items if isinstance(item, dict)]


def test_related_recipe_carries_code_matches() -> None:
    """A recipe tagged SIEM_RULE_WRITING closes the security gap by crosswalk: its item has code_matches."""
    (item,) = _items(Recipe(id="r-1", slug="sigma", title="Sigma", skill_codes=["SIEM_RULE_WRITING"]))
    assert item["skill_code"] == "SIEM_RULE_WRITING"
    assert item["code_matches"] == [{"code": "SIEM_RULE_WRITING", "via": "SIEM", "kind": "crosswalk"}]


def test_exact_recipe_has_no_code_matches_key() -> None:
    """A recipe tagged with the taxonomy's own code (SIEM) matches exactly: no code_matches key."""
    (item,) = _items(Recipe(id="r-2", slug="siem", title="SIEM", skill_codes=["SIEM"]))
    assert "code_matches" not in item
