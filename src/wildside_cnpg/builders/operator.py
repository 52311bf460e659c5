"""HelmReleases: the CloudNativePG operator, and the Barman Cloud plugin beside it."""

from __future__ import annotations

from typing import Any

from ..inputs import Inputs
from ..kinds import HELM_RELEASE
from ..shape import Chart, Shape
from .common import NEVER_PRUNE, Document, resource
from .sources import source_kind

# Retry without uninstalling, for install as for upgrade: helm-controller's default
# remediation uninstalls between tries and gives up after `retries`, which leaves an
# operator (or a plugin installed before cert-manager is ready) failed for good, and
# rolling an operator of stateful workloads back with its CRDs is riskier than
# retrying it.
_RETRY = {"name": "RetryOnFailure", "retryInterval": "5m"}


def _helm_release(
    inputs: Inputs,
    shape: Shape,
    chart: Chart,
    *,
    values: dict[str, Any] | None,
    depends_on: Chart | None,
    annotations: dict[str, str] | None,
) -> Document:
    source_ref = {
        "kind": source_kind(shape).kind,
        "name": chart.source,
        "namespace": shape.chart_sources_namespace,
    }
    return resource(
        HELM_RELEASE,
        chart.release,
        inputs.operator_namespace,
        annotations=annotations,
        spec={
            "interval": inputs.flux_helm_release_interval,
            "releaseName": chart.release,
            "serviceAccountName": inputs.flux_helm_release_service_account_name,
            "chart": None
            if shape.uses_oci
            else {
                "spec": {"chart": chart.chart, "version": chart.version, "sourceRef": source_ref}
            },
            # An OCIRepository pins the version itself (spec.ref.tag).
            "chartRef": source_ref if shape.uses_oci else None,
            "dependsOn": (
                [{"name": depends_on.release, "namespace": inputs.operator_namespace}]
                if depends_on
                else None
            ),
            "install": {"crds": "CreateReplace", "strategy": dict(_RETRY)},
            "upgrade": {"crds": "CreateReplace", "strategy": dict(_RETRY)},
            "values": values or None,
        },
    )


def helm_release(inputs: Inputs, shape: Shape) -> Document:
    """The operator's release. Never pruned: uninstalling the operator leaves every
    Cluster without failover, backups or reconciliation."""
    return _helm_release(
        inputs,
        shape,
        shape.operator_chart,
        values=inputs.helm_values_mapping(),
        depends_on=None,
        annotations=dict(NEVER_PRUNE),
    )


def plugin_helm_release(inputs: Inputs, shape: Shape, chart: Chart) -> Document:
    """The Barman Cloud plugin runs in the operator's namespace (it must) and needs the
    operator, and cert-manager, first."""
    return _helm_release(
        inputs, shape, chart, values=None, depends_on=shape.operator_chart, annotations=None
    )
