"""Trainers in Telegram, end to end: /gaps → a group → 关联已有答案 / 新增答案 / 忽略; askers are told; /reload."""

from tests.gapfixture import EXAM

UNANSWERED = [EXAM[10], EXAM[11], EXAM[12]]  # the tiny test base cannot answer these
ANSWER = "部分公开（区分处理）。考生本人的体检结论可以告知；他人的体检信息属个人隐私，去除后公开其余部分。"


async def staff_ask(harness):
    alice = await harness.member(2001, "staff", department="人社局", first_name="Alice")
    bob = await harness.member(2002, "staff", department="财政局", first_name="Bob")
    for text in UNANSWERED[:2]:
        await harness.send_text(alice, text)
    await harness.send_text(bob, UNANSWERED[2])
    assert "暂无把握" in harness.last(bob).plain
    return alice, bob


async def open_group(harness, trainer):
    await harness.send_text(trainer, "/gaps")
    listing = harness.last(trainer)
    assert "问过 3 次（人社局、财政局）" in listing.plain and "首次" in listing.plain
    await harness.press(trainer, harness.button(trainer, "1"))
    detail = harness.last(trainer)
    assert [label for label, _ in detail.buttons] == ["关联已有答案", "新增答案", "忽略"]
    assert all(text in detail.plain for text in UNANSWERED)
    return detail


async def test_a_trainer_links_a_group_and_the_askers_get_the_answer(harness):
    alice, bob = await staff_ask(harness)
    trainer = await harness.member(3001, "trainer")
    await open_group(harness, trainer)
    await harness.press(trainer, harness.button(trainer, "关联已有答案"))
    candidates = harness.last(trainer)
    assert "关联到哪条已有答案" in candidates.plain and candidates.buttons
    label, data = candidates.buttons[0]
    entry_id = candidates.plain.split("1. ", 1)[1].split("（", 1)[1].split("）", 1)[0]
    await harness.press(trainer, data)
    result = harness.last(trainer).plain
    assert f"已生效：{entry_id}" in result and "关闭 3 条" in result and "已通知提问的 2 人" in result
    headline = harness.core.engine.kb.entries[entry_id].verdict.label
    for person, asked in ((alice, UNANSWERED[1]), (bob, UNANSWERED[2])):
        told = harness.texts(person)
        assert any("现在有答案了" in t and asked in t for t in told), told
        assert headline in told[-1]
    await harness.send_text(alice, UNANSWERED[0])  # and from now on the bot answers it
    assert f"【{headline}】" in harness.last(alice).plain
    await harness.send_text(trainer, "/gaps")
    assert "目前没有待处理的问题" in harness.last(trainer).plain


async def test_a_trainer_writes_a_new_answer_by_replying(harness):
    alice, bob = await staff_ask(harness)
    trainer = await harness.member(3001, "trainer")
    await open_group(harness, trainer)
    await harness.press(trainer, harness.button(trainer, "新增答案"))
    prompt = harness.last(trainer)
    assert prompt.plain.startswith("【新增答案】") and "第1步" in prompt.plain
    assert harness.calls("sendMessage")[-1].params["reply_markup"]  # ForceReply: the client opens a reply
    await harness.send_text(trainer, "沿用", reply_to=prompt)
    await harness.press(trainer, harness.button(trainer, "部分公开"))
    await harness.send_text(trainer, ANSWER, reply_to=harness.last(trainer))
    await harness.send_text(trainer, "37 15", reply_to=harness.last(trainer))
    summary = harness.last(trainer)
    assert "请核对" in summary.plain and ANSWER in summary.plain and "第三十七条" in summary.plain
    await harness.press(trainer, harness.button(trainer, "确认保存"))
    assert "已生效：taught-" in harness.last(trainer).plain and "已通知提问的 2 人" in harness.last(trainer).plain
    assert "【部分公开（区分处理）】" in harness.texts(bob)[-1]
    await harness.send_text(alice, UNANSWERED[2])
    assert ANSWER in harness.last(alice).plain


async def test_the_dialogue_checks_each_step_and_text_not_replying_is_a_question(harness):
    await staff_ask(harness)
    trainer = await harness.member(3001, "trainer")
    await open_group(harness, trainer)
    await harness.press(trainer, harness.button(trainer, "新增答案"))
    await harness.send_text(trainer, "我们局的预决算要不要挂网")  # not a reply: an ordinary question
    assert "【主动公开】" in harness.last(trainer).plain
    prompt = next(m for m in reversed(harness.sent(trainer)) if m.plain.startswith("【新增答案】"))
    await harness.send_text(trainer, "沿用", reply_to=prompt)
    await harness.send_text(trainer, "随便", reply_to=harness.last(trainer))  # typed instead of a button
    assert "请选择一个结论" in harness.last(trainer).plain
    await harness.press(trainer, harness.button(trainer, "不予公开"))
    await harness.send_text(trainer, ANSWER, reply_to=harness.last(trainer))
    await harness.send_text(trainer, "37", reply_to=harness.last(trainer))
    assert "第十四、十五或十六条" in harness.last(trainer).plain
    await harness.send_text(trainer, "取消", reply_to=harness.last(trainer))
    assert "已取消" in harness.last(trainer).plain
    assert await harness.core.gaps.count_open() == 3


async def test_ignore_and_reload(harness, kb_dir):
    await staff_ask(harness)
    trainer = await harness.member(3001, "trainer")
    await open_group(harness, trainer)
    await harness.press(trainer, harness.button(trainer, "忽略"))
    assert "已忽略 3 条" in harness.answered()["text"]
    assert await harness.core.gaps.count_open() == 0
    (kb_dir / "entries" / "broken.yaml").write_text("entries:\n  - id: Bad Id\n", encoding="utf-8")
    await harness.send_text(trainer, "/reload")
    assert "重新加载失败" in harness.last(trainer).plain
    assert "knowledge/entries/broken.yaml:2: bad or missing id" in harness.last(trainer).plain
    (kb_dir / "entries" / "broken.yaml").unlink()
    await harness.send_text(trainer, "/reload")
    assert "已重新加载" in harness.last(trainer).plain


async def test_trainer_commands_and_buttons_are_refused_to_staff(harness):
    staff = await harness.member(2001, "staff")
    for command in ("/gaps", "/reload"):
        await harness.send_text(staff, command)
        assert "需要培训老师权限" in harness.last(staff).plain
    for data in ("gv:1", "gi:1", "gn:1", "gk:1:2", "gd:1", "gc:1", "gp:2", "gl:1"):
        await harness.press(staff, data)  # forged: staff never saw these buttons
        assert harness.answered()["text"] == "您没有权限进行这个操作。"
    await harness.send_text(staff, "/help")
    assert "/gaps" not in harness.last(staff).plain
    trainer = await harness.member(3001, "trainer")
    await harness.send_text(trainer, "/help")
    assert "/gaps" in harness.last(trainer).plain and "/report" not in harness.last(trainer).plain


async def test_an_asker_who_blocked_the_bot_is_counted_not_fatal(harness):
    from tests.telegram.fakebot import ApiError

    alice, bob = await staff_ask(harness)
    trainer = await harness.member(3001, "trainer")
    original = harness.api.api_sendMessage

    def send(params):
        if int(params["chat_id"]) == bob.id:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        return original(params)

    harness.api.handlers["sendMessage"] = send
    await open_group(harness, trainer)
    await harness.press(trainer, harness.button(trainer, "关联已有答案"))
    await harness.press(trainer, harness.last(trainer).buttons[0][1])
    assert "已通知提问的 1 人。（1 人未送达" in harness.last(trainer).plain
