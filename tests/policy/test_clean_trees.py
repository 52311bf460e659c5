"""The trees the module renders for its defaults, its examples and its golden input
sets pass: no deny, and no warn but those the inputs ask for knowingly (expected.py:
superuser access, which is on by default, among them)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.golden.cases import CASES as GOLDEN
from tests.golden.cases import example_inputs
from tests.policy.cases import BY_NAME, IN_TREE_SOURCE_WARN, IN_TREE_WARN
from tests.policy.expected import knowing_warnings, superuser_warning
from tests.policy.trees import BASES
from wildside_cnpg import Inputs, Module
from wildside_cnpg.policy import check_module

INLINE_WARN = (
    "Secret/databases/wildside-pg-s3-credentials: stringData: plaintext credentials in the "
    "Git tree (acknowledged by wildside-cnpg.io/plaintext-credentials-acknowledged); prefer "
    "an ExternalSecret"
)


def test_default_tree_warns_only_about_superuser_access() -> None:
    report = check_module(Module())
    assert (report.denies, report.warns) == ([], [superuser_warning("databases", "wildside-pg")])
    assert report.files == 13


def test_default_tree_without_superuser_access_is_clean() -> None:
    report = check_module(Module(Inputs(enable_superuser_access=False)))
    assert (report.denies, report.warns) == ([], [])


def test_there_are_examples() -> None:
    assert sorted(example_inputs()) == ["basic", "render"]


@pytest.mark.parametrize("name", sorted(example_inputs()))
def test_example_tree_is_clean(name: str) -> None:
    """The production example (render) warns about nothing; the development one
    (basic, apply mode) keeps superuser access on."""
    path: Path = example_inputs()[name]
    inputs = Inputs.from_mapping(yaml.safe_load(path.read_text(encoding="utf-8")))
    module = Module(inputs)
    report = check_module(module)
    # Only the warnings the inputs ask for knowingly (the basic example's single instance).
    assert (report.denies, report.warns) == ([], knowing_warnings(module))


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_golden_tree_passes(name: str) -> None:
    module = Module(Inputs.from_mapping(GOLDEN[name]))
    report = check_module(module)
    assert report.denies == []
    # Only the warnings the inputs ask for knowingly (see expected.py).
    assert report.warns == knowing_warnings(module)


def test_golden_trees_include_the_knowing_warnings() -> None:
    warned = {
        name: knowing_warnings(Module(Inputs.from_mapping(values)))
        for name, values in GOLDEN.items()
    }
    superuser = superuser_warning("databases", "wildside-pg")
    assert warned["backup-inline-keys"] == sorted([IN_TREE_WARN, INLINE_WARN, superuser])
    assert len(warned["plugin-backup-oci"]) == 2
    assert warned["recovery-point-in-time"] == [superuser]
    assert [w for w in warned["services"] if "additional[" in w] == [
        "Cluster/databases/wildside-pg: spec.managed.services.additional[1] "
        "('wildside-pg-open'): a LoadBalancer Service without loadBalancerSourceRanges, so "
        "any address that can reach the load balancer can reach PostgreSQL; list the client "
        "networks in serviceTemplate.spec.loadBalancerSourceRanges"
    ]


@pytest.mark.parametrize("name", sorted(BASES))
def test_base_tree_passes(name: str) -> None:
    report = check_module(Module(Inputs.from_mapping(BASES[name])))
    assert report.denies == []
    knowingly = {
        "inline-keys": BY_NAME["secret-plaintext-acknowledged"].warn,
        "existing-s3-secret": BY_NAME["backup-credentials-secret-outside-tree"].warn,
        "in-tree-backup": BY_NAME["in-tree-barman-backups"].warn,
        "recovery-in-tree": (IN_TREE_SOURCE_WARN,),
    }
    superuser = BASES[name].get("enable_superuser_access", True)
    expected = [
        *knowingly.get(name, ()),
        *([superuser_warning("databases", "wildside-pg")] if superuser else []),
    ]
    assert report.warns == sorted(expected)
    assert report.warns == knowing_warnings(Module(Inputs.from_mapping(BASES[name])))


def test_an_open_pooler_load_balancer_is_warned_about_knowingly() -> None:
    module = Module(Inputs(pooler_enabled=True, pooler_service={"type": "LoadBalancer"}))
    report = check_module(module)
    assert report.denies == []
    assert report.warns == knowing_warnings(module)
    assert [warning for warning in report.warns if warning.startswith("Pooler/")] == [
        "Pooler/databases/wildside-pg-pooler-rw: spec.serviceTemplate: a LoadBalancer Service "
        "without loadBalancerSourceRanges, so any address that can reach the load balancer "
        "can reach PgBouncer and through it PostgreSQL; list the client networks in "
        "spec.serviceTemplate.spec.loadBalancerSourceRanges"
    ]
