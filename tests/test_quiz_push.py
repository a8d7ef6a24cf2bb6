"""Pushing quizzes, department moves, reminders and delivery (idempotent via the notifications table)."""

import random
from datetime import UTC, date, datetime, timedelta

import pytest

from bot.config import QuizConfig
from bot.quiz.bank import load_banks
from bot.quiz.models import NotificationStatus
from bot.services.quiz_push import DIGEST, REMINDER, PushService, Unreachable
from bot.services.quizzes import QuestionStep, QuizService, Refusal, Refused
from bot.store import quizzes as q
from bot.store.db import Store
from tests.quizfixture import DEMO, RULE_IDS, Clock, add_user, write_bank


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "desk.db")
    s.run_sync(add_user, 1, username="wang", department="办公室")
    s.run_sync(add_user, 2, username="li", department="办公室")
    s.run_sync(add_user, 3, username="zhao", department="财政科")
    s.run_sync(add_user, 4, username="trainer", department="办公室", role="trainer")
    s.run_sync(add_user, 5, username="boss", department="办公室", role="manager")
    yield s
    s.close()


@pytest.fixture
def pushes(tmp_path, store, clock):
    folder = write_bank(tmp_path / "quizzes")
    write_bank(folder, DEMO.replace("id: demo\n", "id: second\n").replace("id: demo-0", "id: second-0"), "second.yaml")
    quizzes = QuizService(load_banks(folder, RULE_IDS), store, QuizConfig(onboarding=["demo", "second", "gone"]),
                          clock=clock, rng=random.Random(5))
    return PushService(quizzes)


class FakeSender:
    def __init__(self, blocked=(), broken=()):
        self.sent, self.blocked, self.broken = [], set(blocked), set(broken)

    async def __call__(self, notice):
        if notice.person.telegram_id in self.blocked:
            raise Unreachable("Forbidden: bot was blocked by the user")
        if notice.person.telegram_id in self.broken:
            raise RuntimeError("timed out")
        self.sent.append((notice.kind, notice.person.telegram_id))


async def ids(pushes, target, quiz="demo"):
    people = await pushes.resolve(target, quiz)
    return people if isinstance(people, Refused) else [p.telegram_id for p in people]


async def test_targets(pushes):
    assert await ids(pushes, "@Wang") == [1]
    assert await ids(pushes, "4") == [4]  # by name, any role
    assert await ids(pushes, "办公室") == [1, 2]  # groups reach staff only
    assert await ids(pushes, "all") == [1, 2, 3]
    assert await ids(pushes, "new") == []
    for unknown in ("@nobody", "999", "宣传科"):
        assert (await ids(pushes, unknown)).reason is Refusal.UNKNOWN_TARGET


async def test_push_to_a_department_reaches_members_and_is_idempotent(pushes, store):
    pushed = await pushes.push("demo", "办公室", due_on=date(2026, 3, 20), by=4)
    assert [p.telegram_id for p in pushed.people] == [1, 2] and not pushed.already
    sender = FakeSender(blocked={2})
    delivery = await pushes.deliver(pushed.notices, sender, pause=0)
    assert [p.telegram_id for p in delivery.reached] == [1]
    assert [p.telegram_id for p in delivery.unreachable] == [2]
    assert sender.sent == [("assignment", 1)]
    rows = {r["user_id"]: r for r in store.run_sync(lambda db: list(db.query("SELECT * FROM notifications")))}
    assert (rows[1]["status"], rows[2]["status"], rows[2]["tries"]) == ("sent", "unreachable", 1)
    reachable = dict(store.run_sync(lambda db: db.conn.execute("SELECT telegram_id, reachable FROM users").fetchall()))
    assert reachable[2] == 0 and reachable[1] == 1
    assigned = store.run_sync(q.open_assignment, 1, "demo")
    assert assigned.due_on == date(2026, 3, 20) and assigned.assigned_by == 4

    again = await pushes.push("demo", "办公室", by=4)  # same quiz again: nobody is told twice
    assert [p.telegram_id for p in again.already] == [1]
    assert [n.person.telegram_id for n in again.notices] == [2]  # the unreachable one is tried again
    sender = FakeSender()
    await pushes.deliver(again.notices, sender, pause=0)
    assert sender.sent == [("assignment", 2)]
    assert store.run_sync(q.open_assignment, 1, "demo").due_on == date(2026, 3, 20)  # no date given: kept


async def test_a_failed_send_does_not_stop_the_rest_and_is_retried_at_start_up(pushes):
    pushed = await pushes.push("demo", "all")
    delivery = await pushes.deliver(pushed.notices, FakeSender(broken={1}), pause=0)
    assert [p.telegram_id for p in delivery.reached] == [2, 3]
    assert [(p.telegram_id, e) for p, e in delivery.failed] == [(1, "timed out")]
    unsent = await pushes.unsent()
    assert [n.person.telegram_id for n in unsent] == [1] and unsent[0].quiz.id == "demo"
    sender = FakeSender()
    await pushes.deliver(unsent, sender, pause=0)
    assert sender.sent == [("assignment", 1)] and await pushes.unsent() == []


async def test_push_refusals(pushes):
    assert (await pushes.push("nope", "all")).reason is Refusal.UNKNOWN_QUIZ
    assert (await pushes.push("demo", "宣传科")).reason is Refusal.UNKNOWN_TARGET
    assert (await pushes.push("demo", "all", due_on=date(2020, 1, 1))).reason is Refusal.BAD_DUE


async def test_reassign_flags_assigns_onboarding_and_new_clears_after_passing(pushes, store):
    moved = await pushes.reassign("@zhao", "办公室", by=5)
    assert moved.from_department == "财政科" and moved.person.department == "办公室"
    assert moved.person.newly_reassigned
    assert sorted(a.quiz_id for a in moved.assignments) == ["demo", "second"]  # 'gone' is not a loaded quiz
    assert [n.kind for n in moved.notices] == ["assignment", "assignment"]
    row = store.run_sync(lambda db: list(db.query("SELECT * FROM reassignments")))[0]
    assert (row["user_id"], row["from_department"], row["to_department"], row["reassigned_by"]) == (3, "财政科", "办公室", 5)
    assert await ids(pushes, "new", "demo") == [3]

    quizzes = pushes.quizzes
    for quiz_id in ("demo", "second"):
        step = await quizzes.start(3, quiz_id)
        while isinstance(step, QuestionStep):
            answered = await quizzes.answer(3, step.attempt_id, step.position, step.right)
            step = answered.next
        assert answered.result.score.passed
        if quiz_id == "demo":
            assert await ids(pushes, "new", "demo") == []  # passed this one
            assert (await store.run(q.get_person, 3)).newly_reassigned  # but not every track yet
    assert not (await store.run(q.get_person, 3)).newly_reassigned
    assert (await pushes.reassign("@nobody", "办公室")).reason is Refusal.UNKNOWN_TARGET


async def test_daily_reminders_and_digest_once_a_day(pushes, store, clock):
    await pushes.push("demo", "@wang", due_on=date(2026, 3, 4))  # due in 2 days
    await pushes.push("demo", "@li", due_on=date(2026, 3, 30))  # far off
    await pushes.push("second", "@zhao", due_on=date(2026, 3, 3))
    clock.moment = datetime(2026, 3, 5, 1, 0, tzinfo=UTC)  # 3-05 in Shanghai: wang and zhao overdue
    notices = await pushes.reminders()
    kinds = sorted((n.kind, n.person.telegram_id) for n in notices)
    assert kinds == [(DIGEST, 4), (REMINDER, 1), (REMINDER, 3)]
    digest = next(n for n in notices if n.kind == DIGEST)
    assert sorted(d.person.telegram_id for d in digest.dues) == [1, 3]
    await pushes.deliver(notices, FakeSender(), pause=0)
    assert await pushes.reminders() == []  # the job ran twice today: nothing more
    clock.moment += timedelta(days=1)
    assert len(await pushes.reminders()) == 3  # tomorrow: again


async def test_reminder_for_due_soon_but_not_overdue_has_no_digest(pushes, clock):
    await pushes.push("demo", "@wang", due_on=date(2026, 3, 5))  # 3 days left on 03-02
    notices = await pushes.reminders()
    assert [(n.kind, n.dues[0].days_left) for n in notices] == [(REMINDER, 3)]


async def test_a_sent_notice_is_not_sent_again_even_when_handed_over_twice(pushes, store):
    pushed = await pushes.push("demo", "@wang")
    sender = FakeSender()
    await pushes.deliver(pushed.notices + pushed.notices, sender, pause=0)
    assert sender.sent == [("assignment", 1)]
    status = store.run_sync(q.get_notification, pushed.notices[0].notification.id).status
    assert status is NotificationStatus.SENT
