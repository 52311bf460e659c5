"""Fixtures shared by the unit tests."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def plan_parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts the plan parses itself (`plan.objects`), in order, from here on."""
    from wildside_cnpg.plan import objects

    parsed: list[str] = []
    parse = objects.load_all_yaml_text

    def counted(text: str) -> list[Any]:
        parsed.append(text)
        return parse(text)

    monkeypatch.setattr(objects, "load_all_yaml_text", counted)
    return parsed
