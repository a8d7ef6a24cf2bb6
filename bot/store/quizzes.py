"""Every quiz query: assignments, attempts and answers, notifications, and the people quizzes target.

Each function takes the sqlite-utils Database first (run them through ``Store.run``) and commits what it
writes in one transaction, so a killed process leaves either the whole change or none of it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from sqlite_utils import Database

from bot.quiz.models import (
    Assignment,
    AssignmentStatus,
    Attempt,
    AttemptAnswer,
    Notification,
    NotificationStatus,
    Person,
)


@contextmanager
def transaction(db: Database) -> Iterator[None]:
    """BEGIN IMMEDIATE … COMMIT: reads and writes inside see and leave one consistent state, even with a
    second process (the CLI) on the same file."""
    if db.conn.in_transaction:  # nested: the outer transaction commits
        yield
        return
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        db.conn.rollback()
        raise
    db.conn.commit()


# ---------------------------------------------------------------- people


def _person(row: dict[str, Any]) -> Person:
    return Person(
        telegram_id=row["telegram_id"], name=row["name"], username=row["username"],
        department=row["department"], role=row["role"], newly_reassigned=bool(row["newly_reassigned"]),
    )


ACTIVE = "removed_at IS NULL"


def get_person(db: Database, telegram_id: int) -> Person | None:
    rows = list(db.query(f"SELECT * FROM users WHERE telegram_id = ? AND {ACTIVE}", [telegram_id]))
    return _person(rows[0]) if rows else None


def find_by_username(db: Database, username: str) -> Person | None:
    rows = list(db.query(f"SELECT * FROM users WHERE lower(username) = lower(?) AND {ACTIVE}", [username.lstrip("@")]))
    return _person(rows[0]) if rows else None


def people_in_department(db: Database, department: str) -> list[Person]:
    return [_person(r) for r in db.query(f"SELECT * FROM users WHERE department = ? AND {ACTIVE} ORDER BY telegram_id", [department])]


def everyone(db: Database) -> list[Person]:
    return [_person(r) for r in db.query(f"SELECT * FROM users WHERE {ACTIVE} ORDER BY telegram_id")]


def people_with_role(db: Database, role: str) -> list[Person]:
    return [_person(r) for r in db.query(f"SELECT * FROM users WHERE role = ? AND {ACTIVE} ORDER BY telegram_id", [role])]


def departments(db: Database) -> list[str]:
    return [r["department"] for r in db.query(f"SELECT DISTINCT department FROM users WHERE {ACTIVE} AND department != '' ORDER BY department")]


def newly_reassigned_without_pass(db: Database, quiz_id: str) -> list[Person]:
    """Flagged newcomers who have not passed ``quiz_id`` since their latest move (or ever, if never moved)."""
    rows = db.query(
        f"""
        SELECT u.* FROM users u
        WHERE u.newly_reassigned = 1 AND u.{ACTIVE}
          AND NOT EXISTS (
            SELECT 1 FROM assignments a
            WHERE a.user_id = u.telegram_id AND a.quiz_id = ? AND a.status = 'passed'
              AND a.assigned_at >= COALESCE(
                (SELECT MAX(r.reassigned_at) FROM reassignments r WHERE r.user_id = u.telegram_id), '')
          )
        ORDER BY u.telegram_id
        """,
        [quiz_id],
    )
    return [_person(r) for r in rows]


def move_person(db: Database, telegram_id: int, department: str, by: int | None, at: str) -> Person | None:
    """Record a move to ``department`` and flag the person as newly reassigned; None if not registered."""
    with transaction(db):
        row = db.conn.execute(f"SELECT department FROM users WHERE telegram_id = ? AND {ACTIVE}", (telegram_id,)).fetchone()
        if row is None:
            return None
        db.conn.execute(
            "INSERT INTO reassignments (user_id, from_department, to_department, reassigned_by, reassigned_at)"
            " VALUES (?, ?, ?, ?, ?)", (telegram_id, row[0], department, by, at),
        )
        db.conn.execute("UPDATE users SET department = ?, newly_reassigned = 1 WHERE telegram_id = ?", (department, telegram_id))
    return get_person(db, telegram_id)


def last_reassigned_at(db: Database, telegram_id: int) -> str:
    row = db.conn.execute("SELECT MAX(reassigned_at) FROM reassignments WHERE user_id = ?", (telegram_id,)).fetchone()
    return row[0] or ""


def clear_newly_reassigned(db: Database, telegram_id: int) -> None:
    with transaction(db):
        db.conn.execute("UPDATE users SET newly_reassigned = 0 WHERE telegram_id = ?", (telegram_id,))


def set_reachable(db: Database, telegram_id: int, reachable: bool) -> None:
    with transaction(db):
        db.conn.execute("UPDATE users SET reachable = ? WHERE telegram_id = ?", (int(reachable), telegram_id))


# ---------------------------------------------------------------- assignments

ASSIGNMENT_COLUMNS = (
    "a.*, (SELECT COUNT(*) FROM attempts t WHERE t.assignment_id = a.id) AS attempts_used"
)


def _assignment(row: dict[str, Any]) -> Assignment:
    return Assignment(
        id=row["id"], user_id=row["user_id"], quiz_id=row["quiz_id"], assigned_at=row["assigned_at"],
        due_on=date.fromisoformat(row["due_on"]), status=AssignmentStatus(row["status"]),
        assigned_by=row["assigned_by"], reason=row["reason"], best_score=row["best_score"],
        attempts_used=row.get("attempts_used", 0),
    )


def get_assignment(db: Database, assignment_id: int) -> Assignment | None:
    rows = list(db.query(f"SELECT {ASSIGNMENT_COLUMNS} FROM assignments a WHERE a.id = ?", [assignment_id]))
    return _assignment(rows[0]) if rows else None


def open_assignment(db: Database, user_id: int, quiz_id: str) -> Assignment | None:
    rows = list(db.query(
        f"SELECT {ASSIGNMENT_COLUMNS} FROM assignments a WHERE a.user_id = ? AND a.quiz_id = ? AND a.status = 'assigned'",
        [user_id, quiz_id],
    ))
    return _assignment(rows[0]) if rows else None


def assign(db: Database, *, user_id: int, quiz_id: str, due_on: date, by: int | None, reason: str, at: str,
           keep_due: bool) -> tuple[Assignment, bool]:
    """The open assignment of ``quiz_id`` to the user, creating it if there is none; True when created.

    An open assignment is reused (a second push does not reset attempts); its due date moves to
    ``due_on`` unless ``keep_due`` (the push named no date)."""
    with transaction(db):
        row = db.conn.execute(
            "SELECT id FROM assignments WHERE user_id = ? AND quiz_id = ? AND status = 'assigned'", (user_id, quiz_id)
        ).fetchone()
        created = row is None
        if created:
            cursor = db.conn.execute(
                "INSERT INTO assignments (user_id, quiz_id, assigned_by, reason, assigned_at, due_on)"
                " VALUES (?, ?, ?, ?, ?, ?)", (user_id, quiz_id, by, reason, at, due_on.isoformat()),
            )
            assignment_id = int(cursor.lastrowid)
        else:
            assignment_id = row[0]
            if not keep_due:
                db.conn.execute("UPDATE assignments SET due_on = ? WHERE id = ?", (due_on.isoformat(), assignment_id))
    return get_assignment(db, assignment_id), created


def user_assignments(db: Database, user_id: int) -> list[Assignment]:
    """The user's latest assignment of each quiz."""
    rows = db.query(
        f"""
        SELECT {ASSIGNMENT_COLUMNS} FROM assignments a
        WHERE a.user_id = ? AND a.id = (SELECT MAX(b.id) FROM assignments b WHERE b.user_id = a.user_id AND b.quiz_id = a.quiz_id)
        ORDER BY a.due_on, a.quiz_id
        """,
        [user_id],
    )
    return [_assignment(r) for r in rows]


def open_assignments_with_people(db: Database) -> list[tuple[Assignment, Person]]:
    """Every open assignment of a registered person (for reminders)."""
    rows = db.query(
        f"""
        SELECT {ASSIGNMENT_COLUMNS}, u.telegram_id, u.name, u.username, u.department, u.role, u.newly_reassigned
        FROM assignments a JOIN users u ON u.telegram_id = a.user_id
        WHERE a.status = 'assigned' AND u.{ACTIVE}
        ORDER BY a.due_on, a.user_id
        """
    )
    return [(_assignment(r), _person(r)) for r in rows]


def passed_since(db: Database, user_id: int, quiz_ids: Iterable[str], since: str) -> set[str]:
    ids = list(quiz_ids)
    if not ids:
        return set()
    marks = ",".join("?" * len(ids))
    rows = db.query(
        f"SELECT DISTINCT quiz_id FROM assignments WHERE user_id = ? AND status = 'passed' AND assigned_at >= ?"
        f" AND quiz_id IN ({marks})", [user_id, since, *ids],
    )
    return {r["quiz_id"] for r in rows}


# ---------------------------------------------------------------- attempts


def _attempt(row: dict[str, Any]) -> Attempt:
    return Attempt(
        id=row["id"], user_id=row["user_id"], quiz_id=row["quiz_id"], assignment_id=row["assignment_id"],
        number=row["number"], started_at=row["started_at"], finished_at=row["finished_at"],
        correct=row["correct"], total=row["total"], score=row["score"],
        passed=None if row["passed"] is None else bool(row["passed"]),
    )


def _ints(text: str | None) -> tuple[int, ...]:
    return tuple(int(i) for i in text.split(",")) if text else ()


def _answer_row(row: dict[str, Any]) -> AttemptAnswer:
    return AttemptAnswer(
        attempt_id=row["attempt_id"], position=row["position"], question_id=row["question_id"],
        option_order=_ints(row["option_order"]), selected=_ints(row["selected"]),
        chosen=None if row["chosen"] is None else _ints(row["chosen"]),
        correct=None if row["correct"] is None else bool(row["correct"]), answered_at=row["answered_at"],
    )


def get_attempt(db: Database, attempt_id: int) -> Attempt | None:
    rows = list(db.query("SELECT * FROM attempts WHERE id = ?", [attempt_id]))
    return _attempt(rows[0]) if rows else None


def open_attempt(db: Database, user_id: int, quiz_id: str) -> Attempt | None:
    rows = list(db.query("SELECT * FROM attempts WHERE user_id = ? AND quiz_id = ? AND finished_at IS NULL", [user_id, quiz_id]))
    return _attempt(rows[0]) if rows else None


def open_attempts(db: Database, user_id: int) -> list[Attempt]:
    return [_attempt(r) for r in db.query("SELECT * FROM attempts WHERE user_id = ? AND finished_at IS NULL ORDER BY id", [user_id])]


def practice_count(db: Database, user_id: int, quiz_id: str) -> int:
    row = db.conn.execute(
        "SELECT COUNT(*) FROM attempts WHERE user_id = ? AND quiz_id = ? AND assignment_id IS NULL", (user_id, quiz_id)
    ).fetchone()
    return row[0]


def last_questions(db: Database, user_id: int, quiz_id: str) -> list[str]:
    """The question ids of the user's latest attempt at ``quiz_id`` (the next draw avoids them)."""
    rows = db.query(
        """
        SELECT question_id FROM attempt_answers WHERE attempt_id =
          (SELECT MAX(id) FROM attempts WHERE user_id = ? AND quiz_id = ?)
        ORDER BY position
        """,
        [user_id, quiz_id],
    )
    return [r["question_id"] for r in rows]


def create_attempt(db: Database, *, user_id: int, quiz_id: str, assignment_id: int | None, channel: str, at: str,
                   drawn: list[tuple[str, str]]) -> Attempt:
    """Start an attempt with its drawn questions (id, encoded option order); an attempt already open for
    the same quiz is returned instead, so a double-tapped 开始 starts one attempt."""
    with transaction(db):
        existing = db.conn.execute(
            "SELECT id FROM attempts WHERE user_id = ? AND quiz_id = ? AND finished_at IS NULL", (user_id, quiz_id)
        ).fetchone()
        if existing is not None:
            attempt_id = existing[0]
        else:
            if assignment_id is None:
                number = db.conn.execute(
                    "SELECT COUNT(*) FROM attempts WHERE user_id = ? AND quiz_id = ? AND assignment_id IS NULL", (user_id, quiz_id)
                ).fetchone()[0] + 1
            else:
                number = db.conn.execute("SELECT COUNT(*) FROM attempts WHERE assignment_id = ?", (assignment_id,)).fetchone()[0] + 1
            cursor = db.conn.execute(
                "INSERT INTO attempts (user_id, quiz_id, assignment_id, number, channel, started_at) VALUES (?, ?, ?, ?, ?, ?)",
                (user_id, quiz_id, assignment_id, number, channel, at),
            )
            attempt_id = int(cursor.lastrowid)
            db.conn.executemany(
                "INSERT INTO attempt_answers (attempt_id, position, question_id, option_order) VALUES (?, ?, ?, ?)",
                [(attempt_id, i, qid, order) for i, (qid, order) in enumerate(drawn)],
            )
    return get_attempt(db, attempt_id)


def attempt_answers(db: Database, attempt_id: int) -> list[AttemptAnswer]:
    return [_answer_row(r) for r in db.query("SELECT * FROM attempt_answers WHERE attempt_id = ? ORDER BY position", [attempt_id])]


def set_selection(db: Database, attempt_id: int, position: int, selected: tuple[int, ...]) -> bool:
    """Store the toggled options of an unanswered question; False once it is answered."""
    with transaction(db):
        cursor = db.conn.execute(
            "UPDATE attempt_answers SET selected = ? WHERE attempt_id = ? AND position = ? AND answered_at IS NULL",
            (",".join(map(str, selected)), attempt_id, position),
        )
    return cursor.rowcount == 1


def record_answer(db: Database, attempt_id: int, position: int, chosen: tuple[int, ...], correct: bool | None, at: str) -> bool:
    """Record an answer once: False when the question was already answered (a repeat counts nothing)."""
    with transaction(db):
        cursor = db.conn.execute(
            "UPDATE attempt_answers SET chosen = ?, correct = ?, answered_at = ?"
            " WHERE attempt_id = ? AND position = ? AND answered_at IS NULL"
            " AND EXISTS (SELECT 1 FROM attempts WHERE id = ? AND finished_at IS NULL)",
            (",".join(map(str, chosen)), None if correct is None else int(correct), at, attempt_id, position, attempt_id),
        )
    return cursor.rowcount == 1


def finish_attempt(db: Database, attempt_id: int, *, correct: int, total: int, score: int, passed: bool,
                   max_attempts: int, at: str) -> bool:
    """Close the attempt with its score and update its assignment (passed, or failed once attempts run out).
    False when it was already closed, so finishing twice changes nothing."""
    with transaction(db):
        cursor = db.conn.execute(
            "UPDATE attempts SET finished_at = ?, correct = ?, total = ?, score = ?, passed = ?"
            " WHERE id = ? AND finished_at IS NULL", (at, correct, total, score, int(passed), attempt_id),
        )
        if cursor.rowcount != 1:
            return False
        row = db.conn.execute("SELECT assignment_id FROM attempts WHERE id = ?", (attempt_id,)).fetchone()
        assignment_id = row[0]
        if assignment_id is not None:
            db.conn.execute(
                "UPDATE assignments SET best_score = MAX(COALESCE(best_score, 0), ?) WHERE id = ?", (score, assignment_id)
            )
            used = db.conn.execute("SELECT COUNT(*) FROM attempts WHERE assignment_id = ?", (assignment_id,)).fetchone()[0]
            status = "passed" if passed else ("failed" if used >= max_attempts else None)
            if status:
                db.conn.execute(
                    "UPDATE assignments SET status = ?, completed_at = ? WHERE id = ? AND status = 'assigned'",
                    (status, at, assignment_id),
                )
    return True


# ---------------------------------------------------------------- notifications


def _notification(row: dict[str, Any]) -> Notification:
    return Notification(
        id=row["id"], kind=row["kind"], user_id=row["user_id"], ref=row["ref"],
        status=NotificationStatus(row["status"]), tries=row["tries"], last_error=row["last_error"],
    )


def queue_notification(db: Database, kind: str, user_id: int, ref: str, at: str) -> Notification:
    """The notification (kind, ref, user), created pending unless it already exists: pushes are idempotent."""
    with transaction(db):
        db.conn.execute(
            "INSERT OR IGNORE INTO notifications (kind, user_id, ref, created_at) VALUES (?, ?, ?, ?)", (kind, user_id, ref, at)
        )
    rows = list(db.query("SELECT * FROM notifications WHERE kind = ? AND ref = ? AND user_id = ?", [kind, ref, user_id]))
    return _notification(rows[0])


def get_notification(db: Database, notification_id: int) -> Notification | None:
    rows = list(db.query("SELECT * FROM notifications WHERE id = ?", [notification_id]))
    return _notification(rows[0]) if rows else None


def unsent_notifications(db: Database, kind: str | None = None) -> list[Notification]:
    sql = "SELECT * FROM notifications WHERE status IN ('pending', 'failed')"
    args: list[Any] = []
    if kind is not None:
        sql += " AND kind = ?"
        args.append(kind)
    return [_notification(r) for r in db.query(sql + " ORDER BY id", args)]


def mark_notification(db: Database, notification_id: int, status: NotificationStatus, at: str, error: str = "") -> None:
    """Record one delivery try and its outcome (a sent notification also marks its user reachable)."""
    with transaction(db):
        db.conn.execute(
            "UPDATE notifications SET status = ?, tries = tries + 1, last_error = ?,"
            " sent_at = CASE WHEN ? = 'sent' THEN ? ELSE sent_at END WHERE id = ?",
            (status.value, error[:500], status.value, at, notification_id),
        )
        if status in (NotificationStatus.SENT, NotificationStatus.UNREACHABLE):
            db.conn.execute(
                "UPDATE users SET reachable = ? WHERE telegram_id = (SELECT user_id FROM notifications WHERE id = ?)",
                (int(status is NotificationStatus.SENT), notification_id),
            )
