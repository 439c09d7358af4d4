"""The public self-assessment and methodology pages in headless Chromium: a statement without a
director's signature gets the fix first, gaps page through, an insurer's advice is its own, and the
methodology page reads the rubric. Screenshots: tests/_artifacts/self_assessment_*.png, methodology*.png."""

from __future__ import annotations

import re

import pytest

from browser_support import ARTIFACTS, browser_page, dashboard, needs_chromium
from conftest import SAMPLES
from disclosure_check.store.store import Store

pytestmark = [needs_chromium, pytest.mark.slow]  # `make test` runs browser tests, `make check` does not


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "public.db"
    Store(path).close()
    return path


def upload(page, url: str, name: str) -> None:
    page.goto(url)  # in public mode the self-assessment is the app's main page
    page.get_by_text("Check your modern slavery statement").wait_for(timeout=60000)
    page.locator("input[type=file]").set_input_files(str(SAMPLES / name))
    page.get_by_text("Download report (PDF)").wait_for(timeout=120000)


def main_text(page) -> str:
    return page.locator("[data-testid=stMain]").inner_text()


def test_self_assessment_and_methodology_in_a_browser(db):
    with dashboard(db, DISCLOSURE_CHECK_APP_MODE="public") as url, browser_page(height=1600) as page:
        upload(page, url, "visa_2016.pdf")
        text = main_text(page)
        assert text.index("1. What the law asks") < text.index("2. Where you stand") < text.index("3. What to improve")
        assert "What to fix: Have a director sign the statement, with name, title and date." in text
        total = int(re.search(r"Showing 1–8 of (\d+) gaps", text).group(1))
        assert total > 8 and "--password" not in text
        page.screenshot(path=ARTIFACTS / "self_assessment_gate.png", full_page=True)

        page.get_by_role("button", name="More gaps").click()
        page.get_by_text(f"Showing 9–{min(16, total)} of {total} gaps").wait_for(timeout=30000)
        page.locator("[data-testid=stExpander] summary").first.click()
        page.get_by_text("What to do:").first.wait_for(timeout=30000)
        page.get_by_text("3. What to improve").scroll_into_view_if_needed()
        page.wait_for_timeout(1000)  # the expander's opening animation
        page.screenshot(path=ARTIFACTS / "self_assessment_gaps.png")
        page.locator("[data-testid=stExpander] summary", has_text="C18 Targeted training: 3 Established").click()
        quote = page.locator("text=/— page \\d+/ >> visible=true").first
        quote.wait_for(timeout=30000)
        page.mouse.wheel(0, 700)  # the opened criterion and its quotes, below the gaps
        page.wait_for_timeout(1000)
        assert "This level means: Role-specific training" in main_text(page)
        page.screenshot(path=ARTIFACTS / "self_assessment_quotes.png")

        upload(page, url, "lv_2018.pdf")
        for _ in range(60):  # until the rerun for the new file has replaced the old gaps
            if "An insurer" in main_text(page):
                break
            page.wait_for_timeout(500)
        while True:
            summary = page.locator("[data-testid=stExpander] summary", has_text="C17 Survivor financial inclusion")
            if summary.count():
                break
            page.get_by_role("button", name="More gaps").click()
            page.wait_for_timeout(1500)
        summary.first.click()
        advice = page.get_by_text("claims and customer-service staff")
        advice.wait_for(timeout=30000)
        advice.scroll_into_view_if_needed()
        page.wait_for_timeout(1000)
        assert "access to bank accounts" not in main_text(page)
        page.screenshot(path=ARTIFACTS / "self_assessment_insurer.png")

        page.goto(f"{url}/methodology")
        page.get_by_text("How statements are scored").wait_for(timeout=60000)
        page.get_by_text("Leading").first.wait_for(timeout=30000)
        page.screenshot(path=ARTIFACTS / "methodology.png", full_page=True)
        page.get_by_role("tab", name="Statutory requirements").click()
        page.get_by_text("s.16(2): signed by a responsible member of the entity").wait_for(timeout=30000)
        page.screenshot(path=ARTIFACTS / "methodology_statutory.png", full_page=True)
        page.get_by_role("tab", name="Themes and criteria").click()
        page.get_by_text("C17 Survivor financial inclusion").first.wait_for(timeout=30000)
        page.get_by_text("C17 Survivor financial inclusion").first.scroll_into_view_if_needed()
        page.screenshot(path=ARTIFACTS / "methodology_criteria.png")
