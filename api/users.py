"""API keys and roles, kept in a small SQLite file beside the graph (`<data dir>/users.sqlite`).

Keys are 32 random bytes shown once at creation; only their SHA-256 is stored. A fast hash is enough
here because the secret is random (nothing to brute-force from a dictionary), and it lets a request
look its key up by hash in one indexed read.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import sqlite3
import threading
from pathlib import Path
from typing import Literal

from pydantic import BaseModel

from graph.errors import DutygraphError

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
    def __init__(self, path: Path):
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False)
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS users (name TEXT PRIMARY KEY, role TEXT NOT NULL, key_hash TEXT UNIQUE NOT NULL,"
            " key_hint TEXT NOT NULL, created_at TEXT NOT NULL, revoked_at TEXT)"
        )
        self._db.commit()

    @classmethod
    def for_data_dir(cls, data_dir: Path) -> KeyStore:
        return cls(Path(data_dir) / "users.sqlite")

    def add(self, name: str, role: Role) -> str:
        """Create a user and return its key (the only time the key is visible)."""
        name = name.strip()
        if not name or len(name) > 100:
            raise UserError("a user name is 1 to 100 characters")
        if role not in ROLES:
            raise UserError(f"unknown role {role!r}: use one of {', '.join(ROLES)}")
        key = KEY_PREFIX + secrets.token_urlsafe(32)
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        with self._lock:
            try:
                self._db.execute("INSERT INTO users VALUES (?, ?, ?, ?, ?, NULL)",
                                 (name, role, hash_key(key), key[:7] + "…", now))
                self._db.commit()
            except sqlite3.IntegrityError:
                raise UserError(f"user {name!r} exists: revoke it or use `users rotate`") from None
        return key

    def rotate(self, name: str) -> str:
        """A new key for an active user; the old key stops working at once."""
        key = KEY_PREFIX + secrets.token_urlsafe(32)
        with self._lock:
            cur = self._db.execute("UPDATE users SET key_hash = ?, key_hint = ? WHERE name = ? AND revoked_at IS NULL",
                                   (hash_key(key), key[:7] + "…", name))
            self._db.commit()
        if cur.rowcount == 0:
            raise UserError(f"no active user {name!r}")
        return key

    def revoke(self, name: str) -> None:
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        with self._lock:
            cur = self._db.execute("UPDATE users SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL", (now, name))
            self._db.commit()
        if cur.rowcount == 0:
            raise UserError(f"no active user {name!r}")

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
