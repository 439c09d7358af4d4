"""Staff accounts: salted password hashes, sign-in throttling, and sign-in sessions.

Everything lives in the results database (``Accounts`` holds the SQL, the functions the policy), so a
back-off survives reruns, new browser sessions and server restarts, and a sign-in survives a page
reload through a random session token (the browser keeps the token, the database its hash).
Pure Python and the standard library: the CLI manages accounts and the dashboard signs staff in.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache

from disclosure_check.errors import ConfigError, StoreError
from disclosure_check.sanitize import clean_line
from disclosure_check.store.store import Store

NAME_MAX_CHARS = 60
PASSWORD_MIN_CHARS = 12
PASSWORD_MAX_CHARS = 1024  # scrypt would hash more, but nobody types it: refuse before spending memory
SESSION_HOURS = 12
# scrypt (RFC 7914) with n=2**14, r=8, p=1: 16 MiB and ~50 ms per check, the interactive-login cost
# its authors recommend; the parameters are stored with each hash so they can be raised later.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1


@dataclass(frozen=True)
class Throttle:
    """Back-off after repeated failures: ``free`` failures cost nothing, then each one doubles the
    wait from ``base`` seconds up to ``most``; a count idle for ``forget_after`` seconds starts again."""

    free: int
    base: float
    most: float
    forget_after: float

    def wait(self, failures: int, last_failure: float, now: float) -> float:
        """Seconds from ``now`` before another attempt is accepted."""
        if failures < self.free or now - last_failure > self.forget_after:
            return 0.0
        delay = min(self.base * 2 ** (failures - self.free), self.most)
        return max(0.0, last_failure + delay - now)


PER_ACCOUNT = Throttle(free=5, base=2.0, most=15 * 60.0, forget_after=24 * 3600.0)
# Across all names: guessing many accounts at once slows everyone's sign-in, but only to a minute.
GLOBAL = Throttle(free=50, base=1.0, most=60.0, forget_after=3600.0)
GLOBAL_KEY = "global"


class Accounts:
    """The accounts, sessions and failure counts in a store. An account's ``key`` is its name folded
    for lookup (``account_key``): SQLite's NOCASE folds ASCII only, and "Ó" and "ó" must be one person."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def add(self, key: str, name: str, password_hash: str) -> None:
        try:
            with self.store.transaction() as conn:
                conn.execute("INSERT INTO accounts VALUES (?, ?, ?, ?)", (key, name, password_hash, _now()))
        except self.store.conn.integrity_errors:
            raise StoreError(f"a staff account named '{name}' already exists", where=self.store.url,
                             fix=f"choose another name, or `disclosure-check staff remove \"{name}\"` first") from None

    def get(self, key: str) -> dict | None:
        row = self.store.conn.execute("SELECT * FROM accounts WHERE key=?", (key,)).fetchone()
        return dict(row) if row else None

    def all(self) -> list[dict]:
        """Every account's name and when it was created, by name."""
        return [dict(r) for r in self.store.conn.execute(
            "SELECT name, created_at FROM accounts ORDER BY name").fetchall()]

    def remove(self, key: str) -> bool:
        """Remove an account and end its sessions; False when there was none."""
        with self.store.transaction() as conn:
            conn.execute("DELETE FROM sessions WHERE account=?", (key,))
            return conn.execute("DELETE FROM accounts WHERE key=?", (key,)).rowcount > 0

    def add_session(self, token_hash: str, account_key: str, expires_at: float) -> None:
        with self.store.transaction() as conn:
            conn.execute("DELETE FROM sessions WHERE expires_at < ?", (expires_at - 10 * 86400,))
            conn.execute("INSERT INTO sessions VALUES (?, ?, ?, ?)", (token_hash, account_key, _now(), expires_at))

    def session_account(self, token_hash: str, now: float) -> str | None:
        """The account a live session belongs to (the name as stored), or None."""
        row = self.store.conn.execute(
            "SELECT a.name FROM sessions s JOIN accounts a ON a.key = s.account WHERE s.token_hash=? AND s.expires_at>?",
            (token_hash, now)).fetchone()
        return row[0] if row else None

    def remove_session(self, token_hash: str) -> None:
        with self.store.transaction() as conn:
            conn.execute("DELETE FROM sessions WHERE token_hash=?", (token_hash,))

    def failures(self, key: str) -> tuple[int, float]:
        """(failures, time of the last one) recorded under ``key``; (0, 0.0) when none."""
        row = self.store.conn.execute("SELECT failures, last_failure FROM sign_in_failures WHERE key=?",
                                      (key,)).fetchone()
        return (int(row[0]), float(row[1])) if row else (0, 0.0)

    def record_failure(self, key: str, now: float, *, forget_after: float) -> None:
        """One more failure under ``key``; a count idle for ``forget_after`` seconds starts again."""
        self.reserve(key, now, forget_after=forget_after)

    def reserve(self, key: str, now: float, *, forget_after: float) -> int:
        """Count an attempt under ``key`` as a failure before it is checked (one atomic statement,
        so thirty simultaneous attempts see thirty counts, not one); the failures before it."""
        with self.store.transaction() as conn:
            row = conn.execute(
                """INSERT INTO sign_in_failures VALUES (?, 1, ?) ON CONFLICT(key) DO UPDATE SET
                   failures = CASE WHEN ? - sign_in_failures.last_failure > ? THEN 1
                                   ELSE sign_in_failures.failures + 1 END,
                   last_failure = excluded.last_failure
                   RETURNING failures""",
                (key, now, now, forget_after)).fetchone()
        return int(row[0]) - 1

    def release(self, key: str) -> None:
        """Take back one reserved failure under ``key`` (the attempt succeeded)."""
        with self.store.transaction() as conn:
            conn.execute("UPDATE sign_in_failures SET failures = failures - 1 WHERE key=? AND failures > 0", (key,))

    def clear_failures(self, key: str) -> None:
        with self.store.transaction() as conn:
            conn.execute("DELETE FROM sign_in_failures WHERE key=?", (key,))


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass(frozen=True)
class SignIn:
    """The outcome of one sign-in attempt: ``account`` (the stored name) when it succeeded;
    ``retry_after`` seconds when it was refused unchecked because of too many failures."""

    account: str | None
    retry_after: float = 0.0


def normalise_name(name: str) -> str:
    """A staff name as stored: one clean line, NFC, 1 to NAME_MAX_CHARS characters."""
    text = unicodedata.normalize("NFC", clean_line(str(name)))
    if not text or len(text) > NAME_MAX_CHARS:
        raise ConfigError(f"a staff name must be 1 to {NAME_MAX_CHARS} characters (got {len(text)})",
                          fix="use the person's name, e.g. 'Dana Smith'")
    return text


def _password_bytes(password: str) -> bytes:
    # NFC: the same password typed on two keyboards (é composed or as e + accent) is the same bytes.
    return unicodedata.normalize("NFC", password).encode("utf-8")


def check_new_password(password: str) -> None:
    if len(password) < PASSWORD_MIN_CHARS:
        raise ConfigError(f"the password is {len(password)} characters; use at least {PASSWORD_MIN_CHARS}",
                          fix="choose a longer passphrase (any characters, including non-ASCII)")
    if len(password) > PASSWORD_MAX_CHARS:
        raise ConfigError(f"the password is over {PASSWORD_MAX_CHARS} characters", fix="choose a shorter one")


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    """``scrypt$n$r$p$salt$hash`` (base64) for ``password`` with a fresh 16-byte salt."""
    salt = salt or secrets.token_bytes(16)
    derived = hashlib.scrypt(_password_bytes(password), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32)
    encode = base64.b64encode
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${encode(salt).decode()}${encode(derived).decode()}"


def verify_password(password: str, encoded: str) -> bool:
    """Whether ``password`` matches ``encoded``; compares the derived bytes in constant time."""
    try:
        scheme, n, r, p, salt, expected = encoded.split("$")
        if scheme != "scrypt" or len(password) > PASSWORD_MAX_CHARS:
            return False
        derived = hashlib.scrypt(_password_bytes(password), salt=base64.b64decode(salt), n=int(n), r=int(r),
                                 p=int(p), dklen=32)
        return hmac.compare_digest(derived, base64.b64decode(expected))
    except (ValueError, TypeError):
        return False


@lru_cache(maxsize=1)
def _unknown_account_hash() -> str:
    # An unknown name costs the same scrypt as a known one, so timing does not tell them apart.
    return hash_password(secrets.token_urlsafe(16))


def account_key(name: str) -> str:
    """How a name is looked up: cleaned, NFC and case-folded (Unicode-aware, unlike SQLite's NOCASE)."""
    return unicodedata.normalize("NFC", clean_line(str(name))).casefold()


def add_account(store: Store, name: str, password: str) -> str:
    """Create a staff account; returns the name as stored."""
    name = normalise_name(name)
    check_new_password(password)
    Accounts(store).add(account_key(name), name, hash_password(password))
    return name


def remove_account(store: Store, name: str) -> bool:
    """Remove a staff account (any case) and end its sessions; False when there was none."""
    return Accounts(store).remove(account_key(name))


def _account_key(name: str) -> str:
    return "account:" + account_key(name)


def retry_after(store: Store, name: str, now: float | None = None) -> float:
    """Seconds before a sign-in as ``name`` is accepted (0 when it may be tried now)."""
    now = time.time() if now is None else now
    accounts = Accounts(store)
    return max(PER_ACCOUNT.wait(*accounts.failures(_account_key(name)), now),
               GLOBAL.wait(*accounts.failures(GLOBAL_KEY), now))


def sign_in(store: Store, name: str, password: str, *, now: float | None = None) -> SignIn:
    """Check a name and password, unless failures under that name or overall call for a wait;
    failures are recorded (per name, known or not, and globally), a success clears the name's."""
    now = time.time() if now is None else now
    accounts = Accounts(store)
    seen = accounts.failures(_account_key(name)), accounts.failures(GLOBAL_KEY)
    wait = max(PER_ACCOUNT.wait(*seen[0], now), GLOBAL.wait(*seen[1], now))
    if wait > 0:
        return SignIn(None, wait)
    # Counted before it is checked: simultaneous attempts cannot all pass the check above and then
    # all be verified (the promise is five free tries a name, then waits). An attempt that finds
    # more failures reserved than it saw was raced by others just now.
    before = accounts.reserve(_account_key(name), now, forget_after=PER_ACCOUNT.forget_after)
    before_all = accounts.reserve(GLOBAL_KEY, now, forget_after=GLOBAL.forget_after)
    wait = max(PER_ACCOUNT.wait(before, now if before > seen[0][0] else seen[0][1], now),
               GLOBAL.wait(before_all, now if before_all > seen[1][0] else seen[1][1], now))
    if wait > 0:
        return SignIn(None, wait)
    found = accounts.get(account_key(name)) if name.strip() else None
    ok = verify_password(password, found["password_hash"] if found else _unknown_account_hash())
    if ok and found:
        accounts.clear_failures(_account_key(name))
        accounts.release(GLOBAL_KEY)
        return SignIn(found["name"])
    return SignIn(None)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def start_session(store: Store, account: str, *, now: float | None = None) -> str:
    """A new random session token for ``account``, valid SESSION_HOURS; only its hash is stored."""
    now = time.time() if now is None else now
    token = secrets.token_urlsafe(32)
    Accounts(store).add_session(_token_hash(token), account_key(account), now + SESSION_HOURS * 3600)
    return token


def session_account(store: Store, token: object, *, now: float | None = None) -> str | None:
    """The account a session token signs in, or None (unknown, expired, ended, or account removed)."""
    if not isinstance(token, str) or not 20 <= len(token) <= 100:
        return None
    return Accounts(store).session_account(_token_hash(token), time.time() if now is None else now)


def end_session(store: Store, token: object) -> None:
    if isinstance(token, str):
        Accounts(store).remove_session(_token_hash(token))
