"""Options and helpers shared by the subcommands."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..inputs import Inputs
    from ..inputs.loader import Override


class _AppendOverride(argparse.Action):
    """--set and --set-string append to one list, so they apply in command-line order."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: object,
        option_string: str | None = None,
    ) -> None:
        from ..inputs.loader import Override

        overrides: list[Override] = list(getattr(namespace, self.dest, None) or [])
        overrides.append(Override(str(values), literal=option_string == "--set-string"))
        setattr(namespace, self.dest, overrides)


def add_input_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(
        "inputs",
        "Sources merge in this order, later ones winning: the environment variables "
        "WILDSIDE_CNPG_BACKUP_S3_ACCESS_KEY_ID and WILDSIDE_CNPG_BACKUP_S3_SECRET_ACCESS_KEY, "
        "the files, then --set and --set-string. Mappings merge key by key, lists are "
        "replaced, null removes a key so that its default applies.",
    )
    group.add_argument(
        "--inputs",
        "-i",
        "--values",
        "-f",
        action="append",
        type=Path,
        default=[],
        metavar="FILE",
        help="YAML or JSON file of input values (an OpenTofu *.tfvars.json works; - reads "
        "standard input); repeatable, later files win",
    )
    group.add_argument(
        "--set",
        action=_AppendOverride,
        default=[],
        metavar="NAME=VALUE",
        dest="overrides",
        help="override one input; the value is read as YAML (instances=5, postgis_enabled=false, "
        "resource_requests.cpu=500m, x=null for the default); repeatable, applied after the files",
    )
    group.add_argument(
        "--set-string",
        action=_AppendOverride,
        default=[],
        metavar="NAME=VALUE",
        dest="overrides",
        help="like --set, the value always a string (chart_version=0.30 stays 0.30)",
    )


def load_inputs(args: argparse.Namespace) -> Inputs:
    import os

    from ..inputs import load_inputs as load

    files: list[Path] = args.inputs
    overrides: list[Override] = args.overrides
    if sum(1 for path in files if str(path) == "-") > 1:
        from ..errors import UsageError

        raise UsageError("--inputs -: standard input can be read once")
    return load(files, overrides, os.environ)
