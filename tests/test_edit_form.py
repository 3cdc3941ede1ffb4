"""The form `claimtrack edit ID` opens in an editor: written and read back on plain values."""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from claimtrack import edit_form, names
from claimtrack.errors import ClaimtrackError

# Values as the store keeps them: stripped, never a NUL (names.clean and clean_optional see to it).
stored = st.text(st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",))).map(str.strip)
lines_that_mislead = st.sampled_from(
    ["kind: claim", "text:", "# not a comment", "tags: a, b", " indented", "", "note:", "#", "\t", "\r", "said: 2024"]
)
# Text made of lines that look like the form's own, mixed with anything at all.
tricky_text = st.lists(st.one_of(lines_that_mislead, stored), min_size=1).map("\n".join).map(str.strip)
tags = st.lists(st.text(st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)), min_size=1)
                .filter(lambda t: t.strip()).map(names.tag_name), unique=True)


def values(**given_values) -> dict:
    base = {field: "" for field in edit_form.FIELDS}
    base.update(kind="quote", speaker="Zhou Hongyi", tags=[], text="a barrel of cold water")
    base.update(given_values)
    return base


@given(text=st.one_of(stored, tricky_text).filter(bool), note=st.one_of(stored, tricky_text),
       context=stored, role=stored, title=stored, tags=tags)
def test_any_values_come_back_from_the_form_as_they_went_in(text, note, context, role, title, tags):
    original = values(text=text, note=note, context=context, role=role, title=title, tags=tags)
    form = edit_form.render(original, 3)
    assert edit_form.parse(form) == original
    assert edit_form.changes(original, edit_form.parse(form)) == {}


@given(text=tricky_text.filter(bool), new=tricky_text.filter(bool))
def test_a_changed_text_is_the_one_change(text, new):
    original = values(text=text)
    form = edit_form.render(original, 1)
    edited = form.replace("\ntext:\n" + text + "\n", "\ntext:\n" + new + "\n")
    expected = {} if new == text else {"text": new}
    assert edit_form.changes(original, edit_form.parse(edited)) == expected


def test_text_lines_that_look_like_fields_or_comments_stay_in_the_text():
    text = "# Not a heading\nkind: claim\nnote: this is the quote\n\n  indented: too"
    parsed = edit_form.parse(edit_form.render(values(text=text)))
    assert parsed["text"] == text and parsed["kind"] == "quote" and parsed["note"] == ""


def test_a_value_goes_on_over_indented_lines_and_an_editor_trimming_spaces_keeps_blank_ones():
    original = values(note="first\n\n second\n#third")
    form = edit_form.render(original)
    assert "note: first\n \n  second\n #third\n" in form
    trimmed = form.replace("\n \n", "\n\n")  # what an editor that strips trailing spaces saves
    assert edit_form.parse(trimmed)["note"] == "first\n\n second\n#third"


def test_tags_with_commas_and_quotes_round_trip_and_change_as_added_and_removed():
    original = values(tags=["sora", "us, china", 'the "war"'])
    form = edit_form.render(original)
    assert 'tags: sora, "us, china", "the ""war"""' in form
    assert edit_form.parse(form)["tags"] == original["tags"]
    edited = form.replace('tags: sora, "us, china"', "tags: NVIDIA,  sora,")
    assert edit_form.changes(original, edit_form.parse(edited)) == {"add_tags": ["nvidia"], "remove_tags": ["us, china"]}


def test_only_the_fields_that_differ_are_changes_and_an_empty_value_clears():
    original = values(role="founder", said="February 2024", outlet="SCMP")
    form = edit_form.render(original)
    edited = form.replace("role: founder", "role:").replace("said: February 2024", "said: 19 February 2024")
    assert edit_form.changes(original, edit_form.parse(edited)) == {"role": "", "said": "19 February 2024"}


def test_a_line_left_out_leaves_its_field_and_an_empty_form_changes_nothing():
    original = values(outlet="SCMP")
    edited = "\n".join(line for line in edit_form.render(original).split("\n") if not line.startswith("outlet"))
    assert "outlet" not in edit_form.parse(edited)
    assert edit_form.changes(original, edit_form.parse(edited)) == {}
    assert edit_form.changes(original, edit_form.parse("")) == {}


def test_field_names_ignore_case_and_the_text_may_start_on_its_line():
    parsed = edit_form.parse("Kind: claim\nTEXT: first line\nsecond line\n")
    assert parsed == {"kind": "claim", "text": "first line\nsecond line"}


@pytest.mark.parametrize("form, words", [
    ("kind: quote\nverdict: refuted\ntext:\nx", ["Line 2", "'verdict' is not a field", "speaker"]),
    ("kind: quote\nkind: claim\ntext:\nx", ["Line 2", "second time"]),
    ("speaker: Zhou\njust words\ntext:\nx", ["Line 2", "not 'field: value'", "'just words'"]),
])
def test_a_form_that_cannot_be_read_names_the_line(form, words):
    with pytest.raises(ClaimtrackError) as error:
        edit_form.parse(form)
    for word in words:
        assert word in error.value.message


def test_an_error_goes_at_the_top_and_replaces_the_one_before():
    form = edit_form.render(values())
    once = edit_form.with_error(form, "first problem")
    twice = edit_form.with_error(once, "second problem\non two lines")
    assert twice.startswith("# Error: second problem\n#   on two lines\n")
    assert "first problem" not in twice
    assert edit_form.parse(twice) == edit_form.parse(form)
