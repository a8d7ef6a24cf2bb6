"""Read-only queries behind managers' reports and exports (one row per thing, plain dicts).

Weeks are Monday-based in Asia/Shanghai: timestamps are stored in UTC, so eight hours are added before
the day is taken.
"""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

ACTIVE = "u.removed_at IS NULL"
LOCAL = "'+8 hours'"


def _department(alias: str, department: str | None) -> tuple[str, list[Any]]:
    return (f" AND {alias}.department = ?", [department]) if department else ("", [])


def completion(db: Database, department: str | None = None) -> list[dict[str, Any]]:
    """Every active person with the latest assignment of each quiz (or one row with no quiz when none).

    ``attempts`` counts the finished attempts made for that assignment (practice is not counted)."""
    where, args = _department("u", department)
    rows = db.query(
        f"""
        SELECT u.telegram_id AS user_id, u.name, u.username, u.department, u.role,
               a.id AS assignment_id, a.quiz_id, a.assigned_at, a.due_on, a.status, a.best_score, a.completed_at,
               (SELECT COUNT(*) FROM attempts t WHERE t.assignment_id = a.id AND t.finished_at IS NOT NULL) AS attempts
        FROM users u
        LEFT JOIN assignments a ON a.user_id = u.telegram_id
          AND a.id = (SELECT MAX(b.id) FROM assignments b WHERE b.user_id = a.user_id AND b.quiz_id = a.quiz_id)
        WHERE {ACTIVE}{where}
        ORDER BY u.department, u.name, u.telegram_id, a.due_on, a.quiz_id
        """,
        args,
    )
    return list(rows)


def attempts(db: Database, department: str | None = None) -> list[dict[str, Any]]:
    where, args = _department("u", department)
    rows = db.query(
        f"""
        SELECT t.id, t.user_id, COALESCE(u.name, '') AS name, COALESCE(u.department, '') AS department,
               t.quiz_id, t.number, t.assignment_id, t.channel, t.started_at, t.finished_at,
               t.correct, t.total, t.score, t.passed
        FROM attempts t LEFT JOIN users u ON u.telegram_id = t.user_id
        WHERE 1 = 1{where}
        ORDER BY t.started_at, t.id
        """,
        args,
    )
    return list(rows)


def question_results(db: Database, department: str | None = None) -> list[dict[str, Any]]:
    """Per quiz question: how often it was answered and answered right (voided answers not counted)."""
    where, args = _department("u", department)
    rows = db.query(
        f"""
        SELECT r.question_id, t.quiz_id, COUNT(*) AS answered, SUM(r.correct) AS correct
        FROM attempt_answers r
        JOIN attempts t ON t.id = r.attempt_id
        LEFT JOIN users u ON u.telegram_id = t.user_id
        WHERE r.answered_at IS NOT NULL AND r.correct IS NOT NULL{where}
        GROUP BY r.question_id, t.quiz_id
        """,
        args,
    )
    return list(rows)


def gaps(db: Database, department: str | None = None) -> list[dict[str, Any]]:
    where, args = _department("g", department)
    return list(db.query(f"SELECT g.* FROM gaps g WHERE 1 = 1{where} ORDER BY g.id", args))


def questions_by_week(db: Database, department: str | None = None) -> list[dict[str, Any]]:
    """Questions asked per (week, outcome, verdict); the week is the Monday it starts on."""
    where, args = _department("u", department)
    rows = db.query(
        f"""
        SELECT date(q.asked_at, {LOCAL}, '-6 days', 'weekday 1') AS week, q.outcome,
               COALESCE(q.verdict, '') AS verdict, COUNT(*) AS questions
        FROM questions q LEFT JOIN users u ON u.telegram_id = q.user_id
        WHERE 1 = 1{where}
        GROUP BY week, q.outcome, verdict
        ORDER BY week
        """,
        args,
    )
    return list(rows)


def departments(db: Database) -> list[str]:
    return [r["department"] for r in db.query(
        f"SELECT DISTINCT u.department FROM users u WHERE {ACTIVE} AND u.department != '' ORDER BY u.department"
    )]
