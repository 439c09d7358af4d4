"""The review desk through Streamlit's AppTest, on real bundled statements and a CEO letter:
comments stored with the button pressed, levels recorded only on Save, the place kept after a
decision, a rejected approval turning the statutory verdict, the letter panel beside the firm's
statement, n of N, next unreviewed, links by doc id, and page images that never vanish."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app_support import app, database_with, finding, ok, open_finding
from conftest import ROOT, SAMPLES
from disclosure_check.store.shares import Shares
from disclosure_check.store.store import Store

pytestmark = pytest.mark.slow  # AppTest sessions, worker processes, clusters or training: `make test` runs them, `make check` does not

STATEMENTS = ("barclays_2019", "lloyds_banking_group_2018", "lv_2018")
LETTER = "barclays_ceo_letter_2019.pdf"


def letter_pdf(folder: Path) -> Path:
    """No real CEO letter is bundled: Barclays' statement read as a letter (other bytes, so another doc_id)."""
    path = folder / LETTER
    path.write_bytes((SAMPLES / "barclays_2019.pdf").read_bytes() + b"\n%CEO letter fixture\n")
    return path


@pytest.fixture(scope="module")
def scored(scored_sample, rubric, models, tmp_path_factory):
    from disclosure_check.pipeline import ScoreOptions, Scorer

    letters = Scorer(rubric, models, ScoreOptions(doc_type="letter", sector="bank"))
    letter = letters.score_file(letter_pdf(tmp_path_factory.mktemp("letter")))
    return [scored_sample(name) for name in STATEMENTS] + [letter]


@pytest.fixture
def db(tmp_path, scored, monkeypatch):
    return database_with(monkeypatch, tmp_path / "review.db", scored)


def doc_ids(db: Path) -> dict[str, str]:
    with Store(db) as store:
        return {Path(s.result.path).name: s.doc_id for s in store.stored()}


def review(doc: str | None = None) -> AppTest:
    at = app().run()
    at.switch_page("ui/review.py").run()
    if doc is not None:
        at.selectbox[0].select(doc).run()
    return ok(at)



def texts(at: AppTest) -> list[str]:
    """What the page says, Markdown escapes removed."""
    return [t.replace("\\", "") for t in [m.value for m in at.markdown] + [c.value for c in at.caption]
            + [i.value for i in at.info]]


def test_rejecting_approval_with_a_comment_keeps_the_place_and_fails_the_statutory_gate(db):
    lloyds = doc_ids(db)["lloyds_banking_group_2018.pdf"]
    at = open_finding(review(lloyds), "elements", "approval")
    key = f"{lloyds[:12]}-element-approval"
    at.text_input(key=f"c-{key}").input("The board is not named as approving")  # typed, then Reject: one step
    at.button(key=f"no-{key}").click().run()
    ok(at)
    with Store(db) as store:
        [decision] = store.decisions(lloyds)
        stored = store.stored(doc_id=lloyds)[0]
    assert (decision.target, decision.decision, decision.comment) == (
        "element:approval", "reject", "The board is not named as approving")
    # The place is kept: same document, section and finding, the comment box emptied for the next one.
    assert at.selectbox[0].value == lloyds
    assert at.radio(key="review-section").value == "elements"
    assert finding(at).value == "approval"
    assert at.text_input(key=f"c-{key}").value == ""
    assert any(c.startswith("Reviewed: reject by") and "The board is not named" in c for c in texts(at))
    # Carried through: the approval check and the statutory verdict are not met, on the page and in the store.
    assert stored.result.maturity.statutory_state == "not_met"
    at.radio(key="review-section").set_value("statutory").run()
    assert any(t.startswith("**Statutory verdict: not met (a legal failure)** — every check must be met.")
               for t in texts(at))
    checks = finding(at)
    assert any(o.startswith("✗ Approved by the board") and o.endswith("not met") for o in checks.options)
    assert at.radio(key="review-section").options[-1] == "Audit trail (1)"


def test_a_level_is_recorded_only_on_save_with_what_it_means(db, rubric):
    barclays = doc_ids(db)["barclays_2019.pdf"]
    at = open_finding(review(barclays), "criteria", "C06")
    key = f"{barclays[:12]}-criterion-C06"
    assert not [b for b in at.button if b.key == f"no-{key}"]  # no Reject on a criterion: set a level
    before = at.selectbox(key=f"lv-{key}").value
    chosen = 4 if before != 4 else 3
    at.selectbox(key=f"lv-{key}").select(chosen).run()
    ok(at)
    with Store(db) as store:
        assert store.decisions(barclays) == []  # picking a level records nothing
    shown = texts(at)
    meaning = rubric.level_descriptor("C06", chosen)
    assert f"**{chosen} {rubric.level_name(chosen)}:** {meaning}" in shown
    if rubric.next_level(chosen) is not None:
        assert any(t.startswith(f"Next, {rubric.next_level(chosen)} ") for t in shown)
    at.text_input(key=f"c-{key}").input("Risk assessment is described in detail")
    at.button(key=f"save-{key}").click().run()
    ok(at)
    with Store(db) as store:
        [decision] = store.decisions(barclays)
        level = next(c.level for c in store.stored(doc_id=barclays)[0].result.maturity.criteria if c.id == "C06")
        row = store.conn.execute("SELECT c.level FROM criterion_results c JOIN results r ON r.id = c.result_id "
                                 "WHERE r.doc_id=? AND c.criterion='C06'", (barclays,)).fetchone()
    assert (decision.decision, decision.level, decision.comment) == (
        "set_level", chosen, "Risk assessment is described in detail")
    assert level == chosen and row[0] == chosen
    assert at.radio(key="review-section").value == "criteria"
    assert finding(at).value == "C06"
    assert any(h.value.startswith(f"C06 {rubric.name_of('C06')}: {chosen} ") for h in at.subheader)


def test_letter_view_shows_scopes_and_recommendations_beside_the_statement(db, rubric):
    ids = doc_ids(db)
    at = review(ids[LETTER])
    shown = texts(at)
    assert not any("No statutory gate" in t for t in shown)
    assert any("This is a CEO letter response" in t for t in shown)
    assert at.radio(key="review-section").value == "letter"
    assert any("Beside the same firm's latest statement: **Barclays plc 2018** (barclays_2019.pdf)" in t for t in shown)
    scopes, recommendations = at.dataframe[0].value, at.dataframe[1].value
    assert list(scopes["scope"]) == [rubric.name_of(s) for s in ("own_business", "supply_chains", "lending",
                                                                 "investment")]
    assert list(recommendations["recommendation"]) == [rubric.label(f"R{n}") for n in range(1, 6)]
    with Store(db) as store:
        letter = {i.id: i for i in store.stored(doc_id=ids[LETTER])[0].result.maturity.letter}
    assert list(recommendations["letter level"]) == [f"{letter[r].level} {rubric.level_name(letter[r].level)}"
                                                     for r in ("R1", "R2", "R3", "R4", "R5")]
    assert scopes.loc[scopes["scope"] == rubric.name_of("investment"), "answers recommendation(s)"].item() \
        == rubric.label("R3")  # both read investment due diligence (C11)
    # A letter item's level, saved: a "letter" decision that the panel then shows.
    finding(at).set_value("R5").run()
    key = f"{ids[LETTER][:12]}-letter-R5"
    at.selectbox(key=f"lv-{key}").select(2).run()
    at.button(key=f"save-{key}").click().run()
    ok(at)
    with Store(db) as store:
        [decision] = store.decisions(ids[LETTER])
    assert (decision.target, decision.level) == ("letter:R5", 2)
    assert at.dataframe[1].value["letter level"].iloc[4] == f"2 {rubric.level_name(2)}"


def test_n_of_n_next_and_next_unreviewed(db):
    ids = doc_ids(db)
    at = review()
    # By organisation: Barclays' statement and letter, LV, Lloyds.
    order = [ids[next(f for f in ids if f" — {f}" in option)] for option in at.selectbox[0].options]
    assert order == [ids[f] for f in ("barclays_2019.pdf", LETTER, "lv_2018.pdf", "lloyds_banking_group_2018.pdf")]
    assert len(order) == 4 and at.selectbox[0].value == order[0]
    assert "**1 of 4**" in texts(at)
    next(b for b in at.button if b.label == "Next ▶").click().run()
    assert at.selectbox[0].value == order[1] and "**2 of 4**" in texts(at)
    with Store(db) as store:  # the third has a decision: next unreviewed skips it
        store.add_review(order[2], "document", "note", "comment", reviewer="R", comment="seen")
    next(b for b in at.button if b.label == "Next unreviewed").click().run()
    assert at.selectbox[0].value == order[3] and "**4 of 4**" in texts(at)
    # The reviewed-only queue holds just that one; the open document stays listed beside it.
    at.radio(key="rq-reviewed").set_value("reviewed").run()
    assert "not in the filtered queue of 1" in texts(at)
    next(b for b in at.button if b.label == "Next ▶").click().run()
    assert at.selectbox[0].value == order[2] and "**1 of 1**" in texts(at)
    at.radio(key="rq-reviewed").set_value("all").run()
    at.multiselect(key="rq-doctype").select("letter").run()
    next(b for b in at.button if b.label == "Next ▶").click().run()
    assert at.selectbox[0].value == ids[LETTER] and "**1 of 1**" in texts(at)


def test_a_document_chosen_elsewhere_opens(db):
    ids = doc_ids(db)
    at = app().run()
    at.query_params["doc"] = ids["lv_2018.pdf"]  # a link: review?doc=<doc_id>
    at.switch_page("ui/review.py").run()
    assert ok(at).selectbox[0].value == ids["lv_2018.pdf"]
    at = app().run()
    at.session_state["review_doc"] = ids["lloyds_banking_group_2018.pdf"]  # the overview's click-through
    at.switch_page("ui/review.py").run()
    assert ok(at).selectbox[0].value == ids["lloyds_banking_group_2018.pdf"]


def test_my_queue_lists_the_documents_i_decided_on(db):
    ids = doc_ids(db)
    at = review(ids["lv_2018.pdf"])
    open_finding(at, "elements", "approval")
    at.button(key=f"ok-{ids['lv_2018.pdf'][:12]}-element-approval").click().run()
    at.toggle(key="rq-mine").set_value(True).run()
    ok(at)
    assert "**1 of 1**" in texts(at)
    with Store(db) as store:  # someone else's decision is not in my queue
        store.add_review(ids["barclays_2019.pdf"], "element", "approval", "confirm", reviewer="Someone else")
    at.run()
    assert "**1 of 1**" in texts(at)


def test_page_images_show_from_an_absolute_path_or_the_stored_copy(db, scorer, tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    relative = scorer.score_file(Path("corpus/samples/lv_2018.pdf"))
    with Store(db) as store:
        store.save(relative)
        assert store.document_path(relative.doc_id) == str(SAMPLES / "lv_2018.pdf")  # absolute
    monkeypatch.chdir(tmp_path)  # the app started from another folder
    at = open_finding(review(relative.doc_id), "statutory", "board_approval")
    assert at.image, "no page image"
    # A shared self-assessment: no file on disk, the stored copy of its bytes.
    copy = tmp_path / "upload.pdf"
    copy.write_bytes((SAMPLES / "bluebay_asset_management_2019.pdf").read_bytes())
    shared = scorer.score_file(copy)
    from ui.upload import share_upload

    assert share_upload(shared, "bluebay.pdf", "browser-1", content=copy.read_bytes()).shared
    with Store(db) as store:
        [share] = Shares(store).all("pending")
        assert bytes(share["content"]) == copy.read_bytes()  # the PDF goes with the share
        Shares(store).decide(share["id"], "accepted", decided_by="R")
    copy.unlink()
    at = open_finding(review(shared.doc_id), "statutory", "board_approval")
    assert at.image and "The page image is not available" not in " ".join(texts(at))


def test_staff_correct_what_a_document_is_and_the_result_follows(db, rubric):
    ids = doc_ids(db)
    lv, barclays = ids["lv_2018.pdf"], ids["barclays_2019.pdf"]
    # LV's name is read from the text (since round 4 of issue 20); a reviewer sets the brand the
    # Commission publishes instead, and the page, the store and the audit trail follow
    at = open_finding(review(lv), "about", "organisation")
    assert any(h.value.replace("\\", "") == "Organisation: Liverpool Victoria Friendly Society Limited"
               for h in at.subheader)
    key = f"{lv[:12]}-document-organisation"
    at.text_input(key=f"v-{key}").set_value("LV= (Liverpool Victoria)")
    at.text_input(key=f"c-{key}").input("the brand the statement uses for itself")
    at.button(key=f"save-{key}").click().run()
    ok(at)
    with Store(db) as store:
        [decision] = store.decisions(lv)
        [(name, source)] = store.conn.execute("SELECT organisation, organisation_source FROM documents WHERE doc_id=?",
                                              (lv,)).fetchall()
    assert (decision.target, decision.decision, decision.value) == (
        "document:organisation", "set_value", "LV= (Liverpool Victoria)")
    assert (name, source) == ("LV= (Liverpool Victoria)", "reviewer")
    assert any(h.value.replace("\\", "") == "Organisation: LV= (Liverpool Victoria)" for h in at.subheader)
    # Barclays said to be a retailer: the financial levers no longer apply
    financial = {c.id for c in rubric.criteria if c.applies_to == "financial"} | {
        c for t in rubric.themes if t.applies_to == "financial" for c in t.criteria}
    at = review(barclays)
    at.radio(key="review-section").set_value("criteria").run()
    assert {o.split()[0] for o in finding(at).options} & financial  # a bank: the financial levers apply
    at = open_finding(at, "about", "sector")
    key = f"{barclays[:12]}-document-sector"
    assert at.selectbox(key=f"v-{key}").value == "bank"
    assert any("the model's probability" in t for t in texts(at))  # the model's reason is shown
    at.selectbox(key=f"v-{key}").select("retail_consumer")  # chosen, then Save: one step, as in a form
    at.button(key=f"save-{key}").click().run()
    ok(at)
    at.radio(key="review-section").set_value("criteria").run()
    assert not {o.split()[0] for o in finding(at).options} & financial
    with Store(db) as store:
        assert tuple(store.conn.execute("SELECT financial, industry FROM results WHERE doc_id=?", (barclays,)).fetchone()) == (
            0, "retail_consumer")


def test_a_check_not_found_shows_its_nearest_sentences_pages_and_outcome_buttons(tmp_path, scored_sample, monkeypatch):
    """Visa 2016 has no signature the machine can find: the reviewer sees "not found (needs review)",
    the nearest sentences on their pages and any page of the document, and buttons that name the
    outcome; marking it not met is a legal failure, and then agreeing is "Agree: not met"."""
    visa = scored_sample("visa_2016")
    signature = next(g for g in visa.maturity.gate if g.id == "director_signature")
    assert signature.state == "not_found" and signature.candidates
    db = database_with(monkeypatch, tmp_path / "visa.db", [visa])
    at = open_finding(review(visa.doc_id), "statutory", "director_signature")
    assert any(t.startswith("**Statutory verdict: needs review**") for t in texts(at))
    assert any(o.startswith("○ Signed by a director") and o.endswith("not found (needs review)")
               for o in finding(at).options)
    assert any(t.startswith("**Nearest sentences**") for t in texts(at))
    quoted = [t for t in texts(at) if t.startswith("> ")]
    assert len(quoted) == len(signature.candidates[:6])
    viewer = next(n for n in at.number_input if n.label.startswith("Page (of "))
    assert viewer.label == f"Page (of {visa.pages})" and viewer.value == visa.pages  # a signature: the last page
    assert len(at.image) >= 1 + len(quoted)  # each candidate's crop and the page itself
    buttons = [b.label for b in at.get("form_submit_button")]
    assert {"Mark as met", "Mark as not met"} <= set(buttons) and "Agree: met" not in buttons
    next(b for b in at.get("form_submit_button") if b.label == "Mark as not met").click().run()
    ok(at)
    with Store(db) as store:
        [stored] = store.stored(doc_id=visa.doc_id)
    assert stored.result.maturity.statutory_state == "not_met" and stored.result.maturity.statutory_met is False
    assert any(t.startswith("**Statutory verdict: not met (a legal failure)**") for t in texts(at))
    buttons = [b.label for b in at.get("form_submit_button")]
    assert {"Agree: not met", "Mark as met"} <= set(buttons)
