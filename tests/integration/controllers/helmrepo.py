"""A Helm chart repository on loopback serving the vendored real charts (the CNPG
operator's and the Barman Cloud plugin's), packaged with `helm package` and indexed
with `helm repo index`. It is served over https with a certificate from a test CA:
the inputs accept only https:// chart repositories, and source-controller is told to
trust that CA."""

from __future__ import annotations

import functools
import ssl
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tests.integration.apply.kube_harness import LoopbackCA, binary

from . import logs
from .crds import OPERATOR_CHART, PLUGIN_CHART

CHARTS = (OPERATOR_CHART, PLUGIN_CHART)


@dataclass(frozen=True)
class HelmRepository:
    url: str
    ca_file: Path
    directory: Path


class _Handler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        log: Path = self.server.log  # type: ignore[attr-defined]
        with log.open("a") as out:
            out.write(format % args + "\n")


@contextmanager
def running_helm_repository(workdir: Path) -> Iterator[HelmRepository]:
    directory = workdir / "helm-repository"
    directory.mkdir(parents=True)
    ca = LoopbackCA("wildside-cnpg-helm-repository-ca")
    ca_file = workdir / "helm-repository-ca.crt"
    ca_file.write_bytes(ca.pem())
    cert, key = workdir / "helm-repository.crt", workdir / "helm-repository.key"
    ca.issue(cert, key, "helm-repository")
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(cert, key)

    handler = functools.partial(_Handler, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    server.log = logs.register(workdir / "helm-repository.log")  # type: ignore[attr-defined]
    server.socket = tls.wrap_socket(server.socket, server_side=True)
    url = f"https://127.0.0.1:{server.server_address[1]}"
    helm = binary("helm")
    for chart in CHARTS:
        subprocess.run(
            [helm, "package", str(chart), "--destination", str(directory)],
            check=True,
            capture_output=True,
            timeout=60,
        )
    subprocess.run(
        [helm, "repo", "index", str(directory), "--url", url],
        check=True,
        capture_output=True,
        timeout=60,
    )
    thread = threading.Thread(target=server.serve_forever, name="helm-repository", daemon=True)
    thread.start()
    try:
        yield HelmRepository(url=url, ca_file=ca_file, directory=directory)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
