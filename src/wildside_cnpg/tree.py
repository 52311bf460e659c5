"""The rendered tree: relative path -> the documents of that file, in path order.

The shape decides which files exist and what each holds; this module only asks the
builder of each file's content for its documents."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .builders import (
    alerts,
    backup,
    certificates,
    cluster,
    databases,
    disruption,
    monitoring,
    namespaces,
    operator,
    pooler,
    secrets,
)
from .builders.kustomization import flux_kustomizations, kustomization
from .builders.sources import chart_sources
from .inputs import Inputs
from .shape import BackupShape, Chart, Content, File, RecoveryShape, Shape, TlsShape, decide
from .yamlio import plain_data

Tree = dict[str, list[dict[str, Any]]]
Builder = Callable[[Inputs, Shape, File], list[dict[str, Any]]]


def _kustomization(inputs: Inputs, shape: Shape, file: File) -> list[dict[str, Any]]:
    """Every other file of its directory: only a unit's entry is reached from outside."""
    listed = [other.path for other in shape.files if other.directory == file.directory]
    return [kustomization(file.directory, [path for path in listed if path != file.path])]


def _backup_of(shape: Shape) -> BackupShape:
    if shape.backup is None:  # the shape lists backup files only with backups
        raise AssertionError("backup file without backups")
    return shape.backup


def _recovery_of(shape: Shape) -> RecoveryShape:
    if shape.recovery is None:  # the shape lists recovery files only with recovery
        raise AssertionError("recovery file without recovery")
    return shape.recovery


def _plugin_chart(shape: Shape) -> Chart:
    if shape.plugin_chart is None:
        raise AssertionError("plugin release without the plugin")
    return shape.plugin_chart


def _tls_of(shape: Shape) -> TlsShape:
    if shape.tls is None:  # the shape lists the certificate only with TLS
        raise AssertionError("certificate file without TLS")
    return shape.tls


BUILDERS: dict[Content, Builder] = {
    "kustomization": _kustomization,
    "flux-kustomizations": lambda i, s, f: flux_kustomizations(i, s, s.flux_layers_in(f.directory)),
    "namespace": lambda i, s, f: [namespaces.namespace(f.subject)],
    "chart-sources": lambda i, s, f: chart_sources(i, s),
    "operator-release": lambda i, s, f: [operator.helm_release(i, s)],
    "plugin-release": lambda i, s, f: [operator.plugin_helm_release(i, s, _plugin_chart(s))],
    "cluster": lambda i, s, f: [cluster.cluster(i, s)],
    "budgets": lambda i, s, f: disruption.disruption_budgets(s),
    "scheduled-backup": lambda i, s, f: [backup.scheduled_backup(i, s, _backup_of(s))],
    "object-store": lambda i, s, f: [backup.object_store(i, s, _backup_of(s))],
    "s3-secret": lambda i, s, f: [backup.inline_s3_secret(i, s, _backup_of(s))],
    "external-secret-app": lambda i, s, f: [secrets.app_external_secret(i, s)],
    "external-secret-superuser": lambda i, s, f: [secrets.superuser_external_secret(i, s)],
    "external-secret-backup": lambda i, s, f: [secrets.backup_external_secret(i, s)],
    "pod-monitor": lambda i, s, f: [monitoring.pod_monitor(i, s)],
    "poolers": lambda i, s, f: pooler.poolers(i, s),
    "certificate": lambda i, s, f: [certificates.certificate(i, s, _tls_of(s))],
    "prometheus-rule": lambda i, s, f: [alerts.prometheus_rule(i, s)],
    "recovery-object-store": lambda i, s, f: [backup.recovery_object_store(i, s, _recovery_of(s))],
    "external-secret-recovery": lambda i, s, f: [secrets.recovery_external_secret(i, s)],
    "databases": lambda i, s, f: databases.databases(s),
    "external-secrets-roles": lambda i, s, f: [
        secrets.role_external_secret(i, s, role) for role in s.role_external_secrets
    ],
}


def build_tree(inputs: Inputs, shape: Shape | None = None) -> Tree:
    shape = shape if shape is not None else decide(inputs)
    return {
        file.path: [
            plain_data(doc, f"{file.path}[{index}]")
            for index, doc in enumerate(BUILDERS[file.content](inputs, shape, file))
        ]
        for file in shape.files
    }
