"""Where inputs come from and the one merge rule: environment, files, --set and
--set-string, later winning; mappings merge deeply, lists are replaced, null
removes a key so that its default applies."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from wildside_cnpg.errors import UsageError
from wildside_cnpg.inputs.loader import (
    Override,
    environment_variable,
    load_inputs,
    merge,
    merge_sources,
    parse_override,
)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_merge_is_deep_for_mappings_and_replaces_everything_else() -> None:
    target = {"a": {"b": 1, "c": [1, 2]}, "d": 1}
    merge(target, {"a": {"c": [3], "e": {"f": None, "g": 1}}, "d": None, "h": [None]})
    assert target == {"a": {"b": 1, "c": [3], "e": {"g": 1}}, "h": [None]}


def test_files_merge_deeply_in_order(tmp_path: Path) -> None:
    first = write(tmp_path / "a.yaml", "helm_values: {a: {b: 1, c: 2}}\ninstances: 5\n")
    second = write(tmp_path / "b.json", '{"helm_values": {"a": {"c": 3}}, "instances": null}')
    inputs = load_inputs([first, second])
    assert inputs.helm_values == {"a": {"b": 1, "c": 3}}
    assert inputs.instances == 3


def test_a_partial_object_keeps_the_defaults_of_its_other_keys(tmp_path: Path) -> None:
    path = write(tmp_path / "in.yaml", "resource_requests: {cpu: 500m}\n")
    inputs = load_inputs([path])
    assert (inputs.resource_requests.cpu, inputs.resource_requests.memory) == ("500m", "2Gi")
    inputs = load_inputs([path], ["resource_requests.cpu=null"])
    assert inputs.resource_requests.cpu == "1"


def test_lists_are_replaced_not_appended(tmp_path: Path) -> None:
    path = write(tmp_path / "in.yaml", "postgis_extensions: [postgis, postgis_raster]\n")
    inputs = load_inputs([path], ["postgis_extensions=[postgis]"])
    assert inputs.postgis_extensions == ("postgis",)


def test_set_null_means_the_default_as_in_a_file(tmp_path: Path) -> None:
    path = write(tmp_path / "in.yaml", "cluster_name: other\n")
    assert load_inputs([path], ["cluster_name=null"]).cluster_name == "wildside-pg"
    assert load_inputs([], ["cluster_name=other", "cluster_name=~"]).cluster_name == "wildside-pg"


def test_set_string_keeps_the_text() -> None:
    assert parse_override(Override("chart_version=0.30", literal=True)) == (
        ["chart_version"],
        "0.30",
    )
    assert parse_override(Override("chart_version=0.30")) == (["chart_version"], 0.3)
    inputs = load_inputs([], [Override("cluster_name=true", literal=True)])
    assert inputs.cluster_name == "true"


def test_overrides_apply_in_command_line_order() -> None:
    inputs = load_inputs([], [Override("cluster_name=a"), Override("cluster_name=b", literal=True)])
    assert inputs.cluster_name == "b"


def test_schema_key_of_a_file_is_ignored(tmp_path: Path) -> None:
    path = write(tmp_path / "in.yaml", "$schema: ./wildside-cnpg.schema.json\ninstances: 4\n")
    assert merge_sources([path]) == {"instances": 4}


def test_standard_input_is_a_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"instances: 7\n")))
    assert load_inputs([Path("-")]).instances == 7


def test_environment_gives_the_sensitive_inputs_below_files_and_set(tmp_path: Path) -> None:
    environ = {
        environment_variable("backup_s3_access_key_id"): "AKIAENV",
        environment_variable("backup_s3_secret_access_key"): "from-env",
        "WILDSIDE_CNPG_INSTANCES": "9",  # only the sensitive inputs are read
    }
    assert environment_variable("backup_s3_access_key_id") == (
        "WILDSIDE_CNPG_BACKUP_S3_ACCESS_KEY_ID"
    )
    assert merge_sources([], [], environ) == {
        "backup_s3_access_key_id": "AKIAENV",
        "backup_s3_secret_access_key": "from-env",
    }
    path = write(tmp_path / "in.yaml", "backup_s3_access_key_id: AKIAFILE\n")
    values = merge_sources([path], ["backup_s3_secret_access_key=from-set"], environ)
    assert values == {
        "backup_s3_access_key_id": "AKIAFILE",
        "backup_s3_secret_access_key": "from-set",
    }
    assert merge_sources([], [], {environment_variable("backup_s3_access_key_id"): ""}) == {}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"instances: 3\ninstances: 4\n", "line 2: duplicate key 'instances' (first on line 1)"),
        (b"cluster_name: caf\xe9\n", "line 1: not UTF-8 text (byte 0xe9)"),
        (
            b"a: &a [*a]\n",
            "line 1: an alias refers to a node that contains it (a self-referencing structure)",
        ),
        (b"helm_values: " + b"[" * 120 + b"]" * 120, "line 1: nested deeper than 100 levels"),
        (b"x" * ((1 << 20) + 1), "larger than 1 MiB"),
        (b"- 1\n", "expected a mapping of input names to values"),
    ],
)
def test_unreadable_files_name_the_file_and_line(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "in.yaml"
    path.write_bytes(content)
    with pytest.raises(UsageError) as caught:
        load_inputs([path])
    assert str(caught.value) == f"--inputs {path}: {message}"


def test_a_directory_is_not_an_inputs_file(tmp_path: Path) -> None:
    with pytest.raises(UsageError) as caught:
        load_inputs([tmp_path])
    assert str(caught.value) == f"--inputs {tmp_path}: cannot read (Is a directory)"


@pytest.mark.parametrize(
    ("override", "message"),
    [
        (Override("instances"), "--set instances: expected name=value"),
        (Override("=5"), "--set =…: expected name=value"),
        (Override("a..b=5", literal=True), "--set-string a..b=…: expected name=value"),
        (
            Override("cluster_name=[x"),
            "--set cluster_name='[x': invalid value (line 2, column 1: did not find expected "
            "',' or ']' (while parsing a flow sequence)); --set-string takes it as a string",
        ),
        (
            Override("backup_s3_secret_access_key=[canary"),
            "--set backup_s3_secret_access_key=<sensitive>: invalid value (not valid YAML; a "
            "sensitive input's problem is not shown); --set-string takes it as a string",
        ),
    ],
)
def test_bad_overrides(override: Override, message: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse_override(override)
    assert str(caught.value) == message
