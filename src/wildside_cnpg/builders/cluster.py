"""The CNPG Cluster with PostGIS."""

from __future__ import annotations

from ..inputs import Inputs
from ..kinds import CLUSTER
from ..names import Names
from .backup import cluster_backup, cluster_plugins, instance_env
from .common import Document, resource


def postgis_sql(inputs: Inputs) -> list[str]:
    """CREATE EXTENSION statements; identifiers come from a closed list, so quoting is
    not needed, and CASCADE creates what an extension depends on (postgis first)."""
    if not inputs.postgis_enabled:
        return []
    return [f"CREATE EXTENSION IF NOT EXISTS {name} CASCADE;" for name in inputs.postgis_extensions]


def _initdb(inputs: Inputs, names: Names) -> Document:
    sql = postgis_sql(inputs)
    return {
        "database": inputs.database_name,
        "owner": inputs.database_owner,
        # Without a secret CNPG generates `<cluster>-app`; with ESO, the target below.
        "secret": {"name": names.app_secret} if inputs.eso_enabled else None,
        # template1 runs before the application database is created from it, so the
        # app database and any database created later both have the extensions.
        "postInitTemplateSQL": sql or None,
    }


def cluster(inputs: Inputs, names: Names) -> Document:
    superuser = names.superuser_secret
    return resource(
        CLUSTER,
        inputs.cluster_name,
        inputs.cluster_namespace,
        labels={"cnpg.io/cluster": inputs.cluster_name},
        spec={
            "instances": inputs.instances,
            "imageName": inputs.image_name,
            "primaryUpdateStrategy": inputs.primary_update_strategy,
            "primaryUpdateMethod": inputs.primary_update_method,
            "enableSuperuserAccess": inputs.enable_superuser_access,
            "superuserSecret": {"name": superuser} if superuser and inputs.eso_enabled else None,
            # Exactly one budget may select a pod: with the module's budgets, CNPG's go.
            "enablePDB": not names.renders_pdb,
            "storage": {"size": inputs.storage_size, "storageClass": inputs.storage_class},
            "resources": {
                "requests": inputs.resource_requests.model_dump(),
                "limits": inputs.resource_limits.model_dump(),
            },
            "postgresql": (
                {"parameters": dict(inputs.postgresql_parameters)}
                if inputs.postgresql_parameters
                else None
            ),
            "bootstrap": {"initdb": _initdb(inputs, names)},
            "backup": cluster_backup(inputs, names),
            "plugins": cluster_plugins(names),
            "env": instance_env(inputs, names),
        },
    )
