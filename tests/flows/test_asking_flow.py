"""Asking over the Bot API: answers, "did you mean", related questions, ratings, forged buttons, long answers."""

from pathlib import Path

from bot.presenting import UNKNOWN_TEXT
from bot.store.db import open_database
from bot.telegram import texts
from tests.kbfixture import write_knowledge
from tests.telegram.fakebot import MANAGER_ID, Harness, build_core, check_html


def db(harness: Harness):
    return open_database(harness.core.store.path)


async def test_did_you_mean_answers_in_place(harness: Harness):
    alice = await harness.member(2001)
    await harness.send_text(alice, "申请公开会议纪要给不给")
    offer = harness.last(alice)
    assert offer.plain.startswith("【需要确认】") and "培训老师会看到" in offer.plain
    assert [d for _, d in offer.buttons] == ["a:1:0", "a:1:1", "a:1:2"]
    assert not any("👍" in label for label, _ in offer.buttons)  # nothing to rate in an abstention
    label = offer.buttons[1][0]
    await harness.press(alice, "a:1:1")
    assert len(harness.sent(alice)) == 1 and offer.edits == 1  # the same message now holds the answer
    assert offer.plain.startswith("【") and label in [e.question for e in harness.core.engine.kb.entries.values()]
    assert [lbl for lbl, _ in offer.buttons][:2] == ["👍 有用", "👎 没帮上"]
    assert db(harness)["gaps"].count == 1  # the unsure question stays visible to trainers


async def test_related_questions_answer_as_a_new_message(harness: Harness):
    alice = await harness.member(2001)
    await harness.send_text(alice, "处罚决定和值班表申请公开")
    answer = harness.last(alice)
    related = [d for lbl, d in answer.buttons if lbl.startswith("🔎")]
    assert related
    await harness.press(alice, related[0])
    assert len(harness.sent(alice)) == 2 and answer.edits == 0
    assert harness.last(alice).plain.startswith("【部分公开（区分处理）】")


async def test_out_of_scope_says_so_plainly(harness: Harness):
    alice = await harness.member(2001)
    await harness.send_text(alice, "明天天气怎么样")
    assert harness.last(alice).plain.startswith("【不在服务范围】") and harness.last(alice).buttons == []


async def test_unknown_question_is_filed_for_trainers(harness: Harness):
    alice = await harness.member(2001, department="财务科")
    await harness.send_text(alice, "申请公开无人机航拍的原始视频素材吗")
    reply = harness.last(alice)
    assert reply.plain.startswith("【暂无把握】") and UNKNOWN_TEXT in reply.plain
    assert reply.buttons and all(d.startswith("a:") for _, d in reply.buttons)  # closest questions offered
    assert [g["department"] for g in db(harness)["gaps"].rows] == ["财务科"]


async def test_helpful_is_recorded_once_even_when_double_tapped(harness: Harness):
    alice = await harness.member(2001)
    await harness.send_text(alice, "三公经费要不要公开")
    data = harness.button(alice, "👍")
    press = {"id": "q1", "from": {"id": 2001, "is_bot": False, "first_name": "测试"}, "chat_instance": "1",
             "data": data, "message": harness.api._message_json(harness.last(alice))}
    await harness.process_concurrently([{"callback_query": press}, {"callback_query": {**press, "id": "q2"}}])
    assert {harness.answered("q1")["text"], harness.answered("q2")["text"]} == {texts.THANKS_HELPFUL,
                                                                                texts.ALREADY_RATED}
    assert list(db(harness).query("SELECT helpful FROM feedback")) == [{"helpful": 1}]
    assert db(harness)["gaps"].count == 0


async def test_unhelpful_reason_can_be_skipped_and_expires(harness: Harness):
    alice = await harness.member(2001)
    await harness.send_text(alice, "三公经费要不要公开")
    await harness.press(alice, harness.button(alice, "👎"))
    await harness.press(alice, harness.button(alice, texts.BUTTON_SKIP))
    assert harness.last(alice).buttons == []
    await harness.send_text(alice, "涉密文件能给申请人吗")  # a question again, not a reason
    assert harness.last(alice).plain.startswith("【不予公开】")

    await harness.press(alice, harness.button(alice, "👎"))
    harness.core.store.run_sync(lambda d: d.execute("UPDATE awaiting_reason SET until = '2000-01-01'"))
    await harness.send_text(alice, "三公经费要不要公开")  # the window has passed: a question
    assert harness.last(alice).plain.startswith("【主动公开】")
    reasons = [r["reason"] for r in db(harness).query("SELECT reason FROM gaps ORDER BY id")]
    assert reasons == ["unhelpful", "unhelpful"]


async def test_reason_survives_a_restart(tmp_path, kb_dir):
    core = build_core(tmp_path, kb_dir)
    try:
        async with Harness.start(core) as harness:
            alice = await harness.member(2001)
            await harness.send_text(alice, "三公经费要不要公开")
            await harness.press(alice, harness.button(alice, "👎"))
        async with Harness.start(core) as harness:  # a new Application: nothing kept in memory
            alice = harness.user(2001)
            await harness.send_text(alice, "口径不对")
            assert harness.last(alice).plain == texts.REASON_SAVED
    finally:
        core.close()


async def test_forged_and_stale_callbacks_are_answered_without_harm(harness: Harness):
    alice = await harness.member(2001)
    mallory = await harness.member(2666)
    await harness.send_text(alice, "三公经费要不要公开")
    for data in ["garbage", "r:1", "r:1:1:1", "r:1:7", "a:1:99", "zz:1:2", "r:999:1", "s:1", "", "答:1",
                 "r:" + "9" * 15 + ":1"]:
        await harness.press(mallory, data)
    await harness.press(mallory, "r:1:0")  # alice's question
    assert harness.answered()["text"] == texts.NOT_YOURS
    await harness.press(mallory, "a:1:0")
    assert harness.answered()["text"] == texts.NOT_YOURS
    assert db(harness)["feedback"].count == 0 and db(harness)["gaps"].count == 0
    assert harness.sent(2666) == []  # mallory saw nothing of alice's


async def test_media_and_unknown_commands_get_a_hint(harness: Harness):
    alice = await harness.member(2001)
    for kind in ("sticker", "photo", "voice", "document"):
        await harness.send_media(alice, kind)
        assert harness.last(alice).plain == texts.MEDIA_HINT
    await harness.send_text(alice, "/nosuch")
    assert harness.last(alice).plain == texts.UNKNOWN_COMMAND


LONG_ENTRY = """\
entries:
  - id: long-procedure
    question: 依申请公开的完整办理流程是什么
    alternates: [申请公开从受理到答复的全部步骤, 收到公开申请以后按什么流程办, 办理公开申请有哪些环节]
    verdict: procedure
    answer: 办理程序。按下列注意事项逐步办理。
    basis: [reg-33]
    caveats: [{caveats}]
"""


async def test_a_long_answer_is_split_below_4096(tmp_path: Path):
    kb = write_knowledge(tmp_path / "kb")
    step = "第{}步：登记申请、审查申请内容是否明确、<需要补正的>一次性告知 & 限期补正、检索信息、征求意见、作出答复"
    caveats = ", ".join(f'"{step.format(i)}"' for i in range(1, 160))  # about 9,000 characters in all
    (kb / "entries" / "long.yaml").write_text(LONG_ENTRY.format(caveats=caveats), encoding="utf-8")
    core = build_core(tmp_path, kb)
    try:
        async with Harness.start(core) as harness:
            alice = await harness.member(2001)
            await harness.send_text(alice, "依申请公开的完整办理流程是什么")
            parts = harness.sent(alice)
            assert len(parts) >= 3
            assert all(len(p.text) <= 4096 and check_html(p.text) is None for p in parts)
            assert parts[0].plain.startswith("【办理程序】")
            assert [p for p in parts if p.buttons] == [parts[-1]]  # the buttons come with the last part
            assert "<需要补正的>一次性告知 & 限期补正" in "".join(p.plain for p in parts)
    finally:
        core.close()


async def test_an_exception_reaches_the_error_handler_and_the_user_hears_kindly(harness: Harness):
    alice = await harness.member(2001)

    async def broken(*args, **kwargs):
        raise RuntimeError("engine exploded")

    harness.core.asking.ask = broken
    with harness.allow_errors() as errors:
        await harness.send_text(alice, "三公经费要不要公开")
        assert [type(e) for e in errors] == [RuntimeError]
    assert harness.last(alice).plain == texts.ERROR


async def test_config_manager_can_ask_without_registering(harness: Harness):
    await harness.send_text(harness.manager, "三公经费要不要公开")
    assert harness.last(MANAGER_ID).plain.startswith("【主动公开】")
