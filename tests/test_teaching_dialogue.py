"""The 新增答案 dialogue: one step per message, checked as it goes, kept in SQLite across a restart."""

from bot.config import load_config
from bot.core import Core
from bot.services.teaching_dialogue import TeachingDialogue, parse_basis
from tests.gapfixture import EXAM, file_gaps

ANSWER = "部分公开（区分处理）。考生本人的体检结论可以告知；他人的体检信息属个人隐私，去除后公开其余部分。"


def test_basis_accepts_bare_article_numbers_and_names_unknown_ids():
    assert parse_basis("37，15 budget-14", {"reg-15", "reg-37", "budget-14"}) == (("reg-37", "reg-15", "budget-14"), [])
    assert parse_basis("reg-99 15", {"reg-15"}) == (("reg-15",), ["reg-99"])


async def test_a_trainer_writes_an_answer_step_by_step(core):
    ids = await core.store.run(file_gaps, EXAM[:6])
    dialogue = TeachingDialogue(core.teaching)
    prompt = await dialogue.start(1, ids[0])
    assert "第1步" in prompt.text and EXAM[0] in prompt.text and await dialogue.active(1)
    assert prompt.step == "question"
    prompt = await dialogue.reply(1, "沿用")
    assert "第2步" in prompt.text and ("partial", "部分公开（区分处理）") in prompt.choices and prompt.step == "verdict"
    assert "请选择" in (await dialogue.reply(1, "随便")).text
    prompt = await dialogue.reply(1, "partial")  # what a button sends back
    assert "第3步" in prompt.text
    assert "不要超过" in (await dialogue.reply(1, "太长" * 300)).text
    prompt = await dialogue.reply(1, ANSWER)
    assert "第4步" in prompt.text
    assert "reg-99" in (await dialogue.reply(1, "reg-99")).text
    prompt = await dialogue.reply(1, "37 15")
    assert "请核对" in prompt.text and "《政府信息公开条例》第三十七条" in prompt.text and ANSWER in prompt.text
    assert prompt.step == "confirm"
    prompt = await dialogue.reply(1, "确认")
    assert not prompt.active and prompt.taught.ok and not await dialogue.active(1) and prompt.step == ""
    assert core.engine.ask(EXAM[0]).entry.id == prompt.taught.entry_id
    assert {n.user_id for n in prompt.taught.notices} == {100 + i for i in range(6)}


async def test_the_dialogue_survives_a_restart_and_a_step_can_be_redone(core, config_path):
    ids = await core.store.run(file_gaps, EXAM[:3])
    await TeachingDialogue(core.teaching).start(1, ids[0])
    for text in ("公务员招录体检结果能公开吗", "2", ANSWER):
        await TeachingDialogue(core.teaching).reply(1, text)
    core.close()
    restarted = Core.build(load_config(config_path))
    core.store = restarted.store  # the fixture closes the live store at the end
    dialogue = TeachingDialogue(restarted.teaching)
    prompt = await dialogue.reply(1, "15 37")
    assert "结论：依申请公开" in prompt.text
    assert "第2步" in (await dialogue.reply(1, "结论")).text
    prompt = await dialogue.reply(1, "部分公开（区分处理）")
    assert "结论：部分公开（区分处理）" in prompt.text  # back to the summary: the rest was kept
    assert (await dialogue.reply(1, "确认")).taught.ok


async def test_refusals_keep_the_draft_and_cancel_drops_it(core):
    ids = await core.store.run(file_gaps, EXAM[:3])
    dialogue = TeachingDialogue(core.teaching)
    await dialogue.start(1, ids[0])
    for text in ("部门预算和决算要主动公开吗？", "1", "主动公开。", "reg-20"):
        await dialogue.reply(1, text)
    prompt = await dialogue.reply(1, "确认")
    assert prompt.active and "nearly duplicates entry budget-accounts" in prompt.text
    assert "取消" in (await dialogue.reply(1, "取消")).text and not await dialogue.active(1)
    assert not (await dialogue.reply(1, "hello")).active
    assert await core.gaps.count_open() == 3


async def test_withholding_needs_an_exemption_as_basis(core):
    ids = await core.store.run(file_gaps, EXAM[:3])
    dialogue = TeachingDialogue(core.teaching)
    await dialogue.start(1, ids[0])
    for text in ("沿用", "不予公开", ANSWER):
        await dialogue.reply(1, text)
    assert "第十四、十五或十六条" in (await dialogue.reply(1, "37")).text
    assert "请核对" in (await dialogue.reply(1, "15 37")).text
