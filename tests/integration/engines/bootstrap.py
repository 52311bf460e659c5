"""Apply a rendered Cluster's `spec.bootstrap.initdb` the way CNPG's instance
manager does on a new primary.

The mapping is documented on `apply_initdb`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from psycopg import sql

from .pgserver import PgServer

DEFAULT_DATABASE = "app"


@dataclass(frozen=True)
class Bootstrap:
    database: str
    owner: str
    post_init_sql: list[str]
    post_init_template_sql: list[str]
    post_init_application_sql: list[str]
    initdb_options: list[str]


def _present(mapping: Mapping[str, Any], key: str) -> Any:
    """Rendered documents may carry None for unset fields; None means absent."""
    return mapping.get(key)


def cluster_bootstrap(cluster: Mapping[str, Any]) -> Bootstrap:
    """Read `spec.bootstrap.initdb` from a rendered Cluster, with CNPG's defaults."""
    if cluster.get("kind") != "Cluster":
        raise ValueError(f"expected a CNPG Cluster, got kind {cluster.get('kind')!r}")
    initdb = (_present(cluster["spec"], "bootstrap") or {}).get("initdb") or {}
    for refs in ("postInitSQLRefs", "postInitTemplateSQLRefs", "postInitApplicationSQLRefs"):
        if _present(initdb, refs):
            raise ValueError(f"bootstrap.initdb.{refs} is not supported by this harness")
    database = _present(initdb, "database") or DEFAULT_DATABASE
    owner = _present(initdb, "owner") or database
    options = [
        "--username",
        "postgres",
        "--encoding",
        _present(initdb, "encoding") or "UTF8",
        "--lc-collate",
        _present(initdb, "localeCollate") or "C",
        "--lc-ctype",
        _present(initdb, "localeCType") or "C",
    ]
    if _present(initdb, "dataChecksums"):
        options.append("--data-checksums")
    if _present(initdb, "walSegmentSize"):
        options += ["--wal-segsize", str(initdb["walSegmentSize"])]
    return Bootstrap(
        database=database,
        owner=owner,
        post_init_sql=list(_present(initdb, "postInitSQL") or []),
        post_init_template_sql=list(_present(initdb, "postInitTemplateSQL") or []),
        post_init_application_sql=list(_present(initdb, "postInitApplicationSQL") or []),
        initdb_options=options,
    )


def _execute_each(server: PgServer, dbname: str, statements: list[str]) -> None:
    """One statement at a time; a failure raises psycopg's error, whose message is
    the server's own (e.g. `extension "x" is not available`)."""
    if not statements:
        return
    with server.session(dbname) as conn:
        for statement in statements:
            conn.execute(statement.encode())


def apply_initdb(server: PgServer, cluster: Mapping[str, Any]) -> Bootstrap:
    """Perform the rendered Cluster's initdb bootstrap on a running server that
    was initialised with `cluster_bootstrap(cluster).initdb_options`.

    Mapping (CNPG `ConfigureNewInstance`, run as the superuser `postgres`, each SQL
    string executed on its own in autocommit, in this order):

    | rendered field | what CNPG does | here |
    |---|---|---|
    | `encoding` (default UTF8) | `initdb --encoding` | initdb flag |
    | `localeCollate` (default C) | `initdb --lc-collate` | initdb flag |
    | `localeCType` (default C) | `initdb --lc-ctype` | initdb flag |
    | `dataChecksums` | `initdb --data-checksums` | initdb flag |
    | `walSegmentSize` (MB) | `initdb --wal-segsize` | initdb flag |
    | `owner` (default: `database`) | `CREATE ROLE <owner> LOGIN` unless it exists | same |
    | `postInitSQL` | each statement in database `postgres` | same |
    | `postInitTemplateSQL` | each statement in database `template1` | same |
    | `database` (default `app`) | `CREATE DATABASE <database> OWNER <owner>` | same |
    | `postInitApplicationSQL` | each statement in the application database | same |

    The application database is created after the template SQL ran, so it (and any
    database created later) is a copy of template1 with whatever that SQL created.
    The owner's password (`secret`) is Kubernetes-side: the throwaway server trusts
    127.0.0.1, so it is not applied. `*SQLRefs` (SQL from ConfigMaps/Secrets) are
    refused: the module does not render them, and silently skipping them would prove
    nothing.
    """
    boot = cluster_bootstrap(cluster)
    with server.session() as conn:
        exists = conn.execute(
            "SELECT count(*) > 0 FROM pg_catalog.pg_roles WHERE rolname = %s", (boot.owner,)
        ).fetchone()
        if not (exists and exists[0]):
            conn.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(boot.owner)))
    _execute_each(server, "postgres", boot.post_init_sql)
    _execute_each(server, "template1", boot.post_init_template_sql)
    with server.session() as conn:
        conn.execute(
            sql.SQL("CREATE DATABASE {} OWNER {}").format(
                sql.Identifier(boot.database), sql.Identifier(boot.owner)
            )
        )
    _execute_each(server, boot.database, boot.post_init_application_sql)
    return boot


def cluster_parameters(cluster: Mapping[str, Any]) -> dict[str, str]:
    """The rendered `spec.postgresql.parameters` (CNPG takes them as strings)."""
    postgresql = _present(cluster["spec"], "postgresql") or {}
    parameters = _present(postgresql, "parameters") or {}
    return {str(name): str(value) for name, value in parameters.items()}


def new_instance(
    server: PgServer, cluster: Mapping[str, Any], harness: Mapping[str, str] | None = None
) -> Bootstrap:
    """initdb with the bootstrap's options, the rendered parameters in
    custom.conf, start, then the post-init steps: a primary as CNPG creates it."""
    boot = cluster_bootstrap(cluster)
    server.initdb(boot.initdb_options)
    server.set_parameters(cluster_parameters(cluster))
    server.start(harness)
    apply_initdb(server, cluster)
    return boot
