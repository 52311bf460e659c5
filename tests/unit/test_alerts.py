"""Alerts and the Prometheus Operator objects: the inputs' rules with their exact
messages, the schedule's longest interval, the PrometheusRule and the PodMonitor
(promtool tests the expressions themselves: tests/alerts)."""

from __future__ import annotations

from typing import Any

import pytest

from tests import layout
from wildside_cnpg import InputError, Inputs, Module
from wildside_cnpg.inputs.cadence import longest_interval

ALERTS: dict[str, Any] = {"monitoring_enabled": True, "alerts_enabled": True}
BACKUP: dict[str, Any] = {
    "backup_enabled": True,
    "backup_destination_path": "s3://wildside-backups/pg",
    "backup_endpoint_url": "https://nyc3.digitaloceanspaces.com",
    "backup_s3_credentials_secret_name": "wildside-s3",
}
HOUR = 3600.0
DAY = 24 * HOUR


def problems(**values: Any) -> list[str]:
    with pytest.raises(InputError) as raised:
        Inputs(**values)
    return str(raised.value).splitlines()


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (
            {"alerts_enabled": True},
            [
                "alerts_enabled: needs monitoring_enabled true (the alerts read the metrics "
                "the PodMonitor scrapes)"
            ],
        ),
        (
            {"monitoring_enabled": True, "alerts_replication_lag_seconds": 30},
            [
                "alerts_replication_lag_seconds: set while alerts_enabled is false (no alert "
                "would use it)"
            ],
        ),
        (
            {"monitoring_namespace": "monitoring", "monitoring_labels": {"release": "kps"}},
            [
                "monitoring_namespace: set while monitoring_enabled is false (no PodMonitor or "
                "PrometheusRule would carry it)",
                "monitoring_labels: set while monitoring_enabled is false (no PodMonitor or "
                "PrometheusRule would carry it)",
            ],
        ),
        (
            {"monitoring_enabled": True, "monitoring_labels": {"bad key!": "x"}},
            [
                "monitoring_labels: expected label keys such as release or example.com/team "
                "([prefix/]name: a name of letters, digits, '-', '_' and '.' of at most 63 "
                "characters, an optional DNS subdomain prefix), got 'bad key!'"
            ],
        ),
        (
            {"monitoring_enabled": True, "monitoring_labels": {"Example.com/team": "x"}},
            [
                "monitoring_labels: expected label keys such as release or example.com/team "
                "([prefix/]name: a name of letters, digits, '-', '_' and '.' of at most 63 "
                "characters, an optional DNS subdomain prefix), got 'Example.com/team'"
            ],
        ),
        (
            {"monitoring_enabled": True, "monitoring_labels": {"cnpg.io/cluster": "other"}},
            [
                "monitoring_labels: 'cnpg.io/cluster' is a label the tool sets itself; "
                "expected another key"
            ],
        ),
        (
            {"monitoring_enabled": True, "monitoring_labels": {"release": "kube prometheus"}},
            [
                "monitoring_labels.release: expected a Kubernetes label value (letters, digits, "
                "'-', '_' and '.', starting and ending with a letter or digit, at most 63 "
                "characters), got 'kube prometheus'"
            ],
        ),
        (
            {**ALERTS, "alerts_backup_max_age_hours": 30},
            ["alerts_backup_max_age_hours: set while backup_enabled is false (no backup to watch)"],
        ),
        (
            {**ALERTS, **BACKUP, "alerts_backup_max_age_hours": 20},
            [
                "alerts_backup_max_age_hours: expected at least 24 (the longest interval between "
                "two backups of backup_schedule '0 0 0 * * *'), got 20"
            ],
        ),
        (
            {**ALERTS, **BACKUP, "backup_schedule": "0 0 0 30 2 *"},
            [
                "alerts_backup_max_age_hours: required when backup_schedule '0 0 0 30 2 *' does "
                "not repeat within eight years; expected a number of hours"
            ],
        ),
        (
            {**ALERTS, "alerts_volume_usage_percent": 100},
            ["alerts_volume_usage_percent: expected a whole number from 1 to 99, got 100"],
        ),
        (
            {**ALERTS, "alerts_connections_percent": 0},
            ["alerts_connections_percent: expected a whole number from 1 to 99, got 0"],
        ),
        (
            {**ALERTS, "alerts_replication_lag_seconds": 86_401},
            ["alerts_replication_lag_seconds: expected a whole number from 1 to 86400, got 86401"],
        ),
    ],
)
def test_alert_rules(values: dict[str, Any], expected: list[str]) -> None:
    assert problems(**values) == expected


@pytest.mark.parametrize(
    ("schedule", "seconds"),
    [
        ("0 0 0 * * *", DAY),
        ("@daily", DAY),
        ("@hourly", HOUR),
        ("@weekly", 7 * DAY),
        ("@monthly", 31 * DAY),
        ("@yearly", 366 * DAY),
        ("@every 6h", 6 * HOUR),
        ("@every 1h30m", 1.5 * HOUR),
        ("0 30 2 * * *", DAY),
        # Twice a day, unevenly: 02:00 and 14:30; the longer wait is 14:30 -> 02:00.
        ("0 0,30 2,14 * * *", 11.5 * HOUR),
        ("0 0 */6 * * *", 6 * HOUR),
        # Weekdays only: Friday night to Monday night.
        ("0 0 1 * * MON-FRI", 3 * DAY),
        ("0 0 1 * * 1-5", 3 * DAY),
        # Day of month and day of week both restricted: either one (robfig/cron).
        ("0 0 0 1 * SUN", 7 * DAY),
        # Every 15 seconds.
        ("*/15 * * * * *", 15.0),
        # 29 February: every fourth year.
        ("0 0 0 29 2 *", 1461 * DAY),
        ("0 0 0 1 JAN,JUL *", 184 * DAY),
    ],
)
def test_longest_interval_of_a_schedule(schedule: str, seconds: float) -> None:
    assert longest_interval(schedule) == seconds


def test_a_schedule_that_never_repeats_has_no_interval() -> None:
    assert longest_interval("0 0 0 30 2 *") is None
    assert longest_interval("0 0 0 31 4 *") is None


def rule(**values: Any) -> dict[str, Any]:
    docs = Module(Inputs(**ALERTS, **values)).documents()
    (document,) = docs[
        layout.addons("prometheus-rule.yaml", values.get("cluster_name", "wildside-pg"))
    ]
    return document


def alerts_of(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    (group,) = document["spec"]["groups"]
    return {item["alert"]: item for item in group["rules"]}


def test_off_by_default() -> None:
    assert not [path for path in Module(Inputs(monitoring_enabled=True)).render() if "rule" in path]


def test_the_rule_without_backups_has_no_backup_alerts() -> None:
    document = rule(cluster_name="geo", cluster_namespace="gis", instances=5)
    assert document["apiVersion"] == "monitoring.coreos.com/v1"
    assert document["metadata"]["name"] == "geo-alerts"
    assert document["metadata"]["namespace"] == "gis"
    assert document["spec"]["groups"][0]["name"] == "gis/geo"
    alerts = alerts_of(document)
    assert list(alerts) == [
        "CNPGClusterNoPrimary",
        "CNPGClusterInstancesNotReady",
        "CNPGClusterReplicationLag",
        "CNPGClusterVolumeNearlyFull",
        "CNPGClusterConnectionsNearMax",
    ]
    assert alerts["CNPGClusterInstancesNotReady"]["expr"] == (
        '(count(cnpg_collector_up{namespace="gis", pod=~"geo-[1-9][0-9]*"} == 1) '
        "or on () vector(0)) < 5"
    )
    for item in alerts.values():
        assert item["labels"]["namespace"] == "gis"
        assert item["labels"]["cnpg_cluster"] == "geo"
        assert item["labels"]["severity"] in {"critical", "warning"}
        assert item["annotations"]["summary"]
        assert "Check" in item["annotations"]["description"]


def test_thresholds_come_from_the_inputs() -> None:
    alerts = alerts_of(
        rule(
            **BACKUP,
            backup_method="barman_object_store",
            backup_schedule="@weekly",
            alerts_replication_lag_seconds=300,
            alerts_volume_usage_percent=90,
            alerts_connections_percent=75,
        )
    )
    assert alerts["CNPGClusterReplicationLag"]["expr"].endswith(") > 300")
    assert alerts["CNPGClusterVolumeNearlyFull"]["expr"].endswith(") > 90")
    assert alerts["CNPGClusterConnectionsNearMax"]["expr"].endswith("}) > 75")
    # A week plus a quarter of it: 210 hours.
    assert alerts["CNPGClusterBackupTooOld"]["expr"] == (
        "time() - max(cnpg_collector_last_available_backup_timestamp"
        '{namespace="databases", pod=~"wildside-pg-[1-9][0-9]*"}) > 756000'
    )
    assert "(210h)" in alerts["CNPGClusterBackupTooOld"]["annotations"]["description"]
    given = alerts_of(rule(**BACKUP, alerts_backup_max_age_hours=48))["CNPGClusterBackupTooOld"]
    assert given["expr"].endswith(") > 172800")


def test_the_plugins_backups_are_read_from_its_own_metric() -> None:
    alerts = alerts_of(
        rule(
            **BACKUP,
            backup_method="barman_cloud_plugin",
            image_name="ghcr.io/cloudnative-pg/postgis:16-3.6-standard-trixie",
        )
    )
    assert alerts["CNPGClusterBackupTooOld"]["expr"].startswith(
        "time() - max(barman_cloud_cloudnative_pg_io_last_available_backup_timestamp{"
    )
    assert alerts["CNPGClusterWALArchivingFailing"]["labels"]["severity"] == "critical"


def test_monitoring_namespace_and_labels_for_the_prometheus_selectors() -> None:
    docs = Module(
        Inputs(
            **ALERTS,
            monitoring_namespace="monitoring",
            monitoring_labels={"release": "kube-prometheus-stack"},
        )
    ).documents()
    (monitor,) = docs[layout.addons("podmonitor.yaml")]
    (document,) = docs[layout.addons("prometheus-rule.yaml")]
    for doc in (monitor, document):
        assert doc["metadata"]["namespace"] == "monitoring"
        assert doc["metadata"]["labels"]["release"] == "kube-prometheus-stack"
        assert doc["metadata"]["labels"]["cnpg.io/cluster"] == "wildside-pg"
    assert monitor["spec"]["namespaceSelector"] == {"matchNames": ["databases"]}
    assert monitor["spec"]["selector"] == {"matchLabels": {"cnpg.io/cluster": "wildside-pg"}}
    # The alerts still name the cluster's namespace.
    for item in alerts_of(document).values():
        assert 'namespace="databases"' in item["expr"]


def test_the_pod_monitor_in_the_clusters_namespace_selects_no_namespace() -> None:
    (monitor,) = Module(Inputs(monitoring_enabled=True)).documents()[
        layout.addons("podmonitor.yaml")
    ]
    assert monitor["metadata"]["namespace"] == "databases"
    assert "namespaceSelector" not in monitor["spec"]


def test_the_rule_sits_in_the_addons_layer() -> None:
    shape = Module(Inputs(**ALERTS)).shape
    (file,) = [file for file in shape.files if file.content == "prometheus-rule"]
    assert file.layer == "addons"
