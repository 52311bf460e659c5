"""Credential inputs: External Secrets Operator pulling from Vault through a
ClusterSecretStore (the OpenTofu module's variables-credentials.tf)."""

from __future__ import annotations

from pydantic import Field

from .base import InputFields
from .types import DNSLabel, GoDuration, SecretKeyName, VaultPath


class CredentialsInputs(InputFields):
    eso_enabled: bool = Field(False, description="Manage credentials with ExternalSecrets")
    eso_cluster_secret_store_name: DNSLabel = Field(
        "vault-kv", description="ClusterSecretStore the ExternalSecrets read from"
    )
    eso_refresh_interval: GoDuration = Field(
        "1h", description="How often ExternalSecrets refresh (Go duration)"
    )
    superuser_credentials_vault_path: VaultPath | None = Field(
        None, description="Vault KV path of the postgres superuser's password"
    )
    superuser_credentials_secret_name: DNSLabel | None = Field(
        None,
        description="Secret ESO writes the superuser credentials to "
        "(default <cluster_name>-superuser-credentials)",
    )
    app_credentials_vault_path: VaultPath | None = Field(
        None, description="Vault KV path of the database owner's password"
    )
    app_credentials_secret_name: DNSLabel | None = Field(
        None,
        description="Secret ESO writes the application credentials to "
        "(default <cluster_name>-app-credentials)",
    )
    backup_credentials_vault_path: VaultPath | None = Field(
        None, description="Vault KV path of the S3 keys (one of the four credential sources)"
    )
    vault_password_property: SecretKeyName = Field(
        "password", description="Vault property holding a database password"
    )
    vault_access_key_id_property: SecretKeyName = Field(
        "access_key_id", description="Vault property holding the S3 access key id"
    )
    vault_secret_access_key_property: SecretKeyName = Field(
        "secret_access_key", description="Vault property holding the S3 secret key"
    )
