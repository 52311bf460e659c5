"""`wildside-cnpg opentofu ...`: the OpenTofu module's generated files, and the mode
its `external` data source runs."""

from __future__ import annotations

import argparse
import sys


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "opentofu",
        help="generate the OpenTofu module's files; answer its data source",
        description="The OpenTofu module (opentofu/modules/cnpg) wraps this tool: its "
        "variables.tf and outputs.tf are generated from the tool's inputs and outputs, "
        "and its `external` data source runs `opentofu external`.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", parser_class=type(parser))
    actions.required = True
    actions.add_parser(
        "variables",
        help="print the module's variables.tf",
        description="Print variables.tf: one variable per input with its type, default, "
        "description, sensitivity and the validations HCL can express.",
    ).set_defaults(func=run_variables)
    actions.add_parser(
        "outputs",
        help="print the module's outputs.tf",
        description="Print outputs.tf: the outputs of `outputs --json`, same names, types "
        "and sensitivity.",
    ).set_defaults(func=run_outputs)
    actions.add_parser(
        "external",
        help="answer the external data source (JSON on stdin and stdout)",
        description="The hashicorp/external protocol: read the query, a JSON object whose "
        "key `inputs` holds the JSON-encoded inputs, from standard input; print every "
        "output JSON-encoded under its name. Bad inputs: one line per problem on stderr, "
        "exit 2, nothing on stdout.",
    ).set_defaults(func=run_external)


def run_variables(args: argparse.Namespace) -> int:
    from ..inputs.model import InputsModel
    from ..opentofu.variables import render_variables

    sys.stdout.write(render_variables(InputsModel))
    return 0


def run_outputs(args: argparse.Namespace) -> int:
    from ..opentofu.outputs_tf import render_outputs

    sys.stdout.write(render_outputs())
    return 0


def run_external(args: argparse.Namespace) -> int:
    from ..opentofu.external import answer

    result = answer(sys.stdin.read())
    sys.stdout.write(result + "\n")
    return 0
