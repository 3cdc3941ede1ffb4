"""Shell completion, as a shell asks for it: commands, options, speaker names and tags, read from the database
without writing to it; and `--install-completion` puts the script where the shell reads it."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from claimtrack.cli import COMMANDS
from conftest import add, file_hash, ok


def complete(line: str, *, env: dict | None = None, cwd=None) -> list[str]:
    """What bash completion offers for the last word of LINE (a trailing space: a new, empty word)."""
    words = line.split(" ")
    environment = {**os.environ, "_CLAIMTRACK_COMPLETE": "complete_bash", "COMP_WORDS": line,
                   "COMP_CWORD": str(len(words) - 1), **(env or {})}
    result = subprocess.run([sys.executable, "-m", "claimtrack"], capture_output=True, text=True,
                            env=environment, cwd=cwd, timeout=60)
    assert result.returncode == 0 and result.stderr == "", (result.returncode, result.stderr)
    return [line for line in result.stdout.splitlines() if line]


@pytest.fixture
def desk():
    add("a barrel of cold water", "Zhou Hongyi", "--tag", "sora", "--tag", "search")
    add("supplying weapons", "Yann LeCun", "--tag", "ai-war")
    add("a third", "Zhang Wei")
    ok("speakers", "merge", "Zhang Wei", "Zhou Hongyi", "--keep-alias")


def test_commands_complete():
    assert complete("claimtrack l") == ["list"]
    assert complete("claimtrack re") == ["restore", "redo", "retract", "report"]
    assert complete("claimtrack ") == list(COMMANDS)
    assert "rename" in complete("claimtrack speakers ")


def test_options_complete():
    assert complete("claimtrack list --sp") == ["--speaker"]
    assert complete("claimtrack add x --pub") == ["--published"]
    assert complete("claimtrack list --hea") == ["--header"]


def test_speaker_names_and_aliases_complete(desk):
    assert complete("claimtrack list --speaker Z") == ["Zhang Wei", "Zhou Hongyi"]
    assert complete("claimtrack list --speaker Zho") == ["Zhou Hongyi"]
    assert complete("claimtrack list --speaker ") == ["Yann LeCun", "Zhang Wei", "Zhou Hongyi"]
    assert complete("claimtrack add x --speaker Y") == ["Yann LeCun"]
    assert complete("claimtrack report -s Y") == ["Yann LeCun"]


def test_tags_complete(desk):
    assert complete("claimtrack list --tag s") == ["search", "sora"]
    assert complete("claimtrack export --format csv --tag a") == ["ai-war"]
    assert complete("claimtrack add x --speaker A --tag so") == ["sora"]


def test_a_prefix_is_taken_literally(desk):
    assert complete("claimtrack list --tag %") == []
    assert complete("claimtrack list --tag _i") == []


def test_the_database_given_with_db_is_the_one_read(tmp_path, desk):
    ok("--db", str(tmp_path / "other.db"), "add", "x", "--speaker", "Olga Other")
    assert complete(f"claimtrack --db {tmp_path / 'other.db'} list --speaker ") == ["Olga Other"]
    assert complete("claimtrack list --speaker O", env={"CLAIMTRACK_DB": str(tmp_path / "other.db")}) == \
        ["Olga Other"]


def test_a_missing_database_completes_nothing_and_is_not_created(tmp_path, db_path):
    assert complete("claimtrack list --speaker ") == []
    assert complete("claimtrack list --tag ") == []
    assert not db_path.exists() and list(tmp_path.iterdir()) == []


def test_a_file_that_is_not_a_database_completes_nothing(db_path):
    db_path.write_bytes(b"not a database at all" * 100)
    assert complete("claimtrack list --speaker ") == []
    assert db_path.read_bytes() == b"not a database at all" * 100


def test_completion_never_writes(tmp_path, db_path, desk):
    before = (file_hash(db_path), sorted(p.name for p in tmp_path.iterdir()))
    for line in ("claimtrack list --speaker Z", "claimtrack list --tag s", "claimtrack add x --speaker ",
                 "claimtrack l"):
        complete(line)
    assert (file_hash(db_path), sorted(p.name for p in tmp_path.iterdir())) == before


def test_install_completion_writes_the_script_for_the_shell(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    result = subprocess.run([sys.executable, "-m", "claimtrack", "--install-completion"], capture_output=True,
                            text=True, env={**os.environ, "HOME": str(home), "SHELL": "/bin/bash"}, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "bash completion installed" in result.stdout
    script = home / ".bash_completions" / "claimtrack.sh"
    assert "_CLAIMTRACK_COMPLETE" in script.read_text()
    assert str(script) in (home / ".bashrc").read_text()


def test_show_completion_prints_the_script():
    result = subprocess.run([sys.executable, "-m", "claimtrack", "--show-completion"], capture_output=True,
                            text=True, env={**os.environ, "SHELL": "/bin/bash"}, timeout=60)
    assert result.returncode == 0 and "_CLAIMTRACK_COMPLETE=complete_bash" in result.stdout


def test_starting_list_loads_nothing_for_completion(desk):
    probe = ("import sys; sys.argv = ['claimtrack', 'list']\n"
             "from claimtrack.entry import main\n"
             "try:\n"
             "    main()\n"
             "finally:\n"
             "    print([m for m in sys.modules if m.startswith('claimtrack.store.completion')])")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "[]"
