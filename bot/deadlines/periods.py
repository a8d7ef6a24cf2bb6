"""The statutory periods of an application for disclosure, in working days.

How days are counted (our decision, stated to users): the day of receipt (Art. 31 says which day that is)
is not counted; the first working day after it is working day 1, and the N-th working day is the last day
on which the act is on time. This follows the general rule of Chinese law that the day a period starts on
is not counted (民法典第二百零一条), and it is the reading most disclosure offices and courts apply.

Periods (2019 Regulations):
- Art. 30: a one-time notice asking for corrections, within 7 working days of receipt.
- Art. 33: the reply, within 20 working days; extendable once by at most 20 more (40 in all).
- Art. 32: a consulted third party answers within 15 working days of receiving the letter; the time
  spent consulting third parties or other organs is not counted in the reply period (Art. 33), so the
  officer enters the working days it took and the reply dates move by that many working days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.deadlines.calendar import WorkCalendar

CORRECTION_DAYS = 7
REPLY_DAYS = 20
EXTENSION_DAYS = 20
OPINION_DAYS = 15

LABELS = {"correction": "一次性告知补正", "reply": "答复", "extended": "延长后答复", "opinion": "第三方回复意见"}
ARTICLES = {"correction": 30, "reply": 33, "extended": 33, "opinion": 32}
COUNTING_RULE = "收到申请当日不计入，次日起算：收到后的第1个工作日为第1天，截止日当天内办结即不逾期。"


@dataclass(frozen=True)
class Period:
    """One due date, with what it is and the article behind it."""

    kind: str  # correction | reply | extended | opinion
    label: str
    article: int
    working_days: int
    start: date
    due: date


@dataclass(frozen=True)
class Deadlines:
    received: date
    periods: tuple[Period, ...]
    excluded_days: int = 0  # working days spent consulting (not counted in the reply period)
    opinion_from: date | None = None  # the day the third party received the letter
    warning: str = ""  # set when a date falls in a year the calendar does not know

    def get(self, kind: str) -> Period | None:
        return next((p for p in self.periods if p.kind == kind), None)

    def due(self, kind: str) -> date | None:
        period = self.get(kind)
        return period.due if period else None


def compute(calendar: WorkCalendar, received: date, *, excluded_days: int = 0,
            opinion_from: date | None = None) -> Deadlines:
    """Every due date for an application received on ``received``."""
    if excluded_days < 0:
        raise ValueError("excluded_days must not be negative")
    add = calendar.add_workdays
    spans = {"correction": (received, CORRECTION_DAYS, CORRECTION_DAYS),
             "reply": (received, REPLY_DAYS, REPLY_DAYS + excluded_days),
             "extended": (received, REPLY_DAYS + EXTENSION_DAYS, REPLY_DAYS + EXTENSION_DAYS + excluded_days)}
    if opinion_from is not None:
        spans["opinion"] = (opinion_from, OPINION_DAYS, OPINION_DAYS)
    periods = [Period(kind, LABELS[kind], ARTICLES[kind], days, start, add(start, counted))
               for kind, (start, days, counted) in spans.items()]
    last = max(p.due for p in periods)
    return Deadlines(received=received, periods=tuple(periods), excluded_days=excluded_days,
                     opinion_from=opinion_from, warning=calendar.warning(min(received, last), last))
