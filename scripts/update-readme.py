"""Regenerate the README's input and output tables from the model (`make readme`)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from wildside_cnpg.reference import inputs_table, outputs_table

README = Path(__file__).resolve().parent.parent / "README.md"


def replace_section(text: str, name: str, body: str) -> str:
    pattern = re.compile(rf"(<!-- {name}:start -->\n).*?(<!-- {name}:end -->)", re.S)
    if not pattern.search(text):
        raise SystemExit(f"README.md: markers for {name} are missing")
    return pattern.sub(lambda m: m.group(1) + body + m.group(2), text)


def main() -> int:
    text = README.read_text(encoding="utf-8")
    text = replace_section(text, "inputs", inputs_table())
    text = replace_section(text, "outputs", outputs_table())
    README.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
