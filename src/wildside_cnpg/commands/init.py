"""`wildside-cnpg init [FILE]`: write a starter inputs file, never over an existing one."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "init",
        help="write a commented inputs file with every input at its default",
        description="Write an inputs file listing every input at its default (commented "
        "out), grouped and described, headed by a `# yaml-language-server: $schema=` line "
        "for editors; write that schema with `wildside-cnpg schema > FILE`. An existing "
        "file is never overwritten.",
    )
    parser.add_argument(
        "file",
        nargs="?",
        default="inputs.yaml",
        metavar="FILE",
        help="where to write it (default: %(default)s; - prints it)",
    )
    parser.add_argument(
        "--schema-ref",
        default=None,
        metavar="PATH_OR_URL",
        help="what the $schema line points at (default: wildside-cnpg.schema.json, "
        "relative to FILE)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..create import create_new
    from ..starter import DEFAULT_SCHEMA_REF, starter_inputs

    schema_ref: str = args.schema_ref or DEFAULT_SCHEMA_REF
    text = starter_inputs(schema_ref)
    if args.file == "-":
        sys.stdout.write(text)
        return 0
    path = Path(args.file)
    create_new(path, text.encode("utf-8"))
    print(
        f"wrote {path}: every input at its default, commented out; "
        f"for editor completion run: wildside-cnpg schema > {path.parent / schema_ref}"
        if not schema_ref.startswith(("http://", "https://"))
        else f"wrote {path}: every input at its default, commented out"
    )
    return 0
