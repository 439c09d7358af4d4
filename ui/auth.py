"""Who may see the staff pages: the dashboard's mode (staff or public), staff sign-in (OIDC, named
accounts or local use), the session cookie, and the sidebar that shows who is signed in."""

from __future__ import annotations

import getpass
import json
import math
import os
from dataclasses import dataclass

import streamlit as st

from disclosure_check.errors import ConfigError
from disclosure_check.sanitize import escape_markdown
from disclosure_check.settings import APP_MODE
from disclosure_check.store import accounts
from ui.client import same_machine_request
from ui.data import db_url, open_store

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


def header(name: str) -> str | None:
    """A header of the request that opened this session (None: not sent, or no browser at all)."""
    value = st.context.headers.get(name)
    return value if isinstance(value, str) else None


def local_client() -> bool:
    """A page of this server, in a browser on this machine: Streamlit reports no IP address for
    loopback connections; a reverse proxy (which would also connect from loopback) adds a forwarding
    header; and a page from elsewhere that reaches this machine (a DNS name of its own pointed at
    127.0.0.1, or another local port) shows in the connection's Host and Origin."""
    if isinstance(st.context.ip_address, str):  # None for loopback, and with no browser at all (AppTest)
        return False
    if any(header(h) is not None for h in PROXY_HEADERS):
        return False
    return same_machine_request(header("Host"), header("Origin"))


def _has_accounts(url: str) -> bool:
    with open_store(url) as store:
        return bool(accounts.Accounts(store).all())


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
    with open_store(url) as store:
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
    with open_store(url) as store:
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


def signed_out_pages(staff_pages: dict[str, list], *public) -> list:
    """The navigation of a browser not signed in: the sign-in page (at the root), the ``public`` pages,
    and, hidden from the menu, the sign-in again at the address of every staff page. So a staff link
    (``/review?doc=…``) opened before sign-in keeps its address and query, and the rerun after
    sign-in runs the page it names (Streamlit knows a page by its address)."""
    kept = {id(page) for page in public}
    hidden = [st.Page(sign_in_form, title="Sign in", url_path=page.url_path, visibility="hidden")
              for section in staff_pages.values() for page in section
              if id(page) not in kept and page.url_path]  # the root (the default page) is the sign-in itself
    return [st.Page(sign_in_form, title="Sign in", icon=":material/lock:", default=True), *public, *hidden]


def public_pages(landing, *others) -> list:
    """The navigation of the public dashboard: ``landing`` at its own address (``/self-assessment``,
    the link a business is given, opens it in every mode), and the root sends the browser there."""
    def start() -> None:
        st.switch_page(landing)

    return [st.Page(start, title=landing.title, url_path="start", default=True, visibility="hidden"), landing,
            *others]


def sign_out() -> None:
    """End this browser's session (server side first, then the cookie)."""
    if oidc_configured():
        st.logout()
        return
    token = st.session_state.pop("session_token", None)
    with open_store() as store:
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
