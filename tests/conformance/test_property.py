"""Over the whole input space: whatever the inputs validator accepts renders a tree
the schemas and the policies accept; whatever it rejects raises InputError naming the
input; nothing raises anything else."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from tests.strategies import any_inputs
from wildside_cnpg import InputError, Inputs, Module
from wildside_cnpg.policy import check_files
from wildside_cnpg.validation import Validator, documents_from_files


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(drawn=any_inputs())
def test_accepted_inputs_render_valid_trees_rejected_inputs_are_named(
    drawn: tuple[dict[str, Any], str | None], validator: Validator
) -> None:
    values, bad = drawn
    if bad is not None:
        with pytest.raises(InputError) as rejected:
            Inputs.from_mapping(values)
        named = re.compile(rf"{re.escape(bad)}[:.\[]")
        problems = rejected.value.problems
        assert any(named.match(line) for line in problems), problems
        return
    inputs = Inputs.from_mapping(values)
    files = Module(inputs).render()
    report = validator.validate(documents_from_files(files))
    assert [str(finding) for finding in report.findings] == []
    assert report.evaluated_rules
    assert check_files(files).denies == []
