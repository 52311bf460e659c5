"""`wildside-cnpg outputs`: the module's outputs, like `tofu output`."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from ..gojson import go_json
from ._common import add_input_options, load_inputs
from ._output import add_output_option, machine_readable, write_data


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "outputs",
        help="print the module's outputs",
        description="Print the outputs. -o json prints the shape `tofu output -json` prints "
        "(sensitive values included, as tofu does; -o yaml the same in YAML); the text form "
        "and NAME hide sensitive values unless --show-sensitive is given. With NAME, only "
        "that output's value.",
    )
    add_input_options(parser)
    parser.add_argument("name", nargs="?", help="print only this output's value")
    add_output_option(parser)
    parser.add_argument(
        "--json",
        action="store_const",
        const="json",
        dest="output",
        help="the same as -o json (as `tofu output -json`)",
    )
    parser.add_argument("--raw", action="store_true", help="with NAME: a string value unquoted")
    parser.add_argument(
        "--show-sensitive",
        action="store_true",
        help="show sensitive values (in the human form, and for NAME)",
    )
    parser.set_defaults(func=run)


def _human(value: Any) -> str:
    return json.dumps(value, indent=2, sort_keys=True)


def run(args: argparse.Namespace) -> int:
    from ..errors import UsageError
    from ..module import Module

    if args.raw and (args.name is None or machine_readable(args)):
        raise UsageError("--raw goes with NAME and the text output")
    outputs = Module(load_inputs(args)).outputs()
    if args.name is not None:
        if args.name not in outputs:
            raise UsageError(
                f"{args.name}: no such output; outputs are: {', '.join(sorted(outputs))}"
            )
        if outputs[args.name]["sensitive"] and not args.show_sensitive:
            raise UsageError(
                f"{args.name}: a sensitive output; pass --show-sensitive to print its value"
            )
        value = outputs[args.name]["value"]
        if machine_readable(args):
            write_data(args, value)
        elif args.raw:
            if not isinstance(value, str | int | float | bool):
                raise UsageError(f"{args.name}: --raw needs a string, number or bool output")
            print(value if not isinstance(value, bool) else json.dumps(value))
        else:
            print(_human(value))
        return 0
    if machine_readable(args):
        # Exactly what `tofu output -json` prints: outputs whose value is null are left out.
        present = {name: o for name, o in outputs.items() if o["value"] is not None}
        if args.output == "json":
            # Byte for byte `tofu output -json`, which Go's encoding/json writes.
            sys.stdout.write(go_json(present, indent=2, sort_keys=True) + "\n")
        else:
            write_data(args, present)
        return 0
    for name, output in outputs.items():
        shown = (
            "<sensitive>"
            if output["sensitive"] and not args.show_sensitive
            else _human(output["value"])
        )
        print(f"{name} = {shown}")
    return 0
