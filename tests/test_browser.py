"""End to end in a real browser: the dashboard served by Streamlit, driven in headless Chromium
(Debian's package, installed by `make browser`) through sign-in (surviving a reload, then signing
out), a review decision, a self-assessment upload and share, and the shared-statements queue; the
Deploy button and developer menu are absent. Screenshots go to tests/_artifacts/. Runs in CI;
skipped locally when Chromium is absent."""

from __future__ import annotations

import json
import re
import time

import pytest

from browser_support import (
    ARTIFACTS,
    CHROMIUM,
    PASSWORD,
    STAFF,
    choose_document,
    dashboard,
    needs_chromium,
    open_tab,
)
from conftest import ROOT, SAMPLES
from disclosure_check.store.accounts import add_account
from disclosure_check.store.shares import Shares
from disclosure_check.store.store import Store

PAYLOAD = ("![tracker](https://evil.example/p.png) [Re-enter your staff password](https://evil.example/login) "
           "<img src=https://evil.example/x.png> or sign in at https://evil.example/sso, www.evil.example, it@evil.example")
LAYOUTS = ROOT / "tests" / "fixtures" / "layouts"
pytestmark = [needs_chromium, pytest.mark.slow]  # `make test` runs browser tests, `make check` does not


@pytest.fixture
def server(scored_sample, tmp_path, scorer):
    db = tmp_path / "e2e.db"
    with Store(db) as store:
        for name in ("lloyds_banking_group_2018", "lv_2018"):
            store.save(scored_sample(name))
        store.save(scorer.score_file(LAYOUTS / "scanned_page.pdf"))  # a scan: read by OCR
        add_account(store, STAFF, PASSWORD)
        # A hostile PDF's text, as a flag on Lloyds' C13: it must show as text, not as a link or image.
        row = store.conn.execute("SELECT r.id, r.result_json FROM results r JOIN documents d USING (doc_id) "
                                 "WHERE d.file_name='lloyds_banking_group_2018.pdf'").fetchone()
        item = json.loads(row["result_json"])
        next(c for c in item["criteria"] if c["id"] == "C13")["flags"] = [PAYLOAD]
        store.conn.execute("UPDATE results SET result_json=? WHERE id=?", (json.dumps(item), row["id"]))
        store.conn.commit()
    with dashboard(db) as url:
        yield url, db


def test_review_and_upload_in_a_real_browser(server):
    from playwright.sync_api import sync_playwright

    url, db = server
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(url)
        page.get_by_text("Staff sign-in").wait_for(timeout=60000)
        page.get_by_label("Name", exact=True).fill(STAFF)
        page.get_by_label("Password", exact=True).fill("wrong password")
        page.get_by_role("button", name="Sign in").click()
        page.get_by_text("Wrong name or password.").wait_for(timeout=30000)
        page.get_by_label("Password", exact=True).fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.get_by_text("Theme levels by organisation").wait_for(timeout=60000)
        cookie = next(c for c in page.context.cookies() if c["name"] == "disclosure_check_session")
        assert cookie["sameSite"] == "Strict" and cookie["expires"] > time.time() + 11 * 3600
        page.reload()  # a new websocket session: the cookie signs it in
        page.get_by_text("Theme levels by organisation").wait_for(timeout=60000)
        page.get_by_text(f"Signed in as {STAFF}").wait_for(timeout=30000)
        # No Deploy button, no developer items in the menu, and "c" opens no clear-cache dialog.
        assert page.locator("[data-testid=stAppDeployButton]").count() == 0
        page.keyboard.press("c")
        page.wait_for_timeout(500)
        assert page.get_by_text("Clear caches").count() == 0
        menu = page.locator("[data-testid=stMainMenu]")
        if menu.count():
            menu.click()
            page.wait_for_timeout(500)
            assert page.get_by_text("Clear cache", exact=True).count() == 0 and page.get_by_text("Rerun", exact=True).count() == 0
            page.keyboard.press("Escape")
        page.screenshot(path=ARTIFACTS / "overview.png", full_page=True)

        page.goto(f"{url}/review")
        page.get_by_text("Disclosure elements").first.wait_for(timeout=60000)
        choose_document(page, "lloyds_banking_group_2018.pdf")
        page.get_by_text("7 pages").first.wait_for(timeout=30000)  # Lloyds: seven pages
        open_tab(page, "Disclosure elements", page.get_by_text("Consultation with owned or controlled entities")).click()
        page.get_by_role("heading", name=re.compile("Consultation with owned or controlled entities")).wait_for(
            timeout=30000)
        page.get_by_role("button", name="Reject: absent").click()
        for _ in range(60):
            with Store(db) as store:
                if store.decisions():
                    break
            time.sleep(0.5)
        # The statutory gate: the chosen check's quote beside its page, the sentence boxed, no click needed.
        open_tab(page, "Statutory gate", page.get_by_role("heading", name=re.compile("Approved by the board")))
        image = page.locator("[data-testid=stImage] img").first
        image.wait_for(timeout=60000)
        image.scroll_into_view_if_needed()
        page.wait_for_timeout(1000)
        image.screenshot(path=ARTIFACTS / "review_page_highlight.png")
        open_tab(page, "Criteria and themes", page.get_by_text(re.compile("^C13 Intelligence sharing"))).click(
            timeout=90000)  # a loaded machine
        page.wait_for_timeout(1500)
        flag = page.locator("[data-testid=stAlert]", has_text="Re-enter your staff password").first
        flag.wait_for(timeout=30000)
        assert "![tracker](https://evil.example/p.png)" in flag.inner_text().replace("\u200b", "")
        assert page.locator("a[href*='evil.example'], img[src*='evil.example']").count() == 0
        flag.screenshot(path=ARTIFACTS / "review_escaped_flag.png")
        page.screenshot(path=ARTIFACTS / "review.png", full_page=True)
        with Store(db) as store:
            [decision] = store.decisions()
        assert decision.reviewer == STAFF and decision.decision == "reject"  # from the sign-in

        # The scanned statement: its page was read by OCR, and its evidence says so.
        choose_document(page, "scanned_page.pdf")
        page.get_by_text("were read by OCR").wait_for(timeout=60000)
        open_tab(page, "Disclosure elements", page.get_by_text("Structure described")).click()
        page.locator("text=the words were read from its image >> visible=true").first.wait_for(timeout=30000)
        ocr_image = page.locator("[data-testid=stImage] img").first
        ocr_image.wait_for(timeout=60000)
        ocr_image.scroll_into_view_if_needed()
        page.wait_for_timeout(1000)
        page.screenshot(path=ARTIFACTS / "review_ocr.png", full_page=True)
        with Store(db) as store:
            assert store.table_count("documents") == 3

        page.goto(f"{url}/self-assessment")
        page.get_by_text("Check your modern slavery statement").wait_for(timeout=60000)
        page.locator("input[type=file]").set_input_files(str(SAMPLES / "bluebay_asset_management_2019.pdf"))
        page.get_by_text("What to improve").wait_for(timeout=120000)
        page.get_by_text("Download report (PDF)").wait_for(timeout=60000)
        page.screenshot(path=ARTIFACTS / "self_assessment.png", full_page=True)
        page.get_by_text("Share this statement with").click()
        page.get_by_text("a copy of the PDF you uploaded and these results").wait_for(timeout=30000)
        page.get_by_label("Contact details (optional)", exact=True).fill("Sam Okafor, Head of Sustainability, sam@example.org")
        page.get_by_role("button", name="Share", exact=True).click()
        page.get_by_text("Shared. The Commissioner's office will review it.").wait_for(timeout=30000)

        page.goto(f"{url}/shares")
        page.get_by_text("Waiting (1)").wait_for(timeout=60000)
        page.get_by_text("Contact: Sam Okafor, Head of Sustainability, sam@example.org").wait_for(timeout=30000)
        page.get_by_text("Page 1").wait_for(timeout=30000)  # the preview's caption
        page.screenshot(path=ARTIFACTS / "shares.png", full_page=True)
        page.get_by_role("button", name="Accept").click()
        page.get_by_text("Waiting (0)").wait_for(timeout=60000)

        page.goto(f"{url}/compare")
        page.get_by_text("Across years").wait_for(timeout=60000)
        page.screenshot(path=ARTIFACTS / "compare.png", full_page=True)

        page.get_by_role("button", name="Sign out").click()
        page.get_by_text("Staff sign-in").wait_for(timeout=30000)
        page.reload()  # the session ended on the server and the cookie is gone: still signed out
        page.get_by_text("Staff sign-in").wait_for(timeout=60000)
        assert not [c for c in page.context.cookies() if c["name"] == "disclosure_check_session"]
        page.screenshot(path=ARTIFACTS / "sign_in.png", full_page=True)
        browser.close()
    with Store(db) as store:
        assert store.table_count("documents") == 4  # the upload, once staff accepted its share
        assert [(s["status"], s["decided_by"]) for s in Shares(store).all()] == [("accepted", STAFF)]
        assert store.table_count("sessions") == 0
