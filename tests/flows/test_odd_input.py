"""Odd input through the real Application: no handler error, every reply valid HTML within limits.

A light, seeded version of the fuzzing planned for reliability (issue 7): the fake Bot API rejects what
Telegram would reject, and the harness fails on any error-handler call or unanswered callback query.
"""

import random

from tests.telegram.fakebot import Harness

ALPHABET = list("公开申请答复给不给三公经费涉密身份证号<>&\"'/@#*_`[]()~|\\ \n\t　ａＡ１。，？！😀👍\u202e\u200b\x00\x7f")
WORDS = ["三公经费", "要不要公开", "<b>", "</i>", "&amp;", "@DisclosureDeskBot", "/start", "/help", "'; DROP TABLE users;--",
         "110101199003071234", "13812345678", "**粗体**", "[链接](http://x)", "\u0645\u0631\u062d\u0628\u0627"]


def odd_text(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(1, 8)):
        if rng.random() < 0.5:
            parts.append(rng.choice(WORDS))
        else:
            parts.append("".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 30))))
    text = "".join(parts) * (200 if rng.random() < 0.05 else 1)  # now and then ~10,000 characters
    return text[:10000] if text.strip() else "x"


async def test_odd_texts_and_buttons(harness: Harness):
    rng = random.Random(20240601)
    alice = await harness.member(2001)
    stranger = harness.user(4040)
    group = harness.group()
    for i in range(120):
        text = odd_text(rng)
        who = alice if i % 4 else stranger
        await harness.send_text(who, text, chat=group if i % 5 == 0 else None)
        if i % 3 == 0:
            data = rng.choice(["r:1:1", "r:2:0", "a:1:0", "s:1", odd_text(rng)[:64], "r:99999999:1"])
            await harness.press(who, data)
    for message in harness.api.messages.values():
        assert len(message.text) <= 4096
    assert harness.calls("sendMessage")  # it did answer
