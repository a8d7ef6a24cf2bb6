"""Queries for knowledge gaps (what staff asked that the bot could not answer) and teaching drafts."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlite_utils import Database

from bot.store.db import now
from bot.store.quizzes import transaction

DRAFT_FIELDS = ("step", "question", "verdict", "answer", "basis")


def open_gaps(db: Database, limit: int) -> list[dict[str, Any]]:
    """The ``limit`` most recent open gaps, oldest first."""
    rows = db.query(
        "SELECT * FROM (SELECT * FROM gaps WHERE status = 'open' ORDER BY id DESC LIMIT ?) ORDER BY id", [limit]
    )
    return list(rows)


def count_open(db: Database) -> int:
    return db.conn.execute("SELECT COUNT(*) FROM gaps WHERE status = 'open'").fetchone()[0]


def resolve(db: Database, ids: Iterable[int], *, status: str, entry_id: str | None, by: int | None) -> list[dict[str, Any]]:
    """Close the still-open gaps among ``ids`` (answered or ignored); returns the rows it closed."""
    ids = list(ids)
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    with transaction(db):  # a gap is closed once, by whoever gets there first
        rows = list(db.query(f"SELECT * FROM gaps WHERE status = 'open' AND id IN ({marks}) ORDER BY id", ids))
        closing = [r["id"] for r in rows]
        if closing:
            db.conn.execute(
                f"UPDATE gaps SET status = ?, entry_id = ?, resolved_at = ?, resolved_by = ?"
                f" WHERE id IN ({','.join('?' * len(closing))})",
                [status, entry_id, now(), by, *closing],
            )
    return rows


# ---------------------------------------------------------------- the new-answer dialogue


def get_draft(db: Database, user_id: int) -> dict[str, Any] | None:
    rows = list(db.query("SELECT * FROM teaching_drafts WHERE user_id = ?", [user_id]))
    return rows[0] if rows else None


def start_draft(db: Database, user_id: int, gap_id: int, question: str) -> None:
    """A fresh draft for ``gap_id`` (replacing any draft the trainer left unfinished)."""
    with transaction(db):
        db.conn.execute(
            "INSERT OR REPLACE INTO teaching_drafts (user_id, gap_id, step, question, started_at) VALUES (?, ?, 'question', ?, ?)",
            (user_id, gap_id, question, now()),
        )


def update_draft(db: Database, user_id: int, **fields: str) -> None:
    unknown = set(fields) - set(DRAFT_FIELDS)
    assert not unknown, f"not a draft field: {unknown}"
    if not fields:
        return
    with transaction(db):
        db.conn.execute(
            f"UPDATE teaching_drafts SET {', '.join(f'{k} = ?' for k in fields)} WHERE user_id = ?",
            [*fields.values(), user_id],
        )


def delete_draft(db: Database, user_id: int) -> None:
    with transaction(db):
        db.conn.execute("DELETE FROM teaching_drafts WHERE user_id = ?", (user_id,))
