"""Tests for profiler_core.decisions: reasons and policy references."""

from __future__ import annotations

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from profiler_core.decisions import PolicyRef, Reason
from profiler_core.errors import InvalidValueError
from profiler_core.serialization import structure

_policy_ids = st.text(st.characters(codec="ascii", exclude_characters="@"), min_size=1, max_size=30)


class TestReason:
    """A reason: a snake_case code and a sentence."""

    @pytest.mark.parametrize("code", ["a", "no_completed_session", "elite_master_evidence", "gap2", "x_1_y"])
    def test_valid_codes(self, code: str) -> None:
        """snake_case codes starting with a letter are accepted."""
        assert Reason(code=code, message="Because.").code == code

    @pytest.mark.parametrize(
        "code", ["", "NoSession", "no-session", "1st", "_private", "no session", "ÉCOLE", "a.b"]
    )
    def test_invalid_codes(self, code: str) -> None:
        """Anything but snake_case raises InvalidValueError naming the field 'code'."""
        with pytest.raises(InvalidValueError) as info:
            Reason(code=code, message="Because.")
        assert info.value.field == "code"
        assert repr(code) in info.value.reason

    def test_frozen(self) -> None:
        """Reasons are immutable."""
        reason = Reason(code="a", message="m")
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            reason.code = "b"  # type: ignore[misc]  # the point: assignment is refused

    def test_code_and_message_are_the_whole_value(self) -> None:
        """A reason read back from its JSON equals the one written; a changed message is another reason."""
        written = Reason(code="no_completed_session", message="No completed session.")
        assert structure({"code": "no_completed_session", "message": "No completed session."}, Reason) == (
            written
        )
        assert structure({"code": "no_completed_session", "message": "Other."}, Reason) != written


class TestPolicyRef:
    """The id@version of a policy."""

    def test_str(self) -> None:
        """A reference renders as id@version."""
        assert str(PolicyRef(id="difficulty", version=1)) == "difficulty@1"

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("difficulty@1", PolicyRef(id="difficulty", version=1)),
            ("difficulty-evidence-capped@12", PolicyRef(id="difficulty-evidence-capped", version=12)),
            ("access@007", PolicyRef(id="access", version=7)),
        ],
    )
    def test_parse_known(self, text: str, expected: PolicyRef) -> None:
        """Parsing splits at the '@' into the id and an integer version."""
        assert PolicyRef.parse(text) == expected

    @pytest.mark.parametrize(
        "text", ["difficulty", "difficulty@", "@1", "difficulty@0", "difficulty@-1", "d@x", "a@b@3", ""]
    )
    def test_parse_rejects(self, text: str) -> None:
        """Text without an id, without a positive integer version, or without '@' is rejected."""
        with pytest.raises(InvalidValueError) as info:
            PolicyRef.parse(text)
        assert info.value.field == "policy"

    def test_ordered(self) -> None:
        """References order by id, then version."""
        refs = [PolicyRef(id="b", version=1), PolicyRef(id="a", version=2), PolicyRef(id="a", version=1)]
        assert sorted(refs) == [
            PolicyRef(id="a", version=1),
            PolicyRef(id="a", version=2),
            PolicyRef(id="b", version=1),
        ]

    @given(_policy_ids, st.integers(min_value=1, max_value=10**6))
    def test_parse_inverts_str(self, policy_id: str, version: int) -> None:
        """parse(str(ref)) gives back the same reference."""
        ref = PolicyRef(id=policy_id, version=version)
        assert PolicyRef.parse(str(ref)) == ref
