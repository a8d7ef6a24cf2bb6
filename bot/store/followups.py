"""Queries for what follows an answer in a chat: the questions offered as buttons, and a pending reason."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database


def save_offers(db: Database, question_id: int, entry_ids: list[str]) -> None:
    with db.atomic():
        db.conn.execute("DELETE FROM offers WHERE question_id = ?", (question_id,))
        db.conn.executemany(
            "INSERT INTO offers (question_id, position, entry_id) VALUES (?, ?, ?)",
            [(question_id, n, entry_id) for n, entry_id in enumerate(entry_ids)],
        )


def get_offer(db: Database, question_id: int, position: int) -> str | None:
    rows = list(db.query("SELECT entry_id FROM offers WHERE question_id = ? AND position = ?", [question_id, position]))
    return rows[0]["entry_id"] if rows else None


def get_feedback(db: Database, question_id: int, user_id: int) -> dict[str, Any] | None:
    rows = list(db.query("SELECT * FROM feedback WHERE question_id = ? AND user_id = ?", [question_id, user_id]))
    return rows[0] if rows else None


def await_reason(db: Database, user_id: int, question_id: int, until: str) -> None:
    db.conn.execute(
        "INSERT INTO awaiting_reason (user_id, question_id, until) VALUES (?, ?, ?)"
        " ON CONFLICT (user_id) DO UPDATE SET question_id = excluded.question_id, until = excluded.until",
        (user_id, question_id, until),
    )
    db.conn.commit()


def pop_awaited(db: Database, user_id: int, at: str) -> int | None:
    """The question a reason is awaited for (and forget it); None when nothing or only expired is pending."""
    with db.atomic():
        rows = list(db.query("SELECT question_id, until FROM awaiting_reason WHERE user_id = ?", [user_id]))
        if not rows:
            return None
        db.conn.execute("DELETE FROM awaiting_reason WHERE user_id = ?", (user_id,))
    return rows[0]["question_id"] if at < rows[0]["until"] else None


def cancel_awaited(db: Database, user_id: int, question_id: int) -> None:
    db.conn.execute("DELETE FROM awaiting_reason WHERE user_id = ? AND question_id = ?", (user_id, question_id))
    db.conn.commit()


def save_reason(db: Database, question_id: int, user_id: int, reason: str) -> None:
    """Add the reason to the 👎 already recorded, and to the gap it filed."""
    with db.atomic():
        db.conn.execute(
            "UPDATE feedback SET reason = ? WHERE question_id = ? AND user_id = ?", (reason, question_id, user_id)
        )
        db.conn.execute(
            "UPDATE gaps SET reason = ? WHERE id = (SELECT max(id) FROM gaps WHERE question_id = ? AND user_id = ?"
            " AND reason LIKE 'unhelpful%')",
            (f"unhelpful: {reason}", question_id, user_id),
        )
