"""Logs: neither the bot token nor a personal number (ID card, phone, bank card) ever appears in a log line,
even at log_level DEBUG, in exception messages or in tracebacks."""

from __future__ import annotations

import io
import logging

import pytest

from bot.config import load_config
from bot.core import Core
from bot.privacy import RedactingFilter, redact
from tests.kbfixture import write_config
from tests.quizfixture import add_user
from tests.reliability.botprocess import BotProcess
from tests.telegram.fakebot import HARNESS_CONFIG

TOKEN = "987654321:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
PERSONAL = ["110101199003071234", "11010119900307123X", "13812345678", "6222020200112233445",
            "15912345678", "1381234", "5678"]  # the last two: halves of a phone typed with a hyphen
TYPED = [
    "申请人要别人的身份证号110101199003071234能给吗",
    "电话13812345678，卡号6222020200112233445，要不要公开",
    "身份证11010119900307123X，手机１５９１２３４５６７８",
    "电话138-1234-5678 能不能告诉申请人",
]


@pytest.mark.parametrize("level", ["INFO", "DEBUG"])
def test_a_whole_session_logs_no_token_and_no_personal_number(tmp_path, kb_dir, level):
    path = write_config(tmp_path, kb_dir, HARNESS_CONFIG + f"log_level: {level}\n")
    core = Core.build(load_config(path))
    core.store.run_sync(add_user, 2001)
    core.close()
    bot = BotProcess(path, env={"TELEGRAM_BOT_TOKEN": TOKEN})
    count = 0
    for text in TYPED:
        bot.text(2001, text)
        count = len(bot.sent_to(2001)) + 1
        bot.wait_sent(2001, count)
    answer = next(e for e in reversed(bot.sent_to(2001)) if any("👎" in label for label, _ in e.buttons))
    bot.press(2001, next(d for label, d in answer.buttons if "👎" in label), answer)
    bot.wait_sent(2001, count + 1)
    bot.text(2001, "原因：身份证号110101199003071234不该给，电话13812345678")  # the 👎 reason
    bot.text(4040, "/start 13812345678")  # a stranger; refused and logged
    bot.text(4040, "我的电话13812345678")
    bot.press(2001, "r:13812345678:1", answer)  # forged data with a phone number in it
    bot.wait_sent(4040, 2)
    bot.pump(0.5)
    bot.stop()
    log = bot.stderr()
    assert "refused unregistered user 4040" in log  # logging works
    for secret in (TOKEN, TOKEN.split(":")[1], *PERSONAL):
        lines = [line for line in log.splitlines() if secret in line]
        assert not lines, f"{secret!r} logged: {lines[:2]}"


def test_the_filter_redacts_messages_arguments_and_tracebacks():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactingFilter((TOKEN,)))
    logger = logging.getLogger("tests.redaction")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("asked %s via https://api.telegram.org/bot%s/sendMessage", TYPED[1], TOKEN)
        try:
            raise ValueError(f"cannot store {TYPED[0]} for bot{TOKEN}")
        except ValueError:
            logger.exception("update failed")
        logger.info("stack", stack_info=True)
    finally:
        logger.removeHandler(handler)
    out = stream.getvalue()
    assert "update failed" in out and "ValueError: cannot store" in out and "<token>" in out
    for secret in (TOKEN, *PERSONAL[:5]):
        assert secret not in out


def test_token_shaped_strings_are_hidden_even_when_unknown():
    assert redact("url https://api.telegram.org/bot123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/getMe") == (
        "url https://api.telegram.org/bot<token>/getMe")
    assert redact("update 1795811196 from user 2001") == "update 1795811196 from user 2001"
