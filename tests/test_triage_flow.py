"""/triage over the Bot API (the real Application on the fake Bot API): buttons, back, leave, stale and
forged taps, a restart in the middle, and 🧭 逐步判定 under an answer the FAQ did not settle."""

from __future__ import annotations

import pytest

from bot.presenting import RELEASE_REMINDER
from bot.telegram import texts
from tests.kbfixture import write_knowledge
from tests.telegram import fakebot
from tests.telegram.fakebot import Harness, SentMessage, build_core

CASE_BY_CASE = """\
entries:
  - id: minutes-case
    question: 专题会议纪要有人申请公开给不给
    alternates: [会议纪要能不能给申请人, 申请公开政府常务会议纪要, 会议纪要算不算过程性信息]
    verdict: case_by_case
    answer: 视情况。会议纪要是否属于过程性信息，要看它是否已对外发生效力（第十六条）。
    basis: [reg-16]
"""

harness = fakebot.harness  # the Telegram harness fixture (tests/telegram/fakebot.py)


@pytest.fixture
def kb_dir(tmp_path):
    root = write_knowledge(tmp_path / "knowledge")
    (root / "entries" / "case.yaml").write_text(CASE_BY_CASE, encoding="utf-8")
    return root


async def tap(harness: Harness, user, message: SentMessage, label: str) -> None:
    data = next(d for text, d in message.buttons if text == label)
    await harness.press(user, data, message=message)


async def test_triage_by_buttons_to_a_record(harness: Harness):
    alice = await harness.member(2001)
    await harness.send_text(alice, "/triage")
    card = harness.last(alice)
    assert card.plain.startswith("逐步判定 · 第1问：是否属于政府信息（第二条）")
    assert [t for t, _ in card.buttons][-1] == "✖️ 退出" and "⬅️ 上一步" not in [t for t, _ in card.buttons]
    assert all(len(d.encode()) <= 64 and d.startswith(("tc:", "tx:")) for _, d in card.buttons)
    for label in ["是，行政机关履职中形成的已有信息", "是，由本机关负责公开", "没有公开", "都不涉及", "涉及",
                  "不同意，或逾期未回复", "不会", "都不属于"]:
        await tap(harness, alice, card, label)
    assert card.plain.startswith("逐步判定 · 第9问：能否区分处理（第三十七条）")
    await tap(harness, alice, card, "能分开")
    assert len(harness.sent(alice)) == 1 and card.edits == 9  # one message, edited in place
    assert card.plain.startswith("【部分公开（区分处理）】") and "<pre>" in card.text and card.buttons == []
    assert "7. 不公开是否影响重大公共利益（第十五条、第三十二条）" in card.plain
    assert RELEASE_REMINDER in card.plain


async def test_back_and_leave(harness: Harness):
    alice = await harness.member(2001)
    await harness.send_text(alice, "/triage")
    card = harness.last(alice)
    await tap(harness, alice, card, "是，行政机关履职中形成的已有信息")
    assert "第2问" in card.plain and "⬅️ 上一步" in [t for t, _ in card.buttons]
    await tap(harness, alice, card, "⬅️ 上一步")
    assert "第1问" in card.plain
    await tap(harness, alice, card, "否，是党委、人大、法院、村委会等的")
    assert card.plain.startswith("【不属于政府信息公开范围】") and "司法公开" in card.plain
    assert RELEASE_REMINDER not in card.plain
    await harness.send_text(alice, "/triage")
    card = harness.last(alice)
    await tap(harness, alice, card, "✖️ 退出")
    assert card.plain.startswith("已退出逐步判定") and card.buttons == []


async def test_stale_double_and_forged_taps(harness: Harness):
    alice = await harness.member(2001)
    mallory = await harness.member(2002)
    await harness.send_text(alice, "/triage")
    card = harness.last(alice)
    first = dict(card.buttons)["是，行政机关履职中形成的已有信息"]
    await harness.press(alice, first, message=card)
    shown = card.text
    await harness.press(alice, first, message=card)  # the same tap again: nothing moves
    assert card.text == shown and "已经过时" in harness.answered()["text"]
    session = first.split(":")[1]
    await harness.press(mallory, f"tc:{session}:2:0")  # another user, forged data
    assert "已经过时" in harness.answered()["text"] and card.text == shown
    await harness.press(alice, f"tc:{session}:2:9")  # no such choice
    await harness.press(alice, f"tx:{session}9")  # no such session
    assert harness.answered()["text"]
    assert card.text == shown and await harness.core.triage.current(2001) is not None


async def test_a_triage_survives_a_restart(tmp_path, kb_dir):
    core = build_core(tmp_path, kb_dir)
    try:
        async with Harness.start(core) as h:
            alice = await h.member(2001)
            await h.send_text(alice, "/triage")
            await tap(h, alice, h.last(alice), "是，行政机关履职中形成的已有信息")
            data = dict(h.last(alice).buttons)["是，由本机关负责公开"]
            messages = h.api.messages  # Telegram keeps the chat across our restart
        async with Harness.start(core) as h:
            alice = h.user(2001)
            h.api.messages.update(messages)
            await h.press(alice, data)  # the button under the old message still works
            (card,) = h.sent(alice)
            assert card.plain.startswith("逐步判定 · 第3问：是否已主动公开")
    finally:
        core.close()


async def test_offered_under_a_case_by_case_answer_only(harness: Harness):
    alice = await harness.member(2001)
    await harness.send_text(alice, "专题会议纪要有人申请公开给不给")
    answer = harness.last(alice)
    assert answer.plain.startswith("【视情况/需审查】")
    await harness.press(alice, harness.button(alice, texts.BUTTON_TRIAGE))
    card = harness.last(alice)
    assert card is not answer and card.plain.startswith("逐步判定 · 第1问")
    rows = harness.core.store.run_sync(lambda db: list(db.query("SELECT user_id, question_id FROM triage_sessions")))
    assert rows == [{"user_id": 2001, "question_id": 1}]
    # Someone else's question: refused.
    bob = await harness.member(2003)
    await harness.press(bob, "ts:1")
    assert harness.answered()["text"] == "这个按钮不属于您。" and harness.sent(bob) == []
    # A confident, settled answer has no such button.
    await harness.send_text(alice, "定密的文件有人申请公开怎么办")
    assert harness.last(alice).plain.startswith("【不予公开】")
    assert texts.BUTTON_TRIAGE not in [t for t, _ in harness.last(alice).buttons]


async def test_triage_is_for_private_chats(harness: Harness):
    alice = await harness.member(2001)
    group = harness.group()
    await harness.send_text(alice, "/triage", chat=group)
    assert harness.last(group).plain == texts.PRIVATE_ONLY
