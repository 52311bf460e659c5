"""Rewrite the golden trees from the current code: `make golden`, then review the diff."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from tests.golden.cases import CASES, CHECKOUTS, GOLDEN_DIR
from wildside_cnpg import Inputs, Module
from wildside_cnpg.writer import write_tree


def render_checkout(renders: list[dict[str, object]], out: Path) -> None:
    """Each render written into one checkout, in order (as `render --out` would)."""
    for values in renders:
        module = Module(Inputs.from_mapping(values))
        write_tree(out, module.render(), owner=module.shape.owner)


def main() -> None:
    if GOLDEN_DIR.exists():
        shutil.rmtree(GOLDEN_DIR)
    for name, values in CASES.items():
        for path, text in Module(Inputs.from_mapping(values)).render().items():
            target = GOLDEN_DIR / name / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
    for name, renders in CHECKOUTS.items():
        with tempfile.TemporaryDirectory() as scratch:
            render_checkout(renders, Path(scratch))
            shutil.copytree(scratch, GOLDEN_DIR / name)
    print(f"regenerated {len(CASES) + len(CHECKOUTS)} golden trees under {GOLDEN_DIR}")


if __name__ == "__main__":
    main()
