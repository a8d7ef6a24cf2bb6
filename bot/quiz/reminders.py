"""Which assignments to remind about today, and the trainers' digest of overdue staff (pure selection)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.quiz.models import Assignment, Person

SHANGHAI = ZoneInfo("Asia/Shanghai")


def utc_now() -> datetime:
    return datetime.now(UTC)


def local_today(moment: datetime) -> date:
    """The calendar day in Asia/Shanghai: due dates are Chinese office days, whatever the server's zone."""
    return moment.astimezone(SHANGHAI).date()


def default_due(today: date, due_days: int) -> date:
    return today + timedelta(days=due_days)


def parse_due(text: str) -> date | None:
    """``YYYY-MM-DD`` (also with ``due=`` in front), or None when it is not a date."""
    text = text.strip().removeprefix("due=")
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


@dataclass(frozen=True)
class Due:
    """An open assignment worth a reminder today."""

    assignment: Assignment
    person: Person
    days_left: int  # negative: overdue by that many days

    @property
    def overdue(self) -> bool:
        return self.days_left < 0


def select_reminders(open_assignments: Iterable[tuple[Assignment, Person]], today: date, days_before: int) -> list[Due]:
    """Open assignments due within ``days_before`` days (today included) or already overdue, soonest first."""
    selected = []
    for assignment, person in open_assignments:
        if not assignment.is_open:
            continue
        days_left = (assignment.due_on - today).days
        if days_left <= days_before:
            selected.append(Due(assignment=assignment, person=person, days_left=days_left))
    return sorted(selected, key=lambda d: (d.days_left, d.person.telegram_id, d.assignment.quiz_id))


def by_person(dues: Iterable[Due]) -> dict[int, list[Due]]:
    """One reminder per person per day, listing all their due assignments."""
    grouped: dict[int, list[Due]] = {}
    for due in dues:
        grouped.setdefault(due.person.telegram_id, []).append(due)
    return grouped


def overdue_by_department(dues: Iterable[Due]) -> dict[str, list[Due]]:
    """The trainers' digest: overdue assignments grouped by department (most overdue first)."""
    grouped: dict[str, list[Due]] = {}
    for due in sorted((d for d in dues if d.overdue), key=lambda d: d.days_left):
        grouped.setdefault(due.person.department or "（未填部门）", []).append(due)
    return dict(sorted(grouped.items()))
