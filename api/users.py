"""API keys and roles, kept in a small SQLite file beside the graph (`<data dir>/users.sqlite`).

Keys are 32 random bytes shown once at creation; only their SHA-256 is stored. A fast hash is enough
here because the secret is random (nothing to brute-force from a dictionary), and it lets a request
look its key up by hash in one indexed read.

With a change log attached (`dutygraph users …` attaches the graph's), every change of a user — created, role
changed, key replaced, revoked — is an entry under `User` with who made it, and never the key, its hash or its hint.
The entry is written before the SQLite change commits, so a change the log cannot take is rolled back.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import sqlite3
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel

from graph.errors import DutygraphError

if TYPE_CHECKING:
    from graph.changelog import ChangeLog

# Ranked: each role may do what the roles before it may. A reviewer approves or returns what an adjudicator
# submitted on a dispute's review ladder (cases.ladder), and can do an adjudicator's work too.
Role = Literal["reader", "adjudicator", "reviewer", "admin"]
ROLES: tuple[Role, ...] = ("reader", "adjudicator", "reviewer", "admin")
RANK: dict[str, int] = {r: i for i, r in enumerate(ROLES)}
KEY_PREFIX = "dg_"


class UserError(DutygraphError):
    """A user name or role that cannot be used (unknown, duplicate, revoked)."""


class User(BaseModel):
    name: str
    role: Role
    created_at: str
    revoked_at: str | None = None
    key_hint: str = ""

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    def can(self, role: Role) -> bool:
        return self.active and RANK[self.role] >= RANK[role]


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class KeyStore:
    def __init__(self, path: Path, log: ChangeLog | None = None):
        self.path, self.log = path, log
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False)
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS users (name TEXT PRIMARY KEY, role TEXT NOT NULL, key_hash TEXT UNIQUE NOT NULL,"
            " key_hint TEXT NOT NULL, created_at TEXT NOT NULL, revoked_at TEXT)"
        )
        self._db.commit()

    @classmethod
    def for_data_dir(cls, data_dir: Path, log: ChangeLog | None = None) -> KeyStore:
        return cls(Path(data_dir) / "users.sqlite", log)

    def add(self, name: str, role: Role, actor: str = "system") -> str:
        """Create a user and return its key (the only time the key is visible)."""
        name = name.strip()
        if not name or len(name) > 100:
            raise UserError("a user name is 1 to 100 characters")
        _check_role(role)
        key = KEY_PREFIX + secrets.token_urlsafe(32)
        with self._lock:
            try:
                self._db.execute("INSERT INTO users VALUES (?, ?, ?, ?, ?, NULL)",
                                 (name, role, hash_key(key), key[:7] + "…", _now()))
            except sqlite3.IntegrityError:
                self._db.rollback()
                raise UserError(f"user {name!r} exists: revoke it or use `users rotate`") from None
            self._commit_logged("add", name, {"role": role}, actor)
        return key

    def set_role(self, name: str, role: Role, actor: str = "system") -> None:
        """Give an active user another role; the key stays the same."""
        _check_role(role)
        with self._lock:
            row = self._db.execute("SELECT role FROM users WHERE name = ? AND revoked_at IS NULL", (name,)).fetchone()
            if row is None:
                raise UserError(f"no active user {name!r}")
            if row[0] == role:
                return
            self._db.execute("UPDATE users SET role = ? WHERE name = ?", (role, name))
            self._commit_logged("role", name, {"set": {"role": role}, "before": {"role": row[0]}}, actor)

    def rotate(self, name: str, actor: str = "system") -> str:
        """A new key for an active user; the old one stops working at once."""
        key = KEY_PREFIX + secrets.token_urlsafe(32)
        self._change("rotate", name, "UPDATE users SET key_hash = ?, key_hint = ? WHERE name = ? AND revoked_at IS NULL",
                     (hash_key(key), key[:7] + "…", name), {"key": "replaced"}, actor)
        return key

    def revoke(self, name: str, actor: str = "system") -> None:
        now = _now()
        self._change("revoke", name, "UPDATE users SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL",
                     (now, name), {"revoked_at": now}, actor)

    def _change(self, action: str, name: str, sql: str, params: tuple[Any, ...], payload: dict[str, Any],
                actor: str) -> None:
        with self._lock:
            if self._db.execute(sql, params).rowcount == 0:
                self._db.rollback()
                raise UserError(f"no active user {name!r}")
            self._commit_logged(action, name, payload, actor)

    def _commit_logged(self, action: str, name: str, payload: dict[str, Any], actor: str) -> None:
        """Log the change (no secret in `payload`), then commit it; if either fails, nothing changed. Under _lock."""
        try:
            if self.log is not None:
                self.log.record(action, "User", f"user:{name}", {"name": name, **payload}, actor)
            self._db.commit()
        except BaseException:
            self._db.rollback()
            raise

    def list(self) -> list[User]:
        with self._lock:
            rows = self._db.execute("SELECT name, role, created_at, revoked_at, key_hint FROM users ORDER BY name").fetchall()
        return [User(name=r[0], role=r[1], created_at=r[2], revoked_at=r[3], key_hint=r[4]) for r in rows]

    def authenticate(self, key: str) -> User | None:
        """The active user holding this key, or None."""
        if not key.startswith(KEY_PREFIX):
            return None
        with self._lock:
            r = self._db.execute("SELECT name, role, created_at, revoked_at, key_hint FROM users WHERE key_hash = ?",
                                 (hash_key(key),)).fetchone()
        if r is None or r[3] is not None:
            return None
        return User(name=r[0], role=r[1], created_at=r[2], revoked_at=r[3], key_hint=r[4])

    def close(self) -> None:
        self._db.close()


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise UserError(f"unknown role {role!r}: use one of {', '.join(ROLES)}")


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
