"""claimtrack.names and claimtrack.urls: the keys under which things are the same."""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from claimtrack import names
from claimtrack.errors import ClaimtrackError
from claimtrack.urls import check_url, normalize_url


def test_speaker_keys_ignore_case_accents_spacing_order_and_invisible_characters():
    key = names.speaker_key("Zhou Hongyi")
    for typed in ("zhou hongyi", " Hongyi   ZHOU ", "Zhōu Hóngyī", "Zhou\u200b Hongyi", "ＺＨＯＵ Hongyi"):
        assert names.speaker_key(typed) == key


@given(st.lists(st.text(alphabet=st.characters(categories=["L", "N"]), min_size=1, max_size=8), min_size=1, max_size=4))
def test_word_order_never_changes_a_speaker_key(words):
    assert names.speaker_key(" ".join(words)) == names.speaker_key(" ".join(reversed(words)))


def test_text_keys_ignore_quotation_marks_case_and_spacing():
    assert names.text_key("“Cold  water”") == names.text_key('"cold water"') == names.text_key("cold water")


def test_tags_are_trimmed_and_lower_case():
    assert names.tag_name("  China   AI ") == "china ai"
    with pytest.raises(ClaimtrackError):
        names.tag_name("   ")


@pytest.mark.parametrize(
    "url, key",
    [
        ("HTTPS://Example.COM:443/a/?utm_source=x&id=3#top", "https://example.com/a?id=3"),
        ("http://example.com", "http://example.com/"),
        ("http://example.com:8080/x?fbclid=1&gclid=2", "http://example.com:8080/x"),
    ],
)
def test_urls_normalise_to_one_key_per_page(url, key):
    assert normalize_url(url) == key


@pytest.mark.parametrize("url", ["ftp://example.com", "example.com", "https://", "javascript:alert(1)", "http://a b.com"])
def test_only_http_urls_are_sources(url):
    with pytest.raises(ClaimtrackError):
        check_url(url)
