"""CNPG's real validating webhook on updates of a rendered Cluster: what it refuses,
with its own message, and what it admits.

Each test creates the rendered Cluster in a namespace of its own, then applies the
Cluster of a second render (or the same Cluster with parameters a test sets) as Flux
would: a server-side apply over the live object.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from lightkube import ApiError

from wildside_cnpg import Inputs, Module
from wildside_cnpg.versions import IN_TREE_IMAGE

from .objects import Document, Objects
from .placement import fresh_namespace, moved

WEBHOOK = 'admission webhook "vcluster.cnpg.io" denied the request'


def rendered_cluster(values: dict[str, Any]) -> Document:
    [cluster] = [
        doc for doc in Module(Inputs.from_mapping(values)).objects() if doc["kind"] == "Cluster"
    ]
    return cluster


def refusal(action: Callable[[], object]) -> str:
    """The API server's message refusing action; fails when action is admitted."""
    with pytest.raises(ApiError) as refused:
        action()
    return str(refused.value.status.message)


def invalid(cluster: Document, detail: str) -> str:
    name = cluster["metadata"]["name"]
    return f'{WEBHOOK}: Cluster.cluster.cnpg.io "{name}" is invalid: {detail}'


@pytest.fixture
def live(objects: Objects, operator: None) -> Callable[[Document], Document]:
    """Creates a rendered Cluster in a fresh namespace; returns it as placed there."""
    namespace = fresh_namespace(objects, "update")

    def create(cluster: Document) -> Document:
        placed = moved(cluster, namespace)
        objects.apply(placed)
        return placed

    return create


# Another image than the default one (the standard image, since the plugin is the
# default backup method).
OTHER_IMAGE = IN_TREE_IMAGE
IMAGE_AND_PARAMETERS = {"image_name": OTHER_IMAGE, "postgresql_parameters": {"work_mem": "16MB"}}


def test_image_and_parameters_in_one_update_are_refused_under_switchover(
    objects: Objects, live: Callable[[Document], Document]
) -> None:
    before = live(rendered_cluster({"primary_update_method": "switchover"}))
    after = moved(
        rendered_cluster({"primary_update_method": "switchover"} | IMAGE_AND_PARAMETERS),
        before["metadata"]["namespace"],
    )

    message = refusal(lambda: objects.apply(after))

    assert message == invalid(
        after,
        f'spec.imageName: Invalid value: "{OTHER_IMAGE}": Can\'t change image name and '
        "configuration at the same time when `primaryUpdateMethod` is set to `switchover`. "
        'There are differences in PostgreSQL configuration parameters: {"work_mem":["","16MB"]}',
    )


def test_image_and_parameters_in_one_update_are_admitted_with_restart(
    objects: Objects, live: Callable[[Document], Document]
) -> None:
    before = live(rendered_cluster({"primary_update_method": "restart"}))
    after = moved(
        rendered_cluster({"primary_update_method": "restart"} | IMAGE_AND_PARAMETERS),
        before["metadata"]["namespace"],
    )

    admitted = objects.apply(after)

    assert admitted["spec"]["imageName"] == OTHER_IMAGE
    assert admitted["spec"]["postgresql"]["parameters"]["work_mem"] == "16MB"


def test_a_storage_shrink_is_refused(
    objects: Objects, live: Callable[[Document], Document]
) -> None:
    before = live(rendered_cluster({"storage_size": "10Gi"}))
    after = moved(rendered_cluster({"storage_size": "5Gi"}), before["metadata"]["namespace"])

    message = refusal(lambda: objects.apply(after))

    assert message == invalid(
        after, 'spec.storage: Invalid value: "5Gi": can\'t shrink existing storage from 10Gi to 5Gi'
    )


def with_parameter(cluster: Document, name: str, value: str) -> Document:
    changed = copy.deepcopy(cluster)
    changed["spec"].setdefault("postgresql", {}).setdefault("parameters", {})[name] = value
    return changed


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("shared_preload_libraries", "pg_stat_statements"),
        ("temp_tablespaces", "scratch"),
        ("synchronized_standby_slots", "wildside_pg_slot"),
    ],
)
def test_parameters_cnpg_fixes_are_refused(
    objects: Objects, live: Callable[[Document], Document], name: str, value: str
) -> None:
    before = live(rendered_cluster({}))

    message = refusal(lambda: objects.apply(with_parameter(before, name, value)))

    assert message == invalid(
        before,
        f'spec.postgresql.parameters.{name}: Invalid value: "{value}": '
        "Can't set fixed configuration parameter",
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [("wal_level", "logical"), ("wal_log_hints", "on"), ("full_page_writes", "on")],
)
def test_parameters_cnpg_defaults_may_be_set(
    objects: Objects, live: Callable[[Document], Document], name: str, value: str
) -> None:
    before = live(rendered_cluster({}))

    admitted = objects.apply(with_parameter(before, name, value))

    assert admitted["spec"]["postgresql"]["parameters"][name] == value


SYSTEM_IMAGE = IN_TREE_IMAGE
BACKUP = {
    "backup_enabled": True,
    "backup_destination_path": "s3://wildside-backups/pg",
    "backup_endpoint_url": "https://nyc3.digitaloceanspaces.com",
    "backup_s3_credentials_secret_name": "s3",
}
IN_TREE = {**BACKUP, "backup_method": "barman_object_store"}


@pytest.mark.parametrize(
    ("before_values", "after_values"),
    [
        # The recipe: the method switched, everything else (the image) as it was.
        ({**IN_TREE, "image_name": SYSTEM_IMAGE}, {**BACKUP, "image_name": SYSTEM_IMAGE}),
        # A tree rendered with the old defaults, rendered with the new ones: the standard
        # image and requests equal to limits come in the same update.
        ({**IN_TREE, "resource_requests": {"cpu": "100m", "memory": "256Mi"}}, BACKUP),
    ],
    ids=["method-only", "old-defaults-to-new"],
)
def test_the_move_to_the_plugin_is_admitted_as_one_update(
    objects: Objects,
    live: Callable[[Document], Document],
    before_values: dict[str, Any],
    after_values: dict[str, Any],
) -> None:
    """plugin-barman-cloud's docs/migration.md: the Cluster changes in one atomic
    update, spec.backup.barmanObjectStore out and the plugin in as WAL archiver."""
    before = live(rendered_cluster(before_values))
    assert "barmanObjectStore" in before["spec"]["backup"]
    after = moved(rendered_cluster(after_values), before["metadata"]["namespace"])

    admitted = objects.apply(after)

    assert "barmanObjectStore" not in (admitted["spec"].get("backup") or {})
    assert admitted["spec"]["plugins"] == [
        {
            "enabled": True,
            "isWALArchiver": True,
            "name": "barman-cloud.cloudnative-pg.io",
            "parameters": {
                "barmanObjectName": "wildside-pg-object-store",
                "serverName": "wildside-pg",
            },
        }
    ]
    assert admitted["spec"]["imageName"] == after["spec"]["imageName"]
