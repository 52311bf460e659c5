"""Shell completion scripts (bash, zsh, fish) generated from the argparse parser, so
they always list the commands and options the installed version has.

The parser is read into a small model first (commands, options, what value each
option takes); each shell's script is written from that model. Values complete as
files, directories or fixed choices; free text (`--set NAME=VALUE`) completes to
nothing."""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

PROG = "wildside-cnpg"
SHELLS = ("bash", "zsh", "fish")
FUNCTION = "_wildside_cnpg"


@dataclass(frozen=True)
class Value:
    """What an option or positional takes: 'file', 'dir', 'choice' or 'text'."""

    kind: str
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Option:
    flags: tuple[str, ...]
    help: str
    value: Value | None  # None: a flag without a value
    repeatable: bool = False

    @property
    def long(self) -> str | None:
        return next((f[2:] for f in self.flags if f.startswith("--")), None)

    @property
    def short(self) -> str | None:
        return next((f[1:] for f in self.flags if len(f) == 2 and f[0] == "-"), None)


@dataclass(frozen=True)
class Command:
    name: str
    help: str
    options: tuple[Option, ...]
    positionals: tuple[Value, ...]


def _value(action: argparse.Action) -> Value | None:
    if action.nargs == 0:
        return None
    if action.choices:
        return Value("choice", tuple(str(c) for c in action.choices))
    metavar = str(action.metavar or action.dest).upper()
    if "DIR" in metavar:
        return Value("dir")
    if action.type is Path or "FILE" in metavar:
        return Value("file")
    return Value("text")


def _summary(text: str | None) -> str:
    """The first clause of a help text, with argparse's %(default)s spelled out."""
    first = re.split(r"(?<=[a-z)])[.] ", (text or "").replace("%(default)s", "default"))[0]
    return first.strip().rstrip(".")


def _options(parser: argparse.ArgumentParser) -> tuple[Option, ...]:
    return tuple(
        Option(
            tuple(action.option_strings),
            _summary(action.help),
            _value(action),
            isinstance(action, argparse._AppendAction),
        )
        for action in parser._actions
        if action.option_strings and action.help != argparse.SUPPRESS
    )


def describe(parser: argparse.ArgumentParser) -> tuple[tuple[Option, ...], tuple[Command, ...]]:
    """The top-level options and every command of a full parser."""
    subparsers = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    helps = {choice.dest: str(choice.help or "") for choice in subparsers._choices_actions}
    commands = tuple(
        Command(
            name,
            helps.get(name, ""),
            _options(sub),
            tuple(
                value
                for action in sub._actions
                if not action.option_strings and (value := _value(action)) is not None
            ),
        )
        for name, sub in subparsers.choices.items()
    )
    return _options(parser), commands


# --- bash ------------------------------------------------------------------------


def _bash_words(words: Iterable[str]) -> str:
    return " ".join(words)


def _bash_reply(value: Value) -> str:
    # mapfile keeps names with spaces whole; -o filenames quotes them and marks dirs.
    if value.kind == "dir":
        return 'compopt -o filenames 2>/dev/null; mapfile -t COMPREPLY < <(compgen -d -- "$cur")'
    if value.kind == "file":
        return 'compopt -o filenames 2>/dev/null; mapfile -t COMPREPLY < <(compgen -f -- "$cur")'
    if value.kind == "choice":
        return f'mapfile -t COMPREPLY < <(compgen -W "{_bash_words(value.choices)}" -- "$cur")'
    return "COMPREPLY=()"


def bash_script(top: tuple[Option, ...], commands: tuple[Command, ...]) -> str:
    names = "|".join(c.name for c in commands)
    lines = [
        f"# bash completion for {PROG}, written by `{PROG} completion bash`.",
        f"# Load it with: source <({PROG} completion bash)",
        f"{FUNCTION}() {{",
        '    local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}"',
        '    local command="" i',
        "    for ((i = 1; i < COMP_CWORD; i++)); do",
        '        case "${COMP_WORDS[i]}" in',
        f'            {names}) command="${{COMP_WORDS[i]}}"; break ;;',
        "        esac",
        "    done",
        '    case "$command $prev" in',
    ]
    for command in commands:
        for option in command.options:
            if option.value is not None:
                patterns = "|".join(f'"{command.name} {flag}"' for flag in option.flags)
                lines.append(f"        {patterns}) {_bash_reply(option.value)}; return ;;")
    lines += ["    esac", '    case "$command" in']
    top_words = [c.name for c in commands] + [f for o in top for f in o.flags]
    words = _bash_words(top_words)
    lines.append(f'        "") mapfile -t COMPREPLY < <(compgen -W "{words}" -- "$cur") ;;')
    for command in commands:
        flags = _bash_words(f for o in command.options for f in o.flags)
        positional = _bash_reply(command.positionals[0]) if command.positionals else "COMPREPLY=()"
        lines += [
            f"        {command.name})",
            '            if [[ "$cur" == -* ]]; then',
            f'                mapfile -t COMPREPLY < <(compgen -W "{flags}" -- "$cur")',
            "            else",
            f"                {positional}",
            "            fi ;;",
        ]
    lines += ["    esac", "}", f"complete -F {FUNCTION} {PROG}", ""]
    return "\n".join(lines)


# --- zsh -------------------------------------------------------------------------


def _zsh_text(text: str) -> str:
    """Help text inside a single-quoted _arguments spec's [...] description."""
    escaped = re.sub(r"([\[\]:\\])", r"\\\1", text)
    return escaped.replace("'", "'\\''")


def _zsh_action(value: Value) -> str:
    if value.kind == "dir":
        return "_files -/"
    if value.kind == "file":
        return "_files"
    if value.kind == "choice":
        return "(" + " ".join(value.choices) + ")"
    return " "


def _zsh_spec(option: Option) -> str:
    help_text = _zsh_text(option.help)
    value = ""
    if option.value is not None:
        value = f":{option.value.kind}:{_zsh_action(option.value)}"
    # A repeatable option may come again ('*'); the others exclude their own aliases.
    if len(option.flags) == 1:
        star = "*" if option.repeatable else ""
        return f"'{star}{option.flags[0]}[{help_text}]{value}'"
    prefix = "'*'" if option.repeatable else f"'({' '.join(option.flags)})'"
    return f"{prefix}{{{','.join(option.flags)}}}'[{help_text}]{value}'"


def zsh_script(top: tuple[Option, ...], commands: tuple[Command, ...]) -> str:
    lines = [
        f"#compdef {PROG}",
        f"# zsh completion for {PROG}, written by `{PROG} completion zsh`.",
        f"# Load it with: source <({PROG} completion zsh), or save it as _{PROG}",
        "# in a directory of $fpath.",
        f"{FUNCTION}() {{",
        '    local curcontext="$curcontext" state line',
        "    typeset -A opt_args",
        "    _arguments -C \\",
        *(f"        {_zsh_spec(option)} \\" for option in top),
        "        '1:command:->command' \\",
        "        '*::argument:->argument'",
        '    case "$state" in',
        "        command)",
        "            local -a commands",
        "            commands=(",
        *(f"                '{c.name}:{_zsh_text(c.help)}'" for c in commands),
        "            )",
        "            _describe -t commands command commands ;;",
        "        argument)",
        '            case "$words[1]" in',
    ]
    for command in commands:
        specs = [_zsh_spec(option) for option in command.options]
        specs += [
            f"'{index}:{value.kind}:{_zsh_action(value)}'"
            for index, value in enumerate(command.positionals, start=1)
        ]
        lines.append(f"                {command.name})")
        lines.append("                    _arguments \\")
        lines += [f"                        {spec} \\" for spec in specs[:-1]]
        lines.append(f"                        {specs[-1]} ;;")
    lines += [
        "            esac ;;",
        "    esac",
        "}",
        f'if [[ "$funcstack[1]" == "{FUNCTION}" ]]; then',
        f'    {FUNCTION} "$@"',
        "else",
        f"    compdef {FUNCTION} {PROG}",
        "fi",
        "",
    ]
    return "\n".join(lines)


# --- fish ------------------------------------------------------------------------


def _fish_quote(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _fish_value(value: Value) -> str:
    if value.kind == "dir":
        return "-r -f -a '(__fish_complete_directories)'"
    if value.kind == "file":
        return "-r -F"
    if value.kind == "choice":
        return "-r -f -a " + _fish_quote(" ".join(value.choices))
    return "-r -f"


def _fish_option(option: Option, condition: str) -> str:
    parts = [f"complete -c {PROG}"]
    if condition:
        parts.append(f"-n {_fish_quote(condition)}")
    if option.short:
        parts.append(f"-s {option.short}")
    if option.long:
        parts.append(f"-l {option.long}")
    if option.value is not None:
        parts.append(_fish_value(option.value))
    parts.append(f"-d {_fish_quote(option.help)}")
    return " ".join(parts)


def fish_script(top: tuple[Option, ...], commands: tuple[Command, ...]) -> str:
    lines = [
        f"# fish completion for {PROG}, written by `{PROG} completion fish`.",
        f"# Load it with: {PROG} completion fish | source",
        f"complete -c {PROG} -f",
    ]
    global_flags = {f for option in top for f in option.flags}
    lines += [_fish_option(option, "") for option in top]
    lines += [
        f"complete -c {PROG} -n __fish_use_subcommand -a {c.name} -d {_fish_quote(c.help)}"
        for c in commands
    ]
    for command in commands:
        condition = f"__fish_seen_subcommand_from {command.name}"
        lines += [
            _fish_option(option, condition)
            for option in command.options
            if not set(option.flags) <= global_flags
        ]
        for value in command.positionals[:1]:
            extra = _fish_value(value).replace("-r ", "")
            lines.append(f"complete -c {PROG} -n {_fish_quote(condition)} {extra}")
    return "\n".join(lines) + "\n"


def completion_script(shell: str, parser: argparse.ArgumentParser) -> str:
    top, commands = describe(parser)
    writers = {"bash": bash_script, "zsh": zsh_script, "fish": fish_script}
    return writers[shell](top, commands)
