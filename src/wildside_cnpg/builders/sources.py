"""The Flux HelmRepository that serves the operator chart."""

from __future__ import annotations

from ..inputs import Inputs
from ..kinds import HELM_REPOSITORY
from .common import Document, resource


def helm_repository(inputs: Inputs) -> Document:
    oci = inputs.chart_repository.startswith("oci://")
    return resource(
        HELM_REPOSITORY,
        inputs.flux_helm_repository_name,
        inputs.flux_namespace,
        spec={
            "interval": inputs.flux_helm_repository_interval,
            "url": inputs.chart_repository,
            "type": "oci" if oci else None,
        },
    )
