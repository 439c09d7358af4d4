"""Self-assessment shares: results a business chose to share, waiting for staff to accept them
before they join the results every staff page reads."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import datetime, timezone

from disclosure_check.errors import StoreError
from disclosure_check.sanitize import clean_line
from disclosure_check.store.codec import decode
from disclosure_check.store.database import Connection
from disclosure_check.store.store import Store

STATUSES = ("pending", "accepted", "rejected")
MAX_CONTACT = 300  # characters of contact details kept with a share (a name, a role, an email or phone)


def clean_contact(text: str | None) -> str:
    """Contact details as one plain line, at most MAX_CONTACT characters (control characters,
    line breaks and runs of spaces removed): staff read them, nothing acts on them."""
    return clean_line(text or "")[:MAX_CONTACT].strip()


@dataclass(frozen=True)
class ShareLimits:
    """How much the public may share in an hour: per visitor (``source``: their address's digest),
    from everyone, and in stored bytes (the PDFs and their results) from everyone."""

    per_visitor: int = 3
    per_hour: int = 30
    bytes_per_hour: int = 100 * 2**20


@dataclass(frozen=True)
class Offer:
    """What became of a share offered within limits: its id, or why it was refused ("pending": the
    same document waits already; "visitor", "everyone" or "bytes": that limit is reached)."""

    share_id: int | None = None
    refused: str | None = None


class Shares:
    """The queue of shares in a store."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def add(self, payload: dict, *, file_name: str, source: str = "", content: bytes | None = None,
            contact: str = "") -> int:
        """Queue one shared self-assessment (its result dict, and the PDF's bytes so staff see its
        pages, and optional contact details) for staff; returns the share id."""
        with self.store.transaction() as conn:
            return _insert(conn, payload, file_name, source, content, contact)

    def offer(self, payload: dict, *, file_name: str, source: str, content: bytes | None, limits: ShareLimits,
              since: str, contact: str = "") -> Offer:
        """``add``, unless a limit counted from ``since`` (ISO time, an hour ago) would be passed: the
        counts and the insert are one transaction that every other offer waits for, so many sessions
        at once cannot pass a limit together."""
        size = len(content or b"") + len(json.dumps(payload, ensure_ascii=False).encode())
        with self.store.transaction("shares:limits") as conn:
            if conn.execute("SELECT 1 FROM shares WHERE doc_id=? AND status='pending'",
                            (payload["doc_id"],)).fetchone():
                return Offer(refused="pending")
            visitor, everyone, stored = conn.execute(
                "SELECT COALESCE(SUM(CASE WHEN source=? THEN 1 ELSE 0 END), 0), COUNT(*), "
                "COALESCE(SUM(LENGTH(result_json) + COALESCE(LENGTH(content), 0)), 0) "
                "FROM shares WHERE shared_at >= ?", (source, since)).fetchone()
            if visitor >= limits.per_visitor:
                return Offer(refused="visitor")
            if everyone >= limits.per_hour:
                return Offer(refused="everyone")
            if stored + size > limits.bytes_per_hour:
                return Offer(refused="bytes")
            return Offer(share_id=_insert(conn, payload, file_name, source, content, contact))

    def all(self, status: str | None = None) -> list[dict]:
        """Shares, newest first, each with its result dict under ``result`` and ``batch``: whether the
        same document already has a batch-scored record."""
        sql = ("SELECT s.*, d.origin AS stored_origin FROM shares s LEFT JOIN documents d ON d.doc_id = s.doc_id"
               + (" WHERE s.status=?" if status else "") + " ORDER BY s.id DESC")
        out = []
        for row in self.store.conn.execute(sql, (status,) if status else ()).fetchall():
            share = dict(row)
            share["result"] = json.loads(share.pop("result_json"))
            share["batch"] = share.pop("stored_origin") == "batch"
            out.append(share)
        return out

    def get(self, share_id: int) -> dict | None:
        return next((s for s in self.all() if s["id"] == share_id), None)

    def count(self, since: str, *, source: str | None = None) -> int:
        """Shares made at or after ``since`` (ISO time), from one browser session or from anyone."""
        sql = "SELECT COUNT(*) FROM shares WHERE shared_at >= ?" + (" AND source = ?" if source is not None else "")
        return self.store.conn.execute(sql, (since, source) if source is not None else (since,)).fetchone()[0]

    def pending(self, doc_id: str) -> int | None:
        """The id of the document's pending share, if there is one."""
        row = self.store.conn.execute("SELECT id FROM shares WHERE doc_id=? AND status='pending'",
                                      (doc_id,)).fetchone()
        return row[0] if row else None

    def decide(self, share_id: int, decision: str, *, decided_by: str) -> dict:
        """Accept or reject a pending share; returns it decided. Accepting stores its result with
        origin 'self-assessment', unless the document already has a batch-scored record: then the
        share is accepted as a duplicate and the batch record stays as it was."""
        if decision not in ("accepted", "rejected"):
            raise StoreError(f"unknown share decision '{decision}'", fix="use 'accepted' or 'rejected'")
        if not decided_by.strip():
            raise StoreError("a share decision needs the staff member's name", fix="sign in first")
        share = self.get(share_id)
        if share is None:
            raise StoreError(f"no share with id {share_id}", fix="list them with `disclosure-check shares list`")
        if share["status"] != "pending":
            raise StoreError(f"share {share_id} was already {share['status']} by {share['decided_by']}",
                             fix="decisions on shares are final")
        duplicate = decision == "accepted" and self.store.document_origin(share["doc_id"]) == "batch"
        with self.store.transaction(share["doc_id"]) as conn:
            # Conditional: of two staff deciding one share at once, exactly one succeeds (the other's
            # transaction, result insert included, rolls back).
            changed = conn.execute("UPDATE shares SET status=?, duplicate=?, decided_by=?, decided_at=? "
                                   "WHERE id=? AND status='pending'",
                                   (decision, int(duplicate), decided_by.strip(), _now(), share_id)).rowcount
            if not changed:
                raise StoreError(f"share {share_id} was decided by someone else a moment ago",
                                 fix="reload the list of shares; decisions on shares are final")
            if decision == "accepted" and not duplicate:
                self._store_result(conn, share["result"], share["file_name"], share.get("content"))
        decided = self.get(share_id)
        assert decided is not None
        return decided

    def _store_result(self, conn: Connection, item: dict, file_name: str, content: bytes | None) -> None:
        """Store an accepted share's result as ``save`` stores an Assessment, origin 'self-assessment',
        with the uploaded PDF's bytes (the page views need them; the upload's temporary file is gone)."""
        result = replace(decode(item), path=f"shared/{file_name}")
        self.store.write(conn, result, "self-assessment", None, replace_existing=False)
        if content:
            conn.execute("INSERT INTO document_files VALUES (?, ?) ON CONFLICT(doc_id) DO NOTHING",
                         (result.doc_id, content))


def _insert(conn: Connection, payload: dict, file_name: str, source: str, content: bytes | None, contact: str) -> int:
    cursor = conn.execute(
        "INSERT INTO shares (doc_id, file_name, result_json, shared_at, source, content, contact)"
        " VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
        (payload["doc_id"], file_name, json.dumps(payload, ensure_ascii=False), _now(), source, content,
         clean_contact(contact)))
    return int(cursor.fetchone()[0])


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
