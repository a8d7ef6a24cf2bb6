"""A tiny quiz bank and helpers for quiz tests (independent of the bundled quizzes/, which change)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from bot.store.db import now

DEMO = """\
quiz:
  id: demo
  title: 演示测验
  description: 测试用
  pass_mark: 60
  draw: 3
  due_days: 7
  max_attempts: 2
questions:
  - id: demo-01
    type: single
    stem: 依申请公开的答复期限一般是多少个工作日？
    options: [10个, 15个, 20个, 30个]
    answer: [2]
    explanation: 第三十三条：20个工作日，可延长20个工作日。
    basis: [reg-33]
    verdict: null
  - id: demo-02
    type: multiple
    stem: 哪些信息可以不予公开？
    options: [内部事务信息, 过程性信息, 行政执法案卷, 部门预算]
    answer: [0, 1, 2]
    explanation: 第十六条。
    basis: [reg-16]
  - id: demo-03
    type: true_false
    stem: 国家秘密不予公开。
    answer: [true]
    explanation: 第十四条。
    basis: [reg-14]
  - id: demo-04
    type: single
    stem: 部门预算和决算要主动公开吗
    options: [依申请公开, 主动公开, 不予公开]
    answer: [1]
    explanation: 预算法第十四条。
    basis: [budget-14, reg-20]
    verdict: proactive
  - id: demo-05
    type: true_false
    stem: 法院的判决书属于政府信息。
    answer: [false]
    explanation: 法院不是行政机关。
    basis: [reg-2]
"""

RULE_IDS = {"reg-2", "reg-14", "reg-15", "reg-16", "reg-20", "reg-33", "reg-37", "budget-14"}


def write_bank(folder: Path, text: str = DEMO, name: str = "demo.yaml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return folder


class Clock:
    """A frozen clock tests move by hand."""

    def __init__(self, moment: datetime | None = None):
        self.moment = moment or datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai, a Monday

    def __call__(self) -> datetime:
        return self.moment


def add_user(db, telegram_id: int, *, name: str = "", username: str = "", department: str = "办公室",
             role: str = "staff", newly_reassigned: bool = False) -> None:
    """Register a user directly in the users table (registration itself belongs to the access feature)."""
    db.conn.execute(
        "INSERT INTO users (telegram_id, name, username, department, role, newly_reassigned, registered_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (telegram_id, name or f"用户{telegram_id}", username, department, role, int(newly_reassigned), now()),
    )
    db.conn.commit()
