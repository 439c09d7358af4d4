"""Second review in a real browser (headless Chromium): a first reviewer's decision is on record; staff
assign the document to a second staff account for a blind second review; that reviewer signs in,
opens it from My queue, sees no trace of the first decision, disagrees on one criterion and submits;
the Disagreements page shows both views and the disagreement is resolved; the overview and the
export then show the levels (verified for it, reviewed or machine for the rest). Screenshots:
tests/_artifacts/verify_*.png (copied to docs/screenshots/ as JPEG)."""

from __future__ import annotations

import json
import re
import time

import pytest
from click.testing import CliRunner

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
from disclosure_check.assess.decisions import make_decision
from disclosure_check.assess.verification import submission
from disclosure_check.cli import main
from disclosure_check.store.accounts import add_account
from disclosure_check.store.store import Store

pytestmark = [needs_chromium, pytest.mark.slow]  # `make test` runs browser tests, `make check` does not
SECOND = "Bob Second"
FIRST_COMMENT = "Dana reads a published policy with an owner here"


@pytest.fixture
def server(tmp_path, scored_sample):
    db = tmp_path / "verify.db"
    results = {name: scored_sample(name)
               for name in ("lv_2018", "lloyds_banking_group_2018", "barclays_2019")}
    lv, lloyds, barclays = (results[n].doc_id for n in ("lv_2018", "lloyds_banking_group_2018", "barclays_2019"))
    c = next(x for x in results["lv_2018"].maturity.criteria if x.applies and x.level < 3)
    # Barclays was reviewed twice already, both reviewers agreeing; Lloyds once.
    twice = [make_decision(barclays, f"criterion:{code}", "set_level", reviewer=who, level=3, role=role)
             for who, role in ((STAFF, "first"), (SECOND, "second")) for code in ("C02", "C03", "C04", "C05", "C06")]
    with Store(db) as store:
        for result in results.values():
            store.save(result)
        add_account(store, STAFF, PASSWORD)
        add_account(store, SECOND, PASSWORD)
        store.add_decisions([make_decision(lv, f"criterion:{c.id}", "set_level", reviewer=STAFF,
                                           level=c.level + 1, comment=FIRST_COMMENT),
                             submission(lv, STAFF), *twice, submission(barclays, STAFF),
                             submission(barclays, SECOND, "second"),
                             make_decision(lloyds, "gate:board_approval", "confirm", reviewer=STAFF)])
    with dashboard(db) as url:
        yield url, db, results["lv_2018"], c, lloyds


def wait_for(db, test, what: str):
    for _ in range(60):
        with Store(db) as store:
            found = store.decisions()
        if test(found):
            return found
        time.sleep(0.5)
    pytest.fail(f"expected {what}")


def test_assignment_blind_second_review_disagreement_and_resolution(server, tmp_path):
    url, db, lv, c, lloyds = server
    with browser_page(1400, 1000) as page:
        # Dana assigns the statement to Bob for a blind second review.
        sign_in(page, url)
        page.goto(f"{url}/queue")
        page.get_by_text("Assign documents").wait_for(timeout=60000)
        page.get_by_text("blind second review", exact=True).click()
        page.get_by_label("Reviewer").click()
        page.get_by_role("option", name=SECOND).click()
        page.locator("[data-testid=stMultiSelect]").first.click()
        page.get_by_role("option", name=re.compile("lv_2018")).first.click()  # chosen by hand
        page.keyboard.press("Escape")
        page.get_by_role("button", name=re.compile(r"Assign 1 document")).click()
        page.get_by_text(f"Assigned 1 document(s) to {SECOND} for a blind second review").wait_for(timeout=30000)
        page.locator("[data-testid=stDataFrame] canvas").first.wait_for(timeout=30000)
        page.wait_for_timeout(1500)
        page.screenshot(path=ARTIFACTS / "verify_assign.png", full_page=True)

    with browser_page(1400, 1000) as page:
        # Bob opens it from his queue: the machine's level, no trace of Dana's decision.
        sign_in(page, url, name=SECOND)
        page.goto(f"{url}/queue")
        page.get_by_text(f"Assigned to {SECOND}: 1 open, 0 done").wait_for(timeout=60000)
        page.locator("[data-testid=stDataFrame] canvas").first.wait_for(timeout=30000)
        page.wait_for_timeout(1500)
        page.screenshot(path=ARTIFACTS / "verify_queue.png", full_page=True)
        page.locator("[data-testid=stBaseButton-primary]", has_text=re.compile("^Open$")).click()
        page.get_by_text("Blind second review.").wait_for(timeout=60000)
        page.get_by_text("0 decision(s) so far").first.wait_for(timeout=30000)
        heading = page.get_by_role("heading", name=re.compile(rf"^{c.id} "))
        open_tab(page, "Criteria and themes", page.get_by_text(re.compile(rf"^{c.id} .*: "))).click()
        heading.filter(visible=True).first.wait_for(timeout=30000)
        page.wait_for_timeout(1000)
        assert page.get_by_text(FIRST_COMMENT).count() == 0 and page.get_by_text(STAFF).count() == 0
        assert page.get_by_text("Audit trail (0)").count() == 1
        page.screenshot(path=ARTIFACTS / "verify_blind_review.png")
        # He confirms the machine's level (Dana raised it): a disagreement; then submits.
        page.get_by_role("button", name=re.compile(r"^Confirm ")).filter(visible=True).first.click()
        wait_for(db, lambda ds: any(d.reviewer == SECOND and d.role == "second" for d in ds), "Bob's decision")
        page.get_by_role("button", name="Submit second review").click()
        wait_for(db, lambda ds: any(d.reviewer == SECOND and d.target_id == "review_submitted" for d in ds),
                 "Bob's submission")
        page.get_by_text(FIRST_COMMENT).first.wait_for(timeout=30000)  # submitted: the first decision shows

    with browser_page(1400, 1000) as page:
        # Dana resolves it on Disagreements, taking Bob's level.
        sign_in(page, url)
        page.get_by_text("disputed (waiting for a decision): 1").wait_for(timeout=30000)
        page.goto(f"{url}/disagreements")
        page.get_by_text("1 disputed finding(s) in 1 document(s)").wait_for(timeout=60000)
        page.get_by_text(re.compile(rf"by {SECOND}")).first.wait_for(timeout=30000)
        page.wait_for_timeout(800)
        page.screenshot(path=ARTIFACTS / "verify_disagreements.png", full_page=True)
        page.get_by_role("button", name=re.compile("^Take: ")).click()
        page.get_by_text("No disagreement is waiting").wait_for(timeout=60000)
        found = wait_for(db, lambda ds: any(d.role == "resolution" for d in ds), "the resolution")
        resolution = next(d for d in found if d.role == "resolution")
        assert (resolution.reviewer, resolution.target, resolution.level) == (STAFF, f"criterion:{c.id}", c.level)
        page.goto(f"{url}/agreement")
        page.get_by_text("2 document(s)").first.wait_for(timeout=60000)
        page.locator("[data-testid=stVegaLiteChart]").first.wait_for(timeout=30000)
        page.wait_for_timeout(1500)
        page.screenshot(path=ARTIFACTS / "verify_agreement.png", full_page=True)
        page.goto(url)
        page.get_by_text(re.compile(r"reviewed \(one reviewer\): 1 · verified \(a second reviewer agreed\): 2 · "
                                    r"disputed \(waiting for a decision\): 0")).wait_for(timeout=60000)
        page.locator("[data-testid=stDataFrame] canvas").first.wait_for(timeout=30000)
        page.wait_for_timeout(1500)
        page.screenshot(path=ARTIFACTS / "verify_overview.png")

    out = tmp_path / "export.json"
    assert CliRunner().invoke(main, ["export", "--db", str(db), "--out", str(out)]).exit_code == 0
    items = {i["doc_id"]: i for i in json.loads(out.read_text())}
    assert items[lv.doc_id]["verification"]["level"] == "verified"
    assert items[lloyds]["verification"]["level"] == "reviewed"
    check = next(x for x in items[lloyds]["statutory"]["checks"] if x["id"] == "board_approval")
    assert check["verification"] == {"level": "reviewed", "reviewers": [STAFF], "decisions": 1,
                                     "last_decided_at": check["verification"]["last_decided_at"]}
    criterion = next(x for x in items[lv.doc_id]["criteria"] if x["id"] == c.id)
    assert criterion["level"] == c.level and criterion["verification"]["level"] == "verified"
    assert criterion["verification"]["reviewers"] == [STAFF, SECOND]
