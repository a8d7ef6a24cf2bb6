import sqlite3

from bot.store import questions
from bot.store.backup import backup
from bot.store.db import Store, open_database
from bot.store.migrations import MIGRATIONS, current_version, migrate


def test_fresh_database_is_wal_and_current(tmp_path):
    db = open_database(tmp_path / "d" / "desk.db")
    assert db.journal_mode == "wal"
    assert current_version(db) == max(m[0] for m in MIGRATIONS)
    assert {"users", "invitations", "questions", "gaps", "feedback"} <= set(db.table_names())


def test_migrates_from_an_older_schema(tmp_path):
    from sqlite_utils import Database

    db = Database(sqlite3.connect(tmp_path / "old.db"))
    assert migrate(db, target=1) == 1  # a database as version 1 left it
    questions.log_question(db, user_id=1, channel="t", text="老问题", outcome="answered", entry_id=None,
                           verdict=None, confidence=0.5, latency_ms=1)
    db.conn.close()
    db = open_database(tmp_path / "old.db")
    assert current_version(db) == max(m[0] for m in MIGRATIONS)
    assert [r["text"] for r in db.query("SELECT text FROM questions")] == ["老问题"]


def test_migration_applied_once(tmp_path):
    db = open_database(tmp_path / "a.db")
    before = list(db.query("SELECT * FROM schema_migrations"))
    migrate(db)
    assert list(db.query("SELECT * FROM schema_migrations")) == before


async def test_store_runs_on_one_thread(tmp_path):
    store = Store(tmp_path / "s.db")
    try:
        qid = await store.run(questions.log_question, user_id=5, channel="test", text="值班表", outcome="answered",
                              entry_id="x", verdict="may_withhold", confidence=0.9, latency_ms=1.0)
        assert (await store.run(questions.get_question, qid))["text"] == "值班表"
        assert await store.run(questions.record_feedback, question_id=qid, user_id=5, helpful=True)
        # another user's question cannot be rated
        assert not await store.run(questions.record_feedback, question_id=qid, user_id=6, helpful=False)
        assert not await store.run(questions.record_feedback, question_id=9999, user_id=5, helpful=False)
    finally:
        store.close()


def test_backup_is_a_consistent_copy(tmp_path):
    store = Store(tmp_path / "live.db")
    store.run_sync(questions.log_question, user_id=1, channel="t", text="q", outcome="answered", entry_id=None,
                   verdict=None, confidence=0.5, latency_ms=1)
    pages = backup(tmp_path / "live.db", tmp_path / "copy.db")
    store.close()
    assert pages > 0
    copy = sqlite3.connect(tmp_path / "copy.db")
    assert copy.execute("SELECT COUNT(*) FROM questions").fetchone()[0] == 1


def test_retention_deletes_old_questions(tmp_path):
    db = open_database(tmp_path / "r.db")
    questions.log_question(db, user_id=1, channel="t", text="new", outcome="answered", entry_id=None, verdict=None,
                           confidence=0.5, latency_ms=1)
    db.conn.execute("INSERT INTO questions (asked_at, channel, text, outcome, confidence, latency_ms)"
                    " VALUES ('2000-01-01T00:00:00+00:00', 't', 'old', 'answered', 0.5, 1)")
    assert questions.delete_questions_before(db, 30) == 1
    assert [r["text"] for r in db.query("SELECT text FROM questions")] == ["new"]
