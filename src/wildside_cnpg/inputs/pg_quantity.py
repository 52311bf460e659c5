"""PostgreSQL sizes (shared_buffers, min_wal_size, ...) as CloudNativePG's webhook reads
them: parsePostgresQuantityValue in internal/webhook/v1/cluster_webhook.go (1.30.0),
which rewrites the value into a Kubernetes quantity and parses that with
resource.ParseQuantity (k8s.io/apimachinery v0.36.2). Both are mirrored step by step,
quirks included, so that a value is refused here exactly when the webhook refuses it:

- a bare integer (Go's strconv.Atoi: an optional sign, ASCII digits, within int64) is
  read as MB, whatever the parameter's own unit is (PostgreSQL reads a bare
  shared_buffers as 8kB pages);
- otherwise the value must end in "B", which is dropped, every space is removed, and
  "i" is appended unless what is left is a bare integer (then it is bytes), with "ki"
  turned into "Ki": kB, MB, GB, TB, PB and EB are powers of 1024, and so is KB;
- what is left must be a Kubernetes quantity (so "1.5GB" is accepted and "1mB" is not).
"""

from __future__ import annotations

import re
from decimal import MAX_EMAX, MIN_EMIN, ROUND_UP, Context, Decimal, localcontext

from .quantity import BINARY_EXPONENTS, DECIMAL_FACTORS

_DIGITS = "0123456789"
_INT64 = 2**63
_ATOI = re.compile(r"[+-]?[0-9]+")
_NANO = Decimal("1e-9")


def go_atoi(text: str) -> int | None:
    """strconv.Atoi: the value, or None where Go returns an error."""
    if _ATOI.fullmatch(text) is None:
        return None
    value = int(text)
    return value if -_INT64 <= value < _INT64 else None


def _split(text: str) -> tuple[bool, str, str] | None:
    """parseQuantityString: (negative, the number without its sign, the suffix), or
    None where it returns an error."""
    end, pos = len(text), 0
    if text[0] in "+-":
        pos = 1
    sign = pos
    while pos < end and text[pos] == "0":
        pos += 1
    if pos >= end:
        return False, "0", ""
    while pos < end and text[pos] in _DIGITS:
        pos += 1
    if pos < end and text[pos] == ".":
        pos += 1
        while pos < end and text[pos] in _DIGITS:
            pos += 1
    number = text[sign:pos]
    suffix_start = pos
    while pos < end and text[pos] in "eEinumkKMGTP":
        pos += 1
    if pos < end and text[pos] in "+-":
        pos += 1
    while pos < end and text[pos] in _DIGITS:
        pos += 1
    if pos < end:
        return None
    return text.startswith("-"), number, text[suffix_start:]


def _slow_path(number: str, suffix: str) -> bool:
    """Does ParseQuantity read a binary quantity through inf.Dec rather than its int64
    fast path (a fraction, too many digits, or an int64 overflow)?"""
    whole, _, fraction = number.partition(".")
    digits = whole.lstrip("0") or "0"
    exponent = BINARY_EXPONENTS[suffix]
    if fraction or 15 - len(digits) - exponent * 3 // 10 - 1 < 0:
        return True
    return int(digits) << exponent >= _INT64


def kubernetes_quantity(text: str) -> Decimal | None:
    """resource.ParseQuantity over what parsePostgresQuantityValue hands it (a bare
    integer, or a value ending in 'i', so never an exponent): the exact value, or None
    where it returns an error."""
    if not text:
        return None
    parts = _split(text)
    if parts is None:
        return None
    negative, number, suffix = parts
    if suffix in DECIMAL_FACTORS:
        factor, binary = DECIMAL_FACTORS[suffix], False
    elif suffix in BINARY_EXPONENTS:
        factor, binary = Decimal(1 << BINARY_EXPONENTS[suffix]), True
    else:
        return None
    if binary and _slow_path(number, suffix) and not any(c in _DIGITS for c in number):
        return None  # inf.Dec's SetString refuses a number without a digit
    with localcontext(Context(prec=len(number) + 40, Emax=MAX_EMAX, Emin=MIN_EMIN)):
        amount = Decimal(number if number.strip(".") else "0") * factor
        # Non-zero values are rounded up (away from zero) to whole nano-units, and a
        # binary quantity is capped at the largest int64.
        if amount:
            amount = amount.quantize(_NANO, rounding=ROUND_UP)
        if binary:
            amount = min(amount, Decimal(_INT64 - 1))
        return -amount if negative else amount


def postgres_quantity(value: str) -> Decimal | None:
    """parsePostgresQuantityValue: the size in bytes, or None where the webhook refuses
    the value. (It is never called with an empty value.)"""
    if go_atoi(value) is not None:
        value += "MB"
    if not value.endswith("B"):
        return None
    value = value.removesuffix("B").replace(" ", "")
    if go_atoi(value) is None:
        value = (value + "i").replace("ki", "Ki")
    return kubernetes_quantity(value)
