"""Flux's source-, kustomize- and helm-controller outside the cluster against a test
API server, as `flux install` would run them in flux-system, minus what needs a pod:

- no leader election and no metrics; health endpoints on loopback ports (waited on);
- source-controller stores artifacts under the session's temporary directory and
  serves them on 127.0.0.1 (--storage-addr, advertised as the same address, which
  the other two controllers download from);
- source-controller trusts the test CA (SSL_CERT_FILE), so that a HelmRepository can
  name the loopback Helm repository by its https:// URL as the inputs require;
- --requeue-dependency=5s instead of 30s: a dependent Kustomization or HelmRelease
  looks at its dependencies again sooner, which only shortens the test.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from tests.integration.apply.kube_harness import ControlPlane, binary, start_process, wait_http
from tests.processes import free_port, stop_process

from . import logs
from .operator import SETUP, controller_kubeconfig

STOP_TIMEOUT = 20.0
RUNTIME_NAMESPACE = "flux-system"
REQUEUE_DEPENDENCY = "5s"


@contextmanager
def _controller(
    name: str, args: list[str], env: dict[str, str], workdir: Path
) -> Iterator[subprocess.Popen[bytes]]:
    health = free_port()
    log = logs.register(workdir / f"{name}.log")
    process = start_process(
        [
            binary(name, SETUP),
            "--enable-leader-election=false",
            "--metrics-addr=0",
            f"--health-addr=127.0.0.1:{health}",
            "--log-level=debug",
            *args,
        ],
        log,
        env=env,
        cwd=workdir,
    )
    try:
        wait_http(f"http://127.0.0.1:{health}/readyz", process, log)
        yield process
    finally:
        stop_process(process, STOP_TIMEOUT)


@contextmanager
def running_flux(plane: ControlPlane, workdir: Path, trusted_ca: Path) -> Iterator[None]:
    """The three controllers, started in order and stopped in reverse."""
    storage = workdir / "flux-artifacts"
    storage.mkdir(parents=True)
    storage_addr = f"127.0.0.1:{free_port()}"
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(workdir),
        "KUBECONFIG": str(controller_kubeconfig(plane, workdir / "flux.kubeconfig")),
        "RUNTIME_NAMESPACE": RUNTIME_NAMESPACE,
    }
    with ExitStack() as stack:
        stack.enter_context(
            _controller(
                "source-controller",
                [
                    f"--storage-path={storage}",
                    f"--storage-addr={storage_addr}",
                    f"--storage-adv-addr={storage_addr}",
                ],
                env | {"SSL_CERT_FILE": str(trusted_ca)},
                workdir,
            )
        )
        stack.enter_context(
            _controller(
                "kustomize-controller",
                [f"--requeue-dependency={REQUEUE_DEPENDENCY}"],
                env,
                workdir,
            )
        )
        stack.enter_context(
            _controller(
                "helm-controller", [f"--requeue-dependency={REQUEUE_DEPENDENCY}"], env, workdir
            )
        )
        yield
