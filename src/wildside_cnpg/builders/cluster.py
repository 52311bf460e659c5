"""The CNPG Cluster with PostGIS."""

from __future__ import annotations

from ..inputs import Inputs
from ..kinds import CLUSTER
from ..shape import Shape
from .backup import cluster_backup, cluster_plugins, instance_env
from .certificates import cluster_certificates
from .common import NEVER_PRUNE, Document, cluster_labels, resource


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


def _postgresql(inputs: Inputs) -> Document | None:
    section = {
        "parameters": dict(inputs.postgresql_parameters) or None,
        "shared_preload_libraries": list(inputs.shared_preload_libraries) or None,
    }
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
            "imageName": inputs.image_name,
            "primaryUpdateStrategy": inputs.primary_update_strategy,
            "primaryUpdateMethod": inputs.primary_update_method,
            "enableSuperuserAccess": inputs.enable_superuser_access,
            "superuserSecret": {"name": superuser} if superuser and shape.eso else None,
            # Exactly one budget may select a pod: CNPG's own unless the tree has its own
            # (or the single instance has none).
            "enablePDB": shape.budgets.source == "cnpg",
            "storage": {"size": inputs.storage_size, "storageClass": inputs.storage_class},
            "resources": {
                "requests": inputs.resource_requests.model_dump(),
                "limits": inputs.resource_limits.model_dump(),
            },
            "postgresql": _postgresql(inputs),
            "bootstrap": {"initdb": _initdb(inputs, shape)},
            "backup": cluster_backup(inputs, backup) if backup and not backup.uses_plugin else None,
            "plugins": cluster_plugins(backup) if backup and backup.uses_plugin else None,
            "env": instance_env(inputs, backup) if backup else None,
            "certificates": cluster_certificates(shape.tls) if shape.tls else None,
        },
    )
