"""What the AppTest files share: the dashboard pointed at a test database, and the check that a
page ran cleanly."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from conftest import ROOT


def use_database(monkeypatch, path: Path) -> Path:
    """Point the dashboard at ``path`` with the shipped model, staff mode, no preset password."""
    monkeypatch.setenv("DISCLOSURE_CHECK_DB", str(path))
    monkeypatch.setenv("DISCLOSURE_CHECK_MODEL", str(ROOT / "models/default"))
    monkeypatch.delenv("DISCLOSURE_CHECK_STAFF_PASSWORD", raising=False)
    monkeypatch.delenv("DISCLOSURE_CHECK_APP_MODE", raising=False)
    return path


def database_with(monkeypatch, path: Path, results) -> Path:
    """A database at ``path`` holding ``results``, with the dashboard pointed at it (``use_database``)."""
    from disclosure_check.store.store import Store

    with Store(path) as store:
        for result in results:
            store.save(result)
    return use_database(monkeypatch, path)


def ok(at: AppTest) -> AppTest:
    """No exception, and none caught by the page guard either (it would hide a bug behind a reference)."""
    assert not at.exception
    assert not [e.value for e in at.error if "Something went wrong" in e.value]
    return at
