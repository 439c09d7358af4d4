"""disclosure_check dashboard: `make run`, or `.venv/bin/streamlit run app.py`.

Staff pages (overview, review, compare) sit behind sign-in; the self-assessment page can be exposed
alone with DISCLOSURE_CHECK_APP_MODE=public. Data: the database named by DISCLOSURE_CHECK_DB.
"""

from __future__ import annotations

import streamlit as st

from disclosure_check.dashboard import app_mode, sign_in_form, staff_signed_in

st.set_page_config(page_title="disclosure_check", page_icon=":material/balance:", layout="wide")

self_assessment = st.Page("ui/self_assessment.py", title="Self-assessment", icon=":material/edit_document:", url_path="self-assessment")
if app_mode() == "public":
    pages = [self_assessment]
elif staff_signed_in():
    pages = {
        "Commission staff": [
            st.Page("ui/overview.py", title="Overview", icon=":material/dashboard:", default=True),
            st.Page("ui/review.py", title="Document review", icon=":material/fact_check:", url_path="review"),
            st.Page("ui/compare.py", title="Compare", icon=":material/compare_arrows:", url_path="compare"),
        ],
        "Businesses": [self_assessment],
    }
else:
    pages = [st.Page(sign_in_form, title="Sign in", icon=":material/lock:"), self_assessment]
st.navigation(pages).run()
