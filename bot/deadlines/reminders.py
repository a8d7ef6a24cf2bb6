"""Which due dates to remind about today: pure selection, so a test can freeze the clock."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from bot.deadlines.calendar import WorkCalendar

SHANGHAI = ZoneInfo("Asia/Shanghai")
REMIND_WORKING_DAYS_BEFORE = 3


def local_today(now: datetime | None = None) -> date:
    """Today in Beijing time (deadlines are Chinese office days, whatever the server's zone)."""
    return (now or datetime.now(UTC)).astimezone(SHANGHAI).date()


@dataclass(frozen=True)
class CaseDue:
    """One due date of an open case."""

    case_id: int
    user_id: int
    name: str
    kind: str
    label: str
    due: date


@dataclass(frozen=True)
class Reminder:
    due: CaseDue
    remind_on: date
    working_days_left: int  # working days after today up to and including the due date

    @property
    def key(self) -> tuple[int, str, date]:
        return (self.due.case_id, self.due.kind, self.due.due)


def remind_on(calendar: WorkCalendar, due: date, lead: int = REMIND_WORKING_DAYS_BEFORE) -> date:
    """The ``lead``-th working day before the due date."""
    return calendar.add_workdays(due, -lead)


def select_reminders(dues: Iterable[CaseDue], today: date, calendar: WorkCalendar,
                     sent: Collection[tuple[int, str, date]] = (),
                     lead: int = REMIND_WORKING_DAYS_BEFORE) -> list[Reminder]:
    """Due dates whose reminder day has come and that are not past, each once.

    A reminder missed on its day (the bot was down, the case was saved late) is sent at the next run, as
    long as the due date has not passed; the key (case, kind, due date) makes a moved due date remind anew.
    """
    out = []
    for due in dues:
        if (due.case_id, due.kind, due.due) in sent:
            continue
        start = remind_on(calendar, due.due, lead)
        if start <= today <= due.due:
            out.append(Reminder(due, start, calendar.workdays_between(today, due.due)))
    return sorted(out, key=lambda r: (r.due.due, r.due.case_id, r.due.kind))
