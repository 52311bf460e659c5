"""What a drill checks in the restored, promoted instance: every database's extensions
load (a probe query each, where one is known), every table's row count, and the
user's own assertions."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .instance import Instance

# A query that succeeds only when the extension's library and objects work.
PROBES = {
    "postgis": (
        "SELECT ST_AsText(ST_MakePoint(1, 2)) = 'POINT(1 2)' AND postgis_lib_version() <> ''"
    ),
    "postgis_topology": "SELECT topology.postgis_topology_scripts_installed() <> ''",
    "postgis_raster": "SELECT postgis_raster_lib_version() <> ''",
    "postgis_sfcgal": "SELECT postgis_sfcgal_version() <> ''",
    "postgis_tiger_geocoder": "SELECT count(*) >= 0 FROM tiger.geocode_settings",
    "fuzzystrmatch": "SELECT levenshtein('kitten', 'sitting') = 3",
}
_DATABASES = "SELECT datname FROM pg_database WHERE datallowconn AND NOT datistemplate ORDER BY 1"
_EXTENSIONS = (
    "SELECT e.extname, e.extversion, n.nspname, coalesce((SELECT string_agg(v.version, ',' "
    "ORDER BY v.version) FROM pg_available_extension_versions v WHERE v.name = e.extname), '') "
    "FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace ORDER BY 1"
)
# Tables of the users (not the catalogs', not those an extension brings), counted one by
# one in a single query.
_ROW_COUNTS = (
    "SELECT n.nspname, c.relname, (xpath('/row/c/text()', query_to_xml(format("
    "'SELECT count(*) AS c FROM %I.%I', n.nspname, c.relname), false, true, '')))[1]::text "
    "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
    "WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition "
    "AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
    "AND n.nspname NOT LIKE 'pg\\_%' "
    "AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass "
    "AND d.objid = c.oid AND d.deptype = 'e') ORDER BY 1, 2"
)
_QUERY_BANNER = "********* QUERY **********"
_END_BANNER = "**************************"


@dataclass
class Extension:
    name: str
    version: str
    ok: bool
    detail: str

    def as_json(self) -> dict[str, object]:
        return {"name": self.name, "version": self.version, "ok": self.ok, "detail": self.detail}


@dataclass
class Database:
    name: str
    extensions: list[Extension] = field(default_factory=list)
    tables: list[tuple[str, str, int]] = field(default_factory=list)
    error: str | None = None

    def as_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "extensions": [e.as_json() for e in self.extensions],
            "tables": [{"schema": s, "table": t, "rows": n} for s, t, n in self.tables],
            "error": self.error,
        }


@dataclass
class Assertion:
    query: str
    ok: bool
    result: str

    def as_json(self) -> dict[str, object]:
        return {"query": self.query, "ok": self.ok, "result": self.result}


def _rows(output: str) -> list[list[str]]:
    return [line.split("\t") for line in output.splitlines() if line]


def databases(instance: Instance) -> list[Database]:
    listed = instance.sql("postgres", _DATABASES)
    if listed.returncode != 0:
        return [Database("postgres", error=f"cannot list the databases: {listed.output}")]
    found = []
    for (name,) in _rows(listed.output):
        found.append(_database(instance, name))
    return found


def _database(instance: Instance, name: str) -> Database:
    database = Database(name)
    extensions = instance.sql(name, _EXTENSIONS)
    if extensions.returncode != 0:
        database.error = f"cannot read the extensions: {extensions.output}"
        return database
    for row in _rows(extensions.output):
        database.extensions.append(_extension(instance, name, *row))
    counts = instance.sql(name, _ROW_COUNTS)
    if counts.returncode != 0:
        database.error = f"cannot count the rows: {counts.output}"
        return database
    database.tables = [(schema, table, int(rows)) for schema, table, rows in _rows(counts.output)]
    return database


def _extension(instance: Instance, database: str, *row: str) -> Extension:
    name, version, schema, available = row
    local = available.split(",") if available else []
    note = "" if version in local else f"; this PostgreSQL has {', '.join(local) or 'none'}"
    probe = PROBES.get(name)
    if probe is None:
        ok = version in local
        detail = "installed version available here" if ok else f"not available here{note}"
        return Extension(name, version, ok, detail)
    quoted = '"' + schema.replace('"', '""') + '"'
    result = instance.sql(database, f"SET search_path TO {quoted}, public; {probe}")
    if result.returncode == 0 and result.output.splitlines()[-1:] == ["t"]:
        return Extension(name, version, True, "loads and answers its probe" + note)
    problem = result.output.strip().splitlines()[-1:] or ["no answer"]
    return Extension(name, version, False, f"probe failed: {problem[0]}{note}")


def assertions(instance: Instance, database: str, path: Path) -> tuple[list[Assertion], str | None]:
    """Each query of the file must return exactly one row holding true. psql runs the
    file (so it splits the statements); its session log pairs each query with its
    output. Returns the assertions and psql's error, if it stopped on one."""
    with tempfile.NamedTemporaryFile("w+", dir=instance.workdir, suffix=".log") as log:
        instance.own(Path(log.name))
        result = instance.psql(database, ["-L", log.name, "-f", str(path)])
        log.seek(0)
        text = log.read()
    found = _parse_log(text)
    error = None
    if result.returncode != 0:
        error = result.output.strip() or f"psql exited {result.returncode}"
        if found and found[-1].result == "":
            found[-1] = Assertion(found[-1].query, False, error)
    return found, error


def _parse_log(text: str) -> list[Assertion]:
    found: list[Assertion] = []
    parts = text.split(_QUERY_BANNER)[1:]
    for part in parts:
        query, _, output = part.partition(_END_BANNER)
        query = query.strip()
        if not query or query.upper().startswith(("SET ", "\\")):
            continue
        lines = [line for line in output.strip().splitlines() if line.strip()]
        found.append(Assertion(query, lines == ["t"], "\n".join(lines)))
    return found
