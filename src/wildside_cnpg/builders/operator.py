"""The CloudNativePG operator's HelmRelease."""

from __future__ import annotations

from ..inputs import Inputs
from ..kinds import HELM_RELEASE
from .common import Document, resource
from .sources import source_kind, uses_oci


def _source_ref(inputs: Inputs) -> dict[str, str]:
    return {
        "kind": source_kind(inputs).kind,
        "name": inputs.flux_helm_repository_name,
        "namespace": inputs.flux_namespace,
    }


def _chart_spec(inputs: Inputs) -> Document:
    return {
        "chart": inputs.chart_name,
        "version": inputs.chart_version,
        "sourceRef": _source_ref(inputs),
    }


def _chart_ref(inputs: Inputs) -> Document:
    return _source_ref(inputs)


def helm_release(inputs: Inputs) -> Document:
    """Pinned chart, CRDs created and upgraded with the release, and upgrades that
    retry instead of rolling back: rolling an operator of stateful workloads back
    (with its CRDs) is riskier than retrying the upgrade."""
    return resource(
        HELM_RELEASE,
        inputs.helm_release_name,
        inputs.operator_namespace,
        spec={
            "interval": inputs.flux_helm_release_interval,
            "releaseName": inputs.helm_release_name,
            "chart": None if uses_oci(inputs) else {"spec": _chart_spec(inputs)},
            # An OCIRepository pins the version itself (spec.ref.tag).
            "chartRef": _chart_ref(inputs) if uses_oci(inputs) else None,
            "install": {"crds": "CreateReplace", "remediation": {"retries": 3}},
            "upgrade": {
                "crds": "CreateReplace",
                "strategy": {"name": "RetryOnFailure", "retryInterval": "5m"},
            },
            "values": inputs.helm_values_mapping() or None,
        },
    )
