"""TLS from cert-manager: the inputs' rules with their exact messages, the
Certificate and the Cluster's spec.certificates, the app secret's URIs, the contract,
and what the plan says of certificate changes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests import layout
from wildside_cnpg import InputError, Inputs, Module
from wildside_cnpg.durations import duration_seconds
from wildside_cnpg.plan import plan_checkout
from wildside_cnpg.writer import write_tree

TLS: dict[str, Any] = {"tls_enabled": True, "tls_issuer_name": "ca-issuer"}
ESO: dict[str, Any] = {
    "eso_enabled": True,
    "app_credentials_vault_path": "wildside/postgres/app",
    "superuser_credentials_vault_path": "wildside/postgres/superuser",
}
UNUSED = "set while tls_enabled is false (no certificate would use it)"
SUBDOMAIN = (
    "expected a DNS-1123 subdomain (dot-separated parts of lower-case letters, digits and "
    "'-', each starting and ending with a letter or digit, at most 253 characters)"
)


def problems(**values: Any) -> list[str]:
    with pytest.raises(InputError) as raised:
        Inputs(**values)
    return str(raised.value).splitlines()


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"tls_issuer_name": "ca-issuer"}, [f"tls_issuer_name: {UNUSED}"]),
        (
            {"tls_client_ca_secret_name": "client-ca", "tls_duration": "24h"},
            [f"tls_duration: {UNUSED}", f"tls_client_ca_secret_name: {UNUSED}"],
        ),
        (
            {"tls_enabled": True},
            [
                "tls_issuer_name: required when tls_enabled is true; expected the name of a "
                "cert-manager ClusterIssuer (or Issuer, with tls_issuer_kind) such as ca-issuer"
            ],
        ),
        (
            {**TLS, "tls_issuer_name": "CA_Issuer"},
            [f"tls_issuer_name: {SUBDOMAIN}, got 'CA_Issuer'"],
        ),
        (
            {**TLS, "tls_issuer_name": "ca-issuer\n"},
            [f"tls_issuer_name: {SUBDOMAIN}, got 'ca-issuer\\n'"],
        ),
        (
            {**TLS, "tls_issuer_kind": "AWSPCAIssuer"},
            ["tls_issuer_kind: expected one of ClusterIssuer or Issuer, got 'AWSPCAIssuer'"],
        ),
        (
            {**TLS, "tls_duration": "30m", "tls_renew_before": "4m"},
            [
                "tls_duration: expected at least 1h (cert-manager's minimum), got '30m'",
                "tls_renew_before: expected at least 5m (cert-manager's minimum), got '4m'",
            ],
        ),
        (
            {**TLS, "tls_duration": "24h", "tls_renew_before": "1440m"},
            ["tls_renew_before: expected less than tls_duration '24h', got '1440m'"],
        ),
        (
            {**TLS, "tls_duration": "90 days"},
            [
                "tls_duration: expected a Go duration such as 30m, 1h or 1h30m (units ns, us, "
                "µs, ms, s, m, h), got '90 days'"
            ],
        ),
        (
            {**TLS, "tls_ca_secret_name": "wildside-pg-ca"},
            [
                "tls_ca_secret_name: 'wildside-pg-ca' is the CA CNPG generates for itself, which "
                "does not sign the certificate; expected the Secret holding the issuer's ca.crt, "
                "or unset for the certificate's own Secret"
            ],
        ),
        (
            {**TLS, "tls_client_ca_secret_name": "wildside-pg-ca"},
            [
                "tls_client_ca_secret_name: 'wildside-pg-ca' is CNPG's own client CA, the "
                "default; expected another Secret, or unset"
            ],
        ),
        (
            {**TLS, "tls_client_ca_secret_name": "wildside-pg-server-tls"},
            [
                "tls_client_ca_secret_name: 'wildside-pg-server-tls' is the server "
                "certificate's Secret, which has no ca.key to sign client certificates with; "
                "expected a Secret with ca.crt and ca.key"
            ],
        ),
    ],
)
def test_tls_rules(values: dict[str, Any], expected: list[str]) -> None:
    assert problems(**values) == expected


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("2160h", 7_776_000.0), ("1h30m", 5400.0), ("1.5h", 5400.0), ("300ms", 0.3)],
)
def test_go_durations(text: str, seconds: float) -> None:
    assert duration_seconds(text) == pytest.approx(seconds)


@pytest.mark.parametrize("text", ["", "1d", "h", "1h 30m", "30"])
def test_not_go_durations(text: str) -> None:
    assert duration_seconds(text) is None


def documents(**values: Any) -> dict[str, list[dict[str, Any]]]:
    return Module(Inputs(**values)).documents()


def test_off_by_default() -> None:
    docs = documents()
    assert "certificates" not in docs[layout.cluster_file()][0]["spec"]
    assert all(doc["kind"] != "Certificate" for doc in Module().objects())
    assert Module().outputs()["sync_policy_contract"]["value"]["tls"] == {
        "enabled": False,
        "server_secret": None,
        "ca_secret": None,
    }


def test_the_certificate_names_every_service_of_the_cluster_and_its_poolers() -> None:
    docs = documents(
        **TLS,
        cluster_name="geo",
        cluster_namespace="gis",
        cluster_domain="k8s.internal",
        pooler_enabled=True,
        pooler_read_only_enabled=True,
    )
    (certificate,) = docs[layout.credentials("certificate.yaml", "geo")]
    assert certificate["apiVersion"] == "cert-manager.io/v1"
    assert certificate["metadata"]["name"] == "geo-server-tls"
    assert certificate["metadata"]["namespace"] == "gis"
    assert certificate["metadata"]["annotations"] == {
        "kustomize.toolkit.fluxcd.io/prune": "disabled"
    }
    spec = certificate["spec"]
    assert spec["secretName"] == "geo-server-tls"
    assert spec["issuerRef"] == {
        "name": "ca-issuer",
        "kind": "ClusterIssuer",
        "group": "cert-manager.io",
    }
    assert (spec["duration"], spec["renewBefore"]) == ("2160h", "720h")
    assert "server auth" in spec["usages"]
    assert spec["secretTemplate"] == {
        "labels": {"cnpg.io/reload": "true", "cnpg.io/cluster": "geo"}
    }
    names = [
        name
        for service in ("geo-rw", "geo-r", "geo-ro", "geo-pooler-rw", "geo-pooler-ro")
        for name in (
            service,
            f"{service}.gis",
            f"{service}.gis.svc",
            f"{service}.gis.svc.k8s.internal",
        )
    ]
    assert spec["dnsNames"] == names


def test_the_cluster_serves_the_certificate_and_verifies_with_its_ca() -> None:
    spec = documents(**TLS)[layout.cluster_file()][0]["spec"]
    assert spec["certificates"] == {
        "serverTLSSecret": "wildside-pg-server-tls",
        "serverCASecret": "wildside-pg-server-tls",
    }
    spec = documents(
        **TLS,
        tls_ca_secret_name="internal-ca-bundle",
        tls_client_ca_secret_name="wildside-pg-client-ca",
        tls_issuer_kind="Issuer",
    )[layout.cluster_file()][0]["spec"]
    assert spec["certificates"] == {
        "serverTLSSecret": "wildside-pg-server-tls",
        "serverCASecret": "internal-ca-bundle",
        "clientCASecret": "wildside-pg-client-ca",
    }


def test_the_certificate_sits_in_the_credentials_layer_which_waits_for_it() -> None:
    module = Module(Inputs(**TLS))
    (file,) = [file for file in module.shape.files if file.content == "certificate"]
    assert file.layer == "credentials"
    layers = {doc["metadata"]["name"]: doc for doc in module.documents()[layout.cluster_flux()]}
    exprs = layers["wildside-pg-credentials"]["spec"]["healthCheckExprs"]
    assert {
        "apiVersion": "cert-manager.io/v1",
        "kind": "Certificate",
        "current": ("status.conditions.exists(e, e.type == 'Ready' && e.status == 'True')"),
    } in exprs


def test_the_app_secrets_uris_ask_for_verify_full() -> None:
    (secret,) = documents(**TLS, **ESO)[layout.credentials("external-secret-app.yaml")]
    data = secret["spec"]["target"]["template"]["data"]
    assert data["uri"] == (
        'postgresql://wildside_user:{{ .password | urlquery | replace "+" "%20" }}'
        "@wildside-pg-rw.databases:5432/"
        "wildside_prod?sslmode=verify-full"
    )
    assert data["fqdn-uri"].endswith("/wildside_prod?sslmode=verify-full")
    assert data["jdbc-uri"].endswith("&user=wildside_user&sslmode=verify-full")
    assert data["fqdn-jdbc-uri"].endswith("&user=wildside_user&sslmode=verify-full")
    (plain,) = documents(**ESO)[layout.credentials("external-secret-app.yaml")]
    assert "sslmode" not in str(plain)


def test_the_contract_names_the_server_and_ca_secrets() -> None:
    contract = Module(Inputs(**TLS, tls_ca_secret_name="ca-bundle")).outputs()[
        "sync_policy_contract"
    ]["value"]
    assert contract["tls"] == {
        "enabled": True,
        "server_secret": {"name": "wildside-pg-server-tls", "namespace": "databases"},
        "ca_secret": {"name": "ca-bundle", "namespace": "databases"},
    }


def _changes(tmp_path: Path, before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    module = Module(Inputs(**before))
    write_tree(tmp_path, module.render(), owner=module.shape.owner)
    plan = plan_checkout(Module(Inputs(**after)), tmp_path)
    assert plan.refusals == []
    return {str(c.key): (c.effect, c.details) for c in plan.changes if c.action != "unchanged"}


CLUSTER = "Cluster/databases/wildside-pg"
CERTIFICATE = "Certificate/databases/wildside-pg-server-tls"


def test_plan_tls_switched_on_reloads_without_restart(tmp_path: Path) -> None:
    changes = _changes(tmp_path, {}, TLS)
    assert changes[CLUSTER] == (
        "in place",
        (
            "spec.certificates changed: each instance manager reads the new Secrets and "
            "reloads PostgreSQL, without a restart (PgBouncer reloads them too)",
        ),
    )
    assert changes[CERTIFICATE] == ("in place", ("created",))


def test_plan_another_issuer_warns_clients_of_the_old_ca(tmp_path: Path) -> None:
    changes = _changes(
        tmp_path, TLS, {**TLS, "tls_issuer_name": "other-ca", "tls_duration": "4320h"}
    )
    assert changes == {
        CERTIFICATE: (
            "in place",
            (
                "spec.duration changed",
                "spec.issuerRef changed: clients that verify the server with the old issuer's "
                "CA fail until they trust the new one",
                "cert-manager issues a new certificate into Secret wildside-pg-server-tls; the "
                "instances and PgBouncer reload it without a restart",
            ),
        )
    }
