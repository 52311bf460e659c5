"""The Flux source that serves the operator chart.

An https:// repository becomes a HelmRepository. An oci:// one becomes an
OCIRepository pinned to the chart version (Flux keeps HelmRepository `type: oci`
in maintenance mode and recommends OCIRepository with `chartRef` instead)."""

from __future__ import annotations

from ..inputs import Inputs
from ..kinds import HELM_REPOSITORY, OCI_REPOSITORY, Kind
from .common import Document, resource

HELM_CHART_LAYER = "application/vnd.cncf.helm.chart.content.v1.tar+gzip"


def uses_oci(inputs: Inputs) -> bool:
    return inputs.chart_repository.startswith("oci://")


def source_kind(inputs: Inputs) -> Kind:
    return OCI_REPOSITORY if uses_oci(inputs) else HELM_REPOSITORY


def chart_source(inputs: Inputs) -> Document:
    if uses_oci(inputs):
        return resource(
            OCI_REPOSITORY,
            inputs.flux_helm_repository_name,
            inputs.flux_namespace,
            spec={
                "interval": inputs.flux_helm_repository_interval,
                "url": f"{inputs.chart_repository.rstrip('/')}/{inputs.chart_name}",
                "ref": {"tag": inputs.chart_version},
                "layerSelector": {"mediaType": HELM_CHART_LAYER, "operation": "copy"},
            },
        )
    return resource(
        HELM_REPOSITORY,
        inputs.flux_helm_repository_name,
        inputs.flux_namespace,
        spec={"interval": inputs.flux_helm_repository_interval, "url": inputs.chart_repository},
    )
