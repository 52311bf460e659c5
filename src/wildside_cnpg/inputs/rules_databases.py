"""Rules across the database inputs: Database resources, extra databases and the
managed roles that own them. Each walks the databases once (a thousand databases
validate in linear time)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from .derived import (
    database_resource_name,
    eso_app_secret,
    eso_superuser_secret,
    role_secret_name,
)
from .listed import listed_twice

if TYPE_CHECKING:
    from .compiled import Extension, ExtraDatabase, Inputs

RESERVED_DATABASES = frozenset({"postgres", "template0", "template1"})
# CloudNativePG's pkg/postgres/roles.go IsRoleReserved: its own roles and prefixes,
# and PostgreSQL's pg_ prefix.
RESERVED_ROLES = frozenset({"postgres", "streaming_replica"})
RESERVED_ROLE_PREFIXES = {"cnpg_": "CloudNativePG", "pg_": "PostgreSQL"}


def reserved_role(name: str) -> str | None:
    """Why a role name is reserved, or None."""
    if name == "postgres":
        return "the superuser"
    if name in RESERVED_ROLES:
        return "reserved by CloudNativePG for replication"
    for prefix, owner in RESERVED_ROLE_PREFIXES.items():
        if name.startswith(prefix):
            return f"role names starting with {prefix} are reserved by {owner}"
    return None


def _extensions(where: str, extensions: tuple[Extension, ...]) -> Iterator[str]:
    yield from listed_twice(where, (extension.name for extension in extensions))


def _application(inputs: Inputs) -> Iterator[str]:
    owner_reason = reserved_role(inputs.database_owner)
    if owner_reason is not None and inputs.database_owner != "postgres":
        yield (
            f"database_owner: expected an application role, got '{inputs.database_owner}' "
            f"({owner_reason})"
        )
    if inputs.database_extensions and not inputs.database_resource_enabled:
        yield (
            "database_extensions: set while database_resource_enabled is false (only the "
            "application database's Database resource keeps them)"
        )
    yield from _extensions("database_extensions", inputs.database_extensions)
    if inputs.postgis_enabled:
        bootstrap = set(inputs.postgis_extensions)
        for extension in inputs.database_extensions:
            if extension.name in bootstrap:
                yield (
                    f"database_extensions: '{extension.name}' is already in postgis_extensions "
                    "(the Database resource keeps those too)"
                )
    if inputs.postgis_version is not None:
        if not inputs.postgis_enabled:
            yield "postgis_version: set while postgis_enabled is false"
        elif not inputs.database_resource_enabled and not inputs.databases:
            yield (
                "postgis_version: set while no Database resource keeps extensions "
                "(database_resource_enabled is false and databases is empty)"
            )


def _cluster_secrets(inputs: Inputs) -> dict[str, str]:
    """The Secrets of the cluster a role's Secret may not be, with what each is."""
    if inputs.eso_enabled:
        secrets = {eso_app_secret(inputs): "the application credentials' Secret"}
        if inputs.enable_superuser_access:
            secrets[eso_superuser_secret(inputs)] = "the superuser credentials' Secret"
    else:
        secrets = {f"{inputs.cluster_name}-app": "the application Secret CNPG generates"}
        if inputs.enable_superuser_access:
            secrets[f"{inputs.cluster_name}-superuser"] = "the superuser Secret CNPG generates"
    if inputs.backup_enabled and not inputs.backup_s3_inherit_from_iam_role:
        backup = inputs.backup_s3_credentials_secret_name or f"{inputs.cluster_name}-s3-credentials"
        secrets[backup] = "the S3 credentials' Secret"
    return secrets


def _name(
    inputs: Inputs, where: str, name: str, names: dict[str, int], resources: dict[str, str]
) -> Iterator[str]:
    """A database's name: new, unique, and its Database object's too."""
    if name in RESERVED_DATABASES:
        yield (
            f"{where}.name: expected a new database, got '{name}' "
            "(it exists in every PostgreSQL cluster)"
        )
        return
    if name == inputs.database_name:
        yield (
            f"{where}.name: '{name}' is the application database (database_name); "
            "manage it with database_resource_enabled"
        )
        return
    if name in names:
        yield f"{where}.name: '{name}' is also databases[{names[name]}].name"
        return
    resource = database_resource_name(inputs, name)
    if resource in resources:
        yield (
            f"{where}.name: its Database object would be '{resource}', as for "
            f"{resources[resource]}; expected a name that differs in more than a trailing '_'"
        )
    resources.setdefault(resource, f"{where}.name")


def _databases(inputs: Inputs) -> Iterator[str]:
    if not inputs.databases:
        return
    names: dict[str, int] = {}
    resources = {database_resource_name(inputs, inputs.database_name): "database_name"}
    # owner -> (index of its first database, vault path, secret name) as first given
    owners: dict[str, tuple[int, str | None, str | None]] = {}
    for index, database in enumerate(inputs.databases):
        where = f"databases[{index}]"
        name, owner = database.name, database.owner
        yield from _name(inputs, where, name, names, resources)
        names.setdefault(name, index)
        reason = reserved_role(owner)
        if reason is not None:
            yield f"{where}.owner: expected an application role, got '{owner}' ({reason})"
        yield from _extensions(f"{where}.extensions", database.extensions)
        for extension in database.extensions:
            if inputs.postgis_enabled and extension.name in inputs.postgis_extensions:
                yield (
                    f"{where}.extensions: '{extension.name}' is already in postgis_extensions "
                    "(every database has them from template1, and its Database resource keeps "
                    "them)"
                )
        vault, given = database.credentials_vault_path, database.credentials_secret_name
        if vault is not None and not inputs.eso_enabled:
            yield (
                f"{where}.credentials_vault_path: needs eso_enabled true "
                "(an ExternalSecret fetches it from Vault)"
            )
        if owner == inputs.database_owner:
            for field, value in (
                ("credentials_vault_path", vault),
                ("credentials_secret_name", given),
            ):
                if value is not None:
                    yield (
                        f"{where}.{field}: set for the application owner '{owner}', whose "
                        "credentials are the application Secret"
                    )
        elif reason is None:
            yield from _owner(where, database, index, owners)
    yield from _role_secrets(inputs, owners, _cluster_secrets(inputs))


def _owner(
    where: str,
    database: ExtraDatabase,
    index: int,
    owners: dict[str, tuple[int, str | None, str | None]],
) -> Iterator[str]:
    """One role per owner: its databases agree on its Vault path and Secret."""
    owner = database.owner
    vault, given = database.credentials_vault_path, database.credentials_secret_name
    first = owners.get(owner)
    if first is None:
        owners[owner] = (index, vault, given)
        return
    at, first_vault, first_given = first
    for field, value, known in (
        ("credentials_vault_path", vault, first_vault),
        ("credentials_secret_name", given, first_given),
    ):
        if value is not None and known is not None and value != known:
            yield (
                f"{where}.{field}: differs from databases[{at}]'s for the same owner "
                f"'{owner}' (one role, one Secret)"
            )
    owners[owner] = (at, first_vault or vault, first_given or given)


def _role_secrets(
    inputs: Inputs,
    owners: dict[str, tuple[int, str | None, str | None]],
    taken: dict[str, str],
) -> Iterator[str]:
    """Each role's Secret: a name Kubernetes accepts, used by nothing else."""
    for owner, (index, _, given) in owners.items():
        secret = role_secret_name(inputs, owner, given)
        where = f"databases[{index}]"
        if given is None and len(secret) > 63:
            yield (
                f"{where}.owner: the derived Secret name '{secret}' is longer than 63 "
                f"characters; set {where}.credentials_secret_name"
            )
            continue
        field = f"{where}.credentials_secret_name" if given else f"{where}.owner"
        if secret in taken:
            yield f"{field}: the Secret '{secret}' is also {taken[secret]}"
            continue
        taken[secret] = f"the Secret of role '{owner}' ({where})"


RULES = (_application, _databases)
