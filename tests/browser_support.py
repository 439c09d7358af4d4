"""What the headless-Chromium tests share: starting the dashboard on a database, a browser page,
staff sign-in and waiting for Streamlit's reruns. Chromium is Debian's package (`make browser`)."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from conftest import PASSWORD, ROOT, STAFF

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = ROOT / "tests" / "_artifacts"
needs_chromium = pytest.mark.skipif(
    not Path(CHROMIUM).exists() and not os.environ.get("CI"), reason="Chromium not installed (make browser)")
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def dashboard(db: Path, **env_extra: str) -> Iterator[str]:
    """The dashboard served by Streamlit on ``db``; yields its URL."""
    port = free_port()
    env = {**os.environ, "DISCLOSURE_CHECK_DB": str(db), "DISCLOSURE_CHECK_MODEL": str(ROOT / "models/default"),
           **env_extra}
    env.pop("DISCLOSURE_CHECK_STAFF_PASSWORD", None)
    if "DISCLOSURE_CHECK_APP_MODE" not in env_extra:
        env.pop("DISCLOSURE_CHECK_APP_MODE", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless=true",
         f"--server.port={port}", "--server.address=127.0.0.1", "--browser.gatherUsageStats=false"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{url}/_stcore/health", timeout=1)
                break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("streamlit did not start")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)


@contextmanager
def browser_page(width: int = 1400, height: int = 1000, *extra_args: str):
    """A fresh headless Chromium page (``extra_args``: more Chromium switches)."""
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[*BROWSER_ARGS, *extra_args])
        try:
            yield browser.new_page(viewport={"width": width, "height": height})
        finally:
            browser.close()


def sign_in(page, url: str, ready_text: str = "Theme levels by organisation", name: str = STAFF) -> None:
    """Staff sign-in as ``name`` (the account must exist: accounts.add_account(store, name, PASSWORD)),
    waiting for the session cookie: a ``goto`` after it stays signed in."""
    page.goto(url)
    page.get_by_text("Staff sign-in").wait_for(timeout=60000)
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_text(ready_text).wait_for(timeout=60000)
    session_cookie(page)


def session_cookie(page, timeout_s: float = 60) -> dict:
    """The sign-in's session cookie, once the page has set it: a ``goto`` before then opens a new
    session that is not signed in (the page sets the cookie after it renders, slower under load)."""
    deadline = time.time() + timeout_s
    while time.time() < deadline:
        found = [c for c in page.context.cookies() if c["name"] == "disclosure_check_session"]
        if found:
            return found[0]
        page.wait_for_timeout(250)
    pytest.fail("the sign-in set no session cookie")


def choose_document(page, file_name: str) -> None:
    """Pick a document in the review queue's selector by typing part of its name."""
    box = page.get_by_role("combobox").first
    box.click()
    box.fill(file_name.split(".")[0])
    page.get_by_role("option", name=re.compile(re.escape(file_name))).first.click()


def settled(page, tab: str):
    """The tab of the finished rerun: until a rerun ends the old page's tabs are still there too
    (a page with more widgets, such as one button pair per evidence sentence, takes longer)."""
    tabs = page.get_by_role("tab", name=tab)
    for _ in range(120):
        if tabs.count() == 1:
            break
        page.wait_for_timeout(500)
    return tabs


def open_tab(page, tab: str, target, tries: int = 4, wait_ms: int = 30000):
    """Choose a review section (a horizontal radio) until ``target``, a locator in that section,
    shows; returns its first visible match. A click that lands while a rerun is still replacing the
    page can hit the old, hidden copy and be lost, and until the rerun ends the old copies of the
    section's elements are in the page too (hidden, and possibly first): so only visible elements
    are clicked or waited for, and the click is repeated."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    shown = target.filter(visible=True).first
    for attempt in range(tries):
        page.get_by_text(tab, exact=True).filter(visible=True).first.click()
        try:
            shown.wait_for(timeout=wait_ms)
            return shown
        except PlaywrightTimeout:
            if attempt == tries - 1:
                raise
    return shown
