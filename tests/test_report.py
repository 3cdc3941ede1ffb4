"""The Markdown citation report, checked by rendering it with markdown-it-py and its footnote plugin."""

from __future__ import annotations

import html
import re

from hypothesis import HealthCheck, given, settings, strategies as st
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
    # One footnote per distinct page, numbered in order of first use, citing the normalised URL.
    assert footnote_count(markdown) == 2
    assert "[^1]: BIS, “Export rule”, 17 October 2023. <https://bis.example/rule>" in markdown
    assert "[^2]: Example News, “Sora lands”, 19 February 2024. <https://example.com/sora>" in markdown
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
