"""Settings, declared once: environment variable, default and help. The README documents each
(a test checks), and CLI options fall back to them."""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Setting:
    env: str
    default: str | None
    help: str

    def value(self) -> str | None:
        return os.environ.get(self.env) or self.default


DB = Setting("DISCLOSURE_CHECK_DB", "data/disclosure_check.db",
             "Results database: a SQLite file path or sqlite:///path (`:memory:` for a throwaway one), "
             "or a PostgreSQL URL postgresql://user@host:port/database.")
MODEL = Setting("DISCLOSURE_CHECK_MODEL", None,
                "Model set directory (sentence and audience models); default ./models/default, else the source checkout's.")
RUBRIC = Setting("DISCLOSURE_CHECK_RUBRIC", None,
                 "Rubric YAML file; default the bundled disclosure rubric.")

APP_MODE = Setting("DISCLOSURE_CHECK_APP_MODE", "staff",
                   "Dashboard mode: `staff` (all pages, behind sign-in) or `public` (self-assessment only); "
                   "anything else is refused.")
ALLOWED_HOSTS = Setting("DISCLOSURE_CHECK_ALLOWED_HOSTS", None,
                        "Host names the dashboard answers to (comma-separated, e.g. `review.example.org`); a request "
                        "for any other name is refused. Unset: any name, except that local use without accounts "
                        "answers only to localhost, 127.0.0.1 and [::1] from a page of the same port.")
TRUSTED_PROXIES = Setting("DISCLOSURE_CHECK_TRUSTED_PROXIES", None,
                          "Addresses of your reverse proxies (comma-separated): only behind these is `X-Forwarded-For` "
                          "believed when the share limits count uploads per visitor's address.")
UPLOAD_SLOTS = Setting("DISCLOSURE_CHECK_UPLOAD_SLOTS", "2",
                       "How many self-assessment uploads the dashboard scores at once, for everyone together; "
                       "the others wait in a queue (at most four times as many).")
# Staff sign in with named accounts (`disclosure-check staff add`) or OIDC; the shared
# DISCLOSURE_CHECK_STAFF_PASSWORD of earlier versions is no longer read.

SETTINGS = (DB, MODEL, RUBRIC, APP_MODE, ALLOWED_HOSTS, TRUSTED_PROXIES, UPLOAD_SLOTS)
