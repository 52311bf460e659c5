"""A `*.tfvars.json` whose values OpenTofu converts to their variables' types (a
number given as a string, a number or a bool for a string, a bool as a string,
nested in maps, lists and objects) loads in the tool as it does in the real
OpenTofu with the module's own variables.tf: OpenTofu accepts it, the values it
holds are those the tool reads, and the module's outputs are the tool's. What
OpenTofu refuses, the tool refuses, with its own line for the input."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from wildside_cnpg.inputs import Inputs, load_inputs
from wildside_cnpg.inputs.loader import merge_sources
from wildside_cnpg.opentofu import ctynumber
from wildside_cnpg.opentofu.external import decode_query

from .harness import Tofu, run_tool, tool_outputs

SECRET = 12345678
# Values in types OpenTofu converts; the comments say what each becomes.
CONVERTED: dict[str, Any] = {
    "instances": "3",  # 3
    "helm_timeout": "9e2",  # 900
    "postgis_enabled": "true",  # true
    "helm_wait": "0",  # false: cty reads "1" and "0" as bools too
    "postgresql_parameters": {"max_connections": 200, "random_page_cost": 1.10, "jit": False},
    "resource_requests": {"cpu": 0.5, "memory": "1Gi"},
    "synchronous_replication": {"method": "any", "number": "1", "data_durability": "required"},
    "pod_security_context": {"run_as_user": "26", "supplemental_groups": ["1000", 2000]},
    "tolerations": [
        {
            "key": "dedicated",
            "operator": "Equal",
            "value": 7,
            "effect": "NoExecute",
            "toleration_seconds": "3e1",
        }
    ],
    "pg_ident": ["map alice bob"],
    "inherited_annotations": {
        "example.com/one": 1.0,
        "example.com/thousand": "@1e3",
        "example.com/tenth": 0.1,
        "example.com/negative-zero": "@-0",
        "example.com/large": "@1e21",
        "example.com/exact": "@0.30000000000000001",
        "example.com/small": "@1.5e-7",
        "example.com/long": 123456789012345678901234567890,
        "example.com/widest": "@" + "9" * 150,  # the most significant digits read
        "example.com/bool": True,
        "example.com/hundred": "@1E+2",
        "example.com/text": "1e3",
    },
    "backup_s3_access_key_id": SECRET,
    "backup_s3_secret_access_key": SECRET + 1,
    "storage_class": None,  # null: the default
}


def _json(values: Any) -> str:
    """JSON text of `values`; a string "@..." is written as the bare number it spells
    (JSON numbers Python would not write as such: 1e3, -0, 1E+2)."""
    text = json.dumps(values, indent=2)
    for token in {t for t in text.split('"') if t.startswith("@")}:
        text = text.replace(f'"{token}"', token[1:])
    return text


def _without_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_nulls(item) for item in value]
    return value


@pytest.fixture(scope="module")
def module_root(tofu: Tofu, opentofu_tree: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The module itself as a root (variables.tf, main.tf, outputs.tf), with one more
    output: the inputs as OpenTofu holds them, after its conversion."""
    root = tmp_path_factory.mktemp("tfvars") / "cnpg"
    shutil.copytree(opentofu_tree / "modules" / "cnpg", root)
    (root / "seen.tf").write_text(
        'output "seen_inputs" {\n  value     = jsonencode(local.inputs)\n  sensitive = true\n}\n',
        encoding="utf-8",
    )
    tofu.init(root)
    return root


def test_opentofu_and_the_tool_read_the_same_values(tofu: Tofu, module_root: Path) -> None:
    tfvars = module_root / "terraform.tfvars.json"
    tfvars.write_text(_json(CONVERTED), encoding="utf-8")
    tofu.ok(module_root, "apply", "-auto-approve", "-no-color")
    outputs = tofu.outputs(module_root)
    seen = json.loads(outputs.pop("seen_inputs")["value"])
    # Each value as OpenTofu holds it is the value the tool reads (over the
    # defaults of an object, which OpenTofu's optional() attributes fill in alike).
    read = merge_sources([tfvars])
    for name, given in CONVERTED.items():
        if given is None:
            assert name not in read
        else:
            assert _without_nulls(seen[name]) == read[name], name
    assert read["inherited_annotations"]["example.com/widest"] == "9" * 150
    assert read["helm_wait"] is False
    # The module hands OpenTofu's values to the tool: the same inputs, the same outputs.
    from_module = Inputs.from_mapping(decode_query(json.dumps({"inputs": json.dumps(seen)})))
    assert load_inputs([tfvars]) == from_module
    assert outputs == tool_outputs("--inputs", str(tfvars))


# What OpenTofu refuses for the module's variables, and the tool's line for it.
REFUSED: list[tuple[dict[str, Any], str]] = [
    ({"instances": "three"}, "instances: expected a whole number, got 'three'"),
    ({"instances": " 3"}, "instances: expected a whole number, got ' 3'"),
    ({"postgis_enabled": "yes"}, "postgis_enabled: expected true or false, got 'yes'"),
    ({"postgis_enabled": "True"}, "postgis_enabled: expected true or false, got 'True'"),
    ({"postgis_enabled": 1}, "postgis_enabled: expected true or false, got 1"),
    ({"instances": True}, "instances: expected a whole number, got true"),
    (
        {"synchronous_replication": {"number": "two"}},
        "synchronous_replication.number: expected a whole number, got 'two'",
    ),
    (
        {"postgresql_parameters": {"work_mem": {"size": 4}}},
        'postgresql_parameters.work_mem: expected a string, got {"size": 4}',
    ),
    (
        {"pod_security_context": {"supplemental_groups": ["1000", "x"]}},
        "pod_security_context.supplemental_groups[1]: expected a whole number, got 'x'",
    ),
    (
        {"backup_s3_secret_access_key": [SECRET]},
        "backup_s3_secret_access_key: expected a string, got <sensitive>",
    ),
    # OpenTofu reads "Inf" as a number, which fails the variable's bounds; the tool
    # never converts an infinity (the module could not hand it over).
    ({"instances": "Inf"}, "instances: expected a whole number, got 'Inf'"),
    # Likewise a number of more than 150 significant digits, which the tool does not
    # read at all.
    ({"instances": "1" * 151}, f"instances: expected a whole number, got '{'1' * 58}…'"),
    ({"instances": int("1" * 151)}, f"instances: expected a whole number, got {'1' * 59}…"),
]


def test_what_opentofu_refuses_the_tool_refuses(
    tofu: Tofu, module_root: Path, tmp_path: Path
) -> None:
    tfvars = module_root / "terraform.tfvars.json"
    for values, line in REFUSED:
        tfvars.write_text(json.dumps(values), encoding="utf-8")
        result = tofu.run(module_root, "plan", "-json", "-no-color")
        assert result.returncode == 1, (values, result.stdout)
        summaries = {
            m["diagnostic"]["summary"]
            for m in map(json.loads, result.stdout.splitlines())
            if m.get("type") == "diagnostic" and m["diagnostic"]["severity"] == "error"
        }
        assert summaries <= {"Invalid value for input variable", "Invalid value for variable"}
        assert summaries, values
        copy = tmp_path / "refused.tfvars.json"
        copy.write_text(json.dumps(values), encoding="utf-8")
        tool = run_tool("outputs", "--json", "--inputs", str(copy))
        assert (tool.returncode, tool.stdout, tool.stderr) == (2, "", f"error: {line}\n")
        assert str(SECRET) not in tool.stderr
    tfvars.unlink()


def test_a_number_opentofu_rounds_the_tool_refuses(
    tofu: Tofu, module_root: Path, tmp_path: Path
) -> None:
    # More than 150 significant digits for a string: OpenTofu rounds the number to 512
    # bits and plans; the tool refuses it, with its line for the input.
    values = {"inherited_annotations": {"example.com/long": int("1" * 151)}}
    tfvars = module_root / "terraform.tfvars.json"
    tfvars.write_text(json.dumps(values), encoding="utf-8")
    tofu.ok(module_root, "plan", "-no-color")
    tfvars.unlink()
    copy = tmp_path / "long.tfvars.json"
    copy.write_text(json.dumps(values), encoding="utf-8")
    tool = run_tool("outputs", "--json", "--inputs", str(copy))
    assert (tool.returncode, tool.stdout, tool.stderr) == (
        2,
        "",
        f"error: inherited_annotations.example.com/long: expected a string, got {'1' * 59}…\n",
    )


# Numbers in the forms cty reads (a sign, a point, e and p exponents, up to 150
# significant digits and 400 digits written out, a tie between two 512-bit numbers)
# and forms it refuses.
NUMBER_TEXTS = [
    *("3", "-3", "+3", "1.5", ".5", "5.", "-.5", "0003", "00.5", "1.0", "-0", "-0.0", "0e5"),
    *("1e3", "1E3", "1e+3", "1.e3", "1e-7", "1.5e-7", "1e21", "1e300", "1e-300", "0.1"),
    *("0.30000000000000001", "123456789012345678901234567890", "1" + "0" * 148 + ".5"),
    *("9" * 150, "-0." + "9" * 150, "0." + "0" * 249 + "1" * 150, "1e399"),
    *("1.7976931348623157e308", "5e-324", "1e0003", "1e" + "0" * 5000 + "3"),
    *("1p3", "1P3", "1.5p1", "0.1p1", "1p-1", "3p-200", "7.25p200", "1p-214", "1p480"),
    "3e220",  # halfway between two 512-bit numbers: to even, and still its own spelling
    "12345678901234567890123456789012345678901234567890e-340",
    *(" 3", "3 ", "0x10", "1_000", "NaN", "Infinity", "", ".", "-", "1e", "1e3.5", "1,5"),
    *("true", "٣", "e5", "+-3", "0e9223372036854775808"),
]
# Numbers OpenTofu reads which the tool refuses: more than 150 significant digits
# (OpenTofu rounds them to 512 bits), more than 400 digits written out, infinities.
BEYOND_THE_TOOL = [
    *("9" * 151, "9" * 160, "1" + "0" * 200 + ".1", "3p-300", "1p-215"),
    str((1 << 600) + (1 << 87)),  # halfway between two 512-bit numbers
    str((1 << 600) + (1 << 87) + 1),  # just past halfway
    *("1e400", "0." + "0" * 250 + "1" * 150, "Inf", "-inf"),
]


def test_numbers_convert_as_opentofu_converts_them(tofu: Tofu, tmp_path: Path) -> None:
    readable = [text for text in NUMBER_TEXTS if ctynumber.parse(text) is not None]
    unreadable = [text for text in NUMBER_TEXTS if text not in readable]
    assert len(readable) == 45
    assert len(unreadable) == 17
    assert all(ctynumber.parse(text) is None for text in BEYOND_THE_TOOL)
    (tmp_path / "main.tf").write_text(
        'variable "numbers" {\n  type = list(number)\n}\n\n'
        'variable "texts" {\n  type = list(string)\n}\n\n'
        'variable "beyond" {\n  type = list(number)\n}\n\n'
        'output "numbers" {\n  value = [for n in var.numbers : tostring(n)]\n}\n\n'
        'output "json" {\n  value = jsonencode(var.numbers)\n}\n\n'
        'output "texts" {\n  value = var.texts\n}\n\n'
        'output "beyond" {\n  value = length(var.beyond)\n}\n',
        encoding="utf-8",
    )
    # The same texts as strings for a number, and as JSON numbers for a string.
    json_numbers = [text for text in readable if _is_json_number(text)]
    assert len(json_numbers) == 29
    tfvars = tmp_path / "terraform.tfvars.json"
    tfvars.write_text(
        json.dumps({"numbers": readable, "beyond": BEYOND_THE_TOOL})[:-1]
        + ', "texts": ['
        + ", ".join(json_numbers)
        + "]}",
        encoding="utf-8",
    )
    tofu.apply(tmp_path)
    outputs = tofu.outputs(tmp_path)
    parsed = [ctynumber.parse(text) for text in readable]
    assert outputs["numbers"]["value"] == [ctynumber.text(n) for n in parsed if n is not None]
    assert json.loads(outputs["json"]["value"]) == [
        ctynumber.value(n) for n in parsed if n is not None
    ]
    expected = [ctynumber.held(Decimal(text)) for text in json_numbers]
    assert outputs["texts"]["value"] == [ctynumber.text(n) for n in expected if n is not None]
    assert None not in expected
    assert outputs["beyond"]["value"] == len(BEYOND_THE_TOOL)  # OpenTofu reads them all
    # Each text the tool does not read as a number, OpenTofu refuses too.
    refused = tmp_path / "refused"
    refused.mkdir()
    (refused / "main.tf").write_text(
        "".join(f'variable "n{i}" {{\n  type = number\n}}\n' for i in range(len(unreadable))),
        encoding="utf-8",
    )
    (refused / "terraform.tfvars.json").write_text(
        json.dumps({f"n{i}": text for i, text in enumerate(unreadable)}), encoding="utf-8"
    )
    result = tofu.run(refused, "plan", "-json", "-no-color")
    assert result.returncode == 1
    details = [
        m["diagnostic"]["detail"]
        for m in map(json.loads, result.stdout.splitlines())
        if m.get("type") == "diagnostic" and m["diagnostic"]["severity"] == "error"
    ]
    assert sorted(details) == sorted(
        f"The given value is not suitable for var.n{i} declared at main.tf:{3 * i + 1},1-"
        f"{13 + len(str(i))}: a number is required."
        for i in range(len(unreadable))
    )


def _is_json_number(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True
