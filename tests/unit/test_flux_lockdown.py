"""Flux's multi-tenancy lockdown: where the chart sources and the GitRepository are
referenced from, and the ServiceAccounts the controllers impersonate."""

from __future__ import annotations

from typing import Any

import pytest

from wildside_cnpg import InputError, Inputs, Module

PLUGIN_BACKUP = {
    "backup_enabled": True,
    "backup_destination_path": "s3://wildside-backups/pg",
    "backup_endpoint_url": "https://nyc3.digitaloceanspaces.com",
    "backup_s3_credentials_secret_name": "s3",
    "backup_method": "barman_cloud_plugin",
    "image_name": "ghcr.io/cloudnative-pg/postgis:16-3.6-standard-trixie",
}
OCI = {"chart_repository": "oci://ghcr.io/cloudnative-pg/charts"}
LOCKDOWN = {"flux_cross_namespace_refs": False}
# A HelmRepository for both charts, or an OCIRepository each; with the plugin or not.
EVERY_CHART_SOURCE = pytest.mark.parametrize(
    "values",
    [{}, PLUGIN_BACKUP, OCI, {**PLUGIN_BACKUP, **OCI}],
    ids=["https", "plugin", "oci", "plugin-oci"],
)


def objects(**values: Any) -> list[dict[str, Any]]:
    """Every Kubernetes object of the tree, Flux's Kustomizations included."""
    return [
        doc
        for docs in Module(Inputs(**values)).documents().values()
        for doc in docs
        if not doc["apiVersion"].startswith("kustomize.config.k8s.io/")
    ]


def of_kind(docs: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [doc for doc in docs if doc["kind"] == kind]


def source_refs(docs: list[dict[str, Any]]) -> list[tuple[str, str, str]]:
    """(referrer, namespace of the referrer, namespace of the source it names) for every
    Flux reference to a source, as the controllers resolve it."""
    refs = []
    for doc in docs:
        if doc["kind"] not in ("Kustomization", "HelmRelease"):
            continue
        own = doc["metadata"]["namespace"]
        name = f"{doc['kind']}/{own}/{doc['metadata']['name']}"
        spec = doc["spec"]
        if doc["kind"] == "Kustomization":
            refs.append((name, own, spec["sourceRef"].get("namespace", own)))
        elif doc["kind"] == "HelmRelease":
            ref = spec["chartRef"] if "chartRef" in spec else spec["chart"]["spec"]["sourceRef"]
            refs.append((name, own, ref.get("namespace", own)))
    return refs


@EVERY_CHART_SOURCE
def test_the_default_tree_reads_its_chart_sources_from_flux_namespace(
    values: dict[str, Any],
) -> None:
    docs = objects(**values)
    releases = [ref for ref in source_refs(docs) if ref[0].startswith("HelmRelease/")]
    assert releases
    assert {(own, source) for _, own, source in releases} == {("cnpg-system", "flux-system")}
    sources = [doc for doc in docs if doc["apiVersion"].startswith("source.toolkit.fluxcd.io/")]
    assert sources
    assert {doc["metadata"]["namespace"] for doc in sources} == {"flux-system"}
    assert not [doc for doc in docs if "serviceAccountName" in doc.get("spec", {})]


@EVERY_CHART_SOURCE
def test_without_cross_namespace_refs_every_reference_stays_in_its_namespace(
    values: dict[str, Any],
) -> None:
    docs = objects(**values, **LOCKDOWN)
    refs = source_refs(docs)
    assert len(refs) == len(of_kind(docs, "Kustomization")) + len(of_kind(docs, "HelmRelease"))
    assert [ref for ref in refs if ref[1] != ref[2]] == []
    sources = [doc for doc in docs if doc["apiVersion"].startswith("source.toolkit.fluxcd.io/")]
    assert len(sources) == (
        len(of_kind(docs, "HelmRelease")) if "chart_repository" in values else 1
    )
    assert {doc["metadata"]["namespace"] for doc in sources} == {"cnpg-system"}


def test_the_chart_sources_follow_their_own_input() -> None:
    docs = objects(flux_helm_repository_namespace="charts", operator_namespace="cnpg")
    [repository] = of_kind(docs, "HelmRepository")
    assert repository["metadata"]["namespace"] == "charts"
    [release] = of_kind(docs, "HelmRelease")
    assert release["spec"]["chart"]["spec"]["sourceRef"] == {
        "kind": "HelmRepository",
        "name": "cloudnative-pg",
        "namespace": "charts",
    }
    # Without cross-namespace references, the operator's namespace is the one to name.
    docs = objects(flux_helm_repository_namespace="cnpg", operator_namespace="cnpg", **LOCKDOWN)
    assert [doc["metadata"]["namespace"] for doc in of_kind(docs, "HelmRepository")] == ["cnpg"]


def test_the_git_repository_namespace_is_named_only_when_it_differs() -> None:
    for values in ({}, {"flux_git_repository_namespace": "flux-system"}):
        for doc in of_kind(objects(**values), "Kustomization"):
            assert doc["spec"]["sourceRef"] == {"kind": "GitRepository", "name": "flux-system"}
    layers = of_kind(objects(flux_git_repository_namespace="tenants"), "Kustomization")
    assert len(layers) == 2
    for doc in layers:
        assert doc["metadata"]["namespace"] == "flux-system"
        assert doc["spec"]["sourceRef"] == {
            "kind": "GitRepository",
            "name": "flux-system",
            "namespace": "tenants",
        }


def test_the_service_accounts_go_on_every_kustomization_and_helm_release() -> None:
    docs = objects(
        **PLUGIN_BACKUP,
        flux_kustomization_service_account_name="flux-applier",
        flux_helm_release_service_account_name="helm-applier",
    )
    accounts = {
        (doc["kind"], doc["metadata"]["name"]): doc["spec"].get("serviceAccountName")
        for doc in docs
        if doc["kind"] in ("Kustomization", "HelmRelease")
    }
    assert accounts == {
        ("Kustomization", "cloudnative-pg-operator"): "flux-applier",
        ("Kustomization", "wildside-pg-cluster"): "flux-applier",
        ("HelmRelease", "cloudnative-pg"): "helm-applier",
        ("HelmRelease", "plugin-barman-cloud"): "helm-applier",
    }


def test_a_source_in_another_namespace_is_refused_under_lockdown() -> None:
    with pytest.raises(InputError) as caught:
        Inputs(
            flux_git_repository_namespace="tenants",
            flux_helm_repository_namespace="flux-system",
            **LOCKDOWN,
        )
    assert caught.value.problems == [
        "flux_git_repository_namespace: 'tenants' is not flux_namespace 'flux-system', where "
        "the layers' Flux Kustomizations are, and flux_cross_namespace_refs is false (Flux "
        "refuses a source in another namespace); expected it unset or 'flux-system'",
        "flux_helm_repository_namespace: 'flux-system' is not operator_namespace "
        "'cnpg-system', where the operator's HelmReleases are, and flux_cross_namespace_refs "
        "is false (Flux refuses a source in another namespace); expected it unset or "
        "'cnpg-system'",
    ]
    # The same namespaces with cross-namespace references allowed, or the expected ones
    # under lockdown, are accepted.
    Inputs(flux_git_repository_namespace="tenants", flux_helm_repository_namespace="flux-system")
    Inputs(
        flux_git_repository_namespace="flux-system",
        flux_helm_repository_namespace="cnpg-system",
        **LOCKDOWN,
    )
