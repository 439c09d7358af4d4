"""What the AppTest files share: the dashboard pointed at a test database with staff accounts, a
session of it, staff sign-in (through the form, or as a named account's session), and the check
that a page ran cleanly."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from streamlit.testing.v1 import AppTest

from conftest import PASSWORD, ROOT, STAFF

APP = str(ROOT / "app.py")


def app() -> AppTest:
    """A new session of the dashboard (not yet run)."""
    return AppTest.from_file(APP, default_timeout=120)


def opened(page: str | None = None) -> AppTest:
    """A new session of the dashboard, run cleanly, then switched to ``page`` (as ``ui/x.py``) if given."""
    at = ok(app().run())
    if page:
        ok(at.switch_page(page).run())
    return at


def use_database(monkeypatch, path: Path) -> Path:
    """Point the dashboard at ``path`` with the shipped model, staff mode, no preset password."""
    monkeypatch.setenv("DISCLOSURE_CHECK_DB", str(path))
    monkeypatch.setenv("DISCLOSURE_CHECK_MODEL", str(ROOT / "models/default"))
    monkeypatch.delenv("DISCLOSURE_CHECK_STAFF_PASSWORD", raising=False)
    monkeypatch.delenv("DISCLOSURE_CHECK_APP_MODE", raising=False)
    return path


def database_with(monkeypatch, path: Path, results, staff: Iterable[str] = ()) -> Path:
    """A database at ``path`` holding ``results`` and a staff account for each name in ``staff``
    (password ``PASSWORD``), with the dashboard pointed at it (``use_database``)."""
    from disclosure_check.rubric import load_rubric
    from disclosure_check.store.accounts import add_account
    from disclosure_check.store.store import Store

    rubric = load_rubric()
    with Store(path) as store:
        for result in results:  # with the rubric they were scored with, as a batch saves them
            store.save(result, rubric=rubric if result.rubric_version == rubric.key else None)
        for name in staff:
            add_account(store, name, PASSWORD)
    return use_database(monkeypatch, path)


def ok(at: AppTest) -> AppTest:
    """No exception, and none caught by the page guard either (it would hide a bug behind a reference)."""
    assert not at.exception
    assert not [e.value for e in at.error if "Something went wrong" in e.value]
    return at


def sign_in(at: AppTest, name: str = STAFF, password: str = PASSWORD) -> AppTest:
    """Fill in and send the staff sign-in form that ``at`` (already run) shows; the page that follows
    ran cleanly (it may be the form again, with an error, for a wrong password)."""
    assert at.title[0].value == "Staff sign-in"
    at.text_input[0].input(name)
    at.text_input[1].input(password)
    at.button[0].click().run()
    return ok(at)


def signed_in(db: Path, name: str, page: str | None = None) -> AppTest:
    """A run session signed in as ``name`` (an account in ``db``) by a session token, as a returning
    browser's cookie signs it in, on ``page`` if given."""
    from disclosure_check.store.accounts import start_session
    from disclosure_check.store.store import Store

    with Store(db) as store:
        token = start_session(store, name)
    at = app()
    at.session_state["session_token"] = token
    ok(at.run())
    if page:
        ok(at.switch_page(page).run())
    return at


def finding(at: AppTest):
    """On the review page: the open section's list of findings."""
    return next(r for r in at.radio if r.label == "Finding")


def open_finding(at: AppTest, section: str, finding_id: str) -> AppTest:
    """On the review page: a section (statutory, criteria, elements, letter, trail) and one finding in
    it, rendered without an exception."""
    at.radio(key="review-section").set_value(section).run()
    finding(at).set_value(finding_id).run()
    return ok(at)
