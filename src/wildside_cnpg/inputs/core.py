"""Core inputs: mode, namespaces, the operator's Helm chart and its Flux sources
(the OpenTofu module's variables-core.tf)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field

from .base import InputGroup
from .types import (
    GO_DURATION_MAX_SECONDS,
    ChartRepositoryURL,
    DNSLabel,
    ExactVersion,
    FluxDuration,
    HelmChartName,
    HelmReleaseName,
    HelmValuesCheck,
    RepositoryPath,
)

HelmValues = Annotated[dict[str, Any] | list[str], AfterValidator(HelmValuesCheck())]


class CoreInputs(InputGroup):
    mode: Literal["render", "apply"] = Field(
        "render",
        description="The OpenTofu module's switch: render fills the rendered_manifests output; "
        "the command run (render or apply) decides what happens",
    )
    operator_namespace: DNSLabel = Field(
        "cnpg-system", description="Namespace of the CloudNativePG operator"
    )
    cluster_namespace: DNSLabel = Field(
        "databases", description="Namespace of the PostgreSQL cluster"
    )
    create_namespaces: bool = Field(
        True, description="Render (or apply) the operator and cluster namespaces"
    )
    flux_namespace: DNSLabel = Field(
        "flux-system", description="Namespace of the Flux sources and layer Kustomizations"
    )
    flux_git_repository_name: DNSLabel = Field(
        "flux-system", description="Flux GitRepository holding the rendered tree"
    )
    flux_path_prefix: RepositoryPath = Field(
        "./", description="Path of the rendered tree's root inside that repository"
    )
    helm_release_name: HelmReleaseName = Field(
        "cloudnative-pg", description="Name of the operator's Helm release"
    )
    chart_repository: ChartRepositoryURL = Field(
        "https://cloudnative-pg.github.io/charts",
        description="Helm repository of the cloudnative-pg chart (https:// or oci://)",
    )
    chart_name: HelmChartName = Field("cloudnative-pg", description="Name of the operator chart")
    chart_version: ExactVersion = Field(
        "0.29.0", description="Exact chart version (0.29.0 installs operator 1.30.0)"
    )
    helm_values: HelmValues = Field(
        default_factory=dict,
        description="Values for the operator chart: a mapping, or a list of YAML documents "
        "merged in order like the OpenTofu module's list of strings",
    )
    helm_wait: bool = Field(True, description="apply mode: wait for the Helm release to be ready")
    helm_timeout: int = Field(
        600,
        ge=1,
        le=GO_DURATION_MAX_SECONDS,
        description="apply mode: seconds to wait for the Helm release",
    )
    flux_helm_repository_name: DNSLabel = Field(
        "cloudnative-pg", description="Name of the Flux HelmRepository"
    )
    flux_helm_repository_interval: FluxDuration = Field(
        "24h", description="Reconcile interval of the HelmRepository (Go duration)"
    )
    flux_helm_release_interval: FluxDuration = Field(
        "1h", description="Reconcile interval of the HelmRelease (Go duration)"
    )
