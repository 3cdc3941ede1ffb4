"""Every command has help with an example, and the README documents every command and option."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer

from claimtrack.cli import app
from conftest import ok

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


def _commands():
    group = typer.main.get_command(app)
    for name in group.list_commands(None):
        command = group.get_command(None, name)
        yield [name], command
        for sub_name, sub in getattr(command, "commands", {}).items():
            yield [name, sub_name], sub


COMMANDS = list(_commands())


@pytest.mark.parametrize("path, command", COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_every_command_has_help_with_an_example(path, command):
    out = ok(*path, "--help").stdout
    assert "Example: claimtrack" in out


@pytest.mark.parametrize("path, command", COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_every_command_and_option_is_in_the_readme(path, command):
    assert f"claimtrack {' '.join(path)}" in README
    for param in command.params:
        for opt in param.opts:
            if opt.startswith("--") and opt != "--help":
                assert opt in README, f"{opt} of {' '.join(path)} is missing from README.md"
