"""Server-wide upload limits: a few scored at once with a bounded queue (run.slots), and share quotas
that many sessions at once cannot pass together (store.shares.offer)."""

from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta, timezone

import pytest

from disclosure_check.errors import BusyError, CancelledError
from disclosure_check.run.slots import Slots
from disclosure_check.store.shares import ShareLimits, Shares
from disclosure_check.store.store import Store


def test_a_slot_is_waited_for_the_queue_is_bounded_and_a_visitor_who_leaves_leaves_it():
    slots = Slots(1, queue=1)
    order: list[str] = []
    holding, release = threading.Event(), threading.Event()

    def first() -> None:
        with slots.turn():
            order.append("first")
            holding.set()
            release.wait(10)

    def second() -> None:
        with slots.turn():
            order.append("second")

    a = threading.Thread(target=first)
    a.start()
    holding.wait(5)
    b = threading.Thread(target=second)
    b.start()
    for _ in range(40):
        if slots.waiting == 1:
            break
        time.sleep(0.05)
    assert slots.busy and slots.waiting == 1
    with pytest.raises(BusyError) as busy, slots.turn():  # the queue holds one: a third is told to come back
        pass
    assert busy.value.code == "DC112"
    release.set()
    a.join(5)
    b.join(5)
    assert order == ["first", "second"] and slots.running == 0 and slots.waiting == 0
    # a visitor who goes away while waiting gives up their place
    slots = Slots(1, queue=2)
    with slots.turn():
        with pytest.raises(CancelledError), slots.turn(stopped=lambda: True):
            pass
        assert slots.waiting == 0


def _payload(n: int) -> dict:
    return {"doc_id": f"doc-{n}", "document": f"s{n}.pdf", "status": "scored"}


def test_share_limits_per_visitor_everyone_and_bytes(tmp_path):
    since = (datetime.now(timezone.utc) - timedelta(hours=1)).isoformat(timespec="seconds")
    limits = ShareLimits(per_visitor=2, per_hour=4, bytes_per_hour=50_000)
    with Store(tmp_path / "s.db") as store:
        shares = Shares(store)
        offer = lambda n, who, size=1000: shares.offer(_payload(n), file_name=f"s{n}.pdf", source=who,  # noqa: E731
                                                       content=b"%PDF" + bytes(size), limits=limits, since=since)
        assert offer(1, "client:a").share_id is not None
        assert offer(1, "client:b").refused == "pending"  # the same document waits already
        assert offer(2, "client:a").share_id is not None
        assert offer(3, "client:a").refused == "visitor"  # a new browser session changes nothing: same address
        assert offer(4, "client:b", 48_000).refused == "bytes"
        assert offer(5, "client:b").share_id is not None
        assert offer(6, "client:c").share_id is not None
        assert offer(7, "client:d").refused == "everyone"
        assert store.table_count("shares") == 4


def test_simultaneous_offers_cannot_pass_the_limit_together(tmp_path):
    """Twelve sessions share at the same moment, each with its own connection: exactly the limit is stored."""
    db = tmp_path / "race.db"
    since = (datetime.now(timezone.utc) - timedelta(hours=1)).isoformat(timespec="seconds")
    limits = ShareLimits(per_visitor=100, per_hour=5, bytes_per_hour=10**9)
    with Store(db):
        pass
    start = threading.Barrier(12)
    outcomes: list[object] = []

    def share(n: int) -> None:
        with Store(db) as store:
            start.wait(10)
            outcomes.append(Shares(store).offer(_payload(n), file_name="s.pdf", source=f"client:{n}", content=b"%PDF",
                                                limits=limits, since=since))

    threads = [threading.Thread(target=share, args=(n,)) for n in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sum(1 for o in outcomes if o.share_id is not None) == 5 and len(outcomes) == 12
    with Store(db) as store:
        assert store.table_count("shares") == 5
