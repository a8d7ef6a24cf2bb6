"""Queries for users and invitations (run on the database thread through ``Store.run``)."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from bot.store.db import now


def get_user(db: Database, telegram_id: int) -> dict[str, Any] | None:
    """The user's row, removed or not."""
    rows = list(db.query("SELECT * FROM users WHERE telegram_id = ?", [telegram_id]))
    return rows[0] if rows else None


def find_active(db: Database, *, telegram_id: int | None = None, username: str | None = None) -> dict[str, Any] | None:
    """An active (not removed) user by id or by @username (case-insensitive)."""
    if telegram_id is not None:
        rows = db.query("SELECT * FROM users WHERE telegram_id = ? AND removed_at IS NULL", [telegram_id])
    else:
        rows = db.query(
            "SELECT * FROM users WHERE lower(username) = lower(?) AND username != '' AND removed_at IS NULL",
            [username or ""],
        )
    found = list(rows)
    return found[0] if found else None


def list_active(db: Database, department: str | None = None) -> list[dict[str, Any]]:
    """Active users, by department then name."""
    sql = "SELECT * FROM users WHERE removed_at IS NULL"
    params: list[Any] = []
    if department:
        sql += " AND department = ?"
        params.append(department)
    return list(db.query(sql + " ORDER BY department, name, telegram_id", params))


def save_user(db: Database, *, telegram_id: int, name: str, username: str, department: str, role: str) -> None:
    """Insert or re-activate a user with this department and role."""
    db.conn.execute(
        "INSERT INTO users (telegram_id, name, username, department, role, registered_at) VALUES (?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (telegram_id) DO UPDATE SET name = excluded.name, username = excluded.username,"
        " department = excluded.department, role = excluded.role, registered_at = excluded.registered_at,"
        " removed_at = NULL, reachable = 1",
        (telegram_id, name, username, department, role, now()),
    )
    db.conn.commit()


def update_names(db: Database, telegram_id: int, name: str, username: str) -> None:
    db.conn.execute("UPDATE users SET name = ?, username = ? WHERE telegram_id = ?", (name, username, telegram_id))
    db.conn.commit()


def set_role(db: Database, telegram_id: int, role: str) -> bool:
    cursor = db.conn.execute(
        "UPDATE users SET role = ? WHERE telegram_id = ? AND removed_at IS NULL", (role, telegram_id)
    )
    db.conn.commit()
    return cursor.rowcount == 1


def remove_user(db: Database, telegram_id: int) -> bool:
    """Mark removed (rows stay for history: questions, quiz results)."""
    cursor = db.conn.execute(
        "UPDATE users SET removed_at = ? WHERE telegram_id = ? AND removed_at IS NULL", (now(), telegram_id)
    )
    db.conn.commit()
    return cursor.rowcount == 1


def add_invitation(db: Database, *, code: str, department: str, role: str, created_by: int,
                   expires_at: str, max_uses: int) -> None:
    db.conn.execute(
        "INSERT INTO invitations (code, department, role, created_by, created_at, expires_at, max_uses)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (code, department, role, created_by, now(), expires_at, max_uses),
    )
    db.conn.commit()


def get_invitation(db: Database, code: str) -> dict[str, Any] | None:
    rows = list(db.query("SELECT * FROM invitations WHERE code = ?", [code]))
    return rows[0] if rows else None


def redeem_invitation(db: Database, *, code: str, at: str, telegram_id: int, name: str, username: str) -> str:
    """Use one invitation and register the user, atomically.

    Returns ``ok``, ``unknown``, ``expired``, ``used_up`` or ``already`` (an active user keeps their
    registration and the invitation is not consumed). ``at`` is the ISO-8601 UTC time of the attempt.
    """
    with db.atomic():
        invitation = get_invitation(db, code)
        if invitation is None:
            return "unknown"
        if at >= invitation["expires_at"]:
            return "expired"
        if invitation["uses"] >= invitation["max_uses"]:
            return "used_up"
        if find_active(db, telegram_id=telegram_id) is not None:
            return "already"
        db.conn.execute("UPDATE invitations SET uses = uses + 1 WHERE code = ?", (code,))
        db.conn.execute(
            "INSERT INTO users (telegram_id, name, username, department, role, registered_at) VALUES (?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (telegram_id) DO UPDATE SET name = excluded.name, username = excluded.username,"
            " department = excluded.department, role = excluded.role, registered_at = excluded.registered_at,"
            " removed_at = NULL, reachable = 1",
            (telegram_id, name, username, invitation["department"], invitation["role"], at),
        )
    return "ok"
