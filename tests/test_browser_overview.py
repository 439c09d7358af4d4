"""Overview, sector benchmarks, keyword search, failures and Compare in headless Chromium on the
bundled samples; a table row opens its review. Screenshots: tests/_artifacts/overview*.png,
search.png, failures.png, compare.png."""

from __future__ import annotations

import pytest

from browser_support import ARTIFACTS, PASSWORD, STAFF, browser_page, dashboard, needs_chromium, sign_in
from conftest import PDF_SAMPLES
from disclosure_check.store.accounts import add_account
from disclosure_check.store.store import Store

pytestmark = [needs_chromium, pytest.mark.slow]  # `make test` runs browser tests, `make check` does not
DOCS = ("lloyds_banking_group_2018", "barclays_2019", "cooperative_bank_2018", "lv_2018", "ao_world_2018",
        "munich_re_2018", "bluebay_asset_management_2019", "coventry_building_society_2018")


@pytest.fixture
def server(scored_sample, tmp_path, scorer):
    db = tmp_path / "overview.db"
    with Store(db) as store:
        for name in DOCS:
            result = scored_sample(name)
            store.save(result, text=result.text)
        store.save(scorer.score_file(PDF_SAMPLES / "007-imagemagick-images_imagemagick-images.pdf"))
        add_account(store, STAFF, PASSWORD)
        # the Co-operative Bank's name is a suggestion only (below the ranker's threshold); a reviewer
        # names it, so Barclays has a named peer on Compare
        coop = scored_sample("cooperative_bank_2018").doc_id
        store.add_review(coop, "document", "organisation", "set_value", reviewer=STAFF, value="Co-operative Bank plc")
    with dashboard(db) as url:
        yield url


def test_overview_search_failures_and_compare_in_a_browser(server):
    url = server
    with browser_page(width=1400, height=1100) as page:
        sign_in(page, url)
        page.get_by_text("Statutory failures").first.wait_for(timeout=30000)
        page.wait_for_timeout(1500)  # the charts draw after the page settles
        page.screenshot(path=ARTIFACTS / "overview.png", full_page=True)

        page.get_by_role("radio", name="Sector benchmarks").or_(page.get_by_text("Sector benchmarks")).first.click()
        page.get_by_text("Median theme level by sub-sector").wait_for(timeout=30000)
        page.wait_for_timeout(2000)
        page.screenshot(path=ARTIFACTS / "overview_sectors.png", full_page=True)
        page.get_by_text("Criteria", exact=True).first.click()
        page.get_by_text("Level reached on each criterion").wait_for(timeout=30000)
        page.wait_for_timeout(2000)
        page.screenshot(path=ARTIFACTS / "overview_criteria.png", full_page=True)

        page.goto(f"{url}/search")
        page.get_by_label("Mentions", exact=True).first.fill('traffick* "forced labour"')
        page.keyboard.press("Enter")
        page.get_by_text("Mention them").wait_for(timeout=30000)
        page.get_by_label("Does not mention").fill("audit")
        page.keyboard.press("Enter")
        page.get_by_text("Where the first statements mention the terms").wait_for(timeout=30000)
        page.wait_for_timeout(2500)
        page.screenshot(path=ARTIFACTS / "search.png", full_page=True)
        # every hit links to the document viewer at its page, the term to find there
        link = page.locator("a[href*='viewer?doc=']").first
        href = link.get_attribute("href")
        assert "&page=" in href and "&q=traffick%2A" in href and link.inner_text().startswith("page ")
        page.get_by_role("button", name="Open review").first.click()
        page.get_by_role("heading", name="Document review").wait_for(timeout=60000)

        page.goto(f"{url}/failures")
        page.get_by_role("button", name="Retry").wait_for(timeout=30000)
        page.wait_for_timeout(1000)
        page.screenshot(path=ARTIFACTS / "failures.png", full_page=True)

        page.goto(f"{url}/compare")
        page.get_by_text("Across years").wait_for(timeout=60000)
        box = page.get_by_role("combobox").first
        box.click()
        box.fill("Barclays")
        page.get_by_role("option", name="Barclays plc").click()
        page.get_by_text("peer firm(s)").wait_for(timeout=30000)
        page.wait_for_timeout(2000)
        page.screenshot(path=ARTIFACTS / "compare.png", full_page=True)

        # A row of the overview's table opens that document's review (the grid is a canvas: click
        # the first row's selection cell).
        page.goto(url)
        grid = page.locator("[data-testid=stDataFrame]").first
        grid.wait_for(timeout=60000)
        page.wait_for_timeout(1500)
        box = grid.bounding_box()
        page.mouse.click(box["x"] + 18, box["y"] + 35 + 17)
        page.get_by_role("heading", name="Document review").wait_for(timeout=60000)
        page.screenshot(path=ARTIFACTS / "overview_click_through.png")
