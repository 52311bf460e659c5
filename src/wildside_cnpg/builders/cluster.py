"""The CNPG Cluster with PostGIS."""

from __future__ import annotations

from ..inputs import Inputs
from ..kinds import CLUSTER
from ..shape import Shape
from .access import access, extra_env, postgresql_extras
from .backup import (
    cluster_backup,
    cluster_plugins,
    external_clusters,
    instance_env,
    recovery_bootstrap,
)
from .certificates import cluster_certificates
from .common import NEVER_PRUNE, Document, cluster_labels, resource
from .databases import managed_roles
from .placement import placement
from .services import managed_services


def postgis_sql(inputs: Inputs) -> list[str]:
    """CREATE EXTENSION statements; identifiers come from a closed list, so quoting is
    not needed, and CASCADE creates what an extension depends on (postgis first)."""
    if not inputs.postgis_enabled:
        return []
    return [f"CREATE EXTENSION IF NOT EXISTS {name} CASCADE;" for name in inputs.postgis_extensions]


def application_sql(inputs: Inputs) -> list[str]:
    """SQL for the application database itself. postgis_tiger_geocoder puts `tiger` on
    the search_path with ALTER DATABASE where it is installed (template1), and that
    setting is not copied to databases created from it: set it on the app database."""
    if not inputs.postgis_enabled or "postgis_tiger_geocoder" not in inputs.postgis_extensions:
        return []
    return [f'ALTER DATABASE "{inputs.database_name}" SET search_path TO "$user", public, tiger;']


def _initdb(inputs: Inputs, shape: Shape) -> Document:
    sql = postgis_sql(inputs)
    return {
        "database": inputs.database_name,
        "owner": inputs.database_owner,
        # Without a secret CNPG generates `<cluster>-app`; with ESO, the target below.
        "secret": {"name": shape.app_secret} if shape.eso else None,
        # template1 runs before the application database is created from it, so the
        # app database and any database created later both have the extensions.
        "postInitTemplateSQL": sql or None,
        "postInitApplicationSQL": application_sql(inputs) or None,
    }


def _bootstrap(inputs: Inputs, shape: Shape) -> Document:
    """initdb, or recovery from the source's backup; with recovery, CNPG makes sure the
    application database and its owner exist (and takes the owner's password from the
    app secret) once the recovered cluster is promoted."""
    recovery = shape.recovery
    if recovery is None:
        return {"initdb": _initdb(inputs, shape)}
    return {
        "recovery": recovery_bootstrap(recovery)
        | {
            "database": inputs.database_name,
            "owner": inputs.database_owner,
            "secret": {"name": shape.app_secret} if shape.eso else None,
        }
    }


def _postgresql(inputs: Inputs) -> Document | None:
    section = {
        "parameters": dict(inputs.postgresql_parameters) or None,
        "shared_preload_libraries": list(inputs.shared_preload_libraries) or None,
        **postgresql_extras(inputs),
    }
    return section if any(value is not None for value in section.values()) else None


def _wal_storage(inputs: Inputs) -> Document | None:
    if inputs.wal_storage_size is None:
        return None
    return {
        "size": inputs.wal_storage_size,
        "storageClass": inputs.wal_storage_class or inputs.storage_class,
    }


def _managed(inputs: Inputs, shape: Shape) -> Document | None:
    section = {"roles": managed_roles(shape), "services": managed_services(inputs)}
    return section if any(value is not None for value in section.values()) else None


def cluster(inputs: Inputs, shape: Shape) -> Document:
    """Never pruned: CNPG's volumes belong to the Cluster, so deleting it deletes them."""
    superuser = shape.superuser_secret
    backup = shape.backup
    return resource(
        CLUSTER,
        shape.cluster,
        shape.namespace,
        labels=cluster_labels(shape.cluster),
        annotations=dict(NEVER_PRUNE),
        spec={
            "instances": inputs.instances,
            "imageName": shape.image,
            "primaryUpdateStrategy": inputs.primary_update_strategy,
            "primaryUpdateMethod": inputs.primary_update_method,
            "enableSuperuserAccess": inputs.enable_superuser_access,
            "superuserSecret": {"name": superuser} if superuser and shape.eso else None,
            # Exactly one budget may select a pod: CNPG's own unless the tree has its own
            # (or the single instance has none).
            "enablePDB": shape.budgets.source == "cnpg",
            "storage": {"size": inputs.storage_size, "storageClass": inputs.storage_class},
            "walStorage": _wal_storage(inputs),
            "resources": shape.resources.as_kubernetes(),
            "postgresql": _postgresql(inputs),
            "bootstrap": _bootstrap(inputs, shape),
            "externalClusters": external_clusters(shape.recovery) if shape.recovery else None,
            "backup": cluster_backup(inputs, backup) if backup and not backup.uses_plugin else None,
            "plugins": cluster_plugins(backup) if backup and backup.uses_plugin else None,
            "env": [*(instance_env(inputs, shape) or ()), *extra_env(inputs)] or None,
            "certificates": cluster_certificates(shape),
            "managed": _managed(inputs, shape),
            **placement(inputs, shape.cluster),
            **access(inputs),
        },
    )
