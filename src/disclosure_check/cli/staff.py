"""``staff add``, ``staff list`` and ``staff remove``: the dashboard's staff accounts."""

from __future__ import annotations

import sys

import click

from disclosure_check.cli.base import db_option, main
from disclosure_check.store.database import redact


@main.group()
def staff() -> None:
    """Manage the dashboard's staff accounts (kept in the results database)."""


@staff.command("add")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of stdin (for scripts).")
@db_option
def staff_add(name, password_stdin, db) -> None:
    """Create a staff account NAME; the password is prompted for twice (hidden), or read from stdin."""
    from disclosure_check.store.accounts import add_account
    from disclosure_check.store.store import Store

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    with Store(db) as store:
        stored = add_account(store, name, password)
    click.echo(f"Added staff account '{stored}'. They sign in to the dashboard with that name and password.")


@staff.command("list")
@db_option
def staff_list(db) -> None:
    """List staff accounts and when each was created."""
    from disclosure_check.store.accounts import Accounts
    from disclosure_check.store.store import Store

    with Store(db, read_only=True) as store:
        rows = Accounts(store).all()
    for row in rows:
        click.echo(f"{row['name']}\t{row['created_at']}")
    if not rows:
        click.echo("No staff accounts: the dashboard's staff pages open only to a browser on the same machine.")


@staff.command("remove")
@click.argument("name")
@db_option
def staff_remove(name, db) -> None:
    """Remove staff account NAME and sign it out everywhere (its review decisions stay in the audit trail)."""
    from disclosure_check.errors import ConfigError
    from disclosure_check.store.accounts import remove_account
    from disclosure_check.store.store import Store

    with Store(db, create=False) as store:
        if not remove_account(store, name):
            raise ConfigError(f"no staff account named '{name}'", where=redact(db),
                              fix="see the names with `disclosure-check staff list`")
    click.echo(f"Removed staff account '{name}'.")
