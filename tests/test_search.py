"""Keyword search that finds words: stems ("survivors" finds "survivor"), ``word*`` prefixes, exact
"phrases", every hit with its page; the same documents and the same hits on SQLite and PostgreSQL
(each test runs on both back-ends through ``db_url``), answered by the indexes."""

from __future__ import annotations

import json
import re
import sqlite3
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

import pytest

from disclosure_check.store import queries
from disclosure_check.store.queries import Filters
from disclosure_check.store.store import Store
from disclosure_check.store.words import (
    Term,
    find,
    index_words,
    page_at,
    parse,
    snippet,
    stem,
    to_term,
    words,
)
from disclosure_check.types import Assessment

ROOT = Path(__file__).resolve().parents[1]
EVERY = Filters(include_other=True)

# Each document: its pages' texts (joined by blank lines, as Document.text is).
CORPUS = {
    "a" * 64: ["Support for survivors of modern slavery is our priority.", "Trafficking risks in our supply chain."],
    "b" * 64: ["A survivor was referred to the national mechanism.", "We audit suppliers each year."],
    "c" * 64: ["The Survivor's Voice programme.", "Traffickers were prosecuted; forced-labour audits followed."],
    "d" * 64: ["We trafficked nothing.", "Forced labour and child labour are banned.", "Survivors are supported."],
    "e" * 64: ["Nothing on this page.", "Our suppliers: the surviving firms of the merger."],
}


def assessment(doc_id: str, pages: list[str]) -> Assessment:
    text, starts = "", []
    for number, page in enumerate(pages, start=1):
        if text:
            text += "\n\n"
        starts.append((len(text), number))
        text += page
    return Assessment(doc_id=doc_id, path=f"/in/{doc_id[:1]}.pdf", pages=len(pages), rubric_version="r@1",
                      model_version="m", elements=(), text=text, text_pages=tuple(starts))


@pytest.fixture
def store(db_url):
    with Store(db_url) as store:
        for doc_id, pages in CORPUS.items():
            store.save(assessment(doc_id, pages))
        yield store


def found(store, include, exclude=(), **kwargs) -> set[str]:
    return {d[:1] for d in queries.search(store, include, exclude, EVERY, **kwargs).rows["doc_id"]}


def test_a_word_finds_its_other_endings_and_the_counts_add_up(store):
    for typed in ("survivor", "survivors", "Survivor", "SURVIVORS"):
        result = queries.search(store, [typed], filters=EVERY)
        assert {d[:1] for d in result.rows["doc_id"]} == {"a", "b", "c", "d"}, typed  # not "surviving": another stem
        assert (result.searched, result.matching, result.not_matching) == (5, 4, 1)
        assert result.full_text
    none = queries.search(store, [], ["survivors"], EVERY)
    assert none.matching == 1 and {d[:1] for d in none.rows["doc_id"]} == {"e"}


def test_a_star_matches_any_ending(store):
    assert found(store, ["traffick*"]) == {"a", "c", "d"}  # trafficking, traffickers, trafficked
    assert found(store, ["surviv*"]) == {"a", "b", "c", "d", "e"}
    assert found(store, ["trafficking"]) == {"a", "c", "d"}  # the stem "traffick" too
    assert found(store, ["surviving"]) == {"e"}  # the stem "surviv": only "*" reaches survivor from it
    assert found(store, ["survivor*"], ["forced*"]) == {"a", "b"}


def test_a_quoted_phrase_is_those_words_in_order(store):
    assert found(store, ['"forced labour"']) == {"c", "d"}  # forced-labour is the two words
    assert found(store, ["forced labour"]) == {"c", "d"}
    assert found(store, ['"labour forced"']) == set()
    assert found(store, queries.parse_terms('"survivors"')) == {"a", "d"}  # one quoted word: exactly it
    assert found(store, ['"child labour"', "survivors"]) == {"d"}
    assert found(store, ['"child labour"', "survivor"], match_all=False) == {"a", "b", "c", "d"}


def test_every_hit_comes_with_its_page(store):
    result = queries.search(store, ["survivor", "traffick*"], filters=EVERY, match_all=False)
    hits = {d[:1]: [(h.term, h.page, re.sub(r".*\[\[(.*)\]\].*", r"\1", s))
                    for h, s in zip(found_.hits, found_.snippets, strict=True)] for d, found_ in result.hits.items()}
    assert hits == {
        "a": [("survivor", 1, "survivors"), ("traffick*", 2, "Trafficking")],
        "b": [("survivor", 1, "survivor")],
        "c": [("survivor", 1, "Survivor"), ("traffick*", 2, "Traffickers")],
        "d": [("traffick*", 1, "trafficked"), ("survivor", 3, "Survivors")],
    }
    assert all(h.pages_known for h in result.hits.values())
    assert list(result.rows["hits"]) == [2, 1, 2, 2]
    assert result.rows["snippet"].iloc[0] == "Support for [[survivors]] of modern slavery is our priority.…"  # its page only


def test_texts_stored_without_pages_still_have_hits(db_url):
    with Store(db_url) as store:
        old = assessment("f" * 64, ["The survivors."])
        store.save(old, text=old.text + " ")  # not the result's own text: its pages are not known
        result = queries.search(store, ["survivor"], filters=EVERY)
    [only] = result.hits.values()
    assert not only.pages_known and [h.page for h in only.hits] == [None]


def test_the_indexes_answer_as_the_texts_read(store, monkeypatch):
    """The SQL (FTS5 or GIN) and a plain reading of every text agree on every kind of term."""
    cases = [(["survivors"], []), (["traffick*"], ["survivor"]), (['"forced labour"'], []), (["audit"], []),
             (["audits", "year"], []), (["the"], ["nothing"]), (["a"], [])]
    indexed = [found(store, inc, exc) for inc, exc in cases]
    monkeypatch.setattr(queries, "has_full_text", lambda store: False)
    assert [found(store, inc, exc) for inc, exc in cases] == indexed
    assert indexed[3] == {"b", "c"} and indexed[6] == {"b"}  # audit, audits; the word "a" itself


def test_hits_for_the_viewer(store):
    hits = queries.document_hits(store, ["d" * 64], ["labour"])["d" * 64]
    assert [(h.page, h.term) for h in hits.hits] == [(2, "labour"), (2, "labour")]


# -- the stemmer and the terms ------------------------------------------------------------------------
def sqlite_stems(vocabulary: list[str]) -> list[str]:
    """What SQLite's own FTS5 porter tokenizer indexes for each word."""
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE s USING fts5(w, tokenize='porter unicode61 remove_diacritics 0')")
    db.executemany("INSERT INTO s(rowid, w) VALUES (?, ?)", enumerate(vocabulary, 1))
    db.execute("CREATE VIRTUAL TABLE v USING fts5vocab(s, instance)")
    out = defaultdict(list)
    for term, doc in db.execute("SELECT term, doc FROM v"):
        out[doc].append(term)
    return [" ".join(out[i]) for i in range(1, len(vocabulary) + 1)]


def test_the_stemmer_is_sqlites():
    text = " ".join(p.read_text(encoding="utf-8") for p in [ROOT / "README.md", *ROOT.glob("docs/*.md"),
                                                          *ROOT.glob("rubrics/*.yaml")] if p.exists())
    tricky = ("technology technologies possibly responsibly assembly ies sses caresses ponies ties caress cats "
              "feed agreed plastered bled motoring sing conflated troubled sized hopping tanned falling hissing "
              "fizzed failing filing happy sky relational conditional rational valenci hesitanci digitizer "
              "conformabli radicalli differentli vileli analogousli vietnamization predication operator feudalism "
              "decisiveness hopefulness callousness formaliti sensitiviti sensibiliti triplicate formative "
              "formalize electriciti electrical hopeful goodness revival allowance inference airliner gyroscopic "
              "adjustable defensible irritant replacement adjustment dependent adoption homologou communism "
              "activate angulariti homologous effective bowdlerize probate rate cease controll roll yy ayed "
              "µg café nestlé’s 2023 co₂e organisations organising trafficking trafficked survivors survivor’s")
    vocabulary = sorted(set(words(text + " " + tricky)))
    assert len(vocabulary) > 2000
    assert [stem(w) for w in vocabulary] == sqlite_stems(vocabulary)


def test_words_are_what_fts5_reads():
    text = "Nestlé’s co₂e 2023/24 x_y don't ΣΊΣΥΦΟΣ µg"
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE s USING fts5(w, tokenize='unicode61 remove_diacritics 0')")
    db.execute("CREATE VIRTUAL TABLE v USING fts5vocab(s, instance)")
    db.execute("INSERT INTO s VALUES (?)", (text,))
    assert words(text) == [t for (t,) in db.execute("SELECT term FROM v ORDER BY offset")]


def test_terms_from_what_is_typed():
    terms = parse('survivors, traffick* "forced  labour" anti-slavery * - survivors')
    assert [(t.text, t.kind, t.words) for t in terms] == [
        ("survivors", "word", ("survivors",)), ("traffick*", "prefix", ("traffick",)),
        ("forced labour", "phrase", ("forced", "labour")), ("anti-slavery", "phrase", ("anti", "slavery"))]
    assert to_term("*") is None and to_term("survivor") == Term("survivor", ("survivor",), "word")
    assert [(t.text, t.kind) for t in parse('"survivors" survivors')] == [('"survivors"', "phrase"),
                                                                        ("survivors", "word")]
    assert to_term('"survivors"') == Term("survivors", ("survivors",), "phrase")
    assert queries.parse_terms("survivor* audit") == ("survivor*", "audit")


def test_hits_pages_and_snippets():
    text = "Survivors first.\n\nThen the survivor's story, and more survivors."
    pages = [(0, 1), (18, 2)]
    hits = find(text, [to_term("survivor")], pages)
    assert [(text[h.start:h.end], h.page) for h in hits] == [("Survivors", 1), ("survivor", 2), ("survivors", 2)]
    assert page_at(pages, 17) == 1 and page_at(None, 3) is None
    assert snippet(text, hits[1], width=10) == "…Then the [[survivor]]'s story,…"


def test_pages_are_stored_with_the_text(store):
    raw = store.conn.execute("SELECT pages FROM document_texts WHERE doc_id=?", ("d" * 64,)).fetchone()[0]
    assert json.loads(raw) == [[0, 1], [24, 2], [68, 3]]


def test_texts_stored_before_are_indexed_by_the_migration(db_url, monkeypatch):
    """A store from before stems and pages: its texts are found by stem and prefix once it is opened
    (SQLite rebuilds its indexes, PostgreSQL's word and stem columns are filled in); hits have no page."""
    import disclosure_check.store.store as store_module
    from disclosure_check.store.schema import MIGRATIONS, SEARCH_STEMS_MIGRATION

    monkeypatch.setattr(store_module, "MIGRATIONS", MIGRATIONS[:SEARCH_STEMS_MIGRATION - 1])
    with Store(db_url) as old:
        for doc_id, pages in CORPUS.items():
            old.save(replace(assessment(doc_id, pages), text=""))  # no text: the old columns are written below
            with old.transaction() as conn:
                conn.execute("INSERT INTO document_texts (doc_id, text) VALUES (?, ?)",
                             (doc_id, assessment(doc_id, pages).text))
        assert old.schema_version() == SEARCH_STEMS_MIGRATION - 1
    monkeypatch.setattr(store_module, "MIGRATIONS", MIGRATIONS)
    with Store(db_url) as store:
        assert store.schema_version() == len(MIGRATIONS)
        assert found(store, ["survivors"]) == {"a", "b", "c", "d"} and found(store, ["traffick*"]) == {"a", "c", "d"}
        result = queries.search(store, ["survivor"], filters=EVERY)
        assert result.full_text and not any(h.pages_known for h in result.hits.values())
        store.save(assessment("a" * 64, CORPUS["a" * 64]))  # scored again: its pages are known
        assert queries.search(store, ["survivor"], filters=EVERY).hits["a" * 64].pages_known


def test_a_huge_text_still_fits_postgresqls_index(db_url):
    """OCR noise: 60,000 distinct "words" (1.5 MB of lexemes) are more than a tsvector holds; the text
    is stored and searched all the same (on PostgreSQL without its longest words)."""
    noise = " ".join(f"w{i:07d}x{i * 7919 % 1000003:07d}" for i in range(60_000))
    found_, stems_ = index_words(noise)
    assert 0 < len(found_) < 60_000 and sum(len(w) + 8 for w in found_) <= 900_000
    with Store(db_url) as store:
        store.save(assessment("9" * 64, ["Survivors first.", noise]))
        assert found(store, ["survivor"]) == {"9"}
