"""The README documents exactly the inputs and outputs that exist."""

from __future__ import annotations

import json
import re
from pathlib import Path

from wildside_cnpg import Inputs
from wildside_cnpg.outputs import OUTPUTS, sync_policy_contract
from wildside_cnpg.reference import inputs_table, outputs_table
from wildside_cnpg.shape import decide

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


DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_backup_keys_of_the_contract_are_all_named() -> None:
    match = re.search(r"With backups on, `backup` holds (.*?)\.\n\n", README, re.S)
    assert match, "README.md lacks the sentence on the contract's backup keys"
    named = re.findall(r"`([a-z_]+)`", match.group(1))
    inputs = Inputs.from_mapping(
        {
            "backup_enabled": True,
            "backup_destination_path": "s3://wildside-backups/pg",
            "backup_endpoint_url": "https://nyc3.digitaloceanspaces.com",
            "backup_s3_credentials_secret_name": "wildside-s3",
        }
    )
    assert named == list(sync_policy_contract(inputs, decide(inputs))["backup"])


def test_the_contract_example_is_the_defaults_contract() -> None:
    match = re.search(
        r"`sync_policy_contract` with the defaults:\n\n```json\n(.*?)```", README, re.S
    )
    assert match, "README.md lacks the contract example"
    inputs = Inputs()
    assert json.loads(match.group(1)) == sync_policy_contract(inputs, decide(inputs))


def test_apply_docs_list_every_exit_code() -> None:
    text = (DOCS / "apply.md").read_text(encoding="utf-8")
    table = text[text.index("## Exit codes") :].split("\n\n")[1]
    assert re.findall(r"^\| (\d+) \|", table, re.M) == ["0", "1", "2", "3", "4", "5"]
    assert "an object the API server rejects as invalid" in table


def test_no_recipe_installs_from_pypi() -> None:
    """The package is not published: every `pip install` names a checkout, a wheel, an
    extra over an installed wheel, or a Git URL."""
    for path in [Path("README.md"), *sorted(DOCS.glob("*.md"))]:
        text = README if path.name == "README.md" else path.read_text(encoding="utf-8")
        assert not re.search(r"pip install +wildside-cnpg\s*$", text, re.M), path


def test_each_input_rule_is_printed_once() -> None:
    for line in section("inputs").splitlines():
        if line.startswith("| `"):
            rules = line.split(" | ")[3].split("; ")
            assert len(rules) == len(set(rules)), line


def test_the_contract_example_is_the_defaults() -> None:
    import json

    from wildside_cnpg import Module

    match = re.search(
        r"`sync_policy_contract` with the defaults:\n\n```json\n(.*?)```", README, re.S
    )
    assert match, "README.md lacks the contract example"
    assert json.loads(match.group(1)) == Module().outputs()["sync_policy_contract"]["value"]
