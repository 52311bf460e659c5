"""The server certificate from cert-manager, and the Cluster's spec.certificates.

CNPG 1.30 reads the server certificate from `serverTLSSecret` (tls.crt, tls.key) and
checks it against `serverCASecret` (ca.crt); its webhook refuses the first without
the second, and `serverAltDNSNames` beside them. cert-manager writes ca.crt into the
certificate's own Secret (for CA and self-signed issuers), so one Secret serves both
unless another CA Secret is named. The instance manager re-reads the Secret when it
changes and reloads PostgreSQL, without a restart
(pkg/reconciler/instance/certificate/reconciler.go)."""

from __future__ import annotations

from ..constants import CLUSTER_LABEL, RELOAD_LABEL
from ..inputs import Inputs
from ..kinds import CERTIFICATE
from ..shape import Shape, TlsShape
from .common import NEVER_PRUNE, Document, cluster_labels, resource

CERT_MANAGER_GROUP = "cert-manager.io"


def certificate(inputs: Inputs, shape: Shape, tls: TlsShape) -> Document:
    """Never pruned: it keeps the Secret the instances serve TLS with renewed."""
    return resource(
        CERTIFICATE,
        tls.certificate,
        shape.namespace,
        labels=cluster_labels(shape.cluster),
        annotations=dict(NEVER_PRUNE),
        spec={
            "secretName": tls.secret,
            # The operator reconciles the Cluster as soon as a labelled Secret changes.
            "secretTemplate": {"labels": {RELOAD_LABEL: "true", CLUSTER_LABEL: shape.cluster}},
            "issuerRef": {
                "name": inputs.tls_issuer_name or "",
                "kind": inputs.tls_issuer_kind,
                "group": CERT_MANAGER_GROUP,
            },
            "duration": inputs.tls_duration,
            "renewBefore": inputs.tls_renew_before,
            "dnsNames": list(tls.dns_names),
            # CNPG verifies the server certificate for server auth.
            "usages": ["server auth", "digital signature", "key encipherment"],
            "privateKey": {"algorithm": "ECDSA", "size": 256, "rotationPolicy": "Always"},
        },
    )


def cluster_certificates(shape: Shape) -> Document | None:
    """The Cluster's spec.certificates: cert-manager's Secrets, or more names for
    CNPG's own certificate (CNPG refuses them beside a server certificate of yours,
    whose names are the Certificate's)."""
    tls = shape.tls
    if tls is None:
        names = list(shape.inputs.tls_server_alt_dns_names)
        return {"serverAltDNSNames": names} if names else None
    return {
        "serverTLSSecret": tls.secret,
        "serverCASecret": tls.ca_secret,
        "clientCASecret": tls.client_ca_secret,
    }
