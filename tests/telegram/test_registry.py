"""The registry drives the handlers, the per-role menus and /help: they must agree."""

import json
import re
from pathlib import Path

import pytest
from telegram.ext import CommandHandler

from bot.services.access import ROLES
from bot.telegram import callbacks
from bot.telegram.app import refresh_menus
from bot.telegram.context import DeskContext
from bot.telegram.registry import REGISTRY
from tests.telegram.fakebot import MANAGER_ID, Harness, build_core


def test_commands_are_valid_bot_commands():
    for command in REGISTRY.commands:
        assert re.fullmatch(r"[a-z0-9_]{1,32}", command.name)
        assert 1 <= len(command.description) <= 256
        assert command.role in (None, *ROLES)
        assert command.handler.__doc__, f"/{command.name}: the handler needs a docstring"


def test_every_command_has_a_handler(harness: Harness):
    handled = {name for h in harness.app.handlers[0] if isinstance(h, CommandHandler) for name in h.commands}
    assert handled >= {c.name for c in REGISTRY.commands}


def test_every_button_kind_is_documented_in_callbacks():
    for button in REGISTRY.buttons:
        assert re.search(rf"^{button.kind}\s", callbacks.__doc__, re.M), f"document kind {button.kind!r}"


def test_menus_are_cumulative_by_role():
    menus = [set(c.name for c in REGISTRY.menu(role)) for role in (None, *ROLES)]
    assert menus[0] == {"start", "help"}
    assert all(a <= b for a, b in zip(menus, menus[1:], strict=False))
    assert {"invite"} <= menus[2] - menus[1] and {"users", "role", "remove"} <= menus[3] - menus[2]


async def test_startup_sets_default_group_and_config_manager_menus(harness: Harness):
    calls = harness.calls("setMyCommands")
    by_scope = {json.dumps(c.params.get("scope"), sort_keys=True): [x["command"] for x in c.params["commands"]]
                for c in calls}
    assert by_scope[json.dumps({"type": "all_private_chats"})] == ["start", "help"]
    assert by_scope[json.dumps({"type": "all_group_chats"})] == ["help"]
    manager_menu = by_scope[json.dumps({"chat_id": MANAGER_ID, "type": "chat"}, sort_keys=True)]
    assert manager_menu == [c.name for c in REGISTRY.menu("manager")]


@pytest.mark.parametrize("role", ROLES)
async def test_help_lists_exactly_the_menu_of_the_role(harness: Harness, role):
    user = await harness.member(3000 + ROLES.index(role), role)
    await harness.send_text(user, "/help")
    listed = re.findall(r"^/([a-z_]+) — ", harness.last(user).plain, re.M)
    assert listed == [c.name for c in REGISTRY.menu(role)]


async def test_registration_sets_the_personal_menu(harness: Harness):
    await harness.send_text(harness.manager, "/invite 法制科 trainer")
    code = harness.last(harness.manager).plain.split("start=")[1].split()[0]
    bob = harness.user(2002, "鲍勃")
    await harness.send_text(bob, f"/start {code}")
    last = harness.calls("setMyCommands")[-1].params
    assert last["scope"] == {"type": "chat", "chat_id": 2002}
    assert [c["command"] for c in last["commands"]] == [c.name for c in REGISTRY.menu("trainer")]


def test_readme_documents_every_command():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Telegram", 1)[1].split("\n## ", 1)[0]
    missing = [c.name for c in REGISTRY.commands if f"| `/{c.name}" not in section]
    assert not missing, f"add a row for {missing} to the command table of README.md, section Telegram"


async def test_menus_of_existing_members_are_refreshed_after_start(tmp_path, kb_dir):
    core = build_core(tmp_path, kb_dir)
    try:
        async with Harness.start(core) as harness:
            await harness.member(2001, "trainer")
            await harness.member(2002, "staff")
        async with Harness.start(core) as harness:  # a restart, e.g. after a command was added
            for user_id in (2001, 2002):
                harness.user(user_id)  # their chats exist
            await refresh_menus(DeskContext(harness.app))
            menus = {c.params["scope"]["chat_id"]: [x["command"] for x in c.params["commands"]]
                     for c in harness.calls("setMyCommands") if c.params["scope"]["type"] == "chat"}
            assert menus[2001] == [c.name for c in REGISTRY.menu("trainer")]
            assert menus[2002] == [c.name for c in REGISTRY.menu("staff")]
    finally:
        core.close()
