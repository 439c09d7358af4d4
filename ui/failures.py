"""Failures: every document that could not be scored, with its code and reason; retry one."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from disclosure_check.errors import EncryptedPDFError
from disclosure_check.sanitize import escape_markdown as md
from disclosure_check.types import Failure
from ui.data import open_store, read, rubric, shown_db
from ui.upload import score_upload, upload_attempt

ENCRYPTED = EncryptedPDFError.code
# What staff are told here instead of a failure's command-line fix (its reason as stored names the
# CLI's options); only failures this page can do something about.
BROWSER_FIX = {ENCRYPTED: "enter its password under Retry below, or ask the publisher for an unprotected copy."}


def shown_reason(code: str | None, reason: str | None) -> str:
    """A stored failure's reason as this page shows it: a fix this page offers in place of the CLI's."""
    reason = reason or ""
    fix = BROWSER_FIX.get(code or "")
    return f"{reason.split(' Fix: ', 1)[0]}. Fix: {fix}" if fix else reason


st.title("Failures")
codes = read("failure_codes")
if not codes:
    st.success("Every stored document was scored: nothing has failed.")
    st.stop()

total = sum(codes.values())
code = st.selectbox("Error code", [None, *codes], format_func=lambda c: f"all ({total})" if c is None else
                    f"{c or 'no code'} ({codes[c]})")
table = read("failures", code)
table = table.assign(error=[shown_reason(c, r) for c, r in zip(table["error_code"], table["error"], strict=True)])
st.caption(f"{len(table)} failed document(s), newest first. A failure is stored with its reason; the file is tried "
           "again when it is scored with `--retry-failed`, or from here one at a time.")
st.dataframe(table[["file", "error_code", "error", "scored_at", "path"]], hide_index=True, width="stretch",
             column_config={"error_code": "code", "error": st.column_config.TextColumn("reason", width="large"),
                            "scored_at": "when"})

st.subheader("Retry")
labels = dict(zip(table["doc_id"], [f"{f} — [{c}]" for f, c in zip(table["file"], table["error_code"], strict=True)],
                  strict=True))
doc_id = st.selectbox("Failed document", list(labels), format_func=labels.get)
chosen = table.loc[table["doc_id"] == doc_id].iloc[0]
path = Path(chosen["path"])
st.caption(f"Why it failed: {md(chosen['error'])}")
if not path.is_file():
    st.warning(f"The file is no longer at `{md(str(path))}`, so it cannot be retried from here. Score it again "
               "from wherever it is now.")
else:
    encrypted = chosen["error_code"] == ENCRYPTED
    password = None
    if encrypted:  # a form, cleared when sent: the password is used for this one try and kept nowhere
        with st.form("retry-password", clear_on_submit=True, border=False):
            password = st.text_input("PDF password", type="password", autocomplete="off",
                                     help="Used to open this file once; it is not stored. The database records only "
                                          "that a password was given.")
            retry = st.form_submit_button("Retry with password", type="primary", icon=":material/lock_open:")
    else:
        retry = st.button("Retry", type="primary", icon=":material/refresh:")
    if retry:
        with st.spinner(f"Scoring {path.name} again…"):
            result = score_upload(path, password=password or None)
        with open_store() as store:
            store.save(result, options=upload_attempt(password), text=getattr(result, "text", "") or None,
                       rubric=rubric())
        if isinstance(result, Failure):
            wrong = " The password did not open it." if result.code == ENCRYPTED and password else ""
            st.error(f"Still failing: [{md(result.code)}] {md(shown_reason(result.code, result.reason))}{wrong}")
        else:
            st.success(f"Scored: {md(path.name)} is now in the overview.")
st.markdown("Retry every failure in a folder (each file is tried again, in isolated workers):")
st.code(f"disclosure-check score FOLDER --retry-failed --db {shown_db()}", language="bash")
