"""A business's upload: its file name made safe, scored in a worker process under the upload limits,
and shared with staff within the rate limits."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import streamlit as st

from disclosure_check.errors import ConfigError
from disclosure_check.run.isolation import Limits
from disclosure_check.run.slots import Slots
from disclosure_check.sanitize import cap, clean_line
from disclosure_check.settings import UPLOAD_SLOTS
from disclosure_check.store.codec import encode
from disclosure_check.store.shares import ShareLimits, Shares
from disclosure_check.types import Assessment, Failure, Given
from ui.data import open_store, rubric, scorer

MAX_UPLOAD_MB = 20
SHARE_LIMITS = ShareLimits(per_visitor=3, per_hour=30, bytes_per_hour=100 * 2**20)
SHARES_PER_HOUR = SHARE_LIMITS.per_hour  # from everyone; staff work through the queue long before it fills


def upload_file_name(name: object) -> str:
    """An uploaded file's name, safe to write in a temporary folder and to show: no folders, no
    control characters, no leading dots, at most 120 characters, ending in .pdf."""
    text = clean_line(str(name)).replace("\\", "/").rsplit("/", 1)[-1]
    text = re.sub(r"[^\w .,()&'-]", "_", text).strip(" .")
    stem = text[:-4] if text.lower().endswith(".pdf") else text
    return cap(stem.strip(" .") or "statement", 116, "") + ".pdf"


# An upload is scored while someone waits: a tighter time limit than a batch's, and a memory limit
# that, times the slots scored at once (DISCLOSURE_CHECK_UPLOAD_SLOTS), the server can spare.
UPLOAD_TIME_LIMIT_SECONDS = 120
UPLOAD_MEMORY_LIMIT_MB = 1024
UPLOAD_LIMITS = Limits(time_limit=UPLOAD_TIME_LIMIT_SECONDS, memory_limit=UPLOAD_MEMORY_LIMIT_MB)
QUEUE_PER_SLOT = 4  # visitors waiting per upload being scored, beyond which they are asked to come back


@st.cache_resource
def upload_slots() -> Slots:
    """The one queue for the whole server process (every session shares it)."""
    try:
        size = int(UPLOAD_SLOTS.value() or 2)
    except ValueError:
        raise ConfigError(f"{UPLOAD_SLOTS.env} must be a whole number", where=UPLOAD_SLOTS.env,
                          fix="set it to how many uploads may be scored at once, e.g. 2") from None
    return Slots(size, size * QUEUE_PER_SLOT)


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


def score_upload(path: Path, given: Given | None = None, *, password: str | None = None) -> Assessment | Failure:
    """Score one uploaded PDF in a worker process under the upload limits (the same isolation as a
    batch: a hostile upload is killed and reported, never takes the server down). The one place
    the dashboard scores anything. A script run that is stopped kills its worker. At most
    ``upload_slots().size`` uploads are scored at once, server-wide; others wait their turn
    (BusyError, DC112, when the queue is full). ``password``: an encrypted PDF's, read as the CLI's
    ``--password`` is (``ScoreOptions.password``); used for this file only, never kept."""
    from disclosure_check.run.isolation import score_isolated

    used = scorer() if not password else scorer().with_options(upload_options(password))
    with upload_slots().turn(stopped=_script_stopped):
        return score_isolated(used, path, UPLOAD_LIMITS, cancelled=_script_stopped, given=given)


def upload_options(password: str | None = None):
    """The options an upload (or a retry from the Failures page) is read with."""
    return replace(scorer().options, password=password or None)


def upload_attempt(password: str | None = None) -> dict:
    """What is stored beside a result scored here (``run.attempt_options``): whether a password was
    given, never the password."""
    from disclosure_check.run.resume import attempt_options

    return attempt_options(upload_options(password), UPLOAD_LIMITS)


@dataclass(frozen=True)
class ShareOutcome:
    shared: bool
    message: str


def share_upload(result: Assessment, file_name: str, source: str, *, content: bytes | None = None,
                 contact: str = "", now: datetime | None = None) -> ShareOutcome:
    """Queue a self-assessment for staff, within the rate limits; nothing joins staff data until
    staff accept it on the "Shared statements" page. ``content``: the uploaded PDF's bytes, kept
    with the share so staff see its pages (the upload's temporary file is gone by then)."""
    since = ((now or datetime.now(timezone.utc)) - timedelta(hours=1)).isoformat(timespec="seconds")
    payload = encode(result)  # the whole result (the codec's form): staff accept what save would store
    payload["document"] = file_name
    with open_store() as store:
        store.keep_rubric(rubric())  # the upload was scored with the dashboard's rubric
        offer = Shares(store).offer(payload, file_name=file_name, source=source, content=content,
                                    limits=SHARE_LIMITS, since=since, contact=contact)
    if offer.share_id is not None:
        return ShareOutcome(True, "Shared. The Commissioner's office will review it. Thank you.")
    return ShareOutcome(False, REFUSALS[offer.refused or "everyone"])


REFUSALS = {
    "pending": "This statement has already been shared and is waiting for the Commissioner's office. Thank you.",
    "visitor": f"You have shared {SHARE_LIMITS.per_visitor} statements in the last hour, the most we accept from "
               "one visitor. Please try again later.",
    "everyone": "We are receiving a lot of statements right now. Please try again in an hour.",
    "bytes": "We are receiving a lot of statements right now. Please try again in an hour.",
}
