"""The shared strategies draw what they promise: valid mappings are accepted."""

from __future__ import annotations

from hypothesis import given, settings

from tests.strategies import valid_inputs
from wildside_cnpg import Inputs


@settings(max_examples=150, deadline=None)
@given(valid_inputs())
def test_valid_inputs_are_accepted(values: dict[str, object]) -> None:
    Inputs.from_mapping(values)
