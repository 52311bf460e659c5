"""For generated valid inputs, the rendered tree has no deny; the only warnings are
the two the inputs ask for knowingly (acknowledged inline keys, a Secret kept
outside the tree)."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings

from tests.strategies import valid_inputs
from wildside_cnpg import Inputs, Module
from wildside_cnpg.policy import check_module


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_inputs())
def test_rendered_tree_has_no_deny(values: dict[str, Any]) -> None:
    report = check_module(Module(Inputs.from_mapping(values)))
    assert report.denies == []
    expected: list[str] = []
    if values.get("backup_s3_access_key_id") is not None:
        expected.append("plaintext credentials in the Git tree (acknowledged by")
    if values.get("backup_s3_credentials_secret_name") is not None:
        expected.append("is not in the tree; it must exist in namespace")
    assert len(report.warns) == len(expected), report.warns
    for warning, fragment in zip(sorted(report.warns), sorted(expected), strict=True):
        assert fragment in warning
