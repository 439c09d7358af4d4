"""Links and retries through Streamlit's AppTest: a staff link opened before sign-in lands on its page,
with its query, after sign-in; the public dashboard's root goes to the self-assessment's own address;
an encrypted PDF's failure is retried with a password that is used once and stored nowhere."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app_support import app, database_with, ok, opened, sign_in
from conftest import STAFF
from disclosure_check.run import Limits, attempt_options
from disclosure_check.store.store import Store
from disclosure_check.types import Assessment, Failure
from hostile import encrypted_user_password

pytestmark = pytest.mark.slow  # AppTest sessions and worker processes: `make test` runs them, `make check` does not

PDF_PASSWORD = "open-sesame"  # hostile.encrypted_user_password's


@pytest.fixture(scope="module")
def scored(scored_sample):
    return [scored_sample(name) for name in ("lv_2018", "ao_world_2018")]


@pytest.fixture
def staff_db(tmp_path, scored, monkeypatch):
    return database_with(monkeypatch, tmp_path / "links.db", scored, staff=[STAFF])


def test_a_staff_link_opened_before_sign_in_lands_on_its_page_after(staff_db, scored):
    wanted = scored[0].doc_id  # lv_2018: second in the queue (AO World plc comes first), so only the link chooses it
    at = app()
    at.query_params["doc"] = wanted
    at.switch_page("ui/review.py")  # before a first run: the page named by its address, /review?doc=…
    ok(at.run())
    assert [t.value for t in at.title] == ["Staff sign-in"] and not at.metric
    sign_in(at)
    assert at.title[0].value == "Document review"
    assert at.query_params["doc"] == wanted and at.session_state["review_doc"] == wanted


def test_signing_in_at_the_root_still_opens_the_overview(staff_db):
    at = opened()
    assert sign_in(at).title[0].value == "Overview"


def test_the_public_root_goes_to_the_self_assessment(staff_db, monkeypatch):
    monkeypatch.setenv("DISCLOSURE_CHECK_APP_MODE", "public")
    at = opened()
    assert at.title[0].value == "Check your modern slavery statement"
    assert at._registered_pages[at._finished_page_script_hash]["url_pathname"] == "self-assessment"


@pytest.fixture
def locked_db(tmp_path, scorer, monkeypatch):
    """A database holding one stored failure: an encrypted PDF scored without its password (DC102)."""
    pdf = tmp_path / "inbox" / "locked statement.pdf"
    pdf.parent.mkdir()
    pdf.write_bytes(encrypted_user_password())
    failure = scorer.score_file(pdf)
    assert isinstance(failure, Failure) and failure.code == "DC102" and "--password" in failure.reason
    db = tmp_path / "locked.db"
    with Store(db) as store:
        store.save(failure, options=attempt_options(scorer.options, Limits()), rubric=scorer.rubric)
    database_with(monkeypatch, db, [])
    return db, failure


def failures_page() -> AppTest:
    at = opened()
    return ok(at.switch_page("ui/failures.py").run())


def shown(at: AppTest) -> str:
    return " ".join([m.value for m in at.markdown] + [c.value for c in at.caption] + [e.value for e in at.error]
                    + [s.value for s in at.success] + [w.value for w in at.warning]
                    + [str(v) for v in at.dataframe[0].value["error"]])


def test_an_encrypted_failure_is_retried_with_a_password_kept_nowhere(locked_db, caplog):
    db, failure = locked_db
    caplog.set_level(logging.DEBUG)
    at = failures_page()
    [field] = [t for t in at.text_input if t.label == "PDF password"]
    assert field.proto.type == field.proto.PASSWORD
    assert "--password" not in shown(at) and "enter its password" in shown(at)
    assert not [b for b in at.button if b.label == "Retry"]  # the plain retry would fail the same way

    field.input("not the password")
    next(b for b in at.button if b.label == "Retry with password").click().run()
    ok(at)
    assert any("Still failing: [DC102]" in e.value and "The password did not open it." in e.value for e in at.error)
    assert "--password" not in shown(at)

    [field] = [t for t in at.text_input if t.label == "PDF password"]  # (the browser clears it when sent)
    field.input(PDF_PASSWORD)
    next(b for b in at.button if b.label == "Retry with password").click().run()
    ok(at)
    assert any(s.value.startswith("Scored: locked statement") for s in at.success), [e.value for e in at.error]
    with Store(db) as store:
        [stored] = store.stored(doc_id=failure.doc_id)
        assert isinstance(stored.machine, Assessment)
        assert store.attempt(failure.doc_id, stored.machine.rubric_version,
                             stored.machine.model_version).options["password"] is True
    assert PDF_PASSWORD.encode() not in Path(db).read_bytes()
    assert all(PDF_PASSWORD not in r.getMessage() for r in caplog.records)
