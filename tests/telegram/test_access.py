"""The access service without Telegram: codes, expiry, use limits, roles, config managers.

(It lives here with the Telegram tests because access is this front end's feature; it imports no PTB.)
"""

from datetime import UTC, datetime, timedelta

import pytest

from bot.config import AccessConfig
from bot.services.access import AccessService, Member, Refused, Registration, rank
from bot.store.db import Store

BOSS = 1001


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "access.db")
    yield s
    s.close()


class Clock:
    def __init__(self):
        self.now = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)

    def __call__(self):
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def access(store, clock):
    return AccessService(store, AccessConfig(managers=[BOSS], invite_ttl_hours=2, invite_uses=1), clock)


async def boss(access) -> Member:
    return await access.identify(BOSS, "老板", "boss")


async def test_config_manager_is_a_manager_from_the_first_message(access):
    member = await boss(access)
    assert member.role == "manager" and member.from_config
    assert await access.identify(42) is None


async def test_codes_are_unguessable_and_distinct(access):
    codes = {(await access.invite(await boss(access), "办公室")).code for _ in range(200)}
    assert len(codes) == 200
    assert all(len(c) >= 22 and c.replace("-", "").replace("_", "").isalnum() for c in codes)


async def test_register_once_then_used_up(access):
    invitation = await access.invite(await boss(access), "办公室", "trainer")
    assert await access.register(invitation.code, telegram_id=5, name="五", username="five") is Registration.OK
    assert (await access.identify(5)).role == "trainer"
    assert await access.register(invitation.code, telegram_id=6, name="六", username="") is Registration.USED_UP
    assert await access.identify(6) is None


async def test_expired_and_unknown_codes_register_nobody(access, clock):
    invitation = await access.invite(await boss(access), "办公室")
    clock.now += timedelta(hours=2)
    assert await access.register(invitation.code, telegram_id=5, name="", username="") is Registration.EXPIRED
    assert await access.register("nope", telegram_id=5, name="", username="") is Registration.UNKNOWN
    assert await access.register("x" * 65, telegram_id=5, name="", username="") is Registration.UNKNOWN
    assert await access.identify(5) is None


async def test_registered_user_does_not_consume_an_invitation(access):
    manager = await boss(access)
    first = await access.invite(manager, "办公室")
    await access.register(first.code, telegram_id=5, name="五", username="")
    second = await access.invite(manager, "财务科", "manager")
    assert await access.register(second.code, telegram_id=5, name="五", username="") is Registration.ALREADY
    assert (await access.identify(5)).role == "staff"
    assert await access.register(second.code, telegram_id=7, name="七", username="") is Registration.OK


async def test_trainers_invite_staff_only(access):
    manager = await boss(access)
    invitation = await access.invite(manager, "办公室", "trainer")
    await access.register(invitation.code, telegram_id=5, name="五", username="")
    trainer = await access.identify(5)
    assert await access.invite(trainer, "办公室", "manager") is Refused.ROLE
    assert await access.invite(trainer, "办公室", "trainer") is Refused.ROLE
    assert (await access.invite(trainer, "办公室", "staff")).role == "staff"


async def test_role_change_and_removal_rules(access):
    manager = await boss(access)
    invitation = await access.invite(manager, "办公室")
    await access.register(invitation.code, telegram_id=5, name="五", username="Five")
    assert (await access.change_role(manager, "@five", "trainer")).role == "trainer"
    assert await access.change_role(manager, "@nobody", "trainer") is Refused.NOT_FOUND
    assert await access.change_role(manager, str(BOSS), "staff") is Refused.SELF
    trainer = await access.identify(5)
    assert await access.change_role(trainer, str(BOSS), "staff") is Refused.CONFIG_MANAGER
    assert await access.remove(manager, "5") is not None
    assert await access.identify(5) is None
    assert await access.remove(manager, "5") is Refused.NOT_FOUND


async def test_a_removed_user_can_be_invited_again(access):
    manager = await boss(access)
    await access.register((await access.invite(manager, "办公室")).code, telegram_id=5, name="五", username="")
    await access.remove(manager, "5")
    again = await access.invite(manager, "财务科")
    assert await access.register(again.code, telegram_id=5, name="五", username="") is Registration.OK
    assert (await access.identify(5)).department == "财务科"


def test_roles_are_ordered():
    assert rank(None) < rank("staff") < rank("trainer") < rank("manager")
