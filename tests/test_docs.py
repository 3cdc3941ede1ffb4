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


def _tour_commands():
    """Read-only commands shown in the README with their output, as (command line, expected output)."""
    for block in README.split("```")[1::2]:
        lines = block.strip("\n").splitlines()
        for n, line in enumerate(lines):
            if not line.startswith("$ claimtrack ") or line.rstrip().endswith("\\"):
                continue
            command = line[2:].split("     #")[0].strip()
            if command.split()[1] not in ("list", "show", "search", "report", "speakers"):
                continue
            output = []
            for follow in lines[n + 1:]:
                if follow.startswith("$ "):
                    break
                output.append(follow)
            yield command, "\n".join(output)


TOUR = list(_tour_commands())


@pytest.mark.parametrize("command, expected", TOUR, ids=[c for c, _ in TOUR])
def test_the_readme_tour_shows_what_the_bundled_database_gives(tmp_path, command, expected):
    import shutil
    import subprocess
    import sys

    if "┏" in expected:
        pytest.skip("a terminal table; rendered by tests/test_terminal.py")
    shutil.copy(Path(__file__).parent.parent / "claims.db", tmp_path / "claims.db")
    claimtrack = Path(sys.executable).with_name("claimtrack")
    result = subprocess.run(command.replace("claimtrack", str(claimtrack), 1), shell=True, capture_output=True,
                            text=True, cwd=tmp_path, env={"PATH": "/usr/bin:/bin", "CLAIMTRACK_DB": "claims.db"})
    assert result.stdout.rstrip("\n") == expected.rstrip("\n")


def test_the_readme_tour_is_checked():
    assert len(TOUR) >= 6
