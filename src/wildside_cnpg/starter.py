"""The inputs file `wildside-cnpg init` writes: every input at its default, commented
out, grouped like the README's tables, with its description and rule, headed by a
`# yaml-language-server: $schema=` line for editors."""

from __future__ import annotations

import json
import textwrap

from . import __version__
from .inputs.model import InputsModel
from .reference import default_value, input_groups, rule

DEFAULT_SCHEMA_REF = "wildside-cnpg.schema.json"
_WIDTH = 88


def _comment(text: str) -> list[str]:
    return [f"# {line}" for line in textwrap.wrap(text, _WIDTH - 2)]


def starter_inputs(schema_ref: str = DEFAULT_SCHEMA_REF) -> str:
    """The text of a starter inputs file; loading it gives the defaults."""
    remote = schema_ref.startswith(("http://", "https://"))
    how = (
        f"the JSON Schema at {schema_ref}"
        if remote
        else f"the JSON Schema in {schema_ref}; write (and after an upgrade rewrite) that "
        f"file with `wildside-cnpg schema > {schema_ref}`"
    )
    lines = [
        f"# yaml-language-server: $schema={schema_ref}",
        *_comment(
            f"Inputs of wildside-cnpg {__version__}. The line above points editors with the "
            f"YAML language server at {how}."
        ),
        *_comment(
            "Every input is listed at its default, commented out: uncomment and change what "
            "you need (a null value also means the default). Then: wildside-cnpg render "
            "--inputs THIS_FILE --out YOUR_GITOPS_CHECKOUT"
        ),
    ]
    for group, names in input_groups():
        lines += ["", f"# ---- {group} " + "-" * (_WIDTH - 8 - len(group)), ""]
        for name in names:
            field = InputsModel.model_fields[name]
            description = (field.description or name).rstrip(".")
            lines += _comment(f"{description}.")
            text = rule(field)
            if text != "-":
                lines += _comment(f"Rule: {text}.")
            lines.append(f"# {name}: {json.dumps(default_value(field), ensure_ascii=False)}")
            lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"
