"""The resume rules both engines follow: which stored outcome is reused, and which is tried again.

Each result records the options it was produced with (``attempt_options``); a stored failure is
scored again when one of the options that could have caused it changed since (``RETRY_WHEN``), or
on request; a stored success is always reused (unless the run rescores everything).
"""

from __future__ import annotations

from disclosure_check.errors import FetchError
from disclosure_check.pipeline import ScoreOptions
from disclosure_check.run.isolation import Limits
from disclosure_check.types import StoredAttempt

# Failure code -> the options whose change could change that outcome: a stored failure is tried
# again when one of them differs from the run that failed (DC102: whenever a password is given).
# Other failures (damaged, not English, a crash, a bug) are tried again only on request.
RETRY_WHEN: dict[str, tuple[str, ...]] = {
    "DC101": ("max_bytes", "max_pages"),
    "DC102": ("password",),
    "DC104": ("ocr", "max_ocr_pages"),
    "DC106": ("time_limit", "ocr", "max_ocr_pages", "max_pages"),
    "DC107": ("memory_limit", "ocr", "max_ocr_pages", "max_pages"),
    "DC108": ("memory_limit",),  # the system's OOM killer, or a crash under memory pressure
}
ALWAYS_RETRIED = (FetchError.code,)  # a fetch: the server may answer now


def attempt_options(options: ScoreOptions, limits: Limits) -> dict:
    """The options that decide whether a document can be read, as stored beside its result. The
    password itself is never stored: only whether one was given."""
    return {"password": bool(options.password), "max_bytes": options.max_bytes, "max_pages": options.max_pages,
            "ocr": options.ocr, "max_ocr_pages": options.max_ocr_pages, "time_limit": limits.time_limit,
            "memory_limit": limits.memory_limit}


def needs_retry(stored: StoredAttempt, current: dict, *, retry_failed: bool = False) -> bool:
    """Whether a stored outcome should be scored again rather than reused."""
    if stored.status != "failed":
        return False
    if retry_failed or stored.options is None or stored.error_code in ALWAYS_RETRIED:
        return True  # options None: failed before options were recorded
    if stored.error_code == "DC102" and current.get("password"):
        return True
    return any(stored.options.get(name) != current.get(name) for name in RETRY_WHEN.get(stored.error_code or "", ())
               if name != "password")
