"""HelmReleases: the CloudNativePG operator, and the Barman Cloud plugin beside it."""

from __future__ import annotations

from typing import Any

from ..inputs import Inputs
from ..kinds import HELM_RELEASE
from .charts import Chart, operator_chart, plugin_chart, uses_oci
from .common import Document, resource
from .sources import source_kind


def _helm_release(
    inputs: Inputs, chart: Chart, values: dict[str, Any] | None, depends_on: Chart | None
) -> Document:
    """Pinned chart, CRDs created and upgraded with the release, and upgrades that
    retry instead of rolling back: rolling an operator of stateful workloads back
    (with its CRDs) is riskier than retrying the upgrade."""
    source_ref = {
        "kind": source_kind(inputs).kind,
        "name": chart.source,
        "namespace": inputs.flux_namespace,
    }
    return resource(
        HELM_RELEASE,
        chart.release,
        inputs.operator_namespace,
        spec={
            "interval": inputs.flux_helm_release_interval,
            "releaseName": chart.release,
            "chart": None
            if uses_oci(inputs)
            else {
                "spec": {"chart": chart.chart, "version": chart.version, "sourceRef": source_ref}
            },
            # An OCIRepository pins the version itself (spec.ref.tag).
            "chartRef": source_ref if uses_oci(inputs) else None,
            "dependsOn": (
                [{"name": depends_on.release, "namespace": inputs.operator_namespace}]
                if depends_on
                else None
            ),
            "install": {"crds": "CreateReplace", "remediation": {"retries": 3}},
            "upgrade": {
                "crds": "CreateReplace",
                "strategy": {"name": "RetryOnFailure", "retryInterval": "5m"},
            },
            "values": values or None,
        },
    )


def helm_release(inputs: Inputs) -> Document:
    return _helm_release(inputs, operator_chart(inputs), inputs.helm_values_mapping(), None)


def plugin_helm_release(inputs: Inputs) -> Document | None:
    """The Barman Cloud plugin runs in the operator's namespace (it must) and needs the
    operator, and cert-manager, first."""
    chart = plugin_chart(inputs)
    if chart is None:
        return None
    return _helm_release(inputs, chart, None, operator_chart(inputs))
