"""Command line: parse arguments, call the library, map errors to exit codes.

`--version` and the top-level `--help` are answered before argparse is even imported
(argparse alone costs more than the interpreter's own start-up). Otherwise only the
module of the command being run is imported and registered; the other commands get
a placeholder parser carrying their one-line summary."""

from __future__ import annotations

import os
import sys

from . import __version__

TYPE_CHECKING = False  # importing typing would cost more than --version itself
if TYPE_CHECKING:
    import argparse
    from collections.abc import Sequence

COMMANDS: tuple[str, ...] = (
    "render",
    "plan",
    "outputs",
    "schema",
    "validate",
    "apply",
    "status",
    "uninstall",
    "policy",
    "backups",
    "opentofu",
    "init",
    "completion",
)

# One-line summary of each command (what the top-level help lists); each command
# module passes the same text as `help=` (a test keeps the two in step).
SUMMARIES: dict[str, str] = {
    "render": "render the Flux GitOps tree",
    "plan": "show what a render would change, and refuse what is unsafe",
    "outputs": "print the module's outputs",
    "schema": "print the JSON Schema of the inputs",
    "validate": "validate rendered manifests against CRDs and Kubernetes schemas",
    "apply": "apply the objects to a cluster with server-side apply",
    "status": "show what apply recorded and how the Cluster is doing",
    "uninstall": "delete what apply recorded, keeping protected objects",
    "policy": "check a tree against the policies",
    "backups": "list the backups in the object store, or restore one in a drill",
    "opentofu": "generate the OpenTofu module's files; answer its data source",
    "init": "write a commented inputs file with every input at its default",
    "completion": "print a shell completion script (bash, zsh or fish)",
}

VERSION_LINE = f"wildside-cnpg {__version__}\n"
DESCRIPTION = (
    "Highly available PostgreSQL with PostGIS on Kubernetes through "
    "CloudNativePG: render a Flux GitOps tree or apply to a cluster."
)

# What argparse prints for the top-level --help at its default width (80 columns,
# the width it uses when stdout is not a terminal); a test compares the two.
HELP_COLUMNS = 80
TOP_HELP = """\
usage: wildside-cnpg [-h] [--version] [--debug] COMMAND ...

Highly available PostgreSQL with PostGIS on Kubernetes through CloudNativePG:
render a Flux GitOps tree or apply to a cluster.

positional arguments:
  COMMAND
    render    render the Flux GitOps tree
    plan      show what a render would change, and refuse what is unsafe
    outputs   print the module's outputs
    schema    print the JSON Schema of the inputs
    validate  validate rendered manifests against CRDs and Kubernetes schemas
    apply     apply the objects to a cluster with server-side apply
    status    show what apply recorded and how the Cluster is doing
    uninstall
              delete what apply recorded, keeping protected objects
    policy    check a tree against the policies
    backups   list the backups in the object store, or restore one in a drill
    opentofu  generate the OpenTofu module's files; answer its data source
    init      write a commented inputs file with every input at its default
    completion
              print a shell completion script (bash, zsh or fish)

options:
  -h, --help  show this help message and exit
  --version   show program's version number and exit
  --debug     show the traceback of unexpected errors
"""


def _parser_class(arguments: Sequence[str]) -> type[argparse.ArgumentParser]:
    import argparse

    from .errors import EXIT_INVALID

    class _Parser(argparse.ArgumentParser):
        def error(self, message: str) -> None:  # type: ignore[override]
            self.print_usage(sys.stderr)
            print(f"{self.prog}: error: {mask_typed_secrets(message, arguments)}", file=sys.stderr)
            raise SystemExit(EXIT_INVALID)

    return _Parser


def mask_typed_secrets(message: str, arguments: Sequence[str]) -> str:
    """`message` without the values typed on the command line for sensitive inputs.

    argparse echoes what it could not use and an error line may quote an argument, so
    a mistyped option (`--sett=NAME=VALUE`, `--values=NAME=VALUE`) or a value split
    from its name by a space (`--set NAME= VALUE`) would print the secret. Wherever a
    sensitive input's name is followed by `=`, what follows is masked, and so is that
    value standing alone (the next argument, when the one with the name ends at `=`)."""
    if not any("=" in argument for argument in arguments):
        return message
    import re

    from .inputs import Inputs

    for index, argument in enumerate(arguments):
        for name in Inputs.sensitive_names():
            at = argument.find(name + "=")
            if at < 0:
                continue
            value = argument[at + len(name) + 1 :]
            if not value and index + 1 < len(arguments):
                value = arguments[index + 1]
            if value:
                message = message.replace(f"{name}={value}", f"{name}=<sensitive>")
                alone = rf"(?<![^\s'\"=:,]){re.escape(value)}(?![^\s'\":,])"
                message = re.sub(alone, "<sensitive>", message)
    return message


def _terminal_columns() -> int:
    """The width argparse formats help for (shutil.get_terminal_size's rules)."""
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or HELP_COLUMNS


def _command_of(argv: Sequence[str]) -> str | None:
    """The command named on the line (top-level options take no values), if any."""
    for arg in argv:
        if not arg.startswith("-"):
            return arg if arg in COMMANDS else None
    return None


def _add_global_options(parser: argparse.ArgumentParser, *, top: bool) -> None:
    """The top-level flags, accepted before the command and after it alike. On a
    command they default to SUPPRESS, so a flag given before the command survives."""
    import argparse

    group = parser if top else parser.add_argument_group("global options")
    group.add_argument("--version", action="version", version=f"wildside-cnpg {__version__}")
    group.add_argument(
        "--debug",
        action="store_true",
        default=False if top else argparse.SUPPRESS,
        help="show the traceback of unexpected errors",
    )


def build_parser(
    command: str | None = None, arguments: Sequence[str] = ()
) -> argparse.ArgumentParser:
    """The full parser; with `command`, only that command's module is imported and
    its real subparser built, the others are placeholders with their summary. Its
    errors mask what `arguments` (the command line) holds of a secret."""
    import importlib

    parser_class = _parser_class(arguments)
    parser = parser_class(prog="wildside-cnpg", description=DESCRIPTION)
    _add_global_options(parser, top=True)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=parser_class)
    subparsers.required = True
    for name in COMMANDS:
        if command is None or name == command:
            module = importlib.import_module(f".commands.{name}", __package__)
            module.register(subparsers)
        else:
            subparsers.add_parser(name, help=SUMMARIES[name])
        _add_global_options(subparsers.choices[name], top=False)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments == ["--version"]:
        return _print_only(VERSION_LINE)
    if arguments in (["--help"], ["-h"]) and _terminal_columns() == HELP_COLUMNS:
        return _print_only(TOP_HELP)
    return _run(arguments)


def _print_only(text: str) -> int:
    """The fast paths' one write, with the exit codes of _run for a failing stdout."""
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except OSError as error:
        from .streams import discard_stdout

        discard_stdout()
        if isinstance(error, BrokenPipeError):
            return 141
        print(f"error: cannot write to standard output: {error.strerror}", file=sys.stderr)
        return 5
    return 0


def _run(arguments: list[str]) -> int:
    # pydantic looks for plugins by scanning the entry points of every installed
    # distribution when the first model is built (by the commands that read the
    # inputs' declaration: schema, init, opentofu variables); the command line uses
    # none, and the scan costs more than rendering the tree. An explicit setting is kept.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    from .streams import GuardedStdout

    stdout = sys.stdout
    sys.stdout = GuardedStdout(stdout)  # type: ignore[assignment,unused-ignore]
    try:
        return _dispatch(arguments)
    finally:
        sys.stdout = stdout


def _dispatch(arguments: list[str]) -> int:
    from .errors import EXIT_INTERNAL, WildsideError
    from .streams import StdoutError, discard_stdout
    from .yamlload import shorten

    parser = build_parser(_command_of(arguments), arguments)
    try:
        try:
            args = parser.parse_args(arguments)
        except SystemExit:
            sys.stdout.flush()  # what argparse printed (--help) before it exits
            raise
        code: int = args.func(args)
        sys.stdout.flush()
    except StdoutError as error:
        discard_stdout()
        print(f"error: {error}", file=sys.stderr)
        return error.exit_code
    except WildsideError as error:
        for line in error.lines():
            print(f"error: {mask_typed_secrets(line, arguments)}", file=sys.stderr)
        return error.exit_code
    except BrokenPipeError:
        # The reader went away (`| head`): stop quietly, as the shell's SIGPIPE would.
        discard_stdout()
        return 141
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as error:  # unexpected: one line, traceback behind --debug
        if "--debug" in arguments:
            import traceback  # only here: importing it costs milliseconds on every run

            print(mask_typed_secrets(traceback.format_exc(), arguments), end="", file=sys.stderr)
        detail = shorten(mask_typed_secrets(" ".join(str(error).split()), arguments), 200)
        print(
            f"internal error: {type(error).__name__}: {detail} "
            "(rerun with --debug for the traceback)",
            file=sys.stderr,
        )
        return EXIT_INTERNAL
    return code
