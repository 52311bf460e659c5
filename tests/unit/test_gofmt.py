"""Go's number text and fmt.Sprintf as OPA uses them (policy/gofmt.py). The expected
strings were printed by Go 1.26 (strconv.FormatFloat(f, 'g', -1, 64), json.Marshal,
and fmt.Sprintf after OPA's operand conversion); conftest parity over such values is
tested in tests/policy/test_engine_parity.py."""

from __future__ import annotations

import pytest

from wildside_cnpg.policy.gofmt import (
    FormatError,
    Number,
    json_number_text,
    json_text,
    number_text,
    sprintf,
)

# value, FormatFloat 'g' -1, encoding/json
NUMBERS = [
    (0, "0", "0"),
    (3, "3", "3"),
    (100000, "100000", "100000"),
    (1000000, "1e+06", "1000000"),
    (123456, "123456", "123456"),
    (1234567, "1.234567e+06", "1234567"),
    (123456789012, "1.23456789012e+11", "123456789012"),
    (1.5, "1.5", "1.5"),
    (2.0, "2", "2"),
    (0.0001, "0.0001", "0.0001"),
    (0.00001, "1e-05", "0.00001"),
    (1e-7, "1e-07", "1e-7"),
    (1.5e-7, "1.5e-07", "1.5e-7"),
    (1e20, "1e+20", "100000000000000000000"),
    (1e21, "1e+21", "1e+21"),
    (12345678901234567890, "1.2345678901234567e+19", "12345678901234567000"),
    (-2.5, "-2.5", "-2.5"),
    (3.0000000000000004, "3.0000000000000004", "3.0000000000000004"),
    (5e-324, "5e-324", "5e-324"),
    (1e100, "1e+100", "1e+100"),
]


@pytest.mark.parametrize(("value", "g", "encoded"), NUMBERS)
def test_number_text_is_go_s(value: float, g: str, encoded: str) -> None:
    assert (number_text(value), json_number_text(value)) == (g, encoded)


@pytest.mark.parametrize(
    ("template", "operands", "expected"),
    [
        ("%s/%s", ["a", "b"], "a/b"),
        ("%s|%d|%v", [Number("3"), "x", Number("-7")], "%!s(int64=3)|%!d(string=x)|-7"),
        ("%v %d", [Number("1.5"), Number("1.5")], "1.5 %!d(float64=1.5)"),
        ("%v %d", [Number("1e+06"), Number("1e+06")], "1e+06 %!d(string=1e+06)"),
        ("%v", [Number("1234567.0")], "1.234567e+06"),
        ("%d", [Number("123456789012345678901234567890")], "123456789012345678901234567890"),
        ("%s %s", ["a"], "a %!s(MISSING)"),
        ("%s", ["a", "b", Number("2")], "a%!(EXTRA string=b, int64=2)"),
        ("100%% %v %s", [True, None], "100% true null"),
        ("%s", [[Number("3"), "a\tb", {"b": 1, "a": None}]], '[3, "a\\tb", {"a": null, "b": 1}]'),
        ("end %", [], "end %!(NOVERB)"),
    ],
)
def test_sprintf_is_go_s_after_opa_s_conversion(
    template: str, operands: list[object], expected: str
) -> None:
    assert sprintf(template, operands) == expected


def test_a_verb_the_host_does_not_implement_is_an_error() -> None:
    with pytest.raises(FormatError, match=r"^sprintf: the format verb %q is not implemented$"):
        sprintf("%q", ["a"])


def test_json_text_writes_numbers_per_view() -> None:
    value = {"a": [1000000, 1.0, "x", True, None], "b": 7}
    assert json_text(value, True) == '{"a":[1000000,1,"x",true,null],"b":7}'
    assert json_text(value, False) == '{"a":[1e+06,1,"x",true,null],"b":7}'
    assert json_text({"a": [1, "x"]}, False) == '{"a":[1,"x"]}'
