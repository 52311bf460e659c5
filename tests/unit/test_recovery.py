"""Backups that survive the next operator release, and recovery: the chart -> operator
table and the default images (pinned against the vendored upstream files), the rules
across the backup and recovery inputs (exact messages), what the builders render for
both methods, and what the outputs say."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests import layout
from wildside_cnpg import InputError, Inputs, Module
from wildside_cnpg.versions import (
    DEFAULT_IMAGES,
    IN_TREE_IMAGE,
    OPERATOR_RELEASES,
    PLUGIN_IMAGE,
    in_tree_barman_supported,
    operator_release,
)

DATA = Path(__file__).resolve().parents[1] / "data"
BACKUP: dict[str, Any] = {
    "backup_enabled": True,
    "backup_destination_path": "s3://wildside-backups/pg",
    "backup_endpoint_url": "https://nyc3.digitaloceanspaces.com",
    "backup_s3_credentials_secret_name": "s3",
}
IN_TREE = {**BACKUP, "backup_method": "barman_object_store"}
RECOVERY: dict[str, Any] = {
    "recovery_enabled": True,
    "recovery_source_destination_path": "s3://wildside-backups/old",
    "recovery_source_endpoint_url": "https://nyc3.digitaloceanspaces.com",
    "recovery_source_s3_credentials_secret_name": "old-s3",
}
ESO: dict[str, Any] = {
    "eso_enabled": True,
    "app_credentials_vault_path": "wildside/postgres/app",
    "superuser_credentials_vault_path": "wildside/postgres/superuser",
}


def problems(**values: Any) -> list[str]:
    with pytest.raises(InputError) as caught:
        Inputs(**values)
    return caught.value.problems


def cluster_spec(**values: Any) -> dict[str, Any]:
    (cluster,) = Module(Inputs(**values)).documents()[layout.cluster_file()]
    spec: dict[str, Any] = cluster["spec"]
    return spec


# --- The chart -> operator table and the default images ---------------------------


def test_the_table_knows_the_vendored_chart() -> None:
    chart = yaml.safe_load((DATA / "charts/cloudnative-pg/Chart.yaml").read_text())
    assert chart["version"] == "0.29.0"
    release = operator_release(chart["version"])
    assert release is not None
    assert chart["appVersion"].rsplit(".", 1)[0] == release.operator == "1.30"
    # The default chart of the inputs is the vendored one.
    assert Inputs().chart_version == chart["version"]


def test_the_table_of_operator_releases() -> None:
    assert [(r.chart_minor, r.operator, r.in_tree_barman) for r in OPERATOR_RELEASES] == [
        ("0.26", "1.27", True),
        ("0.27", "1.28", True),
        ("0.28", "1.29", True),
        ("0.29", "1.30", True),
        ("0.30", "1.31", False),
    ]
    assert operator_release("0.27.3") == OPERATOR_RELEASES[1]
    assert operator_release("0.31.0") is None
    # Older charts predate the removal; newer ones than the table are not trusted.
    assert [in_tree_barman_supported(v) for v in ("0.23.2", "0.29.1", "0.30.0", "0.31.0")] == [
        True,
        True,
        False,
        False,
    ]


@pytest.mark.parametrize(
    ("method", "catalog", "image"),
    [
        ("barman_cloud_plugin", "postgis-standard-trixie.yaml", PLUGIN_IMAGE),
        ("barman_object_store", "postgis-system-trixie.yaml", IN_TREE_IMAGE),
    ],
)
def test_default_images_are_the_catalogs_postgresql_16(
    method: str, catalog: str, image: str
) -> None:
    images = yaml.safe_load((DATA / "image-catalogs" / catalog).read_text())["spec"]["images"]
    (entry,) = [item for item in images if item["major"] == 16]
    assert DEFAULT_IMAGES[method] == image == entry["image"]  # type: ignore[index]
    assert cluster_spec(backup_method=method)["imageName"] == image


def test_the_default_tree_uses_the_plugin_and_its_image() -> None:
    inputs = Inputs(**BACKUP)
    assert inputs.backup_method == "barman_cloud_plugin"
    spec = cluster_spec(**BACKUP)
    assert spec["imageName"] == PLUGIN_IMAGE
    assert "backup" not in spec
    assert spec["plugins"][0]["isWALArchiver"] is True


# --- Rules across the inputs ------------------------------------------------------


def test_in_tree_backups_are_refused_with_an_operator_without_them() -> None:
    assert problems(**IN_TREE, chart_version="0.30.0") == [
        "backup_method: barman_object_store (in-tree Barman Cloud) is removed in CloudNativePG "
        "1.31, and chart_version '0.30.0' installs operator 1.31; expected backup_method "
        "barman_cloud_plugin, or a chart_version up to 0.29.x"
    ]
    assert problems(**IN_TREE, chart_version="0.31.2") == [
        "backup_method: barman_object_store (in-tree Barman Cloud) is removed in CloudNativePG "
        "1.31, and chart_version '0.31.2' is newer than the charts this version knows (up to "
        "0.30.x); expected backup_method barman_cloud_plugin, or a chart_version up to 0.29.x"
    ]
    # In-tree recovery needs it too; the plugin does not.
    assert problems(**RECOVERY, backup_method="barman_object_store", chart_version="0.30.1") == [
        "backup_method: barman_object_store (in-tree Barman Cloud) is removed in CloudNativePG "
        "1.31, and chart_version '0.30.1' installs operator 1.31; expected backup_method "
        "barman_cloud_plugin, or a chart_version up to 0.29.x"
    ]
    assert Inputs(**BACKUP, chart_version="0.30.0").chart_version == "0.30.0"
    assert Inputs(**IN_TREE, chart_version="0.28.4").chart_version == "0.28.4"
    # Without backups or recovery the method reads nothing.
    assert Inputs(backup_method="barman_object_store", chart_version="0.30.0")


def test_in_tree_recovery_needs_barman_cloud_in_the_image() -> None:
    standard = "ghcr.io/cloudnative-pg/postgis:16-3.6-standard-trixie"
    assert problems(**RECOVERY, backup_method="barman_object_store", image_name=standard) == [
        "image_name: in-tree Barman recovery need barman-cloud inside the image, expected a "
        "'system' PostGIS image (such as 16-3.6-system-trixie) or backup_method "
        f"barman_cloud_plugin, got '{standard}'"
    ]


def test_recovery_needs_a_source() -> None:
    assert problems(recovery_enabled=True) == [
        "recovery_source_destination_path: required when recovery_enabled is true; expected "
        "an S3 URI such as s3://bucket-name/path",
        "recovery_source_endpoint_url: required when recovery_enabled is true; expected an "
        "https:// URL such as https://nyc3.digitaloceanspaces.com",
        "recovery source credentials: expected exactly one source when recovery_enabled is "
        "true (recovery_source_credentials_vault_path with eso_enabled, "
        "recovery_source_s3_credentials_secret_name, or recovery_source_inherit_from_iam_role), "
        "got none",
    ]
    assert problems(**RECOVERY, recovery_source_credentials_vault_path="wildside/old") == [
        "recovery source credentials: expected exactly one source when recovery_enabled is "
        "true (recovery_source_credentials_vault_path with eso_enabled, "
        "recovery_source_s3_credentials_secret_name, or recovery_source_inherit_from_iam_role), "
        "got "
        "recovery_source_credentials_vault_path, recovery_source_s3_credentials_secret_name",
        "recovery_source_credentials_vault_path: needs eso_enabled true (an ExternalSecret "
        "fetches the keys from Vault)",
    ]


def test_a_target_only_with_recovery() -> None:
    assert problems(recovery_target_lsn="0/3000060", recovery_target_immediate=True) == [
        "recovery_target_lsn: set while recovery_enabled is false (nothing would read it)",
        "recovery_target_immediate: set while recovery_enabled is false (nothing would read it)",
    ]
    assert problems(recovery_source_server_name="old") == [
        "recovery_source_server_name: set while recovery_enabled is false (nothing would read it)"
    ]


def test_at_most_one_target() -> None:
    assert problems(
        **RECOVERY, recovery_target_time="2026-01-01T00:00:00Z", recovery_target_lsn="0/1"
    ) == [
        "recovery target: expected at most one of recovery_target_time, recovery_target_lsn, "
        "recovery_target_xid, recovery_target_name, recovery_target_immediate, got "
        "recovery_target_time, recovery_target_lsn"
    ]


@pytest.mark.parametrize(
    ("target", "value"),
    [
        ("recovery_target_xid", 1234),
        ("recovery_target_name", "before-migration"),
        ("recovery_target_immediate", True),
    ],
)
def test_targets_cnpg_cannot_find_a_backup_for_need_one(target: str, value: Any) -> None:
    assert problems(**RECOVERY, **{target: value}) == [
        f"recovery_backup_id: required with {target} (CNPG picks the base backup itself only "
        "for a time or LSN target); expected a Barman backup ID such as 20260801T093000 "
        "(wildside-cnpg backups list shows them)"
    ]
    assert Inputs(**RECOVERY, recovery_backup_id="20260801T093000", **{target: value})


def test_a_target_time_in_the_future_is_refused() -> None:
    later = (datetime.now(UTC) + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert problems(**RECOVERY, recovery_target_time=later) == [
        f"recovery_target_time: expected a time that is not in the future, got '{later}' "
        "(recovery would replay every WAL and then fail)"
    ]


def test_target_forms() -> None:
    assert problems(**RECOVERY, recovery_target_time="2026-01-01 00:00:00") == [
        "recovery_target_time: expected an RFC 3339 time with a time zone, such as "
        "2026-08-01T09:30:00Z or 2026-08-01T11:30:00.250+02:00, got '2026-01-01 00:00:00'"
    ]
    assert problems(**RECOVERY, recovery_target_time="2026-02-30T00:00:00Z") == [
        "recovery_target_time: expected an RFC 3339 time with a time zone, such as "
        "2026-08-01T09:30:00Z or 2026-08-01T11:30:00.250+02:00, got '2026-02-30T00:00:00Z'"
    ]
    assert problems(**RECOVERY, recovery_target_xid=2**32) == [
        "recovery_target_xid: expected a whole number from 3 to 4294967295, got 4294967296"
    ]
    assert problems(**RECOVERY, recovery_target_lsn="0/3000060\n") == [
        "recovery_target_lsn: expected a PostgreSQL LSN such as 0/3000060 (two hexadecimal "
        "numbers), got '0/3000060\\n'"
    ]
    assert problems(**RECOVERY, recovery_target_name="a\tb") == [
        "recovery_target_name: expected a restore point name (as given to "
        "pg_create_restore_point) of 1 to 63 bytes without control characters, got 'a\\tb'"
    ]
    assert problems(**RECOVERY, recovery_target_name="é" * 32) == [
        "recovery_target_name: expected a restore point name (as given to "
        f"pg_create_restore_point) of 1 to 63 bytes without control characters, got '{'é' * 32}'"
    ]


def test_the_source_is_not_the_new_clusters_own_archive() -> None:
    own = {**RECOVERY, "recovery_source_destination_path": "s3://wildside-backups/pg/"}
    assert problems(**BACKUP, **own) == [
        "backup_server_name: the new cluster would archive to s3://wildside-backups/pg/"
        "wildside-pg, the archive it recovers from; CNPG refuses to archive into an archive "
        "that holds WAL ('Expected empty archive'); expected another backup_server_name (such "
        "as wildside-pg-2) or backup_destination_path"
    ]
    # Another server name (either side) is another archive.
    assert Inputs(**BACKUP, **own, backup_server_name="wildside-pg-2")
    assert Inputs(**BACKUP, **own, recovery_source_server_name="wildside-pg-16")


def test_one_bootstrap_postgis_extensions_are_initdbs() -> None:
    assert problems(**RECOVERY, postgis_extensions=["postgis"]) == [
        "postgis_extensions: set while recovery_enabled is true (a recovered cluster has the "
        "extensions of its backup: bootstrap.initdb, which would create them, does not run)"
    ]


def test_sidecar_requests_at_most_its_limits() -> None:
    assert problems(
        barman_cloud_plugin_sidecar_resource_requests={"cpu": "1", "memory": "1Gi"}
    ) == [
        "barman_cloud_plugin_sidecar_resource_requests.cpu: expected at most "
        "barman_cloud_plugin_sidecar_resource_limits.cpu '500m', got '1'",
        "barman_cloud_plugin_sidecar_resource_requests.memory: expected at most "
        "barman_cloud_plugin_sidecar_resource_limits.memory '512Mi', got '1Gi'",
    ]


# --- What the builders render --------------------------------------------------------


@pytest.mark.parametrize("method", ["barman_cloud_plugin", "barman_object_store"])
def test_the_server_name_reaches_the_archive_for_both_methods(method: str) -> None:
    spec = cluster_spec(**BACKUP, backup_method=method, backup_server_name="wildside-pg-17")
    if method == "barman_cloud_plugin":
        assert spec["plugins"][0]["parameters"] == {
            "barmanObjectName": "wildside-pg-object-store",
            "serverName": "wildside-pg-17",
        }
        docs = Module(Inputs(**BACKUP, backup_server_name="x1")).documents()
        (store,) = docs[layout.cluster_layer("object-store.yaml")]
        assert "serverName" not in store["spec"]["configuration"]  # the CRD refuses it
    else:
        assert spec["backup"]["barmanObjectStore"]["serverName"] == "wildside-pg-17"
    # Unset: the cluster's name.
    default = cluster_spec(**BACKUP, backup_method=method)
    found = (
        default["plugins"][0]["parameters"]["serverName"]
        if method == "barman_cloud_plugin"
        else default["backup"]["barmanObjectStore"]["serverName"]
    )
    assert found == "wildside-pg"


def test_plugin_recovery_renders_a_source_store_and_the_plugin_entry() -> None:
    values = {
        **ESO,
        **RECOVERY,
        "recovery_source_s3_credentials_secret_name": None,
        "recovery_source_credentials_vault_path": "wildside/postgres/old-s3",
        "recovery_source_server_name": "wildside-pg-16",
        "recovery_target_time": "2026-08-01T09:30:00+02:00",
    }
    docs = Module(Inputs(**values)).documents()
    (cluster,) = docs[layout.cluster_file()]
    spec = cluster["spec"]
    assert spec["bootstrap"] == {
        "recovery": {
            "source": "recovery-source",
            "recoveryTarget": {"targetTime": "2026-08-01T09:30:00+02:00"},
            "database": "wildside_prod",
            "owner": "wildside_user",
            "secret": {"name": "wildside-pg-app-credentials"},
        }
    }
    assert spec["externalClusters"] == [
        {
            "name": "recovery-source",
            "plugin": {
                "name": "barman-cloud.cloudnative-pg.io",
                "parameters": {
                    "barmanObjectName": "wildside-pg-recovery-source",
                    "serverName": "wildside-pg-16",
                },
            },
        }
    ]
    # No backups: nothing archives.
    assert "plugins" not in spec
    assert "env" not in spec
    (store,) = docs[layout.cluster_layer("recovery-object-store.yaml")]
    assert store["metadata"]["name"] == "wildside-pg-recovery-source"
    assert store["spec"]["configuration"] == {
        "destinationPath": "s3://wildside-backups/old",
        "endpointURL": "https://nyc3.digitaloceanspaces.com",
        "s3Credentials": {
            "accessKeyId": {"name": "wildside-pg-recovery-s3-credentials", "key": "ACCESS_KEY_ID"},
            "secretAccessKey": {
                "name": "wildside-pg-recovery-s3-credentials",
                "key": "SECRET_ACCESS_KEY",
            },
        },
    }
    # Read only: no retention on someone else's archive; the recovery job's sidecar
    # takes its resources from here.
    assert "retentionPolicy" not in store["spec"]
    assert store["spec"]["instanceSidecarConfiguration"]["resources"]["limits"] == {
        "cpu": "500m",
        "memory": "512Mi",
    }
    (secret,) = docs[layout.credentials("external-secret-recovery.yaml")]
    assert secret["spec"]["target"]["name"] == "wildside-pg-recovery-s3-credentials"
    assert [item["remoteRef"]["key"] for item in secret["spec"]["data"]] == [
        "wildside/postgres/old-s3",
        "wildside/postgres/old-s3",
    ]
    # The plugin is installed with the operator for the recovery alone.
    assert layout.PLUGIN_RELEASE in docs


def test_in_tree_recovery_renders_the_source_in_the_cluster() -> None:
    spec = cluster_spec(
        **RECOVERY,
        backup_method="barman_object_store",
        recovery_target_lsn="0/3000060",
    )
    assert spec["bootstrap"]["recovery"] == {
        "source": "recovery-source",
        "recoveryTarget": {"targetLSN": "0/3000060"},
        "database": "wildside_prod",
        "owner": "wildside_user",
    }
    assert spec["externalClusters"] == [
        {
            "name": "recovery-source",
            "barmanObjectStore": {
                "destinationPath": "s3://wildside-backups/old",
                "endpointURL": "https://nyc3.digitaloceanspaces.com",
                "serverName": "wildside-pg",
                "s3Credentials": {
                    "accessKeyId": {"name": "old-s3", "key": "ACCESS_KEY_ID"},
                    "secretAccessKey": {"name": "old-s3", "key": "SECRET_ACCESS_KEY"},
                },
            },
        }
    ]
    # barman-cloud-restore runs in the instance: it gets the checksum environment.
    assert spec["env"][0] == {"name": "AWS_REQUEST_CHECKSUM_CALCULATION", "value": "when_required"}
    assert spec["imageName"] == IN_TREE_IMAGE


@pytest.mark.parametrize(
    ("values", "target"),
    [
        ({"recovery_target_xid": 4321}, {"targetXID": "4321"}),
        ({"recovery_target_name": "before-migration"}, {"targetName": "before-migration"}),
        ({"recovery_target_immediate": True}, {"targetImmediate": True}),
    ],
)
def test_labelled_targets_name_their_backup(values: dict[str, Any], target: dict[str, Any]) -> None:
    spec = cluster_spec(**RECOVERY, **values, recovery_backup_id="20260801T093000")
    assert spec["bootstrap"]["recovery"]["recoveryTarget"] == {
        "backupID": "20260801T093000",
        **target,
    }


def test_without_a_target_recovery_replays_all_the_wal() -> None:
    assert "recoveryTarget" not in cluster_spec(**RECOVERY)["bootstrap"]["recovery"]


# --- Outputs ------------------------------------------------------------------------


def test_outputs_say_how_the_cluster_was_bootstrapped() -> None:
    def bootstrap(**values: Any) -> Any:
        return Module(Inputs(**values)).outputs()["sync_policy_contract"]["value"]["bootstrap"]

    assert bootstrap() == {"method": "initdb", "source": None}
    assert bootstrap(
        **RECOVERY, recovery_backup_id="20260801T093000", recovery_target_immediate=True
    ) == {
        "method": "recovery",
        "source": {
            "destination_path": "s3://wildside-backups/old",
            "endpoint_url": "https://nyc3.digitaloceanspaces.com",
            "server_name": "wildside-pg",
            "backup_id": "20260801T093000",
            "target": {"kind": "immediate", "value": True},
        },
    }
    contract = Module(Inputs(**BACKUP, backup_server_name="pg-17")).outputs()
    assert contract["sync_policy_contract"]["value"]["backup"]["server_name"] == "pg-17"
    # No credentials reach the outputs.
    assert "old-s3" not in str(bootstrap(**RECOVERY))
