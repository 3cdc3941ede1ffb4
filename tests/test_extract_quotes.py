"""claimtrack.extract on small texts: each kind of quotation and attribution, and never failing on any text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from claimtrack.extract import extract_quotes, read_article


def one(text, **kwargs):
    found = extract_quotes(text, **kwargs)
    assert len(found) == 1, found
    return found[0]


def test_straight_quotes_said_after():
    c = one('"We want feedback early," said Maya Lindqvist, a spokeswoman for OpenAI.')
    assert (c.quote, c.speaker, c.role) == ("We want feedback early,", "Maya Lindqvist", "spokeswoman for OpenAI")


def test_curly_quotes_name_said():
    c = one("“The gap is widening,” Zhou Hongyi said.")
    assert (c.quote, c.speaker) == ("The gap is widening,", "Zhou Hongyi")


def test_pieces_around_the_attribution_are_one_quote():
    text = 'Zhou Hongyi spoke on Monday.\n\n"The gap," he said, "is widening."'
    c = one(text)
    assert c.quote == "The gap, is widening."
    assert c.speaker == "Zhou Hongyi"
    assert [text[s:e] for s, e in c.pieces] == ["The gap,", "is widening."]


def test_second_sentence_after_attribution_joins():
    c = one('"We are behind," Zhou Hongyi said. "Sora is cold water."')
    assert c.quote == "We are behind, Sora is cold water."


def test_quote_over_paragraphs_is_one_quote():
    text = ('"When Sora came out, nobody slept," Wen Jiahui says. "We watched the clips.\n\n'
            '"Then we stopped arguing.\n\n"So the question became: what can you build?"')
    c = one(text)
    assert c.quote == ("When Sora came out, nobody slept, We watched the clips. Then we stopped arguing. "
                       "So the question became: what can you build?")
    assert c.speaker == "Wen Jiahui"


def test_partial_quote_inside_a_sentence_with_apposition_role():
    c = one('Zhou Hongyi, the founder of 360 Security Technology, said on Monday that Sora was a '
            '"barrel of cold water poured over China\'s head".')
    assert c.quote == "barrel of cold water poured over China's head"
    assert (c.speaker, c.role) == ("Zhou Hongyi", "founder of 360 Security Technology")


def test_single_quotes_inside_double_belong_to_the_outer_quote():
    c = one("\"Investors used to ask, 'When will you beat GPT-4?' Now they ask about money,\" said Luo Bin.")
    assert c.quote == "Investors used to ask, 'When will you beat GPT-4?' Now they ask about money,"


def test_quote_closed_with_an_opening_mark():
    c = one("Wang Dongsheng stressed: “This is both a challenge and an opportunity.“ Reporters listened.")
    assert (c.quote, c.speaker) == ("This is both a challenge and an opportunity.", "Wang Dongsheng")


def test_scare_quotes_titles_and_nicknames_are_not_quotes():
    text = ('Zhou, known as "Red Shirt Uncle", launched the "360 Brain" chatbot. Critics call it '
            'a "hundred-model war". The film "The Wandering Earth Returns Home" opened.')
    assert extract_quotes(text) == []


def test_according_to():
    c = one('According to Priya Raman, a professor at Lakeshore University, the clips show "obvious flaws in physics".')
    assert (c.speaker, c.role) == ("Priya Raman", "professor at Lakeshore University")


def test_surname_resolves_to_the_full_name():
    text = 'Priya Raman reviewed the clips.\n\n"It is a remarkable demo, but not a product," Raman said.'
    assert one(text).speaker == "Priya Raman"


def test_pronoun_refers_to_the_last_person_named():
    text = ('Commerce Secretary Gina Raimondo warned in December that the line would move. '
            '"We will control that chip too," she said.')
    c = one(text)
    assert (c.speaker, c.role) == ("Gina Raimondo", "Commerce Secretary")


def test_the_commission_refers_to_the_last_commission_named():
    text = ('The National Development and Reform Commission will support large models. Maya Chen agreed. '
            'The commission stated that "the application of large models will be vigorously promoted".')
    assert one(text).speaker == "National Development and Reform Commission"


def test_the_company_refers_to_an_organisation_not_a_person():
    text = ('OpenAI on Thursday unveiled Sora.\n\n"We want feedback," said Maya Lindqvist, a spokeswoman.\n\n'
            'The company said the videos would carry "metadata that marks them as made by a machine".')
    assert extract_quotes(text)[-1].speaker == "OpenAI"


def test_unnamed_role_as_speaker():
    c = one('"We comply with all applicable rules and laws," an Nvidia spokesperson said in a statement.')
    assert c.speaker == "Nvidia spokesperson"


def test_report_reads_with_a_colon():
    text = 'The Digital Markets Office published its findings. The report reads: "The deal may amount to a merger."'
    assert one(text).speaker == "Digital Markets Office"


def test_transcript_answers_are_quotes_of_the_person_interviewed():
    text = ("A conversation with Sun Meiling\n\nSun Meiling is chief scientist of Qinghe AI Lab. We spoke "
            "with her about chips and models last week.\n\nQ: Is that enough to catch up?\n\n"
            "A: No. Good ideas can close part of the gap.\n\nThey cannot close all of it.\n\n"
            "Q: What next?\n\nA: Models that run on one graphics card.")
    found = extract_quotes(text)
    assert [c.quote for c in found] == ["No. Good ideas can close part of the gap. They cannot close all of it.",
                                        "Models that run on one graphics card."]
    assert {c.speaker for c in found} == {"Sun Meiling"}


def test_named_speaker_lines_in_a_transcript():
    text = ("Episode 12\n\nHOST (Renee Caldwell): Welcome back. Are the controls working?\n\n"
            "MARCUS FELD: They are doing what they were designed to do.\n\n"
            "RENEE CALDWELL: Thank you for that answer, Marcus.")
    c = one(text)
    assert c.quote == "They are doing what they were designed to do."
    assert c.speaker == "Marcus Feld"


def test_a_quote_with_no_one_to_attribute_it_to_has_low_confidence():
    c = one('"The numbers simply do not add up for anyone here," she said.')
    assert c.speaker is None and c.confidence < 0.5
    named = one('"The numbers simply do not add up for anyone here," said Ana Ruiz.')
    assert named.confidence > 0.8


def test_known_speakers_give_the_canonical_name():
    c = one('"We are behind," Zhou Hongyi said.', known_speakers=lambda n: "Hongyi Zhou" if "Zhou" in n else None)
    assert c.speaker == "Hongyi Zhou"


def test_record_is_an_import_record_with_confidence_and_sentence():
    from claimtrack.interchange import check_record

    record = one('"We want feedback early," said Maya Lindqvist.').to_record()
    assert record["kind"] == "quote" and record["speaker"] == "Maya Lindqvist"
    assert {"confidence", "sentence"} <= set(record)
    checked = check_record({k: v for k, v in record.items() if k not in ("confidence", "sentence")},
                           "2024-01-01T00:00:00Z")
    assert checked["text"] == "We want feedback early,"


def test_no_quotes_empty_and_other_languages():
    assert extract_quotes("") == []
    assert extract_quotes("The council met on Tuesday. Nothing was decided.") == []
    assert extract_quotes("今天天气很好。我们去公园散步。") == []


def test_read_article_markdown_strips_markup_and_keeps_quotes():
    article = read_article(b"---\ntitle: A post\ndate: 2024-02-28\n---\n# A post\n\n"
                           b"> \"It's *not* a physics engine,\" said **Ada Okafor**, a [researcher](https://x.example).",
                           "markdown")
    assert article.title == "A post"
    assert article.published.value == "2024-02-28"
    assert '"It\'s not a physics engine," said Ada Okafor, a researcher.' in article.paragraphs
    assert one(article.text).speaker == "Ada Okafor"


def test_read_article_html_reads_text_and_metadata():
    page = ("<!DOCTYPE html><html><head><title>Chips | Meridian</title>"
            '<meta property="og:title" content="Chips meet cautious buyers">'
            '<meta property="og:site_name" content="Meridian Business">'
            '<meta property="og:url" content="https://meridian.example/chips">'
            '<meta property="article:published_time" content="2024-01-26T08:14:00+00:00"></head><body><article>'
            "<h1>Chips meet cautious buyers</h1>"
            "<p>Distributors say buyers in Shenzhen are holding back on large orders for now.</p>"
            "<p>&ldquo;Demand is there, but nobody wants to go first,&rdquo; said Dana Whitfield, an analyst.</p>"
            "<p>The rules could change again later in the year, several traders said.</p>"
            "</article></body></html>").encode()
    article = read_article(page)
    assert article.outlet == "Meridian Business"
    assert article.url == "https://meridian.example/chips"
    assert article.published.value.startswith("2024-01")
    c = one(article.text)
    assert (c.quote, c.speaker) == ("Demand is there, but nobody wants to go first,", "Dana Whitfield")


def test_read_article_binary_is_empty():
    assert read_article(b"\x00\x01\x02binary").text == ""


_PIECES = st.sampled_from(['"', "“", "”", "'", "‘", "’", "«", "»", " said ", " he said", "Zhou Hongyi", ", ",
                           ". ", "\n\n", "Q: ", "A: ", "according to ", "the company", "We are behind", "x"])


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.lists(_PIECES, max_size=40).map("".join)))
def test_extraction_never_fails_and_pieces_are_the_input(text):
    for candidate in extract_quotes(text):
        assert candidate.quote.strip()
        assert candidate.pieces
        for start, end in candidate.pieces:
            assert 0 <= start < end <= len(text)
            assert text[start:end].strip()
        assert candidate.quote == " ".join(text[s:e] for s, e in candidate.pieces)
        assert 0 <= candidate.confidence <= 1
