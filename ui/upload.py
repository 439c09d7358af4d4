"""A business's upload: its file name made safe, scored in a worker process under the upload limits,
and shared with staff within the rate limits."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from disclosure_check.sanitize import cap, clean_line
from disclosure_check.store.codec import encode
from disclosure_check.store.shares import Shares
from disclosure_check.types import Assessment, Failure, Given
from ui.data import open_store, rubric, scorer

MAX_UPLOAD_MB = 20
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


def score_upload(path: Path, given: Given | None = None) -> Assessment | Failure:
    """Score one uploaded PDF in a worker process under the upload limits (the same isolation as a
    batch: a hostile upload is killed and reported, never takes the server down). The one place
    the dashboard scores anything. A script run that is stopped kills its worker."""
    from disclosure_check.run.isolation import Limits, score_isolated

    limits = Limits(time_limit=UPLOAD_TIME_LIMIT_SECONDS, memory_limit=UPLOAD_MEMORY_LIMIT_MB)
    return score_isolated(scorer(), path, limits, cancelled=_script_stopped, given=given)


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
    with open_store() as store:
        if Shares(store).pending(result.doc_id) is not None:
            return ShareOutcome(False, "This statement has already been shared and is waiting for the "
                                       "Commissioner's office. Thank you.")
        if Shares(store).count(since, source=source) >= SHARES_PER_SESSION:
            return ShareOutcome(False, f"You have shared {SHARES_PER_SESSION} statements in the last hour, the "
                                       "most we accept from one visitor. Please try again later.")
        if Shares(store).count(since) >= SHARES_PER_HOUR:
            return ShareOutcome(False, "We are receiving a lot of statements right now. Please try again in "
                                       "an hour.")
        payload = encode(result)  # the whole result (the codec's form): staff accept what save would store
        store.keep_rubric(rubric())  # the upload was scored with the dashboard's rubric
        payload["document"] = file_name
        Shares(store).add(payload, file_name=file_name, source=source, content=content)
    return ShareOutcome(True, "Shared. The Commissioner's office will review it. Thank you.")
