"""Cases: an application's due dates saved under a name, and the reminders already sent for them.

A case starts as a draft when the dates are shown (so a "save" button can carry only its id) and becomes
open when it gets a name; drafts older than a day are dropped when the user makes a new one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlite_utils import Database

from bot.deadlines.reminders import CaseDue
from bot.store.db import now

DUE_COLUMNS = {"correction": "correction_due", "reply": "reply_due", "extended": "extended_due",
               "opinion": "opinion_due"}


@dataclass(frozen=True)
class Case:
    id: int
    user_id: int
    name: str
    received: date
    excluded_days: int
    opinion_from: date | None
    dues: dict[str, date]  # kind → due date, in DUE_COLUMNS order
    status: str
    created_at: str
    closed_at: str | None = None


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _case(row: dict[str, Any]) -> Case:
    dues = {kind: _day(row[col]) for kind, col in DUE_COLUMNS.items()}
    return Case(id=row["id"], user_id=row["user_id"], name=row["name"], received=date.fromisoformat(row["received_on"]),
                excluded_days=row["excluded_days"], opinion_from=_day(row["opinion_from"]),
                dues={k: v for k, v in dues.items() if v is not None}, status=row["status"],
                created_at=row["created_at"], closed_at=row["closed_at"])


def add_draft(db: Database, user_id: int, *, received: date, excluded_days: int, opinion_from: date | None,
              dues: dict[str, date]) -> int:
    stamp = now()
    stale = (datetime.now(UTC) - timedelta(days=1)).isoformat(timespec="seconds")
    with db.conn:
        cursor = db.conn.execute(
            "INSERT INTO cases (user_id, received_on, excluded_days, opinion_from, correction_due, reply_due,"
            " extended_due, opinion_due, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (user_id, received.isoformat(), excluded_days, opinion_from.isoformat() if opinion_from else None,
             dues["correction"].isoformat(), dues["reply"].isoformat(), dues["extended"].isoformat(),
             dues["opinion"].isoformat() if "opinion" in dues else None, stamp))
        # After the insert, so the newest row keeps the highest id and a deleted id is never handed out again
        # (an old "save" button must not reach a new draft).
        db.conn.execute("DELETE FROM cases WHERE user_id = ? AND id != ? AND status = 'draft' AND created_at < ?",
                        (user_id, cursor.lastrowid, stale))
    return int(cursor.lastrowid)


def get_case(db: Database, case_id: int) -> Case | None:
    rows = list(db.query("SELECT * FROM cases WHERE id = ?", [case_id]))
    return _case(rows[0]) if rows else None


def set_prompt(db: Database, case_id: int, message_id: int) -> None:
    """Remember the message asking for the draft's name (a reply to it names the draft)."""
    with db.conn:
        db.conn.execute("UPDATE cases SET prompt_message_id = ? WHERE id = ? AND status = 'draft'",
                        (message_id, case_id))


def draft_by_prompt(db: Database, user_id: int, message_id: int) -> Case | None:
    rows = list(db.query("SELECT * FROM cases WHERE user_id = ? AND status = 'draft' AND prompt_message_id = ?",
                         [user_id, message_id]))
    return _case(rows[0]) if rows else None


def name_open(db: Database, user_id: int, name: str) -> Case | None:
    rows = list(db.query("SELECT * FROM cases WHERE user_id = ? AND status = 'open' AND name = ?", [user_id, name]))
    return _case(rows[0]) if rows else None


def open_draft(db: Database, user_id: int, case_id: int, name: str) -> bool:
    """Name a draft and open it; False when it is not this user's draft any more or the name is taken."""
    if name_open(db, user_id, name) is not None:
        return False
    with db.conn:
        cursor = db.conn.execute(
            "UPDATE cases SET name = ?, status = 'open', prompt_message_id = NULL"
            " WHERE id = ? AND user_id = ? AND status = 'draft'", (name, case_id, user_id))
    return cursor.rowcount == 1


def open_cases(db: Database, user_id: int | None = None) -> list[Case]:
    """Open cases of one user (or of everyone), soonest reply first."""
    sql, args = "SELECT * FROM cases WHERE status = 'open'", []
    if user_id is not None:
        sql, args = sql + " AND user_id = ?", [user_id]
    return [_case(r) for r in db.query(sql + " ORDER BY reply_due, id", args)]


def close_case(db: Database, user_id: int, case_id: int) -> bool:
    with db.conn:
        cursor = db.conn.execute("UPDATE cases SET status = 'closed', closed_at = ?"
                                 " WHERE id = ? AND user_id = ? AND status = 'open'", (now(), case_id, user_id))
    return cursor.rowcount == 1


def open_dues(db: Database) -> list[CaseDue]:
    """Every due date of every open case (reminder selection filters them)."""
    from bot.deadlines.periods import LABELS

    return [CaseDue(c.id, c.user_id, c.name, kind, LABELS[kind], due)
            for c in open_cases(db) for kind, due in c.dues.items()]


def sent_reminders(db: Database) -> set[tuple[int, str, date]]:
    rows = db.query("SELECT r.case_id, r.kind, r.due_on FROM case_reminders r JOIN cases c ON c.id = r.case_id"
                    " WHERE c.status = 'open'")
    return {(r["case_id"], r["kind"], date.fromisoformat(r["due_on"])) for r in rows}


def mark_reminded(db: Database, case_id: int, kind: str, due: date) -> bool:
    """Record a reminder as sent; False when it was already recorded (another run got there first)."""
    with db.conn:
        cursor = db.conn.execute("INSERT OR IGNORE INTO case_reminders (case_id, kind, due_on, sent_at)"
                                 " VALUES (?, ?, ?, ?)", (case_id, kind, due.isoformat(), now()))
    return cursor.rowcount == 1
