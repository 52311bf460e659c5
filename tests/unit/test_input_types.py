"""Whole-value validation: every string input refuses a trailing newline and every
control character; free-form strings that reach a path, a template or a command
line have real rules; integers have their Kubernetes bounds."""

from __future__ import annotations

import typing
from typing import Any

import pytest

from wildside_cnpg import InputError, Inputs
from wildside_cnpg.inputs.model import InputsModel
from wildside_cnpg.inputs.text import has_control, whole

# A valid value for every string input whose default is null.
VALID: dict[str, str] = {
    "flux_git_repository_namespace": "tenants",
    "flux_helm_repository_namespace": "charts",
    "flux_kustomization_service_account_name": "flux-applier",
    "flux_helm_release_service_account_name": "helm-applier",
    "backup_destination_path": "s3://wildside-backups/pg",
    "backup_endpoint_url": "https://nyc3.digitaloceanspaces.com",
    "backup_s3_credentials_secret_name": "s3-credentials",
    "backup_s3_access_key_id": "AKIAEXAMPLE",
    "backup_s3_secret_access_key": "secret-example",
    "superuser_credentials_vault_path": "wildside/postgres/superuser",
    "app_credentials_vault_path": "wildside/postgres/app",
    "backup_credentials_vault_path": "wildside/postgres/s3",
    "backup_data_compression": "gzip",
    "pdb_name": "wildside-pg-pdb",
    "scheduled_backup_name": "wildside-pg-backup",
    "superuser_credentials_secret_name": "wildside-pg-superuser-credentials",
    "app_credentials_secret_name": "wildside-pg-app-credentials",
    "monitoring_namespace": "monitoring",
    "tls_issuer_name": "letsencrypt",
    "tls_ca_secret_name": "wildside-pg-ca",
    "tls_client_ca_secret_name": "wildside-pg-client-ca",
    "image_name": "ghcr.io/cloudnative-pg/postgis:16-3.6-standard-trixie",
    "backup_server_name": "wildside-pg",
    "recovery_source_destination_path": "s3://wildside-backups/old",
    "recovery_source_server_name": "wildside-pg-old",
    "recovery_source_endpoint_url": "https://nyc3.digitaloceanspaces.com",
    "recovery_source_s3_credentials_secret_name": "old-s3-credentials",
    "recovery_source_credentials_vault_path": "wildside/postgres/old-s3",
    "recovery_backup_id": "20261101T000000",
    "recovery_target_time": "2026-11-01T12:00:00Z",
    "recovery_target_lsn": "0/3000060",
    "recovery_target_name": "before-migration",
    "postgis_version": "3.6.4",
    "priority_class_name": "databases-critical",
    "wal_storage_size": "5Gi",
    "wal_storage_class": "fast-ssd",
}


def _mentions_str(annotation: Any) -> bool:
    if annotation is str:
        return True
    if typing.get_origin(annotation) is typing.Literal:
        return True
    return any(_mentions_str(arg) for arg in typing.get_args(annotation))


def string_inputs() -> list[str]:
    names = []
    for name, field in InputsModel.model_fields.items():
        annotation = field.annotation
        if name == "helm_values":  # structured: see the tests below
            continue
        if name in Inputs.sensitive_names() or (
            _mentions_str(annotation) and typing.get_origin(annotation) not in (dict, tuple)
        ):
            names.append(name)
    return names


def valid_value(name: str) -> str:
    if name in VALID:
        return VALID[name]
    default = InputsModel.model_fields[name].default
    assert isinstance(default, str), name
    return default


def test_every_string_input_is_covered() -> None:
    names = string_inputs()
    assert {"cluster_name", "chart_name", "mode", "backup_schedule"} <= set(names)
    assert "backup_s3_secret_access_key" in names
    assert len(names) == 76


@pytest.mark.parametrize("name", string_inputs())
@pytest.mark.parametrize("change", ["{}\n", "{}\r", "\n{}", "x{}\x00", "{}\x1b[0m", "{}\u2028"])
def test_control_characters_are_refused_in_every_string_input(name: str, change: str) -> None:
    value = change.format(valid_value(name)).replace("x", "", 1 if change.startswith("x") else 0)
    with pytest.raises(InputError) as caught:
        Inputs(**{name: value})
    [problem] = [p for p in caught.value.problems if p.startswith(f"{name}:")]
    assert problem.startswith(f"{name}: expected ")
    if name in Inputs.sensitive_names():
        assert problem.endswith(", got <sensitive>")
        assert valid_value(name) not in problem


def test_trailing_newlines_of_the_issue() -> None:
    with pytest.raises(InputError) as caught:
        Inputs(cluster_name="x\n")
    assert caught.value.problems == [
        "cluster_name: expected a DNS-1035 label of at most 50 characters, as CloudNativePG "
        "requires (lower-case letters, digits and '-', starting with a letter and ending with "
        "a letter or digit), got 'x\\n'"
    ]
    with pytest.raises(InputError) as caught:
        Inputs(postgresql_parameters={"archive_command\n": "/bin/true"})
    assert caught.value.problems == [
        "postgresql_parameters: expected parameter names such as shared_buffers, "
        "got 'archive_command\\n'"
    ]


@pytest.mark.parametrize(
    ("values", "problem"),
    [
        (
            {"postgresql_parameters": {"work_mem": "4MB\narchive_command = 'x'"}},
            "postgresql_parameters.work_mem: expected a value without control characters "
            "(such as a newline), got \"4MB\\narchive_command = 'x'\"",
        ),
        (
            {"resource_requests": {"cpu": "1\n", "memory": "1Gi"}},
            "resource_requests.cpu: expected a positive Kubernetes CPU quantity such as 100m, "
            "0.5 or 2, got '1\\n'",
        ),
        (
            {"helm_values": {"image": {"tag": "1.0\x00"}}},
            "helm_values: expected chart values without control characters (values may hold "
            'tabs and newlines); found one in helm_values.image.tag, got {"image": {"tag": '
            '"1.0\\u0000"}}',
        ),
        (
            {"helm_values": {"a\nb": 1}},
            "helm_values: expected chart values without control characters (values may hold "
            'tabs and newlines); found one in a key in helm_values, got {"a\\nb": 1}',
        ),
    ],
)
def test_control_characters_inside_structured_inputs(values: dict[str, Any], problem: str) -> None:
    with pytest.raises(InputError) as caught:
        Inputs(**values)
    assert caught.value.problems == [problem]


def test_chart_values_may_span_lines() -> None:
    inputs = Inputs(helm_values={"config": {"queries": "SELECT 1;\n\tSELECT 2;\n"}})
    assert inputs.helm_values == {"config": {"queries": "SELECT 1;\n\tSELECT 2;\n"}}
    assert Inputs(helm_values=["a: 1\nb:\n  c: 2\n"]).helm_values_mapping() == {
        "a": 1,
        "b": {"c": 2},
    }


@pytest.mark.parametrize(
    ("name", "good", "bad"),
    [
        ("cluster_name", "pg-1", "1pg"),
        ("cluster_name", "a" * 50, "a" * 51),
        ("cluster_domain", "cluster.local", "cluster..local"),
        ("cluster_domain", "k8s.example.com", "-cluster.local"),
        ("storage_class", "do-block-storage", "Standard"),
        ("storage_class", "ebs.csi.aws.com", "ebs_gp3"),
        ("chart_name", "cloudnative-pg", "../charts"),
        ("chart_name", "cloudnative-pg", "Cloudnative_PG"),
        ("barman_cloud_plugin_chart_name", "plugin-barman-cloud", "plugin/barman"),
        ("helm_release_name", "a" * 53, "a" * 54),
        ("barman_cloud_plugin_release_name", "plugin", "plugin.barman"),
        ("flux_path_prefix", "./clusters/prod/", "./clusters/../secrets/"),
        ("flux_path_prefix", "./", "./a b/"),
        ("flux_path_prefix", "./a/b", "./a/./b"),
        ("app_credentials_vault_path", "wildside/postgres/app", "wildside/../root"),
        ("app_credentials_vault_path", "kv.v2/app_1", "wildside//app"),
        ("app_credentials_vault_path", "a/b", "/a/b"),
        ("app_credentials_vault_path", "a/b", "a/b/"),
        ("backup_destination_path", "s3://bucket-1/path/x=1", "s3://bucket-1/pa th"),
        ("backup_endpoint_url", "https://minio.example:9000/x", "https://minio.example:99999"),
        ("backup_endpoint_url", "https://minio.example", "https://minio.example/a b"),
        ("chart_repository", "oci://ghcr.io/cloudnative-pg/charts", "oci://ghcr.io/x y"),
        ("flux_helm_release_interval", "1h30m", "1d"),
        ("flux_helm_release_interval", "90s", "100ns"),
        ("eso_refresh_interval", "1h30m", "1h 30m"),
        ("eso_refresh_interval", "100ns", "-1h"),
        ("vault_password_property", "pass.word_1", "pass word"),
        ("vault_password_property", "p" * 253, "p" * 254),
        ("image_name", "ghcr.io/x/postgis:16-system", "ghcr.io/x/postgis:16-system "),
        ("storage_size", "10Gi", "10Gi\n"),
    ],
)
def test_free_form_strings_have_real_rules(name: str, good: str, bad: str) -> None:
    values: dict[str, Any] = {}
    if "vault_path" in name:
        values = {"eso_enabled": True, "enable_superuser_access": False}
    if name == "image_name":
        values = {"postgis_enabled": True}
    assert getattr(Inputs(**values, **{name: good}), name) == good
    with pytest.raises(InputError) as caught:
        Inputs(**values, **{name: bad})
    assert [p.split(":")[0] for p in caught.value.problems] == [name]


@pytest.mark.parametrize(
    ("name", "highest"),
    [("instances", 2**63 - 1), ("pdb_min_available", 2**31 - 1), ("helm_timeout", 9223372036)],
)
def test_integers_have_their_kubernetes_bounds(name: str, highest: int) -> None:
    # pdb_min_available is at most instances - 2, and only with custom budgets.
    values: dict[str, Any] = (
        {"pdb_enabled": True, "instances": highest + 2} if name == "pdb_min_available" else {}
    )
    assert getattr(Inputs(**values, **{name: highest}), name) == highest
    with pytest.raises(InputError) as caught:
        Inputs(**values, **{name: highest + 1})
    assert caught.value.problems == [
        f"{name}: expected a whole number from 1 to {highest}, got {highest + 1}"
    ]


def test_whole_matches_the_whole_value_only() -> None:
    matches = whole(r"[a-z]+")
    assert matches("abc")
    assert not matches("abc\n")
    assert not matches("abc1")
    assert [has_control(text) for text in ("a\u0085b", "a\x7fb", "é", "a\nb")] == [
        True,
        True,
        False,
        True,
    ]
    assert not has_control("a\nb\tc", layout=True)
