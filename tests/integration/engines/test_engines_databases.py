"""The rendered Database resources, managed roles and pg_hba/pg_ident lines on a real
PostgreSQL with PostGIS.

CNPG's instance manager turns a Database into a handful of statements
(internal/management/controller/database_controller_sql.go, 1.30.0): the database is
created (`CREATE DATABASE name OWNER owner`) or, when it exists, adopted (`ALTER
DATABASE name OWNER TO owner`); each extension is created when missing (`CREATE
EXTENSION name [VERSION v]` with search_path "$user", public), and otherwise updated
when a version is given and differs (`ALTER EXTENSION name UPDATE TO v`). A managed
role is `CREATE ROLE name LOGIN INHERIT CONNECTION LIMIT -1 PASSWORD ...`
(internal/management/controller/roles). `run_database` below is that, statement for
statement, on the rendered objects."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from psycopg import sql

from .bootstrap import new_instance
from .pgserver import PgServer
from .rendering import render

# CNPG's own pg_hba.conf lines before the user's, and its closing rule after
# (pkg/postgres/configuration.go hbaTemplateString), minus the certificate rules a
# server without TLS cannot load.
CNPG_HBA_HEAD = ["local all all peer map=local", "host all all 127.0.0.1/32 trust"]
CNPG_HBA_TAIL = ["host all all all scram-sha-256"]
CNPG_IDENT = ["local postgres postgres"]


def run_database(server: PgServer, database: dict[str, Any]) -> None:
    spec = database["spec"]
    name, owner = sql.Identifier(spec["name"]), sql.Identifier(spec["owner"])
    with server.session() as conn:
        exists = conn.execute(
            "SELECT count(*) FROM pg_catalog.pg_database WHERE datname = %s", (spec["name"],)
        ).fetchone()
        if exists and exists[0]:
            conn.execute(sql.SQL("ALTER DATABASE {} OWNER TO {}").format(name, owner))
        else:
            conn.execute(sql.SQL("CREATE DATABASE {} OWNER {}").format(name, owner))
    with server.session(spec["name"]) as conn:
        for extension in spec.get("extensions", []):
            found = conn.execute(
                "SELECT extversion FROM pg_catalog.pg_extension WHERE extname = %s",
                (extension["name"],),
            ).fetchone()
            version = extension.get("version")
            if found is None:
                conn.execute('SET search_path TO "$user", public')
                statement = sql.SQL("CREATE EXTENSION {}").format(sql.Identifier(extension["name"]))
                if version:
                    statement += sql.SQL(" VERSION {}").format(sql.Identifier(version))
                conn.execute(statement)
                conn.execute("RESET search_path")
            elif version and found[0] != version:
                conn.execute(
                    sql.SQL("ALTER EXTENSION {} UPDATE TO {}").format(
                        sql.Identifier(extension["name"]), sql.Identifier(version)
                    )
                )


def run_roles(server: PgServer, cluster: dict[str, Any]) -> None:
    for role in cluster["spec"].get("managed", {}).get("roles", []):
        assert (role["login"], role["inherit"], role["connectionLimit"]) == (True, True, -1)
        with server.session() as conn:
            conn.execute(
                sql.SQL("CREATE ROLE {} LOGIN INHERIT CONNECTION LIMIT -1 PASSWORD {}").format(
                    sql.Identifier(role["name"]), sql.Literal("from-its-secret")
                )
            )


def versions(server: PgServer, database: str) -> dict[str, str]:
    return dict(server.query("SELECT extname, extversion FROM pg_extension", dbname=database))


def test_databases_and_roles_as_cnpg_applies_them(workdir: Path) -> None:
    # The PostGIS version the image's tag names (here: the one this PostgreSQL has).
    probe = PgServer(workdir / "databases")
    values = {
        "database_resource_enabled": True,
        "database_extensions": [{"name": "pg_trgm"}],
        "databases": [
            {"name": "tiles", "owner": "tiles_owner", "extensions": [{"name": "hstore"}]},
            {"name": "reports", "owner": "wildside_user"},
        ],
    }
    rendered = render(values)
    new_instance(probe, rendered.cluster)
    try:
        postgis = str(
            probe.scalar(
                "SELECT default_version FROM pg_available_extensions WHERE name = 'postgis'"
            )
        )
        rendered = render({**values, "postgis_version": postgis})
        run_roles(probe, rendered.cluster)
        databases = [doc for doc in rendered.objects if doc["kind"] == "Database"]
        assert [db["spec"]["name"] for db in databases] == ["wildside_prod", "reports", "tiles"]
        for database in databases:
            run_database(probe, database)
        # Twice, as CNPG reconciles every 30 s: nothing fails, nothing changes.
        before = {db["spec"]["name"]: versions(probe, db["spec"]["name"]) for db in databases}
        for database in databases:
            run_database(probe, database)
        after = {db["spec"]["name"]: versions(probe, db["spec"]["name"]) for db in databases}
        assert after == before

        # The application database was adopted, not recreated: still its owner's.
        owners = dict(probe.query("SELECT datname, pg_get_userbyid(datdba) FROM pg_database"))
        assert (owners["wildside_prod"], owners["reports"], owners["tiles"]) == (
            "wildside_user",
            "wildside_user",
            "tiles_owner",
        )
        postgis_family = {"postgis": postgis, "postgis_topology": postgis}
        assert (
            versions(probe, "wildside_prod").items()
            >= {**postgis_family, "pg_trgm": after["wildside_prod"]["pg_trgm"]}.items()
        )
        assert versions(probe, "tiles").items() >= postgis_family.items()
        assert "hstore" in versions(probe, "tiles")
        # The role logs in and owns what it should.
        with probe.session("tiles", user="tiles_owner") as conn:
            conn.execute("CREATE TABLE parcels (id int, area geometry(Polygon, 4326))")
    finally:
        probe.stop()


def test_pg_hba_and_pg_ident_lines_load(workdir: Path) -> None:
    rendered = render(
        {
            "pg_hba": [
                "hostssl all all 10.0.0.0/8 scram-sha-256",
                "host all all 192.168.0.0 255.255.0.0 scram-sha-256",
                'host "my db" all 172.16.0.0/12 md5',
                "local all all peer map=app",
            ],
            "pg_ident": ["app postgres wildside_user", "app root wildside_user"],
        }
    )
    postgresql = rendered.cluster["spec"]["postgresql"]
    server = PgServer(workdir / "hba")
    new_instance(server, rendered.cluster)
    try:
        hba = server.datadir / "wildside-hba.conf"
        ident = server.datadir / "wildside-ident.conf"
        server.write_as_postgres(
            hba, "\n".join([*CNPG_HBA_HEAD, *postgresql["pg_hba"], *CNPG_HBA_TAIL]) + "\n"
        )
        server.write_as_postgres(ident, "\n".join([*CNPG_IDENT, *postgresql["pg_ident"]]) + "\n")
        server.stop()
        # PostgreSQL refuses to start on a pg_hba.conf line it cannot read.
        server.start({"hba_file": str(hba), "ident_file": str(ident)})
        errors = server.query(
            "SELECT line_number, error FROM pg_hba_file_rules WHERE error IS NOT NULL"
        )
        # Parsed, every one: this test server has no certificate, so the only error is
        # that a hostssl line cannot match here (CNPG's instances run with SSL on).
        assert errors == [(3, "hostssl record cannot match because SSL is disabled")]
        rules = server.query(
            "SELECT type, database, auth_method FROM pg_hba_file_rules ORDER BY line_number"
        )
        assert rules[2:6] == [
            ("hostssl", ["all"], "scram-sha-256"),
            ("host", ["all"], "scram-sha-256"),
            ("host", ["my db"], "md5"),
            ("local", ["all"], "peer"),
        ]
        mappings = server.query(
            "SELECT map_name, sys_name, pg_username FROM pg_ident_file_mappings "
            "WHERE error IS NULL ORDER BY line_number"
        )
        assert mappings[1:] == [
            ("app", "postgres", "wildside_user"),
            ("app", "root", "wildside_user"),
        ]
    finally:
        server.stop()
