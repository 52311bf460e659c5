"""For generated valid inputs, the rendered tree has no deny; the only warnings are
the two the inputs ask for knowingly (acknowledged inline keys, a Secret kept
outside the tree)."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings

from tests.policy.expected import knowing_warnings
from tests.strategies import valid_inputs
from wildside_cnpg import Inputs, Module
from wildside_cnpg.policy import check_module


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_inputs())
def test_rendered_tree_has_no_deny(values: dict[str, Any]) -> None:
    module = Module(Inputs.from_mapping(values))
    report = check_module(module)
    assert report.denies == []
    assert report.warns == knowing_warnings(module)
