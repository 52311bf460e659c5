"""An empty API server with Flux's controllers for one convergence test: Flux's CRDs
(as `flux install` puts them) and nothing else, the loopback webhook configurations,
and CNPG's operator started on demand once the chart has installed its CRDs."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.integration.apply.kube_harness import ControlPlane, running_control_plane

from wildside_cnpg import Module

from . import logs
from .convergence import Convergence, converge
from .crds import cnpg_crds, flux_crds
from .flux import running_flux
from .gitserver import GitServer
from .helmrepo import HelmRepository
from .objects import Objects, condition
from .operator import LoopbackWebhooks, running_operator


class OperatorOnDemand:
    """Starts the loopback operator once every CRD of the chart is Established."""

    def __init__(
        self, plane: ControlPlane, webhooks: LoopbackWebhooks, workdir: Path, stack: ExitStack
    ) -> None:
        self._plane, self._webhooks, self._workdir, self._stack = plane, webhooks, workdir, stack
        self._crds = [doc["metadata"]["name"] for doc in cnpg_crds()]
        self.started = False

    def poll(self, objects: Objects, namespace: str) -> None:
        if self.started:
            return
        for name in self._crds:
            crd = objects.get("apiextensions.k8s.io/v1", "CustomResourceDefinition", name)
            established = condition(crd, "Established") if crd else None
            if not established or established.get("status") != "True":
                return
        self._stack.enter_context(
            running_operator(self._plane, self._webhooks, self._workdir, namespace)
        )
        self.started = True


@dataclass
class FluxCluster:
    plane: ControlPlane
    objects: Objects
    git: GitServer
    operator: OperatorOnDemand

    def converge(self, module: Module, root_path: str) -> Convergence:
        """Flux converges module's render from a new repository, with a root Flux
        Kustomization at root_path."""
        repository = self.git.repository(f"tree-{secrets.token_hex(3)}")
        namespace = module.inputs.operator_namespace
        return converge(
            self.objects,
            repository,
            module,
            root_path,
            on_tick=lambda: self.operator.poll(self.objects, namespace),
        )


@contextmanager
def running_flux_cluster(
    workdir: Path, git: GitServer, helm_repository: HelmRepository
) -> Iterator[FluxCluster]:
    with ExitStack() as stack:
        stack.enter_context(logs.scoped())
        kube_dir = workdir / "kube"
        kube_dir.mkdir(parents=True)
        logs.register(kube_dir / "etcd.log")
        logs.register(kube_dir / "kube-apiserver.log")
        plane = stack.enter_context(running_control_plane(kube_dir, flux_crds()))
        client = stack.enter_context(plane.client())
        objects = Objects(client)
        webhooks = LoopbackWebhooks.create(workdir)
        webhooks.install(objects)
        stack.enter_context(running_flux(plane, workdir, helm_repository.ca_file))
        yield FluxCluster(plane, objects, git, OperatorOnDemand(plane, webhooks, workdir, stack))
