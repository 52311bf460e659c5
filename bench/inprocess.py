"""What the in-process figures measure: render one module and check its tree."""

from __future__ import annotations

from wildside_cnpg import Module


def check_module(module: Module) -> None:
    module.render()
