"""Rows and geometries the backup tests write, and the checksum that proves them."""

from __future__ import annotations

from .pgserver import PgServer

CHECKSUM = (
    "SELECT count(*), md5(coalesce(string_agg("
    "id || ':' || label || ':' || ST_AsEWKT(spot), ',' ORDER BY id), '')) FROM {table}"
)


def create_places(server: PgServer, database: str, table: str) -> None:
    with server.session(database) as conn:
        conn.execute(
            f"CREATE TABLE {table} (id int PRIMARY KEY, label text NOT NULL, "
            "spot geometry(Point, 4326) NOT NULL)"
        )


def write_batch(server: PgServer, database: str, table: str, first: int, last: int) -> None:
    """Rows first..last with a label and a distinct point each (one transaction)."""
    with server.session(database) as conn:
        conn.execute(
            f"INSERT INTO {table} SELECT g, 'place-' || g, "
            "ST_SetSRID(ST_MakePoint(g * 0.001, 51 + g * 0.0005), 4326) "
            f"FROM generate_series({first}, {last}) AS g"
        )


def checksum(server: PgServer, database: str, table: str) -> tuple[int, str]:
    count, digest = server.query(CHECKSUM.format(table=table), database)[0]
    return int(count), str(digest)
