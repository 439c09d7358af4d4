"""disclosure_check dashboard: `make run`, or `.venv/bin/streamlit run app.py`.

Staff pages (overview, review, compare, shared statements) sit behind sign-in; the self-assessment
page can be served alone with DISCLOSURE_CHECK_APP_MODE=public. Data: the database named by
DISCLOSURE_CHECK_DB. Deployment notes (accounts, OIDC, config.toml): README, "Dashboard".
"""

from __future__ import annotations

import logging

import streamlit as st
from ui.auth import (
    app_mode,
    current_staff,
    header,
    public_pages,
    signed_in_sidebar,
    signed_out_pages,
    sync_session_cookie,
)
from ui.client import allowed_host
from ui.guard import disable_cache_clearing, run_guarded

from disclosure_check.errors import ConfigError

st.set_page_config(page_title="disclosure_check", page_icon=":material/balance:", layout="wide")
disable_cache_clearing()

if not allowed_host(header("Host")):  # DISCLOSURE_CHECK_ALLOWED_HOSTS names the addresses this server answers to
    st.error("This dashboard does not answer to this address.")
    st.stop()

try:
    mode = app_mode()
except ConfigError as exc:  # refuse to serve anything rather than guess which pages are public
    logging.getLogger("ui.app").error("%s", exc.message)
    st.error(f"The dashboard is not configured correctly and serves no pages. {exc.message}")
    st.stop()


def main() -> None:
    sync_session_cookie()
    self_assessment = st.Page("ui/self_assessment.py", title="Self-assessment", icon=":material/edit_document:",
                              url_path="self-assessment")
    methodology = st.Page("ui/methodology.py", title="Methodology", icon=":material/menu_book:",
                          url_path="methodology")
    staff = current_staff() if mode == "staff" else None
    if mode == "public":
        pages = public_pages(self_assessment, methodology)
    else:
        pages = {
            "Commission staff": [
                st.Page("ui/overview.py", title="Overview", icon=":material/dashboard:", default=True),
                st.Page("ui/review.py", title="Document review", icon=":material/fact_check:", url_path="review"),
                st.Page("ui/queue.py", title="My queue", icon=":material/assignment_ind:", url_path="queue"),
                st.Page("ui/disagreements.py", title="Disagreements", icon=":material/gavel:", url_path="disagreements"),
                st.Page("ui/agreement.py", title="Agreement", icon=":material/handshake:", url_path="agreement"),
                st.Page("ui/viewer.py", title="Document viewer", icon=":material/find_in_page:", url_path="viewer"),
                st.Page("ui/search.py", title="Keyword search", icon=":material/search:", url_path="search"),
                st.Page("ui/compare.py", title="Compare", icon=":material/compare_arrows:", url_path="compare"),
                st.Page("ui/failures.py", title="Failures", icon=":material/error:", url_path="failures"),
                st.Page("ui/shares.py", title="Shared statements", icon=":material/inbox:", url_path="shares"),
            ],
            "Businesses": [self_assessment],
            "About the scores": [methodology],
        }
        if staff is not None:
            signed_in_sidebar(staff)
        else:  # the staff pages' addresses open the sign-in, and after it the page asked for
            pages = signed_out_pages(pages, self_assessment, methodology)
    run_guarded(st.navigation(pages).run)


run_guarded(main)
