"""Text that looks numeric to ``str.isdigit()`` but not to ``int()`` never crashes a parser.

``"²"``, ``"٣"`` (Arabic-Indic three) and the full-width three (U+FF13) are digits to
``str.isdigit()``; the library reads numbers in ASCII only, so each of these
functions raises its documented error (or none) for any text.
"""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from profiler_core.analytics import CohortStats
from profiler_core.decisions import PolicyRef, Reason
from profiler_core.errors import InvalidPayloadError, InvalidValueError, UnknownValueError
from profiler_core.models import IdentityResponse
from profiler_core.portfolio import compose_value_statement
from profiler_core.serialization import structure
from profiler_core.vocabulary import MissionDifficulty, parse_mission_difficulty

NON_ASCII_DIGITS = ["\u00b2", "\u0663", "\uff13", "\u09e9", "1\u00b2", "\u0661\u0660"]

# Text built from the characters that tripped the isdigit()/int() pairs, plus any text.
_digitish = st.text(
    st.sampled_from(["0", "1", "3", "9", "\u00b2", "\u0663", "\uff13", "@", "q", "-", " ", "."]), max_size=12
)
_any_text = _digitish | st.text(max_size=20)


class TestMissionDifficulty:
    """parse_mission_difficulty reads ASCII digits only."""

    @pytest.mark.parametrize("text", NON_ASCII_DIGITS)
    def test_non_ascii_digits_are_unknown(self, text: str) -> None:
        """'٣' is not level 3 and '²' does not crash: both are unknown values."""
        with pytest.raises(UnknownValueError):
            parse_mission_difficulty(text)

    @pytest.mark.parametrize(("text", "expected"), [("3", 3), (" 5 ", 5), ("01", 1)])
    def test_ascii_digits_still_read(self, text: str, expected: int) -> None:
        """ASCII digit text 1..5 is still a level (surrounding spaces and leading zeros allowed)."""
        assert parse_mission_difficulty(text) == MissionDifficulty(expected)

    def test_huge_digit_text_is_unknown(self) -> None:
        """A 5000-digit string is an unknown value, not int()'s digit-limit ValueError."""
        with pytest.raises(UnknownValueError):
            parse_mission_difficulty("9" * 5000)

    @given(text=_any_text)
    @example(text="\u00b2")
    @example(text="\u0663")
    def test_raises_only_unknown_value(self, text: str) -> None:
        """For any text the result is a level or an UnknownValueError, nothing else."""
        try:
            level = parse_mission_difficulty(text)
        except UnknownValueError:
            return
        assert level in set(MissionDifficulty)


class TestPolicyRef:
    """PolicyRef.parse reads an ASCII positive version."""

    @pytest.mark.parametrize("version", [*NON_ASCII_DIGITS, "9" * 5000, "0", "-1", "1.0", ""])
    def test_bad_versions(self, version: str) -> None:
        """Non-ASCII digits, huge, zero, negative, fractional and empty versions are InvalidValueError."""
        with pytest.raises(InvalidValueError, match="is not id@version"):
            PolicyRef.parse(f"x@{version}")

    @given(text=_any_text)
    @example(text="x@\u00b2")
    @example(text="x@\u0663")
    def test_raises_only_invalid_value(self, text: str) -> None:
        """For any text, parse gives a ref that renders back to id@version, or raises InvalidValueError."""
        try:
            ref = PolicyRef.parse(text)
        except InvalidValueError:
            return
        assert PolicyRef.parse(str(ref)) == ref
        assert ref.version >= 1

    @pytest.mark.parametrize("code", ["ok_code\n", "caf\u00e9", "code\u0663"])
    def test_reason_code_is_whole_ascii_snake_case(self, code: str) -> None:
        """A reason code with a trailing newline or non-ASCII letters is rejected (fullmatch, ASCII)."""
        with pytest.raises(InvalidValueError, match="is not a snake_case reason code"):
            Reason(code=code, message="m")


class TestValueStatementQuestionIds:
    """Identity answers are ordered by natural question id without int() on non-ASCII digits."""

    @pytest.mark.parametrize("question_id", ["q1\u00b2", "q\u0663", "q\uff13", "q" + "7" * 5000])
    def test_no_crash(self, question_id: str) -> None:
        """An id like 'q1²' is composed like any other (it used to raise ValueError)."""
        statement = compose_value_statement(
            None,
            [
                IdentityResponse(question_id=question_id, text="integrity"),
                IdentityResponse(question_id="q2", text="curiosity"),
            ],
        )
        assert "integrity" in statement.text
        assert "curiosity" in statement.text

    def test_natural_order_kept(self) -> None:
        """ASCII numbers in ids still sort numerically (q2 before q10), at any length."""
        statement = compose_value_statement(
            None,
            [
                IdentityResponse(question_id="q10", text="ten"),
                IdentityResponse(question_id="q" + "1" * 40, text="huge"),
                IdentityResponse(question_id="q2", text="two"),
            ],
        )
        assert statement.text.index("two") < statement.text.index("ten") < statement.text.index("huge")

    @given(question_ids=st.lists(_any_text.filter(lambda t: t != ""), min_size=1, max_size=4))
    def test_any_question_ids(self, question_ids: list[str]) -> None:
        """Any non-empty question ids compose without an exception."""
        compose_value_statement(
            None, [IdentityResponse(question_id=q, text=f"answer {i}") for i, q in enumerate(question_ids)]
        )


def _stats_with_month(month: str) -> dict[str, object]:
    empty = {"count": 0, "total": 0, "total_sq": 0, "minimum": None, "maximum": None, "bins": [0] * 101}
    return {
        "total": 1,
        "profiled": 1,
        "aptitude": empty,
        "technical_exposure": empty,
        "overall": empty,
        "tracks": {"none": 1},
        "difficulty": {"not_selected": 1},
        "strengths": {},
        "completions": {month: 1},
    }


class TestCompletionMonths:
    """Completion months of analytics statistics are ASCII YYYY-MM, nothing after."""

    @pytest.mark.parametrize("month", ["\u0662\u0660\u0662\u0666-01", "2026-01\n", "2026-1", "2026-13"])
    def test_non_ascii_or_trailing_text_rejected(self, month: str) -> None:
        """'٢٠٢٦-01' (Arabic-Indic year) and '2026-01\\n' are not months (they were accepted)."""
        with pytest.raises(InvalidPayloadError) as info:
            structure(_stats_with_month(month), CohortStats)
        assert [p.path for p in info.value.problems] == ["$.completions"]

    def test_ascii_month_accepted(self) -> None:
        """A plain 'YYYY-MM' month is still read."""
        assert dict(structure(_stats_with_month("2026-01"), CohortStats).completions) == {"2026-01": 1}
