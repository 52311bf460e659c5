"""Every derived name and path in one place: object names, secret names, service
names, file paths and the outputs all come from these functions."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from .inputs import Inputs

POSTGRES_PORT = 5432
SOURCES_DIR = "platform/sources"
DATABASES_DIR = "platform/databases"
FLUX_DIR = "platform/flux"
LAYERS_DIR = f"{DATABASES_DIR}/layers"
S3_ACCESS_KEY_ID = "ACCESS_KEY_ID"
S3_SECRET_ACCESS_KEY = "SECRET_ACCESS_KEY"
MANAGED_BY = "wildside-cnpg"
PLAINTEXT_ACK_ANNOTATION = "wildside-cnpg.io/plaintext-credentials-acknowledged"


@dataclass(frozen=True)
class Names:
    """Names derived from the inputs."""

    inputs: Inputs

    # Services CNPG creates for every Cluster.
    @property
    def primary_service(self) -> str:
        return f"{self.inputs.cluster_name}-rw"

    @property
    def replica_service(self) -> str:
        return f"{self.inputs.cluster_name}-ro"

    def fqdn(self, service: str) -> str:
        return f"{service}.{self.inputs.cluster_namespace}.svc.{self.inputs.cluster_domain}"

    @property
    def primary_endpoint(self) -> str:
        return self.fqdn(self.primary_service)

    @property
    def replica_endpoint(self) -> str:
        return self.fqdn(self.replica_service)

    # Credentials: the Secret each consumer reads, whoever creates it.
    @property
    def superuser_secret(self) -> str | None:
        """ESO's target, or the one CNPG generates; None when superuser access is off."""
        if not self.inputs.enable_superuser_access:
            return None
        if self.inputs.eso_enabled:
            return self.inputs.superuser_credentials_secret_name
        return f"{self.inputs.cluster_name}-superuser"

    @property
    def app_secret(self) -> str:
        """ESO's target, or the `<cluster>-app` Secret CNPG generates without one."""
        if self.inputs.eso_enabled:
            return self.inputs.app_credentials_secret_name
        return f"{self.inputs.cluster_name}-app"

    @property
    def backup_secret(self) -> str | None:
        """The Secret holding the S3 keys; None without backups."""
        if not self.inputs.backup_enabled:
            return None
        if self.inputs.backup_s3_credentials_secret_name is not None:
            return self.inputs.backup_s3_credentials_secret_name
        return f"{self.inputs.cluster_name}-s3-credentials"

    @property
    def object_store(self) -> str:
        return f"{self.inputs.cluster_name}-object-store"

    @property
    def uses_plugin(self) -> bool:
        return self.inputs.backup_enabled and self.inputs.backup_method == "barman_cloud_plugin"

    @property
    def renders_pdb(self) -> bool:
        return self.inputs.pdb_enabled and self.inputs.instances > 1

    @property
    def primary_pdb(self) -> str:
        return f"{self.inputs.pdb_name}-primary"

    @property
    def replica_pdb(self) -> str:
        return self.inputs.pdb_name

    @property
    def operator_layer(self) -> str:
        return f"{self.inputs.helm_release_name}-operator"

    @property
    def cluster_layer(self) -> str:
        return f"{self.inputs.cluster_name}-cluster"

    # Files of the rendered tree.
    @cached_property
    def paths(self) -> TreePaths:
        return TreePaths(self.inputs)


@dataclass(frozen=True)
class TreePaths:
    """Paths of the rendered tree, relative to the GitOps checkout's root."""

    inputs: Inputs

    @property
    def helm_repository(self) -> str:
        return f"{SOURCES_DIR}/cloudnative-pg-repo.yaml"

    def namespace(self, namespace: str) -> str:
        return f"{DATABASES_DIR}/namespace-{namespace}.yaml"

    @property
    def helm_release(self) -> str:
        return f"{DATABASES_DIR}/cnpg-operator-helmrelease.yaml"

    @property
    def plugin_helm_release(self) -> str:
        return f"{DATABASES_DIR}/barman-cloud-plugin-helmrelease.yaml"

    @property
    def object_store(self) -> str:
        return f"{DATABASES_DIR}/object-store.yaml"

    @property
    def cluster(self) -> str:
        return f"{DATABASES_DIR}/{self.inputs.cluster_name}-cluster.yaml"

    @property
    def pdb(self) -> str:
        return f"{DATABASES_DIR}/pdb-cnpg-cluster.yaml"

    @property
    def s3_secret(self) -> str:
        return f"{DATABASES_DIR}/s3-credentials-secret.yaml"

    @property
    def scheduled_backup(self) -> str:
        return f"{DATABASES_DIR}/scheduled-backup.yaml"

    def external_secret(self, purpose: str) -> str:
        return f"{DATABASES_DIR}/external-secret-{purpose}.yaml"

    @property
    def pod_monitor(self) -> str:
        return f"{DATABASES_DIR}/podmonitor-{self.inputs.cluster_name}.yaml"

    @property
    def kustomization(self) -> str:
        return f"{DATABASES_DIR}/kustomization.yaml"

    def layer_kustomization(self, layer: str) -> str:
        return f"{LAYERS_DIR}/{layer}/kustomization.yaml"

    @property
    def flux_kustomizations(self) -> str:
        return f"{FLUX_DIR}/cnpg-kustomizations.yaml"
