"""The whole path over the Bot API: a config manager invites, a colleague registers, asks, rates."""

from bot.store.db import open_database
from tests.telegram.fakebot import Harness


async def test_manager_invites_colleague_who_registers_asks_and_rates(harness: Harness, tmp_path):
    boss = harness.manager
    await harness.send_text(boss, "/invite 办公室 staff")
    link = harness.last(boss).plain
    assert "https://t.me/DisclosureDeskBot?start=" in link
    code = link.split("start=")[1].split()[0]

    alice = harness.user(2001, "爱丽丝", "alice")
    await harness.send_text(alice, f"/start {code}")
    assert "欢迎" in harness.last(alice).plain and "办公室" in harness.last(alice).plain

    await harness.send_text(alice, "我们局的预决算要不要挂网")
    answer = harness.last(alice)
    assert answer.plain.startswith("【主动公开】")
    assert "依据" in answer.plain and "第二十条" in answer.plain and "发布前提醒" in answer.plain
    assert [label for label, _ in answer.buttons][:2] == ["👍 有用", "👎 没帮上"]

    await harness.press(alice, harness.button(alice, "👎"))
    assert harness.answered()["text"] == "已记录，培训老师会看到这个问题。"
    assert "👎 没帮上" not in [label for label, _ in answer.buttons]  # rating row removed once rated
    await harness.send_text(alice, "没说三公经费的口径")
    assert harness.last(alice).plain == "谢谢，原因已记录，培训老师会看到。"

    db = open_database(tmp_path / "desk.db")
    user = db["users"].get(2001)
    assert (user["department"], user["role"], user["username"]) == ("办公室", "staff", "alice")
    feedback = list(db.query("SELECT helpful, reason FROM feedback"))
    assert feedback == [{"helpful": 0, "reason": "没说三公经费的口径"}]
    gaps = list(db.query("SELECT reason, user_id, department FROM gaps"))
    assert gaps == [{"reason": "unhelpful: 没说三公经费的口径", "user_id": 2001, "department": "办公室"}]
