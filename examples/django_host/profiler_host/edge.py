"""The request edge: every id, query parameter and JSON body a request carries is checked here first.

Whatever a client sends, a malformed request is a 400 with the documented
body (``error_body(InvalidPayloadError)``: ``{code, type, errors: [{path, code,
message}]}``) before any query runs, so nothing malformed reaches the database,
the library, an audit row or a log line:

* **ids** (``X-User-Id``, ``{mentee_id}``, ``{cohort_id}``, ``{enterprise_id}``,
  a completion's ``id`` and ``user_id``) are 1 to :data:`MAX_ID_LENGTH`
  characters, not blank, and hold no control character. The bound is the
  width of every id column (``access_audit`` included), so an id that passes
  always fits its audit row; ``NUL``, which PostgreSQL refuses in ``text``,
  never reaches a query.
* **query parameters**: ``limit`` is plain ASCII digits in range (``²``,
  ``①`` and a 5,000-digit number are 400s, never an ``int()`` crash), a flag
  is true/false.
* **JSON bodies** are parsed by :class:`BoundedJSONParser`: nested at most
  :data:`MAX_JSON_DEPTH` levels (a deeper body would exhaust the recursion
  limit of the parser or of :func:`profiler_core.structure`) and free of the
  ``NUL`` character in any key or string (the first :data:`MAX_LISTED_PROBLEMS`
  problems are listed).

Paths name where the value was read: ``$.header.x-user-id``,
``$.path.mentee_id``, ``$.query.limit``, ``$.id``; the body's ``type`` is
``request`` for headers, paths and query strings and ``json`` for a body that
is not acceptable JSON. The FastAPI reference host answers the same requests
with the same paths and bound.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator, Mapping
from typing import Any

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser
from rest_framework.request import Request

import profiler_core as pc
from profiler_core import drf
from profiler_host.models import MAX_ID_LENGTH

__all__ = [
    "MAX_ID_LENGTH",
    "MAX_JSON_DEPTH",
    "MAX_LISTED_PROBLEMS",
    "BoundedJSONParser",
    "checked_id",
    "id_problem",
    "query_flag",
    "query_int",
    "query_limit",
    "query_page",
]

#: The deepest nesting a JSON body may have (the profiler's payloads need four levels).
MAX_JSON_DEPTH = 32

#: At most this many problems are listed for one body (a body of a million bad strings gets a short 400).
MAX_LISTED_PROBLEMS = 100

_TRUE, _FALSE = frozenset({"true", "1", "yes"}), frozenset({"false", "0", "no", ""})


def id_problem(value: str, *, path: str) -> pc.Problem | None:
    """What is wrong with *value* as an id read at *path*, or ``None`` (``profiler_core.drf.id_problem``)."""
    return drf.id_problem(value, path=path, max_length=MAX_ID_LENGTH)


def checked_id(value: str, *, path: str, type_name: str = "request") -> str:
    """The canonical text of *value* when it is a valid id; else the 400's error.

    :func:`profiler_core.drf.checked_id` with this host's :data:`MAX_ID_LENGTH`
    (the library's permissions check path ids the same way). Never stripped or
    guessed at: the only change is the library's
    :func:`~profiler_core.models.canonical_id` (a UUID in any case becomes its
    lower-case text, so ``X-User-Id`` and path ids name the same rows as the
    ids inside library values).

    Raises:
        InvalidPayloadError: blank, longer than :data:`MAX_ID_LENGTH`, or holding a control character.
    """
    return drf.checked_id(value, path=path, max_length=MAX_ID_LENGTH, type_name=type_name)


def query_flag(request: Request, name: str) -> bool:
    """A boolean query parameter (absent is false).

    Raises:
        InvalidPayloadError: a value other than true/false/1/0/yes/no (answered 400).
    """
    raw = request.query_params.get(name, "").strip().lower()
    if raw in _TRUE or raw in _FALSE:
        return raw in _TRUE
    raise pc.InvalidPayloadError(
        [pc.Problem(path=f"$.query.{name}", message="must be true or false", code="not_a_boolean")],
        type_name="request",
    )


def query_int(request: Request, name: str, *, default: int, maximum: int) -> int:
    """The integer query parameter *name*, 1..*maximum* (absent or blank is *default*).

    Only ASCII digits count (``str.isdigit`` also accepts ``²`` and ``①``,
    which ``int()`` then refuses), and the text is measured before it is
    converted, so no length of input reaches ``int()``'s digit limit.

    Raises:
        InvalidPayloadError: not an integer in range, at ``$.query.<name>`` (answered 400).
    """
    raw = request.query_params.get(name, "").strip()
    if not raw:
        return default
    message = f"must be an integer 1..{maximum}"
    path = f"$.query.{name}"
    if not (raw.isascii() and raw.isdigit()):
        problem = pc.Problem(path=path, message=message, code="not_an_integer")
    elif len(digits := raw.lstrip("0")) > len(str(maximum)) or not 1 <= int(digits or "0") <= maximum:
        problem = pc.Problem(path=path, message=message, code="out_of_range")
    else:
        return int(digits)
    raise pc.InvalidPayloadError([problem], type_name="request")


def query_limit(request: Request, *, default: int = 10, maximum: int = 50) -> int:
    """The ``limit`` query parameter, 1..*maximum* (absent is *default*); see :func:`query_int`."""
    return query_int(request, "limit", default=default, maximum=maximum)


#: The largest ``page`` and ``page_size`` the missions list accepts.
MAX_PAGE, MAX_PAGE_SIZE = 10_000, 100


def query_page(request: Request) -> tuple[int, int]:
    """The missions list's ``page`` (default 1) and ``page_size`` (default 20, the platform's), checked."""
    return (
        query_int(request, "page", default=1, maximum=MAX_PAGE),
        query_int(request, "page_size", default=20, maximum=MAX_PAGE_SIZE),
    )


def _key_path(path: str, key: str) -> str:
    if key.isidentifier():
        return f"{path}.{key}"
    return f"{path}[{json.dumps(key)}]"


def _walk(data: object) -> Iterator[pc.Problem]:
    """Every problem of a parsed body: nesting over the bound, ``NUL`` in a key or string (no recursion)."""
    stack: list[tuple[str, object, int]] = [("$", data, 0)]
    while stack:
        path, value, depth = stack.pop()
        if isinstance(value, str):
            if "\x00" in value:
                yield pc.Problem(
                    path=path, message="must not contain the NUL character", code="invalid_value"
                )
            continue
        if not isinstance(value, dict | list):
            continue
        if depth >= MAX_JSON_DEPTH:
            yield pc.Problem(
                path=path, message=f"nested deeper than {MAX_JSON_DEPTH} levels", code="invalid_value"
            )
            continue
        if isinstance(value, dict):
            for key, item in reversed(value.items()):
                key_path = _key_path(path, key)
                if "\x00" in key:
                    yield pc.Problem(
                        path=key_path, message="key must not contain the NUL character", code="invalid_value"
                    )
                stack.append((key_path, item, depth + 1))
        else:
            stack.extend((f"{path}[{i}]", item, depth + 1) for i, item in reversed(list(enumerate(value))))


class BoundedJSONParser(JSONParser):
    """DRF's JSON parser, bounded: nesting at most :data:`MAX_JSON_DEPTH`, no ``NUL`` anywhere.

    A body too deep for the decoder itself (``RecursionError``) is a
    :class:`~rest_framework.exceptions.ParseError` like any other undecodable
    body; a body that decodes but breaks a bound is an
    :class:`~profiler_core.InvalidPayloadError` of type ``json`` listing every
    path at fault. Both are answered 400 by :func:`profiler_core.drf.exception_handler`.
    """

    def parse(
        self, stream: Any, media_type: str | None = None, parser_context: Mapping[str, Any] | None = None
    ) -> Any:
        """The decoded body, or a 400's error."""
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(f"JSON parse error - nested deeper than {MAX_JSON_DEPTH} levels") from None
        problems = list(itertools.islice(_walk(data), MAX_LISTED_PROBLEMS))
        if problems:
            raise pc.InvalidPayloadError(problems, type_name="json")
        return data
