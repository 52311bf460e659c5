"""Numbers as OpenTofu holds them (go-cty): read from text the way
`cty.ParseNumberVal` reads them and written out the way cty converts a number to a
string, so that a `*.tfvars.json` value converts as OpenTofu converts it.

cty keeps a number as a Go `big.Float` of 512 bits. Both a JSON number (HCL's JSON
parser calls `ParseNumberVal` on its text) and a string converted to a number go
through `big.ParseFloat(text, 10, 512, ToNearestEven)`: an optional sign, decimal
digits with an optional point, then an optional exponent that is a power of ten (`e`)
or of two (`p`). Converting a number to a string is `Text('f', -1)`: the shortest
decimal that reads back as the same 512-bit number, written out in full.

512 bits tell apart numbers about 154 significant digits long, so a number of at most
150 significant digits is the only one that short so close to its 512-bit rounding:
it is its own shortest spelling, and cty writes out its exact decimal (`1e3` is
"1000", `1.0` is "1", `-0` stays "-0", `1p3` is "8"). Those are the numbers this
module converts, as exact decimals. OpenTofu rounds a number of more than 150
significant digits to 512 bits; the tool refuses it. Nor does it convert an infinity
(Go reads "Inf"; the module cannot encode one for the tool: `jsonencode` fails on it)
or a number of more than `yamlload.MAX_NUMBER_DIGITS` (400) digits, as written or
written out (a few bytes of exponent would otherwise stand for millions of digits).
Such a number stays as written, for the inputs model to refuse."""

from __future__ import annotations

import re
from decimal import Decimal

from ..yamlload import MAX_NUMBER_DIGITS, MAX_SIGNIFICANT_DIGITS, plain_width

# big.ParseFloat's syntax with base 10: ASCII digits only, no separators, no spaces.
# Go reads the exponent as an int64: more than 19 digits (leading zeros aside) is
# past it.
_SYNTAX = re.compile(
    r"(?P<sign>[+-]?)(?P<whole>[0-9]*)(?:\.(?P<fraction>[0-9]*))?"
    r"(?:(?P<base>[eEpP])(?P<exponent_sign>[+-]?)0*(?P<exponent>[0-9]{1,19}))?\Z"
)
_INT64 = 1 << 63
# Past this exponent (of ten or of two), a number of at most MAX_NUMBER_DIGITS written
# digits takes more than that many written out: refused before any arithmetic.
_MAX_EXPONENT = 8 * MAX_NUMBER_DIGITS


def held(number: Decimal) -> Decimal | None:
    """`number` (a JSON number, exact, as yamlload reads it) if the tool converts it:
    None past 150 significant digits or MAX_NUMBER_DIGITS written out."""
    significant = "".join(map(str, number.as_tuple().digits)).rstrip("0")
    if len(significant) > MAX_SIGNIFICANT_DIGITS or plain_width(number) > MAX_NUMBER_DIGITS:
        return None
    return number


def parse(text: str) -> Decimal | None:
    """`cty.ParseNumberVal(text)` as an exact Decimal; None where OpenTofu refuses the
    text ("a number is required"), for infinities, and where `held` is None."""
    match = _SYNTAX.match(text)
    if match is None:
        return None
    whole, fraction = match["whole"], match["fraction"] or ""
    if not (whole or fraction):
        return None  # no digits: ".", "+", "e5"
    power = int((match["exponent_sign"] or "") + (match["exponent"] or "0"))
    if not -_INT64 <= power < _INT64:
        return None
    sign = "-" if match["sign"] == "-" else ""
    digits = whole + fraction
    if not digits.strip("0"):
        return Decimal(sign + "0")
    if len(digits) > MAX_NUMBER_DIGITS or abs(power) > _MAX_EXPONENT:
        return None
    places = len(fraction)
    if match["base"] in ("p", "P"):
        # digits / 10**places * 2**power: the even part halved, then 2**-n = 5**n / 10**n.
        mantissa = int(digits)
        if power >= 0:
            mantissa <<= power
        else:
            shift = min((mantissa & -mantissa).bit_length() - 1, -power)
            places += -power - shift
            if places > MAX_NUMBER_DIGITS:
                return None  # that many decimals, at least
            mantissa = (mantissa >> shift) * 5 ** (-power - shift)
        return held(Decimal(f"{sign}{mantissa}e{-places}"))
    return held(Decimal(f"{sign}{digits}e{power - places}"))


def text(number: Decimal) -> str:
    """The number as cty converts it to a string: written out in full, without
    trailing zeros (`held` numbers only)."""
    written = format(number, "f")
    return written.rstrip("0").rstrip(".") if "." in written else written


def value(number: Decimal) -> int | float:
    """The number as the tool reads it from the module, which hands it over as JSON
    text (`jsonencode` writes `text()`): a whole number is an int."""
    written = text(number)
    return float(written) if "." in written else int(written)
