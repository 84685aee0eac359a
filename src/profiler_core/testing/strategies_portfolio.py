"""Hypothesis strategies for the portfolio and leadership values (needs ``hypothesis``).

* :func:`hostile_texts` mixes control and format characters, markup, right-to-left
  and combining text, emoji sequences, lone surrogates and odd punctuation;
* :func:`hostile_reflections` and :func:`hostile_identity_responses` put it into answers;
* :func:`value_statements` and :func:`leadership_identities` build composed values;
* :func:`statement_entries` builds value-statement portfolio entries.
"""

from __future__ import annotations

from hypothesis import strategies as st

from profiler_core.leadership import LeadershipIdentity, seed_leadership_identity
from profiler_core.models import EntryId, IdentityResponse, PortfolioEntry, Reflection, SessionId
from profiler_core.portfolio import (
    VALUE_STATEMENT_ITEM_TYPE,
    VALUE_STATEMENT_STATUS,
    VALUE_STATEMENT_TITLE,
    ValueStatement,
    compose_value_statement,
)
from profiler_core.testing.strategies import identity_responses, ids, reflections, timestamps, user_ids
from profiler_core.vocabulary import DifficultySelection, Visibility

__all__ = [
    "HOSTILE_FRAGMENTS",
    "hostile_texts",
    "hostile_reflections",
    "hostile_identity_responses",
    "value_statements",
    "leadership_identities",
    "statement_entries",
]

#: Pieces of text that have broken text handling somewhere.
HOSTILE_FRAGMENTS = (
    # control characters, escapes, odd whitespace and line breaks
    "\x00",
    "\x07",
    "\x1b[31m",
    "\x7f",
    "\x85",
    "\r\n",
    "\t",
    "\u2028",
    "\u00a0",
    "\u3000",
    # bidi overrides and isolates, zero-width characters, BOM, invisible tag characters
    "\u202e",
    "\u202d",
    "\u2066",
    "\u2069",
    "\u200b",
    "\ufeff",
    "\U000e0041\U000e0042",
    # markup and template syntax (must stay plain text)
    "<script>alert(1)</script>",
    "<b>bold</b>",
    "&amp;",
    "{answer}",
    "{0}",
    "%s",
    # right-to-left and combining text
    "\u0627\u0644\u0623\u0645\u0646",
    "\u05e9\u05dc\u05d5\u05dd",
    "\u0301",
    "e\u0301",
    "a" + "\u0300" * 40,
    "\u0915\u094d\u0937",
    "\u1100\u1161\u11a8",
    # emoji sequences and flags
    "\U0001f469\u200d\U0001f4bb",
    "\U0001f1eb\U0001f1f7",
    "\U0001f44d\U0001f3fd",
    # lone surrogate halves and noncharacters
    "\ud800",
    "\udfff",
    "\ufffe",
    # punctuation runs
    "!!!",
    "?!",
    "....",
    " ,",
    "\u2026",
)

_words = st.text("abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=12)


def hostile_texts(*, max_pieces: int = 24) -> st.SearchStrategy[str]:
    """Text built from :data:`HOSTILE_FRAGMENTS`, plain words, spaces and arbitrary characters."""
    piece = st.one_of(
        st.sampled_from(HOSTILE_FRAGMENTS),
        _words,
        st.just(" "),
        st.text(st.characters(), max_size=6),
    )
    return st.lists(piece, max_size=max_pieces).map("".join)


def hostile_reflections() -> st.SearchStrategy[Reflection]:
    """Reflections whose answers (when present) are hostile text."""
    return st.builds(
        Reflection,
        why_cyber=st.none() | hostile_texts(),
        what_achieve=st.none() | hostile_texts(),
    )


def hostile_identity_responses() -> st.SearchStrategy[IdentityResponse]:
    """Identity answers with hostile text."""
    return st.builds(IdentityResponse, question_id=ids("q"), text=hostile_texts(max_pieces=8))


@st.composite
def value_statements(draw: st.DrawFn, *, hostile: bool = False) -> ValueStatement:
    """A statement composed from any reflection and identity answers (hostile text with *hostile*)."""
    reflection = draw(hostile_reflections() if hostile else reflections())
    answers = draw(st.lists(hostile_identity_responses() if hostile else identity_responses(), max_size=7))
    return compose_value_statement(reflection, answers)


@st.composite
def leadership_identities(draw: st.DrawFn) -> LeadershipIdentity:
    """An identity seeded from any statement and difficulty selection."""
    return seed_leadership_identity(
        draw(value_statements()),
        difficulty_selection=draw(st.none() | st.sampled_from(DifficultySelection)),
        session_id=draw(st.none() | ids("s").map(SessionId)),
    )


@st.composite
def statement_entries(draw: st.DrawFn) -> PortfolioEntry:
    """A stored value-statement entry, learner-edited or not, with or without a suggestion."""
    created = draw(timestamps())
    edited = draw(st.booleans())
    return PortfolioEntry(
        id=EntryId(draw(ids("e"))),
        user_id=draw(user_ids()),
        title=VALUE_STATEMENT_TITLE,
        summary=draw(st.text(max_size=40)),
        item_type=VALUE_STATEMENT_ITEM_TYPE,
        status=VALUE_STATEMENT_STATUS,
        visibility=draw(st.sampled_from(Visibility)),
        profiler_session_id=SessionId(draw(ids("s"))),
        created_at=created,
        updated_at=created,
        learner_edited_at=created if edited else None,
        suggested_summary=draw(st.none() | st.text(max_size=40)) if edited else None,
    )
