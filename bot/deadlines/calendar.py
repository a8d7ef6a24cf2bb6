"""Working days on China's official calendar (chinese_calendar) plus the days config adds.

The package ships the State Council's holiday notices up to a last year (2026 for chinesecalendar 1.11) and
raises for any later date. We do not raise: outside what is known, Monday–Friday count as working days and
the caller gets a warning to show, because a date a week off is still more useful to an officer than none.
A year counts as known when the package ships it or config lists at least one extra holiday in it (config
exists to add the next year's notice before the package does).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

import chinese_calendar

from bot.config import CalendarConfig

_PACKAGE_YEARS = range(min(chinese_calendar.holidays).year, max(chinese_calendar.holidays).year + 1)


class CalendarError(ValueError):
    """A configured extra day is not a YYYY-MM-DD date; the message names the key."""


def parse_day(text: str) -> date | None:
    """A date written YYYY-MM-DD (also 2025/1/2 and 2025.1.2), or None."""
    parts = text.strip().replace("/", "-").replace(".", "-").split("-")
    if len(parts) != 3 or not all(p.isdigit() for p in parts) or len(parts[0]) != 4:
        return None
    try:
        return date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        return None


def _days(values: Iterable[str], key: str) -> frozenset[date]:
    out = set()
    for i, value in enumerate(values):
        day = parse_day(value)
        if day is None:
            raise CalendarError(f"'calendar.{key}[{i}]' must be a date YYYY-MM-DD, got {value!r}")
        out.add(day)
    return frozenset(out)


@dataclass(frozen=True)
class WorkCalendar:
    """Which days are working days; config overrides the package, and the package overrides weekdays."""

    extra_holidays: frozenset[date] = field(default_factory=frozenset)
    extra_workdays: frozenset[date] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        both = self.extra_holidays & self.extra_workdays
        if both:
            raise CalendarError(f"calendar: {min(both)} is listed both as a holiday and as a workday")

    @classmethod
    def from_config(cls, config: CalendarConfig) -> WorkCalendar:
        return cls(_days(config.extra_holidays, "extra_holidays"), _days(config.extra_workdays, "extra_workdays"))

    @property
    def package_years(self) -> range:
        return _PACKAGE_YEARS

    def knows(self, day: date) -> bool:
        """True when the year's holidays and make-up workdays are known (package or config)."""
        return day.year in _PACKAGE_YEARS or any(h.year == day.year for h in self.extra_holidays)

    def is_workday(self, day: date) -> bool:
        if day in self.extra_workdays:
            return True
        if day in self.extra_holidays:
            return False
        if day.year in _PACKAGE_YEARS:
            return chinese_calendar.is_workday(day)
        return day.weekday() < 5

    def add_workdays(self, start: date, n: int) -> date:
        """The n-th working day after ``start`` (``start`` itself is never counted); n = 0 gives ``start``."""
        day = start
        step = timedelta(days=1 if n >= 0 else -1)
        left = abs(n)
        while left:
            day += step
            if self.is_workday(day):
                left -= 1
        return day

    def workdays_between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end`` (0 when end <= start)."""
        count, day = 0, start
        while day < end:
            day += timedelta(days=1)
            count += self.is_workday(day)
        return count

    def unknown_years(self, start: date, end: date) -> list[int]:
        """Years between two dates (inclusive) whose official schedule is not known."""
        return [y for y in range(start.year, end.year + 1) if not self.knows(date(y, 1, 1))]

    def warning(self, start: date, end: date) -> str:
        """A sentence to show when the span crosses a year the calendar does not know, else ''."""
        years = self.unknown_years(start, end)
        if not years:
            return ""
        named = "、".join(f"{y}年" for y in years)
        first, last = _PACKAGE_YEARS.start, _PACKAGE_YEARS.stop - 1
        return (
            f"注意：{named}的法定节假日和调休安排本机还不知道（内置日历覆盖{first}—{last}年），"
            "这段时间暂按周一至周五计算工作日，结果可能不准。请以国务院办公厅当年的放假通知为准，"
            "或请管理员在 config.yaml 的 calendar.extra_holidays / extra_workdays 中补充。"
        )
