"""Options and helpers shared by the subcommands."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..inputs import Inputs


def add_input_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("inputs")
    group.add_argument(
        "--inputs",
        "-i",
        action="append",
        type=Path,
        default=[],
        metavar="FILE",
        help="YAML or JSON file of input values (an OpenTofu *.tfvars.json works); "
        "repeatable, later files win",
    )
    group.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        dest="overrides",
        help="override one input; the value is read as YAML (instances=5, postgis_enabled=false, "
        "resource_requests.cpu=500m); repeatable, applied after the files",
    )


def load_inputs(args: argparse.Namespace) -> Inputs:
    from ..inputs import load_inputs as load

    files: list[Path] = args.inputs
    overrides: list[str] = args.overrides
    return load(files, overrides)
