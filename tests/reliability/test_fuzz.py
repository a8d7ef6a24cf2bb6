"""Property-based fuzzing through the real Application (hypothesis, derandomized, fixed budget).

Each example starts a fresh bot (in-memory database) where Alice (staff) has asked questions, rated one,
and is half-way through a quiz. Then Bob (staff), a stranger and a group throw random input at it: text up
to 10,000 characters (emoji, RTL, control characters, HTML/Markdown/SQL metacharacters, 全角), commands
with random arguments, stickers, photos, voice, documents, edited messages, channel posts, group messages
with and without @mention, real buttons, and forged callback data carrying Alice's ids, closed ids,
random numbers and garbage.

Properties: no handler raises (the harness fails on the error handler), every callback query is answered,
every message and edit is valid Telegram HTML within 4,096 characters (the fake Bot API rejects anything
else, which would reach the error handler), nothing is sent to Alice, nothing sent to anyone else names
her, her rows in the database are untouched, and the stranger gets only the refusal.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from bot.config import load_config
from bot.core import Core
from bot.telegram import texts
from bot.telegram.registry import REGISTRY
from tests.kbfixture import write_config
from tests.quizfixture import write_bank
from tests.reliability.helpers import (
    ALICE,
    ALL_QUESTIONS,
    BOB,
    MARK,
    QUIZ_CONFIG,
    STRANGER,
    alice_rows,
    fast,
    setup_world,
)
from tests.telegram.fakebot import HARNESS_CONFIG, Harness, check_html, html_to_text

EXAMPLES = 100  # × 4 to 16 updates each; derandomized so CI runs the same inputs every time
FUZZED = {"updates": 0}

# -- text ---------------------------------------------------------------------------------------
SPECIAL = list("<>&\"'/\\*_`[]()~|#@!$%^{};:=+-.,\n\t\r ") + [
    "\u202e", "\u202d", "\u200f", "\u200b", "\u200d", "\ufeff", "\x00", "\x07", "\x1b", "\x7f", "\u2028",
]
EMOJI = ["😀", "👍", "👎", "🧭", "☑", "🤖", "\U0001F1E8", "\U0001F1F3"]  # one code point each (with flag halves)
WORDS = [
    "三公经费要不要公开", "涉密文件能给申请人吗", "依申请公开的答复期限是多久", "值班表", "法院判决书",
    "<b>", "</b>", "<i>x</i>", "<a href='javascript:alert(1)'>", "&amp;", "&lt;", "&#0;", "<tg-spoiler>",
    "**粗体**", "__下划线__", "[链接](http://x.y)", "`代码`", "```", "||剧透||",
    "'; DROP TABLE users;--", "\" OR 1=1 --", "%s%n%x", "{0}{name}", "${jndi:ldap://x}", "../../etc/passwd",
    "@DisclosureDeskBot", "@alicemark", "/start", "/help", "/quiz", "/push", "#标签",
    "🇨🇳", "👨‍👩‍👧", "❤️", "110101199003071234", "13812345678", "6222020200112233445", "ａｂｃ１２３！？", "مرحبا بالعالم", "שלום",
]
CHARS = st.one_of(
    st.characters(codec="utf-8"),
    st.sampled_from(SPECIAL),
    st.sampled_from(EMOJI),
    st.characters(min_codepoint=0x0590, max_codepoint=0x06FF),  # Hebrew, Arabic (RTL)
    st.characters(min_codepoint=0xFF01, max_codepoint=0xFF5E),  # 全角
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
)
PIECE = st.one_of(st.text(CHARS, max_size=30), st.sampled_from(WORDS))
SHORT = st.lists(PIECE, min_size=1, max_size=8).map("".join)
LONG = st.tuples(SHORT, st.integers(50, 3000)).map(lambda t: (t[0] * t[1])[:10_000])
TEXT = st.one_of(SHORT, SHORT, SHORT, LONG).filter(lambda s: s.strip())
COMMAND_NAMES = [c.name for c in REGISTRY.commands] + ["nosuch", "START", "help@DisclosureDeskBot", "reload"]
COMMAND = st.tuples(st.sampled_from(COMMAND_NAMES), st.lists(st.one_of(SHORT, st.sampled_from(
    ["办公室", "staff", "manager", "demo", "all", "new", "@alicemark", str(ALICE), "due=2030-01-01", "-1", "0"])),
    max_size=3)).map(lambda t: " ".join(["/" + t[0], *t[1]])[:4096])

# -- callback data ------------------------------------------------------------------------------
KINDS = [b.kind for b in REGISTRY.buttons] + ["x", "zz", "q", "r0"]
ID_NAMES = ["alice_question", "alice_other_question", "alice_attempt", "bob_question", "bob_attempt",
            "closed_attempt", "quiz_key"]
ARG = st.one_of(st.sampled_from(ID_NAMES), st.sampled_from(ID_NAMES[:3]), st.integers(0, 5), st.integers(0, 10**15))
WELL_FORMED = st.sampled_from(REGISTRY.buttons).flatmap(
    lambda b: st.tuples(st.just(b.kind), st.lists(ARG, min_size=b.fields, max_size=b.fields)))
FORGED = st.one_of(WELL_FORMED, WELL_FORMED, st.tuples(st.sampled_from(KINDS), st.lists(ARG, max_size=4)))
GARBAGE = st.one_of(st.text(CHARS, max_size=80), st.binary(max_size=64).map(lambda b: b.decode("latin-1")))

WHO = st.sampled_from(["bob", "bob", "bob", "stranger"])
ACTION = st.one_of(
    st.tuples(st.just("text"), WHO, TEXT),
    st.tuples(st.just("command"), WHO, COMMAND),
    st.tuples(st.just("group"), WHO, st.tuples(st.booleans(), TEXT)),
    st.tuples(st.just("media"), WHO, st.sampled_from(["sticker", "photo", "voice", "document"])),
    st.tuples(st.just("edited"), WHO, TEXT),
    st.tuples(st.just("button"), WHO, st.integers(0, 50)),  # a real button in the presser's chat
    st.tuples(st.just("group_button"), WHO, st.integers(0, 50)),  # a button under an answer in the group
    st.tuples(st.just("forged"), WHO, FORGED),
    st.tuples(st.just("garbage"), WHO, GARBAGE),
    st.tuples(st.just("raw"), WHO, st.sampled_from(["channel_post", "inline_callback", "my_chat_member"])),
)
SCRIPT = st.lists(ACTION, min_size=4, max_size=16)


def forged_data(kind: str, args: list[Any], ids: dict[str, int]) -> str:
    return ":".join([kind, *(str(ids[a]) if isinstance(a, str) else str(a) for a in args)])


async def act(h: Harness, action: tuple[str, str, Any], ids: dict[str, int], group) -> None:
    kind, who, payload = action
    user = h.user(BOB, "鲍勃", "bob") if who == "bob" else h.user(STRANGER, "陌生人")
    FUZZED["updates"] += 1
    if kind in ("text", "command"):
        await h.send_text(user, payload)
    elif kind == "group":
        mention, text = payload
        await h.send_text(user, f"@DisclosureDeskBot {text}" if mention else text, chat=group)
    elif kind == "media":
        await h.send_media(user, payload, chat=group if payload == "voice" else None)
    elif kind == "edited":
        message = h.text_message(user, payload)
        await h.process({"edited_message": {**message, "edit_date": int(time.time())}})
    elif kind == "button":
        buttons = [d for m in h.sent(user) for _, d in m.buttons]
        if buttons:
            data = buttons[payload % len(buttons)]
            message = next(m for m in reversed(h.sent(user)) if any(d == data for _, d in m.buttons))
            await h.press(user, data, message=message)
        else:
            await h.press(user, "r:1:1")
    elif kind == "group_button":
        buttons = [(m, d) for m in h.sent(group) for _, d in m.buttons]
        if buttons:
            message, data = buttons[payload % len(buttons)]
            await h.press(user, data, message=message, chat=group)
    elif kind == "forged":
        await h.press(user, forged_data(*payload, ids))
    elif kind == "garbage":
        await h.press(user, payload or "-")
    elif kind == "raw":
        await raw(h, user, payload, group)


async def raw(h: Harness, user, kind: str, group) -> None:
    now = int(time.time())
    if kind == "channel_post":
        channel = {"id": -1009, "type": "channel", "title": "频道"}
        await h.process({"channel_post": {"message_id": 5, "date": now, "chat": channel, "text": "三公经费要不要公开"}})
    elif kind == "inline_callback":  # a button under an inline message: no chat at all
        query_id = f"inline-{FUZZED['updates']}"
        await h.process({"callback_query": {"id": query_id, "from": user.to_dict(), "chat_instance": "9",
                                            "inline_message_id": "abc", "data": "r:1:1"}})
        assert query_id in h.api.answered, "an inline callback query was left unanswered"
    else:
        await h.process({"my_chat_member": {
            "chat": group.to_dict(), "from": user.to_dict(), "date": now,
            "old_chat_member": {"status": "left", "user": h.api.bot_user},
            "new_chat_member": {"status": "member", "user": h.api.bot_user}}})


def check_everything_sent(h: Harness, before: int, alice_sent: int) -> None:
    assert len(h.sent(ALICE)) == alice_sent, "someone else's input made the bot write to Alice"
    for message in h.api.messages.values():
        assert check_html(message.text) is None and len(html_to_text(message.text)) <= 4096
    for call in h.api.calls[before:]:
        text = str(call.params.get("text", ""))
        if call.method in ("sendMessage", "editMessageText", "answerCallbackQuery"):
            assert MARK not in text and MARK.lower() not in text, f"Alice's data shown by {call.method}: {text[:200]}"
    stranger_texts = {m.plain for m in h.sent(STRANGER)}  # the refusal, or why a /start code did not work
    assert stranger_texts <= {texts.NOT_REGISTERED, texts.INVITE_UNKNOWN, texts.INVITE_EXPIRED}, stranger_texts
    for params in h.api.answered.values():
        assert len(str(params.get("text", ""))) <= 200


@pytest.fixture(scope="module")
def config(tmp_path_factory, request):
    from tests.kbfixture import write_knowledge

    root: Path = tmp_path_factory.mktemp("fuzz")
    kb = write_knowledge(root / "knowledge")
    write_bank(root / "quizzes", ALL_QUESTIONS)
    return load_config(write_config(root, kb, HARNESS_CONFIG + QUIZ_CONFIG))


async def run_script(config, script) -> None:
    core = Core.build(config, database=":memory:")
    try:
        async with Harness.start(core) as h:
            fast(h)
            ids = await setup_world(h)
            group = h.group()
            # Alice asks in the group too: her 👍/👎 sit under an answer everybody there sees.
            alice = h.user(ALICE, f"艾丽斯{MARK}", MARK.lower())
            await h.send_text(alice, "@DisclosureDeskBot 涉密文件能给申请人吗", chat=group)
            snapshot = await alice_rows(h)
            alice_sent = len(h.sent(ALICE))
            before = len(h.api.calls)
            for action in script:
                await act(h, action, ids, group)
            check_everything_sent(h, before, alice_sent)
            assert await alice_rows(h) == snapshot, "another user's input changed Alice's records"
            stranger_rows = await h.core.store.run(lambda db: db.execute(
                "SELECT (SELECT count(*) FROM questions WHERE user_id = ?) + (SELECT count(*) FROM attempts"
                " WHERE user_id = ?) + (SELECT count(*) FROM users WHERE telegram_id = ?)",
                [STRANGER, STRANGER, STRANGER]).fetchone()[0])
            assert stranger_rows == 0, "the stranger left a trace"
    finally:
        core.close()


FUZZ_SETTINGS = dict(  # no shrinking: a failing script is short already, and shrinking one takes minutes
    derandomize=True, deadline=None, database=None, phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large,
                           HealthCheck.filter_too_much],
)


@settings(max_examples=EXAMPLES, **FUZZ_SETTINGS)
@given(script=SCRIPT)
def test_random_input_never_breaks_the_bot_or_crosses_users(config, script):
    asyncio.run(run_script(config, script))


STAFF_ROLES = st.sampled_from(["trainer", "manager"])
POWER_ACTION = st.one_of(
    st.tuples(st.just("command"), STAFF_ROLES, COMMAND),
    st.tuples(st.just("text"), STAFF_ROLES, TEXT),
    st.tuples(st.just("button"), STAFF_ROLES, st.integers(0, 50)),
    st.tuples(st.just("forged"), STAFF_ROLES, FORGED),
)


async def run_power_script(config, script) -> None:
    """Trainers and managers with random commands and arguments: no crash, valid replies."""
    core = Core.build(config, database=":memory:")
    try:
        async with Harness.start(core) as h:
            fast(h)
            ids = await setup_world(h)
            people = {"trainer": await h.member(3001, "trainer", username="teacher"), "manager": h.manager}
            for kind, role, payload in script:
                FUZZED["updates"] += 1
                user = people[role]
                if kind in ("command", "text"):
                    await h.send_text(user, payload)
                elif kind == "button":
                    buttons = [d for m in h.sent(user) for _, d in m.buttons]
                    data = buttons[payload % len(buttons)] if buttons else "r:1:1"
                    await h.press(user, data)
                else:
                    await h.press(user, forged_data(*payload, ids))
            for message in h.api.messages.values():
                assert check_html(message.text) is None and len(html_to_text(message.text)) <= 4096
    finally:
        core.close()


@settings(max_examples=EXAMPLES // 3, **FUZZ_SETTINGS)
@given(script=st.lists(POWER_ACTION, min_size=2, max_size=10))
def test_random_commands_from_trainers_and_managers_never_break_the_bot(config, script):
    asyncio.run(run_power_script(config, script))


def test_zz_fuzz_figures(record_property):
    """Reports how many updates the fuzz test sent (runs after it in this module)."""
    record_property("updates_fuzzed", FUZZED["updates"])
    print(f"\nfuzz: {FUZZED['updates']} updates through the real Application")
