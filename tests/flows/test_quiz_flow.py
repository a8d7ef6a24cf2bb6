"""Quizzes over the Bot API: push → notification → take → result → completion recorded; restarts, forged
buttons, retries, reassignment and the daily reminders, through the real PTB Application."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest

from bot.config import load_config
from bot.core import Core
from bot.quiz.bank import QuestionType
from bot.quiz.reminders import SHANGHAI
from bot.services.quizzes import QuestionStep
from bot.store.db import open_database
from bot.telegram.callbacks import decode
from bot.telegram.quiz_notices import REMINDER_JOB, next_reminder
from tests.kbfixture import write_config
from tests.quizfixture import DEMO, Clock, write_bank
from tests.telegram.fakebot import HARNESS_CONFIG, ApiError, FakeUser, Harness

ALL_QUESTIONS = DEMO.replace("draw: 3", "draw: 5")  # every type in every attempt
QUIZ_CONFIG = "quiz:\n  onboarding: [demo]\n  reminder_time: '09:00'\n  remind_days_before: 3\n"


def make_core(tmp_path: Path, kb_dir: Path, bank: str = ALL_QUESTIONS) -> Core:
    write_bank(tmp_path / "quizzes", bank)
    core = Core.build(load_config(write_config(tmp_path, kb_dir, HARNESS_CONFIG + QUIZ_CONFIG)))
    core.quizzes.rng = random.Random(11)
    return core


@pytest.fixture
async def h(tmp_path, kb_dir):
    core = make_core(tmp_path, kb_dir)
    try:
        async with Harness.start(core) as harness:
            yield harness
    finally:
        core.close()


def db(harness: Harness):
    return open_database(harness.core.store.path)


def question_buttons(harness: Harness, user: FakeUser):
    """(message, attempt, position) of the newest question message in the user's chat."""
    for message in reversed(harness.sent(user)):
        for _, data in message.buttons:
            callback = decode(data)
            if callback and callback.kind in ("qa", "qt"):
                return message, callback.args[0], callback.args[1]
    raise AssertionError("no question message")


async def answer_current(harness: Harness, user: FakeUser, *, right: bool = True):
    """Answer the question on screen with buttons, as the user would; returns its message and step."""
    message, attempt, position = question_buttons(harness, user)
    step = await harness.core.quizzes.current(user.id, attempt)
    assert isinstance(step, QuestionStep) and step.position == position
    wrong = [i for i in range(len(step.options)) if i not in step.right][:1]
    chosen = step.right if right else wrong
    if step.question.type is QuestionType.MULTIPLE:
        for i in chosen:
            await harness.press(user, f"qt:{attempt}:{position}:{i}", message=message)
            assert "☑" in message.buttons[i][0]
        await harness.press(user, f"qc:{attempt}:{position}", message=message)
    else:
        await harness.press(user, f"qa:{attempt}:{position}:{chosen[0]}", message=message)
    return message, step


async def take_quiz(harness: Harness, user: FakeUser, *, right: bool = True) -> None:
    while True:
        message, step = await answer_current(harness, user, right=right)
        if step.position == step.total - 1:
            return


async def test_push_to_a_department_then_take_and_pass(h: Harness):
    trainer = await h.member(3001, "trainer", first_name="培训老师", username="teacher")
    alice = await h.member(2001, first_name="小王", username="alice")
    bob = await h.member(2002, first_name="小李")
    carol = await h.member(2003, first_name="小赵")  # blocked the bot
    dave = await h.member(2004, first_name="小钱")  # registered but the chat is gone
    await h.member(2005, department="财政科")  # another department: not targeted
    del h.api.chats[dave.id]
    real_send = h.api.api_sendMessage

    def send(params):
        if int(params["chat_id"]) == carol.id:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        return real_send(params)

    h.api.handlers["sendMessage"] = send
    await h.send_text(trainer, "/push demo 办公室 due=2030-01-31")
    report = h.last(trainer).plain
    assert "【演示测验】已布置给 4 人：送达 2 人" in report
    assert "无法送达 2 人" in report and "小赵" in report and "小钱" in report

    notice = h.last(alice)
    assert "新的培训测验" in notice.plain and "2030-01-31" in notice.plain
    assert [label for label, _ in notice.buttons] == ["开始作答"]
    await h.press(alice, notice.buttons[0][1])
    assert "第 1/5 题" in h.last(alice).plain
    await take_quiz(h, alice)
    texts = h.texts(alice)
    assert sum("✅ 回答正确" in t for t in texts) == 5
    assert all(k in texts[-2] for k in ("正确答案：", "解析：", "依据："))
    assert any("《政府信息公开条例》第三十三条" in t for t in texts)
    result = h.last(alice)
    assert "得分 100%（答对 5/5）" in result.plain and "✅ 通过" in result.plain and result.buttons == []

    rows = {r["user_id"]: r for r in db(h).query("SELECT * FROM assignments")}
    assert set(rows) == {alice.id, bob.id, carol.id, dave.id}
    assert rows[alice.id]["status"] == "passed" and rows[alice.id]["best_score"] == 100
    assert rows[alice.id]["due_on"] == "2030-01-31" and rows[alice.id]["assigned_by"] == trainer.id
    statuses = {r["user_id"]: r["status"] for r in db(h).query("SELECT * FROM notifications")}
    assert statuses == {alice.id: "sent", bob.id: "sent", carol.id: "unreachable", dave.id: "unreachable"}

    h.api.handlers.pop("sendMessage")
    await h.send_text(trainer, "/push demo 办公室")  # again: only the unreachable are tried again
    again = h.last(trainer).plain
    assert "此前已通知过 1 人" in again  # bob (alice passed: her next assignment is new)


async def test_wrong_answers_show_missed_questions_and_retry_until_attempts_run_out(h: Harness):
    trainer = await h.member(3001, "trainer")
    alice = await h.member(2001, username="alice")
    await h.send_text(trainer, "/push demo @alice")
    await h.press(alice, h.button(alice, "开始作答"))
    await take_quiz(h, alice, right=False)
    result = h.last(alice)
    assert "❌ 未通过" in result.plain and "答错的题：" in result.plain and "还可以再作答 1 次" in result.plain
    assert "法院的判决书属于政府信息。 —— 正确答案：错" in result.plain
    await h.press(alice, h.button(alice, "再做一次"))
    assert result.buttons == []  # the retry button is used up
    assert "第 1/5 题" in h.last(alice).plain
    await take_quiz(h, alice, right=False)
    final = h.last(alice)
    assert "作答次数已用完" in final.plain and final.buttons == []
    (row,) = db(h).query("SELECT status FROM assignments")
    assert row["status"] == "failed"
    assert db(h).execute("SELECT COUNT(*) FROM attempts WHERE finished_at IS NOT NULL").fetchone()[0] == 2


async def test_forged_stale_and_double_tapped_buttons_are_closed(h: Harness):
    alice = await h.member(2001)
    mallory = await h.member(2002)
    await h.send_text(alice, "/quiz")
    await h.press(alice, h.button(alice, "练习：演示测验"))
    message, attempt, position = question_buttons(h, alice)
    step = await h.core.quizzes.current(alice.id, attempt)
    data = [d for _, d in message.buttons if d.startswith("qa") or d.startswith("qt")][0]

    for forged in (data.replace(f"qa:{attempt}", "qa:999"), f"qa:{attempt}:3:0", f"qa:{attempt}:{position}:7", "qs:42"):
        await h.press(alice, forged)
        assert h.answered()["text"] == "此题已关闭"
    await h.press(mallory, data)  # someone else's attempt
    assert h.answered()["text"] == "此题已关闭" and h.sent(mallory) == []

    if step.question.type is QuestionType.MULTIPLE:
        await h.press(alice, f"qt:{attempt}:{position}:{step.right[0]}", message=message)
        data = f"qc:{attempt}:{position}"
        for i in step.right[1:]:
            await h.press(alice, f"qt:{attempt}:{position}:{i}", message=message)
    before = len(h.sent(alice))
    await h.press(alice, data, message=message)
    assert len(h.sent(alice)) == before + 1  # the next question
    await h.press(alice, data, message=message)  # a double tap
    assert h.answered()["text"] == "此题已关闭" and len(h.sent(alice)) == before + 1
    answered = db(h).execute("SELECT COUNT(*) FROM attempt_answers WHERE answered_at IS NOT NULL").fetchone()[0]
    assert answered == 1


async def test_restart_mid_quiz_resumes_without_losing_or_double_counting(tmp_path, kb_dir):
    alice_id = 2001
    core = make_core(tmp_path, kb_dir)
    try:
        async with Harness.start(core) as first:
            alice = await first.member(alice_id, username="alice")
            await first.send_text(alice, "/quiz")
            await first.press(alice, first.button(alice, "练习"))
            first_message, first_step = await answer_current(first, alice, right=True)
            await answer_current(first, alice, right=False)
            old_buttons = [d for _, d in first_message.buttons]
            replay = f"qa:{first_step.attempt_id}:0:0"
    finally:
        core.close()  # the process is gone; the database file stays

    core = make_core(tmp_path, kb_dir)  # a new process on the same database file
    try:
        async with Harness.start(core) as second:
            alice = second.user(alice_id, username="alice")
            await second.send_text(alice, "/quiz")
            assert "进行中" in second.last(alice).plain
            await second.press(alice, second.button(alice, "继续"))
            assert "第 3/5 题" in second.last(alice).plain
            await second.press(alice, replay)  # a button from before the restart
            assert second.answered()["text"] == "此题已关闭"
            assert old_buttons == []  # answered questions keep no buttons
            await take_quiz(second, alice, right=True)
            assert "答对 4/5" in second.last(alice).plain
            rows = list(open_database(core.store.path).query("SELECT * FROM attempt_answers"))
            assert len(rows) == 5 and sum(r["correct"] for r in rows) == 4
            assert all(r["answered_at"] for r in rows)
    finally:
        core.close()


async def test_reassign_flags_and_assigns_onboarding(h: Harness):
    trainer = await h.member(3001, "trainer")
    bob = await h.member(2002, first_name="小李", username="bob", department="财政科")
    await h.send_text(trainer, "/reassign @bob 办公室")
    reply = h.last(trainer).plain
    assert "从「财政科」调整到「办公室」" in reply and "演示测验" in reply and "送达 1 人" in reply
    assert "新的培训测验" in h.last(bob).plain
    (user,) = db(h).query("SELECT department, newly_reassigned FROM users WHERE telegram_id = ?", [bob.id])
    assert user == {"department": "办公室", "newly_reassigned": 1}
    await h.send_text(trainer, "/push demo new")
    assert "此前已通知过 1 人" in h.last(trainer).plain


async def test_push_and_reassign_are_for_trainers(h: Harness):
    alice = await h.member(2001)
    for command in ("/push demo all", "/reassign @x 办公室"):
        await h.send_text(alice, command)
        assert "需要培训老师权限" in h.last(alice).plain
    trainer = await h.member(3001, "trainer")
    await h.send_text(trainer, "/push nope all")
    assert "没有编号为 nope 的测验" in h.last(trainer).plain
    await h.send_text(trainer, "/push demo all due=明天")
    assert "due=YYYY-MM-DD" in h.last(trainer).plain
    await h.send_text(trainer, "/push demo 宣传科")
    assert "找不到部门「宣传科」" in h.last(trainer).plain


async def test_daily_reminders_and_trainer_digest(h: Harness):
    assert next_reminder(h.app).astimezone(SHANGHAI).time() == time(9, 0)
    clock = Clock(datetime(2030, 1, 1, 1, 0, tzinfo=UTC))
    h.core.quizzes.clock = clock
    trainer = await h.member(3001, "trainer", first_name="培训老师")
    alice = await h.member(2001, first_name="小王", username="alice")
    bob = await h.member(2002, first_name="小李", username="bob")
    await h.send_text(trainer, "/push demo @alice due=2030-01-03")
    await h.send_text(trainer, "/push demo @bob due=2030-01-20")
    clock.moment = datetime(2030, 1, 5, 1, 0, tzinfo=UTC)  # alice is 2 days overdue
    (job,) = h.app.job_queue.get_jobs_by_name(REMINDER_JOB)
    await job.run(h.app)
    assert "培训测验提醒" in h.last(alice).plain and "已逾期 2 天" in h.last(alice).plain
    assert h.button(alice, "开始作答：演示测验")
    digest = h.last(trainer).plain
    assert "逾期未完成的测验（2030-01-05）" in digest and "小王 (@alice)" in digest and "小李" not in digest
    before = len(h.api.calls)
    await job.run(h.app)  # twice the same day: nothing more
    assert [c.method for c in h.api.calls[before:]] == []
    assert len(h.sent(bob)) == 1  # only the assignment notice: not due within 3 days
    assert date(2030, 1, 20) > clock().date()
