"""Paths of the rendered tree, for tests that look up one file (kept in one place so
a layout change is one edit here, and the golden trees pin the rest)."""

from __future__ import annotations

ROOT = "platform/databases"
OPERATOR_UNIT = f"{ROOT}/operator"
OPERATOR_LAYER = f"{OPERATOR_UNIT}/layer"
CHART_SOURCES = f"{OPERATOR_LAYER}/chart-sources.yaml"
OPERATOR_RELEASE = f"{OPERATOR_LAYER}/cnpg-operator-helmrelease.yaml"
PLUGIN_RELEASE = f"{OPERATOR_LAYER}/barman-cloud-plugin-helmrelease.yaml"
OPERATOR_FLUX = f"{OPERATOR_UNIT}/flux-kustomization.yaml"


def namespace(name: str) -> str:
    return f"{ROOT}/namespaces/{name}/namespace.yaml"


def unit(cluster: str = "wildside-pg") -> str:
    return f"{ROOT}/clusters/{cluster}"


def cluster_layer(name: str, cluster: str = "wildside-pg") -> str:
    return f"{unit(cluster)}/cluster/{name}"


def credentials(name: str, cluster: str = "wildside-pg") -> str:
    return f"{unit(cluster)}/credentials/{name}"


def addons(name: str, cluster: str = "wildside-pg") -> str:
    return f"{unit(cluster)}/addons/{name}"


def cluster_file(cluster: str = "wildside-pg") -> str:
    return cluster_layer("cluster.yaml", cluster)


def cluster_flux(cluster: str = "wildside-pg") -> str:
    return f"{unit(cluster)}/flux-kustomizations.yaml"
