"""Self-assessment shares: a queue staff decide on; an accepted share stores what a direct save
would; a share never rewrites a batch-scored document; rate limits; `disclosure-check shares`."""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest
from click.testing import CliRunner
from ui import upload

from conftest import SAMPLES
from disclosure_check.cli import main
from disclosure_check.errors import StoreError
from disclosure_check.store.codec import encode
from disclosure_check.store.shares import Shares
from disclosure_check.store.store import Store

DOCS = ("barclays_2019", "lv_2018", "ao_world_2018", "lloyds_banking_group_2018")


@pytest.fixture(scope="module")
def results(scored_sample):
    return {name: scored_sample(name) for name in DOCS}


@pytest.fixture
def db(db_url, monkeypatch):
    monkeypatch.setenv("DISCLOSURE_CHECK_DB", db_url)
    return db_url


def share(store: Store, result, file_name: str = "upload.pdf", source: str = "browser-1") -> int:
    return Shares(store).add({**encode(result), "document": file_name}, file_name=file_name, source=source)


@pytest.mark.slow
def test_a_share_waits_until_accepted_then_stores_what_save_would(db, results, tmp_path):
    lv = results["lv_2018"]
    with Store(db) as store:
        share_id = share(store, lv, "lv_2018.pdf")
        assert store.table_count("documents") == 0 and store.reviewed_results() == []  # invisible to staff pages
        [pending] = Shares(store).all("pending")
        assert (pending["id"], pending["file_name"], pending["batch"]) == (share_id, "lv_2018.pdf", False)
        decided = Shares(store).decide(share_id, "accepted", decided_by="Dana")
        assert (decided["status"], decided["decided_by"], decided["duplicate"]) == ("accepted", "Dana", 0)
        [item] = store.reviewed_results()
        with pytest.raises(StoreError, match="already accepted by Dana"):
            Shares(store).decide(share_id, "rejected", decided_by="Sam")
    with Store(tmp_path / "direct.db") as direct:
        direct.save(lv, origin="self-assessment")
        [expected] = direct.reviewed_results()
        tables = {t: direct.table_count(t) for t in ("element_results", "evidence", "criterion_results", "theme_results")}
    assert item["origin"] == "self-assessment" and item["document"] == "shared/lv_2018.pdf"
    # the name the statement states (LV= is named since round 4 of issue 20), as save() records it too
    assert (item["organisation"], item["year"]) == (expected["organisation"], expected["year"]) == (
        "Liverpool Victoria Friendly Society Limited", 2018)
    for key in ("overall", "criteria", "themes", "elements", "statutory", "gaps"):
        assert item[key] == expected[key], key
    with Store(db) as store:
        assert {t: store.table_count(t) for t in tables} == tables


@pytest.mark.slow
def test_a_share_never_overwrites_a_batch_record(db, results):
    barclays = results["barclays_2019"]
    with Store(db) as store:
        store.save(barclays)
        before = store.conn.execute("SELECT path, file_name, origin FROM documents").fetchone()
        share_id = share(store, barclays, "Barclays 2019 (updated).pdf")
        assert Shares(store).all("pending")[0]["batch"] is True
        assert Shares(store).decide(share_id, "accepted", decided_by="Dana")["duplicate"] == 1
        store.save(barclays, origin="self-assessment")  # a direct save is refused the same way
        after = store.conn.execute("SELECT path, file_name, origin FROM documents").fetchall()
        assert [tuple(r) for r in after] == [tuple(before)]
        assert tuple(before) == (barclays.path, "barclays_2019.pdf", "batch")
        assert store.table_count("results") == 1


@pytest.mark.slow
def test_batch_rescoring_still_updates_the_path(db, results, scorer, tmp_path):
    moved = tmp_path / "archive" / "barclays_2019.pdf"
    moved.parent.mkdir()
    shutil.copy(SAMPLES / "barclays_2019.pdf", moved)
    with Store(db) as store:
        store.save(results["barclays_2019"])
        store.save(scorer.score_file(moved))
        assert store.conn.execute("SELECT path, origin FROM documents").fetchone()[:] == (str(moved), "batch")


def test_rejected_shares_never_reach_staff_data(db, results):
    with Store(db) as store:
        share_id = share(store, results["ao_world_2018"])
        Shares(store).decide(share_id, "rejected", decided_by="Dana")
        assert store.table_count("documents") == 0 and Shares(store).all("pending") == []
        with pytest.raises(StoreError, match="needs the staff member's name"):
            Shares(store).decide(share(store, results["lv_2018"]), "accepted", decided_by=" ")


def test_share_upload_limits_per_visitor_and_per_hour(db, results, monkeypatch):
    first = upload.share_upload(results["barclays_2019"], "b.pdf", "browser-1")
    assert first.shared
    again = upload.share_upload(results["barclays_2019"], "b.pdf", "browser-2")
    assert not again.shared and "already been shared" in again.message
    for name in ("lv_2018", "ao_world_2018"):
        assert upload.share_upload(results[name], f"{name}.pdf", "browser-1").shared
    refused = upload.share_upload(results["lloyds_banking_group_2018"], "l.pdf", "browser-1")
    assert not refused.shared and "3 statements in the last hour" in refused.message
    later = datetime.now(timezone.utc) + timedelta(hours=1, minutes=1)
    assert upload.share_upload(results["lloyds_banking_group_2018"], "l.pdf", "browser-1", now=later).shared
    monkeypatch.setattr(upload, "SHARE_LIMITS", replace(upload.SHARE_LIMITS, per_hour=4))
    with Store(db) as store:
        barclays = next(s for s in Shares(store).all("pending") if s["file_name"] == "b.pdf")
        Shares(store).decide(barclays["id"], "rejected", decided_by="Dana")  # no longer pending: may be shared again
    busy = upload.share_upload(results["barclays_2019"], "b.pdf", "browser-3")
    assert not busy.shared and "a lot of statements" in busy.message
    with Store(db) as store:
        assert store.table_count("shares") == 4


def test_shares_commands(db, results):
    with Store(db) as store:
        store.save(results["barclays_2019"])
        duplicate = share(store, results["barclays_2019"], "=HYPERLINK(x).pdf")
        fresh = share(store, results["lv_2018"], "lv.pdf")
        rejected = share(store, results["ao_world_2018"], "ao.pdf")
    runner = CliRunner()
    listed = runner.invoke(main, ["shares", "list", "--status", "pending", "--db", str(db)])
    assert listed.exit_code == 0 and len(listed.output.splitlines()) == 3
    assert "(duplicate of a batch-scored document)" in listed.output.splitlines()[-1]
    out = runner.invoke(main, ["shares", "accept", str(duplicate), "--by", "Dana", "--db", str(db)]).output
    assert out == f"Share {duplicate} accepted as a duplicate: the batch-scored record is unchanged.\n"
    out = runner.invoke(main, ["shares", "accept", str(fresh), "--by", "Dana", "--db", str(db)]).output
    assert out == f"Share {fresh} accepted.\n"
    assert runner.invoke(main, ["shares", "reject", str(rejected), "--db", str(db)]).exit_code == 0
    again = runner.invoke(main, ["shares", "reject", str(fresh), "--db", str(db)])
    assert again.exit_code == 2 and "already accepted by Dana" in again.output
    with Store(db) as store:
        assert sorted(r["origin"] for r in store.reviewed_results()) == ["batch", "self-assessment"]


def test_contact_details_are_kept_as_one_plain_capped_line(db, results):
    from disclosure_check.store.shares import MAX_CONTACT

    with Store(db) as store:
        first = Shares(store).add({**encode(results["lv_2018"]), "document": "lv.pdf"}, file_name="lv.pdf",
                                  contact="  Priya Shah\n\tModern Slavery Lead \x1b[31m priya@example.org  ")
        second = Shares(store).add({**encode(results["barclays_2019"]), "document": "b.pdf"}, file_name="b.pdf",
                                   contact="x" * 5000)
        third = Shares(store).add({**encode(results["ao_world_2018"]), "document": "ao.pdf"}, file_name="ao.pdf")
        contacts = {s["id"]: s["contact"] for s in Shares(store).all()}
    assert contacts[first] == "Priya Shah Modern Slavery Lead [31m priya@example.org"
    assert contacts[second] == "x" * MAX_CONTACT and contacts[third] == ""
