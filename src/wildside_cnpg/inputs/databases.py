"""Database inputs: CloudNativePG `Database` resources for the application database
and extra databases, and the managed roles that own them."""

from __future__ import annotations

from pydantic import Field

from .base import InputFields, InputGroup
from .feature_types import ExtensionName, ExtensionVersion
from .types import DNSLabel, PgIdentifier, VaultPath


class Extension(InputGroup):
    """An extension a Database resource keeps present in its database."""

    name: ExtensionName
    version: ExtensionVersion | None = Field(
        None, description="kept with ALTER EXTENSION ... UPDATE TO (default: as installed)"
    )


class ExtraDatabase(InputGroup):
    """A database beside the application database, owned by a managed role."""

    name: PgIdentifier
    owner: PgIdentifier
    extensions: tuple[Extension, ...] = Field((), strict=False)
    credentials_vault_path: VaultPath | None = Field(
        None, description="Vault KV path of the owner's password (needs eso_enabled)"
    )
    credentials_secret_name: DNSLabel | None = Field(
        None,
        description="Secret with the owner's credentials (default <cluster_name>-role-<owner>)",
    )


class DatabasesInputs(InputFields):
    database_resource_enabled: bool = Field(
        False,
        description="Manage the application database with a CNPG Database resource too: its "
        "PostGIS extensions and database_extensions stay present, and PostGIS is updated "
        "(ALTER EXTENSION ... UPDATE TO postgis_version) when the image brings a new version",
    )
    postgis_version: ExtensionVersion | None = Field(
        None,
        description="Version the Database resources keep the PostGIS extensions at (default: the "
        "PostGIS version in image_name's tag, such as 3.6.4 in postgis:16.14-3.6.4-...; none "
        "for a tag without one)",
    )
    database_extensions: tuple[Extension, ...] = Field(
        (),
        strict=False,
        description="More extensions of the application database, each {name, version}, kept "
        "by its Database resource (database_resource_enabled)",
    )
    databases: tuple[ExtraDatabase, ...] = Field(
        (),
        strict=False,
        description="Extra databases, each {name, owner, extensions, credentials_vault_path, "
        "credentials_secret_name}: a Database resource, and a managed role for its owner with "
        "the password from a Secret (an ExternalSecret from credentials_vault_path, or one you "
        "manage)",
    )
