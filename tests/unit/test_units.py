"""The host's units.parse: exact decimals, equal quantities equal numbers."""

from __future__ import annotations

import pytest

from wildside_cnpg.policy.units import parse


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("1", "1"),
        ("1000m", "1"),
        ("100m", "0.1"),
        ("0.1", "0.1"),
        ("1.5", "1.5"),
        ("2k", "2000"),
        ("2K", "2000"),
        ("1M", "1000000"),
        ("1Gi", "1073741824"),
        ("1024Mi", "1073741824"),
        ("1.5Gi", "1610612736"),
        ("8Ei", "9223372036854775808"),
        ("0", "0"),
        ("0.0", "0"),
    ],
)
def test_quantities(text: str, number: str) -> None:
    assert parse(text) == number


@pytest.mark.parametrize("text", ["", "1e3", "-1", "1n", "1 Gi", "Gi", "1.Gi", "1gi"])
def test_what_the_guard_keeps_out_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match=r"^units.parse: expected a quantity such as 500m"):
        parse(text)
