"""An empty API server with Flux's controllers for one test: Flux's CRDs (as
`flux install` puts them), the CRDs of the prerequisites a test names (ESO's,
Prometheus Operator's: the README asks the cluster to have them) and nothing else;
the loopback webhook configurations; CNPG's operator started once the chart has
installed its CRDs; the stand-ins for the status no program here reports
(standins.py)."""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.integration.apply.kube_harness import ControlPlane, running_control_plane

from wildside_cnpg import Module

from . import logs
from .convergence import GitOps, root_patches
from .crds import cnpg_crds, flux_crds, vendored_crds
from .flux import running_flux
from .gitserver import GitServer
from .helmrepo import HelmRepository
from .objects import Objects, condition
from .operator import LoopbackWebhooks, running_operator
from .standins import StandIns


class Operator:
    """CNPG's loopback operator: started (reconciling every namespace) once every CRD
    of the chart is Established, as the chart's Deployment would start its pod; on
    request restarted reconciling only its own namespace."""

    def __init__(
        self, plane: ControlPlane, webhooks: LoopbackWebhooks, workdir: Path, namespace: str
    ) -> None:
        self._plane, self._webhooks, self._workdir = plane, webhooks, workdir
        self.namespace = namespace
        self._crds = [doc["metadata"]["name"] for doc in cnpg_crds()]
        self._process: ExitStack | None = None
        self.started = False
        self.reconciling = False

    def poll(self, objects: Objects) -> None:
        if self.started:
            return
        for name in self._crds:
            crd = objects.get("apiextensions.k8s.io/v1", "CustomResourceDefinition", name)
            established = condition(crd, "Established") if crd else None
            if not established or established.get("status") != "True":
                return
        self._start(watch_namespace=None, name="cnpg-operator")
        self.started = self.reconciling = True

    def admission_only(self) -> None:
        """Restart reconciling only the operator's namespace; the webhooks go on
        admitting every namespace's objects (they fail closed for the second it takes)."""
        self._start(watch_namespace=self.namespace, name="cnpg-operator-admission-only")
        self.reconciling = False

    def _start(self, *, watch_namespace: str | None, name: str) -> None:
        self.close()
        process = ExitStack()
        process.enter_context(
            running_operator(
                self._plane,
                self._webhooks,
                self._workdir,
                self.namespace,
                watch_namespace=watch_namespace,
                name=name,
            )
        )
        self._process = process

    def close(self) -> None:
        if self._process is not None:
            self._process.close()
            self._process = None


@dataclass
class FluxCluster:
    plane: ControlPlane
    objects: Objects
    git: GitServer
    operator: Operator
    standins: StandIns

    def tick(self) -> None:
        self.operator.poll(self.objects)
        self.standins.poll()

    def gitops(
        self,
        modules: Iterable[Module],
        root_path: str,
        *,
        overrides: Mapping[str, Mapping[str, Any]] | None = None,
        root_service_account: str | None = None,
    ) -> GitOps:
        """A new repository for the modules' renders (the first module's Flux names),
        reconciled by a root Flux Kustomization at root_path once a test commits;
        root_service_account: the ServiceAccount (in the Flux namespace) the root is
        applied as."""
        modules = list(modules)
        inputs = modules[0].inputs
        assert inputs.operator_namespace == self.operator.namespace
        return GitOps(
            objects=self.objects,
            repository=self.git.repository(f"tree-{secrets.token_hex(3)}"),
            flux_namespace=inputs.flux_namespace,
            git_repository_name=inputs.flux_git_repository_name,
            root_path=root_path,
            patches=root_patches(modules, overrides),
            on_tick=self.tick,
            service_account=root_service_account,
        )


@contextmanager
def running_flux_cluster(
    workdir: Path,
    git: GitServer,
    helm_repository: HelmRepository,
    *,
    prerequisites: tuple[str, ...] = (),
    operator_namespace: str = "cnpg-system",
    controller_args: Mapping[str, Sequence[str]] | None = None,
) -> Iterator[FluxCluster]:
    """prerequisites: kinds whose vendored CRDs are installed with Flux's;
    controller_args: further flags of Flux's controllers, by name (flux.py)."""
    with ExitStack() as stack:
        stack.enter_context(logs.scoped())
        kube_dir = workdir / "kube"
        kube_dir.mkdir(parents=True)
        logs.register(kube_dir / "etcd.log")
        logs.register(kube_dir / "kube-apiserver.log")
        crds = [*flux_crds(), *vendored_crds(*prerequisites)]
        plane = stack.enter_context(running_control_plane(kube_dir, crds))
        client = stack.enter_context(plane.client())
        objects = Objects(client)
        webhooks = LoopbackWebhooks.create(workdir)
        webhooks.install(objects)
        stack.enter_context(
            running_flux(plane, workdir, helm_repository.ca_file, extra_args=controller_args)
        )
        operator = Operator(plane, webhooks, workdir, operator_namespace)
        stack.callback(operator.close)
        standins = StandIns(objects, operator, eso="ExternalSecret" in prerequisites)
        yield FluxCluster(plane, objects, git, operator, standins)
