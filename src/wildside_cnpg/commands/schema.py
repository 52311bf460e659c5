"""`wildside-cnpg schema`: the JSON Schema of the inputs, for editors."""

from __future__ import annotations

import argparse
import json


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "schema",
        help="print the JSON Schema of the inputs",
        description="Print the JSON Schema (draft 2020-12) of an inputs file: every input "
        "with its type, default, pattern, enum or range (the rules across inputs are "
        "checked by the tool itself). Save it beside your inputs file, which `init` heads "
        "with a `# yaml-language-server: $schema=` line pointing at it: "
        "wildside-cnpg schema > wildside-cnpg.schema.json",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..inputs.schema import inputs_json_schema

    print(json.dumps(inputs_json_schema(), indent=2, sort_keys=True, ensure_ascii=False))
    return 0
