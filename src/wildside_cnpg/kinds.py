"""The one place that knows each resource's API version and kind."""

from __future__ import annotations

from typing import Final, NamedTuple


class Kind(NamedTuple):
    api_version: str
    kind: str


NAMESPACE: Final = Kind("v1", "Namespace")
SECRET: Final = Kind("v1", "Secret")
POD_DISRUPTION_BUDGET: Final = Kind("policy/v1", "PodDisruptionBudget")
HELM_REPOSITORY: Final = Kind("source.toolkit.fluxcd.io/v1", "HelmRepository")
OCI_REPOSITORY: Final = Kind("source.toolkit.fluxcd.io/v1", "OCIRepository")
HELM_RELEASE: Final = Kind("helm.toolkit.fluxcd.io/v2", "HelmRelease")
FLUX_KUSTOMIZATION: Final = Kind("kustomize.toolkit.fluxcd.io/v1", "Kustomization")
KUSTOMIZATION: Final = Kind("kustomize.config.k8s.io/v1beta1", "Kustomization")
CLUSTER: Final = Kind("postgresql.cnpg.io/v1", "Cluster")
OBJECT_STORE: Final = Kind("barmancloud.cnpg.io/v1", "ObjectStore")
SCHEDULED_BACKUP: Final = Kind("postgresql.cnpg.io/v1", "ScheduledBackup")
POD_MONITOR: Final = Kind("monitoring.coreos.com/v1", "PodMonitor")
EXTERNAL_SECRET: Final = Kind("external-secrets.io/v1", "ExternalSecret")
POOLER: Final = Kind("postgresql.cnpg.io/v1", "Pooler")
CERTIFICATE: Final = Kind("cert-manager.io/v1", "Certificate")
PROMETHEUS_RULE: Final = Kind("monitoring.coreos.com/v1", "PrometheusRule")

CLUSTER_SECRET_STORE_KIND: Final = "ClusterSecretStore"
BARMAN_CLOUD_PLUGIN: Final = "barman-cloud.cloudnative-pg.io"
