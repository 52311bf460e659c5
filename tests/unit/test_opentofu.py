"""The OpenTofu module's generated files and the `external` protocol mode."""

from __future__ import annotations

import io
import json
import re
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import pytest
from pydantic import AfterValidator, BaseModel, Field, SecretStr

from wildside_cnpg import Inputs, Module
from wildside_cnpg.cli import main
from wildside_cnpg.errors import InputError
from wildside_cnpg.inputs.model import InputsModel
from wildside_cnpg.inputs.types import Check, DNSLabel
from wildside_cnpg.opentofu import hcl
from wildside_cnpg.opentofu.external import answer
from wildside_cnpg.opentofu.outputs_tf import render_outputs
from wildside_cnpg.opentofu.typemap import MappingError
from wildside_cnpg.opentofu.variables import render_variables
from wildside_cnpg.outputs import OUTPUTS, OutputSpec

REPO = Path(__file__).resolve().parents[2]
MODULE = REPO / "opentofu" / "modules" / "cnpg"
SECRET = "AKIAWILDSIDEUNITSECRET"


# --- generated files -------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "generate"),
    [("variables.tf", lambda: render_variables(InputsModel)), ("outputs.tf", render_outputs)],
)
def test_checked_in_files_are_what_the_commands_generate(name: str, generate: Any) -> None:
    checked_in = (MODULE / name).read_text(encoding="utf-8")
    assert checked_in == generate(), (
        f"opentofu/modules/cnpg/{name} is stale: run `make opentofu` and commit the result"
    )


def test_the_commands_print_the_generated_files(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["opentofu", "variables"]) == 0
    assert capsys.readouterr().out == render_variables(InputsModel)
    assert main(["opentofu", "outputs"]) == 0
    assert capsys.readouterr().out == render_outputs()


def test_every_input_is_a_variable_and_passed_to_the_tool() -> None:
    text = render_variables(InputsModel)
    assert re.findall(r'^variable "(\w+)" \{$', text, re.M) == list(Inputs.names())
    passed = re.findall(r"^    (\w+) += var\.(\w+)$", text, re.M)
    assert passed == [(name, name) for name in Inputs.names()]
    blocks = dict(re.findall(r'^variable "(\w+)" \{\n(.*?)^\}$', text, re.M | re.S))
    sensitive = {name for name, body in blocks.items() if "  sensitive   = true\n" in body}
    assert (
        sensitive
        == set(Inputs.sensitive_names())
        == {
            "backup_s3_access_key_id",
            "backup_s3_secret_access_key",
        }
    )


def test_variables_carry_types_defaults_and_the_tool_wording() -> None:
    text = render_variables(InputsModel)
    assert (
        'variable "resource_limits" {\n'
        '  description = "Limits of each instance pod"\n'
        "  type        = object({ cpu = string, memory = string })\n"
        '  default     = { cpu = "1", memory = "2Gi" }\n'
        "  nullable    = false\n"
    ) in text
    assert (
        'variable "backup_data_compression" {\n'
        '  description = "Base backup compression (unset: uncompressed)"\n'
        "  type        = string\n"
        "  default     = null\n"
        "\n"
        "  validation {\n"
        "    condition     = var.backup_data_compression == null ? true : "
        '(contains(["bzip2", "gzip", "lz4", "snappy"], var.backup_data_compression))\n'
        '    error_message = "backup_data_compression: '
        'expected one of bzip2, gzip, lz4 or snappy"\n'
        "  }\n"
        "}\n"
    ) in text
    assert (
        "    condition     = var.instances >= 1 && var.instances <= 9223372036854775807\n"
        '    error_message = "instances: expected a whole number from 1 to 9223372036854775807"\n'
    ) in text
    assert "  type        = any\n  default     = {}\n" in text  # helm_values: mapping or list


def test_outputs_keep_names_descriptions_and_sensitivity() -> None:
    text = render_outputs()
    blocks = dict(re.findall(r'^output "(\w+)" \{\n(.*?)^\}$', text, re.M | re.S))
    assert list(blocks) == sorted(OUTPUTS)
    for name, spec in OUTPUTS.items():
        assert f"  description = {hcl.string(spec.description)}\n" in blocks[name]
        assert ("  sensitive   = true\n" in blocks[name]) is spec.sensitive
    assert blocks["rendered_manifests"].splitlines()[1] == (
        "  value       = true ? tomap({ for k0, v0 in "
        'jsondecode(data.external.cnpg.result["rendered_manifests"]) : k0 => tostring(v0) })'
        ' : tomap({ "" = "" })'
    )
    assert blocks["backup_credentials_secret_name"].splitlines()[1] == (
        "  value       = tostring(jsondecode("
        'data.external.cnpg.result["backup_credentials_secret_name"]))'
    )


def test_an_output_type_without_a_conversion_is_refused() -> None:
    spec = OutputSpec("odd", lambda i, n, r: None, type_hint=["set", "string"])
    with pytest.raises(MappingError) as error:
        render_outputs({"odd": spec})
    assert str(error.value) == (
        "output odd: no OpenTofu conversion to the declared output type ['set', 'string']"
    )


# --- the generator on models other branches may add -----------------------------


class Endpoint(BaseModel):
    host: DNSLabel
    port: int = Field(5432, ge=1, le=65535)
    tls: bool | None = None


class Toy(BaseModel):
    replicas: list[Endpoint] = Field(default_factory=list, description="Read replicas")
    labels: dict[str, DNSLabel | None] = Field(default_factory=dict, description="Labels")
    primary: Endpoint | None = Field(None, description="Primary")
    token: SecretStr = Field(description="Token")


def test_nested_objects_lists_and_maps_map_recursively() -> None:
    text = render_variables(Toy)
    assert (
        "  type        = list(object({ host = string, port = optional(number, 5432), "
        "tls = optional(bool) }))\n  default     = []\n"
    ) in text
    assert (
        '    error_message = "replicas[${try([for k0, x0 in var.replicas : k0 if '
        '!(x0.port >= 1 && x0.port <= 65535)][0], "")}].port: expected a whole number from 1 '
        'to 65535"\n'
    ) in text
    assert (
        '    error_message = "labels.${try([for k0, x0 in var.labels : k0 if !(x0 == null' in text
    )
    assert (
        "    condition     = var.primary == null ? true : (var.primary.port >= 1 && "
        "var.primary.port <= 65535)\n"
    ) in text
    assert (
        'variable "token" {\n  description = "Token"\n  type        = string\n'
        "  nullable    = false\n  sensitive   = true\n}\n"
    ) in text


class _When(BaseModel):
    when: datetime = Field(description="x")


Colour = Annotated[str, AfterValidator(Check(lambda v: v in ("red", "blue"), "expected a colour"))]


class _Colour(BaseModel):
    class Paint(BaseModel):
        colour: Colour

    paint: list[Paint] = Field(default_factory=list)


class _Even(BaseModel):
    count: int = Field(2, multiple_of=2)


class _Tuple(BaseModel):
    pair: tuple[str, int] = ("a", 1)


@pytest.mark.parametrize(
    ("model", "message"),
    [
        (
            _When,
            "when: no OpenTofu type for <class 'datetime.datetime'>: "
            "teach wildside_cnpg/opentofu/typemap.py",
        ),
        (
            _Colour,
            "paint.colour: no HCL condition for the check 'expected a colour': "
            "add one to wildside_cnpg/opentofu/rules.py",
        ),
        (
            _Even,
            "count: no HCL validation for MultipleOf(multiple_of=2): "
            "teach wildside_cnpg/opentofu/typemap.py",
        ),
        (
            _Tuple,
            "pair: no OpenTofu type for tuple[str, int]: teach wildside_cnpg/opentofu/typemap.py",
        ),
    ],
)
def test_what_it_cannot_map_fails_loudly_naming_the_input(
    model: type[BaseModel], message: str
) -> None:
    with pytest.raises(MappingError) as error:
        render_variables(model)
    assert str(error.value) == message


def test_hcl_strings_are_literal() -> None:
    assert hcl.string('a "b" \\ ${c} %{d}\n\t\x01é') == (
        '"a \\"b\\" \\\\ $${c} %%{d}\\n\\t\\u0001é"'
    )
    assert hcl.literal({"a": [1, 2.5, True, None], "b-c": {}, "d e": "x"}) == (
        '{ a = [1, 2.5, true, null], b-c = {}, "d e" = "x" }'
    )


# --- the external protocol -------------------------------------------------------


def query(**inputs: Any) -> str:
    return json.dumps({"inputs": json.dumps(inputs)})


def run_external(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, stdin: str
) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(["opentofu", "external"])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_answer_is_a_flat_map_of_json_encoded_outputs() -> None:
    flat = json.loads(answer(query(instances=5, cluster_name="orders-pg")))
    assert all(isinstance(value, str) for value in flat.values())
    outputs = Module(Inputs(instances=5, cluster_name="orders-pg")).outputs()
    assert {name: json.loads(value) for name, value in flat.items()} == {
        name: output["value"] for name, output in outputs.items()
    }
    assert flat["primary_endpoint"] == '"orders-pg-rw.databases.svc.cluster.local"'


def test_null_inputs_mean_the_defaults() -> None:
    assert answer(query(instances=None, backup_data_compression=None)) == answer(query())


def module_query(**inputs: Any) -> str:
    """The query the module sends: every input, its default where the caller set none
    (OpenTofu fills in each variable's default before jsonencode(local.inputs))."""
    return query(**{**InputsModel.model_construct().model_dump(mode="json"), **inputs})


def test_a_value_equal_to_its_default_is_not_set() -> None:
    # OpenTofu cannot tell a variable left unset from one set to its default, so
    # neither does the tool: rules about inputs that are set see neither.
    assert json.loads(answer(module_query(postgis_enabled=False)))["sync_policy_contract"] == (
        json.dumps(
            Module(Inputs(postgis_enabled=False)).outputs()["sync_policy_contract"]["value"],
            sort_keys=True,
            separators=(",", ":"),
        )
    )
    assert answer(module_query(mode="apply")) == answer(query(mode="apply"))
    recovery = {
        "recovery_enabled": True,
        "recovery_source_destination_path": "s3://wildside-backups/postgres",
        "recovery_source_endpoint_url": "https://nyc3.digitaloceanspaces.com",
        "recovery_source_s3_credentials_secret_name": "wildside-s3",
    }
    contract = json.loads(json.loads(answer(module_query(**recovery)))["sync_policy_contract"])
    assert contract["bootstrap"]["method"] == "recovery"
    with pytest.raises(InputError) as raised:
        answer(query(postgis_enabled=False, postgis_extensions=["postgis"]))
    assert raised.value.lines() == [
        "postgis_extensions: set while postgis_enabled is false (nothing would create them)"
    ]


def test_the_answer_is_one_line_on_stdout(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, err = run_external(capsys, monkeypatch, query(mode="apply"))
    assert (code, err) == (0, "")
    assert out == answer(query(mode="apply")) + "\n"
    assert json.loads(out)["rendered_manifests"] == "{}"


@pytest.mark.parametrize(
    ("stdin", "message"),
    [
        (
            "not json " + SECRET,
            "opentofu external: standard input is not JSON; expected the data source's "
            "query, a JSON object of strings",
        ),
        (
            json.dumps([SECRET]),
            "opentofu external: standard input is not a JSON object; expected the data "
            "source's query, a JSON object of strings",
        ),
        (
            "{}",
            "opentofu external: the query has no string 'inputs'; "
            "expected query = { inputs = jsonencode(local.inputs) }",
        ),
        (
            json.dumps({"inputs": "{}", "backup_s3_access_key_id": SECRET}),
            "opentofu external: unknown query key 'backup_s3_access_key_id'; the query holds "
            "only 'inputs', the JSON-encoded inputs",
        ),
        (
            json.dumps({"inputs": '{"backup_s3_access_key_id": "' + SECRET}),
            "opentofu external: query.inputs is not JSON; expected the JSON-encoded object "
            "of input values",
        ),
        (
            json.dumps({"inputs": json.dumps([SECRET])}),
            "opentofu external: query.inputs is not a JSON object; expected the JSON-encoded "
            "object of input values",
        ),
    ],
)
def test_a_malformed_query_is_one_line_exit_2_without_its_contents(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, stdin: str, message: str
) -> None:
    code, out, err = run_external(capsys, monkeypatch, stdin)
    assert (code, out) == (2, "")
    assert err == f"error: {message}\n"
    assert SECRET not in err


def test_bad_inputs_name_each_input_and_hide_secrets(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    stdin = query(
        instances=0,
        backup_s3_access_key_id=12345,
        backup_s3_secret_access_key=SECRET,
        clustr_name="x",
    )
    code, out, err = run_external(capsys, monkeypatch, stdin)
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        "error: instances: expected a whole number from 1 to 9223372036854775807, got 0",
        "error: backup_s3_access_key_id: expected a string, got <sensitive>",
        "error: clustr_name: unknown input; did you mean 'cluster_name'?",
    ]
    assert SECRET not in err
    assert "12345" not in err


def test_cross_input_errors_come_from_the_tool(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    stdin = query(
        backup_enabled=True,
        backup_destination_path="s3://wildside-backups/postgres",
        backup_endpoint_url="https://nyc3.digitaloceanspaces.com",
        backup_s3_access_key_id=SECRET,
        backup_s3_secret_access_key=SECRET,
    )
    code, out, err = run_external(capsys, monkeypatch, stdin)
    assert (code, out) == (2, "")
    assert err == (
        "error: backup_s3_inline_credentials_acknowledged: expected true to write inline S3 "
        "keys as a plaintext Secret into the tree (prefer backup_credentials_vault_path or "
        "backup_s3_credentials_secret_name), got false\n"
    )


def test_module_readme_names_every_output() -> None:
    readme = (MODULE / "README.md").read_text(encoding="utf-8")
    assert [name for name in sorted(OUTPUTS) if f"`{name}`" not in readme] == []
