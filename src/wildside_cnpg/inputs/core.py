"""Core inputs: mode, namespaces, the operator's Helm chart and its Flux sources
(the OpenTofu module's variables-core.tf)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .base import InputFields, InputGroup
from .types import (
    GO_DURATION_MAX_SECONDS,
    ChartRepositoryURL,
    DNSLabel,
    DNSSubdomain,
    ExactVersion,
    FluxDuration,
    FluxReference,
    HelmChartName,
    HelmReleaseName,
    HelmValues,
    RepositoryPath,
)

OperatorInstall = Literal["own", "shared", "external"]


class FluxDependsOn(InputGroup):
    """Flux Kustomizations each layer of the tree waits for (their Ready condition)."""

    operator: tuple[FluxReference, ...] = Field(
        (), strict=False, description="before the operator layer (for example cert-manager's)"
    )
    credentials: tuple[FluxReference, ...] = Field(
        (), strict=False, description="before the credentials layer (External Secrets Operator's)"
    )
    cluster: tuple[FluxReference, ...] = Field(
        (), strict=False, description="before the cluster layer"
    )
    addons: tuple[FluxReference, ...] = Field(
        (), strict=False, description="before the add-ons layer (the Prometheus Operator's)"
    )


class CoreInputs(InputFields):
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
        True,
        description="Render (or apply) the cluster's namespace, and the operator's with "
        "operator_install own; never a system or Flux namespace",
    )
    operator_install: OperatorInstall = Field(
        "own",
        description="own: this inputs file renders the operator (and the Barman Cloud plugin) "
        "and the cluster waits for it; shared: another inputs file in the same checkout renders "
        "it and the cluster waits for it; external: it is installed outside this tree",
    )
    flux_namespace: DNSLabel = Field(
        "flux-system", description="Namespace of the Flux sources and layer Kustomizations"
    )
    flux_git_repository_name: DNSLabel = Field(
        "flux-system", description="Flux GitRepository holding the rendered tree"
    )
    flux_git_repository_namespace: DNSLabel | None = Field(
        None, description="Namespace of that GitRepository; unset: flux_namespace"
    )
    flux_cross_namespace_refs: bool = Field(
        True,
        description="false when Flux's controllers run with --no-cross-namespace-refs "
        "(multi-tenancy lockdown): the chart sources move beside the operator's HelmReleases, "
        "and inputs that would reference a source in another namespace are refused",
    )
    flux_kustomization_service_account_name: DNSSubdomain | None = Field(
        None,
        description="ServiceAccount (in flux_namespace) that kustomize-controller impersonates "
        "to apply the layers (needed when it runs with --default-service-account); unset: the "
        "controller's default",
    )
    flux_path_prefix: RepositoryPath = Field(
        "./",
        description="Path of the rendered tree's root (the --out directory) inside that repository",
    )
    flux_depends_on: FluxDependsOn = Field(
        FluxDependsOn(),
        description="Flux Kustomizations each layer waits for, by layer (operator, credentials, "
        "cluster, addons), each NAME or NAMESPACE/NAME",
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
    flux_helm_repository_namespace: DNSLabel | None = Field(
        None,
        description="Namespace of the chart sources (the HelmRepository, or the "
        "OCIRepositories); unset: flux_namespace, or operator_namespace when "
        "flux_cross_namespace_refs is false",
    )
    flux_helm_release_service_account_name: DNSSubdomain | None = Field(
        None,
        description="ServiceAccount (in operator_namespace) that helm-controller impersonates "
        "to install the charts (needed when it runs with --default-service-account); unset: "
        "the controller's default",
    )
    flux_helm_repository_interval: FluxDuration = Field(
        "24h", description="Reconcile interval of the HelmRepository (Go duration)"
    )
    flux_helm_release_interval: FluxDuration = Field(
        "1h", description="Reconcile interval of the HelmRelease (Go duration)"
    )
