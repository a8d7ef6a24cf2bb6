"""Working-day deadlines on the official calendar (chinesecalendar 1.11 knows 2004–2026).

The holiday facts used below were checked with chinese_calendar itself:
- 2024 Spring Festival: off 2024-02-10 … 02-17; make-up workdays Sun 02-04 and Sun 02-18.
- 2024 National Day: off 10-01 … 10-07; make-up workdays Sun 09-29 and Sat 10-12.
- 2025 Spring Festival: off 2025-01-28 … 02-04; make-up workdays Sun 01-26 and Sat 02-08.
- 2025 National Day + Mid-Autumn: off 10-01 … 10-08; make-up workdays Sun 09-28 and Sat 10-11.
"""

from __future__ import annotations

from datetime import date

import chinese_calendar
import pytest

from bot.config import CalendarConfig
from bot.deadlines.calendar import CalendarError, WorkCalendar, parse_day
from bot.deadlines.periods import compute
from bot.deadlines.texts import DeadlineRequest, deadline_lines, parse_request

CAL = WorkCalendar()


def dues(received: date, **kwargs) -> tuple[date, date, date]:
    d = compute(CAL, received, **kwargs)
    return d.due("correction"), d.due("reply"), d.due("extended")


def test_the_facts_the_tests_rely_on():
    assert chinese_calendar.is_holiday(date(2025, 1, 28)) and chinese_calendar.is_holiday(date(2025, 2, 4))
    assert chinese_calendar.is_workday(date(2025, 1, 26)) and chinese_calendar.is_workday(date(2025, 2, 8))
    assert chinese_calendar.is_workday(date(2024, 9, 29)) and chinese_calendar.is_workday(date(2024, 10, 12))
    assert chinese_calendar.is_workday(date(2025, 9, 28)) and chinese_calendar.is_workday(date(2025, 10, 11))
    assert chinese_calendar.is_holiday(date(2025, 10, 8))


def test_day_after_receipt_is_working_day_one():
    # Thu 2025-03-06: Fri 03-07 is day 1, Mon 03-10 day 2, … the 7th is Mon 03-17.
    assert CAL.add_workdays(date(2025, 3, 6), 1) == date(2025, 3, 7)
    assert CAL.add_workdays(date(2025, 3, 6), 7) == date(2025, 3, 17)
    assert CAL.add_workdays(date(2025, 3, 6), 0) == date(2025, 3, 6)
    assert CAL.workdays_between(date(2025, 3, 6), date(2025, 3, 17)) == 7


def test_spring_festival_2025_with_make_up_sunday_and_saturday():
    # Mon 01-20: 21,22,23,24, Sun 26 (make-up), Mon 27 = 6 days; 28 Jan–4 Feb off; Wed 02-05 is the 7th.
    # Reply: 02-05 … Sat 02-08 (make-up) is the 10th … Fri 02-21 the 20th; +20 → Fri 03-21.
    assert dues(date(2025, 1, 20)) == (date(2025, 2, 5), date(2025, 2, 21), date(2025, 3, 21))


def test_spring_festival_2024_make_up_sunday_counts():
    # Mon 02-05: 6,7,8,9 = 4 days; 10–17 off; Sun 02-18 (make-up) = 5; 19 = 6; Tue 02-20 = 7.
    assert dues(date(2024, 2, 5)) == (date(2024, 2, 20), date(2024, 3, 8), date(2024, 4, 8))


def test_national_day_2024():
    # Fri 09-20: 23–27 = 5, Sun 09-29 (make-up) = 6, Mon 09-30 = 7; 10-01…07 off; Sat 10-12 counts; 10-23 = 20th.
    assert dues(date(2024, 9, 20)) == (date(2024, 9, 30), date(2024, 10, 23), date(2024, 11, 20))


def test_national_day_2025():
    # Mon 09-22: 23–26 = 4, Sun 09-28 = 5, 29 = 6, 30 = 7; 10-01…08 off; Sat 10-11 counts; Fri 10-24 = 20th.
    assert dues(date(2025, 9, 22)) == (date(2025, 9, 30), date(2025, 10, 24), date(2025, 11, 21))


def test_received_on_a_holiday_counts_from_the_next_working_day():
    # An online application confirmed on 2025-10-01 (Art. 31): Thu 10-09 is day 1.
    assert CAL.add_workdays(date(2025, 10, 1), 1) == date(2025, 10, 9)


def test_consultation_days_move_the_reply_not_the_correction_notice():
    plain = compute(CAL, date(2025, 3, 3))
    moved = compute(CAL, date(2025, 3, 3), excluded_days=9, opinion_from=date(2025, 3, 7))
    assert moved.due("correction") == plain.due("correction")
    assert CAL.workdays_between(plain.due("reply"), moved.due("reply")) == 9
    assert CAL.workdays_between(plain.due("extended"), moved.due("extended")) == 9
    # Fri 03-07: the third party has 15 working days → Fri 03-28.
    assert moved.due("opinion") == date(2025, 3, 28)
    assert plain.get("opinion") is None
    with pytest.raises(ValueError):
        compute(CAL, date(2025, 3, 3), excluded_days=-1)


def test_a_date_outside_the_known_calendar_warns():
    last = max(chinese_calendar.holidays).year
    assert compute(CAL, date(last, 3, 2)).warning == ""
    late = compute(CAL, date(last, 12, 10))  # the reply falls in the next year
    assert f"{last + 1}年" in late.warning and "config.yaml" in late.warning
    assert any(line == late.warning for line in deadline_lines(late))
    # Outside what it knows, Monday–Friday are working days (no exception as the package would raise).
    assert CAL.is_workday(date(last + 1, 1, 4)) is (date(last + 1, 1, 4).weekday() < 5)
    assert f"{last + 5}年" in compute(CAL, date(last + 5, 6, 1)).warning


def test_config_extra_days_are_honoured():
    # A local extra holiday on a known year's Monday, a make-up Saturday, and next year's notice in config.
    cal = WorkCalendar.from_config(CalendarConfig(
        extra_holidays=["2025-03-10", "2027-01-01"], extra_workdays=["2025-03-15"]))
    assert not cal.is_workday(date(2025, 3, 10)) and cal.is_workday(date(2025, 3, 15))
    # Thu 03-06: Fri 07 = 1, (Mon 10 off), Tue 11 = 2, …, Fri 14 = 5, Sat 15 = 6, Mon 17 = 7.
    assert compute(cal, date(2025, 3, 6)).due("correction") == date(2025, 3, 17)
    assert cal.knows(date(2027, 6, 1)) and not CAL.knows(date(2027, 6, 1))
    assert compute(cal, date(2026, 12, 10)).warning == ""
    assert not cal.is_workday(date(2027, 1, 1))


def test_bad_config_days_name_the_key():
    with pytest.raises(CalendarError, match=r"calendar.extra_workdays\[1\]"):
        WorkCalendar.from_config(CalendarConfig(extra_workdays=["2025-03-15", "3月15日"]))
    with pytest.raises(CalendarError, match="both"):
        WorkCalendar.from_config(CalendarConfig(extra_holidays=["2025-03-15"], extra_workdays=["2025-03-15"]))


def test_parse_day_and_request():
    assert parse_day("2025-1-2") == date(2025, 1, 2) == parse_day("2025/01/02") == parse_day("2025.1.2")
    assert parse_day("2025-02-30") is None and parse_day("20250102") is None and parse_day("明天") is None
    assert parse_request("2025-01-02") == DeadlineRequest(date(2025, 1, 2))
    assert parse_request("2025-01-02 征求 2025-01-08 扣除 9天") == DeadlineRequest(
        date(2025, 1, 2), date(2025, 1, 8), 9)
    assert parse_request("2025-01-02，扣除9个工作日") == DeadlineRequest(date(2025, 1, 2), None, 9)
    for bad in ("", "明天", "2025-01-02 2025-01-03 2025-01-04", "2025-01-08 征求 2025-01-02", "2025-01-02 9999"):
        assert isinstance(parse_request(bad), str)


def test_lines_name_articles_weekdays_and_counting_rule():
    text = "\n".join(deadline_lines(compute(CAL, date(2025, 1, 20))))
    assert "2025-02-05（周三）" in text and "第三十条" in text and "第三十三条" in text
    assert "次日起算" in text and "第三十二条" in text
