"""Reminder selection with a frozen clock: due soon, overdue, and the trainers' digest."""

from datetime import UTC, date, datetime

from bot.quiz.models import Assignment, AssignmentStatus, Person
from bot.quiz.reminders import by_person, local_today, overdue_by_department, parse_due, select_reminders


def assignment(i, due, status=AssignmentStatus.ASSIGNED, user=1):
    return Assignment(id=i, user_id=user, quiz_id=f"q{i}", assigned_at="", due_on=due, status=status)


def person(i, department="办公室"):
    return Person(telegram_id=i, name=f"人{i}", department=department)


def test_due_within_days_and_overdue_are_selected():
    today = date(2026, 3, 10)
    pairs = [
        (assignment(1, date(2026, 3, 13)), person(1)),  # 3 days left: reminded
        (assignment(2, date(2026, 3, 14)), person(1)),  # 4 days left: not yet
        (assignment(3, date(2026, 3, 10)), person(2)),  # due today
        (assignment(4, date(2026, 3, 1)), person(3, "财政科")),  # overdue
        (assignment(5, date(2026, 3, 1), AssignmentStatus.PASSED), person(4)),  # done: never
        (assignment(6, date(2026, 3, 1), AssignmentStatus.FAILED), person(4)),
    ]
    dues = select_reminders(pairs, today, 3)
    assert [d.assignment.id for d in dues] == [4, 3, 1]
    assert [d.days_left for d in dues] == [-9, 0, 3]
    assert [d.overdue for d in dues] == [True, False, False]
    assert set(by_person(dues)) == {1, 2, 3}
    assert {k: [d.assignment.id for d in v] for k, v in overdue_by_department(dues).items()} == {"财政科": [4]}


def test_the_day_is_the_shanghai_day():
    assert local_today(datetime(2026, 3, 9, 16, 30, tzinfo=UTC)) == date(2026, 3, 10)
    assert local_today(datetime(2026, 3, 9, 15, 59, tzinfo=UTC)) == date(2026, 3, 9)


def test_parse_due():
    assert parse_due("due=2026-04-01") == date(2026, 4, 1)
    assert parse_due("2026-4-1") is None and parse_due("明天") is None
