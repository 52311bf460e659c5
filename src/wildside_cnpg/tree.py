"""The rendered tree: relative path -> the documents of that file, in a fixed order."""

from __future__ import annotations

import posixpath
from typing import Any

from .builders import (
    backup,
    cluster,
    disruption,
    monitoring,
    namespaces,
    operator,
    secrets,
    sources,
)
from .builders.kustomization import flux_kustomizations, kustomization
from .inputs import Inputs
from .names import DATABASES_DIR, Names
from .yamlio import plain_data

Tree = dict[str, list[dict[str, Any]]]
OPERATOR_LAYER = "operator"
CLUSTER_LAYER = "cluster"


def _layers(inputs: Inputs, names: Names) -> tuple[Tree, Tree]:
    """The operator layer (source, namespaces, HelmRelease) and the cluster layer
    (everything that needs the operator's CRDs), each path -> documents."""
    paths = names.paths
    operator_layer: Tree = {paths.helm_repository: sources.chart_sources(inputs)}
    for name in namespaces.namespace_names(inputs):
        operator_layer[paths.namespace(name)] = [namespaces.namespace(name)]
    operator_layer[paths.helm_release] = [operator.helm_release(inputs)]
    plugin = operator.plugin_helm_release(inputs)
    if plugin is not None:
        operator_layer[paths.plugin_helm_release] = [plugin]

    optional: list[tuple[str, dict[str, Any] | None]] = [
        (paths.s3_secret, backup.inline_s3_secret(inputs, names)),
        (paths.external_secret("superuser"), secrets.superuser_external_secret(inputs, names)),
        (paths.external_secret("app"), secrets.app_external_secret(inputs, names)),
        (paths.external_secret("backup"), secrets.backup_external_secret(inputs, names)),
        (paths.pod_monitor, monitoring.pod_monitor(inputs)),
        (paths.object_store, backup.object_store(inputs, names)),
    ]
    cluster_layer: Tree = {path: [doc] for path, doc in optional if doc is not None}
    cluster_layer[paths.cluster] = [cluster.cluster(inputs, names)]
    budgets = disruption.disruption_budgets(inputs, names)
    if budgets:
        cluster_layer[paths.pdb] = budgets
    if inputs.backup_enabled:
        cluster_layer[paths.scheduled_backup] = [backup.scheduled_backup(inputs, names)]
    return operator_layer, cluster_layer


def build_tree(inputs: Inputs) -> Tree:
    names = Names(inputs)
    paths = names.paths
    operator_layer, cluster_layer = _layers(inputs, names)
    manifests = operator_layer | cluster_layer
    tree: Tree = dict(sorted(manifests.items()))
    tree[paths.kustomization] = [kustomization(DATABASES_DIR, tree)]
    layer_dirs = {}
    for layer, files in ((OPERATOR_LAYER, operator_layer), (CLUSTER_LAYER, cluster_layer)):
        path = paths.layer_kustomization(layer)
        layer_dirs[layer] = posixpath.dirname(path)
        tree[path] = [kustomization(layer_dirs[layer], sorted(files))]
    tree[paths.flux_kustomizations] = flux_kustomizations(
        inputs, names, layer_dirs[OPERATOR_LAYER], layer_dirs[CLUSTER_LAYER]
    )
    return {
        path: [plain_data(doc, f"{path}[{index}]") for index, doc in enumerate(docs)]
        for path, docs in sorted(tree.items())
    }
