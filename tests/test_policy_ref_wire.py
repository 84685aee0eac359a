"""``PolicyRef`` has one wire form, ``"id@version"``, in every body (issue 12)."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from profiler_core import (
    InvalidPayloadError,
    InvalidValueError,
    PolicyRef,
    ProfilerSession,
    SessionStatus,
    mission_ceiling,
    structure,
    unstructure,
)

_IDS = st.text(min_size=1, max_size=20).filter(lambda t: "@" not in t)


class TestWireForm:
    def test_unstructure_writes_id_at_version(self) -> None:
        """unstructure renders a PolicyRef as the string id@version, not an object."""
        assert unstructure(PolicyRef(id="matching", version=3)) == "matching@3"

    def test_decision_body_carries_the_string(self) -> None:
        """A decision rendered by unstructure carries its policy as "difficulty@1"."""
        session = ProfilerSession(id="s-1", user_id="u-1", status=SessionStatus.FINISHED)
        assert json.loads(json.dumps(unstructure(mission_ceiling(session))))["policy"] == "difficulty@1"

    @pytest.mark.parametrize(
        ("data", "expected"),
        [
            ("gaps@2", PolicyRef(id="gaps", version=2)),
            ({"id": "gaps", "version": 2}, PolicyRef(id="gaps", version=2)),
        ],
        ids=["string", "earlier-object-form"],
    )
    def test_structure_reads_both_forms(self, data: object, expected: PolicyRef) -> None:
        """structure reads id@version and the earlier {"id", "version"} object."""
        assert structure(data, PolicyRef) == expected

    @pytest.mark.parametrize("data", ["gaps", "gaps@0", "@1", 3, {"id": "gaps"}, None])
    def test_structure_rejects_other_shapes(self, data: object) -> None:
        """Anything but id@version (positive version) or the full object is one problem at $."""
        with pytest.raises(InvalidPayloadError) as info:
            structure(data, PolicyRef)
        assert [p.path for p in info.value.problems] == ["$"]

    @pytest.mark.parametrize("bad_id", ["", "a@b"])
    def test_an_id_that_would_not_read_back_is_rejected(self, bad_id: str) -> None:
        """An empty id, or one holding "@", is an InvalidValueError at construction."""
        with pytest.raises(InvalidValueError):
            PolicyRef(id=bad_id, version=1)

    @given(_IDS, st.integers(min_value=1, max_value=10**6))
    def test_round_trip_through_json(self, policy_id: str, version: int) -> None:
        """structure(json(unstructure(ref))) == ref for every valid id and version."""
        ref = PolicyRef(id=policy_id, version=version)
        assert structure(json.loads(json.dumps(unstructure(ref))), PolicyRef) == ref
