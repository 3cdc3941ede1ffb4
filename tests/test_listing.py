"""`list` as a working day reads it: the verdict in the table, verdict and attribution at the end of each
tab-separated line, and a header line on request."""

from __future__ import annotations

from conftest import add, ok
from test_terminal import in_terminal

FIELDS = ["id", "said", "speaker", "kind", "text", "outlet", "tags", "verdict", "attribution"]


def _two_claims() -> None:
    add("a barrel of cold water", "Zhou Hongyi", "--said", "February 2024", "--tag", "sora", "--tag", "ai")
    add("the weapons race", "Yann LeCun", "--kind", "claim", "--said", "December 2023")
    ok("verdict", "1", "refuted")
    ok("attribution", "2", "disputed")


def test_each_line_ends_with_verdict_and_attribution():
    _two_claims()
    lines = ok("list").stdout.splitlines()
    assert [line.split("\t") for line in lines] == [
        ["1", "February 2024", "Zhou Hongyi", "quote", "a barrel of cold water", "", "ai,sora", "refuted", "reported"],
        ["2", "December 2023", "Yann LeCun", "claim", "the weapons race", "", "", "unverified", "disputed"],
    ]


def test_header_names_the_fields_in_their_order():
    _two_claims()
    lines = ok("list", "--header").stdout.splitlines()
    assert lines[0].split("\t") == FIELDS
    assert all(len(line.split("\t")) == len(FIELDS) for line in lines)
    assert len(lines) == 3


def test_header_alone_when_nothing_matches():
    _two_claims()
    assert ok("list", "--header", "--verdict", "supported").stdout.splitlines() == ["\t".join(FIELDS)]


def test_without_header_the_first_line_is_a_claim():
    _two_claims()
    assert ok("list").stdout.split("\t", 1)[0] == "1"


def test_json_is_unchanged_by_header():
    _two_claims()
    assert ok("list", "--json", "--header").stdout == ok("list", "--json").stdout


def test_help_gives_the_field_order():
    help_text = " ".join(ok("list", "--help").stdout.split())
    assert "id, said, speaker, kind, text, outlet, tags (joined by commas), verdict, attribution" in help_text
    assert "--header" in help_text


def test_a_line_with_tabs_in_its_text_still_has_every_field():
    add("one\ttwo\nthree", "A")
    assert ok("list").stdout.splitlines() == ["1\tundated\tA\tquote\tone two three\t\t\tunverified\treported"]


def test_the_table_shows_the_verdict_and_an_unusual_attribution():
    _two_claims()
    code, out = in_terminal("list")
    assert code == 0, out
    assert "Verdict" in out.splitlines()[1]
    assert "refuted" in out and "unverified" in out and "disputed" in out
    # A reported attribution is the default and says nothing; the table leaves it out.
    assert "reported" not in out


def test_header_in_a_terminal_prints_the_table_once():
    _two_claims()
    code, out = in_terminal("list", "--header")
    assert code == 0, out
    assert out.count("Verdict") == 1 and "\t" not in out
