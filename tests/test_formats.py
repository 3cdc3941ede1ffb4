"""The interchange formats as the world writes them: strict CSV, format guessing, ClaimReview from
fact-checkers' pages and feeds, our own exports coming back unchanged, CSL-JSON types and dates, and
JSON that no claim could be (too deep, numbers that are not finite)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings, strategies as st

from claimtrack.exporters import csl_json
from claimtrack.exporters.csv_table import neutralise, restore, row
from claimtrack.importers import csv_table as csv_import
from claimtrack.importers.claimreview import verdict_of
from claimtrack.interchange import check_record
from conftest import add, fails, file_hash, ok

FIXTURES = Path(__file__).parent / "fixtures"
STAMP = "2024-06-01T12:00:00Z"


def claims(db=None) -> list[dict]:
    prefix = ["--db", str(db)] if db else []
    return json.loads(ok(*prefix, "list", "--json").stdout)


def records(db=None) -> list[dict]:
    prefix = ["--db", str(db)] if db else []
    return [json.loads(line) for line in ok(*prefix, "export", "--format", "jsonl").stdout.splitlines()]


# -- CSV is strict ----------------------------------------------------------------------------------


def test_a_csv_row_with_more_cells_than_the_header_is_an_error_naming_its_line(tmp_path, db_path):
    add("x", "A")
    before = file_hash(db_path)
    path = tmp_path / "in.csv"
    path.write_text('text,speaker,role\n"Fine, quoted",Lena Park,mayor\nNot fine, unquoted,Lena Park,mayor\n',
                    encoding="utf-8")
    err = fails("import", str(path)).stderr
    assert "line 3" in err and "4 cells" in err and "double quotes" in err
    assert file_hash(db_path) == before


def test_a_csv_row_may_stop_short_only_of_optional_columns(tmp_path, db_path):
    path = tmp_path / "in.csv"
    path.write_text("text,speaker,role,note\nShort but whole,Lena Park\n", encoding="utf-8")
    ok("import", str(path))
    [claim] = claims()
    assert claim["text"] == "Short but whole" and claim["speaker"] == "Lena Park" and claim["role"] is None
    before = file_hash(db_path)
    # An unquoted line break splits a row: the first part stops before its speaker.
    path.write_text("text,speaker,role\nA line\nbroken in two,Lena Park,mayor\n", encoding="utf-8")
    err = fails("import", str(path)).stderr
    assert "line 2" in err and "speaker" in err
    assert file_hash(db_path) == before


@pytest.mark.parametrize("header, message", [
    ("text,speaker,Notes", "'Notes' is not a claimtrack column"),
    ("text,speaker,note,note", "'note' is given twice"),
    ("text,speaker,", "column 3 has no name"),
])
def test_csv_columns_that_would_lose_cells_are_refused(tmp_path, db_path, header, message):
    add("x", "A")
    before = file_hash(db_path)
    path = tmp_path / "in.csv"
    path.write_text(f"{header}\nHello,Lena Park,kept\n", encoding="utf-8")
    assert message in fails("import", str(path)).stderr
    assert file_hash(db_path) == before


def test_a_csv_true_false_column_takes_only_true_or_false(tmp_path, db_path):
    path = tmp_path / "in.csv"
    path.write_text("text,speaker,said_on,said_approximate\nHello,Lena Park,2024,yes\n", encoding="utf-8")
    assert "line 2, field said_approximate" in fails("import", str(path)).stderr


def test_a_json_string_where_a_list_belongs_is_an_error_not_one_letter_tags(tmp_path, db_path):
    path = tmp_path / "in.json"
    path.write_text(json.dumps([{"text": "Hello", "speaker": "Lena Park", "tags": "sora"}]), encoding="utf-8")
    assert "item 1, field tags: expected a list" in fails("import", str(path)).stderr
    assert not db_path.exists() or claims() == []


# -- CSV round trips -----------------------------------------------------------------------------


@given(st.text())
@example("'=1+1")
@example("''@home")
def test_the_formula_guard_gives_back_any_text(text):
    assert restore(neutralise(text)) == text
    assert not neutralise(text).startswith(("=", "+", "-", "@", "\t", "\r"))


TEXT = st.text(st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"), min_size=1).filter(
    lambda t: t.strip() == t and t)


@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=TEXT, note=st.one_of(st.none(), TEXT), role=st.one_of(st.none(), TEXT))
@example(text="'=1+1 is not a formula", note="''-5%", role="'Tis")
def test_any_text_comes_back_from_a_csv_file_exactly(text, note, role, tmp_path):
    record = check_record({"text": text, "speaker": "Lena Park", "note": note, "role": role}, STAMP)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(row(record)), lineterminator="\r\n")
    writer.writeheader()
    writer.writerow(row(record))
    path = tmp_path / "one.csv"
    path.write_bytes(out.getvalue().encode("utf-8"))
    [(place, data)] = list(csv_import.read(path))
    back = check_record(data, STAMP)
    assert (back["text"], back["note"], back["role"]) == (text, note, role)


def test_an_apostrophe_at_the_start_of_a_cell_survives_export_and_import(tmp_path):
    texts = ["'Tis the season to check claims", "'=1+1 is not a formula", "''-5% was the figure", "=SUM(A1)"]
    for text in texts:
        add(text, "Lena Park")
    path = tmp_path / "out.csv"
    ok("export", "--format", "csv", "--output", str(path))
    other = tmp_path / "other.db"
    ok("--db", str(other), "import", str(path))
    assert sorted(c["text"] for c in claims(other)) == sorted(texts)


def test_our_csv_read_back_gives_the_values_it_was_made_of(tmp_path):
    add("the export must be quarterly", "Zhou Hongyi", "--role", "founder of 360", "--said", "early February 2024",
        "--source", "https://Example.com/Sora?b=1&a=2", "--outlet", "Example News", "--title", "Sora, seen from 360",
        "--published", "Q4 2023", "--tag", "sora", "--tag", "china-ai", "--note", "-5% +3 @home")
    add("'Tis a week's worth", "Lena Park", "--kind", "claim", "--said", "2024-W08",
        "--source", "https://example.org/w", "--published", "around March 2024")
    ok("verdict", "1", "misleading", "--on", "2024-02-20")
    ok("attribution", "2", "confirmed", "--on", "2024-03-02")
    path = tmp_path / "out.csv"
    ok("export", "--format", "csv", "--output", str(path))
    exported = {r["uuid"]: r for r in records()}
    read_back = [check_record(data, STAMP) for _, data in csv_import.read(path)]
    assert len(read_back) == len(exported)
    fields = ("kind", "text", "role", "said_on", "said_precision", "said_text", "said_approximate", "said_qualifier",
              "context", "note", "tags", "verdict", "attribution", "created_at", "updated_at")
    for back in read_back:
        mine = exported[back["uuid"]]
        assert {f: back[f] for f in fields} == {f: mine[f] for f in fields}
        assert back["speaker"]["name"] == mine["speaker"]["name"]
        assert {k: v for k, v in back["source"].items() if k != "recorded_at"} == \
               {k: v for k, v in mine["source"].items() if k != "recorded_at"}
        for field in ("verdict", "attribution"):
            if mine[field] not in ("unverified", "reported"):
                [mine_change] = [h for h in mine["history"] if h["field"] == field]
                [back_change] = [h for h in back["history"] if h["field"] == field]
                assert back_change["effective_on"] == mine_change["effective_on"]


# -- Format guessing -----------------------------------------------------------------------------


def test_a_json_export_that_mentions_claimreview_is_still_our_json(tmp_path):
    add('Our "ClaimReview" markup and its "claimReviewed" field are wrong', "Lena Park", "--note", "@type ClaimReview")
    path = tmp_path / "export.json"
    ok("export", "--format", "json", "--output", str(path))
    other = tmp_path / "other.db"
    assert "(json)" in ok("--db", str(other), "import", str(path)).stdout
    assert records(other) == records()


def test_a_minified_claimreview_on_one_line_is_claimreview(tmp_path):
    review = {"@context": "https://schema.org", "@type": "ClaimReview", "claimReviewed": "Rents fell by half.",
              "itemReviewed": {"@type": "Claim", "author": {"@type": "Person", "name": "Lena Park"}},
              "reviewRating": {"@type": "Rating", "alternateName": "Incorrect"}}
    path = tmp_path / "review.json"
    path.write_text(json.dumps(review), encoding="utf-8")
    assert "(claimreview)" in ok("import", str(path)).stdout
    [claim] = claims()
    assert claim["verdict"] == "refuted"


def test_a_graph_with_other_nodes_imports_its_claimreview_nodes(tmp_path):
    graph = {"@context": "https://schema.org", "@graph": [
        {"@type": "WebPage", "name": "Fact check: rents"},
        {"@type": "Organization", "name": "Harbour Check"},
        {"@type": ["ClaimReview"], "claimReviewed": "Rents fell by half.", "author": {"name": "Harbour Check"},
         "itemReviewed": {"@type": "Claim", "author": {"@type": "Person", "name": "Lena Park"}},
         "reviewRating": {"@type": "Rating", "alternateName": "Missing context"}},
    ]}
    path = tmp_path / "graph.json"
    path.write_text(json.dumps(graph, indent=2), encoding="utf-8")
    assert "1 added" in ok("import", str(path)).stdout
    [claim] = claims()
    assert claim["verdict"] == "misleading" and claim["speaker"] == "Lena Park"


# -- ClaimReview as fact-checkers publish it --------------------------------------------------------


def test_claimreview_in_an_html_page_imports(tmp_path):
    page = tmp_path / "sunday-bicycle-ban.html"
    page.write_bytes((FIXTURES / "factcheck-page.html").read_bytes())
    assert "1 added" in ok("import", str(page)).stdout
    [record] = records()
    assert record["speaker"]["name"] == "Marta Lindqvist" and record["role"] == "opposition councillor"
    assert record["verdict"] == "refuted" and record["said_on"] == "2024-03-08"
    assert record["source"]["url"] == "https://social.example/@mlindqvist/11200345"
    [verdict] = [h for h in record["history"] if h["field"] == "verdict"]
    assert verdict["note"].startswith("Rated 'False' by Harbour Check: https://harbourcheck.example/")
    assert verdict["effective_on"] == "2024-03-12"
    # The same page read again (saved without its extension) changes nothing.
    saved = tmp_path / "saved-page"
    saved.write_bytes(page.read_bytes())
    assert "0 added, 0 updated, 1 unchanged" in ok("import", str(saved)).stdout


def test_a_broken_json_ld_block_in_a_page_is_named_by_its_line(tmp_path, db_path):
    add("x", "A")
    before = file_hash(db_path)
    page = tmp_path / "page.html"
    page.write_text('<html><head>\n<title>t</title>\n<script type="application/ld+json">\n{"@type": "ClaimReview",\n'
                    '"claimReviewed": }\n</script></head></html>\n', encoding="utf-8")
    assert "line 5: not valid JSON" in fails("import", str(page)).stderr
    assert file_hash(db_path) == before


def test_a_datafeed_imports_with_verdicts_from_the_publishers_labels(tmp_path):
    ok("import", str(FIXTURES / "claimreview-feed.json"))
    by_speaker = {r["speaker"]["name"]: r for r in records()}
    # "Mostly True" is 4 of 5 on the publisher's scale, "Pants on Fire!" 0: the words decide.
    assert by_speaker["Dale Ferrante"]["verdict"] == "refuted"
    assert by_speaker["Governor Ana Ruiz"]["verdict"] == "mixed"
    assert by_speaker["Viral image on social media"]["verdict"] == "misleading"
    assert by_speaker["Dale Ferrante"]["role"] == "state senator"
    assert by_speaker["Dale Ferrante"]["source"]["title"] == "Morning interview with Sen. Ferrante"
    notes = {r["speaker"]["name"]: [h["note"] for h in r["history"] if h["field"] == "verdict"] for r in by_speaker.values()}
    assert notes["Dale Ferrante"] == ["Rated 'Pants on Fire!' by Valley Truth-O-Meter: "
                                      "https://valleytruth.example/rulings/2024/apr/18/wind-farm-birds/"]
    # The review of the photo names no author: no "None" anywhere.
    assert notes["Viral image on social media"] == ["Rated 'Out of context': "
                                                    "https://valleytruth.example/rulings/2024/may/01/reservoir-photo/"]
    assert "None" not in ok("export", "--format", "jsonl").stdout
    assert "3 unchanged" in ok("import", str(FIXTURES / "claimreview-feed.json")).stdout


@pytest.mark.parametrize("label, verdict", [
    ("True", "supported"), ("Correct", "supported"), ("ACCURATE", "supported"),
    ("False", "refuted"), ("Incorrect", "refuted"), ("Pants on Fire!", "refuted"), ("Fake.", "refuted"),
    ("Mostly true", "mixed"), ("Half  True", "mixed"), ("Mixture", "mixed"), ("Partly false", "mixed"),
    ("Misleading", "misleading"), ("Missing context", "misleading"), ("Out of context", "misleading"),
    ("Unproven", "unprovable"), ("Unsupported", "unprovable"), ("Unverifiable", "unprovable"),
    ("Four Pinocchios", "unverified"), ("", "unverified"), (None, "unverified"),
    *((v, v) for v in ("supported", "refuted", "mixed", "misleading", "unprovable", "unverified")),
])
def test_a_publishers_label_means_a_verdict(label, verdict):
    assert verdict_of(label) == verdict


def test_a_label_that_means_no_verdict_is_kept_in_the_claims_note_and_a_number_alone_decides_nothing(tmp_path):
    reviews = [
        {"@type": "ClaimReview", "claimReviewed": "Ferries run every ten minutes.", "url": "https://c.example/1",
         "itemReviewed": {"author": {"name": "Lena Park"}},
         "reviewRating": {"alternateName": "Four Pinocchios", "ratingValue": 4, "bestRating": 4, "worstRating": 1}},
        {"@type": "ClaimReview", "claimReviewed": "Trams run every five minutes.",
         "itemReviewed": {"author": {"name": "Lena Park"}},
         "reviewRating": {"ratingValue": 5, "bestRating": 5, "worstRating": 1}},
    ]
    path = tmp_path / "r.json"
    path.write_text(json.dumps(reviews), encoding="utf-8")
    ok("import", str(path))
    by_text = {c["text"]: c for c in claims()}
    assert by_text["Ferries run every ten minutes."]["verdict"] == "unverified"
    assert by_text["Ferries run every ten minutes."]["note"] == "Rated 'Four Pinocchios': https://c.example/1"
    assert by_text["Trams run every five minutes."]["verdict"] == "unverified"
    assert by_text["Trams run every five minutes."]["note"] == "Rated 5 on a scale of 1 to 5"


def test_a_review_whose_claim_has_no_author_is_refused_by_name(tmp_path, db_path):
    path = tmp_path / "r.json"
    path.write_text(json.dumps([{"@type": "ClaimReview", "claimReviewed": "x", "itemReviewed": {}}]), encoding="utf-8")
    assert "ClaimReview 1: the claim has no author" in fails("import", str(path)).stderr


# -- Our own ClaimReview comes back as the claims it came from ------------------------------------


def test_our_claimreview_imported_into_its_own_database_adds_nothing(tmp_path):
    add("a barrel of cold water poured down China's head", "Zhou Hongyi", "--role", "founder of 360",
        "--said", "2024-02-19", "--source", "https://Example.com/sora", "--outlet", "Example News")
    ok("appearance", "add", "1", "--url", "https://example.org/again", "--published", "2024-02-26")
    ok("verdict", "1", "misleading", "--on", "2024-02-22")
    add("chips are fine", "Unnamed reporter", "--kind", "claim")
    ok("verdict", "2", "refuted")
    path = tmp_path / "reviews.json"
    ok("export", "--format", "claimreview", "--publisher", "Sora Desk", "--base-url", "https://desk.example/r",
       "--output", str(path))
    before = {r["uuid"]: r for r in records()}
    reviews = json.loads(path.read_text(encoding="utf-8"))
    assert {r["identifier"] for r in reviews} == set(before)
    assert "0 added" in ok("import", str(path)).stdout
    after = {r["uuid"]: r for r in records()}
    assert set(after) == set(before)
    for uuid, record in after.items():
        assert (record["kind"], record["role"], record["verdict"]) == \
               (before[uuid]["kind"], before[uuid]["role"], before[uuid]["verdict"])
        assert len(record["appearances"]) == len(before[uuid]["appearances"])
        assert [h for h in record["history"] if h["field"] == "verdict"] == \
               [h for h in before[uuid]["history"] if h["field"] == "verdict"]


def test_a_claimreview_is_dated_when_the_review_was_made_never_before_the_claim_was_said():
    add("said in February", "Lena Park", "--said", "2024-02-19")
    ok("verdict", "1", "refuted", "--on", "2023-10-17")  # evidence from before: the review came later
    add("said in March", "Lena Park", "--said", "2024-03-01")
    ok("verdict", "2", "supported", "--on", "2024-03-05")
    reviews = json.loads(ok("export", "--format", "claimreview", "--publisher", "Desk",
                            "--base-url", "https://desk.example/").stdout)
    by_text = {r["claimReviewed"]: r for r in reviews}
    assert by_text["said in February"]["datePublished"] >= "2024-02-19"
    assert by_text["said in March"]["datePublished"] == "2024-03-05"


# -- Sources: one URL everywhere, fitting CSL types and dates ---------------------------------------


def test_every_export_cites_a_source_by_the_url_as_typed():
    typed = "https://WWW.Example.com/Sora/?utm_source=x&b=1&a=2"
    add("a barrel of cold water", "Zhou Hongyi", "--source", typed, "--outlet", "Example News")
    ok("verdict", "1", "refuted")
    [record] = records()
    assert record["source"]["url"] == typed
    [csv_row] = list(csv.DictReader(io.StringIO(ok("export", "--format", "csv").stdout)))
    [review] = json.loads(ok("export", "--format", "claimreview", "--publisher", "D", "--base-url", "https://d.example").stdout)
    [item] = json.loads(ok("export", "--format", "csl-json").stdout)
    assert csv_row["source_url"] == review["itemReviewed"]["firstAppearance"]["url"] == item["URL"] == typed


@pytest.mark.parametrize("source, kind", [
    ({"url": "https://x.com/lena/status/1", "outlet": "X"}, "post"),
    ({"url": "https://mastodon.example/@lena/1"}, "post"),
    ({"url": "https://www.bis.gov/press-release/export-rules", "outlet": "Bureau of Industry and Security"}, "report"),
    ({"url": "https://news.example/2024/annual-report", "outlet": "Example News"}, "report"),
    ({"url": "https://ministry.example/files/statement.pdf", "outlet": "Ministry"}, "report"),
    ({"title": "Press release: new export rules", "outlet": "Ministry"}, "report"),
    ({"url": "https://news.example/2024/sora", "outlet": "Example News"}, "article-newspaper"),
    ({"url": "https://blog.example/reportage-on-sora"}, "webpage"),
    ({"title": "A page without an outlet"}, "webpage"),
])
def test_csl_gives_each_source_a_fitting_type(source, kind):
    assert csl_json.item(source)["type"] == kind


def test_csl_keeps_a_dates_precision_qualifier_and_approximation():
    add("one", "Lena Park", "--source", "https://news.example/a", "--published", "early February 2024")
    add("two", "Lena Park", "--source", "https://news.example/b", "--published", "Q4 2023")
    add("three", "Lena Park", "--source", "https://news.example/c", "--published", "2024-W08")
    add("four", "Lena Park", "--source", "https://news.example/d", "--published", "spring 2024")
    by_url = {i["URL"]: i["issued"] for i in json.loads(ok("export", "--format", "csl-json").stdout)}
    assert by_url["https://news.example/a"] == {"date-parts": [[2024, 2]], "circa": True}
    assert by_url["https://news.example/b"] == {"date-parts": [[2023, 10], [2023, 12]]}
    assert by_url["https://news.example/c"] == {"date-parts": [[2024, 2, 19], [2024, 2, 25]]}
    assert by_url["https://news.example/d"]["season"] == 1 and by_url["https://news.example/d"]["date-parts"][0][0] == 2024


# -- JSON no claim could be ------------------------------------------------------------------------


@pytest.mark.parametrize("name, content, line", [
    ("deep.json", "[\n" + "[" * 100_000 + "]" * 100_000 + "\n]\n", "line 2"),
    ("deep.jsonl", '{"text": "ok", "speaker": "A"}\n{"text": ' + "[" * 100_000 + "]" * 100_000 + "}\n", "line 2"),
    ("inf.json", '[{"text": "ok",\n  "speaker": "A",\n  "extra": 1e999}]\n', "line 3"),
    ("inf.jsonl", '{"text": "ok", "speaker": "A"}\n{"text": "ok", "speaker": "B", "x": [-Infinity]}\n', "line 2"),
    ("nan.json", '[{"text": "1e999 in words", "speaker": "A", "x": NaN}]\n', "line 1"),
])
def test_json_too_deep_or_not_finite_is_a_clean_error_naming_the_line(tmp_path, db_path, name, content, line):
    add("x", "A")
    before = file_hash(db_path)
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    err = fails("import", str(path)).stderr
    assert f"{name}, {line}:" in err and ("too deep" in err or "not finite" in err)
    assert file_hash(db_path) == before
