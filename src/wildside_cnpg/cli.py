"""Command line: parse arguments, call the library, map errors to exit codes.

Only argparse is imported at start-up; each subcommand module is imported when it
runs, so `--help` and `--version` stay fast."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import traceback
from collections.abc import Sequence

from . import __version__
from .errors import EXIT_INTERNAL, EXIT_INVALID, WildsideError

COMMANDS: tuple[str, ...] = ("render", "outputs", "schema", "validate", "apply", "policy")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"{self.prog}: error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_INVALID)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="wildside-cnpg",
        description="Highly available PostgreSQL with PostGIS on Kubernetes through "
        "CloudNativePG: render a Flux GitOps tree or apply to a cluster.",
    )
    parser.add_argument("--version", action="version", version=f"wildside-cnpg {__version__}")
    parser.add_argument(
        "--debug", action="store_true", help="show the traceback of unexpected errors"
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    subparsers.required = True
    for name in COMMANDS:
        module = importlib.import_module(f".commands.{name}", __package__)
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.func(args)
    except WildsideError as error:
        for line in error.lines():
            print(f"error: {line}", file=sys.stderr)
        return error.exit_code
    except BrokenPipeError:
        # The reader went away (`| head`): stop quietly, as the shell's SIGPIPE would.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as error:  # unexpected: one line, traceback behind --debug
        if args.debug:
            traceback.print_exc()
        print(
            f"internal error: {type(error).__name__}: {error} "
            "(rerun with --debug for the traceback)",
            file=sys.stderr,
        )
        return EXIT_INTERNAL
    return code
