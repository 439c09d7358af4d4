"""What no user may trigger or see: a client's "clear cache" message is ignored, and a page's
unexpected exception shows a reference, never a traceback."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable

import streamlit as st

log = logging.getLogger("ui.guard")

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
