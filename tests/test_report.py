"""The Markdown citation report, checked by rendering it with markdown-it-py and its footnote plugin."""

from __future__ import annotations

import html
import re

from hypothesis import HealthCheck, example, given, settings, strategies as st
from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin

from claimtrack.report import md_escape
from conftest import add, fails, ok

RENDERER = MarkdownIt("commonmark").use(footnote_plugin)


def render(markdown: str) -> str:
    return RENDERER.render(markdown)


def text_of(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def footnote_count(markdown: str) -> int:
    return sum(1 for t in RENDERER.parse(markdown) if t.type == "footnote_open")


def quotes_in(rendered: str) -> list[str]:
    return [text_of(b) for b in re.findall(r"<blockquote>(.*?)</blockquote>", rendered, re.S)]


def build_sora_desk():
    add("a barrel of cold water poured down China's head", "Zhou Hongyi", "--role", "founder of 360",
        "--said", "February 2024", "--source", "https://example.com/sora?utm_source=x", "--outlet", "Example News",
        "--title", "Sora lands", "--published", "2024-02-19", "--tag", "sora")
    add("Sora's launch was a wake-up call.", "Zhou Hongyi", "--said", "2024-02-23",
        "--source", "https://EXAMPLE.com/sora#top", "--outlet", "Example News", "--tag", "sora")
    add("US export rules bar the H100 and H200 from China.", "Unnamed reporter", "--kind", "claim",
        "--said", "early December 2023", "--tag", "chips")
    ok("speakers", "alias", "Zhou Hongyi", "周鸿祎")
    ok("evidence", "add", "3", "--url", "https://bis.example/rule", "--stance", "supports",
       "--published", "2023-10-17", "--outlet", "BIS", "--title", "Export rule", "--note", "Thresholds, no names")
    ok("evidence", "add", "3", "--url", "https://example.com/sora", "--stance", "context")
    ok("verdict", "3", "supported", "--on", "2023-10-17", "--evidence", "1")


def test_report_has_title_scope_groups_claims_evidence_and_footnotes():
    build_sora_desk()
    markdown = ok("report", "--title", "Sora and China's AI industry").stdout
    assert markdown.startswith("# Sora and China's AI industry\n\nScope: all claims. 3 claims, 2 sources cited.")
    assert "## Zhou Hongyi\n\nRole: founder of 360. Also known as: 周鸿祎." in markdown
    assert "early December 2023" in markdown and "19 February 2024" in markdown
    assert "Verdict: **supported**" in markdown and "Attribution: reported" in markdown
    assert markdown.index("## Unnamed reporter") < markdown.index("## Zhou Hongyi")
    assert "- **Supports** (17 October 2023): Thresholds, no names[^1]" in markdown
    rendered = render(markdown)
    assert quotes_in(rendered) == ["a barrel of cold water poured down China's head", "Sora's launch was a wake-up call."]
    assert "Claim: US export rules bar the H100 and H200 from China." in text_of(rendered)
    # One footnote per distinct page, numbered in order of first use, citing the URL as it was first given
    # (every export cites a page by the same URL).
    assert footnote_count(markdown) == 2
    assert "[^1]: BIS, “Export rule”, 17 October 2023. <https://bis.example/rule>" in markdown
    assert "[^2]: Example News, “Sora lands”, 19 February 2024. <https://example.com/sora?utm_source=x>" in markdown
    assert markdown.count("[^2]") == 4  # the context evidence, two appearances, the definition
    assert "## Verdicts" in markdown and "- **refuted**:" in markdown


def test_same_data_same_flags_same_bytes_unless_stamped():
    build_sora_desk()
    first, second = ok("report").stdout, ok("report").stdout
    assert first == second and "Generated" not in first
    assert "Generated " in ok("report", "--stamp").stdout


def test_report_takes_the_list_filters_and_groupings():
    build_sora_desk()
    zhou = ok("report", "--speaker", "zhou").stdout
    assert "Scope: speaker Zhou Hongyi. 2 claims, 1 source cited." in zhou and "H100" not in zhou
    assert "## sora" in ok("report", "--group-by", "tag").stdout
    by_verdict = ok("report", "--group-by", "verdict").stdout
    assert by_verdict.index("## unverified") < by_verdict.index("## supported")  # in the order of the legend
    assert "## Example News" in ok("report", "--group-by", "outlet").stdout
    flat = ok("report", "--group-by", "none").stdout
    assert "## Zhou Hongyi" not in flat and flat.count("Verdict:") == 3
    early = ok("report", "--as-of", "2023-12-31").stdout
    assert "1 claim," in early and "Verdict: **supported**" in early and "Context" not in early


def test_report_to_a_file_and_a_missing_folder(tmp_path):
    build_sora_desk()
    ok("report", "--output", str(tmp_path / "report.md"))
    assert (tmp_path / "report.md").read_text(encoding="utf-8").startswith("# Citation report")
    assert "does not exist" in fails("report", "--output", str(tmp_path / "nope" / "r.md")).stderr
    assert not (tmp_path / "nope").exists()


HOSTILE = "A | pipe, *stars*, _under_, [^1], ], <script>alert(1)</script>, `tick`, it's, AT&T &amp;"


def test_text_from_the_database_never_breaks_the_document():
    for line_start in ("# not a heading", "> not a quote", "- not a list", "1. not a list", "---", "    not code"):
        add(f"{line_start}\n{HOSTILE}", "Zhou Hongyi", "--source", "https://example.com/a")
    add("plain [^1] claim", "X <b>", "--kind", "claim", "--source", "https://example.com/b", "--outlet", "[^9] *Out*")
    markdown = ok("report").stdout
    rendered = render(markdown)
    assert "<script>" not in rendered and "<h1>" not in rendered.split("</h1>", 1)[1]
    assert "<ol>" not in rendered.split('<hr class="footnotes-sep"')[0] and "<pre>" not in rendered
    quotes = quotes_in(rendered)
    assert len(quotes) == 6
    for quote, line_start in zip(quotes, ("# not a heading", "> not a quote", "- not a list", "1. not a list", "---", "not code")):
        assert quote == " ".join(f"{line_start} {HOSTILE}".split())
    assert footnote_count(markdown) == 2
    assert "[^9] *Out*" in text_of(rendered) and "X <b>" in text_of(rendered)
    assert "it's" in markdown  # an apostrophe stays an apostrophe


MARKDOWNISH = st.text(alphabet=st.sampled_from(list("ab 1.#>-+*_[]^|<>`'&;!\\=~()\n\t")), min_size=1, max_size=60)


@settings(max_examples=200, deadline=None)
@given(MARKDOWNISH)
def test_md_escape_renders_as_the_literal_text(text):
    rendered = render("> " + md_escape(text).replace("\n", "\n> "))
    expected = " ".join(text.split())
    got = quotes_in(rendered)
    assert (got[0] if got else "") == expected


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=MARKDOWNISH.filter(lambda t: t.strip()))
def test_any_stored_quote_renders_as_its_text(text, db_path):
    db_path.unlink(missing_ok=True)
    add(text, "A")
    assert quotes_in(render(ok("report").stdout)) == [" ".join(text.strip().split())]


# The same report read by four Markdown dialects: CommonMark and GFM (markdown-it-py, with footnotes),
# and Pandoc's GFM and commonmark_x (which adds definition lists, fancy lists, sub- and superscript,
# maths, attributes, spans, emoji and smart punctuation).
def _pandoc(dialect: str):
    import pypandoc

    return lambda markdown: pypandoc.convert_text(markdown, "html", format=dialect)


DIALECTS = {
    "commonmark": RENDERER.render,
    "gfm": MarkdownIt("default").use(footnote_plugin).render,
    "pandoc-gfm": _pandoc("gfm"),
    "pandoc-commonmark_x": _pandoc("commonmark_x"),
}
# Pandoc's smart punctuation is typography, not structure: compare words with it undone.
SMART = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "--", "—": "---", "…": "..."})


def words_of(text: str) -> str:
    return " ".join(text.translate(SMART).split())


def tags(rendered: str) -> list[str]:
    """The elements of a rendered document, in order: its structure without its text."""
    return re.findall(r"<([a-z][a-z0-9]*)\b", rendered)


def footnotes(rendered: str) -> tuple[int, int]:
    """(references, distinct notes) in a rendered document, for markdown-it and Pandoc alike."""
    return len(re.findall(r'class="footnote-ref"', rendered)), len(set(re.findall(r'<li\s+id="(fn\d+)"', rendered)))


def plain(text: str) -> str:
    """TEXT with every word replaced by x: the same lines and blank lines, nothing a dialect could read as syntax."""
    return re.sub(r"\S+", "x", text)


def assert_same_document(hostile: str, harmless: str, quotes: list[str], sources: int) -> None:
    """HOSTILE renders with exactly HARMLESS's structure in every dialect, each quote as its words, every source a note."""
    for name, render_with in DIALECTS.items():
        rendered, expected = render_with(hostile), render_with(harmless)
        assert tags(rendered) == tags(expected), (name, hostile, rendered)
        assert [words_of(q) for q in quotes_in(rendered)] == [words_of(q) for q in quotes], (name, rendered)
        refs, notes = footnotes(rendered)
        assert (refs, notes) == footnotes(expected) and refs >= sources, (name, rendered)
        # markdown-it numbers one note per source; Pandoc gives each reference a note of its own.
        assert notes == (refs if name.startswith("pandoc") else sources), (name, rendered)


EVIL_LINES = [
    "# heading", "## heading ##", "> quote", "- item", "+ item", "* item", "1. item", "1) item", "a. item",
    "(i) item", "A)  item", "***", "---", "___", "- - -", "===", "| a | b |", "| :--- | ---: |", ":--- | ---",
    ": definition", "~ definition", "::: div", "```", "~~~", "    indented code", "\tindented code",
    "<script>alert(1)</script>", "<div>html block</div>", "<!-- comment -->", "[x](http://evil.example)",
    "![img](http://evil.example/i.png)", "[^1]", "[^1]: fake note", "[ref]: http://evil.example", "~~struck~~",
    "H~2~O and x^2^", "ends in caret^", "$x^2$ and $$y$$", "`code`", "**bold** _em_ *em*", "\\", "line ends \\",
    "trailing spaces  ", "&amp; &#65; &copy;", "www.evil.example", "http://evil.example", "mail@evil.example",
    ":smile: :+1:", "{#id .class}", "[span]{.red}", "^[inline note]", "- [ ] task", "> [!WARNING]", "% title",
    "term\r: carriage-return definition", "a\rb\r\nc",
]


def hostile_text(line: str) -> str:
    """LINE on lines of its own, after text ending in ^ and in \\, where it could start a block."""
    return f"said^\n{line}\nmore\\\n{line}"


def build_desk(lines: list[str], db: str) -> None:
    """One quote per line, with the line in every text the report prints: all alike in shape."""
    run = lambda *args: ok("--db", db, *args)  # noqa: E731
    for n, line in enumerate(lines):
        run("add", "--speaker", f"{line} speaker {n}", "--role", f"{line} role", "--source",
            f"https://example.com/{n}", "--outlet", f"{line} outlet {n}^", "--title", f"title {line}", "--tag", "sora", "--", hostile_text(line))
        run("speakers", "alias", "--", f"{line} speaker {n}", f"alias {n} {line}")
        run("evidence", "add", str(n + 1), "--url", f"https://example.com/e{n}", "--stance", "refutes",
            "--title", f"{line}\\", "--note", f"{line}^\nsecond line")


def test_no_text_breaks_the_report_in_any_dialect(tmp_path):
    hostile, harmless = str(tmp_path / "hostile.db"), str(tmp_path / "harmless.db")
    build_desk(EVIL_LINES, hostile)
    build_desk([plain(line) for line in EVIL_LINES], harmless)
    for group in ("speaker", "outlet"):
        options = ["report", "--tag", "sora", "--group-by", group, "--title"]
        markdown = ok("--db", hostile, *options, "~~*Report*~~ | :--- | [^1]").stdout
        expected = ok("--db", harmless, *options, "x x x x x x").stdout
        assert f"{len(EVIL_LINES)} claims, {2 * len(EVIL_LINES)} sources cited." in markdown
        for name, render_with in DIALECTS.items():
            rendered = render_with(markdown)
            assert tags(rendered) == tags(render_with(expected)), name
            assert sorted(words_of(q) for q in quotes_in(rendered)) == sorted(
                words_of(hostile_text(line)) for line in EVIL_LINES), name
            refs, notes = footnotes(rendered)
            assert refs == notes == 2 * len(EVIL_LINES), name


def test_control_characters_in_a_report_are_shown_not_sent():
    add("cold \x1b]52;c;ZXZpbA==\x07 \x9b2J water", "Zhou \x1b]0;title\x07", "--outlet", "\x1b[31mred")
    markdown = ok("report").stdout
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", markdown)
    assert quotes_in(render(markdown)) == ["cold \\x1b]52;c;ZXZpbA==\\x07 \\x9b2J water"]


WORDS = ["# ", "> ", "- ", "+ ", "* ", "1. ", "1) ", "a. ", "(i) ", "***", "---", "| :--- |", "~~", "`", "```",
         "<script>", "<b>", "[x](y)", "[^1]", "^[", "\\", "    ", "\t", "\r", "\n", "\n\n", "$", "{#a}", ":smile:",
         "www.a.bc", "http://a.bc", "a@b.cd", "&amp;", "&#65;", ": ", "~ ", "::: ", "^", "_", "!", "word"]
HOSTILE_TEXT = st.lists(st.one_of(st.sampled_from(WORDS), st.sampled_from(list("ab 1.#>-+*_[]^|<>`'&;!\\=~():$@{}"))),
                        min_size=1, max_size=25).map("".join).filter(lambda t: t.strip())


def sample_document(text: str) -> tuple[str, int]:
    """TEXT in every place the report puts a user's words: heading, quote, claim, byline, list item, footnote."""
    from claimtrack.report import md_escape, one_line

    line = one_line(text)
    quote = "\n".join("> " + part if part else ">" for part in md_escape(text).split("\n"))
    return (f"# {line}\n\n## {line}\n\n{quote}\n\n**Claim:** {md_escape(text)}\n\n— {line}; in {line}[^1].\n\n"
            f"- **Supports**: {line}[^1]\n- {line}[^2]\n\n[^1]: {line}, “{line}”. <https://example.com/a>\n"
            f"[^2]: {line}\n"), 2


@settings(max_examples=150, deadline=None)
@given(HOSTILE_TEXT)
@example("<script><script><script><script>")  # long enough for Pandoc to wrap its notes' <li id=...>
@example("\\_www.a.bc")  # GFM makes a link of www. after an underscore, word character or not
def test_escaped_text_keeps_every_dialect_to_the_document_written(text):
    markdown, sources = sample_document(text)
    assert_same_document(markdown, sample_document(plain(text))[0], [text], sources)
