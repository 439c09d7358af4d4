"""``shares list``, ``shares accept`` and ``shares reject``: self-assessments shared with staff."""

from __future__ import annotations

import click

from disclosure_check.cli.base import by_option, db_option, main, open_store
from disclosure_check.sanitize import clean_line


@main.group()
def shares() -> None:
    """Self-assessments businesses shared from the dashboard, waiting for staff."""


@shares.command("list")
@click.option("--status", type=click.Choice(["pending", "accepted", "rejected"]), default=None,
              help="Only shares with this status. [default: all]")
@db_option
def shares_list(status, db) -> None:
    """List shares: id, status and who decided, shared at, organisation, file name, overall level, contact."""
    from disclosure_check.present.export import level_label
    from disclosure_check.store.shares import Shares
    from disclosure_check.store.store import Store

    with Store(db, read_only=True) as store:
        rows = Shares(store).all(status)
    for s in rows:
        decided = f"{s['status']} by {s['decided_by']} at {s['decided_at']}" if s["decided_by"] else s["status"]
        note = " (duplicate of a batch-scored document)" if s["duplicate"] or (s["batch"] and s["status"] == "pending") else ""
        organisation = (s["result"].get("identity") or {}).get("organisation") or "organisation not identified"
        click.echo(f"{s['id']}\t{decided}{note}\t{s['shared_at']}\t{clean_line(organisation)}\t"
                   f"{clean_line(s['file_name'])}\toverall {level_label(s['result'], s['result'].get('overall')) or 'n/a'}"
                   f"\tcontact: {clean_line(s.get('contact') or '') or 'none'}")
    if not rows:
        click.echo("No shares.")


def _decide_share(share_id: int, decision: str, by: str, db: str) -> None:
    from disclosure_check.store.shares import Shares

    with open_store(db, create=False) as store:
        share = Shares(store).decide(share_id, decision, decided_by=by)
    extra = " as a duplicate: the batch-scored record is unchanged" if share["duplicate"] else ""
    click.echo(f"Share {share_id} {decision}{extra}.")


@shares.command("accept")
@click.argument("share_id", type=int)
@by_option
@db_option
def shares_accept(share_id, by, db) -> None:
    """Accept a share: its result joins the staff pages as origin 'self-assessment'."""
    _decide_share(share_id, "accepted", by, db)


@shares.command("reject")
@click.argument("share_id", type=int)
@by_option
@db_option
def shares_reject(share_id, by, db) -> None:
    """Reject a share: it never joins the staff pages."""
    _decide_share(share_id, "rejected", by, db)
