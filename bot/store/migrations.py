"""The schema, as numbered migrations applied in order and recorded in ``schema_migrations``.

Append new migrations at the end with the next number; never edit one that has shipped.
Table and column names are plain English so managers can browse them with sqlite-utils or Datasette.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlite_utils import Database


def run_script(db: Database, sql: str) -> None:
    """Execute several statements inside the caller's transaction (executescript would commit)."""
    for statement in sql.split(";"):
        if statement.strip():
            db.conn.execute(statement)


def _v1_core(db: Database) -> None:
    run_script(
        db,
        """
        CREATE TABLE users (
            telegram_id INTEGER PRIMARY KEY,
            name TEXT NOT NULL DEFAULT '',
            username TEXT NOT NULL DEFAULT '',
            department TEXT NOT NULL DEFAULT '',
            role TEXT NOT NULL CHECK (role IN ('staff', 'trainer', 'manager')),
            newly_reassigned INTEGER NOT NULL DEFAULT 0,
            reachable INTEGER NOT NULL DEFAULT 1,
            registered_at TEXT NOT NULL,
            removed_at TEXT
        );
        CREATE INDEX users_department ON users(department);
        CREATE INDEX users_username ON users(username);

        CREATE TABLE invitations (
            code TEXT PRIMARY KEY,
            department TEXT NOT NULL,
            role TEXT NOT NULL,
            created_by INTEGER NOT NULL,
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            max_uses INTEGER NOT NULL,
            uses INTEGER NOT NULL DEFAULT 0
        );

        CREATE TABLE questions (
            id INTEGER PRIMARY KEY,
            asked_at TEXT NOT NULL,
            user_id INTEGER,
            channel TEXT NOT NULL,
            text TEXT NOT NULL,
            outcome TEXT NOT NULL,
            entry_id TEXT,
            verdict TEXT,
            confidence REAL NOT NULL,
            latency_ms REAL NOT NULL
        );
        CREATE INDEX questions_asked_at ON questions(asked_at);
        CREATE INDEX questions_user ON questions(user_id);

        CREATE TABLE gaps (
            id INTEGER PRIMARY KEY,
            question_id INTEGER,
            user_id INTEGER,
            department TEXT NOT NULL DEFAULT '',
            text TEXT NOT NULL,
            normalized TEXT NOT NULL,
            reason TEXT NOT NULL,
            created_at TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'answered', 'ignored')),
            entry_id TEXT,
            resolved_at TEXT,
            resolved_by INTEGER
        );
        CREATE INDEX gaps_status ON gaps(status);

        CREATE TABLE feedback (
            id INTEGER PRIMARY KEY,
            question_id INTEGER NOT NULL,
            user_id INTEGER,
            helpful INTEGER NOT NULL,
            reason TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            UNIQUE (question_id, user_id)
        );
        """
    )


def _v3_quizzes(db: Database) -> None:
    """Quiz assignments, attempts and their answers, outgoing notifications, and department moves."""
    run_script(
        db,
        """
        CREATE TABLE assignments (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL,
            quiz_id TEXT NOT NULL,
            assigned_by INTEGER,
            reason TEXT NOT NULL DEFAULT 'push',
            assigned_at TEXT NOT NULL,
            due_on TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'assigned' CHECK (status IN ('assigned', 'passed', 'failed')),
            best_score INTEGER,
            completed_at TEXT
        );
        CREATE INDEX assignments_user ON assignments(user_id, quiz_id);
        CREATE INDEX assignments_status_due ON assignments(status, due_on);
        CREATE UNIQUE INDEX assignments_one_open ON assignments(user_id, quiz_id) WHERE status = 'assigned';

        CREATE TABLE attempts (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL,
            quiz_id TEXT NOT NULL,
            assignment_id INTEGER REFERENCES assignments(id),
            number INTEGER NOT NULL,
            channel TEXT NOT NULL DEFAULT '',
            started_at TEXT NOT NULL,
            finished_at TEXT,
            correct INTEGER,
            total INTEGER,
            score INTEGER,
            passed INTEGER
        );
        CREATE INDEX attempts_user ON attempts(user_id, quiz_id);
        CREATE INDEX attempts_assignment ON attempts(assignment_id);
        CREATE UNIQUE INDEX attempts_one_open ON attempts(user_id, quiz_id) WHERE finished_at IS NULL;

        CREATE TABLE attempt_answers (
            attempt_id INTEGER NOT NULL REFERENCES attempts(id),
            position INTEGER NOT NULL,
            question_id TEXT NOT NULL,
            option_order TEXT NOT NULL,
            selected TEXT NOT NULL DEFAULT '',
            chosen TEXT,
            correct INTEGER,
            answered_at TEXT,
            PRIMARY KEY (attempt_id, position)
        );
        CREATE INDEX attempt_answers_question ON attempt_answers(question_id);

        CREATE TABLE notifications (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            user_id INTEGER NOT NULL,
            ref TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'sent', 'failed', 'unreachable')),
            tries INTEGER NOT NULL DEFAULT 0,
            last_error TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            sent_at TEXT,
            UNIQUE (kind, ref, user_id)
        );
        CREATE INDEX notifications_status ON notifications(status);

        CREATE TABLE reassignments (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL,
            from_department TEXT NOT NULL,
            to_department TEXT NOT NULL,
            reassigned_by INTEGER,
            reassigned_at TEXT NOT NULL
        );
        CREATE INDEX reassignments_user ON reassignments(user_id);
        """
    )


def _v2_followups(db: Database) -> None:
    """Telegram follow-ups: questions offered as buttons under an answer, and a 👎 reason being awaited."""
    run_script(
        db,
        """
        CREATE TABLE offers (
            question_id INTEGER NOT NULL,
            position INTEGER NOT NULL,
            entry_id TEXT NOT NULL,
            PRIMARY KEY (question_id, position)
        );

        CREATE TABLE awaiting_reason (
            user_id INTEGER PRIMARY KEY,
            question_id INTEGER NOT NULL,
            until TEXT NOT NULL
        );
        """
    )


def _v4_triage_cases(db: Database) -> None:
    """Guided triage sessions (the answers so far, replayed on each step) and saved cases with their due
    dates and the reminders already sent."""
    run_script(
        db,
        """
        CREATE TABLE triage_sessions (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL,
            channel TEXT NOT NULL DEFAULT '',
            question_id INTEGER,
            choices TEXT NOT NULL DEFAULT '[]',
            status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'cancelled')),
            verdict TEXT,
            started_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE UNIQUE INDEX triage_sessions_one_open ON triage_sessions(user_id) WHERE status = 'open';

        CREATE TABLE cases (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL,
            name TEXT NOT NULL DEFAULT '',
            received_on TEXT NOT NULL,
            excluded_days INTEGER NOT NULL DEFAULT 0,
            opinion_from TEXT,
            correction_due TEXT NOT NULL,
            reply_due TEXT NOT NULL,
            extended_due TEXT NOT NULL,
            opinion_due TEXT,
            status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'open', 'closed')),
            prompt_message_id INTEGER,
            created_at TEXT NOT NULL,
            closed_at TEXT
        );
        CREATE INDEX cases_user_status ON cases(user_id, status);
        CREATE UNIQUE INDEX cases_open_name ON cases(user_id, name) WHERE status = 'open';

        CREATE TABLE case_reminders (
            case_id INTEGER NOT NULL REFERENCES cases(id),
            kind TEXT NOT NULL,
            due_on TEXT NOT NULL,
            sent_at TEXT NOT NULL,
            PRIMARY KEY (case_id, kind, due_on)
        )
        """
    )


def _v5_teaching(db: Database) -> None:
    """Trainers' answers in progress: the /gaps → 新增答案 dialogue survives a restart."""
    run_script(
        db,
        """
        CREATE TABLE teaching_drafts (
            user_id INTEGER PRIMARY KEY,
            gap_id INTEGER NOT NULL,
            step TEXT NOT NULL CHECK (step IN ('question', 'verdict', 'answer', 'basis', 'confirm')),
            question TEXT NOT NULL DEFAULT '',
            verdict TEXT NOT NULL DEFAULT '',
            answer TEXT NOT NULL DEFAULT '',
            basis TEXT NOT NULL DEFAULT '',
            started_at TEXT NOT NULL
        )
        """
    )


def _v6_outbox(db: Database) -> None:
    """Replies Telegram did not take (flood limit, 5xx, time-out), kept in order per chat until delivered."""
    run_script(
        db,
        """
        CREATE TABLE outbox (
            id INTEGER PRIMARY KEY,
            chat_id INTEGER NOT NULL,
            method TEXT NOT NULL,
            params TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'unreachable', 'rejected', 'expired')),
            tries INTEGER NOT NULL DEFAULT 1,
            last_error TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            tried_at TEXT NOT NULL
        );
        CREATE INDEX outbox_pending ON outbox(status, chat_id, id)
        """
    )


MIGRATIONS: list[tuple[int, str, Callable[[Database], None]]] = [
    (1, "users, invitations, questions, gaps, feedback", _v1_core),
    (2, "offers, awaiting_reason (Telegram follow-ups)", _v2_followups),
    (3, "assignments, attempts, attempt_answers, notifications, reassignments", _v3_quizzes),
    (4, "triage_sessions, cases, case_reminders (guided triage and deadlines)", _v4_triage_cases),
    (5, "teaching_drafts (trainers' new answers in progress)", _v5_teaching),
    (6, "outbox (replies waiting for another delivery try)", _v6_outbox),
]


def applied_versions(db: Database) -> set[int]:
    if "schema_migrations" not in db.table_names():
        return set()
    return {row["version"] for row in db.query("SELECT version FROM schema_migrations")}


def current_version(db: Database) -> int:
    return max(applied_versions(db), default=0)


def migrate(db: Database, target: int | None = None) -> int:
    """Apply every migration newer than the database, each in its own transaction; returns the version."""
    from bot.store.db import now

    db.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        "version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    applied = applied_versions(db)
    for number, description, apply in sorted(MIGRATIONS, key=lambda m: m[0]):
        # Applied by number, not by maximum: features developed in parallel may land out of order.
        if number in applied or (target is not None and number > target):
            continue
        db.conn.execute("BEGIN")
        try:
            apply(db)
            db.conn.execute(
                "INSERT INTO schema_migrations (version, description, applied_at) VALUES (?, ?, ?)",
                (number, description, now()),
            )
        except BaseException:
            db.conn.execute("ROLLBACK")
            raise
        db.conn.execute("COMMIT")
    return current_version(db)
