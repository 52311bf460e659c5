"""The harness surfaces the engines' own messages when a setting is bad."""

from __future__ import annotations

import copy
from pathlib import Path

import psycopg
import pytest

from .bootstrap import new_instance
from .pgserver import PgServer, ServerError
from .rendering import render


def test_a_parameter_the_server_rejects_fails_with_its_message(workdir: Path) -> None:
    rendered = render({"postgresql_parameters": {"work_mem": "lots"}})
    server = PgServer(workdir / "rejected-parameter")
    try:
        with pytest.raises(ServerError) as failure:
            new_instance(server, rendered.cluster)
    finally:
        server.remove()
    message = str(failure.value)
    assert 'invalid value for parameter "work_mem": "lots"' in message
    assert "custom.conf" in message
    assert not server.running


def test_an_extension_that_does_not_exist_fails_with_the_server_message(workdir: Path) -> None:
    cluster = copy.deepcopy(render().cluster)
    initdb = cluster["spec"]["bootstrap"]["initdb"]
    initdb["postInitTemplateSQL"] = [
        *initdb["postInitTemplateSQL"],
        "CREATE EXTENSION IF NOT EXISTS postgis_nonexistent CASCADE;",
    ]
    server = PgServer(workdir / "missing-extension")
    try:
        with pytest.raises(psycopg.errors.FeatureNotSupported) as failure:
            new_instance(server, cluster)
    finally:
        server.remove()
    assert str(failure.value).splitlines()[:2] == [
        'extension "postgis_nonexistent" is not available',
        "DETAIL:  Could not open extension control file "
        '"/usr/share/postgresql/15/extension/postgis_nonexistent.control": '
        "No such file or directory.",
    ]
