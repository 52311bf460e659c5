"""`wildside-cnpg completion bash|zsh|fish`: print a shell completion script."""

from __future__ import annotations

import argparse
import sys

from ..completion import SHELLS


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "completion",
        help="print a shell completion script (bash, zsh or fish)",
        description="Print the completion script of a shell. bash: source <(wildside-cnpg "
        "completion bash) in ~/.bashrc; zsh: source <(wildside-cnpg completion zsh) in "
        "~/.zshrc after compinit; fish: wildside-cnpg completion fish > "
        "~/.config/fish/completions/wildside-cnpg.fish",
    )
    parser.add_argument("shell", choices=SHELLS, metavar="SHELL", help="bash, zsh or fish")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..cli import build_parser
    from ..completion import completion_script

    sys.stdout.write(completion_script(args.shell, build_parser()))
    return 0
