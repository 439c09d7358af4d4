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
    from disclosure_check.rubric import load_rubric
    from disclosure_check.store.store import Store

    rubric = load_rubric()
    with Store(path) as store:
        for result in results:  # with the rubric they were scored with, as a batch saves them
            store.save(result, rubric=rubric if result.rubric_version == rubric.key else None)
    return use_database(monkeypatch, path)


def ok(at: AppTest) -> AppTest:
    """No exception, and none caught by the page guard either (it would hide a bug behind a reference)."""
    assert not at.exception
    assert not [e.value for e in at.error if "Something went wrong" in e.value]
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
