"""Fixtures of the OpenTofu tests: the real tofu and one copy of opentofu/ per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from .harness import Tofu, copy_opentofu_tree, find_tofu


@pytest.fixture(scope="session")
def tofu(tmp_path_factory: pytest.TempPathFactory) -> Tofu:
    return find_tofu(tmp_path_factory.mktemp("tofu-home"))


@pytest.fixture(scope="session")
def opentofu_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_opentofu_tree(tmp_path_factory.mktemp("opentofu"))


@pytest.fixture(scope="session")
def render_root(tofu: Tofu, opentofu_tree: Path) -> Path:
    """opentofu/examples/render, initialised offline and applied."""
    root = opentofu_tree / "examples" / "render"
    tofu.apply(root)
    return root


@pytest.fixture(scope="session")
def downstream_root(tofu: Tofu, opentofu_tree: Path) -> Path:
    root = opentofu_tree / "examples" / "downstream"
    tofu.apply(root)
    return root
