"""The day-2 transition table (tests/day2/test_transitions.py, imported, not copied)
against CNPG's real webhooks: each row's "before" Cluster is created, then the
Cluster of its "after" render is applied over it, as Flux applies it (server-side
apply).

- A row whose refusals say CNPG's webhook refuses the change (refusals no flag
  overrides) is refused by the webhook on update, naming the field the refusal's
  input renders.
- A row the plan lets through (no refusals, or only refusals `--allow-destroy`
  overrides) whose Cluster changes is admitted: on update, or on create for a new
  Cluster; the admitted object holds every field of the render.

Rows refused for other reasons (an archive or an object another cluster holds, no
operator) never reach a cluster, and rows that leave the Cluster as it was have
nothing to send. The plan's refusals are the contract: a row the webhook judges
otherwise is a defect of the plan (src/wildside_cnpg/plan/classify.py).
"""

from __future__ import annotations

from typing import Any

import pytest
from lightkube import ApiError
from tests.day2.test_transitions import ROWS, Row
from tests.integration.apply.kube_harness import subset_mismatches

from wildside_cnpg import Inputs, Module
from wildside_cnpg.kinds import CLUSTER
from wildside_cnpg.plan.classify import postgres_major

from .objects import Document, Objects, object_key
from .placement import fresh_namespace, moved

WEBHOOK = 'admission webhook "vcluster.cnpg.io" denied the request'
NEVER = "; --allow-destroy does not change this"
ALLOW = "; pass --allow-destroy to do it anyway"
# The input a webhook refusal names -> the field of the Cluster it renders, which the
# webhook names in its refusal.
RENDERED_FIELD = {"image_name": "spec.imageName", "storage_size": "spec.storage"}


def webhook_refusals(row: Row) -> list[str]:
    return [line for line in row.refusals if "CNPG's webhook" in line and line.endswith(NEVER)]


def let_through(row: Row) -> bool:
    return all(line.endswith(ALLOW) for line in row.refusals)


def clusters(values: dict[str, Any]) -> dict[str, Document]:
    return {
        object_key(doc): doc
        for doc in Module(Inputs(**values)).objects()
        if (doc["apiVersion"], doc["kind"]) == tuple(CLUSTER)
    }


def transition(row: Row) -> tuple[Document | None, Document]:
    """The row's Cluster before (None: a new one) and after."""
    before: dict[str, Document] = {}
    for values in row.before:
        before |= clusters(values)
    [(key, after)] = clusters(row.after).items()
    return before.get(key), after


REFUSED = sorted(name for name, row in ROWS.items() if webhook_refusals(row))
ADMITTED = sorted(
    name
    for name, row in ROWS.items()
    if let_through(row) and transition(row)[0] != transition(row)[1]
)


def test_the_table_has_rows_of_both_kinds() -> None:
    """Both lists are derived from the table: the test would pass vacuously if a
    change of the table emptied one."""
    assert REFUSED == [
        "a major downgrade",
        "image and parameters under switchover",
        "storage shrink",
    ]
    assert "an image bump alone" in ADMITTED
    assert "a second cluster beside the first" in ADMITTED
    assert not set(REFUSED) & set(ADMITTED)


def place(objects: Objects, row: Row) -> tuple[Document | None, Document]:
    namespace = fresh_namespace(objects, "transition")
    before, after = transition(row)
    placed_before = None
    if before is not None:
        placed_before = moved(before, namespace)
        objects.apply(placed_before)
    return placed_before, moved(after, namespace)


@pytest.mark.usefixtures("operator")
@pytest.mark.parametrize("name", REFUSED)
def test_what_the_plan_says_the_webhook_refuses_is_refused(name: str, objects: Objects) -> None:
    row = ROWS[name]
    before, after = place(objects, row)
    assert before is not None, "a refused change of a Cluster that does not exist"
    major = postgres_major(before["spec"]["imageName"])
    if major is not None and major > (postgres_major(after["spec"]["imageName"]) or major):
        # CNPG refuses a downgrade once it has recorded the data's major version, which it
        # does when the first instance has run initdb: no kubelet runs it here, so the
        # test records it as CNPG would (status.pgDataImageInfo).
        objects.set_status(
            before,
            {"pgDataImageInfo": {"image": before["spec"]["imageName"], "majorVersion": major}},
        )

    with pytest.raises(ApiError) as refused:
        objects.apply(after)

    message = str(refused.value.status.message)
    cluster = f'Cluster.cluster.cnpg.io "{after["metadata"]["name"]}" is invalid: '
    assert message.startswith(f"{WEBHOOK}: {cluster}"), message
    for line in webhook_refusals(row):
        field = RENDERED_FIELD[line.split(":", 1)[0]]
        assert f"{field}: Invalid value: " in message, (line, message)


@pytest.mark.usefixtures("operator")
@pytest.mark.parametrize("name", ADMITTED)
def test_what_the_plan_lets_through_is_admitted(name: str, objects: Objects) -> None:
    before, after = place(objects, ROWS[name])

    admitted = objects.apply(after)

    if before is not None:
        assert admitted["metadata"]["generation"] == 2  # an update, not a no-op
    assert subset_mismatches(after["spec"], admitted["spec"]) == []
