"""Number parsing shared by the wire edge and the domain (no project imports but ``errors``).

:func:`parse_number` is documented and exported as
:func:`profiler_core.serialization.parse_number`; it lives here so that a domain
module (gap analysis reads skill-assessment scores) need not import the edge.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal

from profiler_core.errors import WireValueError

__all__ = ["parse_number"]


def _shown(value: object) -> str:
    # The offending value, for the caller who sent it; capped so a huge value
    # cannot blow up an error body.
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


# A plain decimal as DRF and JSON write it: optional minus, digits, optional
# fraction. re.ASCII: [0-9] never matches other scripts' digits anyway, but the
# flag keeps that obvious.
_DECIMAL_TEXT = re.compile(r"-?[0-9]+(?:\.[0-9]+)?", re.ASCII)


def _wire_text(value: str) -> str:
    # Surrounding ASCII spaces are tolerated; any other whitespace or control
    # character is left in place for the strict pattern to reject.
    return value.strip(" ")


def parse_number(value: object) -> float:
    """Parse a JSON number, ``Decimal`` or plain ASCII decimal string into a finite float.

    A decimal string is an optional ``-``, ASCII digits and an optional ``.``
    followed by digits (``"85.50"``, ``"-3"``), optionally surrounded by ASCII
    spaces. Exponents (``"1e2"``), underscores (``"1_0"``), a leading ``+``,
    non-ASCII digits, booleans, NaN and infinities are rejected.

    Raises:
        WireValueError: (a ``ValueError``) anything else, coded ``not_a_number``;
            a finite number too large for a float is coded ``out_of_range``.

    >>> parse_number("85.50")
    85.5
    >>> try:
    ...     parse_number("1e2")
    ... except ValueError as error:
    ...     print(error)
    must be a number, got '1e2'
    """
    if isinstance(value, bool):
        raise WireValueError("must be a number, not a boolean", problem_code="not_a_number")
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise WireValueError("must be a finite number", problem_code="not_a_number")
        number = float(value)
    elif isinstance(value, int):
        try:
            number = float(value)
        except OverflowError:
            raise WireValueError("is out of range", problem_code="out_of_range") from None
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise WireValueError("must be a finite number", problem_code="not_a_number")
        number = value
    elif isinstance(value, str):
        text = _wire_text(value)
        if not _DECIMAL_TEXT.fullmatch(text):
            raise WireValueError(f"must be a number, got {_shown(value)}", problem_code="not_a_number")
        number = float(text)
    else:
        raise WireValueError(f"must be a number, got {type(value).__name__}", problem_code="not_a_number")
    if not math.isfinite(number):
        # A finite Decimal or digit string beyond a float's range.
        raise WireValueError("is out of range", problem_code="out_of_range")
    return number
