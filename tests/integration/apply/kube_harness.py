"""A real etcd + kube-apiserver for the apply tests, started like envtest does.

The binaries come from scripts/setup/40-kube.sh (built from the Kubernetes and
etcd Go modules, cached under $WILDSIDE_CNPG_CACHE). One control plane serves
the whole session: each test works in namespaces of its own because without a
controller manager a namespace never finishes terminating.
"""

from __future__ import annotations

import datetime
import ipaddress
import os
import secrets
import shutil
import ssl
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from lightkube import Client, KubeConfig
from lightkube.core.resource_registry import resource_registry
from lightkube.types import PatchType
from tests.processes import free_port, stop_process

REPO = Path(__file__).resolve().parents[3]
CRD_DIR = REPO / "tests" / "data" / "crds"
CACHE = Path(os.environ.get("WILDSIDE_CNPG_CACHE", Path.home() / ".cache" / "wildside-cnpg"))
START_TIMEOUT = 120.0
STOP_TIMEOUT = 20.0
CRD_TIMEOUT = 60.0


@dataclass(frozen=True)
class ControlPlane:
    """Where the test API server listens and how to reach it."""

    server: str
    token: str
    ca_file: Path
    kubeconfig: Path
    context: str
    workdir: Path

    def client(self, field_manager: str = "wildside-cnpg-tests") -> Client:
        config = KubeConfig.from_file(self.kubeconfig)
        return Client(config=config.get(self.context), field_manager=field_manager)


def binary(name: str, setup: str = "scripts/setup/40-kube.sh") -> str:
    """The cached build of name (or one on PATH); fails naming the setup step."""
    found = shutil.which(name) or shutil.which(name, path=str(CACHE / "bin"))
    if found is None:
        pytest.fail(f"{name} is not installed: run {setup} (scripts/test.sh does)")
    return found


def _pem_key(key: rsa.RSAPrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )


class LoopbackCA:
    """A throwaway certificate authority: the API server's serving certificate, and
    the serving certificates of webhooks and loopback servers the harnesses start."""

    def __init__(self, name: str = "wildside-cnpg-test-ca") -> None:
        now = datetime.datetime.now(datetime.UTC)
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
        self.cert = (
            x509.CertificateBuilder()
            .subject_name(self.name)
            .issuer_name(self.name)
            .public_key(self.key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    content_commitment=False,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=True,
                    crl_sign=True,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .sign(self.key, hashes.SHA256())
        )

    def pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)

    def issue(self, cert_path: Path, key_path: Path, common_name: str) -> None:
        """A serving certificate for 127.0.0.1 and localhost, written as PEM (0600)."""
        now = datetime.datetime.now(datetime.UTC)
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        cert = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)]))
            .issuer_name(self.name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(
                x509.SubjectAlternativeName(
                    [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
                ),
                critical=False,
            )
            .add_extension(
                x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False
            )
            .sign(self.key, hashes.SHA256())
        )
        cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        key_path.write_bytes(_pem_key(key))
        cert_path.chmod(0o600)
        key_path.chmod(0o600)


def _write_certs(directory: Path) -> dict[str, Path]:
    """A CA, a serving certificate for 127.0.0.1 and a service-account key pair."""
    ca = LoopbackCA()
    sa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    paths = {
        "ca": directory / "ca.crt",
        "cert": directory / "apiserver.crt",
        "key": directory / "apiserver.key",
        "sa_key": directory / "sa.key",
        "sa_pub": directory / "sa.pub",
    }
    paths["ca"].write_bytes(ca.pem())
    ca.issue(paths["cert"], paths["key"], "kube-apiserver")
    paths["sa_key"].write_bytes(_pem_key(sa_key))
    paths["sa_pub"].write_bytes(
        sa_key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    for path in paths.values():
        path.chmod(0o600)
    return paths


def start_process(
    argv: list[str],
    log: Path,
    *,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
) -> subprocess.Popen[bytes]:
    """Start argv in a session of its own, stdout and stderr into log."""
    with log.open("wb") as out:
        return subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            env=env,
            cwd=cwd,
        )


def _stop(proc: subprocess.Popen[bytes]) -> None:
    stop_process(proc, STOP_TIMEOUT)


def tail(log: Path, lines: int = 30) -> str:
    text = log.read_text(errors="replace") if log.exists() else ""
    return "\n".join(text.splitlines()[-lines:])


def wait_http(
    url: str,
    proc: subprocess.Popen[bytes],
    log: Path,
    *,
    context: ssl.SSLContext | None = None,
    token: str | None = None,
    timeout: float = START_TIMEOUT,
) -> None:
    """Poll url until it answers 200 ok, the process dies, or timeout passes."""
    deadline = time.monotonic() + timeout
    last = "no answer"
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"{proc.args[0]} exited with {proc.returncode}:\n{tail(log)}")
        request = urllib.request.Request(url)
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(request, timeout=5, context=context) as response:
                if response.status == 200:
                    return
                last = f"HTTP {response.status}"
        except urllib.error.HTTPError as exc:
            last = f"HTTP {exc.code}: {exc.read()[:500]!r}"
        except OSError as exc:
            last = str(exc)
        time.sleep(0.5)
    pytest.fail(f"{url} not ready after {timeout}s ({last}):\n{tail(log)}")


def _write_kubeconfig(path: Path, server: str, ca_file: Path, token: str, context: str) -> None:
    config = {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [
            {
                "name": "test",
                "cluster": {"server": server, "certificate-authority": str(ca_file)},
            },
            {"name": "nowhere", "cluster": {"server": "https://127.0.0.1:1"}},
        ],
        "users": [{"name": "admin", "user": {"token": token}}],
        # The current context points nowhere, so tests show that --context is honoured.
        "contexts": [
            {"name": context, "context": {"cluster": "test", "user": "admin"}},
            {"name": "unused", "context": {"cluster": "nowhere", "user": "admin"}},
        ],
        "current-context": "unused",
    }
    path.write_text(yaml.safe_dump(config))
    path.chmod(0o600)


def load_crds(crd_dir: Path = CRD_DIR) -> list[dict[str, Any]]:
    """Every CustomResourceDefinition in the YAML files of crd_dir."""
    files = sorted(crd_dir.glob("*.yaml"))
    if not files:
        pytest.fail(f"no CRDs in {crd_dir}: the vendored upstream CRDs live in tests/data")
    return [
        doc
        for path in files
        for doc in yaml.safe_load_all(path.read_text())
        if doc and doc.get("kind") == "CustomResourceDefinition"
    ]


def install_crds(client: Client, crd_dir: Path = CRD_DIR) -> list[str]:
    """Server-side apply every CRD in crd_dir and wait until each is Established."""
    return install_crd_documents(client, load_crds(crd_dir))


def install_crd_documents(client: Client, crds: Iterable[dict[str, Any]]) -> list[str]:
    """Server-side apply each CRD and wait until each is Established."""
    crd_type = resource_registry.load("apiextensions.k8s.io/v1", "CustomResourceDefinition")
    names: list[str] = []
    for doc in crds:
        name = doc["metadata"]["name"]
        client.patch(
            crd_type, name, doc, patch_type=PatchType.APPLY, field_manager="wildside-cnpg-tests"
        )
        names.append(name)
    deadline = time.monotonic() + CRD_TIMEOUT
    pending = set(names)
    while pending and time.monotonic() < deadline:
        for name in sorted(pending):
            crd: Any = client.get(crd_type, name)
            conditions = (crd.status.conditions or []) if crd.status else []
            if any(c.type == "Established" and c.status == "True" for c in conditions):
                pending.discard(name)
        if pending:
            time.sleep(0.2)
    if pending:
        pytest.fail(f"CRDs not established after {CRD_TIMEOUT}s: {sorted(pending)}")
    return names


@contextmanager
def running_control_plane(
    workdir: Path, crds: Iterable[dict[str, Any]] | None = None
) -> Iterator[ControlPlane]:
    """etcd + kube-apiserver on free 127.0.0.1 ports with crds installed (by default
    the upstream CRDs vendored in tests/data/crds)."""
    etcd_bin, apiserver_bin = binary("etcd"), binary("kube-apiserver")
    certs = _write_certs(workdir)
    token = secrets.token_hex(16)
    token_file = workdir / "tokens.csv"
    token_file.write_text(f'{token},admin,1,"system:masters"\n')
    token_file.chmod(0o600)

    etcd_port, peer_port, api_port = free_port(), free_port(), free_port()
    etcd_url = f"http://127.0.0.1:{etcd_port}"
    etcd_log = workdir / "etcd.log"
    etcd = start_process(
        [
            etcd_bin,
            "--data-dir",
            str(workdir / "etcd"),
            "--listen-client-urls",
            etcd_url,
            "--advertise-client-urls",
            etcd_url,
            "--listen-peer-urls",
            f"http://127.0.0.1:{peer_port}",
            "--initial-advertise-peer-urls",
            f"http://127.0.0.1:{peer_port}",
            "--initial-cluster",
            f"default=http://127.0.0.1:{peer_port}",
            "--unsafe-no-fsync",
        ],
        etcd_log,
    )
    procs = [etcd]
    try:
        wait_http(f"{etcd_url}/health", etcd, etcd_log)
        api_log = workdir / "kube-apiserver.log"
        server = f"https://127.0.0.1:{api_port}"
        apiserver = start_process(
            [
                apiserver_bin,
                "--etcd-servers",
                etcd_url,
                "--bind-address",
                "127.0.0.1",
                "--advertise-address",
                "127.0.0.1",
                "--secure-port",
                str(api_port),
                "--cert-dir",
                str(workdir / "certs"),
                "--tls-cert-file",
                str(certs["cert"]),
                "--tls-private-key-file",
                str(certs["key"]),
                "--service-cluster-ip-range",
                "10.0.0.0/24",
                "--service-account-issuer",
                server,
                "--service-account-key-file",
                str(certs["sa_pub"]),
                "--service-account-signing-key-file",
                str(certs["sa_key"]),
                "--token-auth-file",
                str(token_file),
                "--authorization-mode",
                "RBAC",
                "--allow-privileged",
                "--disable-admission-plugins",
                "ServiceAccount",
            ],
            api_log,
        )
        procs.append(apiserver)
        tls = ssl.create_default_context(cafile=str(certs["ca"]))
        wait_http(f"{server}/readyz", apiserver, api_log, context=tls, token=token)
        kubeconfig = workdir / "kubeconfig"
        _write_kubeconfig(kubeconfig, server, certs["ca"], token, "wildside-test")
        plane = ControlPlane(
            server=server,
            token=token,
            ca_file=certs["ca"],
            kubeconfig=kubeconfig,
            context="wildside-test",
            workdir=workdir,
        )
        with plane.client() as client:
            install_crd_documents(client, load_crds() if crds is None else crds)
        yield plane
    finally:
        for proc in reversed(procs):
            try:
                _stop(proc)
            except (OSError, subprocess.TimeoutExpired):
                proc.kill()
                proc.wait(timeout=STOP_TIMEOUT)


# --- helpers the apply tests share -------------------------------------------------


def suffix() -> str:
    """A short random suffix: each test works in namespaces of its own."""
    return secrets.token_hex(3)


def inputs_file(tmp_path: Path, **values: Any) -> tuple[Path, str, str]:
    """An apply-mode inputs file in namespaces of the test's own, and those namespaces
    (the cluster's, the operator's)."""
    tag = suffix()
    data = {"mode": "apply", "cluster_namespace": f"db-{tag}", "operator_namespace": f"op-{tag}"}
    data.update(values)
    path = tmp_path / "inputs.yaml"
    path.write_text(yaml.safe_dump(data))
    return path, data["cluster_namespace"], data["operator_namespace"]


def on_cluster(plane: ControlPlane, command: str, inputs: Path, *extra: str) -> list[str]:
    """The arguments of `command` on the inputs, against the test API server."""
    where = ["--kubeconfig", str(plane.kubeconfig), "--context", plane.context]
    return [command, "--inputs", str(inputs), *where, *extra]


def subset_mismatches(expected: Any, live: Any, path: str = "") -> list[str]:
    """Paths where live differs from expected, ignoring what live has in addition: keys
    of mappings, also those of a list's items (the API server fills in the defaults of
    the CRD's schema there too, such as a plugin's `enabled: true`). A list keeps its
    length and order."""
    if isinstance(expected, list):
        if not isinstance(live, list) or len(live) != len(expected):
            return [f"{path}: expected {expected!r}, got {live!r}"]
        return [
            mismatch
            for index, (item, live_item) in enumerate(zip(expected, live, strict=True))
            for mismatch in subset_mismatches(item, live_item, f"{path}[{index}]")
        ]
    if isinstance(expected, dict):
        if not isinstance(live, dict):
            return [f"{path}: expected a mapping, got {live!r}"]
        found: list[str] = []
        for key, value in expected.items():
            sub = f"{path}.{key}"
            if key not in live:
                found.append(f"{sub}: missing")
            else:
                found += subset_mismatches(value, live[key], sub)
        return found
    if expected != live:
        return [f"{path}: expected {expected!r}, got {live!r}"]
    return []
