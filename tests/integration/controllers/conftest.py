"""Session fixtures of the controller tests: a control plane with every CRD and CNPG's
operator serving its webhooks on loopback, a Git server and a Helm repository; and,
per Flux test, an empty control plane with Flux's controllers. Every process
and server stops at the end of its scope, also on failure; when a test fails, the
tails of their logs are printed with its report."""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterator, Mapping, Sequence
from contextlib import ExitStack
from pathlib import Path

import pytest
from tests.integration.apply.kube_harness import ControlPlane, running_control_plane

from . import logs
from .crds import every_crd
from .environment import FluxCluster, running_flux_cluster
from .gitserver import GitServer, running_git_server
from .helmrepo import HelmRepository, running_helm_repository
from .objects import Objects
from .operator import LoopbackWebhooks, running_operator

# The loopback operator's namespace on the shared control plane (the chart's default).
OPERATOR_NAMESPACE = "cnpg-system"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, None]:
    outcome = yield
    report: pytest.TestReport = outcome.get_result()
    if report.failed:
        text = logs.report()
        if text:
            report.sections.append(("logs of the controllers and servers", text))


@pytest.fixture(scope="session")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("controllers")


@pytest.fixture(scope="session")
def control_plane(workdir: Path) -> Iterator[ControlPlane]:
    """etcd + kube-apiserver with every CRD: the vendored ones, Flux's at the built
    versions and CNPG's full set from the operator chart."""
    kube_dir = workdir / "kube"
    kube_dir.mkdir()
    logs.register(kube_dir / "etcd.log")
    logs.register(kube_dir / "kube-apiserver.log")
    with running_control_plane(kube_dir, every_crd()) as plane:
        yield plane


@pytest.fixture(scope="session")
def objects(control_plane: ControlPlane) -> Iterator[Objects]:
    with control_plane.client() as client:
        yield Objects(client)


@pytest.fixture(scope="session")
def operator(control_plane: ControlPlane, objects: Objects, workdir: Path) -> Iterator[None]:
    """CNPG's operator reconciling on the shared control plane, its webhooks admitting
    every CNPG object created there."""
    webhooks = LoopbackWebhooks.create(workdir)
    webhooks.install(objects)
    objects.namespace(OPERATOR_NAMESPACE)
    with running_operator(control_plane, webhooks, workdir, OPERATOR_NAMESPACE):
        yield


@pytest.fixture(scope="session")
def git_server(workdir: Path) -> Iterator[GitServer]:
    with running_git_server(workdir) as server:
        yield server


@pytest.fixture(scope="session")
def helm_repository(workdir: Path) -> Iterator[HelmRepository]:
    with running_helm_repository(workdir) as repository:
        yield repository


FluxClusterFactory = Callable[..., FluxCluster]


@pytest.fixture
def flux_cluster_factory(
    tmp_path: Path, git_server: GitServer, helm_repository: HelmRepository
) -> Iterator[FluxClusterFactory]:
    """Starts an empty control plane (Flux's CRDs, and the vendored CRDs of the
    prerequisite kinds a test names) with Flux's controllers, for one test;
    controller_args: further flags of the controllers, by name (flux.py)."""
    with ExitStack() as stack:

        def start(
            *prerequisites: str, controller_args: Mapping[str, Sequence[str]] | None = None
        ) -> FluxCluster:
            return stack.enter_context(
                running_flux_cluster(
                    tmp_path,
                    git_server,
                    helm_repository,
                    prerequisites=prerequisites,
                    controller_args=controller_args,
                )
            )

        yield start
