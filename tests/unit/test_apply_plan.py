"""Apply mode's pure parts: order as data, change reports, the helm command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from wildside_cnpg import Inputs
from wildside_cnpg.apply import ApplyOptions, ApplyUsageError, HelmRelease, ObjectRef, plan_for
from wildside_cnpg.apply.changes import field_changes
from wildside_cnpg.apply.order import sort_for_apply, sort_for_delete


def _obj(api_version: str, kind: str, name: str, namespace: str = "db") -> dict[str, object]:
    return {
        "apiVersion": api_version,
        "kind": kind,
        "metadata": {"name": name, "namespace": namespace},
    }


def test_objects_are_ordered_by_the_rank_table_and_deleted_in_reverse() -> None:
    objects = [
        _obj("postgresql.cnpg.io/v1", "ScheduledBackup", "daily"),
        _obj("policy/v1", "PodDisruptionBudget", "pdb"),
        _obj("postgresql.cnpg.io/v1", "Cluster", "pg"),
        _obj("external-secrets.io/v1", "ExternalSecret", "app"),
        _obj("v1", "Secret", "s3"),
        _obj("v1", "Namespace", "db", namespace=""),
        _obj("example.com/v1", "Unknown", "x"),
    ]

    ordered = [o["kind"] for o in sort_for_apply(objects)]
    deleted = [o["kind"] for o in sort_for_delete(objects)]

    assert ordered == [
        "Namespace",
        "Secret",
        "ExternalSecret",
        "Cluster",
        "PodDisruptionBudget",
        "ScheduledBackup",
        "Unknown",
    ]
    assert deleted == list(reversed(ordered))


def test_plan_leaves_flux_operator_objects_to_helm_and_finds_the_cluster() -> None:
    plan = plan_for(Inputs.from_mapping({"instances": 1}))

    kinds = [o["kind"] for o in plan.objects]

    assert kinds == ["Namespace", "Namespace", "Cluster"]
    assert plan.cluster == ObjectRef("postgresql.cnpg.io/v1", "Cluster", "databases", "wildside-pg")
    assert plan.instances == 1
    assert plan.inventory.name == "wildside-pg-wildside-cnpg-inventory"


def test_plan_sends_no_null_fields() -> None:
    plan = plan_for(Inputs())

    def nulls(value: object, path: str) -> list[str]:
        if isinstance(value, dict):
            return [p for k, v in value.items() for p in nulls(v, f"{path}.{k}")]
        if isinstance(value, list):
            return [p for i, v in enumerate(value) for p in nulls(v, f"{path}[{i}]")]
        return [path] if value is None else []

    assert [p for o in plan.objects for p in nulls(o, o["kind"])] == []


def test_field_changes_show_values_but_hide_them_for_secrets() -> None:
    before = {"metadata": {"name": "x", "resourceVersion": "1"}, "spec": {"a": 1, "b": "old"}}
    after = {"metadata": {"name": "x", "resourceVersion": "2"}, "spec": {"a": 2, "c": True}}

    assert field_changes(before, after, sensitive=False) == (
        "spec.a: 1 -> 2",
        "spec.b: 'old' -> (absent)",
        "spec.c: (absent) -> True",
    )
    assert field_changes(before, after, sensitive=True) == (
        "spec.a: (value hidden)",
        "spec.b: (value hidden)",
        "spec.c: (value hidden)",
    )


def test_helm_command_line_pins_the_chart_version() -> None:
    release = HelmRelease(
        release="cloudnative-pg",
        namespace="cnpg-system",
        chart="cloudnative-pg",
        version="0.29.0",
        repository="https://cloudnative-pg.github.io/charts",
        wait=True,
        timeout_seconds=300,
    )

    argv = release.argv(
        "helm", [Path("/tmp/v.yaml")], kubeconfig=Path("/k"), context="prod", dry_run=True
    )

    assert argv == [
        "helm", "upgrade", "--install", "cloudnative-pg", "cloudnative-pg",
        "--repo", "https://cloudnative-pg.github.io/charts",
        "--version", "0.29.0", "--namespace", "cnpg-system", "--values", "/tmp/v.yaml",
        "--wait", "--timeout", "300s", "--kubeconfig", "/k", "--kube-context", "prod",
        "--dry-run=server",
    ]  # fmt: skip
    oci = HelmRelease("r", "ns", "cloudnative-pg", "0.29.0", "oci://ghcr.io/cloudnative-pg/charts")
    assert oci.chart_args() == ["oci://ghcr.io/cloudnative-pg/charts/cloudnative-pg"]


@pytest.mark.parametrize(
    ("manager", "problem"),
    [
        ("", "got ''"),
        ("x" * 129, "got 'xxxx"),
        ("bad\nmanager", "got 'bad\\nmanager'"),
    ],
)
def test_field_manager_is_checked_before_any_request(manager: str, problem: str) -> None:
    with pytest.raises(ApplyUsageError) as caught:
        ApplyOptions(field_manager=manager).check()

    assert str(caught.value).startswith("--field-manager: expected 1 to 128 printable characters, ")
    assert problem in str(caught.value)
    assert caught.value.exit_code == 2


def test_plugin_backups_install_the_plugin_release_after_the_operator() -> None:
    inputs = Inputs.from_mapping(
        {
            "backup_enabled": True,
            "backup_method": "barman_cloud_plugin",
            "image_name": "ghcr.io/cloudnative-pg/postgis:17-3.6-standard-trixie",
            "backup_destination_path": "s3://wildside-backups/pg",
            "backup_endpoint_url": "https://fra1.digitaloceanspaces.com",
            "backup_s3_credentials_secret_name": "do-spaces-credentials",
            "chart_repository": "oci://ghcr.io/cloudnative-pg/charts",
            "helm_values": {"config": {"clusterWide": True}},
            "helm_timeout": 300,
        }
    )

    releases = plan_for(inputs).releases

    assert [(r.release, r.namespace, r.version, r.timeout_seconds) for r in releases] == [
        ("cloudnative-pg", "cnpg-system", "0.29.0", 300),
        ("plugin-barman-cloud", "cnpg-system", "0.7.0", 300),
    ]
    assert [r.chart_args() for r in releases] == [
        ["oci://ghcr.io/cloudnative-pg/charts/cloudnative-pg"],
        ["oci://ghcr.io/cloudnative-pg/charts/plugin-barman-cloud"],
    ]
    assert [list(r.values) for r in releases] == [[{"config": {"clusterWide": True}}], []]
    kinds = [o["kind"] for o in plan_for(inputs).objects]
    assert kinds.index("ObjectStore") < kinds.index("Cluster")


def test_the_plans_secrets_are_the_inline_keys_as_typed_and_as_base64() -> None:
    """What an apply masks in the API server's messages: the sensitive inputs, which
    the S3 Secret holds, as typed and as the server keeps them."""
    inputs = Inputs.from_mapping(
        {
            "backup_enabled": True,
            "backup_method": "barman_object_store",
            "backup_destination_path": "s3://wildside-backups/pg",
            "backup_endpoint_url": "https://nyc3.digitaloceanspaces.com",
            "backup_s3_access_key_id": "AKIAEXAMPLE",
            "backup_s3_secret_access_key": "wJalr/K7+EXAMPLE",
            "backup_s3_inline_credentials_acknowledged": True,
        }
    )

    assert inputs.sensitive_values() == ("AKIAEXAMPLE", "wJalr/K7+EXAMPLE")
    assert plan_for(inputs).secrets == {
        "AKIAEXAMPLE",
        "QUtJQUVYQU1QTEU=",
        "wJalr/K7+EXAMPLE",
        "d0phbHIvSzcrRVhBTVBMRQ==",
    }
    assert plan_for(Inputs()).secrets == frozenset()
