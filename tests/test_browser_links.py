"""Links and retries in a real browser (headless Chromium): `/self-assessment` opens the
self-assessment in every mode (public, staff signed out, staff signed in) and the public root goes
there; a staff link `/review?doc=…` opened before sign-in lands on that document after it; an
encrypted PDF's failure is retried with a password typed into a password field. Screenshots:
tests/_artifacts/links_*.png."""

from __future__ import annotations

import pytest

from browser_support import ARTIFACTS, PASSWORD, STAFF, browser_page, dashboard, needs_chromium
from disclosure_check.run import Limits, attempt_options
from disclosure_check.store.accounts import add_account
from disclosure_check.store.store import Store
from hostile import encrypted_user_password

pytestmark = [needs_chromium, pytest.mark.slow]  # `make test` runs browser tests, `make check` does not
TITLE = "Check your modern slavery statement"


@pytest.fixture
def server(scored_sample, tmp_path, scorer):
    locked = tmp_path / "inbox" / "locked statement.pdf"
    locked.parent.mkdir()
    locked.write_bytes(encrypted_user_password())  # its password: open-sesame
    db = tmp_path / "links.db"
    with Store(db) as store:
        for name in ("lv_2018", "ao_world_2018"):
            store.save(scored_sample(name), rubric=scorer.rubric)
        store.save(scorer.score_file(locked), options=attempt_options(scorer.options, Limits()), rubric=scorer.rubric)
        add_account(store, STAFF, PASSWORD)
        ids = {s.result.path.rsplit("/", 1)[-1]: s.doc_id for s in store.stored()}
    with dashboard(db) as url:
        yield url, db, ids


def main_text(page) -> str:
    return page.locator("[data-testid=stMain]").inner_text()


def open_self_assessment(page, url: str) -> None:
    page.goto(f"{url}/self-assessment")
    page.get_by_text(TITLE).wait_for(timeout=60000)
    page.wait_for_timeout(1000)  # a "Page not found" dialog would be up by now
    assert not page.get_by_text("Page not found").count()
    assert page.url == f"{url}/self-assessment"


def test_links_survive_sign_in_and_an_encrypted_pdf_is_retried_with_a_password(server):
    url, db, ids = server
    doc = ids["lv_2018.pdf"]  # the second in the queue (AO World plc comes first): only the link can choose it
    with browser_page() as page:
        open_self_assessment(page, url)  # staff mode, signed out

        page.goto(f"{url}/review?doc={doc}")
        page.get_by_text("Staff sign-in").wait_for(timeout=60000)
        assert page.url == f"{url}/review?doc={doc}"
        page.get_by_label("Name", exact=True).fill(STAFF)
        page.get_by_label("Password", exact=True).fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.get_by_role("heading", name="Document review").wait_for(timeout=60000)
        page.wait_for_function("() => [...document.querySelectorAll('[data-testid=stSelectbox] input')]"
                               ".some(i => i.value.includes('lv_2018')) || document.querySelector("
                               "'[data-testid=stSelectbox]')?.innerText.includes('lv_2018')", timeout=60000)
        assert page.url == f"{url}/review?doc={doc}"
        assert not page.get_by_text("Page not found").count()
        page.screenshot(path=ARTIFACTS / "links_review_after_sign_in.png")

        open_self_assessment(page, url)  # staff mode, signed in (the session cookie)
        assert page.get_by_text(f"Signed in as {STAFF}").count()

        page.goto(f"{url}/failures")
        field = page.get_by_label("PDF password", exact=True)
        field.wait_for(timeout=60000)
        assert field.get_attribute("type") == "password"
        assert "enter its password" in main_text(page) and "--password" not in main_text(page)
        field.fill("open-sesame")
        page.get_by_role("button", name="Retry with password").click()
        page.get_by_text("Scored: locked statement.pdf is now in the overview.").wait_for(timeout=120000)
        assert page.get_by_label("PDF password", exact=True).count() == 0 or page.get_by_label("PDF password", exact=True).input_value() == ""
        for _ in range(60):  # until the run has finished drawing (Streamlit's "Stop" goes away)
            if not page.get_by_text("Stop", exact=True).count():
                break
            page.wait_for_timeout(500)
        page.screenshot(path=ARTIFACTS / "links_failures_retried.png")
    with Store(db) as store:
        assert store.counts() == {"scored": 3}
    assert b"open-sesame" not in db.read_bytes()


def test_the_public_self_assessment_has_a_stable_address(tmp_path):
    db = tmp_path / "public.db"
    Store(db).close()
    with dashboard(db, DISCLOSURE_CHECK_APP_MODE="public") as url, browser_page() as page:
        open_self_assessment(page, url)
        page.goto(url)  # the root sends the browser to the address it can share
        page.get_by_text(TITLE).wait_for(timeout=60000)
        page.wait_for_url(f"{url}/self-assessment", timeout=30000)
        page.screenshot(path=ARTIFACTS / "links_public_self_assessment.png")
