"""Triage sessions: one open session per user, holding only the keys of the answers given so far."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from bot.store.db import now


@dataclass(frozen=True)
class Session:
    id: int
    user_id: int
    channel: str
    question_id: int | None
    choices: tuple[str, ...]
    status: str
    verdict: str | None


def _session(row: dict[str, Any]) -> Session:
    return Session(id=row["id"], user_id=row["user_id"], channel=row["channel"], question_id=row["question_id"],
                   choices=tuple(json.loads(row["choices"])), status=row["status"], verdict=row["verdict"])


def start_session(db: Database, user_id: int, channel: str, question_id: int | None = None) -> Session:
    """A new session; any session the user left open is cancelled (one dialogue at a time)."""
    stamp = now()
    with db.conn:
        db.conn.execute("UPDATE triage_sessions SET status = 'cancelled', updated_at = ?"
                        " WHERE user_id = ? AND status = 'open'", (stamp, user_id))
        cursor = db.conn.execute(
            "INSERT INTO triage_sessions (user_id, channel, question_id, started_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?)", (user_id, channel, question_id, stamp, stamp))
    return get_session(db, int(cursor.lastrowid))  # type: ignore[return-value]


def get_session(db: Database, session_id: int) -> Session | None:
    rows = list(db.query("SELECT * FROM triage_sessions WHERE id = ?", [session_id]))
    return _session(rows[0]) if rows else None


def open_session(db: Database, user_id: int) -> Session | None:
    rows = list(db.query("SELECT * FROM triage_sessions WHERE user_id = ? AND status = 'open'", [user_id]))
    return _session(rows[0]) if rows else None


def update_session(db: Database, session_id: int, *, expected: tuple[str, ...], choices: tuple[str, ...],
                   status: str = "open", verdict: str | None = None) -> bool:
    """Compare and set: write only if the session is still open with ``expected`` answers, so a double
    tap or an old button changes nothing. True when written."""
    with db.conn:
        cursor = db.conn.execute(
            "UPDATE triage_sessions SET choices = ?, status = ?, verdict = ?, updated_at = ?"
            " WHERE id = ? AND status = 'open' AND choices = ?",
            (json.dumps(list(choices)), status, verdict, now(), session_id, json.dumps(list(expected))))
    return cursor.rowcount == 1
