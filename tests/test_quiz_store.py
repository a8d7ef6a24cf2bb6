"""Migration 3 and the quiz queries' guarantees (uniqueness that makes pushes and attempts idempotent)."""

import sqlite3
from datetime import date

import pytest

from bot.store import quizzes as q
from bot.store.db import open_database
from bot.store.migrations import applied_versions, migrate

AT = "2026-03-02T01:00:00+00:00"


def test_migration_3_tables(tmp_path):
    db = open_database(tmp_path / "desk.db")
    assert 3 in applied_versions(db)
    assert {"assignments", "attempts", "attempt_answers", "notifications", "reassignments"} <= set(db.table_names())
    columns = {c.name for c in db["notifications"].columns}
    assert columns >= {"kind", "user_id", "ref", "status", "tries", "last_error", "created_at", "sent_at"}


def test_migration_3_applies_to_a_version_1_database(tmp_path):
    from sqlite_utils import Database

    db = Database(sqlite3.connect(tmp_path / "old.db"))
    migrate(db, target=1)
    db.conn.close()
    assert "assignments" in open_database(tmp_path / "old.db").table_names()


def test_notifications_are_unique_per_kind_ref_and_user(tmp_path):
    db = open_database(tmp_path / "desk.db")
    first = q.queue_notification(db, "assignment", 7, "1", AT)
    again = q.queue_notification(db, "assignment", 7, "1", AT)
    other = q.queue_notification(db, "assignment", 8, "1", AT)
    assert first.id == again.id != other.id
    with pytest.raises(sqlite3.IntegrityError):
        db.conn.execute("INSERT INTO notifications (kind, user_id, ref, created_at) VALUES ('assignment', 7, '1', 'x')")
    with pytest.raises(sqlite3.IntegrityError):
        db.conn.execute("UPDATE notifications SET status = 'lost' WHERE id = ?", (first.id,))


def test_one_open_attempt_and_one_open_assignment(tmp_path):
    db = open_database(tmp_path / "desk.db")
    assignment, created = q.assign(db, user_id=1, quiz_id="demo", due_on=date(2026, 3, 9), by=None, reason="push",
                                   at=AT, keep_due=True)
    assert created
    drawn = [("demo-01", "0,1,2,3"), ("demo-03", "0,1")]
    a = q.create_attempt(db, user_id=1, quiz_id="demo", assignment_id=assignment.id, channel="t", at=AT, drawn=drawn)
    b = q.create_attempt(db, user_id=1, quiz_id="demo", assignment_id=assignment.id, channel="t", at=AT, drawn=drawn)
    assert a.id == b.id and a.number == 1
    assert len(q.attempt_answers(db, a.id)) == 2
    with pytest.raises(sqlite3.IntegrityError):
        db.conn.execute("INSERT INTO attempts (user_id, quiz_id, number, started_at) VALUES (1, 'demo', 2, 'x')")
    db.conn.rollback()
    with pytest.raises(sqlite3.IntegrityError):
        db.conn.execute("INSERT INTO assignments (user_id, quiz_id, assigned_at, due_on) VALUES (1, 'demo', 'x', 'y')")
    db.conn.rollback()
    assert q.record_answer(db, a.id, 0, (2,), True, AT)
    assert not q.record_answer(db, a.id, 0, (1,), False, AT)  # once only
    assert q.finish_attempt(db, a.id, correct=1, total=1, score=100, passed=True, max_attempts=3, at=AT)
    assert not q.finish_attempt(db, a.id, correct=0, total=1, score=0, passed=False, max_attempts=3, at=AT)
    assert not q.record_answer(db, a.id, 1, (0,), True, AT)  # a finished attempt takes no answers
    assert q.get_assignment(db, assignment.id).status.value == "passed"
