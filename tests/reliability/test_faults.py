"""Telegram faults on sending (429 retry_after, 5xx, time-outs, 403): every reply is delivered after a retry
or queued in the outbox and delivered later, in order; a person who blocked the bot is marked unreachable and
not tried again; a push to 1,000 people under random faults loses nobody."""

from __future__ import annotations

import time

import pytest
from telegram.error import TimedOut

from bot.quiz.models import NotificationStatus
from bot.store import outbox
from bot.telegram import texts
from bot.telegram.delivery import OUTBOX_JOB
from tests.quizfixture import add_user
from tests.reliability.helpers import Faults, fast, outbox_counts, quiz_core, reachable
from tests.telegram.fakebot import ApiError, Harness

QUESTION = "三公经费要不要公开"
HEADLINE = "【主动公开】"


def replies(h: Harness, chat: int) -> list[str]:
    return h.texts(chat)


async def run_outbox_job(h: Harness) -> None:
    (job,) = h.app.job_queue.get_jobs_by_name(OUTBOX_JOB)
    await job.run(h.app)


async def test_a_flood_wait_is_waited_out_and_the_reply_delivered(harness: Harness):
    fast(harness)
    alice = await harness.member(2001)
    harness.api.fail("sendMessage", 429, retry_after=1)
    started = time.monotonic()
    await harness.send_text(alice, QUESTION)
    assert time.monotonic() - started >= 1  # the retry_after was honoured, not hammered
    assert harness.last(alice).plain.startswith(HEADLINE)
    assert outbox_counts(harness) == {}


@pytest.mark.parametrize("fault", ["500", "502", "timeout"])
async def test_a_passing_5xx_or_time_out_is_retried_at_once(harness: Harness, fault):
    fast(harness)
    alice = await harness.member(2001)
    faults = Faults(harness.api, rate=0.0, kinds=(fault,)).next(2)
    await harness.send_text(alice, "/help")
    assert faults.total == 2 and "可用命令" in harness.last(alice).plain  # third try lucky
    assert outbox_counts(harness) == {}
    faults.next(3)  # one try and two retries all fail: queued
    await harness.send_text(alice, "涉密文件能给申请人吗")
    assert outbox_counts(harness) == {"pending": 1}
    await harness.send_text(alice, QUESTION)  # Telegram is back: the backlog goes first
    assert [t.split("\n")[0] for t in replies(harness, alice.id)[1:]] == ["【不予公开】", HEADLINE]
    assert outbox_counts(harness) == {}


async def test_replies_are_queued_while_telegram_is_down_and_delivered_in_order(harness: Harness):
    fast(harness)
    alice = await harness.member(2001)
    bob = await harness.member(2002)
    harness.api.fail("sendMessage", 500, times=1000)
    await harness.send_text(alice, QUESTION)
    await harness.send_text(alice, "涉密文件能给申请人吗")
    await harness.send_text(bob, "/help")
    assert harness.sent(alice) == [] and harness.sent(bob) == []
    assert outbox_counts(harness)["pending"] >= 3
    await run_outbox_job(harness)  # still down: nothing lost, nothing sent
    assert harness.sent(alice) == [] and outbox_counts(harness)["pending"] >= 3

    harness.api.faults.clear()
    await run_outbox_job(harness)
    assert [t.split("\n")[0] for t in replies(harness, alice.id)] == ["【主动公开】", "【不予公开】"]
    assert "可用命令" in harness.last(bob).plain
    assert outbox_counts(harness) == {}  # delivered rows are deleted with their text
    # the buttons came along: the queued answer can be rated
    await harness.press(alice, harness.button(alice, "👍"))
    assert harness.answered()["text"] == texts.THANKS_HELPFUL


async def test_a_new_reply_waits_behind_the_chats_backlog(harness: Harness):
    fast(harness)
    alice = await harness.member(2001)
    harness.api.fail("sendMessage", 502, times=3)  # exactly one reply's tries
    await harness.send_text(alice, QUESTION)
    assert harness.sent(alice) == [] and outbox_counts(harness) == {"pending": 1}
    await harness.send_text(alice, "涉密文件能给申请人吗")  # Telegram is back: the backlog goes first
    assert [t.split("\n")[0] for t in replies(harness, alice.id)] == ["【主动公开】", "【不予公开】"]


async def test_an_unanswerable_callback_query_does_not_stop_the_button(harness: Harness):
    fast(harness)
    alice = await harness.member(2001)
    await harness.send_text(alice, QUESTION)
    data = harness.button(alice, "👍")
    harness.api.fail("answerCallbackQuery", 500, times=3)
    await harness.process({"callback_query": {
        "id": "77", "from": {"id": alice.id, "is_bot": False, "first_name": "测试"}, "chat_instance": "1",
        "data": data, "message": harness.api._message_json(harness.last(alice))}})
    feedback = harness.core.store.run_sync(lambda db: list(db.query("SELECT * FROM feedback")))
    assert [(f["user_id"], f["helpful"]) for f in feedback] == [(alice.id, 1)]  # the rating counted


async def test_a_person_who_blocked_the_bot_is_marked_unreachable_not_retried(harness: Harness):
    fast(harness)
    alice = await harness.member(2001)
    faults = Faults(harness.api, rate=0.0, blocked={alice.id})
    await harness.send_text(alice, QUESTION)
    assert reachable(harness, alice.id) == 0
    assert faults.injected == {"403": 1}  # one try per message: a 403 is final
    assert outbox_counts(harness) == {}
    await run_outbox_job(harness)
    assert faults.injected == {"403": 1}
    faults.stop()  # she unblocked the bot and writes again
    await harness.send_text(alice, QUESTION)
    assert reachable(harness, alice.id) == 1 and harness.last(alice).plain.startswith(HEADLINE)


async def test_a_role_notice_to_someone_who_blocked_the_bot_marks_them(harness: Harness):
    alice = await harness.member(2001, username="alice")
    Faults(harness.api, rate=0.0, blocked={alice.id})
    await harness.send_text(harness.manager, "/role @alice trainer")
    assert "培训老师" in harness.last(harness.manager).plain  # the manager's command still worked
    assert reachable(harness, alice.id) == 0


async def test_queued_replies_to_someone_who_then_blocked_the_bot_are_given_up(harness: Harness):
    fast(harness)
    alice = await harness.member(2001)
    harness.api.fail("sendMessage", 500, times=1000)
    await harness.send_text(alice, QUESTION)
    await harness.send_text(alice, QUESTION)
    harness.api.faults.clear()
    faults = Faults(harness.api, rate=0.0, blocked={alice.id})
    await run_outbox_job(harness)
    await run_outbox_job(harness)
    assert faults.injected == {"403": 1}
    assert outbox_counts(harness) == {"unreachable": 2} and reachable(harness, alice.id) == 0
    rows = harness.core.store.run_sync(lambda db: list(db.query("SELECT params FROM outbox")))
    assert {r["params"] for r in rows} == {"{}"}  # the undeliverable text is not kept


async def test_a_queued_reply_telegram_rejects_is_not_retried_forever(harness: Harness):
    fast(harness)
    alice = await harness.member(2001)
    harness.api.fail("sendMessage", 500, times=3)
    await harness.send_text(alice, QUESTION)
    harness.api.fail("sendMessage", 400, "Bad Request: can't parse entities")
    await run_outbox_job(harness)
    assert outbox_counts(harness) == {"rejected": 1}


async def test_the_outbox_survives_a_restart(tmp_path, kb_dir):
    core = quiz_core(tmp_path, kb_dir)
    try:
        async with Harness.start(core) as h:
            fast(h)
            alice = await h.member(2001)
            h.api.fail("sendMessage", 500, times=1000)
            await h.send_text(alice, QUESTION)
            assert h.sent(alice) == []
    finally:
        core.close()
    core = quiz_core(tmp_path, kb_dir)  # the same database file
    try:
        async with Harness.start(core) as h:
            h.user(2001)
            await run_outbox_job(h)
            assert h.last(2001).plain.startswith(HEADLINE)
            assert outbox_counts(h) == {}
    finally:
        core.close()


async def test_outbox_rows_too_old_to_matter_expire(harness: Harness):
    fast(harness)
    alice = await harness.member(2001)
    harness.api.fail("sendMessage", 500, times=3)
    await harness.send_text(alice, QUESTION)
    harness.core.store.run_sync(lambda db: db.execute("UPDATE outbox SET created_at = '2000-01-01T00:00:00+00:00'"))
    await run_outbox_job(harness)
    assert harness.sent(alice) == [] and outbox_counts(harness) == {"expired": 1}


async def test_a_quiz_answer_survives_a_failed_feedback_edit_and_next_question(qh: Harness):
    alice = await qh.member(2001)
    await qh.send_text(alice, "/quiz")
    await qh.press(alice, qh.button(alice, "演示测验"))
    first = qh.last(alice)
    data = next(d for _, d in first.buttons if d.startswith("qa:"))
    qh.api.fail("sendMessage", 500, times=3)  # the next question does not get through
    await qh.press(alice, data, message=first)
    answers = qh.core.store.run_sync(lambda db: list(db.query(
        "SELECT chosen FROM attempt_answers WHERE chosen IS NOT NULL")))
    assert len(answers) == 1  # recorded once
    assert outbox_counts(qh) == {"pending": 1}
    await run_outbox_job(qh)
    assert "第 2/5 题" in qh.last(alice).plain  # the queued question, buttons and all
    await qh.press(alice, data, message=first)  # a second tap on the old question counts nothing
    assert len(qh.core.store.run_sync(lambda db: list(db.query(
        "SELECT 1 FROM attempt_answers WHERE chosen IS NOT NULL")))) == 1


async def test_failed_quiz_notices_are_retried_by_the_outbox_job(qh: Harness):
    trainer = await qh.member(3001, "trainer")
    alice = await qh.member(2001)
    qh.api.fail("sendMessage", 502, times=3)  # alice's notice: every try fails
    await qh.send_text(trainer, f"/push demo {alice.id}")
    statuses = qh.core.store.run_sync(lambda db: [r["status"] for r in db.query("SELECT status FROM notifications")])
    assert statuses == ["failed"]
    await run_outbox_job(qh)
    assert "新的培训测验" in qh.last(alice).plain
    statuses = qh.core.store.run_sync(lambda db: [r["status"] for r in db.query("SELECT status FROM notifications")])
    assert statuses == ["sent"]


PEOPLE = 1000


async def test_push_to_1000_people_under_injected_faults_loses_none(qh: Harness, monkeypatch, record_property):
    """/push to a department of 1,000 under ~8 % random 429/5xx/time-outs and 10 people who blocked the bot:
    everyone else gets exactly one notice (at least once: a time-out *after* Telegram took a message makes
    the retry a duplicate, and only those), nobody is left pending or failed."""
    from bot.services.quiz_push import PushService

    monkeypatch.setattr(PushService.deliver, "__kwdefaults__", {"pause": 0})  # the bulk pause, not under test
    try:
        from bot.telegram import pacing  # the paced sender, when /push uses it
        qh.app.bot_data[pacing.GATE_KEY] = pacing.FloodGate(per_second=100_000, per_chat_s=0)
    except ImportError:
        pass
    fast(qh, unthrottled=True)
    trainer = await qh.member(3001, "trainer")
    ids = list(range(100_000, 100_000 + PEOPLE))

    def register(db):
        for user_id in ids:
            add_user(db, user_id, department="信息公开科")

    qh.core.store.run_sync(register)
    for user_id in ids:
        qh.user(user_id)
    blocked = set(ids[::100])
    faults = Faults(qh.api, rate=0.08, seed=2024, blocked=blocked,
                    kinds=("429", "500", "502", "timeout", "timeout-after"), max_429=2)
    await qh.send_text(trainer, "/push demo 信息公开科")
    for _ in range(5):  # the outbox job every 30 s, in fast motion
        await run_outbox_job(qh)
    faults.stop()

    statuses = qh.core.store.run_sync(lambda db: {r["user_id"]: r["status"] for r in db.query(
        "SELECT user_id, status FROM notifications")})
    assert len(statuses) == PEOPLE
    assert {u for u, s in statuses.items() if s == NotificationStatus.UNREACHABLE} == blocked
    assert {u for u, s in statuses.items() if s == NotificationStatus.SENT} == set(ids) - blocked
    received = {u: sum("新的培训测验" in m.plain for m in qh.sent(u)) for u in ids}
    lost = [u for u in ids if u not in blocked and received[u] == 0]
    assert lost == []
    assert {u for u, n in received.items() if n > 1} == set(faults.duplicated) - blocked
    assert all(received[u] == 0 and reachable(qh, u) == 0 for u in blocked)
    assert outbox_counts(qh) == {}
    assert faults.total > 50 and {"429", "500", "timeout"} <= set(faults.injected)
    record_property("faults_injected", faults.total)
    print(f"\npush to {PEOPLE}: faults injected {faults.injected}, lost 0, "
          f"duplicates (time-out after delivery) {len(faults.duplicated)}")


async def test_timed_out_sends_raise_only_after_the_retries(harness: Harness):
    fast(harness)
    calls = []

    def always_time_out(params):
        calls.append(params)
        raise TimedOut("Timed out")

    harness.api.handlers["setMyCommands"] = always_time_out  # not a reply: the caller decides
    with pytest.raises(TimedOut):
        await harness.app.bot.set_my_commands([("help", "帮助")])
    assert len(calls) == 3


async def test_forbidden_in_a_group_reply_does_not_mark_anyone(harness: Harness):
    fast(harness)
    alice = await harness.member(2001)
    group = harness.group()
    real = harness.api.api_sendMessage

    def kicked(params):
        if int(params["chat_id"]) == group.id:
            raise ApiError(403, "Forbidden: bot was kicked from the supergroup chat")
        return real(params)

    harness.api.handlers["sendMessage"] = kicked
    await harness.send_text(alice, "@DisclosureDeskBot " + QUESTION, chat=group)
    assert reachable(harness, alice.id) == 1
    assert harness.core.store.run_sync(outbox.counts) == {}


async def test_a_deadline_reminder_telegram_does_not_take_is_retried_and_does_not_stop_the_others(harness):
    from datetime import date

    from bot.telegram.case_reminders import send_case_reminders
    from bot.telegram.handlers.cases import BUTTON_SAVE

    async def save_case(user, received: str, name: str) -> None:
        await harness.send_text(user, f"/deadline {received}")
        await harness.press(user, harness.button(user, BUTTON_SAVE))
        await harness.send_text(user, name, reply_to=harness.last(user))

    fast(harness)
    alice = await harness.member(2001)
    bob = await harness.member(2002)
    await save_case(alice, "2025-09-22", "甲")
    await save_case(bob, "2025-09-22", "乙")
    before = {u: len(harness.sent(u)) for u in (alice, bob)}
    harness.api.fail("sendMessage", 502, times=3)  # alice's reminder: every try fails
    await send_case_reminders(harness.app, date(2025, 9, 26))
    assert len(harness.sent(bob)) == before[bob] + 1  # bob still reminded
    assert len(harness.sent(alice)) == before[alice]
    await send_case_reminders(harness.app, date(2025, 9, 26))  # the next run (a restart, the next job)
    assert len(harness.sent(alice)) == before[alice] + 1 and len(harness.sent(bob)) == before[bob] + 1


async def test_a_gaps_digest_telegram_does_not_take_is_retried_and_does_not_stop_the_others(harness):
    from bot.telegram.gaps_digest import send_digest

    fast(harness)
    first = await harness.member(3001, "trainer")
    second = await harness.member(3002, "trainer")
    from bot.store import questions

    harness.core.store.run_sync(lambda db: questions.add_gap(
        db, question_id=None, user_id=2001, department="办公室", text="无人机航拍视频申请公开怎么办",
        normalized="无人机航拍视频申请公开怎么办", reason="unknown"))
    assert await harness.core.gaps.groups()
    harness.api.fail("sendMessage", 502, times=3)  # the first trainer's digest: every try fails
    assert await send_digest(harness.app) == 1
    assert harness.sent(first) == [] and len(harness.sent(second)) == 1
    assert await send_digest(harness.app) == 1  # the next run tells the first, not the second again
    assert len(harness.sent(first)) == 1 and len(harness.sent(second)) == 1
