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


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_inputs().filter(lambda values: values.get("backup_enabled", False)))
def test_plugin_backups_have_no_deny(values: dict[str, Any]) -> None:
    """The same generated backups, through the Barman Cloud plugin (which works with
    any image); the shared strategy draws only in-tree Barman."""
    module = Module(Inputs.from_mapping({**values, "backup_method": "barman_cloud_plugin"}))
    report = check_module(module)
    assert report.denies == []
    assert report.warns == knowing_warnings(module)
