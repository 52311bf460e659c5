"""`wildside-cnpg schema`: the JSON Schema of the inputs, for editors."""

from __future__ import annotations

import argparse
import json


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "schema", help="print the JSON Schema of the inputs", description=__doc__
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..inputs.schema import inputs_json_schema

    print(json.dumps(inputs_json_schema(), indent=2, sort_keys=True))
    return 0
