"""Queries for the outbox: replies Telegram did not take, waiting for another try (oldest first per chat).

A row holds the Bot API method and its parameters as JSON. A delivered row is deleted (the text has reached
its reader and need not be kept); a row that can never be delivered keeps its status (``unreachable``,
``rejected``, ``expired``) with the text removed, so the count stays visible without the content.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from bot.store.db import now

PENDING, UNREACHABLE, REJECTED, EXPIRED = "pending", "unreachable", "rejected", "expired"


@dataclass(frozen=True)
class Queued:
    id: int
    chat_id: int
    method: str
    params: dict[str, Any]
    tries: int
    created_at: str


def _queued(row: dict[str, Any]) -> Queued:
    return Queued(row["id"], row["chat_id"], row["method"], json.loads(row["params"]), row["tries"],
                  row["created_at"])


def add(db: Database, chat_id: int, method: str, params: dict[str, Any], error: str) -> int:
    """Queue one request (``params`` JSON-compatible); returns its id."""
    at = now()
    cursor = db.conn.execute(
        "INSERT INTO outbox (chat_id, method, params, last_error, created_at, tried_at) VALUES (?, ?, ?, ?, ?, ?)",
        (chat_id, method, json.dumps(params, ensure_ascii=False), error[:500], at, at),
    )
    db.conn.commit()
    return int(cursor.lastrowid)


def pending(db: Database, chat_id: int | None = None, limit: int = 1000) -> list[Queued]:
    """Pending rows, oldest first (of one chat, or of all chats)."""
    sql = "SELECT * FROM outbox WHERE status = 'pending'"
    args: list[Any] = []
    if chat_id is not None:
        sql += " AND chat_id = ?"
        args.append(chat_id)
    return [_queued(r) for r in db.query(sql + " ORDER BY id LIMIT ?", [*args, limit])]


def chats_waiting(db: Database) -> set[int]:
    """Chats with at least one pending row."""
    return {r["chat_id"] for r in db.query("SELECT DISTINCT chat_id FROM outbox WHERE status = 'pending'")}


def delivered(db: Database, row_id: int) -> None:
    db.conn.execute("DELETE FROM outbox WHERE id = ?", (row_id,))
    db.conn.commit()


def tried(db: Database, row_id: int, error: str) -> None:
    """One more failed try; the row stays pending."""
    db.conn.execute("UPDATE outbox SET tries = tries + 1, last_error = ?, tried_at = ? WHERE id = ?",
                    (error[:500], now(), row_id))
    db.conn.commit()


def give_up(db: Database, row_id: int, status: str, error: str) -> None:
    """The row will never be delivered: keep why, drop the text."""
    db.conn.execute("UPDATE outbox SET status = ?, params = '{}', last_error = ?, tried_at = ? WHERE id = ?",
                    (status, error[:500], now(), row_id))
    db.conn.commit()


def give_up_chat(db: Database, chat_id: int, status: str, error: str) -> int:
    """Every pending row of a chat (e.g. the person blocked the bot)."""
    cursor = db.conn.execute(
        "UPDATE outbox SET status = ?, params = '{}', last_error = ?, tried_at = ? WHERE chat_id = ? AND status = 'pending'",
        (status, error[:500], now(), chat_id),
    )
    db.conn.commit()
    return cursor.rowcount


def expire_before(db: Database, cutoff: str) -> int:
    """Pending rows queued before ``cutoff`` (ISO-8601 UTC) are too old to be worth sending."""
    cursor = db.conn.execute(
        "UPDATE outbox SET status = 'expired', params = '{}' WHERE status = 'pending' AND created_at < ?", (cutoff,)
    )
    db.conn.commit()
    return cursor.rowcount


def counts(db: Database) -> dict[str, int]:
    """Rows by status (for logs and tests)."""
    return {r["status"]: r["n"] for r in db.query("SELECT status, count(*) AS n FROM outbox GROUP BY status")}


def set_reachable(db: Database, telegram_id: int, reachable: bool) -> bool:
    """Mark a registered person (un)reachable; True when the flag changed."""
    cursor = db.conn.execute("UPDATE users SET reachable = ? WHERE telegram_id = ? AND reachable != ?",
                             (int(reachable), telegram_id, int(reachable)))
    db.conn.commit()
    return cursor.rowcount == 1


def unreachable_ids(db: Database) -> set[int]:
    return {r["telegram_id"] for r in db.query("SELECT telegram_id FROM users WHERE reachable = 0")}
