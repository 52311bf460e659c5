"""CloudNativePG Database resources and the managed roles that own them.

A Database whose `spec.name` is the database initdb created adopts it: CNPG finds it
exists and only runs ALTER DATABASE ... OWNER TO (the same owner) and the extensions'
statements (internal/management/controller/database_controller_sql.go), so it never
fights the bootstrap. Every Database says `databaseReclaimPolicy: retain`: deleting
the object (or Flux pruning it) leaves the database and its data in PostgreSQL."""

from __future__ import annotations

from ..kinds import DATABASE
from ..shape import DatabaseShape, Shape
from .common import Document, cluster_labels, resource


def _extension(name: str, version: str | None) -> Document:
    # Without a version CNPG only creates a missing extension; with one it also runs
    # ALTER EXTENSION ... UPDATE TO it when the installed version differs.
    return {"name": name, "ensure": "present", "version": version}


def database(shape: Shape, db: DatabaseShape) -> Document:
    return resource(
        DATABASE,
        db.resource,
        shape.namespace,
        labels=cluster_labels(shape.cluster),
        spec={
            "cluster": {"name": shape.cluster},
            "name": db.name,
            "owner": db.owner,
            "ensure": "present",
            "databaseReclaimPolicy": "retain",
            "extensions": [_extension(name, version) for name, version in db.extensions] or None,
        },
    )


def databases(shape: Shape) -> list[Document]:
    return [database(shape, db) for db in shape.databases]


def managed_roles(shape: Shape) -> list[Document] | None:
    """spec.managed.roles of the Cluster: one login role per owner, its password from
    its Secret. Written with CNPG's defaults (inherit, no connection limit) so the live
    object reads back the same."""
    if not shape.roles:
        return None
    return [
        {
            "name": role.name,
            "ensure": "present",
            "login": True,
            "inherit": True,
            "connectionLimit": -1,
            "passwordSecret": {"name": role.secret},
        }
        for role in shape.roles
    ]
