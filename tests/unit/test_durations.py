"""Durations on the command line: seconds or Go durations, positive and finite."""

from __future__ import annotations

import pytest

from wildside_cnpg.durations import EXPECTED, MAX_SECONDS, parse_seconds


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("90", 90.0),
        ("1.5", 1.5),
        ("90s", 90.0),
        ("10m", 600.0),
        ("1h30m", 5400.0),
        ("2m30.5s", 150.5),
        ("1h0m0s", 3600.0),
        ("500ms", 0.5),
        (".5m", 30.0),
    ],
)
def test_accepted(text: str, seconds: float) -> None:
    assert parse_seconds(text) == seconds


@pytest.mark.parametrize(
    "text",
    ["", "nan", "inf", "-inf", "NaN", "0", "0s", "-5", "+5s", "1d", "1h 30m", "1h30", "1e3", "h"],
)
def test_refused(text: str) -> None:
    with pytest.raises(ValueError, match=f"^{EXPECTED}$"):
        parse_seconds(text)


def test_bounded_like_a_go_duration() -> None:
    assert parse_seconds("2562047h") < MAX_SECONDS
    with pytest.raises(ValueError, match=f"^{EXPECTED}$"):
        parse_seconds("2562048h")
