"""Numbers as OpenTofu holds them (go-cty): read from text the way
`cty.ParseNumberVal` reads them and written out the way cty converts a number to a
string, so that a `*.tfvars.json` value converts as OpenTofu converts it.

cty keeps a number as a Go `big.Float` of 512 bits, rounded to nearest even. Both
a JSON number (HCL's JSON parser calls `ParseNumberVal` on its text) and a string
converted to a number go through `big.ParseFloat(text, 10, 512, ToNearestEven)`:
an optional sign, decimal digits with an optional point, then an optional exponent
that is a power of ten (`e`) or of two (`p`), or `Inf`. Converting a number to a
string is `Text('f', -1)`: the shortest decimal that reads back as the same 512-bit
number, written out in full (`1e3` is "1000", `1.0` is "1", `-0` stays "-0").

Both are reproduced here step for step (the digits are exact, the rounding is Go's),
so a number of any precision comes out as OpenTofu's does; a number of at most 150
significant digits needs none of it, being its own shortest spelling. Two bounds of the tool's
own: an infinity is not converted (the module cannot encode one for the tool:
`jsonencode` fails on it) and neither is a number of more than
`yamlload.MAX_NUMBER_DIGITS` (400) digits, as written or written out (a few bytes
of exponent would otherwise stand for millions of digits)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from ..yamlload import MAX_NUMBER_DIGITS, plain_width

PRECISION = 512
# big.Float.Parse computes the power of five with 64 more bits, and squares it with
# 64 more again (math/big, floatconv.go).
_POW5_PRECISION = PRECISION + 64
_SQUARE_PRECISION = _POW5_PRECISION + 64
_SMALL_POW5 = 27  # 5**27 is the largest power of five Go takes from its table

# big.ParseFloat's syntax with base 10: ASCII digits only, no separators, no spaces.
_SYNTAX = re.compile(
    r"(?P<sign>[+-]?)(?P<whole>[0-9]*)(?:\.(?P<fraction>[0-9]*))?"
    r"(?:(?P<base>[eEpP])(?P<exponent>[+-]?[0-9]+))?\Z"
)
_INFINITIES = frozenset({"Inf", "inf", "+Inf", "+inf", "-Inf", "-inf"})
_INT64 = 1 << 63
# Past this exponent (of ten or of two), a number of at most MAX_NUMBER_DIGITS written
# digits takes more than that many written out: refused before any arithmetic.
_MAX_EXPONENT = 8 * MAX_NUMBER_DIGITS
# 5**n is exact at 576 bits up to n = 248: scan then rounds once.
_EXACT_POW5 = 240
# 512 bits tell apart numbers about 154 significant digits long: one of at most 150
# digits is the only one that short within half a unit in the last place of it.
_SURELY_SHORTEST = 150


def _rounded(numerator: int, denominator: int, exponent: int, precision: int) -> tuple[int, int]:
    """numerator / denominator * 2**exponent (both positive) rounded to `precision`
    bits, ties to even: (mantissa, exponent) with mantissa < 2**precision."""
    shift = precision - (numerator.bit_length() - denominator.bit_length())
    while True:
        top, bottom = (
            (numerator << shift, denominator) if shift >= 0 else (numerator, denominator << -shift)
        )
        quotient, remainder = divmod(top, bottom)
        if quotient >> precision:
            shift -= 1
        elif not quotient >> (precision - 1):
            shift += 1
        else:
            break
    if 2 * remainder > bottom or (2 * remainder == bottom and quotient & 1):
        quotient += 1
        if quotient >> precision:
            quotient >>= 1
            shift -= 1
    return quotient, exponent - shift


def _pow5(n: int) -> tuple[int, int]:
    """5**n as big.Float.pow5 computes it at 576 bits: (mantissa, exponent)."""
    if n <= _SMALL_POW5:
        return 5**n, 0
    z, z_exp = 5**_SMALL_POW5, 0
    f, f_exp = 5, 0
    n -= _SMALL_POW5
    while n > 0:
        if n & 1:
            z, z_exp = _rounded(z * f, 1, z_exp + f_exp, _POW5_PRECISION)
        f, f_exp = _rounded(f * f, 1, 2 * f_exp, _SQUARE_PRECISION)
        n >>= 1
    return z, z_exp


@dataclass(frozen=True)
class CtyNumber:
    """A number OpenTofu reads, as it is written: -1**negative * digits * 2**twos *
    5**fives, split the way big.Float.scan splits it (a zero keeps its sign, as Go's
    does). `binary()` is the 512-bit number cty holds, `text()` how cty writes it."""

    negative: bool
    digits: int
    twos: int
    fives: int

    @classmethod
    def from_decimal(cls, number: Decimal) -> CtyNumber | None:
        """A JSON number (exact, as yamlload reads it); None past the digits bound."""
        sign, digits, exponent = number.as_tuple()
        if not isinstance(exponent, int) or plain_width(number) > MAX_NUMBER_DIGITS:
            return None
        return cls(bool(sign), int("".join(map(str, digits)) or "0"), exponent, exponent)

    @classmethod
    def parse(cls, text: str) -> CtyNumber | None:
        """`cty.ParseNumberVal(text)`; None where OpenTofu refuses the text ("a number
        is required"), for infinities, and past the digits bound."""
        match = _SYNTAX.match(text)
        if text in _INFINITIES or match is None:
            return None
        whole, fraction = match["whole"], match["fraction"] or ""
        if not (whole or fraction):
            return None  # no digits: ".", "+", "e5"
        power = int(match["exponent"] or "0")
        if not -_INT64 <= power < _INT64:
            return None  # Go reads the exponent as an int64
        negative = match["sign"] == "-"
        if not (whole + fraction).strip("0"):
            return cls(negative, 0, 0, 0)
        if len(whole + fraction) > MAX_NUMBER_DIGITS or abs(power) > _MAX_EXPONENT:
            return None
        digits = int(whole + fraction)
        if match["base"] in ("p", "P"):
            # digits / 10**len(fraction) * 2**power
            number = cls(negative, digits, power - len(fraction), -len(fraction))
        else:
            number = cls(negative, digits, power - len(fraction), power - len(fraction))
        return number if number._width() <= MAX_NUMBER_DIGITS else None

    def _width(self) -> int:
        """How many digits the number takes written out exactly."""
        if self.twos == self.fives:
            return plain_width(_exact(self.digits, self.fives))
        # digits * 2**power / 10**places, with a power of two (`p`)
        places = -self.fives
        power = self.twos + places
        if power >= 0:
            return plain_width(_exact(self.digits << power, -places))
        halvings = -power - min(_trailing_zero_bits(self.digits), -power)
        if halvings + places > MAX_NUMBER_DIGITS:  # that many decimals, at least
            return halvings + places + 1
        odd = self.digits >> (-power - halvings)
        return plain_width(_exact(odd * 5**halvings, -(halvings + places)))

    def binary(self) -> tuple[int, int]:
        """The number cty holds, (mantissa, exponent) with the mantissa below 2**512,
        as big.Float.scan rounds it: the digits exactly, then one multiplication or
        division by the power of five (computed at 576 bits), rounded to 512."""
        if self.fives == 0:
            return _rounded(self.digits, 1, self.twos, PRECISION)
        power, power_exp = _pow5(abs(self.fives))
        if self.fives > 0:
            return _rounded(self.digits * power, 1, self.twos + power_exp, PRECISION)
        return _rounded(self.digits, power, self.twos - power_exp, PRECISION)

    def text(self) -> str:
        """The number as cty converts it to a string: big.Float's Text('f', -1), the
        fewest digits that read back as the same 512-bit number."""
        sign = "-" if self.negative else ""
        if self.digits == 0:
            return sign + "0"
        if self.twos == self.fives and abs(self.fives) <= _EXACT_POW5:
            written = str(self.digits)
            if len(written.strip("0")) <= _SURELY_SHORTEST:
                # Rounded once to 512 bits, and no other number of this few digits
                # is as close: the shortest is the number as written.
                return sign + _spelled(written.rstrip("0"), len(written) + self.fives)
        mantissa, exponent = self.binary()
        return sign + _spelled(*_shortest(mantissa, exponent))

    def value(self) -> int | float:
        """The number as the tool reads it from the module, which hands it over as
        JSON text (`jsonencode` writes `text()`): a whole number is an int."""
        text = self.text()
        return float(text) if "." in text else int(text)


def _spelled(digits: str, point: int) -> str:
    """0.digits * 10**point written out as fmtF writes it (no exponent)."""
    whole = (digits[:point] + "0" * (point - len(digits))) if point > 0 else "0"
    fraction = ("0" * -point + digits) if point < 0 else digits[point:]
    return whole + ("." + fraction if fraction else "")


def _trailing_zero_bits(value: int) -> int:
    return (value & -value).bit_length() - 1


def _exact(digits: int, exponent: int) -> Decimal:
    """digits * 10**exponent, exactly (Decimal arithmetic would round)."""
    return Decimal((0, Decimal(digits).as_tuple().digits, exponent))


def _decimal(mantissa: int, exponent: int) -> tuple[str, int]:
    """The exact decimal of mantissa * 2**exponent as big's `decimal`: the digits
    without trailing zeros and the position of the point (value = 0.digits * 10**point)."""
    if exponent >= 0:
        text = str(Decimal(mantissa << exponent))
        places = 0
    else:
        text = str(Decimal(mantissa * 5**-exponent))
        places = -exponent
    digits = text.rstrip("0")
    return digits, len(text) - places


def _at(digits: str, index: int) -> str:
    return digits[index] if index < len(digits) else "0"


# big's decimal rounding to n digits: nothing to do when it has no more than n.
def _round_up(digits: str, point: int, n: int) -> tuple[str, int]:
    if n >= len(digits):
        return digits, point
    kept = digits[:n]
    while kept and kept[-1] == "9":
        kept = kept[:-1]
    if not kept:
        return "1", point + 1
    return kept[:-1] + str(int(kept[-1]) + 1), point


def _round_down(digits: str, point: int, n: int) -> tuple[str, int]:
    if n >= len(digits):
        return digits, point
    return digits[:n].rstrip("0"), point


def _round_nearest(digits: str, point: int, n: int) -> tuple[str, int]:
    if n >= len(digits):
        return digits, point
    # big's shouldRoundUp: ties go to the even digit.
    if digits[n] == "5" and n + 1 == len(digits):
        up = n > 0 and int(digits[n - 1]) % 2 == 1
    else:
        up = digits[n] >= "5"
    return _round_up(digits, point, n) if up else _round_down(digits, point, n)


@lru_cache(maxsize=1024)
def _shortest(mantissa: int, exponent: int) -> tuple[str, int]:
    """big.Float's roundShortest: the fewest digits that still lie within half a
    unit in the last place (of 512 bits) of the number. (Exact decimals of numbers
    far from 1 take a few hundred microseconds: a file that repeats one costs it once.)"""
    digits, point = _decimal(mantissa, exponent)
    # The mantissa with 513 bits: its last bit is half a unit in the last place.
    shift = PRECISION + 1 - mantissa.bit_length()
    half_units, half_exp = mantissa << shift, exponent - shift
    lower, _ = _decimal(half_units - 1, half_exp)
    upper, _ = _decimal(half_units + 1, half_exp)
    inclusive = half_units & 2 == 0
    for i, digit in enumerate(digits):
        low, high = _at(lower, i), _at(upper, i)
        down = low != digit or (inclusive and i + 1 == len(lower))
        up = digit != high and (inclusive or int(digit) + 1 < int(high) or i + 1 < len(upper))
        if down and up:
            return _round_nearest(digits, point, i + 1)
        if down:
            return _round_down(digits, point, i + 1)
        if up:
            return _round_up(digits, point, i + 1)
    return digits, point
