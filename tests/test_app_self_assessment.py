"""The self-assessment and methodology pages through Streamlit's AppTest, on real statements: the law
first with what to fix, every gap reachable by paging, advice for the firm's own sub-sector, plain
upload errors, and a methodology page generated from the rubric in both app modes."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from app_support import app, ok, use_database
from conftest import PDF_SAMPLES, SAMPLES
from disclosure_check.store.store import Store
from disclosure_check.types import SUBSECTORS

pytestmark = pytest.mark.slow  # AppTest sessions, worker processes, clusters or training: `make test` runs them, `make check` does not

SURVIVOR_BANKING = re.compile(r"bank accounts?|suspicious activity report", re.I)


@pytest.fixture
def db(tmp_path, monkeypatch):
    path = tmp_path / "app.db"
    Store(path).close()
    return use_database(monkeypatch, path)



def uploaded(path, name: str | None = None) -> AppTest:
    at = app().run()
    at.switch_page("ui/self_assessment.py").run()
    at.file_uploader[0].set_value((name or path.name, path.read_bytes(), "application/pdf")).run()
    return ok(at)


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def gap_pages(at: AppTest) -> list[tuple[str, str, list[str]]]:
    """Every page of gaps: (the "showing" caption, nothing else), each gap as (label, its texts)."""
    pages = []
    while True:
        showing = next(c.value for c in at.caption if c.value.startswith("Showing "))
        gaps = [(e.label, [m.value for m in e.markdown]) for e in at.expander if ": now " in e.label]
        pages.append((showing, gaps))
        more = button(at, "More gaps")
        if more.disabled:
            return pages
        more.click().run()
        ok(at)


def test_every_gap_is_reachable_by_paging_and_says_what_it_shows(db):
    at = uploaded(SAMPLES / "lv_2018.pdf")
    total = int(next(m.value for m in at.metric if m.label == "Gaps to work on"))
    assert total > 8
    pages = gap_pages(at)
    assert pages[0][0].startswith(f"Showing 1–8 of {total} gaps")
    assert pages[1][0].startswith(f"Showing 9–{min(16, total)} of {total} gaps")
    labels = [label for _, gaps in pages for label, _ in gaps]
    assert len(labels) == len(set(labels)) == total
    assert all(len(gaps) <= 8 for _, gaps in pages) and len(pages) == -(-total // 8)
    first_gap_texts = pages[0][1][0][1]
    assert first_gap_texts[0].startswith("**Next level, ") and first_gap_texts[1].startswith("**What to do:**")
    button(at, "Previous gaps").click().run()
    assert next(c.value for c in at.caption if c.value.startswith("Showing ")).startswith(
        f"Showing {8 * (len(pages) - 2) + 1}–")


def test_an_insurer_gets_no_survivor_banking_advice_and_a_bank_does(db):
    insurer = [(label, texts) for _, gaps in gap_pages(uploaded(SAMPLES / "lv_2018.pdf")) for label, texts in gaps]
    advice = [t for _, texts in insurer for t in texts if t.startswith("**What to do:**")]
    assert advice and not [t for t in advice if SURVIVOR_BANKING.search(t)]
    assert any(label.startswith("C17 Survivor financial inclusion") for label, _ in insurer)  # insurer advice
    bank = [(label, texts) for _, gaps in gap_pages(uploaded(SAMPLES / "barclays_2019.pdf")) for label, texts in gaps]
    c17 = next(texts for label, texts in bank if label.startswith("C17 Survivor financial inclusion"))
    assert any("access to bank accounts" in t for t in c17)
    assert any("[FAST Survivor Inclusion Initiative](https://www.fastinitiative.org/" in t for t in c17)


def test_the_business_can_correct_its_sub_sector_and_the_advice_follows(db):
    at = uploaded(SAMPLES / "lv_2018.pdf")
    assert at.selectbox[0].value == "insurer"
    assert any(c.value.startswith("Detected from your statement: insurer") for c in at.caption)
    at.selectbox[0].select("bank").run()
    ok(at)
    advice = [t for _, gaps in gap_pages(at) for _, texts in gaps for t in texts]
    assert any("access to bank accounts" in t for t in advice)
    assert any(c.value.startswith("Chosen by you") for c in at.caption)


def test_a_firm_read_as_not_financial_can_say_it_is_a_bank_and_gets_the_financial_levers(db):
    at = uploaded(SAMPLES / "ao_world_2018.pdf")
    assert at.selectbox[0].value not in SUBSECTORS + ("financial",)  # AO (an online retailer) is not financial
    themes = at.table[0].value
    before = set(themes.index[themes["level"] != "n/a"])
    at.selectbox[0].select("bank").run()
    ok(at)
    themes = at.table[0].value
    after = set(themes.index[themes["level"] != "n/a"])
    assert after > before  # the financial-sector themes now apply and are scored
    assert any(c.value.startswith("Chosen by you") for c in at.caption)


def test_the_law_comes_first_and_a_missing_signature_gets_its_fix(db):
    at = uploaded(SAMPLES / "visa_2016.pdf")
    # Nothing found is not a verdict of "no": the business is told it was not found, and how to fix it.
    assert {m.label: m.value for m in at.metric}["Legal requirements met"] == "not shown"
    assert [h.value for h in at.header][:1] == ["1. What the law asks"]
    signature = next(e.value for e in at.warning if "Signed by a director" in e.value)
    assert "not found in the text" in signature and not any("Signed by a director" in e.value for e in at.error)
    fixes = [m.value for m in at.markdown if m.value.startswith("**What to fix:**")]
    assert any("Have a director sign the statement, with name, title and date" in f for f in fixes)
    assert any("s\\.54\\(6\\)" in m.value for m in at.markdown if m.value.startswith("**The law:**"))


def test_what_was_found_is_quoted_with_its_page(db):
    at = uploaded(SAMPLES / "barclays_2019.pdf")
    quotes = [m.value for e in at.expander if ": now " not in e.label for m in e.markdown if m.value.startswith("> “")]
    assert quotes and all(re.search(r"— page \d+", q) for q in quotes)
    meaning = [m.value for e in at.expander for m in e.markdown if m.value.startswith("**This level means:**")]
    assert meaning


def test_a_password_protected_pdf_is_refused_in_plain_words(db):
    at = uploaded(PDF_SAMPLES / "005-libreoffice-writer-password_libreoffice-writer-password.pdf", "protected.pdf")
    assert [e.value for e in at.error] == [
        "This PDF is password-protected. Save a copy without a password and upload that."]
    assert not at.metric


@pytest.mark.parametrize("mode", ["staff", "public"])
def test_the_methodology_page_is_generated_from_the_rubric_in_both_modes(db, monkeypatch, mode, rubric):
    monkeypatch.setenv("DISCLOSURE_CHECK_APP_MODE", mode)
    at = app().run()
    at.switch_page("ui/methodology.py").run()
    ok(at)
    assert at.title[0].value == "How statements are scored"
    assert [t.label for t in at.tabs] == ["The scale", "How levels are worked out", "Statutory requirements",
                                         "Themes and criteria", "CEO letters", "Flags", "Sources"]
    text = " ".join(m.value for m in at.markdown).replace("\\", "")
    for criterion in rubric.criteria:
        assert f"#### {criterion.id} {criterion.name}" in text
    assert "s.16(2): signed by a responsible member of the entity" in text
    assert rubric.version in at.caption[0].value.replace("\\", "")


def test_a_document_that_is_not_a_statement_is_told_so_and_what_one_contains(db, tmp_path):
    from disclosure_check.train.documents import label_text, read_labels
    from disclosure_check.train.samples import render_pdf, text_to_blocks

    policy = next(label for label in read_labels() if label.name == "uk_255")  # a company's forced-labour policy
    pdf = tmp_path / "policy.pdf"
    render_pdf(text_to_blocks(label_text(policy)), pdf, layout="one_column", title="Policy", author="")
    at = uploaded(pdf)
    assert any("does not look like a modern slavery statement" in w.value for w in at.warning)
    assert any("section 54" in m.value and "signed by a director" in m.value for m in at.markdown)
    assert not at.metric  # no verdict until the business says it is its statement
    next(c for c in at.checkbox if "check it anyway" in c.label).check().run()
    ok(at)
    assert {m.label for m in at.metric} >= {"Legal requirements met", "Overall maturity"}
