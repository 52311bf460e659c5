"""A fleet: several clusters checked in one process (`check_trees`), and the same
clusters rendered into one checkout (the first owns the operator, the others share
it) and checked as one tree. Per cluster, the verdicts are those of the cluster
checked alone, a broken cluster's findings included and nobody else's."""

from __future__ import annotations

from wildside_cnpg import Inputs, Module
from wildside_cnpg.policy import check_files, check_trees


def fleet(size: int) -> list[dict[str, str]]:
    trees = []
    for index in range(size):
        inputs = Inputs(
            cluster_name=f"pg-{index}",
            cluster_namespace=f"ns-{index}",
            operator_install="own" if index == 0 else "shared",
            instances=2 if index % 2 else 3,
        )
        trees.append(dict(Module(inputs).render()))
    return trees


def break_storage(tree: dict[str, str]) -> dict[str, str]:
    """The cluster's storage size removed (C2)."""
    [path] = [p for p in tree if p.endswith("/cluster/cluster.yaml")]
    text = tree[path]
    assert text.count("    size: 10Gi\n") == 1
    return {**tree, path: text.replace("    size: 10Gi\n", "")}


def test_check_trees_gives_each_tree_its_own_verdict() -> None:
    trees = fleet(6)
    trees[3] = break_storage(trees[3])
    reports = check_trees(iter(trees))
    assert reports == [check_files(tree) for tree in trees]
    assert [len(report.denies) for report in reports] == [0, 0, 0, 1, 0, 0]
    assert reports[3].denies == ["Cluster/ns-3/pg-3: spec.storage.size: not set"]
    assert [report.files for report in reports] == [13, 6, 6, 6, 6, 6]


def test_one_checkout_of_the_fleet_finds_what_each_cluster_finds_alone() -> None:
    trees = fleet(5)
    trees[2] = break_storage(trees[2])
    checkout: dict[str, str] = {}
    for tree in trees:
        for path, text in tree.items():
            assert checkout.setdefault(path, text) == text  # shared files are equal
    alone = check_trees(trees)
    together = check_files(checkout)
    assert together.denies == sorted(m for report in alone for m in report.denies)
    assert together.warns == sorted(m for report in alone for m in report.warns)
    assert together.denies == ["Cluster/ns-2/pg-2: spec.storage.size: not set"]
    assert together.files == 13 + 4 * 6
