"""The CloudNativePG operator's HelmRelease."""

from __future__ import annotations

from ..inputs import Inputs
from ..kinds import HELM_RELEASE, HELM_REPOSITORY
from .common import Document, resource


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
            "chart": {
                "spec": {
                    "chart": inputs.chart_name,
                    "version": inputs.chart_version,
                    "sourceRef": {
                        "kind": HELM_REPOSITORY.kind,
                        "name": inputs.flux_helm_repository_name,
                        "namespace": inputs.flux_namespace,
                    },
                }
            },
            "install": {"crds": "CreateReplace", "remediation": {"retries": 3}},
            "upgrade": {
                "crds": "CreateReplace",
                "strategy": {"name": "RetryOnFailure", "retryInterval": "5m"},
            },
            "values": inputs.helm_values_mapping() or None,
        },
    )
