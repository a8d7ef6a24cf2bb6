"""The harness itself is strict: what Telegram would reject fails the test, as do silent errors."""

import pytest
from telegram.error import BadRequest, Forbidden

from bot.telegram.commands import Button, Registry
from bot.telegram.registry import COMMANDS
from tests.telegram.fakebot import Harness, build_core, check_html


@pytest.mark.parametrize("text,ok", [
    ("<b>粗</b> &amp; &lt;x&gt; &#128512;", True),
    ("a < b", False), ("AT&T", False), ("<b>open", False), ("<b><i>x</b></i>", False), ("<div>x</div>", False),
    ('<a href="https://example.org">x</a>', True),
])
def test_check_html(text, ok):
    assert (check_html(text) is None) is ok


async def test_the_fake_rejects_what_telegram_rejects(harness: Harness):
    harness.user(2001)
    bot = harness.app.bot
    with pytest.raises(BadRequest, match="(?i)parse entities"):
        await bot.send_message(2001, "1 < 2")
    with pytest.raises(BadRequest, match="(?i)too long"):
        await bot.send_message(2001, "字" * 4097)
    with pytest.raises(BadRequest, match="(?i)chat not found"):
        await bot.send_message(99, "hi")
    message = await bot.send_message(2001, "同样")
    with pytest.raises(BadRequest, match="(?i)not modified"):
        await bot.edit_message_text("同样", 2001, message.message_id)


async def test_faults_can_be_injected(harness: Harness):
    harness.user(2001)
    harness.api.fail("sendMessage", 429, retry_after=1, times=1)
    await harness.app.bot.send_message(2001, "重试后送达")  # AIORateLimiter waits and retries a flood-wait
    assert harness.texts(2001) == ["重试后送达"]
    assert [c.method for c in harness.calls()[-2:]] == ["sendMessage", "sendMessage"]
    harness.api.fail("sendMessage", 403, "Forbidden: bot was blocked by the user")
    with pytest.raises(Forbidden):
        await harness.app.bot.send_message(2001, "被拉黑")


async def quiet(update, context):
    """A button handler that forgets to answer and then fails."""
    raise RuntimeError("boom")


async def test_errors_and_unanswered_queries_fail_the_test(tmp_path, kb_dir):
    core = build_core(tmp_path, kb_dir)
    try:
        registry = Registry(COMMANDS, (Button("x", 0, "staff", quiet),))
        async with Harness.start(core, commands=registry) as harness:
            alice = await harness.member(2001)
            harness.api.handlers["answerCallbackQuery"] = lambda params: True  # the error handler's answer is lost
            with pytest.raises(AssertionError, match="error handler fired"):
                await harness.press(alice, "x")
            harness.api.answered.clear()
            with harness.allow_errors(), pytest.raises(AssertionError, match="not answered"):
                await harness.press(alice, "x")
    finally:
        core.close()
