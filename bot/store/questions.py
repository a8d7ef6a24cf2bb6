"""Queries for the question log, knowledge gaps and answer feedback."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlite_utils import Database

from bot.store.db import now


def log_question(db: Database, *, user_id: int | None, channel: str, text: str, outcome: str,
                 entry_id: str | None, verdict: str | None, confidence: float, latency_ms: float) -> int:
    """Record one question (``text`` already masked); returns its id."""
    cursor = db.conn.execute(
        "INSERT INTO questions (asked_at, user_id, channel, text, outcome, entry_id, verdict, confidence, latency_ms)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (now(), user_id, channel, text, outcome, entry_id, verdict, confidence, round(latency_ms, 3)),
    )
    db.conn.commit()
    return int(cursor.lastrowid)


def add_gap(db: Database, *, question_id: int | None, user_id: int | None, department: str,
            text: str, normalized: str, reason: str) -> int:
    cursor = db.conn.execute(
        "INSERT INTO gaps (question_id, user_id, department, text, normalized, reason, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (question_id, user_id, department, text, normalized, reason, now()),
    )
    db.conn.commit()
    return int(cursor.lastrowid)


def get_question(db: Database, question_id: int) -> dict[str, Any] | None:
    rows = list(db.query("SELECT * FROM questions WHERE id = ?", [question_id]))
    return rows[0] if rows else None


def record_feedback(db: Database, *, question_id: int, user_id: int | None, helpful: bool, reason: str = "") -> bool:
    """Store or update a rating; False when the question does not exist or is not the user's."""
    question = get_question(db, question_id)
    if question is None or question["user_id"] != user_id:
        return False
    db.conn.execute(
        "INSERT INTO feedback (question_id, user_id, helpful, reason, created_at) VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT (question_id, user_id) DO UPDATE SET helpful = excluded.helpful,"
        " reason = CASE WHEN excluded.reason != '' THEN excluded.reason ELSE feedback.reason END,"
        " created_at = excluded.created_at",
        (question_id, user_id, int(helpful), reason, now()),
    )
    db.conn.commit()
    return True


def delete_questions_before(db: Database, days: int) -> int:
    """Retention: drop question-log rows older than ``days`` with what only they need (the questions offered
    as buttons under them, a 👎 reason still awaited); gaps and feedback keep their own copy."""
    cutoff = (datetime.now(UTC) - timedelta(days=days)).isoformat(timespec="seconds")
    old = "SELECT id FROM questions WHERE asked_at < ?"
    with db.atomic():
        db.conn.execute(f"DELETE FROM offers WHERE question_id IN ({old})", (cutoff,))
        db.conn.execute(f"DELETE FROM awaiting_reason WHERE question_id IN ({old})", (cutoff,))
        cursor = db.conn.execute("DELETE FROM questions WHERE asked_at < ?", (cutoff,))
    return cursor.rowcount
