"""A PodMonitor for the instances' metrics (CNPG deprecated its own enablePodMonitor).

It selects every pod of the cluster with a `metrics` port: the instances, and the
PgBouncer pods of its Poolers, which carry `cnpg.io/cluster` too."""

from __future__ import annotations

from ..constants import CLUSTER_LABEL
from ..inputs import Inputs
from ..kinds import POD_MONITOR
from ..shape import Shape
from .common import Document, cluster_labels, resource


def pod_monitor(inputs: Inputs, shape: Shape) -> Document:
    """In monitoring_namespace (the cluster's by default), labelled for the Prometheus
    that selects it; from another namespace it names the cluster's."""
    elsewhere = shape.monitoring_namespace != shape.namespace
    return resource(
        POD_MONITOR,
        shape.cluster,
        shape.monitoring_namespace,
        labels=cluster_labels(shape.cluster) | dict(inputs.monitoring_labels),
        spec={
            "selector": {"matchLabels": {CLUSTER_LABEL: shape.cluster}},
            "namespaceSelector": {"matchNames": [shape.namespace]} if elsewhere else None,
            "podMetricsEndpoints": [{"port": "metrics"}],
        },
    )
