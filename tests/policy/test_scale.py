"""A tree with a thousand databases is checked whole: each rule stays linear in the
documents (a nested iteration of a thousand by a thousand made regopy fail the whole
query), and every finding is there."""

from __future__ import annotations

from tests.policy.expected import knowing_warnings
from wildside_cnpg import Inputs, Module
from wildside_cnpg.policy import check_module


def test_a_thousand_databases_with_secrets_you_manage() -> None:
    databases = [{"name": f"db_{i:04d}", "owner": f"owner_{i:04d}"} for i in range(1000)]
    module = Module(Inputs(databases=databases, database_resource_enabled=True))

    report = check_module(module)

    assert report.denies == []
    # Superuser access, and one R5 warning per role: their Secrets are not in the tree.
    assert len(report.warns) == 1001
    assert report.warns == knowing_warnings(module)
