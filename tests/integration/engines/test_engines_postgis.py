"""The rendered bootstrap and parameters on a real PostgreSQL with PostGIS."""

from __future__ import annotations

from pathlib import Path

import pytest

from wildside_cnpg.inputs.cluster import POSTGIS_EXTENSIONS

from .bootstrap import cluster_bootstrap, cluster_parameters, new_instance
from .configs import PARAMETERS
from .pgserver import PgServer
from .rendering import Rendered, render

# One query per extension the module offers, with the answer it must give.
EXTENSION_PROBES = {
    "postgis": (
        "SELECT ST_AsText(ST_Centroid('POLYGON((0 0,4 0,4 4,0 4,0 0))'::geometry))",
        "POINT(2 2)",
    ),
    "postgis_topology": ("SELECT count(*)::text FROM topology.topology", "0"),
    "postgis_raster": ("SELECT ST_Width(ST_MakeEmptyRaster(10, 20, 0, 0, 1))::text", "10"),
    "postgis_sfcgal": (
        "SELECT ST_Volume(ST_MakeSolid("
        "ST_Extrude('POLYGON((0 0,2 0,2 3,0 3,0 0))'::geometry, 0, 0, 4)))::text",
        "24",
    ),
    "postgis_tiger_geocoder": (
        "SELECT (tiger.normalize_address('1 Main St, Springfield, MA 01101')).location",
        "Springfield",
    ),
    "fuzzystrmatch": ("SELECT levenshtein('kitten', 'sitting')::text", "3"),
    "address_standardizer": (
        "SELECT (parse_address('1 Devonshire Place, Boston, MA 02109')).city",
        "Boston",
    ),
    "address_standardizer_data_us": ("SELECT (count(*) > 0)::text FROM us_lex", "true"),
}


def extensions(server: PgServer, dbname: str) -> dict[str, str]:
    return {
        str(n): str(v)
        for n, v in server.query("SELECT extname, extversion FROM pg_extension", dbname)
    }


def test_every_requested_extension_exists_in_the_app_database(
    postgis_server: PgServer, postgis_rendered: Rendered
) -> None:
    database = postgis_rendered.inputs.database_name
    installed = extensions(postgis_server, database)
    available = dict(
        postgis_server.query("SELECT name, default_version FROM pg_available_extensions")
    )
    requested = postgis_rendered.inputs.postgis_extensions
    assert requested == ("postgis", "postgis_topology", "fuzzystrmatch")
    for name in requested:
        assert installed.get(name) == available[name], f"{name} in {database}: {installed}"
    for name in requested:
        query, answer = EXTENSION_PROBES[name]
        assert postgis_server.scalar(query, database) == answer


def test_spatial_query_over_stored_geometries(
    postgis_server: PgServer, postgis_rendered: Rendered
) -> None:
    owner = postgis_rendered.inputs.database_owner
    database = postgis_rendered.inputs.database_name
    with postgis_server.session(database, user=owner) as conn:
        conn.execute(
            "CREATE TABLE parks (id int PRIMARY KEY, name text, area geometry(Polygon, 3857))"
        )
        conn.execute("CREATE TABLE benches (id int PRIMARY KEY, spot geometry(Point, 3857))")
        conn.execute("CREATE INDEX ON benches USING gist (spot)")
        conn.execute(
            "INSERT INTO parks VALUES "
            "(1, 'square', ST_GeomFromText('POLYGON((0 0,100 0,100 100,0 100,0 0))', 3857)), "
            "(2, 'strip', ST_GeomFromText('POLYGON((200 0,260 0,260 10,200 10,200 0))', 3857))"
        )
        conn.execute(
            "INSERT INTO benches SELECT g, ST_SetSRID(ST_MakePoint(g * 10, 5), 3857) "
            "FROM generate_series(1, 30) AS g"
        )
        rows = conn.execute(
            "SELECT p.name, count(b.id), ST_Area(p.area) FROM parks p "
            "JOIN benches b ON ST_Contains(p.area, b.spot) GROUP BY p.name, p.area ORDER BY p.name"
        ).fetchall()
        nearest = conn.execute(
            "SELECT b.id, ST_Distance(b.spot, p.area) FROM benches b, parks p "
            "WHERE p.name = 'strip' AND NOT ST_Intersects(b.spot, p.area) "
            "ORDER BY b.spot <-> p.area, b.id LIMIT 2"
        ).fetchall()
    # Benches at x = 10..90 lie inside the square (x = 100 is on its boundary, not
    # inside); x = 210..250 inside the strip (200 and 260 on its edges).
    assert rows == [("square", 9, 10000.0), ("strip", 5, 600.0)]
    # Outside the strip, the nearest benches are at x = 190 and x = 270.
    assert nearest == [(19, 10.0), (27, 10.0)]


def test_owner_owns_the_database_and_can_create_spatial_tables(
    postgis_server: PgServer, postgis_rendered: Rendered
) -> None:
    owner = postgis_rendered.inputs.database_owner
    database = postgis_rendered.inputs.database_name
    assert owner == "wildside_user"
    datowner = postgis_server.scalar(
        f"SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = '{database}'"
    )
    assert datowner == owner
    with postgis_server.session(database, user=owner) as conn:
        assert conn.execute("SELECT current_user").fetchone() == (owner,)
        conn.execute(
            "CREATE TABLE routes (id serial PRIMARY KEY, path geography(LineString, 4326))"
        )
        conn.execute(
            "INSERT INTO routes (path) VALUES "
            "('SRID=4326;LINESTRING(-0.1276 51.5072, -0.1276 51.5172)')"
        )
        length = conn.execute("SELECT round(ST_Length(path)) FROM routes").fetchone()
        owner_of = conn.execute(
            "SELECT tableowner FROM pg_tables WHERE tablename = 'routes'"
        ).fetchone()
    # 0.01 degrees of latitude on the WGS84 spheroid at 51.5N: 1113 m.
    assert length is not None
    assert float(length[0]) == 1113.0
    assert owner_of == (owner,)


def test_template_sql_reaches_a_database_created_later(
    postgis_server: PgServer, postgis_rendered: Rendered
) -> None:
    boot = cluster_bootstrap(postgis_rendered.cluster)
    assert boot.post_init_template_sql, "the rendering puts the extensions in template1"
    postgis_server.scalar("SELECT 1")
    with postgis_server.session() as conn:
        conn.execute("CREATE DATABASE later_reports")
    later = extensions(postgis_server, "later_reports")
    app = extensions(postgis_server, boot.database)
    for name in postgis_rendered.inputs.postgis_extensions:
        assert later.get(name) == app[name]
    assert (
        postgis_server.scalar(
            "SELECT ST_Distance('POINT(0 0)'::geometry, 'LINESTRING(3 4, 3 9)'::geometry)",
            "later_reports",
        )
        == 5.0
    )


def test_rendered_parameters_are_accepted_and_read_back(
    postgis_server: PgServer, postgis_rendered: Rendered
) -> None:
    rendered = cluster_parameters(postgis_rendered.cluster)
    assert rendered == PARAMETERS
    file_settings = {
        str(name): (str(setting), applied, error)
        for name, setting, applied, error in postgis_server.query(
            "SELECT name, setting, applied, error FROM pg_file_settings "
            "WHERE sourcefile LIKE '%/custom.conf'"
        )
    }
    assert file_settings == {name: (value, True, None) for name, value in rendered.items()}
    for name, value in rendered.items():
        assert postgis_server.scalar(f"SHOW {name}") == value, name


@pytest.fixture(scope="module")
def every_extension(workdir: Path) -> tuple[PgServer, Rendered]:
    rendered = render({"postgis_extensions": list(POSTGIS_EXTENSIONS)})
    server = PgServer(workdir / "all-extensions")
    try:
        new_instance(server, rendered.cluster)
    except Exception:
        server.stop()
        raise
    yield server, rendered  # type: ignore[misc]
    server.stop()


# postgis_tiger_geocoder's install script sets `search_path` (adding `tiger`) with
# ALTER DATABASE on the database it runs in (template1 here), and per-database
# settings are not copied to databases created from it: the rendered
# postInitApplicationSQL sets it on the application database, and this proves it.
@pytest.mark.parametrize(
    "name",
    POSTGIS_EXTENSIONS,
)
def test_every_extension_the_module_offers_works(
    every_extension: tuple[PgServer, Rendered], name: str
) -> None:
    server, rendered = every_extension
    database = rendered.inputs.database_name
    version = extensions(server, database).get(name)
    assert version, f"{name} missing from {database}"
    query, answer = EXTENSION_PROBES[name]
    assert server.scalar(query, database) == answer
