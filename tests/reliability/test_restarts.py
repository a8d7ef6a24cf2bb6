"""Restarts: the bot process is killed with SIGKILL (no shutdown code runs) during a quiz and during a push,
then started again on the same database.

- A quiz: no answer is lost or counted twice (the update in flight at the kill is delivered again, as
  Telegram does with an update it has not seen confirmed), ticks of a multiple-choice question survive,
  the attempt resumes at the first unanswered question, and the result counts each question once.
- A push: after the restart only the people not yet notified are sent the notice; at most the sends in
  flight at the moment of the kill arrive twice (Telegram has no idempotency key, so delivery is at least
  once); re-running /push notifies nobody again.
- Both: the daily jobs (quiz and deadline reminders, question-log retention) and the outbox job are
  scheduled again.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.config import load_config
from bot.core import Core
from bot.store.db import open_database
from tests.kbfixture import write_config
from tests.quizfixture import add_user, write_bank
from tests.reliability.botprocess import BotProcess, Event
from tests.reliability.helpers import ALL_QUESTIONS, QUIZ_CONFIG
from tests.telegram.fakebot import HARNESS_CONFIG, MANAGER_ID

ALICE = 2001
DAILY_JOBS = {"quiz-reminders", "case-reminders", "outbox", "question-retention"}
KILLS = {"survived": 0}


@pytest.fixture
def config(tmp_path: Path, kb_dir: Path) -> Path:
    write_bank(tmp_path / "quizzes", ALL_QUESTIONS)
    path = write_config(tmp_path, kb_dir, HARNESS_CONFIG + QUIZ_CONFIG)
    core = Core.build(load_config(path))  # creates the database; people registered directly
    core.store.run_sync(add_user, ALICE, name="小王")
    core.close()
    return path


def database(config: Path):
    return open_database(load_config(config).path(load_config(config).database))


def restart(bot: BotProcess, config: Path, **kw) -> BotProcess:
    bot.kill()
    bot.pump(0.2)  # what it printed before it died
    KILLS["survived"] += 1
    fresh = BotProcess(config, **kw)
    fresh.wait(lambda: set(fresh.jobs) >= DAILY_JOBS, timeout=30, what=f"jobs {DAILY_JOBS} (have {fresh.jobs})")
    return fresh


# -- a quiz ---------------------------------------------------------------------------------------
POSITION = re.compile(r"第 (\d)/5 题")


def position(event: Event) -> int | None:
    match = POSITION.search(event.plain)
    return int(match.group(1)) - 1 if match and any(d.startswith(("qa:", "qt:")) for _, d in event.buttons) else None


def resume(bot: BotProcess) -> Event:
    """/quiz, then the quiz's button: the bot shows the current question."""
    count = len(bot.sent_to(ALICE))
    bot.text(ALICE, "/quiz")
    listing = bot.wait_sent(ALICE, count + 1)
    assert "继续" in " ".join(label for label, _ in listing.buttons)  # the open attempt, not a new one
    bot.press(ALICE, next(d for _, d in listing.buttons if d.startswith("qs:")), listing)
    return bot.wait_sent(ALICE, count + 2)


def choice(question: Event) -> tuple[str | None, str]:
    """(first tick or None, the press that answers) for the question on screen: always option A."""
    ticks = [d for _, d in question.buttons if d.startswith("qt:")]
    if ticks:
        return ticks[0], next(d for _, d in question.buttons if d.startswith("qc:"))
    return None, next(d for _, d in question.buttons if d.startswith("qa:"))


def tick(bot: BotProcess, question: Event, data: str) -> None:
    edits = len([e for e in bot.events if e.event == "edited"])
    bot.press(ALICE, data, question)
    bot.wait(lambda: len([e for e in bot.events if e.event == "edited"]) > edits, what="the tick")


def answer(bot: BotProcess, question: Event) -> Event:
    """Answer and wait for what follows (the next question or the result)."""
    first_tick, final = choice(question)
    if first_tick and not question.buttons[0][0].startswith("☑"):  # ticked before a restart: keep it
        tick(bot, question, first_tick)
    count = len(bot.sent_to(ALICE))
    bot.press(ALICE, final, question)
    return bot.wait_sent(ALICE, count + 1)


SEEDED = {"QUIZ_SEED": "2"}  # this draw puts the multiple-choice question third


def test_killed_during_a_quiz_loses_no_answer_and_counts_none_twice(config):
    bot = BotProcess(config, env=SEEDED)
    bot.text(ALICE, "/quiz")
    listing = bot.wait_sent(ALICE, 1)
    bot.press(ALICE, next(d for _, d in listing.buttons if d.startswith("qs:")), listing)
    question = bot.wait_sent(ALICE, 2)
    assert position(question) == 0
    question = answer(bot, question)

    # Kill 1: the answer to question 2 is in flight. Telegram sends the update again after the restart.
    first_tick, final = choice(question)
    if first_tick:
        tick(bot, question, first_tick)
    bot.press(ALICE, final, question)
    bot = restart(bot, config, env=SEEDED)
    bot.press(ALICE, final, question)  # the same update again: counted at most once
    bot.pump(1.0)
    question = resume(bot)
    assert position(question) == 2  # questions 1 and 2 are answered; none skipped

    # Kill 2: after a tick on the multiple-choice question.
    multiple = next(d for _, d in question.buttons if d.startswith("qt:"))
    tick(bot, question, multiple)
    bot = restart(bot, config)
    question = resume(bot)
    assert position(question) == 2 and question.buttons[0][0].startswith("☑")  # the tick survived
    question = answer(bot, question)
    assert position(question) == 3

    # Kill 3: the answer was processed and the next question shown; then the power goes.
    bot = restart(bot, config)
    question = resume(bot)
    assert position(question) == 3
    question = answer(bot, question)
    result = answer(bot, question)
    assert "得分" in result.plain, result.plain
    bot.stop()

    db = database(config)
    attempts = list(db.query("SELECT * FROM attempts WHERE user_id = ?", [ALICE]))
    assert len(attempts) == 1 and attempts[0]["finished_at"] and attempts[0]["total"] == 5
    answers = list(db.query("SELECT * FROM attempt_answers WHERE attempt_id = ? ORDER BY position",
                            [attempts[0]["id"]]))
    assert [a["position"] for a in answers] == [0, 1, 2, 3, 4]
    assert all(a["chosen"] is not None and a["answered_at"] for a in answers)
    assert attempts[0]["correct"] == sum(a["correct"] for a in answers)
    assert f"答对 {attempts[0]['correct']}/5" in result.plain


# -- a push ---------------------------------------------------------------------------------------
STAFF = list(range(100_000, 100_100))


def test_killed_during_a_push_sends_the_rest_once_after_restart(config):
    db = database(config)
    for user_id in STAFF:
        add_user(db, user_id, department="信息公开科")
    db.conn.close()
    slow = {"SEND_DELAY_S": "0.02"}  # a slow network, so the kill falls in the middle of the push
    bot = BotProcess(config, env=slow)
    bot.text(MANAGER_ID, "/push demo 信息公开科")

    def notified(process: BotProcess) -> set[int]:
        return {e.chat for e in process.events if e.event == "sent" and e.chat in set(STAFF)}

    bot.wait(lambda: len(notified(bot)) >= 25, what="25 notices")
    killed = bot
    bot = restart(bot, config, env=slow)  # the daily jobs are back
    killed_run = notified(killed)
    assert 25 <= len(killed_run) < len(STAFF)

    # the notices left pending are delivered at start-up, to those not yet notified
    bot.wait(lambda: notified(bot) | killed_run == set(STAFF), timeout=60, what="every notice")
    bot.pump(0.5)
    again = notified(bot) & killed_run
    assert len(again) <= 16, f"{len(again)} notified twice"  # at most the sends in flight at the kill
    db = database(config)
    statuses = [r["status"] for r in db.query("SELECT status FROM notifications")]
    assert statuses.count("sent") == len(STAFF) and len(statuses) == len(STAFF)

    count = len(bot.sent_to(MANAGER_ID))
    bot.text(MANAGER_ID, "/push demo 信息公开科")  # the trainer is not sure it went out: again
    report = bot.wait_sent(MANAGER_ID, count + 1).plain
    assert f"此前已通知过 {len(STAFF)} 人" in report and "送达 0 人" in report
    bot.pump(0.5)
    assert sum(e.chat in set(STAFF) for e in bot.events) == len(notified(bot))  # nothing new
    bot.stop()
    print(f"\npush killed after {len(killed_run)} of {len(STAFF)} notices; {len(again)} sent twice")


def test_zz_kill_figures(record_property):
    record_property("kills_survived", KILLS["survived"])
    print(f"\nrestarts: {KILLS['survived']} SIGKILLs survived")
