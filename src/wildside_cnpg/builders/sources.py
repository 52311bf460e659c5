"""The Flux sources that serve the charts.

An https:// repository becomes one HelmRepository for every chart. An oci://
repository becomes one OCIRepository per chart, pinned to the chart version (Flux
keeps HelmRepository `type: oci` in maintenance mode and recommends OCIRepository
with `chartRef` instead)."""

from __future__ import annotations

from ..inputs import Inputs
from ..kinds import HELM_REPOSITORY, OCI_REPOSITORY, Kind
from ..shape import Chart, Shape
from .common import Document, resource

HELM_CHART_LAYER = "application/vnd.cncf.helm.chart.content.v1.tar+gzip"


def source_kind(shape: Shape) -> Kind:
    return OCI_REPOSITORY if shape.uses_oci else HELM_REPOSITORY


def _oci_repository(inputs: Inputs, shape: Shape, chart: Chart) -> Document:
    return resource(
        OCI_REPOSITORY,
        chart.source,
        shape.chart_sources_namespace,
        spec={
            "interval": inputs.flux_helm_repository_interval,
            "url": f"{inputs.chart_repository.rstrip('/')}/{chart.chart}",
            "ref": {"tag": chart.version},
            "layerSelector": {"mediaType": HELM_CHART_LAYER, "operation": "copy"},
        },
    )


def chart_sources(inputs: Inputs, shape: Shape) -> list[Document]:
    if shape.uses_oci:
        return [_oci_repository(inputs, shape, chart) for chart in shape.charts]
    return [
        resource(
            HELM_REPOSITORY,
            inputs.flux_helm_repository_name,
            shape.chart_sources_namespace,
            spec={
                "interval": inputs.flux_helm_repository_interval,
                "url": inputs.chart_repository,
            },
        )
    ]
