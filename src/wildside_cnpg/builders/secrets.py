"""ExternalSecrets that pull credentials from Vault through a ClusterSecretStore.

Usernames are not read from Vault: CNPG requires the app secret's username to equal
the database owner and the superuser's to be `postgres`, so the templates write
those names and only passwords (and S3 keys) come from Vault."""

from __future__ import annotations

from typing import Any

from ..inputs import Inputs
from ..kinds import CLUSTER_SECRET_STORE_KIND, EXTERNAL_SECRET
from ..names import POSTGRES_PORT, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY, Names
from .common import Document, resource

_PASSWORD = "{{ .password }}"
_QUOTED_PASSWORD = "{{ .password | urlquery }}"


def _remote(secret_key: str, path: str, prop: str) -> dict[str, Any]:
    return {"secretKey": secret_key, "remoteRef": {"key": path, "property": prop}}


def _external_secret(
    inputs: Inputs,
    name: str,
    data: list[dict[str, Any]],
    template: dict[str, Any] | None,
) -> Document:
    return resource(
        EXTERNAL_SECRET,
        name,
        inputs.cluster_namespace,
        labels={"cnpg.io/cluster": inputs.cluster_name},
        spec={
            "refreshInterval": inputs.eso_refresh_interval,
            "secretStoreRef": {
                "kind": CLUSTER_SECRET_STORE_KIND,
                "name": inputs.eso_cluster_secret_store_name,
            },
            "target": {"name": name, "creationPolicy": "Owner", "template": template},
            "data": data,
        },
    )


def _basic_auth_template(data: dict[str, str]) -> dict[str, Any]:
    """A `kubernetes.io/basic-auth` Secret that CNPG reloads as soon as it changes."""
    return {
        "type": "kubernetes.io/basic-auth",
        "engineVersion": "v2",
        "metadata": {"labels": {"cnpg.io/reload": "true"}},
        "data": data,
    }


def app_secret_keys(inputs: Inputs, names: Names) -> dict[str, str]:
    """The keys CNPG puts in the `<cluster>-app` Secret it generates, as ESO templates,
    so applications read the same keys with or without ESO."""
    owner, database = inputs.database_owner, inputs.database_name
    host = names.primary_service
    short = f"{host}.{inputs.cluster_namespace}"
    fqdn = names.primary_endpoint
    port = str(POSTGRES_PORT)
    return {
        "username": owner,
        "user": owner,
        "password": _PASSWORD,
        "dbname": database,
        "host": host,
        "port": port,
        "pgpass": f"{host}:{port}:{database}:{owner}:{_PASSWORD}\n",
        "uri": f"postgresql://{owner}:{_QUOTED_PASSWORD}@{short}:{port}/{database}",
        "jdbc-uri": (
            f"jdbc:postgresql://{short}:{port}/{database}?password={_QUOTED_PASSWORD}&user={owner}"
        ),
        "fqdn-uri": f"postgresql://{owner}:{_QUOTED_PASSWORD}@{fqdn}:{port}/{database}",
        "fqdn-jdbc-uri": (
            f"jdbc:postgresql://{fqdn}:{port}/{database}?password={_QUOTED_PASSWORD}&user={owner}"
        ),
    }


def app_external_secret(inputs: Inputs, names: Names) -> Document | None:
    path = inputs.app_credentials_vault_path
    if not inputs.eso_enabled or path is None:
        return None
    return _external_secret(
        inputs,
        names.app_secret,
        [_remote("password", path, inputs.vault_password_property)],
        _basic_auth_template(app_secret_keys(inputs, names)),
    )


def superuser_external_secret(inputs: Inputs, names: Names) -> Document | None:
    path, name = inputs.superuser_credentials_vault_path, names.superuser_secret
    if not inputs.eso_enabled or path is None or name is None:
        return None
    return _external_secret(
        inputs,
        name,
        [_remote("password", path, inputs.vault_password_property)],
        _basic_auth_template({"username": "postgres", "password": _PASSWORD}),
    )


def backup_external_secret(inputs: Inputs, names: Names) -> Document | None:
    path, name = inputs.backup_credentials_vault_path, names.backup_secret
    if not inputs.eso_enabled or path is None or name is None:
        return None
    return _external_secret(
        inputs,
        name,
        [
            _remote(S3_ACCESS_KEY_ID, path, inputs.vault_access_key_id_property),
            _remote(S3_SECRET_ACCESS_KEY, path, inputs.vault_secret_access_key_property),
        ],
        None,
    )
