"""`init` (a commented starter inputs file) and `schema` (the JSON Schema editors read)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from tests.cli import run
from tests.golden.cases import CASES, example_inputs
from wildside_cnpg import Inputs, Module
from wildside_cnpg.errors import InputError
from wildside_cnpg.inputs.schema import inputs_json_schema
from wildside_cnpg.reference import input_groups
from wildside_cnpg.starter import starter_inputs

COMMENTED_INPUT = re.compile(r"^# (?P<name>[a-z0-9_]+): (?P<value>.*)$")


def uncommented(text: str) -> str:
    """The starter file with every input line uncommented."""
    return "\n".join(
        line[2:] if (m := COMMENTED_INPUT.match(line)) and m["name"] in Inputs.names() else line
        for line in text.splitlines()
    )


# --- init ----------------------------------------------------------------------------


def test_init_writes_every_input_at_its_default(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "cnpg" / "inputs.yaml"
    code, out, err = run(capsys, "init", str(target))
    assert (code, err) == (0, "")
    assert out == (
        f"wrote {target}: every input at its default, commented out; for editor completion "
        f"run: wildside-cnpg schema > {tmp_path / 'cnpg' / 'wildside-cnpg.schema.json'}\n"
    )
    text = target.read_text()
    assert text.splitlines()[0] == "# yaml-language-server: $schema=wildside-cnpg.schema.json"
    assert "`wildside-cnpg schema > wildside-cnpg.schema.json`" in " ".join(
        line.removeprefix("# ") for line in text.splitlines()[:5]
    )
    # As written, nothing is set: the file means the defaults.
    assert yaml.safe_load(text) is None
    # Every input once, in the README's groups and order.
    names = [
        m["name"]
        for line in text.splitlines()
        if (m := COMMENTED_INPUT.match(line)) and m["name"] in Inputs.names()
    ]
    assert names == [name for _, group in input_groups() for name in group]
    headers = re.findall(r"^# ---- ([a-z]+) -+$", text, re.M)
    assert headers == [
        "core",
        "cluster",
        "backup",
        "credentials",
        "pooling",
        "monitoring",
        "tls",
        "recovery",
        "databases",
        "topology",
        "storage",
        "replication",
        "access",
        "services",
    ]


def test_init_file_uncommented_is_the_defaults_and_fits_the_schema(tmp_path: Path) -> None:
    values = yaml.safe_load(uncommented(starter_inputs()))
    assert sorted(values) == sorted(Inputs.names())
    assert Inputs.from_mapping(values) == Inputs()
    assert Module(Inputs.from_mapping(values)).render() == Module().render()
    Draft202012Validator(inputs_json_schema()).validate(values)


def test_init_describes_each_input_with_its_rule() -> None:
    text = starter_inputs()
    block = text[text.index("# Namespace of the CloudNativePG operator.") :].split("\n\n")[0]
    assert block == (
        "# Namespace of the CloudNativePG operator.\n"
        "# Rule: a DNS-1123 label (lower-case letters, digits and '-', starting and ending with a\n"
        "# letter or digit, at most 63 characters).\n"
        '# operator_namespace: "cnpg-system"'
    )


def test_init_never_overwrites(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "inputs.yaml"
    target.write_text("instances: 5\n")
    code, out, err = run(capsys, "init", str(target))
    assert (code, out) == (2, "")
    assert err == f"error: {target}: already exists; init never overwrites a file\n"
    assert target.read_text() == "instances: 5\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["inputs.yaml"]


def test_init_to_stdout_and_a_schema_url(capsys: pytest.CaptureFixture[str]) -> None:
    url = "https://example.com/wildside-cnpg.schema.json"
    code, out, _ = run(capsys, "init", "-", "--schema-ref", url)
    assert code == 0
    assert out.splitlines()[0] == f"# yaml-language-server: $schema={url}"
    assert out == starter_inputs(url)


def test_inputs_file_may_name_its_schema(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "inputs.yaml"
    path.write_text("$schema: ./wildside-cnpg.schema.json\ninstances: 2\n")
    code, out, _ = run(capsys, "outputs", "cluster_name", "-i", str(path))
    assert (code, out) == (0, '"wildside-pg"\n')


# --- schema --------------------------------------------------------------------------


def schema_accepts(values: dict[str, Any]) -> bool:
    return Draft202012Validator(inputs_json_schema()).is_valid(values)


def tool_accepts(values: dict[str, Any]) -> bool:
    """Whether the tool takes these inputs (each sample is valid on its own)."""
    try:
        Inputs.from_mapping(values)
    except InputError:
        return False
    return True


# What some inputs need beside them to be valid at all.
_RECOVERY: dict[str, Any] = {
    "recovery_enabled": True,
    "recovery_source_destination_path": "s3://wildside-backups/old",
    "recovery_source_endpoint_url": "https://nyc3.digitaloceanspaces.com",
    "recovery_source_s3_credentials_secret_name": "s3",
}
CONTEXT: dict[str, dict[str, Any]] = {
    "app_credentials_vault_path": {"eso_enabled": True, "enable_superuser_access": False},
    "resource_requests": {"resource_limits": {"cpu": "4", "memory": "4Gi"}},
    "recovery_backup_id": _RECOVERY,
    "recovery_target_time": _RECOVERY,
    "recovery_target_lsn": _RECOVERY,
    "recovery_target_xid": _RECOVERY | {"recovery_backup_id": "20260801T093000"},
    "recovery_target_name": _RECOVERY | {"recovery_backup_id": "20260801T093000"},
    "recovery_source_server_name": _RECOVERY,
}
# input -> (values the tool accepts, values it refuses)
SAMPLES: dict[str, tuple[list[Any], list[Any]]] = {
    "cluster_name": (
        ["a", "pg-1", "x" * 50],
        ["", "-pg", "pg-", "Pg", "p_g", "1pg", "x" * 51],
    ),
    "database_name": (["wildside", "_x", "a1_b"], ["1db", "Db", "a-b", "", "x" * 64]),
    "eso_refresh_interval": (["1h", "30m", "1h30m", "1.5h", "90s"], ["1d", "h", "1 h", ""]),
    "chart_version": (["0.29.0", "v1.2.3", "1.0.0-rc.1+build.5"], ["0.29", "^0.29.0", "01.0.0"]),
    "chart_repository": (
        ["https://cloudnative-pg.github.io/charts", "oci://ghcr.io/cloudnative-pg/charts"],
        ["http://example.com", "ftp://x", "https://"],
    ),
    "backup_endpoint_url": (
        ["https://nyc3.digitaloceanspaces.com", "https://s3.example.com:9000/x"],
        ["http://minio:9000", "nyc3.digitaloceanspaces.com"],
    ),
    "backup_destination_path": (
        ["s3://wildside-backups/pg", "s3://bucket"],
        ["s3://B/x", "gs://bucket/x", "s3://a"],
    ),
    "backup_retention_policy": (["30d", "4w", "3m"], ["0d", "30", "30y", "d"]),
    "backup_schedule": (
        ["0 0 0 * * *", "@daily", "@every 1h30m", "*/30 * * * * 1-5"],
        ["0 0 * * *", "daily", "0 0 0 * * * *", "@every"],
    ),
    "storage_size": (["10Gi", "1.5Ti", "500M", "1"], ["0Gi", "0", "10GB", "-1Gi", "Gi"]),
    "resource_requests": (
        [
            {"cpu": "100m", "memory": "256Mi"},
            {"cpu": 2, "memory": "1Gi"},
            {"cpu": 0.5, "memory": 1},
        ],
        [
            {"cpu": "0", "memory": "1Gi"},
            {"cpu": "1 core", "memory": "1Gi"},
            {"cpu": 0, "memory": "1Gi"},
        ],
    ),
    # A digest alone, or a tag without a PostgreSQL version (latest@sha256:...), passes
    # the schema's pattern; the input rule CNPG's webhook mirrors refuses it after.
    "image_name": (
        [
            "ghcr.io/cloudnative-pg/postgis:16-3.6-system-trixie",
            "registry:5000/pg/postgis:17@sha256:" + "a" * 64,
            "postgis:16.4-3.5@sha256:" + "b" * 64,
        ],
        ["ghcr.io/cloudnative-pg/postgis", "postgis:latest", "registry:5000/postgis", "UPPER:1"],
    ),
    "storage_class": (["do-block-storage", "fast.ssd"], ["", " gp3", "gp3 ", "a b", "Gp3"]),
    "app_credentials_vault_path": (["wildside/postgres/app", "a"], ["/wildside/app", " x", ""]),
    "vault_password_property": (["password", "pass.word_1-x"], ["pass word", "p/w", ""]),
    "flux_path_prefix": (["./", "./clusters/prod/", "./a..b"], ["clusters/", "./../x", "./a b"]),
    "wal_compression": (["gzip", "zstd"], ["brotli", "GZIP"]),
    "instances": ([1, 5], [0, -1]),
    "postgis_extensions": ([["postgis"], ["postgis", "fuzzystrmatch"]], [[], ["plv8"]]),
    "backup_server_name": (
        ["wildside-pg", "wildside-pg-16", "pg_16.1", "A"],
        ["", "-pg", "pg-", "pg/16", "pg 16", "x" * 64],
    ),
    "recovery_source_server_name": (["wildside-pg", "old.pg_1"], ["", ".pg", "a/b"]),
    "recovery_backup_id": (["20260801T093000"], ["2026-08-01T09:30:00", "20260801", "x"]),
    "recovery_target_time": (
        ["2026-01-01T00:00:00Z", "2025-12-31T23:59:59.123456+02:00", "2026-01-01T00:00:00-05:30"],
        [
            "2026-01-01 00:00:00Z",
            "2026-01-01T00:00:00",
            "2026-01-01T00:00:00.1234567Z",
            "yesterday",
        ],
    ),
    "recovery_target_lsn": (["0/3000060", "FFFFFFFF/0", "a/b"], ["0-3000060", "0/", "/1", "g/1"]),
    "recovery_target_xid": ([3, 4294967295], [0, 2, 4294967296, "12"]),
    "recovery_target_name": (["before-migration", "x" * 63], ["", "x" * 64, "a\nb"]),
}


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_schema_and_validator_agree_on_each_value(name: str) -> None:
    accepted, refused = SAMPLES[name]
    context = CONTEXT.get(name, {})
    for value in accepted:
        values = {**context, name: value}
        assert (tool_accepts(values), schema_accepts(values)) == (True, True), value
    for value in refused:
        values = {**context, name: value}
        assert (tool_accepts(values), schema_accepts(values)) == (False, False), value


def test_schema_keywords_for_enums_ranges_and_lengths() -> None:
    properties = inputs_json_schema()["properties"]

    def accepted(name: str) -> dict[str, Any]:
        (schema,) = [s for s in properties[name]["anyOf"] if s != {"type": "null"}]
        return dict(schema)

    assert accepted("backup_method")["enum"] == ["barman_object_store", "barman_cloud_plugin"]
    assert accepted("instances") == {"type": "integer", "minimum": 1, "maximum": 2**63 - 1}
    assert accepted("postgis_extensions")["minItems"] == 1
    assert accepted("cluster_name")["maxLength"] == 50
    assert accepted("database_owner")["maxLength"] == 63
    assert properties["$schema"] == {
        "type": "string",
        "description": "The JSON Schema this file follows (ignored by wildside-cnpg)",
    }


def test_schema_allows_null_and_its_own_name_and_nothing_unknown() -> None:
    assert schema_accepts({"$schema": "./wildside-cnpg.schema.json", "instances": None})
    assert not schema_accepts({"instancez": 3})


@pytest.mark.parametrize("source", ["examples", "golden"])
def test_every_shipped_inputs_file_fits_the_schema(source: str) -> None:
    if source == "examples":
        sets = {name: yaml.safe_load(path.read_text()) for name, path in example_inputs().items()}
    else:
        sets = CASES
    validator = Draft202012Validator(inputs_json_schema())
    for name, values in sets.items():
        problems = [error.message for error in validator.iter_errors(values)]
        assert problems == [], name


def test_schema_command_prints_the_schema(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "schema")
    assert code == 0
    assert json.loads(out) == inputs_json_schema()
