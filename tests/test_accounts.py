"""Staff accounts: hashing (any Unicode password), persisted back-off on a fake clock, sessions that
expire, end and die with their account, and the `disclosure-check staff` commands."""

from __future__ import annotations

import unicodedata

import pytest
from click.testing import CliRunner

from disclosure_check.cli import main
from disclosure_check.errors import ConfigError, StoreError
from disclosure_check.store import accounts
from disclosure_check.store.accounts import GLOBAL, PER_ACCOUNT, sign_in
from disclosure_check.store.store import Store

PASSWORD = "Grüße aus Łódź — 安全な合言葉"
T0 = 1_900_000_000.0


@pytest.fixture
def store(db_url):
    with Store(db_url) as store:
        accounts.add_account(store, "Dana Ó Súilleabháin", PASSWORD)
        yield store


def test_non_ascii_passwords_hash_and_verify_in_either_unicode_form():
    encoded = accounts.hash_password(PASSWORD)
    assert encoded.startswith("scrypt$16384$8$1$") and PASSWORD not in encoded
    assert accounts.verify_password(PASSWORD, encoded)
    assert accounts.verify_password(unicodedata.normalize("NFD", PASSWORD), encoded)  # é typed as e + accent
    assert not accounts.verify_password(PASSWORD + " ", encoded)
    assert not accounts.verify_password("", encoded)
    assert not accounts.verify_password(PASSWORD, "plaintext")  # a malformed hash never matches
    assert accounts.hash_password(PASSWORD) != encoded  # salted


def test_sign_in_with_the_stored_name_in_any_case(store):
    assert sign_in(store, "dana ó súilleabháin", PASSWORD, now=T0).account == "Dana Ó Súilleabháin"
    assert sign_in(store, "Dana Ó Súilleabháin", "wrong", now=T0).account is None
    assert sign_in(store, "Nobody", PASSWORD, now=T0).account is None


def test_back_off_doubles_after_five_failures_and_survives_reopening(store, db_url):
    name = "Dana Ó Súilleabháin"
    for n in range(PER_ACCOUNT.free):
        assert sign_in(store, name, f"guess {n}", now=T0 + n) == accounts.SignIn(None)  # free failures
    last = T0 + PER_ACCOUNT.free - 1
    refused = sign_in(store, name, PASSWORD, now=last + 1)  # even the right password is not checked
    assert refused.account is None and refused.retry_after == pytest.approx(PER_ACCOUNT.base - 1)
    with Store(db_url) as reopened:  # a new session, a restarted server
        assert accounts.retry_after(reopened, name, now=last + 1) == pytest.approx(PER_ACCOUNT.base - 1)
        assert sign_in(reopened, name, "guess 6", now=last + PER_ACCOUNT.base).account is None
        after_sixth = last + PER_ACCOUNT.base
        assert accounts.retry_after(reopened, name, now=after_sixth) == pytest.approx(2 * PER_ACCOUNT.base)
        assert sign_in(reopened, name, PASSWORD, now=after_sixth + 2 * PER_ACCOUNT.base).account == name
        assert accounts.retry_after(reopened, name, now=after_sixth + 2 * PER_ACCOUNT.base) == 0  # reset


@pytest.mark.slow
def test_unknown_names_and_the_whole_site_are_throttled_too(store):
    for _ in range(PER_ACCOUNT.free):
        sign_in(store, "Not A User", "x", now=T0)
    assert sign_in(store, "not a user", "x", now=T0).retry_after > 0  # no hint that the name does not exist
    for n in range(GLOBAL.free - PER_ACCOUNT.free):
        sign_in(store, f"user {n}", "x", now=T0)
    refused = sign_in(store, "Dana Ó Súilleabháin", PASSWORD, now=T0 + 0.5)
    assert refused.account is None and 0 < refused.retry_after <= GLOBAL.most
    assert sign_in(store, "Dana Ó Súilleabháin", PASSWORD, now=T0 + GLOBAL.base * 2).account  # a short wait only


def test_throttle_caps_and_forgets():
    assert PER_ACCOUNT.wait(100, T0, T0) == PER_ACCOUNT.most
    assert PER_ACCOUNT.wait(100, T0, T0 + PER_ACCOUNT.forget_after + 1) == 0


def test_sessions_expire_end_and_die_with_their_account(store):
    token = accounts.start_session(store, "Dana Ó Súilleabháin", now=T0)
    assert len(token) >= 40 and store.table_count("sessions") == 1
    assert token not in str(store.conn.execute("SELECT * FROM sessions").fetchall())  # only its hash is stored
    assert accounts.session_account(store, token, now=T0 + 60) == "Dana Ó Súilleabháin"
    assert accounts.session_account(store, token, now=T0 + accounts.SESSION_HOURS * 3600 + 1) is None
    assert accounts.session_account(store, token[:-1] + "x", now=T0) is None
    assert accounts.session_account(store, None, now=T0) is None
    accounts.end_session(store, token)
    assert accounts.session_account(store, token, now=T0 + 60) is None
    other = accounts.start_session(store, "Dana Ó Súilleabháin", now=T0)
    assert accounts.remove_account(store, "dana ó súilleabháin")
    assert accounts.session_account(store, other, now=T0 + 60) is None and store.table_count("sessions") == 0


def test_names_and_new_passwords_are_checked(store):
    with pytest.raises(ConfigError, match="at least 12"):
        accounts.add_account(store, "Sam", "short")
    with pytest.raises(ConfigError, match="1 to 60"):
        accounts.add_account(store, " \u202e ", PASSWORD)
    with pytest.raises(StoreError, match="already exists"):
        accounts.add_account(store, "DANA Ó SÚILLEABHÁIN", PASSWORD)
    assert accounts.add_account(store, "  Sam\tLee\u200b ", PASSWORD) == "Sam Lee"


def test_staff_commands(db_url):
    db = db_url
    runner = CliRunner()
    added = runner.invoke(main, ["staff", "add", "Dana", "--password-stdin", "--db", db], input=PASSWORD + "\n")
    assert added.exit_code == 0, added.output
    assert added.output == "Added staff account 'Dana'. They sign in to the dashboard with that name and password.\n"
    prompted = runner.invoke(main, ["staff", "add", "Sam", "--db", db], input=f"{PASSWORD}\n{PASSWORD}\n")
    assert prompted.exit_code == 0 and PASSWORD not in prompted.output
    listed = runner.invoke(main, ["staff", "list", "--db", db])
    assert [line.split("\t")[0] for line in listed.output.splitlines()] == ["Dana", "Sam"]
    short = runner.invoke(main, ["staff", "add", "Lee", "--password-stdin", "--db", db], input="short\n")
    assert short.exit_code == 2 and "[DC600]" in short.output
    assert runner.invoke(main, ["staff", "remove", "sam", "--db", db]).output == "Removed staff account 'sam'.\n"
    missing = runner.invoke(main, ["staff", "remove", "Sam", "--db", db])
    assert missing.exit_code == 2 and "no staff account named 'Sam'" in missing.output
    with Store(db) as store:
        assert sign_in(store, "dana", PASSWORD).account == "Dana"


def test_simultaneous_attempts_on_one_name_are_counted_before_they_are_checked(db_url, monkeypatch):
    """Thirty sign-ins at once on one name: at most the five free ones reach the password check
    (each is counted before scrypt runs, so they cannot all read "no failures yet")."""
    import threading
    import time

    with Store(db_url) as store:
        accounts.add_account(store, "Dana Ó Súilleabháin", PASSWORD)
    checked = []
    real = accounts.verify_password

    def slow_verify(password, encoded):
        checked.append(1)
        time.sleep(0.05)  # scrypt takes time: the window the old read-verify-write order left open
        return real(password, encoded)

    monkeypatch.setattr(accounts, "verify_password", slow_verify)
    start = threading.Barrier(30)
    results = []

    def attempt():
        with Store(db_url) as own:
            start.wait()
            results.append(sign_in(own, "Dana Ó Súilleabháin", "wrong password", now=T0))

    threads = [threading.Thread(target=attempt) for _ in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(results) == 30 and all(r.account is None for r in results)
    assert len(checked) <= PER_ACCOUNT.free
    assert sum(r.retry_after > 0 for r in results) >= 30 - PER_ACCOUNT.free
