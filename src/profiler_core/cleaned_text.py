"""Cleaning a learner's answer (SPEC §6): bounded, plain, valid text, cut at a word boundary.

:func:`clean_text` removes control and invisible format characters, normalises
whitespace and punctuation where it ends a word, drops stacked combining marks
beyond the Stream-Safe limit, and cuts at a word boundary without splitting a
character sequence, ending a cut with :data:`ELLIPSIS`. The result is a
:class:`CleanedText`. Markup stays as the learner typed it: hosts escape it
when they render. The value statement (:mod:`profiler_core.value_statement`)
and the learner's edit (:mod:`profiler_core.portfolio`) clean through it.
"""

from __future__ import annotations

import re
import unicodedata

from attrs import frozen

from profiler_core.errors import InvalidValueError

__all__ = ["CleanedText", "clean_text", "ELLIPSIS"]


#: What a cut answer ends with (one character, U+2026).
ELLIPSIS = "\u2026"


# ZWNJ and ZWJ are format characters, but Persian and Indic words and emoji
# sequences render wrongly without them; every other format character goes
# (bidi overrides and isolates, zero-width spaces, BOMs, invisible tag characters).
_KEPT_FORMAT = frozenset("\u200c\u200d")


_ZWJ = "\u200d"


_LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


# The Stream-Safe Text Format (UAX #15) allows at most 30 non-starters in a row;
# marks beyond that only stack ("Zalgo" text) and are dropped.
_MAX_MARKS = 30


# Cleaned characters kept beyond the limit before cutting, so the cut never sees
# the (possibly unfinished) end of a chunk.
_LOOKAHEAD = 64


# A huge input is read only as far as 64 x limit characters, so cleaning costs O(limit).
_MAX_EXAMINED = 64


_TERMINALS = frozenset(".!?\u2026\u3002\uff01\uff1f\u061f")


_CLOSERS = "\"')]}\u00bb\u201d\u2019"


_TRAILING_SEPARATORS = " ,;:\u060c\u3001"


_CUT_TRAILING = " \n,;:.!?-\u2013\u2014\u2026" + _ZWJ


_SPACES = re.compile(r"[ ]{2,}")


_SPACE_AT_LINE_EDGE = re.compile(r"[ ]*\n[ ]*")


_BLANK_LINES = re.compile(r"\n{3,}")


# Punctuation is tidied only where it ends a word (before a space, a line break, a
# closing double quote or the end): inside a token or an emoticon it is the
# learner's text, e.g. ".NET", "fe80::1", "std::cout", "../etc/passwd", ":)".
_WORD_END = '(?=[ \n"\u00bb\u201d]|$)'


_SPACE_BEFORE_PUNCTUATION = re.compile(r"[ ]+([,.;:!?\u2026]+)" + _WORD_END)


_REPEATED_MARKS = re.compile(r"([!?])[!?]+")


_LONG_DOTS = re.compile(r"\.{4,}")


_DOUBLE_DOT = re.compile(r"(?<!\.)\.\.(?!\.)" + _WORD_END)


_REPEATED_SEPARATORS = re.compile(r"([,;:])\1+" + _WORD_END)


_JOINERS = re.compile("([\u200c\u200d])[\u200c\u200d]+")


@frozen(kw_only=True)
class CleanedText:
    """Text after :func:`clean_text`.

    Attributes:
        text: the cleaned text.
        truncated: ``True`` when it was cut to the limit (it then ends with :data:`ELLIPSIS`).
    """

    text: str
    truncated: bool = False


def _is_noncharacter(code: int) -> bool:
    return 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE


def _filter(text: str, keep_line_breaks: bool) -> str:
    if any("\ud800" <= ch <= "\udfff" for ch in text):
        # Re-pair surrogate halves a host may hand in; lone halves cannot be encoded and are dropped.
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "ignore")
    text = text.replace("\r\n", "\n")
    out: list[str] = []
    marks = 0
    for ch in text:
        if ch.isspace():
            out.append("\n" if keep_line_breaks and ch in _LINE_BREAKS else " ")
            marks = 0
            continue
        category = unicodedata.category(ch)
        if category in ("Cc", "Cs") or (category == "Cf" and ch not in _KEPT_FORMAT):
            continue
        if _is_noncharacter(ord(ch)):
            continue
        if category[0] == "M":
            marks += 1
            if marks > _MAX_MARKS:
                continue
        else:
            marks = 0
        out.append(ch)
    return "".join(out)


def _normalise(text: str, keep_line_breaks: bool) -> str:
    text = unicodedata.normalize("NFC", _filter(text, keep_line_breaks))
    text = _SPACES.sub(" ", text)
    if keep_line_breaks:
        text = _BLANK_LINES.sub("\n\n", _SPACE_AT_LINE_EDGE.sub("\n", text))
    text = _JOINERS.sub(r"\1", text)
    text = _SPACE_BEFORE_PUNCTUATION.sub(r"\1", text)
    text = _REPEATED_MARKS.sub(r"\1", text)
    text = _LONG_DOTS.sub("...", text)
    text = _DOUBLE_DOT.sub(".", text)
    text = _REPEATED_SEPARATORS.sub(r"\1", text)
    return text.strip(" \n")


def _is_regional_indicator(ch: str) -> bool:
    return "\U0001f1e6" <= ch <= "\U0001f1ff"


def _is_boundary(text: str, index: int) -> bool:
    """May *text* be cut before ``text[index]`` without splitting a user-perceived character?

    An approximation of UAX #29 extended grapheme clusters for the cases that
    matter in answers: combining marks (and variation selectors), emoji
    modifiers, zero-width-joiner sequences, regional-indicator pairs (flags)
    and conjoining Hangul vowels and finals.
    """
    if index <= 0 or index >= len(text):
        return True
    prev, nxt = text[index - 1], text[index]
    if unicodedata.category(nxt)[0] == "M" or _ZWJ in (prev, nxt):
        return False
    if "\U0001f3fb" <= nxt <= "\U0001f3ff" or "\u1160" <= nxt <= "\u11ff" or "\ud7b0" <= nxt <= "\ud7ff":
        return False
    if _is_regional_indicator(prev) and _is_regional_indicator(nxt):
        run = 0
        while index - 1 - run >= 0 and _is_regional_indicator(text[index - 1 - run]):
            run += 1
        return run % 2 == 0
    return True


def _cut(text: str, limit: int) -> str:
    room = limit - 1
    end = room
    while end > 0 and not _is_boundary(text, end):
        end -= 1
    if end == 0:
        # One "character" longer than the room (a long joiner chain): cut it, but never orphan marks.
        end = room
        while end > 0 and unicodedata.category(text[end])[0] == "M":
            end -= 1
    space = max(text.rfind(" ", 0, end + 1), text.rfind("\n", 0, end + 1))
    # Cut at a word boundary unless that would lose more than half (text without spaces, e.g. CJK).
    if space >= room // 2 and _is_boundary(text, space):
        end = space
    return text[:end].rstrip(_CUT_TRAILING) + ELLIPSIS


def clean_text(text: str, *, limit: int | None = None, keep_line_breaks: bool = False) -> CleanedText:
    """Make *text* plain, valid and (with *limit*) bounded.

    In order: surrogate halves are re-paired (lone ones dropped); control,
    format (except ZWJ/ZWNJ) and noncharacter code points are removed; more
    than 30 stacked combining marks are dropped; the text is NFC-normalised;
    whitespace runs become one space (or, with *keep_line_breaks*, line breaks
    become ``\\n`` with at most one blank line); spaces before ``, . ; : ! ? …``
    that end a word are removed, ``!!!``/``?!`` become one mark, four or more
    dots become ``...``, and at the end of a word two dots become one and
    doubled ``, ; :`` one. Punctuation inside a token is the learner's text and
    stays: ``.NET``, ``fe80::1``, ``../etc``, ``:)``.

    With *limit*, a longer result is cut to at most *limit* characters (code
    points): at the last word boundary when that keeps at least half, else at
    the last boundary between user-perceived characters; trailing separators
    are dropped and :data:`ELLIPSIS` appended. At most ``64 * limit``
    characters of the input are examined (usually about ``2 * limit``); when
    the rest is left unread the result counts as truncated.

    Markup is text: ``<b>`` stays ``<b>``; hosts escape on output.

    >>> clean_text("  Hello\\x00   world !!  ").text
    'Hello world!'
    >>> clean_text("one two three four", limit=10)
    CleanedText(text='one two…', truncated=True)
    """
    if limit is None:
        return CleanedText(text=_normalise(text, keep_line_breaks))
    if limit < 2:
        raise InvalidValueError(field="limit", reason="must be at least 2")
    size = 2 * limit + _LOOKAHEAD
    most = _MAX_EXAMINED * limit
    while True:
        cleaned = _normalise(text[:size], keep_line_breaks)
        if size >= len(text) or len(cleaned) > limit + _LOOKAHEAD or size >= most:
            break
        size = min(2 * size, most)
    if len(cleaned) > limit:
        return CleanedText(text=_cut(cleaned, limit), truncated=True)
    if size < len(text):
        # Almost everything examined was dropped (controls, stacked marks): the rest is not read.
        return CleanedText(text=_cut(cleaned + "  ", limit), truncated=True)
    return CleanedText(text=cleaned)


def _has_content(text: str) -> bool:
    # A letter, digit or symbol (emoji included); punctuation and marks alone say nothing.
    return any(unicodedata.category(ch)[0] in "LNS" for ch in text)


def _terminated(text: str) -> str:
    core = text.rstrip(_CLOSERS)
    return text if core and core[-1] in _TERMINALS else text + "."
