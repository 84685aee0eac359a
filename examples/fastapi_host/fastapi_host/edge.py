"""The request edge: every id and JSON body a request carries is checked here first.

Whatever a client sends, a malformed request is a 400 with the documented body
(``error_body(InvalidPayloadError)``: ``{code, type, errors: [{path, code,
message}]}``) before any query runs, so nothing malformed reaches the
database, the library or a log line unbounded. The Django reference host
answers the same requests with the same paths and bounds
(``examples/django_host/profiler_host/edge.py``).

* **ids** (``X-User-Id``, ``{mentee_id}``, ``{cohort_id}``,
  ``{enterprise_id}``, a completion's ``id`` and ``user_id``) are 1 to
  :data:`MAX_ID_LENGTH` characters, not blank, and hold no control character
  (``NUL`` included). The bound is the Django host's id column width.
* **JSON bodies** read by :func:`read_json_body` (the completion route) are
  valid UTF-8 JSON nested at most :data:`MAX_JSON_DEPTH` levels, with no
  ``NUL`` in any key or string; a body too deep for the decoder itself
  (``RecursionError``), not JSON, or holding an integer longer than Python
  converts (``ValueError``) is a 400 too, never a 500. The first
  :data:`MAX_LISTED_PROBLEMS` problems are listed.
* **query parameters** (``limit``, ``track``) are validated by FastAPI against
  their declared types and bounds; the application turns its errors into the
  same 400 body (``$.query.limit``).

Paths name where the value was read: ``$.header.x-user-id``,
``$.path.mentee_id``, ``$.id``, ``$.reflection.why_cyber``; the body's
``type`` is ``request`` for headers and paths and ``json`` for a body that is
not acceptable JSON.
"""

from __future__ import annotations

import itertools
import json
import unicodedata
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request

from profiler_core import InvalidPayloadError, Problem
from profiler_core.models import canonical_id

__all__ = [
    "MAX_ID_LENGTH",
    "MAX_JSON_DEPTH",
    "MAX_LISTED_PROBLEMS",
    "id_problem",
    "checked_id",
    "bounded",
    "json_problems",
    "read_json_body",
    "JsonBody",
]

#: The longest id this host accepts anywhere (the Django host's ``max_length``).
MAX_ID_LENGTH = 64

#: The deepest nesting a JSON body may have (the profiler's payloads need four levels).
MAX_JSON_DEPTH = 32

#: At most this many problems are listed for one body.
MAX_LISTED_PROBLEMS = 100


def _is_control(ch: str) -> bool:
    return unicodedata.category(ch) in ("Cc", "Cs")


def id_problem(value: str, *, path: str) -> Problem | None:
    """What is wrong with *value* as an id read at *path*, or ``None`` when it is a valid id."""
    if not value.strip():
        return Problem(path=path, message="must not be blank", code="blank")
    if len(value) > MAX_ID_LENGTH:
        return Problem(path=path, message=f"must be at most {MAX_ID_LENGTH} characters", code="out_of_range")
    if any(_is_control(ch) for ch in value):
        return Problem(path=path, message="must not contain control characters", code="invalid_value")
    return None


def checked_id(value: str, *, path: str, type_name: str = "request") -> str:
    """The canonical text of *value* when it is a valid id; else raise the 400's ``InvalidPayloadError``.

    Never stripped or guessed at: the only change is the library's
    :func:`~profiler_core.canonical_id` (a UUID in any case becomes its
    lower-case text), so header and path ids name the same rows as the ids
    inside library values.

    Args:
        value: the id as the request carried it (not stripped: ``" a"`` and
            ``"a"`` are different ids, and neither is guessed to be the other).
        path: where it was read, e.g. ``$.path.mentee_id`` or ``$.header.x-user-id``.
        type_name: the body's ``type`` (``request`` for headers and paths).

    Raises:
        InvalidPayloadError: blank, longer than :data:`MAX_ID_LENGTH`, or holding
            a control character.
    """
    problem = id_problem(value, path=path)
    if problem is not None:
        raise InvalidPayloadError([problem], type_name=type_name)
    return canonical_id(value, field=path)


def bounded(value: str) -> str:
    """*value* fit for an audit row or a log: control characters escaped, at most 64 characters.

    Used for the subject of a refused request, whose id the host did not accept
    and so must not store as sent.
    """
    escaped = "".join(ch.encode("unicode_escape").decode("ascii") if _is_control(ch) else ch for ch in value)
    return escaped if len(escaped) <= MAX_ID_LENGTH else escaped[: MAX_ID_LENGTH - 1] + "\u2026"


def _key_path(path: str, key: str) -> str:
    return f"{path}.{key}" if key.isidentifier() else f"{path}[{json.dumps(key)}]"


def json_problems(data: object) -> Iterator[Problem]:
    """Every bound a parsed body breaks: nesting over :data:`MAX_JSON_DEPTH`, ``NUL`` in a key or string.

    Walks with an explicit stack, so no body can exhaust the recursion limit here.
    """
    stack: list[tuple[str, object, int]] = [("$", data, 0)]
    while stack:
        path, value, depth = stack.pop()
        if isinstance(value, str):
            if "\x00" in value:
                yield Problem(path=path, message="must not contain the NUL character", code="invalid_value")
            continue
        if not isinstance(value, dict | list):
            continue
        if depth >= MAX_JSON_DEPTH:
            yield Problem(
                path=path, message=f"nested deeper than {MAX_JSON_DEPTH} levels", code="invalid_value"
            )
            continue
        if isinstance(value, dict):
            for key, item in reversed(value.items()):
                key_path = _key_path(path, key)
                if "\x00" in key:
                    yield Problem(
                        path=key_path, message="key must not contain the NUL character", code="invalid_value"
                    )
                stack.append((key_path, item, depth + 1))
        else:
            stack.extend((f"{path}[{i}]", item, depth + 1) for i, item in reversed(list(enumerate(value))))


async def read_json_body(request: Request) -> object:
    """The request body as bounded JSON; anything else is a 400 of type ``json``, never a 500.

    ``json.loads`` raises ``ValueError`` for text that is not JSON, bytes that
    are not UTF-8 and an integer longer than Python converts, and
    ``RecursionError`` for nesting deeper than the decoder allows.

    Raises:
        InvalidPayloadError: the body cannot be read, or breaks a bound of :func:`json_problems`.
    """
    raw = await request.body()
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        problem = Problem(
            path="$",
            message="The body is not a JSON document this host can read "
            f"(malformed, not UTF-8, nested deeper than {MAX_JSON_DEPTH} levels, or a number too long).",
            code="invalid_value",
        )
        raise InvalidPayloadError([problem], type_name="json") from None
    problems = list(itertools.islice(json_problems(data), MAX_LISTED_PROBLEMS))
    if problems:
        raise InvalidPayloadError(problems, type_name="json")
    return data


#: An endpoint parameter holding the request's JSON body, read by :func:`read_json_body`.
JsonBody = Annotated[object, Depends(read_json_body)]
