"""The Helm charts the tree installs and the Flux source each comes from: the CNPG
operator, and the Barman Cloud plugin when backups use it."""

from __future__ import annotations

from typing import NamedTuple

from ..inputs import Inputs


class Chart(NamedTuple):
    release: str
    chart: str
    version: str
    source: str  # the HelmRepository (shared) or OCIRepository (one per chart) name


def uses_oci(inputs: Inputs) -> bool:
    return inputs.chart_repository.startswith("oci://")


def operator_chart(inputs: Inputs) -> Chart:
    return Chart(
        inputs.helm_release_name,
        inputs.chart_name,
        inputs.chart_version,
        inputs.flux_helm_repository_name,
    )


def plugin_chart(inputs: Inputs) -> Chart | None:
    """The Barman Cloud plugin's chart; it is served by the same repository."""
    if not (inputs.backup_enabled and inputs.backup_method == "barman_cloud_plugin"):
        return None
    source = inputs.flux_helm_repository_name
    return Chart(
        inputs.barman_cloud_plugin_release_name,
        inputs.barman_cloud_plugin_chart_name,
        inputs.barman_cloud_plugin_chart_version,
        f"{source}-{inputs.barman_cloud_plugin_chart_name}" if uses_oci(inputs) else source,
    )


def charts(inputs: Inputs) -> list[Chart]:
    plugin = plugin_chart(inputs)
    return [operator_chart(inputs)] + ([plugin] if plugin else [])
