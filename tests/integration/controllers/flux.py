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

A test may pass further flags to a controller (`extra_args`, by controller name), for
example the multi-tenancy lockdown's `--no-cross-namespace-refs=true`.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path

from tests.integration.apply.kube_harness import ControlPlane, binary, start_process, wait_http
from tests.processes import free_port, stop_process

from . import logs
from .operator import SETUP, controller_kubeconfig

STOP_TIMEOUT = 20.0
RUNTIME_NAMESPACE = "flux-system"
REQUEUE_DEPENDENCY = "5s"
CONTROLLERS = ("source-controller", "kustomize-controller", "helm-controller")


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
def running_flux(
    plane: ControlPlane,
    workdir: Path,
    trusted_ca: Path,
    *,
    extra_args: Mapping[str, Sequence[str]] | None = None,
) -> Iterator[None]:
    """The three controllers, started in order and stopped in reverse; extra_args:
    controller name -> flags added to its command line."""
    extra = dict(extra_args or {})
    unknown = set(extra) - set(CONTROLLERS)
    if unknown:
        raise AssertionError(f"flags for controllers that do not run here: {sorted(unknown)}")
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
                    *extra.get("source-controller", ()),
                ],
                env | {"SSL_CERT_FILE": str(trusted_ca)},
                workdir,
            )
        )
        stack.enter_context(
            _controller(
                "kustomize-controller",
                [
                    f"--requeue-dependency={REQUEUE_DEPENDENCY}",
                    *extra.get("kustomize-controller", ()),
                ],
                env,
                workdir,
            )
        )
        stack.enter_context(
            _controller(
                "helm-controller",
                [
                    f"--requeue-dependency={REQUEUE_DEPENDENCY}",
                    *extra.get("helm-controller", ()),
                ],
                env,
                workdir,
            )
        )
        yield
