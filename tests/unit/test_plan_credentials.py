"""The Secrets CNPG sets passwords from for a cluster's whole life: the application
owner's (spec.bootstrap.<method>.secret, as GetApplicationSecretName picks it) and the
superuser's (spec.superuserSecret while superuser access is on). Another one on a
running Cluster is a switch of credentials, not a change ignored after bootstrap."""

from __future__ import annotations

import copy
from typing import Any

from wildside_cnpg import Inputs
from wildside_cnpg.apply import plan_for
from wildside_cnpg.apply.live_plan import project
from wildside_cnpg.fluxgraph import ObjectKey
from wildside_cnpg.plan.classify import classify

KEY = ObjectKey("postgresql.cnpg.io", "Cluster", "databases", "pg")


def cluster(bootstrap: dict[str, Any], **spec: Any) -> dict[str, Any]:
    return {
        "apiVersion": "postgresql.cnpg.io/v1",
        "kind": "Cluster",
        "metadata": {"name": "pg", "namespace": "databases"},
        "spec": {"instances": 1, "bootstrap": bootstrap, **spec},
    }


def initdb(secret: str | None = None, **fields: Any) -> dict[str, Any]:
    settings = {"database": "app", "owner": "app", **fields}
    if secret is not None:
        settings["secret"] = {"name": secret}
    return {"initdb": settings}


def test_another_app_secret_is_a_live_switch_refused_unless_allowed() -> None:
    change, refusals = classify(KEY, cluster(initdb()), cluster(initdb("app-creds")))
    assert change.effect == "in place"
    assert change.details == (
        "spec.bootstrap.initdb.secret: CloudNativePG's generated pg-app -> app-creds: the "
        "primary sets the password of app from the new Secret",
    )
    [refusal] = refusals
    assert (refusal.input, refusal.overridable) == ("eso_enabled", True)
    assert refusal.consequence.startswith(
        "the application owner app of Cluster databases/pg would take its password from "
        "app-creds instead of CloudNativePG's generated pg-app (spec.bootstrap.initdb.secret)"
    )


def test_no_line_shows_an_unset_secret_as_none() -> None:
    for old, new in ((initdb(), initdb("a")), (initdb("a"), initdb()), (initdb("a"), initdb("b"))):
        change, refusals = classify(KEY, cluster(old), cluster(new))
        lines = [*change.details, *(refusal.line() for refusal in refusals)]
        assert lines
        assert not any("None" in line for line in lines), lines


def test_the_rest_of_the_bootstrap_is_still_read_once() -> None:
    change, refusals = classify(
        KEY, cluster(initdb()), cluster(initdb("app-creds", database="other"))
    )
    assert change.effect == "ignored after bootstrap"
    assert [refusal.input for refusal in refusals] == ["database_name", "eso_enabled"]
    assert "spec.bootstrap.initdb.secret" not in refusals[0].consequence


def test_pg_basebackup_secret_is_the_one_cnpg_reads() -> None:
    def basebackup(secret: str) -> dict[str, Any]:
        return {
            "pg_basebackup": {
                "source": "origin",
                "database": "app",
                "owner": "app",
                "secret": {"name": secret},
            }
        }

    change, refusals = classify(KEY, cluster(basebackup("a")), cluster(basebackup("b")))
    assert change.effect == "in place"
    [refusal] = refusals
    assert refusal.input == "app_credentials_secret_name"
    assert "(spec.bootstrap.pg_basebackup.secret)" in refusal.consequence


def test_no_application_database_no_owner_password() -> None:
    """Without an owner and a database CNPG creates no application database and sets
    no owner's password (ShouldCreateApplicationDatabase)."""
    old = cluster({"initdb": {}})
    new = cluster({"initdb": {"secret": {"name": "app-creds"}}})
    change, refusals = classify(KEY, old, new)
    assert (change.effect, refusals) == ("in place", [])


def test_superuser_secret_is_switched_only_while_superuser_access_is_on() -> None:
    on = cluster(initdb(), enableSuperuserAccess=True)
    to_vault = copy.deepcopy(on)
    to_vault["spec"]["superuserSecret"] = {"name": "root-creds"}
    change, refusals = classify(KEY, on, to_vault)
    assert change.details == (
        "spec.superuserSecret: CloudNativePG's generated pg-superuser -> root-creds: the "
        "primary sets the password of postgres from the new Secret",
    )
    assert [refusal.input for refusal in refusals] == ["eso_enabled"]

    off = cluster(initdb(), enableSuperuserAccess=False)
    off_to_vault = copy.deepcopy(off)
    off_to_vault["spec"]["superuserSecret"] = {"name": "root-creds"}
    change, refusals = classify(KEY, off, off_to_vault)
    assert (change.details, refusals) == (("spec.superuserSecret changed",), [])


def test_apply_mode_sees_eso_switched_on_for_the_live_cluster() -> None:
    """The live Cluster, projected onto the render (as `apply` plans), has no
    bootstrap secret and no superuserSecret: ESO on is the same switch."""
    eso = {
        "eso_enabled": True,
        "app_credentials_vault_path": "a/b",
        "superuser_credentials_vault_path": "a/c",
    }

    def rendered(inputs: Inputs) -> dict[str, Any]:
        [found] = [o for o in plan_for(inputs).objects if o["kind"] == "Cluster"]
        return found

    live = copy.deepcopy(rendered(Inputs()))
    live["status"] = {"phase": "Cluster in healthy state"}
    new = rendered(Inputs(**eso))
    change, refusals = classify(ObjectKey.of(new), project(live, new), new)
    assert change.effect == "in place"
    assert [(r.input, r.consequence.split(" of ", 1)[0]) for r in refusals] == [
        ("eso_enabled", "the application owner wildside_user"),
        ("eso_enabled", "the superuser postgres"),
    ]
