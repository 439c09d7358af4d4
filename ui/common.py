"""What the dashboard pages share: settings, cached reads of the store, staff sign-in, the guard
around every page, spreadsheet-safe downloads, and scoring and sharing an upload.

The pages (ui/*.py) stay thin: they render what these functions and the library return.
"""

from __future__ import annotations

import getpass
import json
import logging
import math
import os
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pandas as pd
import streamlit as st

from disclosure_check.assess.identity import organisation_key
from disclosure_check.errors import ConfigError
from disclosure_check.present.export import result_to_dict
from disclosure_check.rubric import load_rubric
from disclosure_check.sanitize import cap, clean_line, escape_markdown
from disclosure_check.settings import APP_MODE, DB
from disclosure_check.store import accounts
from disclosure_check.store.store import Store
from disclosure_check.types import Assessment, Failure

log = logging.getLogger("ui.common")

MAX_UPLOAD_MB = 20
FINANCIAL_LEVER = "financial_lever"  # the rubric tag of the lending, investment and portfolio criteria
ORIGINS = {"batch": "batch-scored", "self-assessment": "shared by the business (self-assessment), accepted by staff"}


def db_url() -> str:
    return DB.value() or "data/disclosure_check.db"


def _versions(url: str) -> tuple[tuple, int]:
    with Store(url) as store:
        return store.versions()


@st.cache_data(show_spinner=False, max_entries=256)
def _item(url: str, doc_id: str, versions: tuple) -> dict | None:
    with Store(url) as store:
        found = store.reviewed_results(doc_id=doc_id)
    return found[0] if found else None


def load_item(doc_id: str) -> dict | None:
    """One document's result with reviews applied (pages read one at a time; the table is the index)."""
    url = db_url()
    return _item(url, doc_id, _versions(url))


FALLBACK_SOURCE = "metadata or file name"


def identity_label(organisation: str, source: str | None) -> str:
    """An organisation as the pages show it: marked when it is not the statement's own words."""
    return organisation if source == "text" else f"{organisation} ({source or FALLBACK_SOURCE})"


def financial_lever_help() -> str:
    """What 'covering lending and investment' means under the loaded rubric, from its tags."""
    criteria = rubric().tagged(FINANCIAL_LEVER)
    tag = rubric().tags.get(FINANCIAL_LEVER)
    if not criteria or tag is None:
        return "The rubric tags no criterion as a financial lever."
    minimum = tag.min_level if tag.min_level is not None else scale_levels()[-1]
    names = ", ".join(f"{c.name} ({c.id})" for c in criteria)
    return f"{names}: all at least '{level_label(minimum)}'."


# cache_resource, not cache_data: the table is shared read-only and should not be pickled on every
# rerun. It is read from the SQL rows (the reviewed truth), never by parsing stored results.
@st.cache_resource(show_spinner="Reading the results database…", max_entries=4)
def _table(url: str, versions: tuple) -> pd.DataFrame:
    from disclosure_check.store import queries

    with Store(url) as store:
        failed = queries.failures(store).assign(status="failed")
        table = queries.documents(store, queries.Filters(), rubric(), limit=None).assign(status="scored")
        paths = store.document_paths()
    table = pd.concat([table, failed.drop(columns=["path", "error_code", "error"])], ignore_index=True)
    table["document"] = table["doc_id"].map(paths)
    table["organisation"] = table["organisation"].fillna(table["file"])
    table["reviewed"] = table["reviewed"].fillna(False).astype(bool)
    table["organisation_key"] = table["organisation"].map(organisation_key)
    return table


def load_table() -> pd.DataFrame:
    """Every stored result, one row each (scored and failed), newest scored first."""
    url = db_url()
    return _table(url, _versions(url))


def load_scored() -> pd.DataFrame:
    """The table's scored documents; stops the page with a hint when there are none."""
    table = load_table()
    scored = table[table["status"] == "scored"] if not table.empty else table
    if scored.empty:
        st.info(f"Nothing scored in `{db_url()}` yet. Score statements with `disclosure-check score FOLDER`.")
        st.stop()
    return scored


@st.cache_resource(show_spinner=False)
def rubric():
    return load_rubric(os.environ.get("DISCLOSURE_CHECK_RUBRIC") or None)


@st.cache_resource(show_spinner="Loading the scoring model…")
def scorer():
    from disclosure_check.classify.modelset import load_model_set
    from disclosure_check.pipeline import Scorer

    return Scorer(rubric(), load_model_set())


APP_MODES = ("staff", "public")


def parse_app_mode(value: str | None) -> str:
    """'staff' or 'public' (any case, spaces ignored); anything else is a configuration error."""
    mode = (value or "staff").strip().lower()
    if mode not in APP_MODES:
        raise ConfigError(f"unknown dashboard mode {value!r}", where=APP_MODE.env,
                          fix="set it to 'staff' (every page, behind sign-in) or 'public' (self-assessment only)")
    return mode


def app_mode() -> str:
    """'staff' (every page, behind sign-in) or 'public' (self-assessment only)."""
    return parse_app_mode(APP_MODE.value())


# -- staff sign-in ----------------------------------------------------------------------------
SESSION_COOKIE = "disclosure_check_session"
PROXY_HEADERS = ("X-Forwarded-For", "X-Real-Ip", "Forwarded")


@dataclass(frozen=True)
class Staff:
    """Who is signed in: ``name`` is what the audit trail records; ``how`` is 'account', 'oidc' or
    'local' (no accounts configured, a browser on the same machine)."""

    name: str
    how: str


def oidc_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all, or one that does not parse
        return False


def local_client() -> bool:
    """A browser on this machine: Streamlit reports no IP address for loopback connections, and a
    reverse proxy (which would also connect from loopback) adds a forwarding header."""
    if isinstance(st.context.ip_address, str):  # None for loopback, and with no browser at all (AppTest)
        return False
    headers = st.context.headers
    return not any(isinstance(headers.get(h), str) for h in PROXY_HEADERS)


def _has_accounts(url: str) -> bool:
    with Store(url) as store:
        return bool(store.accounts())


def _cookie() -> str | None:
    value = st.context.cookies.get(SESSION_COOKIE)
    return value if isinstance(value, str) else None


def current_staff() -> Staff | None:
    """The signed-in staff member, or None. OIDC when secrets have [auth]; else named accounts
    (a session token from this browser session or its cookie); with no accounts at all, the OS
    user for a browser on this machine (local use), and nobody for any other browser."""
    if oidc_configured():
        if getattr(st.user, "is_logged_in", False):
            return Staff(str(st.user.get("email") or st.user.get("name") or "staff"), "oidc")
        return None
    url = db_url()
    if not _has_accounts(url):
        return Staff(f"{getpass.getuser()} (local, no sign-in)", "local") if local_client() else None
    token = st.session_state.get("session_token") or _cookie()
    with Store(url) as store:
        account = accounts.session_account(store, token)
    if account is None:
        st.session_state.pop("session_token", None)
        return None
    st.session_state["session_token"] = token
    return Staff(account, "account")


def staff_signed_in() -> bool:
    return current_staff() is not None


def reviewer_name() -> str:
    """The name recorded with a reviewer's decisions: always from the sign-in, never typed."""
    staff = current_staff()
    return staff.name if staff else ""


def _cookie_script(value: str, max_age: int) -> str:
    # The token is URL-safe base64 (or empty), so it cannot break out of the string; json.dumps anyway.
    cookie = json.dumps(f"{SESSION_COOKIE}={value}; Path=/; Max-Age={max_age}; SameSite=Strict")
    return ("<script>(function(){var c=" + cookie + ";"
            "if(window.location.protocol==='https:'){c+='; Secure';}document.cookie=c;})();</script>")


def sync_session_cookie() -> None:
    """Write (after sign-in) or clear (after sign-out) the browser's session cookie. Streamlit reads
    cookies but cannot set them, so a one-line script does, once, in the page itself (not an iframe)."""
    pending = st.session_state.pop("cookie_update", None)
    if pending is not None:
        value, max_age = pending
        st.html(_cookie_script(value, max_age), unsafe_allow_javascript=True)


def sign_in_form() -> None:
    """The sign-in page: OIDC button, or name and password checked against the accounts table."""
    st.title("Staff sign-in")
    if oidc_configured():
        st.button("Sign in", on_click=st.login, type="primary")
        return
    url = db_url()
    if not _has_accounts(url):
        st.warning("No staff accounts are set up, so the staff pages are only open to a browser on the "
                   "server itself. An administrator creates accounts with `disclosure-check staff add NAME`.")
        return
    if os.environ.get("DISCLOSURE_CHECK_STAFF_PASSWORD"):
        st.caption("DISCLOSURE_CHECK_STAFF_PASSWORD is no longer used: staff sign in with their own accounts.")
    notice = st.session_state.pop("sign_in_notice", None)
    if notice:
        st.error(notice)
    with st.form("sign_in"):
        name = st.text_input("Name", max_chars=accounts.NAME_MAX_CHARS)
        password = st.text_input("Password", type="password", max_chars=accounts.PASSWORD_MAX_CHARS)
        submitted = st.form_submit_button("Sign in", type="primary")
    if not submitted:
        return
    with Store(url) as store:
        outcome = accounts.sign_in(store, name, password)
        if outcome.account:
            token = accounts.start_session(store, outcome.account)
    if outcome.retry_after:
        st.error(f"Too many failed sign-ins. Try again in {math.ceil(outcome.retry_after)} seconds.")
    elif not outcome.account:
        st.error("Wrong name or password.")
    else:
        st.session_state["session_token"] = token
        st.session_state["cookie_update"] = (token, accounts.SESSION_HOURS * 3600)
        st.rerun()


def sign_out() -> None:
    """End this browser's session (server side first, then the cookie)."""
    if oidc_configured():
        st.logout()
        return
    token = st.session_state.pop("session_token", None)
    with Store(db_url()) as store:
        accounts.end_session(store, token)
        accounts.end_session(store, _cookie())
    st.session_state["cookie_update"] = ("", 0)


def signed_in_sidebar(staff: Staff) -> None:
    with st.sidebar:
        if staff.how == "local":
            st.caption(f"Local mode: no staff accounts are set up, so decisions are recorded as "
                       f"**{escape_markdown(staff.name)}**.")
            return
        st.caption(f"Signed in as **{escape_markdown(staff.name)}**")
        st.button("Sign out", on_click=sign_out, icon=":material/logout:")


# -- what no user may trigger or see ------------------------------------------------------------
def disable_cache_clearing() -> None:
    """Ignore the "clear cache" message any client can send: it would empty every user's caches
    (and its sender's session state). The menu item and the C shortcut are hidden in viewer mode
    (.streamlit/config.toml), but the server would still act on the message itself."""
    from streamlit.runtime.app_session import AppSession

    def ignore_clear_cache(self) -> None:
        log.warning("ignored a client's request to clear the dashboard's caches")

    AppSession._handle_clear_cache_request = ignore_clear_cache  # type: ignore[method-assign]


def run_guarded(page: Callable[[], object]) -> None:
    """Run a page; an unexpected exception shows a reference (its traceback goes to the log under
    it), never the traceback itself. st.stop / st.rerun pass through (they are not Exceptions)."""
    try:
        page()
    except Exception:
        reference = secrets.token_hex(4).upper()
        log.exception("dashboard page failed, reference %s", reference)
        st.error(f"Something went wrong (reference {reference}). Please try again; if it keeps happening, "
                 "send the reference to the Commissioner's office.")


# -- what leaves the dashboard ----------------------------------------------------------------
# -- self-assessment uploads --------------------------------------------------------------------
SHARES_PER_SESSION = 3  # per browser session per hour
SHARES_PER_HOUR = 30  # from everyone; staff work through the queue long before it fills


def upload_file_name(name: object) -> str:
    """An uploaded file's name, safe to write in a temporary folder and to show: no folders, no
    control characters, no leading dots, at most 120 characters, ending in .pdf."""
    text = clean_line(str(name)).replace("\\", "/").rsplit("/", 1)[-1]
    text = re.sub(r"[^\w .,()&'-]", "_", text).strip(" .")
    stem = text[:-4] if text.lower().endswith(".pdf") else text
    return cap(stem.strip(" .") or "statement", 116, "") + ".pdf"


# An upload is scored while someone waits: a tighter time limit than a batch's.
UPLOAD_TIME_LIMIT_SECONDS = 120
UPLOAD_MEMORY_LIMIT_MB = 2048


def _script_stopped() -> bool:
    """True once Streamlit has asked this script run to stop or rerun (the user left, uploaded
    another file or pressed Stop). Reads Streamlit's run context; False if that is unavailable."""
    try:
        from streamlit.runtime.scriptrunner import get_script_run_ctx

        ctx = get_script_run_ctx()
        requests = getattr(ctx, "script_requests", None)
        state = getattr(requests, "_state", None)
        return state is not None and getattr(state, "name", "CONTINUE") != "CONTINUE"
    except Exception:
        return False


def score_upload(path: Path) -> Assessment | Failure:
    """Score one uploaded PDF in a worker process under the upload limits (the same isolation as a
    batch: a hostile upload is killed and reported, never takes the server down). The one place
    the dashboard scores anything. A script run that is stopped kills its worker."""
    from disclosure_check.run.isolation import Limits, score_isolated

    limits = Limits(time_limit=UPLOAD_TIME_LIMIT_SECONDS, memory_limit=UPLOAD_MEMORY_LIMIT_MB)
    return score_isolated(scorer(), path, limits, cancelled=_script_stopped)


@dataclass(frozen=True)
class ShareOutcome:
    shared: bool
    message: str


def share_upload(result: Assessment, file_name: str, source: str, *, content: bytes | None = None,
                 now: datetime | None = None) -> ShareOutcome:
    """Queue a self-assessment for staff, within the rate limits; nothing joins staff data until
    staff accept it on the "Shared statements" page. ``content``: the uploaded PDF's bytes, kept
    with the share so staff see its pages (the upload's temporary file is gone by then)."""
    since = ((now or datetime.now(timezone.utc)) - timedelta(hours=1)).isoformat(timespec="seconds")
    with Store(db_url()) as store:
        if store.pending_share(result.doc_id) is not None:
            return ShareOutcome(False, "This statement has already been shared and is waiting for the "
                                       "Commissioner's office. Thank you.")
        if store.count_shares(since, source=source) >= SHARES_PER_SESSION:
            return ShareOutcome(False, f"You have shared {SHARES_PER_SESSION} statements in the last hour, the "
                                       "most we accept from one visitor. Please try again later.")
        if store.count_shares(since) >= SHARES_PER_HOUR:
            return ShareOutcome(False, "We are receiving a lot of statements right now. Please try again in "
                                       "an hour.")
        payload = result_to_dict(result)
        payload["document"] = file_name
        store.add_share(payload, file_name=file_name, source=source, content=content)
    return ShareOutcome(True, "Shared. The Commissioner's office will review it. Thank you.")


def level_label(level: int | None) -> str:
    """'2 Developing': a level with its name from the loaded rubric's scale."""
    if level is None:
        return "n/a"
    return f"{level} {rubric().level_name(int(level))}".strip()


def scale_levels() -> list[int]:
    """The loaded rubric's level numbers, lowest first (for pickers, filters and chart domains)."""
    return list(rubric().levels)


# -- review desk ----------------------------------------------------------------------------------
@st.cache_data(show_spinner=False, max_entries=64)
def _stored(url: str, doc_id: str, versions: tuple):
    with Store(url) as store:
        found = store.stored(doc_id=doc_id)
    return found[0] if found else None


def load_stored(doc_id: str):
    """One document's typed ``StoredResult`` (reviewed result, machine result, audit trail), read
    again only when the store changes."""
    url = db_url()
    return _stored(url, doc_id, _versions(url))


@st.cache_data(show_spinner=False, max_entries=16)
def _decided_by(url: str, versions: tuple) -> dict[str, frozenset[str]]:
    with Store(url) as store:
        decisions = store.decisions()
    out: dict[str, set[str]] = {}
    for d in decisions:
        out.setdefault(d.reviewer, set()).add(d.doc_id)
    return {name: frozenset(ids) for name, ids in out.items()}


def documents_decided_by(reviewer: str) -> frozenset[str]:
    """The doc_ids a reviewer has recorded any decision on (their own queue)."""
    url = db_url()
    return _decided_by(url, _versions(url)).get(reviewer, frozenset())


def pdf_source(url: str, doc_id: str) -> str | bytes | None:
    """Where a document's pages come from: its file on disk (stored absolute), else the stored copy
    of a shared self-assessment's PDF, else None (the file has moved and no copy is kept)."""
    with Store(url) as store:
        path = store.document_path(doc_id)
        if path and Path(path).is_file():
            return path
        return store.document_file(doc_id)


@st.cache_data(show_spinner=False, max_entries=512)
def _evidence_png(url: str, doc_id: str, page: int, boxes: tuple[tuple, ...] | None, sentence: str,
                  results_version: tuple) -> bytes | None:
    import io

    from disclosure_check.present.highlight import evidence_image

    source = pdf_source(url, doc_id)
    if source is None:
        return None
    image = evidence_image(source, page, [sentence], boxes=[list(b) for b in boxes] if boxes else None)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False)
    return buffer.getvalue()


def evidence_png(doc_id: str, page: int, boxes, sentence: str) -> bytes | None:
    """The page around an evidence sentence with its boxes drawn (a sharp render, cropped so the
    highlight is in view), as PNG; cached per document, page, boxes and sentence until results
    change (a decision does not: it changes no page). None when the document's PDF is not available."""
    key = tuple(tuple(b.to_list()) if hasattr(b, "to_list") else tuple(b) for b in boxes) if boxes else None
    url = db_url()
    return _evidence_png(url, doc_id, int(page), key, sentence, _versions(url)[0])


# -- overview, search, failures and compare: SQL reads (disclosure_check.store.queries), cached ------
RUBRIC = "<the loaded rubric>"  # stands for rubric() in read()'s arguments (a rubric is not hashable)


@st.cache_data(show_spinner=False, max_entries=256)
def _read(url: str, versions: tuple, name: str, args: tuple, kwargs: tuple):
    from disclosure_check.store import queries

    function = getattr(queries, name)
    with Store(url) as store:
        return function(store, *[rubric() if a == RUBRIC else a for a in args], **dict(kwargs))


def read(name: str, *args, **kwargs):
    """``queries.<name>(store, *args, **kwargs)`` on the dashboard's database, cached until the
    results or decisions change (``store.versions()``); pass RUBRIC for the loaded rubric."""
    url = db_url()
    return _read(url, _versions(url), name, args, tuple(sorted(kwargs.items())))


def open_review(doc_id: str) -> None:
    """Go to the review page on one document."""
    st.session_state["review_doc"] = doc_id
    st.query_params["doc"] = doc_id
    st.switch_page("ui/review.py")


def subsector_label(value: object) -> str:
    """A sub-sector as pages show it: 'bank', 'building society'; never 'nan'."""
    from disclosure_check.store.queries import NO_SUBSECTOR

    if value is None or (isinstance(value, float) and math.isnan(value)) or value == "":
        return NO_SUBSECTOR
    return str(value).replace("_", " ")


STATUTORY_STATES = {"met": "met", "not_explicit": "not explicit", "not_met": "not met"}


def marked(snippet: str) -> str:
    """A search snippet (terms marked [[ ]]) as safe Markdown with the terms in bold."""
    parts = re.split(r"\[\[|\]\]", " ".join((snippet or "").split()))
    out = []
    for i, part in enumerate(parts):
        text = escape_markdown(part)  # strips the ends: put the spaces back outside the bold
        text = f"**{text}**" if i % 2 and text else text
        out.append((" " if part[:1].isspace() else "") + text + (" " if part[-1:].isspace() else ""))
    return "".join(out)


# -- explain ----------------------------------------------------------------------------------
METHODOLOGY_PAGE = "ui/methodology.py"
GAPS_PER_PAGE = 8


def gap_page_bounds(total: int, page: int, per_page: int = GAPS_PER_PAGE) -> tuple[int, int, int]:
    """(first index, end index, number of pages) of page ``page`` (from 0, clamped) of ``total`` gaps."""
    pages = max(1, -(-total // per_page))
    page = min(max(page, 0), pages - 1)
    return page * per_page, min(total, (page + 1) * per_page), pages
