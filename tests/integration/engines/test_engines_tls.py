"""The rendered certificate and URIs against a real PostgreSQL and libpq.

A CA stands in for the cert-manager issuer: it signs a certificate exactly as the
rendered Certificate asks (its DNS names, ECDSA P-256 key, usages) and the files
land as cert-manager writes them (tls.crt, tls.key, ca.crt), served by PostgreSQL as
CNPG configures it (ssl_cert_file, ssl_key_file). A client then connects with the
ESO app secret's `uri` (`sslmode=verify-full`) and the CA: libpq verifies the
server's name against every host a client may use, and refuses one the certificate
does not name."""

from __future__ import annotations

import contextlib
import datetime
import os
import pwd
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from tests.esotemplate import render_template

from .bootstrap import new_instance
from .pgserver import PG_USER, PgServer
from .rendering import Rendered, render

TLS_INPUTS: dict[str, Any] = {
    "tls_enabled": True,
    "tls_issuer_name": "ca-issuer",
    "eso_enabled": True,
    "app_credentials_vault_path": "wildside/postgres/app",
    "superuser_credentials_vault_path": "wildside/postgres/superuser",
    "pooler_enabled": True,
    "pooler_read_only_enabled": True,
}
PASSWORD = "c0ffee00c0ffee00c0ffee00c0ffee00"
_USAGES = {
    "server auth": ExtendedKeyUsageOID.SERVER_AUTH,
    "client auth": ExtendedKeyUsageOID.CLIENT_AUTH,
}


def _of_kind(rendered: Rendered, kind: str, name: str | None = None) -> dict[str, Any]:
    (doc,) = [
        doc
        for doc in rendered.objects
        if doc["kind"] == kind and (name is None or doc["metadata"]["name"] == name)
    ]
    return doc


def _own(path: Path) -> None:
    """PostgreSQL (run as postgres) reads its key only when it owns it."""
    if os.geteuid() == 0:
        entry = pwd.getpwnam(PG_USER)
        os.chown(path, entry.pw_uid, entry.pw_gid)


def _pem(certificate: x509.Certificate) -> bytes:
    return certificate.public_bytes(serialization.Encoding.PEM)


def _issue(certificate: dict[str, Any], directory: Path) -> dict[str, Path]:
    """The Secret cert-manager's CA issuer writes for the rendered Certificate."""
    spec = certificate["spec"]
    assert spec["privateKey"] == {"algorithm": "ECDSA", "size": 256, "rotationPolicy": "Always"}
    now = datetime.datetime.now(datetime.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "wildside test CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(True, False, False, False, False, True, True, False, False),
            critical=True,
        )
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    usages = [_USAGES[usage] for usage in spec["usages"] if usage in _USAGES]
    server = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.DNSName(name) for name in spec["dnsNames"]]),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage(usages), critical=False)
        .add_extension(
            x509.KeyUsage(True, False, True, False, False, False, False, False, False),
            critical=True,
        )
        .sign(ca_key, hashes.SHA256())
    )
    paths = {name: directory / name for name in ("tls.crt", "tls.key", "ca.crt")}
    paths["tls.crt"].write_bytes(_pem(server))
    paths["ca.crt"].write_bytes(_pem(ca))
    paths["tls.key"].write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    for path in paths.values():
        _own(path)
        path.chmod(0o600 if path.name == "tls.key" else 0o644)
    return paths


@pytest.fixture(scope="module")
def served(workdir: Path) -> Iterator[tuple[Rendered, PgServer, dict[str, Path]]]:
    rendered = render(TLS_INPUTS)
    directory = workdir / "tls-secret"
    directory.mkdir()
    _own(directory)
    paths = _issue(_of_kind(rendered, "Certificate"), directory)
    server = PgServer(workdir / "tls")
    try:
        # The bootstrap creates the owner and the database (trust on 127.0.0.1).
        new_instance(
            server,
            rendered.cluster,
            {
                "ssl": "on",
                "ssl_cert_file": str(paths["tls.crt"]),
                "ssl_key_file": str(paths["tls.key"]),
            },
        )
        yield rendered, server, paths
    finally:
        server.remove()


def _app_uri(rendered: Rendered, password: str = PASSWORD) -> str:
    """The app secret's `uri` as ESO writes it when Vault answers `password`."""
    secret = _of_kind(rendered, "ExternalSecret", "wildside-pg-app-credentials")
    template = secret["spec"]["target"]["template"]["data"]
    return render_template({"uri": template["uri"]}, {"password": password})["uri"]


def _connect(uri: str, server: PgServer, ca: Path, **extra: str) -> psycopg.Connection:
    # hostaddr: the name stays what the URI says (and what libpq verifies), the
    # connection goes to the local server.
    return psycopg.connect(
        uri,
        hostaddr="127.0.0.1",
        port=server.port,
        sslrootcert=str(ca),
        connect_timeout=10,
        **extra,
    )


def test_the_app_uri_verifies_the_server_fully(
    served: tuple[Rendered, PgServer, dict[str, Path]],
) -> None:
    rendered, server, paths = served
    uri = _app_uri(rendered)
    assert uri == (
        f"postgresql://wildside_user:{PASSWORD}@wildside-pg-rw.databases:5432/wildside_prod"
        "?sslmode=verify-full"
    )
    with _connect(uri, server, paths["ca.crt"]) as connection:
        row = connection.execute(
            "SELECT ssl, current_user, current_database() FROM pg_stat_ssl "
            "WHERE pid = pg_backend_pid()"
        ).fetchone()
    assert row == (True, "wildside_user", "wildside_prod")


@pytest.mark.parametrize(
    "host",
    [
        "wildside-pg-rw",
        "wildside-pg-rw.databases.svc",
        "wildside-pg-rw.databases.svc.cluster.local",
        "wildside-pg-ro.databases",
        "wildside-pg-r.databases.svc.cluster.local",
        "wildside-pg-pooler-rw.databases.svc.cluster.local",
        "wildside-pg-pooler-ro.databases",
    ],
)
def test_every_service_name_passes_verify_full(
    host: str, served: tuple[Rendered, PgServer, dict[str, Path]]
) -> None:
    rendered, server, paths = served
    uri = _app_uri(rendered).replace("wildside-pg-rw.databases", host)
    with _connect(uri, server, paths["ca.crt"]) as connection:
        assert connection.execute("SELECT 1").fetchone() == (1,)


def test_a_host_the_certificate_does_not_name_is_refused(
    served: tuple[Rendered, PgServer, dict[str, Path]],
) -> None:
    rendered, server, paths = served
    uri = _app_uri(rendered).replace("wildside-pg-rw.databases", "wildside-pg-other.databases")
    with pytest.raises(psycopg.OperationalError) as refused:
        _connect(uri, server, paths["ca.crt"])
    assert (
        'server certificate for "wildside-pg-rw" (and 19 other names) does not match host name '
        '"wildside-pg-other.databases"'
    ) in str(refused.value)


# Every character a URI's user info must escape, a space and a plus among them.
HARD_PASSWORD = "p@ss w+rd:/?#%&=[]"


@contextlib.contextmanager
def _passwords_checked_for(server: PgServer, user: str) -> Iterator[None]:
    """`user` must give its password (scram-sha-256) while inside; trust again after."""
    hba = server.datadir / "pg_hba.conf"
    trusted = hba.read_text()
    server.write_as_postgres(hba, f"host all {user} 127.0.0.1/32 scram-sha-256\n{trusted}")
    server.execute("SELECT pg_reload_conf()")
    try:
        yield
    finally:
        server.write_as_postgres(hba, trusted)
        server.execute("SELECT pg_reload_conf()")


def test_a_password_with_reserved_characters_reaches_the_server_whole(
    served: tuple[Rendered, PgServer, dict[str, Path]],
) -> None:
    """ESO writes the uri with the password escaped for a URI's user info; libpq,
    which decodes %XX and nothing else, gives the server the password as Vault holds
    it (a space written as "+" would reach it as a plus)."""
    rendered, server, paths = served
    server.execute(f"ALTER ROLE wildside_user PASSWORD '{HARD_PASSWORD}'")
    uri = _app_uri(rendered, HARD_PASSWORD)
    assert uri.startswith("postgresql://wildside_user:p%40ss%20w%2Brd%3A%2F%3F%23%25%26%3D%5B%5D@")
    with _passwords_checked_for(server, "wildside_user"):
        with _connect(uri, server, paths["ca.crt"]) as connection:
            assert connection.execute("SELECT current_user").fetchone() == ("wildside_user",)
        wrong = _app_uri(rendered, HARD_PASSWORD.replace(" ", "+"))
        with pytest.raises(psycopg.OperationalError) as refused:
            _connect(wrong, server, paths["ca.crt"])
    assert 'password authentication failed for user "wildside_user"' in str(refused.value)
