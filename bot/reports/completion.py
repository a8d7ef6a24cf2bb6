"""Who completed which training: one row per person and assigned track, and a rollup per department."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

STATUS_LABELS = {"passed": "已通过", "failed": "未通过", "assigned": "进行中", "": "未分配"}
NO_DEPARTMENT = "（未填部门）"


@dataclass(frozen=True)
class TrackRow:
    """One person's latest assignment of one quiz (or, with ``quiz_id`` empty, a person with none)."""

    user_id: int
    name: str
    username: str
    department: str
    role: str
    quiz_id: str = ""
    quiz_title: str = ""
    assigned_on: str = ""
    due_on: date | None = None
    status: str = ""  # assigned | passed | failed | "" (nothing assigned)
    attempts: int = 0
    best_score: int | None = None
    overdue: bool = False

    @property
    def passed(self) -> bool:
        return self.status == "passed"

    @property
    def status_label(self) -> str:
        return "已逾期" if self.overdue else STATUS_LABELS.get(self.status, self.status)

    @property
    def who(self) -> str:
        if self.name and self.username:
            return f"{self.name} (@{self.username})"
        return self.name or (f"@{self.username}" if self.username else str(self.user_id))


@dataclass(frozen=True)
class DepartmentRollup:
    department: str
    people: int
    assigned: int  # assignments (a person with three tracks counts three)
    passed: int
    failed: int
    overdue: int

    @property
    def in_progress(self) -> int:
        return self.assigned - self.passed - self.failed - self.overdue

    @property
    def completion(self) -> float:
        """Share of assignments passed (0 when nothing is assigned)."""
        return self.passed / self.assigned if self.assigned else 0.0


@dataclass(frozen=True)
class CompletionReport:
    today: date
    rows: tuple[TrackRow, ...]
    departments: tuple[DepartmentRollup, ...]
    department: str | None = None  # the filter, if any

    @property
    def people(self) -> int:
        return len({r.user_id for r in self.rows})

    def total(self) -> DepartmentRollup:
        d = self.departments
        return DepartmentRollup("合计", self.people, sum(x.assigned for x in d), sum(x.passed for x in d),
                                sum(x.failed for x in d), sum(x.overdue for x in d))


def track_rows(rows: Sequence[dict[str, Any]], today: date, title: Callable[[str], str]) -> list[TrackRow]:
    out = []
    for r in rows:
        due = date.fromisoformat(r["due_on"]) if r["due_on"] else None
        status = r["status"] or ""
        out.append(TrackRow(
            user_id=r["user_id"], name=r["name"], username=r["username"],
            department=r["department"] or NO_DEPARTMENT, role=r["role"], quiz_id=r["quiz_id"] or "",
            quiz_title=title(r["quiz_id"]) if r["quiz_id"] else "", assigned_on=(r["assigned_at"] or "")[:10],
            due_on=due, status=status, attempts=r["attempts"] or 0, best_score=r["best_score"],
            overdue=status == "assigned" and due is not None and due < today,
        ))
    return out


def rollup(rows: Sequence[TrackRow]) -> list[DepartmentRollup]:
    by_department: dict[str, list[TrackRow]] = {}
    for row in rows:
        by_department.setdefault(row.department, []).append(row)
    out = []
    for department, members in sorted(by_department.items()):
        assigned = [m for m in members if m.quiz_id]
        out.append(DepartmentRollup(
            department=department, people=len({m.user_id for m in members}), assigned=len(assigned),
            passed=sum(m.passed for m in assigned), failed=sum(m.status == "failed" for m in assigned),
            overdue=sum(m.overdue for m in assigned),
        ))
    return out


def build_report(rows: Sequence[dict[str, Any]], today: date, title: Callable[[str], str],
                 department: str | None = None) -> CompletionReport:
    tracks = track_rows(rows, today, title)
    return CompletionReport(today=today, rows=tuple(tracks), departments=tuple(rollup(tracks)), department=department)
