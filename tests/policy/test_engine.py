"""The WebAssembly engine itself: a failure inside a host function stops that
evaluation with the failure and leaves the engine usable; an input larger than the
module's memory grows it; the entry point returns every deny and warn."""

from __future__ import annotations

import json

import pytest

from tests.policy.expected import superuser_warnings
from tests.policy.trees import dump, tree_of
from wildside_cnpg.policy import engine as engine_module
from wildside_cnpg.policy import runner
from wildside_cnpg.policy.gofmt import FormatError

CLUSTER = {
    "path": "cluster.yaml",
    "contents": {
        "apiVersion": "postgresql.cnpg.io/v1",
        "kind": "Cluster",
        "metadata": {"name": "x"},
    },
}


def test_a_failing_host_function_stops_the_evaluation_and_the_next_one_works(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    engine = engine_module.Engine()
    document = json.dumps([CLUSTER]).encode()
    expected = engine.evaluate(document)

    def refuse(template: str, operands: object) -> str:
        raise FormatError(f"sprintf: refused {template!r}")

    monkeypatch.setattr(engine_module, "sprintf", refuse)
    with pytest.raises(FormatError, match=r"^sprintf: refused '%s/%s'$"):
        engine.evaluate(document)
    monkeypatch.undo()
    assert engine.evaluate(document) == expected
    assert "Cluster/x: spec.storage.size: not set" in expected["deny"]["c2"]


def test_an_input_larger_than_the_memory_grows_it() -> None:
    engine = engine_module.Engine()
    tree = tree_of("defaults")
    padding = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "big"}}
    padding["data"] = {"blob": "x" * (4 << 20)}  # type: ignore[assignment]
    files = dump(tree)
    parsed = {path: runner._parse(path, text) for path, text in files.items()}
    parsed["big.yaml"] = [padding]
    document = runner.encode_input(runner.tree_input(parsed), True)
    assert len(document) > 4 << 20
    # Only the warning every tree with superuser access (the default) carries.
    verdict = engine.evaluate(document)
    assert {
        level: {rule: messages for rule, messages in rules.items() if messages}
        for level, rules in verdict.items()
    } == {"deny": {}, "warn": {"c15": superuser_warnings(tree)}}
    # Every rule of the policies is in the verdict, by id, fired or not.
    assert len(verdict["deny"]) + len(verdict["warn"]) == 88
