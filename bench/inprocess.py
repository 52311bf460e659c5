"""What the in-process figures measure: render one module and check its tree
against the policies, as `render` does before writing."""

from __future__ import annotations

from wildside_cnpg import Module
from wildside_cnpg.policy import check_files


def check_module(module: Module) -> None:
    report = check_files(module.render())
    if report.denies:
        raise SystemExit(f"policy denies: {report.denies}")
