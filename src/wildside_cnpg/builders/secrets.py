"""ExternalSecrets that pull credentials from Vault through a ClusterSecretStore.

Usernames are not read from Vault: CNPG requires the app secret's username to equal
the database owner and the superuser's to be `postgres`, so the templates write
those names and only passwords (and S3 keys) come from Vault."""

from __future__ import annotations

from typing import Any

from ..constants import RELOAD_LABEL, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY
from ..inputs import Inputs
from ..kinds import CLUSTER_SECRET_STORE_KIND, EXTERNAL_SECRET
from ..shape import POSTGRES_PORT, RoleShape, Shape
from .common import NEVER_PRUNE, Document, cluster_labels, resource

_PASSWORD = "{{ .password }}"
# In a jdbc URI's query string, urlquery (Go's url.QueryEscape) is what pgjdbc
# decodes. In a libpq URI's user info a space must be %20: libpq decodes %XX only and
# would read QueryEscape's "+" as a plus (a plus itself is already %2B).
_QUERY_PASSWORD = "{{ .password | urlquery }}"
_USERINFO_PASSWORD = '{{ .password | urlquery | replace "+" "%20" }}'
VERIFY_FULL = "sslmode=verify-full"


def _remote(secret_key: str, path: str, prop: str) -> dict[str, Any]:
    return {"secretKey": secret_key, "remoteRef": {"key": path, "property": prop}}


def _external_secret(
    inputs: Inputs,
    shape: Shape,
    name: str,
    data: list[dict[str, Any]],
    template: dict[str, Any] | None,
) -> Document:
    """Never pruned: deleting an ExternalSecret deletes the Secret it owns, and the
    Cluster reading it would lose its credentials."""
    return resource(
        EXTERNAL_SECRET,
        name,
        shape.namespace,
        labels=cluster_labels(shape.cluster),
        annotations=dict(NEVER_PRUNE),
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
        "metadata": {"labels": {RELOAD_LABEL: "true"}},
        "data": data,
    }


def app_secret_keys(inputs: Inputs, shape: Shape) -> dict[str, str]:
    """The keys CNPG puts in the `<cluster>-app` Secret it generates, as ESO templates,
    so applications read the same keys with or without ESO."""
    return connection_keys(shape, inputs.database_owner, inputs.database_name)


def connection_keys(shape: Shape, owner: str, database: str) -> dict[str, str]:
    """A role's credentials and how to reach `database` as it, in CNPG's keys."""
    host = shape.primary_service
    short = f"{host}.{shape.namespace}"
    fqdn = shape.fqdn(host)
    port = str(POSTGRES_PORT)
    # With the certificate from cert-manager, clients verify the server and its name
    # (the certificate names every form of each service's host).
    verify = shape.tls is not None
    query = f"?{VERIFY_FULL}" if verify else ""
    jdbc = f"&{VERIFY_FULL}" if verify else ""
    return {
        "username": owner,
        "user": owner,
        "password": _PASSWORD,
        "dbname": database,
        "host": host,
        "port": port,
        "pgpass": f"{host}:{port}:{database}:{owner}:{_PASSWORD}\n",
        "uri": f"postgresql://{owner}:{_USERINFO_PASSWORD}@{short}:{port}/{database}{query}",
        "jdbc-uri": (
            f"jdbc:postgresql://{short}:{port}/{database}?password={_QUERY_PASSWORD}"
            f"&user={owner}{jdbc}"
        ),
        "fqdn-uri": f"postgresql://{owner}:{_USERINFO_PASSWORD}@{fqdn}:{port}/{database}{query}",
        "fqdn-jdbc-uri": (
            f"jdbc:postgresql://{fqdn}:{port}/{database}?password={_QUERY_PASSWORD}"
            f"&user={owner}{jdbc}"
        ),
    }


def app_external_secret(inputs: Inputs, shape: Shape) -> Document:
    return _external_secret(
        inputs,
        shape,
        shape.app_secret,
        [
            _remote(
                "password", inputs.app_credentials_vault_path or "", inputs.vault_password_property
            )
        ],
        _basic_auth_template(app_secret_keys(inputs, shape)),
    )


def superuser_external_secret(inputs: Inputs, shape: Shape) -> Document:
    return _external_secret(
        inputs,
        shape,
        shape.superuser_secret or "",
        [
            _remote(
                "password",
                inputs.superuser_credentials_vault_path or "",
                inputs.vault_password_property,
            )
        ],
        _basic_auth_template({"username": "postgres", "password": _PASSWORD}),
    )


def backup_external_secret(inputs: Inputs, shape: Shape) -> Document:
    return _external_secret(
        inputs,
        shape,
        (shape.backup.secret if shape.backup else None) or "",
        _s3_keys(inputs, inputs.backup_credentials_vault_path or ""),
        None,
    )


def recovery_external_secret(inputs: Inputs, shape: Shape) -> Document:
    """The S3 keys of the archive a new cluster recovers from."""
    return _external_secret(
        inputs,
        shape,
        (shape.recovery.secret if shape.recovery else None) or "",
        _s3_keys(inputs, inputs.recovery_source_credentials_vault_path or ""),
        None,
    )


def _s3_keys(inputs: Inputs, path: str) -> list[dict[str, Any]]:
    """The two S3 keys an object store's Secret holds, read from one Vault path."""
    return [
        _remote(S3_ACCESS_KEY_ID, path, inputs.vault_access_key_id_property),
        _remote(S3_SECRET_ACCESS_KEY, path, inputs.vault_secret_access_key_property),
    ]


def role_external_secret(inputs: Inputs, shape: Shape, role: RoleShape) -> Document:
    """A managed role's password Secret: basic-auth with the role as username (CNPG
    refuses another), and the connection keys of the first database it owns."""
    return _external_secret(
        inputs,
        shape,
        role.secret,
        [_remote("password", role.vault_path or "", inputs.vault_password_property)],
        _basic_auth_template(connection_keys(shape, role.name, role.database)),
    )
