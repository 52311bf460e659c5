"""Flux's real controllers converge a rendered tree on an empty API server.

The rendered tree is committed as it is and never modified. The test's own root
Flux Kustomization patches the HelmReleases through the tree's Flux Kustomizations
(convergence.py): Helm's wait is off, because without a kubelet the operator's
Deployment never becomes ready, and the chart's webhook configurations are off,
because the loopback operator serves admission instead of the chart's Service.
"""

from __future__ import annotations

import pytest

from wildside_cnpg import Inputs, Module

from .convergence import missing_objects
from .environment import FluxCluster
from .helmrepo import HelmRepository

# The root Flux Kustomization's path. Today's tree is applied from the directory that
# holds its layer Kustomizations; once its layout lets a root at "./" apply it, add
# "./" here.
ROOT_PATHS = ["./platform/flux"]


@pytest.mark.parametrize("root_path", ROOT_PATHS)
def test_flux_converges_the_default_tree(
    flux_cluster: FluxCluster, helm_repository: HelmRepository, root_path: str
) -> None:
    # The chart repository is the loopback one; every other input is the default.
    module = Module(Inputs(chart_repository=helm_repository.url))

    result = flux_cluster.converge(module, root_path)

    assert flux_cluster.operator.started, "the chart never installed CNPG's CRDs"
    assert missing_objects(flux_cluster.objects, module) == []
    assert result.failures == []
