"""The README documents exactly the inputs and outputs that exist."""

from __future__ import annotations

import re
from pathlib import Path

from wildside_cnpg import Inputs
from wildside_cnpg.outputs import OUTPUTS
from wildside_cnpg.reference import inputs_table, outputs_table

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def section(name: str) -> str:
    match = re.search(rf"<!-- {name}:start -->\n(.*?)<!-- {name}:end -->", README, re.S)
    assert match, f"README.md lacks the {name} markers"
    return match.group(1)


def listed(table: str) -> list[str]:
    return re.findall(r"^\| `([a-z0-9_]+)` \|", table, re.M)


def test_inputs_table_lists_exactly_the_inputs() -> None:
    assert sorted(listed(section("inputs"))) == sorted(Inputs.names())


def test_outputs_table_lists_exactly_the_outputs() -> None:
    assert sorted(listed(section("outputs"))) == sorted(OUTPUTS)


def test_tables_are_current() -> None:
    """`make readme` regenerates them; a stale table fails here."""
    assert section("inputs") == inputs_table()
    assert section("outputs") == outputs_table()


def test_readme_gives_the_two_commands_and_exit_codes() -> None:
    assert "```sh\nmake render\n```" in README
    assert "```sh\nmake test\n```" in README
    for code in ("| 0 |", "| 1 |", "| 2 |", "| 3 |", "| 4 |", "| 5 |", "| 70 |"):
        assert code in README
