"""Flux's real controllers converge a rendered tree on an empty API server, from a
root at the repository's top: one whose kustomization Flux generates, and one the
repository writes, listing the units (README, "Wiring it into a Flux repository").

The rendered tree is committed as it is and never modified. The test's own root
patches the HelmReleases through the tree's Flux Kustomizations (convergence.py):
Helm's wait is off, because without a kubelet the operator's Deployment never
becomes ready, and the chart's webhook configurations are off, because the loopback
operator serves admission instead of the chart's Service. The Cluster's Ready
condition is written by the test once CNPG has reconciled it (standins.py).
"""

from __future__ import annotations

import pytest

from wildside_cnpg import Inputs, Module

from .conftest import FluxClusterFactory
from .convergence import (
    ROOT_NAME,
    explicit_root,
    inventory_id,
    inventory_owners,
    layer_names,
    missing_objects,
    tree_objects,
)
from .helmrepo import HelmRepository
from .objects import condition, object_key

ROOTS = ("generated", "explicit")


@pytest.mark.parametrize("root", ROOTS)
def test_flux_converges_the_default_tree(
    flux_cluster_factory: FluxClusterFactory, helm_repository: HelmRepository, root: str
) -> None:
    cluster = flux_cluster_factory()
    # The chart repository is the loopback one; every other input is the default.
    module = Module(Inputs(chart_repository=helm_repository.url))
    files = module.render()
    assert "kustomization.yaml" not in files  # at "./" Flux generates one
    if root == "explicit":
        files |= explicit_root([module])
    gitops = cluster.gitops([module], "./")

    revision = gitops.commit(files)
    layers = gitops.wait_ready(revision, layer_names([module]))

    assert [str(warning) for warning in gitops.warnings] == []

    [cnpg_cluster] = [doc for doc in module.objects() if doc["kind"] == "Cluster"]
    assert cluster.standins.reconciled == [object_key(cnpg_cluster)], "CNPG never reconciled it"
    assert missing_objects(cluster.objects, module) == []
    # The cluster layer waited for the Cluster's Ready condition.
    healthy = condition(layers[module.shape.layers["cluster"].name], "Healthy") or {}
    assert (healthy.get("status"), healthy.get("reason")) == ("True", "Succeeded")
    # Every object of the tree is in exactly one Flux Kustomization's inventory: the
    # units' entries in the root's, the rest in their layer's.
    owners = inventory_owners(layers.values())
    ids = {inventory_id(doc): doc["kind"] for doc in tree_objects(module)}
    assert {key: owners.get(key) for key in ids if len(owners.get(key) or []) != 1} == {}
    assert {key for key, kind in ids.items() if kind in ("Namespace", "Kustomization")} == {
        key for key, value in owners.items() if value == [ROOT_NAME]
    }
