"""Behaviour that needs a person at a terminal: prompts, confirmation, tables. Run in a real pseudo-terminal."""

from __future__ import annotations

import json
import os
import re
import pty
import select
import subprocess
import sys
import time

from conftest import add, ok


def in_terminal(*args: str, answers: list[str] = (), env: dict | None = None) -> tuple[int, str]:
    """Run claimtrack with stdin and stdout on a pseudo-terminal, typing ANSWERS at its prompts."""
    master, slave = pty.openpty()
    environment = {**os.environ, "COLUMNS": "100", "NO_COLOR": "1", **(env or {})}
    process = subprocess.Popen([sys.executable, "-m", "claimtrack", *args], stdin=slave, stdout=slave,
                               stderr=slave, env=environment, close_fds=True)
    os.close(slave)
    output = b""
    pending = list(answers)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(master, 4096)
            except OSError:
                break
            if not chunk:
                break
            output += chunk
            if pending and output.rstrip().endswith((b":", b"]:", b"[y/N]:")):
                os.write(master, (pending.pop(0) + "\n").encode())
        elif process.poll() is not None:
            break
    process.wait(timeout=10)
    os.close(master)
    return process.returncode, output.decode("utf-8", "replace").replace("\r\n", "\n")


def test_delete_asks_first_in_a_terminal():
    add("cold water", "Zhou Hongyi")
    code, out = in_terminal("delete", "1", answers=["n"])
    assert code == 1 and "Delete claim 1" in out and "Nothing changed" in out
    assert json.loads(ok("list", "--json").stdout) != []
    code, out = in_terminal("delete", "1", answers=["y"])
    assert code == 0 and "Deleted claim 1" in out
    assert json.loads(ok("list", "--json").stdout) == []


def test_list_is_a_table_in_a_terminal_without_colour_under_no_color():
    add("supplying weapons for the ongoing AI war", "Meta's chief scientist", "--said", "December 2023",
        "--tag", "nvidia")
    code, out = in_terminal("list")
    assert code == 0, out
    assert "\x1b[3" not in out  # NO_COLOR: bold may stay, colours go
    plain = re.sub(r"\x1b\[[0-9;]*m", "", out)
    assert "┃ ID ┃ Said" in plain and "December 2023" in plain and "#nvidia" in plain
    code, out = in_terminal("search", "weapons")
    assert code == 0 and "weapons" in out and "┃" in out


def test_the_same_words_again_in_a_terminal_can_become_an_appearance():
    add("a barrel of cold water", "Zhou Hongyi", "--source", "https://example.com/first")
    code, out = in_terminal("add", "A barrel of “cold water”", "--speaker", "zhou hongyi",
                            "--source", "https://example.com/second", answers=["y"])
    assert code == 0 and "another appearance of claim 1" in out, out
    claims = json.loads(ok("list", "--json").stdout)
    assert len(claims) == 1
    assert [a["url"] for a in claims[0]["appearances"]] == ["https://example.com/first", "https://example.com/second"]


def test_a_large_import_shows_progress_in_a_terminal_and_none_in_a_pipe(tmp_path):
    lines = [json.dumps({"text": f"claim number {n} " + "x" * 200, "speaker": f"Speaker {n % 50}"})
             for n in range(1500)]
    path = tmp_path / "big.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out = in_terminal("import", str(path))
    assert code == 0 and "Importing big.jsonl" in out and "1500 added" in out, out[-500:]
    piped = ok("import", str(path))
    assert "Importing" not in piped.stdout + piped.stderr and "1500 unchanged" in piped.stdout
