"""CNPG's operator (the real manager binary) outside the cluster, its admission
webhooks served on loopback.

The chart's MutatingWebhookConfiguration and ValidatingWebhookConfiguration are
installed with each `clientConfig.service` replaced by
`url: https://127.0.0.1:PORT<path>` and the CA bundle of a test CA; the operator
serves with a certificate from that CA for 127.0.0.1, given as apiserver.crt and
apiserver.key in WEBHOOK_CERT_DIR: with that variable set it uses those files and
leaves its own PKI (and the webhook configurations) alone
(internal/cmd/manager/controller/controller.go). Its working directory holds
operator/manager_amd64, a link to the binary: the operator looks its own binary up
there for every architecture it reports, and without it every status update fails
with "invalid architecture".

controller-runtime's webhook server listens on every interface (CNPG has no flag for
the host); the API server reaches it on 127.0.0.1. Metrics are off.

With `watch_namespace` the operator reconciles only the Clusters of that namespace
(WATCH_NAMESPACE, internal/cmd/manager/controller/controller.go) while its webhooks
still admit every CNPG object: the webhooks read nothing from the API server.
"""

from __future__ import annotations

import base64
import os
import ssl
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from tests.integration.apply.kube_harness import (
    ControlPlane,
    LoopbackCA,
    binary,
    start_process,
    wait_http,
)
from tests.processes import free_port, stop_process

from . import logs
from .crds import operator_chart_documents
from .objects import Document, Objects

SETUP = "scripts/setup/70-controllers.sh"
STOP_TIMEOUT = 20.0
WEBHOOK_KINDS = ("MutatingWebhookConfiguration", "ValidatingWebhookConfiguration")
LOOPBACK_PREFIX = "loopback-"


def controller_kubeconfig(plane: ControlPlane, path: Path) -> Path:
    """The plane's kubeconfig with its test context current, as controllers read it."""
    config: dict[str, Any] = yaml.safe_load(plane.kubeconfig.read_text())
    config["current-context"] = plane.context
    path.write_text(yaml.safe_dump(config))
    path.chmod(0o600)
    return path


def loopback_webhook_configurations(port: int, ca_pem: bytes) -> list[Document]:
    """The chart's webhook configurations, named loopback-<name>, each webhook sent
    to https://127.0.0.1:port<its service path> and trusting ca_pem."""
    bundle = base64.b64encode(ca_pem).decode()
    found: list[Document] = []
    for doc in operator_chart_documents("cnpg-system"):
        if doc["kind"] not in WEBHOOK_KINDS:
            continue
        doc["metadata"] = {"name": LOOPBACK_PREFIX + doc["metadata"]["name"]}
        for webhook in doc["webhooks"]:
            path = webhook["clientConfig"]["service"]["path"]
            webhook["clientConfig"] = {"url": f"https://127.0.0.1:{port}{path}", "caBundle": bundle}
        found.append(doc)
    if len(found) != len(WEBHOOK_KINDS):
        raise AssertionError(f"the operator chart has no {WEBHOOK_KINDS} pair: {found}")
    return found


@dataclass
class LoopbackWebhooks:
    """Where the operator will serve its webhooks, and the certificates for it."""

    port: int
    ca: LoopbackCA
    cert_dir: Path

    @classmethod
    def create(cls, workdir: Path) -> LoopbackWebhooks:
        cert_dir = workdir / "webhook-certs"
        cert_dir.mkdir(parents=True)
        ca = LoopbackCA("wildside-cnpg-webhook-ca")
        ca.issue(cert_dir / "apiserver.crt", cert_dir / "apiserver.key", "cnpg-webhook-service")
        return cls(port=free_port(), ca=ca, cert_dir=cert_dir)

    def install(self, objects: Objects) -> None:
        for doc in loopback_webhook_configurations(self.port, self.ca.pem()):
            objects.apply(doc)


@contextmanager
def running_operator(
    plane: ControlPlane,
    webhooks: LoopbackWebhooks,
    workdir: Path,
    namespace: str,
    *,
    watch_namespace: str | None = None,
    name: str = "cnpg-operator",
) -> Iterator[subprocess.Popen[bytes]]:
    """`manager controller` against plane, serving webhooks; stopped by PID on exit.
    name names its working directory and log (one per start)."""
    manager = Path(binary("cnpg-manager", SETUP)).resolve()
    home = workdir / f"{name}-wd"
    (home / "operator").mkdir(parents=True)
    (home / "operator" / "manager_amd64").symlink_to(manager)
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "KUBECONFIG": str(controller_kubeconfig(plane, workdir / f"{name}.kubeconfig")),
        "OPERATOR_NAMESPACE": namespace,
        "WEBHOOK_CERT_DIR": str(webhooks.cert_dir),
    }
    if watch_namespace is not None:
        env["WATCH_NAMESPACE"] = watch_namespace
    log = logs.register(workdir / f"{name}.log")
    process = start_process(
        [
            str(home / "operator" / "manager_amd64"),
            "controller",
            f"--webhook-port={webhooks.port}",
            "--metrics-bind-address=0",
            "--leader-elect=false",
        ],
        log,
        env=env,
        cwd=home,
    )
    try:
        tls = ssl.create_default_context(cadata=webhooks.ca.pem().decode())
        wait_http(f"https://127.0.0.1:{webhooks.port}/readyz", process, log, context=tls)
        yield process
    finally:
        stop_process(process, STOP_TIMEOUT)
