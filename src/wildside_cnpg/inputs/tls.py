"""TLS inputs: the server certificate from cert-manager, and an optional client CA."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .base import InputFields
from .types import DNSLabel, DNSSubdomain, GoDuration


class TlsInputs(InputFields):
    tls_enabled: bool = Field(
        False,
        description="Serve PostgreSQL (and the poolers) with a certificate from cert-manager "
        "instead of CNPG's self-signed one; the app secret's URIs then ask for "
        "sslmode=verify-full",
    )
    tls_issuer_name: DNSSubdomain | None = Field(
        None, description="cert-manager Issuer or ClusterIssuer that signs the certificate"
    )
    tls_issuer_kind: Literal["ClusterIssuer", "Issuer"] = Field(
        "ClusterIssuer",
        description="Kind of tls_issuer_name (an Issuer must be in cluster_namespace)",
    )
    tls_duration: GoDuration = Field(
        "2160h", description="Lifetime of the certificate (at least 1h)"
    )
    tls_renew_before: GoDuration = Field(
        "720h",
        description="How long before expiry cert-manager renews it (at least 5m, less than "
        "tls_duration); CNPG reloads PostgreSQL with the new one, without a restart",
    )
    tls_ca_secret_name: DNSLabel | None = Field(
        None,
        description="Secret whose ca.crt clients verify the server with (spec.certificates."
        "serverCASecret), such as a trust bundle; default the certificate's own Secret "
        "(cert-manager's ca.crt there; ACME issuers leave it empty)",
    )
    tls_server_alt_dns_names: tuple[DNSSubdomain, ...] = Field(
        (),
        strict=False,
        description="More DNS names clients reach the server by, such as a LoadBalancer's "
        "(additional_services): in cert-manager's certificate with tls_enabled, else in "
        "CNPG's own (spec.certificates.serverAltDNSNames)",
    )
    tls_client_ca_secret_name: DNSLabel | None = Field(
        None,
        description="Secret you manage with ca.crt and ca.key of a CA for client certificates "
        "(spec.certificates.clientCASecret): PostgreSQL verifies client certificates against "
        "it, and CNPG signs the replication and pooler certificates with it (default CNPG's "
        "own <cluster_name>-ca)",
    )
