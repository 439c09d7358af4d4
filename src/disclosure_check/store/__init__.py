"""Results storage: typed results in, typed results out (``codec``), on SQLite or PostgreSQL
(``database``), with ordered migrations (``schema``, ``postgres_schema``); reviewers' decisions as an
append-only trail applied with the rubric each result was scored with; self-assessment shares,
staff accounts, assignments and verification levels, and the dashboard's SQL reads (``queries``)."""

from disclosure_check.faces import face

# The names other packages may use, and the module each lives in (imported when first used).
_FACE = {
    "Store": "store",
    "StoredResult": "store",
    "encode": "codec",
    "decode": "codec",
    "Shares": "shares",
    "Accounts": "accounts",
    "Assignments": "assignments",
    "parse_db_url": "database",
    "redact": "database",
}
__all__ = sorted(_FACE)
__getattr__ = face(__name__, _FACE)
