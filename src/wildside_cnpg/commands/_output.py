"""`-o/--output FORMAT`, the same option on every command that reports something:
`text` for people, `json` and `yaml` for programs (one document on stdout)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any

FORMATS: tuple[str, ...] = ("text", "json", "yaml")


def add_output_option(
    parser: argparse.ArgumentParser,
    formats: Sequence[str] = FORMATS,
    help_text: str = "",
) -> None:
    parser.add_argument(
        "-o",
        "--output",
        choices=tuple(formats),
        default="text",
        metavar="FORMAT",
        help=f"{', '.join(formats)} (default: text){'; ' + help_text if help_text else ''}",
    )


def machine_readable(args: argparse.Namespace) -> bool:
    return str(getattr(args, "output", "text")) != "text"


def write_data(args: argparse.Namespace, data: Any) -> None:
    """Print data as the JSON or YAML document -o asked for."""
    if args.output == "json":
        sys.stdout.write(json.dumps(data, indent=2, sort_keys=True) + "\n")
    else:
        from ..yamlio import dump_data

        sys.stdout.write(dump_data(data))
