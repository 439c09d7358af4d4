"""Results storage: typed results in, typed results out (``codec``), on SQLite or PostgreSQL
(``database``), with ordered migrations (``schema``, ``postgres_schema``); reviewers' decisions as an
append-only trail applied with the rubric each result was scored with; self-assessment shares,
staff accounts, and the dashboard's SQL reads (``queries``)."""

from importlib import import_module

# The names other packages may use, and the module each lives in (imported when first used).
_FACE = {
    "Store": "store",
    "StoredResult": "store",
    "encode": "codec",
    "decode": "codec",
    "Shares": "shares",
    "Accounts": "accounts",
    "parse_db_url": "database",
    "redact": "database",
}
__all__ = sorted(_FACE)


def __getattr__(name: str):
    if name in _FACE:
        return getattr(import_module(f"{__name__}.{_FACE[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
