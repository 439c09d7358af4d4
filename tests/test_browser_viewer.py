"""The document viewer in a real browser (headless Chromium) on Lloyds' seven-page statement: opened by
its link with every finding's sentences marked and numbered, find-in-document listing a hit and
jumping to its page, "Open at this sentence" from a review quote landing on that sentence's page,
and a re-pointed sentence (the reporting entity the machine missed) recorded as a decision that the review page shows as added by a reviewer.
Screenshots: tests/_artifacts/viewer_*.png."""

from __future__ import annotations

import re
import time
from urllib.parse import parse_qs, urlparse

import pytest

from browser_support import (
    ARTIFACTS,
    PASSWORD,
    STAFF,
    browser_page,
    dashboard,
    needs_chromium,
    open_tab,
    sign_in,
)
from disclosure_check.store.accounts import add_account
from disclosure_check.store.store import Store

pytestmark = [needs_chromium, pytest.mark.slow]  # `make test` runs browser tests, `make check` does not


@pytest.fixture
def server(tmp_path, scored_sample):
    db = tmp_path / "viewer.db"
    result = scored_sample("lloyds_banking_group_2018")
    with Store(db) as store:
        store.save(result)
        add_account(store, STAFF, PASSWORD)
    with dashboard(db) as url:
        yield url, db, result


def query(page) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlparse(page.url).query).items()}


def wait_for_url(browser, **wanted: str) -> dict[str, str]:
    for _ in range(60):
        if all(query(browser).get(k) == v for k, v in wanted.items()):
            return query(browser)
        browser.wait_for_timeout(500)
    pytest.fail(f"the address never named {wanted}: {browser.url}")


def shown_page(browser, number) -> None:
    """Wait until the viewer shows page ``number`` (its image's caption)."""
    browser.get_by_text(re.compile(rf"^Page {number} of \d+")).filter(visible=True).first.wait_for(timeout=60000)


def shown_heading(page, pattern: str):
    heading = page.get_by_role("heading", name=re.compile(pattern)).filter(visible=True).first
    heading.wait_for(timeout=60000)
    return heading


def test_viewer_marks_finds_opens_from_review_and_records_a_repointed_sentence(server):
    url, db, result = server
    doc = result.doc_id
    with browser_page(1440, 1500) as page:
        sign_in(page, url)

        # Opened by its link: page 1 with every finding's sentences boxed, numbered and listed.
        page.goto(f"{url}/viewer?doc={doc}")
        shown_page(page, 1)
        page.locator("[data-testid=stImage] img").first.wait_for(timeout=60000)
        page.get_by_text("Approved by the board (principal governing body) (statutory check)").first.wait_for(
            timeout=30000)
        page.wait_for_timeout(1500)
        page.screenshot(path=ARTIFACTS / "viewer_marks.png")
        page.get_by_role("button", name="Next ▶").click()
        shown_page(page, 2)
        wait_for_url(page, page="2")

        # Find in document: every hit with its page; a click opens that page with the sentence boxed.
        page.get_by_role("tab", name="Find in document").click()
        box = page.get_by_placeholder("words, e.g.")
        box.fill("supplier*")
        box.press("Enter")
        summary = page.get_by_text(re.compile(r"^\d+ sentence\(s\) contain")).filter(visible=True).first
        summary.wait_for(timeout=30000)
        hits = page.get_by_role("button", name=re.compile(r"^p\. \d+ — ")).filter(visible=True)
        pages = [int(re.match(r"p\. (\d+)", h).group(1)) for h in hits.all_inner_texts()]
        assert len(pages) > 3 and len(set(pages)) > 2, pages  # every hit, on several pages, each with its page
        assert summary.inner_text().startswith(f"{len(pages)} sentence(s)")
        target = next(p for p in pages if p != 2)
        hits.nth(pages.index(target)).click()
        shown_page(page, target)
        found = wait_for_url(page, page=str(target), q="supplier*")
        page.get_by_text(re.compile(rf"sentence {found['sentence']} boxed in grey")).wait_for(timeout=30000)
        page.wait_for_timeout(1500)
        page.screenshot(path=ARTIFACTS / "viewer_find.png")

        # "Open at this sentence" from a review quote lands on that sentence's page.
        remediation = next(e for e in result.elements if e.element == "remediation")
        quote = remediation.evidence[0]
        page.goto(f"{url}/review?doc={doc}")
        page.get_by_text("Statutory verdict").wait_for(timeout=60000)
        open_tab(page, "Disclosure elements", page.get_by_text(re.compile(r"^✓ Remediation"))).click()
        shown_heading(page, "^Remediation.*: present")
        page.get_by_role("link", name=re.compile("Open at this sentence")).filter(visible=True).first.click()
        shown_page(page, quote.page)
        wait_for_url(page, page=str(quote.page), sentence=str(quote.sentence_index), finding="element:remediation")
        page.get_by_text(re.compile(rf"sentence {quote.sentence_index} boxed in grey")).wait_for(timeout=30000)

        # Re-point: the machine found no reporting entity; "It is made ... and applies to Lloyds Banking
        # Group plc, its subsidiaries ..." names it. Found, then added from the viewer.
        page.goto(f"{url}/viewer?doc={doc}&page=1&q=applies to Lloyds Banking Group&finding=element:reporting_entity")
        shown_page(page, 1)
        entity = wait_for_url(page, page="1")["sentence"]
        page.get_by_role("tab", name="Re-point evidence").click()
        page.get_by_role("button", name="Add as evidence of Reporting entity identified").wait_for(timeout=30000)
        page.get_by_placeholder("Comment (optional").fill("Names the entity and the subsidiaries it covers")
        page.get_by_role("button", name=re.compile("^Add as evidence of ")).click()
        for _ in range(60):
            with Store(db) as store:
                decisions = store.decisions(doc)
            if decisions:
                break
            time.sleep(0.5)
        [decision] = decisions
        assert decision.target.startswith(f"evidence:reporting_entity:{entity}:")
        assert (decision.decision, decision.reviewer) == ("confirm", STAFF)
        page.get_by_text(re.compile("^Recorded: sentence")).wait_for(timeout=30000)
        page.get_by_role("tab", name="Marked sentences").click()
        page.get_by_text("(added by a reviewer)").first.wait_for(timeout=30000)
        page.wait_for_timeout(1500)
        page.screenshot(path=ARTIFACTS / "viewer_repointed.png")

        # The review page shows it, marked as added by a reviewer.
        page.goto(f"{url}/review?doc={doc}")
        page.get_by_text("Statutory verdict").wait_for(timeout=60000)
        open_tab(page, "Disclosure elements", page.get_by_text(re.compile(r"^✓ Reporting entity"))).click()
        shown_heading(page, "^Reporting entity identified: present")
        page.get_by_text("added by a reviewer").filter(visible=True).first.wait_for(timeout=30000)
        page.wait_for_timeout(1500)
        page.screenshot(path=ARTIFACTS / "viewer_added_on_review.png")
