"""Keyword search in headless Chromium on real statement texts: a wildcard and a phrase, every hit
with its page and a link to the document viewer at that page. Screenshot: tests/_artifacts/search_hits.png
(docs/screenshots/search.jpg)."""

from __future__ import annotations

import pytest

from browser_support import ARTIFACTS, PASSWORD, STAFF, browser_page, dashboard, needs_chromium, sign_in
from disclosure_check.store.accounts import add_account
from disclosure_check.store.store import Store

pytestmark = [needs_chromium, pytest.mark.slow]  # `make test` runs browser tests, `make check` does not
DOCS = ("lloyds_banking_group_2018", "barclays_2019", "cooperative_bank_2018", "munich_re_2018", "visa_2016")


@pytest.fixture
def server(tmp_path, scored_sample):
    """The samples scored and stored as a batch stores them: the text with where each page starts."""
    db = tmp_path / "search.db"
    with Store(db) as store:
        for name in DOCS:
            result = scored_sample(name)
            assert result.text_pages[0] == (0, 1) and result.text_pages[-1][1] == result.pages
            store.save(result)
        add_account(store, STAFF, PASSWORD)
    with dashboard(db) as url:
        yield url


def test_search_hits_open_the_viewer_at_their_page(server):
    with browser_page(width=1400, height=1500) as page:
        sign_in(page, server)
        page.goto(f"{server}/search")
        page.get_by_label("Mentions", exact=True).first.fill('traffick* "forced labour"')
        page.keyboard.press("Enter")
        page.get_by_text("Where the first statements mention the terms").wait_for(timeout=60000)
        page.wait_for_timeout(2000)
        links = page.locator("a[href*='viewer?doc=']")
        assert links.count() >= 3
        href = links.first.get_attribute("href")
        assert "&page=" in href and href.endswith(("&q=traffick%2A", "&q=forced+labour"))
        assert links.first.inner_text().startswith("page ")
        page.get_by_text("more hits").first.click()
        page.wait_for_timeout(1000)
        page.screenshot(path=ARTIFACTS / "search_hits.png", full_page=True)
