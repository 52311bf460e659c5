"""Kubernetes resource quantities: parse the forms the API server accepts, so that
requests can be compared with limits."""

from __future__ import annotations

import re
from decimal import Decimal

from .text import match_whole

# Each suffix's power of two (binary) or factor (decimal), as Kubernetes reads them.
BINARY_EXPONENTS = {"Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60}
DECIMAL_FACTORS = {
    "n": Decimal("1e-9"),
    "u": Decimal("1e-6"),
    "m": Decimal("1e-3"),
    "": Decimal(1),
    "k": Decimal(10**3),
    "M": Decimal(10**6),
    "G": Decimal(10**9),
    "T": Decimal(10**12),
    "P": Decimal(10**15),
    "E": Decimal(10**18),
}
_QUANTITY = re.compile(
    r"^(?P<number>[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?P<suffix>Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?[0-9]+)?$"
)


def parse_quantity(text: str) -> Decimal | None:
    """The quantity's value in base units, or None when `text` is not a quantity."""
    match = match_whole(_QUANTITY, text)
    if match is None:
        return None
    number = Decimal(match["number"])
    suffix = match["suffix"] or ""
    if suffix in BINARY_EXPONENTS:
        return number * (1 << BINARY_EXPONENTS[suffix])
    if suffix in DECIMAL_FACTORS:
        return number * DECIMAL_FACTORS[suffix]
    return number * Decimal(10) ** int(suffix[1:])
