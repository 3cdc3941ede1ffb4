"""What `add` asks at a terminal (run in a real pseudo-terminal), and what it warns about in a pipe:
the pasted multi-line quote, the speaker found by a word prefix, a misspelt speaker caught."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
import time

from conftest import add, invoke, ok


def dialogue(*args: str, steps: list[tuple[str, str]]) -> tuple[int, str]:
    """Run claimtrack on a pseudo-terminal; for each (PROMPT, ANSWER) of STEPS, type ANSWER (newlines and all)
    once PROMPT has appeared after the previous one. Every step must be reached."""
    master, slave = pty.openpty()
    environment = {**os.environ, "COLUMNS": "100", "NO_COLOR": "1"}
    process = subprocess.Popen([sys.executable, "-m", "claimtrack", *args], stdin=slave, stdout=slave,
                               stderr=slave, env=environment, close_fds=True)
    os.close(slave)
    output, seen, pending = b"", 0, list(steps)
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
            while pending and pending[0][0].encode() in output[seen:]:
                prompt, answer = pending.pop(0)
                seen = output.index(prompt.encode(), seen) + len(prompt.encode())
                os.write(master, answer.encode())
        elif process.poll() is not None:
            break
    if process.poll() is None:
        process.kill()
    process.wait(timeout=10)
    os.close(master)
    text = output.decode("utf-8", "replace").replace("\r\n", "\n")
    assert not pending, (pending, text)
    return process.returncode, text


def shown(claim_id: int = 1) -> dict:
    return json.loads(ok("show", str(claim_id), "--json").stdout)


def speaker_names() -> list[str]:
    return [s["name"] for s in json.loads(ok("speakers", "--json").stdout)]


QUOTE = "an empty line ends it):"


def test_add_alone_is_a_form_that_takes_a_pasted_quote_of_several_lines():
    code, out = dialogue("add", steps=[
        (QUOTE, "Sora is a wake-up call,\n  and a barrel of cold water\npoured down China's head.\n\n"),
        ("Speaker:", "Zhou Hongyi\n"), ("Role (Enter for none):", "founder of 360\n"),
        ("Said (", "February 2024\n"), ("Source URL (Enter for none):", "https://example.com/zhou\n"),
    ])
    assert code == 0, out
    claim = shown()
    assert claim["text"] == "Sora is a wake-up call,\n  and a barrel of cold water\npoured down China's head."
    assert (claim["speaker"], claim["role"], claim["said_on"]) == ("Zhou Hongyi", "founder of 360", "2024-02")
    assert claim["source_url"] == "https://example.com/zhou"


def test_the_form_skips_what_is_left_blank():
    code, out = dialogue("add", steps=[(QUOTE, "cold water\n\n"), ("Speaker:", "Zhou Hongyi\n"),
                                       ("Role (", "\n"), ("Said (", "\n"), ("Source URL (", "\n")])
    assert code == 0, out
    claim = shown()
    assert (claim["text"], claim["role"], claim["said_on"], claim["source_url"]) == ("cold water", None, None, None)


def test_a_blank_speaker_is_asked_again_and_nothing_typed_is_lost():
    code, out = dialogue("add", steps=[
        (QUOTE, "line one\nline two\n\n"), ("Speaker:", "\n"), ("A speaker is needed", ""),
        ("Speaker:", "   \n"), ("Speaker:", "Yann LeCun\n"), ("Role (", "\n"), ("Said (", "\n"), ("Source URL (", "\n"),
    ])
    assert code == 0, out
    assert (shown()["text"], shown()["speaker"]) == ("line one\nline two", "Yann LeCun")


def test_a_date_or_url_that_cannot_be_read_is_asked_again():
    code, out = dialogue("add", steps=[
        (QUOTE, "cold water\n\n"), ("Speaker:", "Zhou Hongyi\n"), ("Role (", "\n"),
        ("Said (", "the day after never\n"), ("Try again", ""), ("Said (", "2024-02-19\n"),
        ("Source URL (", "not a url\n"), ("Try again", ""), ("Source URL (", "https://example.com/a\n"),
    ])
    assert code == 0, out
    assert (shown()["said_on"], shown()["source_url"]) == ("2024-02-19", "https://example.com/a")


def test_add_with_options_asks_only_for_what_is_missing():
    # (the quote on its own, then the speaker; --said was given, so no role, date or source is asked)
    code, out = dialogue("add", "--said", "February 2024",
                         steps=[(QUOTE, "a barrel of cold water\n\n"), ("Speaker:", "Zhou Hongyi\n")])
    assert code == 0, out
    assert "Quote or claim" in out and "Role" not in out
    claim = shown()
    assert (claim["text"], claim["speaker"], claim["said_on"]) == ("a barrel of cold water", "Zhou Hongyi", "2024-02")


def test_the_end_of_input_before_any_quote_adds_nothing(db_path):
    code, out = dialogue("add", steps=[(QUOTE, "\x04")])
    assert code == 1 and "Nothing added" in out
    assert not db_path.exists()


def test_the_speaker_prompt_finds_a_known_speaker_by_a_word_prefix():
    add("x", "Zhou Hongyi")
    code, out = dialogue("add", "Sora's launch was a wake-up call", steps=[("Speaker:", "zhou\n")])
    assert code == 0 and "That is Zhou Hongyi." in out, out
    assert shown(2)["speaker"] == "Zhou Hongyi" and speaker_names() == ["Zhou Hongyi"]


def test_the_speaker_prompt_asks_again_when_a_prefix_matches_several():
    add("x", "Zhou Hongyi")
    add("y", "Zhou Enlai")
    code, out = dialogue("add", "words", steps=[("Speaker:", "zhou\n"), ("several speakers", ""),
                                                ("Speaker:", "zhou en\n")])
    assert code == 0, out
    assert "Zhou Hongyi" in out and shown(3)["speaker"] == "Zhou Enlai"


def test_the_speaker_prompt_catches_a_misspelling():
    add("x", "Zhou Hongyi")
    code, out = dialogue("add", "words", steps=[("Speaker:", "Zhou Hongi\n"),
                                                ("Did you mean Zhou Hongyi? [Y/n]:", "\n")])
    assert code == 0, out
    assert "Zhou Hongi is not a known speaker." in out and shown(2)["speaker"] == "Zhou Hongyi"


def test_a_misspelt_speaker_option_is_asked_about_at_a_terminal():
    add("x", "Zhou Hongyi")
    code, out = dialogue("add", "y", "--speaker", "Zhou Hongi", steps=[("Did you mean Zhou Hongyi? [Y/n]:", "y\n")])
    assert code == 0, out
    assert shown(2)["speaker"] == "Zhou Hongyi" and speaker_names() == ["Zhou Hongyi"]
    code, out = dialogue("add", "z", "--speaker", "Zhou Hongi", steps=[("Did you mean Zhou Hongyi? [Y/n]:", "n\n")])
    assert code == 0, out
    assert shown(3)["speaker"] == "Zhou Hongi" and speaker_names() == ["Zhou Hongi", "Zhou Hongyi"]


def test_a_word_prefix_as_speaker_option_is_asked_about_at_a_terminal():
    add("x", "Zhou Hongyi")
    code, out = dialogue("add", "y", "--speaker", "Zhou", steps=[("Zhou is not a known speaker. Did you mean "
                                                                  "Zhou Hongyi? [Y/n]:", "\n")])
    assert code == 0, out
    assert shown(2)["speaker"] == "Zhou Hongyi"


def test_in_a_pipe_a_close_speaker_is_added_with_a_warning_naming_the_closest():
    add("x", "Zhou Hongyi")
    add("y", "Lech Wałęsa")
    for typed, closest in (("Zhou", "Zhou Hongyi"), ("Zhou Hongi", "Zhou Hongyi"), ("Lech Walesa", "Lech Wałęsa")):
        result = invoke("add", "words", "--speaker", typed)
        assert result.exit_code == 0, result.stderr
        assert f"{typed} is not a known speaker" in result.stderr
        assert f"closest known speaker is {closest}" in result.stderr
        assert f'claimtrack speakers merge "{typed}" "{closest}"' in result.stderr
        assert shown(int(result.stdout))["speaker"] == typed


def test_a_known_speaker_in_any_spelling_or_a_new_unlike_one_draws_no_warning():
    add("x", "Zhou Hongyi")
    for typed in ("zhou hongyi", "Hongyi ZHOU", "Zhōu Hóngyī", "Yann LeCun"):
        result = invoke("add", "words", "--speaker", typed)
        assert result.exit_code == 0 and "not a known speaker" not in result.stderr, result.stderr
    assert speaker_names() == ["Yann LeCun", "Zhou Hongyi"]
