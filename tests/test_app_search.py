"""The keyword search page through Streamlit's AppTest: wildcards accepted, the matching rule shown,
every hit with its page and a link that opens the document viewer there, "n more" past the first."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from app_support import ok, opened, use_database
from disclosure_check.store.store import Store
from test_search import CORPUS, assessment

pytestmark = pytest.mark.slow  # AppTest sessions: `make test` runs them, `make check` does not

MANY = "f" * 64


@pytest.fixture
def db(tmp_path, monkeypatch):
    path = tmp_path / "search.db"
    with Store(path) as store:
        for doc_id, pages in CORPUS.items():
            store.save(assessment(doc_id, pages))
        store.save(assessment(MANY, [f"Page {n}: survivors and survivor support." for n in range(1, 31)]))
    return use_database(monkeypatch, path)


def search(*terms: str) -> AppTest:
    at = opened("ui/search.py")
    for box, typed in zip(at.text_input, terms, strict=False):
        box.input(typed).run()
    return ok(at)


def test_the_page_says_how_words_are_matched(db):
    at = search()
    rule = " ".join(c.value for c in at.caption)
    assert '"survivors" finds survivor' in rule and "`word*`" in rule and "quoted phrase" in rule


def test_a_wildcard_finds_every_ending_with_hits_and_pages(db):
    at = search("traffick*")
    metrics = {m.label: m.value for m in at.metric}
    assert (metrics["Statements searched"], metrics["Mention them"], metrics["Do not"]) == ("6", "3", "3")
    lines = [m.value for m in at.markdown if "viewer?" in m.value]
    assert lines == [f"[page 2](viewer?doc={'a' * 64}&page=2&q=traffick%2A) · …**Trafficking** risks in our supply chain\\.",
                     f"[page 2](viewer?doc={'c' * 64}&page=2&q=traffick%2A) · …**Traffickers** were prosecuted; "
                     "forced\\-labour audits followed\\.",
                     f"[page 1](viewer?doc={'d' * 64}&page=1&q=traffick%2A) · We **trafficked** nothing\\.…"]
    assert [m.value.rsplit(" · ", 1)[-1] for m in at.markdown if m.value.startswith("**")] == ["1 hit"] * 3
    assert [b.label for b in at.button].count("Open review") == 3


def test_stems_count_every_variant_and_many_hits_fold_away(db):
    at = search("survivor")
    metrics = {m.label: m.value for m in at.metric}
    assert (metrics["Mention them"], metrics["Do not"]) == ("5", "1")  # survivor, survivors, Survivor's
    heads = [m.value for m in at.markdown if "hits" in m.value or "hit" in m.value.split()[-1:]]
    assert any(h.endswith("· 60 hits") for h in heads)
    many = [m.value for m in at.markdown if f"doc={MANY}" in m.value]
    assert len(many) == 3 + 50  # three shown, fifty under "57 more hits"
    assert any(e.label == "57 more hits" for e in at.expander)
    assert "… and 7 more" in " ".join(c.value for c in at.caption)
    assert f"viewer?doc={MANY}&page=30&q=survivor" not in " ".join(many)  # past the cap: open the document


def test_nothing_to_search_for_explains_the_star(db):
    at = search("*")
    assert any("`traffick*`" in i.value for i in at.info)
