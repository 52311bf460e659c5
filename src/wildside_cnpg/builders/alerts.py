"""A PrometheusRule with a small set of alerts on one cluster's health.

The metrics are those CNPG 1.30 exports on each instance's `metrics` port: its
collector (`cnpg_collector_*`, pkg/management/postgres/webserver/metricserver) and the
default monitoring queries of the operator chart 0.29.0 (`cnpg_<query>_<column>`:
`cnpg_pg_replication_*`, `cnpg_pg_stat_archiver_*`, `cnpg_backends_total`,
`cnpg_pg_settings_setting`); the Barman Cloud plugin 0.13's backup timestamp
(`barman_cloud_cloudnative_pg_io_*`); and the kubelet's volume statistics. Series
are selected by namespace and instance pod (`<cluster>-<serial>`), which leaves the
poolers' pods out, as the upstream cluster chart's rules do.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..inputs import Inputs
from ..inputs.derived import backup_max_age_hours
from ..kinds import PROMETHEUS_RULE
from ..shape import BackupShape, Shape
from .common import Document, cluster_labels, resource

# The metric of the last successful backup, by backup method (in-tree Barman sets
# the Cluster's status; the plugin exports its ObjectStore's own).
BACKUP_TIMESTAMP = {
    "barman_object_store": "cnpg_collector_last_available_backup_timestamp",
    "barman_cloud_plugin": "barman_cloud_cloudnative_pg_io_last_available_backup_timestamp",
}


@dataclass(frozen=True)
class Alert:
    name: str
    expr: str
    duration: str  # how long the condition holds before the alert fires
    severity: str
    summary: str
    description: str


def _status(shape: Shape) -> str:
    return f"`kubectl cnpg status {shape.cluster} -n {shape.namespace}`"


def _credentials(shape: Shape, backup: BackupShape) -> str:
    """Where barman-cloud's S3 credentials come from, for the one who checks them."""
    if backup.secret is None:
        # CNPG names the instances' ServiceAccount after the cluster.
        return (
            "the IAM role of the instances' ServiceAccount "
            f"{shape.namespace}/{shape.cluster} (pods get it when they are created)"
        )
    return f"the credentials in Secret {shape.namespace}/{backup.secret}"


def alerts(inputs: Inputs, shape: Shape) -> list[Alert]:
    cluster, namespace = shape.cluster, shape.namespace
    where = f"{namespace}/{cluster}"
    pods = f'namespace="{namespace}", pod=~"{cluster}-[1-9][0-9]*"'
    volumes = f'namespace="{namespace}", persistentvolumeclaim=~"{cluster}-[1-9][0-9]*(-wal)?"'
    instances = inputs.instances
    result = [
        Alert(
            "CNPGClusterNoPrimary",
            f"(count(cnpg_pg_replication_in_recovery{{{pods}}} == 0 and on (namespace, pod) "
            f"cnpg_collector_up{{{pods}}} == 1) or on () vector(0)) == 0",
            "2m",
            "critical",
            f"Cluster {where} has no ready primary",
            f"No instance of {where} runs as a primary that accepts connections, so writes "
            f"through {shape.primary_service} fail. A failover normally ends within a minute. "
            f"Check {_status(shape)}, the Cluster's status (phase, currentPrimary), the "
            "operator's logs, and the instance pods' events and logs.",
        ),
        Alert(
            "CNPGClusterInstancesNotReady",
            f"(count(cnpg_collector_up{{{pods}}} == 1) or on () vector(0)) < {instances}",
            "5m",
            "warning",
            f"Cluster {where} has fewer ready instances than the {instances} wanted",
            f"Only {{{{ $value }}}} of the {instances} PostgreSQL instances of {where} are up, "
            "so a further failure may lose the primary or its replicas. Check "
            f"`kubectl get pods -n {namespace} -l cnpg.io/cluster={cluster}` (Pending: no node "
            "or volume for it; CrashLoopBackOff: its logs), their PersistentVolumeClaims, "
            f"and {_status(shape)}.",
        ),
        Alert(
            "CNPGClusterReplicationLag",
            f"max by (namespace, pod) (cnpg_pg_replication_lag{{{pods}}}) "
            f"> {inputs.alerts_replication_lag_seconds}",
            "5m",
            "warning",
            f"A replica of {where} lags behind the primary",
            "Replica {{ $labels.pod }} replays WAL {{ $value | humanizeDuration }} behind the "
            f"primary (threshold {inputs.alerts_replication_lag_seconds}s): reads through the "
            "-ro and -r services see old data, and a failover to it would wait for the replay. "
            "Check the network between the nodes, the replica's disk and CPU, long queries "
            f"on the replica that hold replay back, and {_status(shape)}.",
        ),
    ]
    backup = shape.backup
    if backup is not None:
        max_age = backup_max_age_hours(inputs) or 0
        stamp = BACKUP_TIMESTAMP[backup.method]
        result += [
            Alert(
                "CNPGClusterWALArchivingFailing",
                f"max by (namespace, pod) (cnpg_pg_stat_archiver_last_failed_time{{{pods}}} "
                f"- cnpg_pg_stat_archiver_last_archived_time{{{pods}}}) > 0",
                "5m",
                "critical",
                f"WAL archiving of {where} is failing",
                "The last attempt of {{ $labels.pod }} to archive a WAL segment failed: WAL "
                "piles up on its volume until archiving recovers, and point-in-time recovery "
                "ends at the last archived segment. Check the pod's logs for barman-cloud "
                f"errors, the object store {backup.destination_path} and its endpoint, and "
                f"{_credentials(shape, backup)}.",
            ),
            Alert(
                "CNPGClusterBackupTooOld",
                f"time() - max({stamp}{{{pods}}}) > {max_age * 3600}",
                "10m",
                "warning",
                f"The last successful backup of {where} is too old",
                "The last successful backup of "
                f"{where} finished {{{{ $value | humanizeDuration }}}} ago, longer than the "
                f"schedule '{inputs.backup_schedule}' allows ({max_age}h). Check the "
                f"ScheduledBackup {backup.scheduled_backup}, the newest Backups and their "
                f"status.error (`kubectl get backups -n {namespace}`), the object store and "
                "its credentials.",
            ),
        ]
    result += [
        Alert(
            "CNPGClusterVolumeNearlyFull",
            "max by (namespace, persistentvolumeclaim) (100 * (1 - "
            f"kubelet_volume_stats_available_bytes{{{volumes}}} / "
            f"kubelet_volume_stats_capacity_bytes{{{volumes}}})) "
            f"> {inputs.alerts_volume_usage_percent}",
            "5m",
            "warning",
            f"A volume of {where} is nearly full",
            "Volume {{ $labels.persistentvolumeclaim }} is {{ $value | humanize }}% full "
            f"(threshold {inputs.alerts_volume_usage_percent}%); PostgreSQL stops when it is "
            "full. Check what grows: the databases, or WAL kept back by failing archiving or an "
            "inactive replication slot; then grow storage_size (volumes grow, never shrink).",
        ),
        Alert(
            "CNPGClusterConnectionsNearMax",
            f"100 * sum by (namespace, pod) (cnpg_backends_total{{{pods}}}) / max by "
            f'(namespace, pod) (cnpg_pg_settings_setting{{name="max_connections", {pods}}}) '
            f"> {inputs.alerts_connections_percent}",
            "5m",
            "warning",
            f"An instance of {where} nears max_connections",
            "{{ $labels.pod }} uses {{ $value | humanize }}% of max_connections "
            f"(threshold {inputs.alerts_connections_percent}%); new connections are refused "
            "once it is reached. Check the connections by application and state "
            "(cnpg_backends_total), idle or leaked ones, and put PgBouncer in front "
            "(pooler_enabled) or raise max_connections.",
        ),
    ]
    return result


def prometheus_rule(inputs: Inputs, shape: Shape) -> Document:
    labels = {"severity": "", "namespace": shape.namespace, "cnpg_cluster": shape.cluster}
    rules = [
        {
            "alert": alert.name,
            "expr": alert.expr,
            "for": alert.duration,
            "labels": labels | {"severity": alert.severity},
            "annotations": {"summary": alert.summary, "description": alert.description},
        }
        for alert in alerts(inputs, shape)
    ]
    return resource(
        PROMETHEUS_RULE,
        shape.alert_rule or "",
        shape.monitoring_namespace,
        labels=cluster_labels(shape.cluster) | dict(inputs.monitoring_labels),
        spec={"groups": [{"name": f"{shape.namespace}/{shape.cluster}", "rules": rules}]},
    )
