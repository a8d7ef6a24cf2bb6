"""Access over the Bot API: nobody uninvited gets anything; lower roles are refused politely."""

import pytest

from bot.services.access import ROLES, rank
from bot.store.db import open_database
from bot.telegram import texts
from bot.telegram.registry import REGISTRY
from tests.telegram.fakebot import Harness, build_core

STRANGER = 4040


async def invite(harness: Harness, args: str) -> str:
    await harness.send_text(harness.manager, f"/invite {args}")
    return harness.last(harness.manager).plain.split("start=")[1].split()[0]


async def test_uninvited_user_is_refused_everything_and_logged(harness: Harness, caplog):
    stranger = harness.user(STRANGER, "陌生人")
    caplog.set_level("INFO")
    for text in ("三公经费要不要公开", "/users", "/invite 办公室", "/start", "/help", "/nosuch"):
        await harness.send_text(stranger, text)
        assert harness.last(stranger).plain == texts.NOT_REGISTERED
    await harness.send_media(stranger, "photo")
    assert harness.last(stranger).plain == texts.NOT_REGISTERED
    await harness.press(stranger, "r:1:1")
    assert harness.answered()["text"] == texts.NOT_REGISTERED
    assert f"refused unregistered user {STRANGER}" in caplog.text
    questions = open_database(harness.core.store.path)["questions"].count
    assert questions == 0  # nothing of what a stranger types is answered or kept


async def test_reused_expired_and_unknown_invitations_are_refused(harness: Harness):
    code = await invite(harness, "办公室")
    first, second = harness.user(2001, "甲"), harness.user(2002, "乙")
    await harness.send_text(first, f"/start {code}")
    await harness.send_text(second, f"/start {code}")
    assert harness.last(second).plain == texts.INVITE_USED_UP

    expired = await invite(harness, "办公室")
    harness.core.store.run_sync(lambda db: db.execute(
        "UPDATE invitations SET expires_at = '2000-01-01T00:00:00+00:00' WHERE code = ?", [expired]))
    await harness.send_text(second, f"/start {expired}")
    assert harness.last(second).plain == texts.INVITE_EXPIRED

    await harness.send_text(second, "/start not-a-real-code")
    assert harness.last(second).plain == texts.INVITE_UNKNOWN
    await harness.send_text(second, "三公经费要不要公开")
    assert harness.last(second).plain == texts.NOT_REGISTERED


async def test_registered_user_reopening_a_link_keeps_their_role(harness: Harness):
    alice = await harness.member(2001, "staff")
    code = await invite(harness, "财务科 manager")
    await harness.send_text(alice, f"/start {code}")
    assert "已经注册过了" in harness.last(alice).plain
    assert (await harness.core.access.identify(2001)).role == "staff"


GATED = [(c.name, role) for c in REGISTRY.commands if c.role for role in (None, *ROLES) if rank(role) < rank(c.role)]


@pytest.mark.parametrize("command,role", GATED)
async def test_role_gated_commands_are_refused_to_lower_roles(harness: Harness, command, role):
    user = await harness.member(2100, role) if role else harness.user(2100)
    db = open_database(harness.core.store.path)
    invitations = db["invitations"].count
    calls = await harness.send_text(user, f"/{command} 办公室 manager")
    assert [c.method for c in calls] == ["sendMessage"]
    expected = texts.NOT_REGISTERED if role is None else "权限"
    assert expected in harness.last(user).plain
    assert db["invitations"].count == invitations  # nothing happened


async def test_trainer_invites_staff_only(harness: Harness):
    trainer = await harness.member(2001, "trainer")
    await harness.send_text(trainer, "/invite 办公室 manager")
    assert harness.last(trainer).plain == texts.INVITE_ROLE_REFUSED
    await harness.send_text(trainer, "/invite 办公室")
    assert "start=" in harness.last(trainer).plain and "工作人员" in harness.last(trainer).plain


async def test_invite_usage(harness: Harness):
    await harness.send_text(harness.manager, "/invite")
    assert harness.last(harness.manager).plain == texts.INVITE_USAGE


async def test_users_role_and_remove(harness: Harness):
    boss = harness.manager
    await harness.member(2001, "staff", department="办公室", first_name="爱丽丝<b>", username="alice")
    await harness.member(2002, "staff", department="财务科", first_name="鲍勃", username="bob")
    await harness.send_text(boss, "/users")
    listing = harness.last(boss)
    assert "爱丽丝<b>" in listing.plain and "&lt;b&gt;" in listing.text and "@bob" in listing.plain
    await harness.send_text(boss, "/users 财务科")
    assert "鲍勃" in harness.last(boss).plain and "爱丽丝" not in harness.last(boss).plain

    await harness.send_text(boss, "/role @alice trainer")
    assert "培训老师" in harness.last(boss).plain
    assert "培训老师" in harness.last(2001).plain  # she is told
    assert (await harness.core.access.identify(2001)).role == "trainer"

    await harness.send_text(boss, "/role @boss staff")
    assert harness.last(boss).plain == texts.REFUSED_SELF
    await harness.send_text(boss, "/role @nobody staff")
    assert harness.last(boss).plain == texts.REFUSED_NOT_FOUND
    await harness.send_text(boss, "/role @bob admin")
    assert harness.last(boss).plain == texts.ROLE_USAGE

    await harness.send_text(boss, "/remove 2002")
    assert "已移除" in harness.last(boss).plain
    assert harness.calls("deleteMyCommands")[-1].params["scope"] == {"type": "chat", "chat_id": 2002}
    await harness.send_text(harness.user(2002, "鲍勃", "bob"), "三公经费要不要公开")
    assert harness.last(2002).plain == texts.NOT_REGISTERED


async def test_config_manager_cannot_be_demoted_by_another_manager(harness: Harness):
    other = await harness.member(2003, "manager", username="carol")
    await harness.send_text(other, f"/remove {harness.core.config.access.managers[0]}")
    assert harness.last(other).plain == texts.REFUSED_CONFIG_MANAGER


async def test_groups_answer_registered_users_only_when_addressed(harness: Harness):
    group = harness.group()
    alice = await harness.member(2001, "staff")
    stranger = harness.user(STRANGER)
    await harness.send_text(alice, "三公经费要不要公开", chat=group)
    assert harness.sent(group) == []  # not addressed to the bot
    await harness.send_text(alice, "@DisclosureDeskBot 三公经费要不要公开", chat=group)
    assert harness.last(group).plain.startswith("【主动公开】")
    await harness.send_text(alice, "涉密文件能给申请人吗", chat=group, reply_to=harness.last(group))
    assert harness.last(group).plain.startswith("【不予公开】")
    before = len(harness.sent(group))
    await harness.send_text(stranger, "@DisclosureDeskBot 三公经费要不要公开", chat=group)
    await harness.send_text(stranger, "/help", chat=group)
    await harness.press(stranger, harness.button(group, "👍"), chat=group)
    assert len(harness.sent(group)) == before and harness.sent(stranger) == []  # strangers get nothing
    await harness.send_text(harness.manager, "/users", chat=group)
    assert harness.last(group).plain == texts.PRIVATE_ONLY  # no lists or links in groups


async def test_group_policy_refuse_ignores_groups_entirely(tmp_path, kb_dir):
    core = build_core(tmp_path, kb_dir, "  groups: refuse\n")
    try:
        async with Harness.start(core) as harness:
            group = harness.group()
            alice = await harness.member(2001, "staff")
            await harness.send_text(alice, "@DisclosureDeskBot 三公经费要不要公开", chat=group)
            await harness.send_text(alice, "/help", chat=group)
            assert harness.sent(group) == []
            await harness.send_text(alice, "三公经费要不要公开")  # private chats still work
            assert harness.last(alice).plain.startswith("【主动公开】")
    finally:
        core.close()
