"""Monitoring inputs: where the Prometheus Operator objects go and what selects them,
and the alerts of the PrometheusRule with their thresholds."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from .base import InputFields
from .types import LABEL_KEY_PATTERN, DNSLabel, JsonSchemaHint, LabelValue

LabelMap = Annotated[
    dict[str, LabelValue], JsonSchemaHint(propertyNames={"pattern": LABEL_KEY_PATTERN})
]


class MonitoringInputs(InputFields):
    monitoring_namespace: DNSLabel | None = Field(
        None,
        description="Namespace of the PodMonitor and the PrometheusRule, where your Prometheus "
        "looks for them (default cluster_namespace)",
    )
    monitoring_labels: LabelMap = Field(
        default_factory=dict,
        description="Labels on the PodMonitor and the PrometheusRule that your Prometheus "
        "selects them by (podMonitorSelector, ruleSelector), such as release: "
        "kube-prometheus-stack",
    )
    alerts_enabled: bool = Field(
        False,
        description="Render a PrometheusRule with alerts on the cluster's health; needs "
        "monitoring_enabled (the alerts read the metrics the PodMonitor scrapes)",
    )
    alerts_replication_lag_seconds: int = Field(
        60,
        ge=1,
        le=86_400,
        description="Alert when a replica replays WAL this many seconds behind the primary",
    )
    alerts_volume_usage_percent: int = Field(
        80,
        ge=1,
        le=99,
        description="Alert when an instance's volume is fuller than this (kubelet volume metrics)",
    )
    alerts_connections_percent: int = Field(
        80,
        ge=1,
        le=99,
        description="Alert when an instance has more connections than this share of "
        "max_connections",
    )
    alerts_backup_max_age_hours: int | None = Field(
        None,
        ge=1,
        le=8_784,
        description="With backups: alert when the last successful backup is older than this "
        "(default: the schedule's longest interval between two backups plus a quarter)",
    )
