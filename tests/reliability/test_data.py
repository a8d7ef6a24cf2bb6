"""Data: WAL, migrations from every older schema with the data kept, a failed migration leaves nothing
half-done, ``python bot.py backup`` while the bot writes gives a consistent copy, and the question log
is pruned to ``question_log_days`` at start-up and every night (with the rows that depend on it)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlite_utils import Database

from bot.config import load_config
from bot.core import Core
from bot.store import migrations
from bot.store.migrations import MIGRATIONS, current_version, migrate
from bot.telegram import texts
from bot.telegram.housekeeping import RETENTION_JOB
from tests.kbfixture import write_config
from tests.telegram.fakebot import Harness, build_core

ROOT = Path(__file__).resolve().parents[2]
LATEST = max(number for number, _, _ in MIGRATIONS)
OLD = "2000-01-01T00:00:00+00:00"

# Rows a database of each version may hold (inserted only when the table exists at that version).
SAMPLE = {
    "users": "INSERT INTO users (telegram_id, name, username, department, role, registered_at)"
             " VALUES (2001, '小王', 'wang', '办公室', 'staff', '2026-01-01T00:00:00+00:00')",
    "invitations": "INSERT INTO invitations (code, department, role, created_by, created_at, expires_at, max_uses)"
                   " VALUES ('abc', '办公室', 'staff', 1, '2026-01-01', '2099-01-01', 1)",
    "questions": "INSERT INTO questions (asked_at, user_id, channel, text, outcome, confidence, latency_ms)"
                 " VALUES ('2026-01-02T00:00:00+00:00', 2001, 'telegram', '三公经费要不要公开', 'answered', 0.9, 1)",
    "gaps": "INSERT INTO gaps (question_id, user_id, text, normalized, reason, created_at)"
            " VALUES (1, 2001, '问', '问', 'gap', '2026-01-02')",
    "feedback": "INSERT INTO feedback (question_id, user_id, helpful, created_at) VALUES (1, 2001, 1, '2026-01-02')",
    "offers": "INSERT INTO offers (question_id, position, entry_id) VALUES (1, 0, 'budget-accounts')",
    "assignments": "INSERT INTO assignments (user_id, quiz_id, assigned_at, due_on) VALUES (2001, 'demo', '2026-01-02',"
                   " '2026-01-09')",
    "cases": "INSERT INTO cases (user_id, received_on, correction_due, reply_due, extended_due, created_at)"
             " VALUES (2001, '2026-01-05', '2026-01-12', '2026-02-02', '2026-03-02', '2026-01-05')",
}


def schema(db: Database) -> list[tuple[str, str]]:
    return sorted((r["name"], " ".join((r["sql"] or "").split())) for r in db.query(
        "SELECT name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND name != 'schema_migrations'"))


def test_the_database_is_in_wal_mode(core):
    mode = core.store.run_sync(lambda db: db.execute("PRAGMA journal_mode").fetchone()[0])
    assert mode == "wal"


@pytest.mark.parametrize("version", range(1, LATEST))
async def test_every_older_schema_migrates_with_its_data(tmp_path, kb_dir, version):
    path = tmp_path / "old.db"
    db = Database(sqlite3.connect(path))
    assert migrate(db, target=version) == version
    inserted = {}
    for table, sql in SAMPLE.items():
        if table in db.table_names():
            db.execute(sql)
            inserted[table] = 1
    db.conn.commit()
    db.conn.close()

    config = load_config(write_config(tmp_path, kb_dir))
    core = Core.build(config, database=str(path))  # what the bot does at start: migrate to the latest
    try:
        def check(db):
            assert current_version(db) == LATEST
            return {t: db[t].count for t in inserted}, schema(db)

        counts, upgraded = core.store.run_sync(check)
        assert counts == inserted
        assert upgraded == fresh_schema()  # the same tables and indexes as a database made today
        member = await core.access.identify(2001)
        assert member is not None and member.department == "办公室"  # the data is usable, not just there
        asked = await core.asking.ask("三公经费要不要公开", user_id=2001, channel="telegram")
        assert asked.question_id > 1
    finally:
        core.close()


def fresh_schema() -> list[tuple[str, str]]:
    db = Database(memory=True)
    migrate(db)
    return schema(db)


def test_a_failing_migration_leaves_nothing_half_done(tmp_path, monkeypatch):
    db = Database(sqlite3.connect(tmp_path / "m.db"))
    migrate(db)

    def broken(db):
        db.conn.execute("CREATE TABLE half_done (x)")
        raise RuntimeError("disk full")

    monkeypatch.setattr(migrations, "MIGRATIONS", [*MIGRATIONS, (LATEST + 1, "broken", broken)])
    with pytest.raises(RuntimeError):
        migrate(db)
    assert "half_done" not in db.table_names() and current_version(db) == LATEST


# -- backup while writing ---------------------------------------------------------------------------


def test_backup_while_the_bot_writes_is_a_consistent_copy(tmp_path, kb_dir):
    config = write_config(tmp_path, kb_dir)
    Core.build(load_config(config)).close()  # the database, migrated
    database = load_config(config).path(load_config(config).database)
    stop = threading.Event()
    written = [0]

    def writer():
        # Like the bot: each answer is a question and its rating, written in one transaction.
        conn = sqlite3.connect(database, timeout=30, isolation_level=None)
        while not stop.is_set():
            conn.execute("BEGIN IMMEDIATE")
            qid = conn.execute("INSERT INTO questions (asked_at, channel, text, outcome, confidence, latency_ms)"
                               " VALUES ('2026-01-01', 't', 'q', 'answered', 1, 1)").lastrowid
            conn.execute("INSERT INTO feedback (question_id, user_id, helpful, created_at) VALUES (?, 1, 1, 'x')",
                         (qid,))
            conn.execute("COMMIT")
            written[0] += 1
        conn.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        copies = []
        for n in range(3):
            target = tmp_path / f"backup-{n}.db"
            done = subprocess.run([sys.executable, "bot.py", "--config", str(config), "backup", str(target)],
                                  cwd=ROOT, capture_output=True, text=True, timeout=120)
            assert done.returncode == 0, done.stderr
            copies.append(target)
    finally:
        stop.set()
        thread.join()
    assert written[0] > 0
    sizes = []
    for target in copies:
        copy = sqlite3.connect(target)
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        questions = copy.execute("SELECT count(*) FROM questions").fetchone()[0]
        feedback = copy.execute("SELECT count(*) FROM feedback").fetchone()[0]
        assert questions == feedback  # never half a transaction
        assert copy.execute("SELECT max(version) FROM schema_migrations").fetchone()[0] == LATEST
        sizes.append(questions)
        copy.close()
    assert sizes == sorted(sizes) and sizes[-1] > 0  # taken while rows kept arriving


def test_backup_into_a_missing_folder_and_of_a_missing_database(tmp_path, kb_dir):
    config = write_config(tmp_path, kb_dir)
    missing = subprocess.run([sys.executable, "bot.py", "--config", str(config), "backup", str(tmp_path / "b.db")],
                             cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert missing.returncode == 1 and "backup failed" in missing.stderr
    Core.build(load_config(config)).close()
    nested = tmp_path / "a" / "b" / "copy.db"
    done = subprocess.run([sys.executable, "bot.py", "--config", str(config), "backup", str(nested)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and nested.exists()


# -- retention ------------------------------------------------------------------------------------


def age(core: Core, *question_ids: int) -> None:
    core.store.run_sync(lambda db: db.execute(
        f"UPDATE questions SET asked_at = ? WHERE id IN ({','.join('?' * len(question_ids))})",
        [OLD, *question_ids]))


async def test_old_questions_are_pruned_at_start_up_with_what_depends_on_them(tmp_path, kb_dir):
    core = build_core(tmp_path, kb_dir, "question_log_days: 30\n")
    try:
        async with Harness.start(core) as h:
            alice = await h.member(2001)
            await h.send_text(alice, "三公经费要不要公开")
            await h.send_text(alice, "涉密文件能给申请人吗")
            old, recent = 1, 2
            await h.press(alice, f"r:{old}:0")  # 👎 on the first: a reason is awaited for it
        age(core, old)
        offered, awaited = core.store.run_sync(lambda db: (
            db.execute("SELECT count(*) FROM offers WHERE question_id = ?", [old]).fetchone()[0],
            db["awaiting_reason"].count))
        assert offered > 0 and awaited == 1
        async with Harness.start(core) as h:  # a restart: pruned at once
            jobs = h.app.job_queue.get_jobs_by_name(RETENTION_JOB)
            assert len(jobs) == 1 and jobs[0].next_t.astimezone(h.app.bot.defaults.tzinfo).strftime("%H:%M") == "03:30"
            left = core.store.run_sync(lambda db: {
                "questions": [r["id"] for r in db.query("SELECT id FROM questions")],
                "offers": {r["question_id"] for r in db.query("SELECT question_id FROM offers")},
                "awaiting": db["awaiting_reason"].count,
                "feedback": db["feedback"].count, "gaps": db["gaps"].count})
            assert left["questions"] == [recent]
            assert left["offers"] <= {recent} and left["awaiting"] == 0
            assert left["feedback"] == 1 and left["gaps"] >= 1  # they keep their own copy
            h.user(2001)
            await h.press(h.user(2001), f"r:{old}:1")  # a button under a pruned answer: politely refused
            assert h.answered()["text"] == texts.NOT_YOURS
            await h.send_text(h.user(2001), "reason after the prune")  # not taken as a reason any more
            age(core, recent)
            await jobs[0].run(h.app)  # the nightly run
            assert core.store.run_sync(lambda db: db["questions"].count) == 1  # only the new question
    finally:
        core.close()


async def test_zero_days_keeps_the_question_log(tmp_path, kb_dir):
    core = build_core(tmp_path, kb_dir, "question_log_days: 0\n")
    try:
        async with Harness.start(core) as h:
            await h.send_text(await h.member(2001), "三公经费要不要公开")
        age(core, 1)
        async with Harness.start(core):
            assert core.store.run_sync(lambda db: db["questions"].count) == 1
    finally:
        core.close()
