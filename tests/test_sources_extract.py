"""claimtrack.sources.extract: text and metadata from a page's bytes, on plain values (no network, no database)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings, strategies as st

from claimtrack.dates import PartialDate
from claimtrack.sources.extract import extract, kind_of
from pdfs import pdf

PAGES = Path(__file__).parent / "fixtures" / "pages"


def page(name: str) -> bytes:
    return (PAGES / name).read_bytes()


def test_an_article_with_open_graph_gives_its_title_outlet_author_date_and_language():
    found = extract(page("opengraph.html"), "text/html; charset=utf-8", "https://herald.example/2024/export-rules")
    assert found.title == "Ministry announces new export rules"
    assert found.site_name == "The Harbour Herald"
    assert found.author == "Mara Lindqvist"
    assert found.published == PartialDate("2024-03-14", "day")
    assert found.language == "en"
    assert "largest tightening of the rules in a decade" in found.text
    # The main text, not the page's furniture.
    assert "All rights reserved" not in found.text and "Business" not in found.text


def test_a_json_ld_news_article_gives_its_headline_publisher_author_and_date():
    found = extract(page("jsonld.html"), "text/html", "https://zeitung.example/haushalt")
    assert found.title == "Stadtrat beschließt neuen Haushalt"
    assert found.site_name == "Rheinische Abendzeitung"
    assert found.author == "Jonas Weber"
    assert found.published == PartialDate("2023-11-02", "day")
    assert found.language == "de"


def test_a_page_with_no_metadata_gives_its_text_and_nothing_made_up():
    found = extract(page("plain.html"), "text/html", "https://water.example/levels")
    assert "northern reservoir fell for the third month" in found.text
    # Not the host name as an outlet, not today's date as a publication date.
    assert (found.title, found.site_name, found.author, found.published) == (None, None, None, None)


def test_a_date_given_as_a_month_keeps_month_precision():
    found = extract(page("month-only.html"), "text/html", "https://air.example/report")
    assert found.published == PartialDate("2022-07", "month")


def test_a_page_declaring_iso_8859_1_but_sending_utf_8_is_read_as_utf_8():
    found = extract(page("wrong-charset.html"), "text/html; charset=iso-8859-1", "https://herald.example/fr")
    assert found.title == "Ministère: «nouvelles règles» d’exportation"
    assert "Ã" not in found.text


def test_a_pdf_gives_its_text_layer_and_title():
    found = extract(pdf("Official statement on water levels", title="Statement 12"), "application/pdf")
    assert found.text == "Official statement on water levels"
    assert found.title == "Statement 12" and found.note is None


def test_a_pdf_with_no_text_layer_says_so_and_gives_no_text():
    found = extract(pdf(None), "application/pdf")
    assert found.text == "" and "no text layer" in found.note


def test_a_broken_pdf_an_empty_page_and_html_with_no_main_text_are_each_a_plain_note():
    assert "cannot be read" in extract(b"%PDF-1.4 garbage", "application/pdf").note
    assert extract(b"", "text/html").note == "the page is empty"
    assert extract(b"<html><body><script>var a = 1;</script></body></html>", "text/html").note == \
        "no main text found on the page"


def test_plain_text_is_its_own_text_and_a_missing_content_type_is_told_from_the_bytes():
    assert extract("Déclaration\n".encode(), "text/plain; charset=iso-8859-1").text == "Déclaration"
    assert kind_of(None, b"%PDF-1.7 ...") == "pdf"
    assert kind_of("", b"  <!DOCTYPE html><html>") == "html"
    assert kind_of("image/png", b"\x89PNG") is None


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=2000), st.sampled_from(["text/html", "application/pdf", "text/plain", None]))
def test_any_bytes_give_an_extracted_value_and_never_an_exception(body, content_type):
    found = extract(body, content_type)
    assert isinstance(found.text, str)
    assert found.text or found.note is not None or not body.strip() or kind_of(content_type, body) == "text"
