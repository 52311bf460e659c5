"""Rewrite the golden trees from the current code: `make golden`, then review the diff."""

from __future__ import annotations

import shutil

from tests.golden.cases import CASES, GOLDEN_DIR
from wildside_cnpg import Inputs, Module


def main() -> None:
    if GOLDEN_DIR.exists():
        shutil.rmtree(GOLDEN_DIR)
    for name, values in CASES.items():
        for path, text in Module(Inputs.from_mapping(values)).render().items():
            target = GOLDEN_DIR / name / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
    print(f"regenerated {len(CASES)} golden trees under {GOLDEN_DIR}")


if __name__ == "__main__":
    main()
