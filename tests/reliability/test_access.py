"""Access: every command of the registry × every role (and nobody) × private and group chat; forged buttons
for another person's question or attempt; invitation codes that cannot be guessed, expire and honour
their use limit; unregistered people in groups get nothing at all."""

from __future__ import annotations

import math
import re
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from bot.services.access import CODE_BYTES, AccessService, Registration, rank
from bot.telegram import texts
from bot.telegram.registry import REGISTRY
from tests.quizfixture import add_user
from tests.reliability.helpers import ALICE, BOB, MARK, alice_rows, setup_world
from tests.telegram.fakebot import Harness, html_to_text

ACTORS = (None, "staff", "trainer", "manager")
REFUSALS = {texts.NOT_REGISTERED, texts.PRIVATE_ONLY}
ROLE_REFUSAL = re.compile(re.escape(texts.ROLE_REQUIRED).replace(r"\{role\}", ".+").replace(r"\{current\}", ".+"))
SIDE_TABLES = ("users", "invitations", "assignments", "notifications", "reassignments", "cases", "triage_sessions")


def counts(h: Harness) -> dict[str, int]:
    def read(db):
        return {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in SIDE_TABLES if t in db.table_names()}

    return h.core.store.run_sync(read)


def expectation(command, actor: str | None, group: bool) -> str:
    """What a person should get: nothing, the not-registered refusal, the role refusal, private-only, or the
    command's own answer."""
    if actor is None:
        return "nothing" if group else "not registered"
    if rank(actor) < rank(command.role):
        return "role"
    if group and command.private:
        return "private only"
    return "runs"


@pytest.mark.parametrize("group", [False, True], ids=["private", "group"])
@pytest.mark.parametrize("actor", ACTORS, ids=[a or "unregistered" for a in ACTORS])
async def test_every_command_for_every_role(qh: Harness, actor, group):
    chat = qh.group() if group else None
    user = (await qh.member(2100, actor, username="tester") if actor and actor != "manager"
            else qh.manager if actor == "manager" else qh.user(2100, "陌生人"))
    await qh.member(2200, "staff", username="colleague")  # someone for /role, /remove, /push to name
    seen = []
    for command in REGISTRY.commands:
        expected = expectation(command, actor, group)
        before = counts(qh)
        calls = await qh.send_text(user, f"/{command.name}", chat=chat)
        target = chat.id if chat else user.id
        sent = [c for c in calls if c.method.startswith("send") and int(c.params.get("chat_id", 0)) == target]
        texts_sent = [html_to_text(str(c.params.get("text") or c.params.get("caption") or "")) for c in sent]
        seen.append((command.name, expected, texts_sent[0][:30] if texts_sent else ""))
        if expected == "nothing":
            assert calls == [], f"/{command.name}: an unregistered person in a group got {calls}"
            continue
        assert sent, f"/{command.name} as {actor} ({'group' if group else 'private'}): no reply"
        first = texts_sent[0]
        if expected == "not registered":
            assert first == texts.NOT_REGISTERED, (command.name, first)
        elif expected == "role":
            assert ROLE_REFUSAL.fullmatch(first), (command.name, first)
        elif expected == "private only":
            assert first == texts.PRIVATE_ONLY, (command.name, first)
        else:
            assert first not in REFUSALS and not ROLE_REFUSAL.fullmatch(first), (command.name, actor, first)
        if expected != "runs":
            assert counts(qh) == before, f"/{command.name} refused yet changed something"
    assert len(seen) == len(REGISTRY.commands) >= 9


async def test_unregistered_people_in_groups_get_nothing_at_all(harness: Harness):
    group = harness.group()
    stranger = harness.user(4040, "陌生人")
    alice = await harness.member(2001)
    await harness.send_text(alice, "@DisclosureDeskBot 三公经费要不要公开", chat=group)
    data = harness.button(group, "👍")
    before = len(harness.api.calls)
    for text in ("三公经费要不要公开", "@DisclosureDeskBot 三公经费要不要公开", "/help", "/start abc", "/quiz",
                 "/invite 办公室", "/nosuch"):
        await harness.send_text(stranger, text, chat=group)
    await harness.send_text(stranger, "涉密文件能给吗", chat=group, reply_to=harness.last(group))
    for kind in ("sticker", "photo", "voice", "document"):
        await harness.send_media(stranger, kind, chat=group)
    await harness.press(stranger, data, chat=group)
    calls = harness.api.calls[before:]
    assert [c.method for c in calls] == ["answerCallbackQuery"]  # only the spinner is stopped
    assert not calls[0].params.get("text")  # silently
    assert harness.sent(stranger) == []


@pytest.mark.parametrize("button", REGISTRY.buttons, ids=[b.kind for b in REGISTRY.buttons])
async def test_forged_buttons_for_someone_elses_records_are_refused(qh: Harness, button):
    """Bob presses every button kind with Alice's question and attempt ids in every slot."""
    ids = await setup_world(qh)
    bob = qh.user(BOB, "鲍勃", "bob")
    snapshot = await alice_rows(qh)
    alice_messages = len(qh.sent(ALICE))
    theirs = [ids["alice_question"], ids["alice_other_question"], ids["alice_attempt"]]
    pressed = 0
    for slot in range(button.fields):
        for victim in theirs:
            for filler in (0, 1, 2):
                args = [filler] * button.fields
                args[slot] = victim
                await qh.press(bob, ":".join([button.kind, *map(str, args)]))  # fails if unanswered
                pressed += 1
    assert await alice_rows(qh) == snapshot
    assert len(qh.sent(ALICE)) == alice_messages
    for call in qh.api.calls:
        if call.params.get("chat_id") in (BOB, str(BOB)) or call.method == "answerCallbackQuery":
            assert MARK not in str(call.params.get("text", ""))
    assert pressed == 9 * button.fields


async def test_a_quiz_answer_forged_for_another_attempt_is_refused_with_a_message(qh: Harness):
    ids = await setup_world(qh)
    bob = qh.user(BOB, "鲍勃", "bob")
    await qh.press(bob, f"qa:{ids['alice_attempt']}:1:0")
    assert qh.answered()["text"]  # told why, not silently ignored


# -- invitations --------------------------------------------------------------------------------


async def test_invitation_codes_are_unguessable(core):
    """2,000 codes from the service: all distinct, 128 random bits each, characters evenly spread."""
    core.store.run_sync(add_user, 1, role="manager")
    manager = await core.access.identify(1)
    codes = [(await core.access.invite(manager, "办公室")).code for _ in range(2000)]
    assert CODE_BYTES * 8 >= 128
    assert len(set(codes)) == len(codes)
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{22,64}", c) for c in codes)  # fits a /start deep link
    letters = Counter("".join(c[:21] for c in codes))  # the 22nd character carries only 2 bits
    total = sum(letters.values())
    assert len(letters) == 64
    chi2 = sum((n - total / 64) ** 2 / (total / 64) for n in letters.values())
    assert chi2 < 120  # 63 degrees of freedom: p < 0.0001 beyond ~110
    entropy = -sum(n / total * math.log2(n / total) for n in letters.values())
    assert entropy > 5.95  # of 6 bits per character


async def test_the_access_service_draws_codes_from_secrets(core, monkeypatch):
    import secrets

    made = []
    real = secrets.token_urlsafe
    monkeypatch.setattr(secrets, "token_urlsafe", lambda n: made.append(n) or real(n))
    core.store.run_sync(add_user, 1, role="manager")
    manager = await core.access.identify(1)
    first = await core.access.invite(manager, "办公室")
    second = await core.access.invite(manager, "办公室")
    assert made == [CODE_BYTES, CODE_BYTES] and first.code != second.code


async def test_invitations_expire(core):
    core.store.run_sync(add_user, 1, role="manager")
    now = [datetime(2026, 3, 2, tzinfo=UTC)]
    service = AccessService(core.store, core.config.access, clock=lambda: now[0])
    manager = await service.identify(1)
    invitation = await service.invite(manager, "办公室")
    now[0] += timedelta(hours=core.config.access.invite_ttl_hours) - timedelta(seconds=1)
    fresh = await service.invite(manager, "办公室")
    assert await service.register(invitation.code, telegram_id=2, name="甲", username="") is Registration.OK
    now[0] += timedelta(seconds=1)
    assert await service.register(fresh.code, telegram_id=3, name="乙", username="") is Registration.OK
    now[0] += timedelta(hours=core.config.access.invite_ttl_hours)
    assert await service.register(fresh.code, telegram_id=4, name="丙", username="") is Registration.EXPIRED


async def test_an_invitation_honours_its_use_limit_even_when_many_tap_it_at_once(harness: Harness):
    h = harness
    await h.send_text(h.manager, "/invite 办公室")
    code = h.last(h.manager).plain.split("start=")[1].split()[0]
    h.core.store.run_sync(lambda db: db.execute("UPDATE invitations SET max_uses = 3 WHERE code = ?", [code]))
    people = [h.user(5000 + i, f"人{i}") for i in range(12)]
    await h.process_concurrently([{"message": h.text_message(p, f"/start {code}")} for p in people])
    registered = [p for p in people if await h.core.access.identify(p.id) is not None]
    assert len(registered) == 3
    assert all(h.last(p).plain == texts.INVITE_USED_UP for p in people if p not in registered)
    uses = h.core.store.run_sync(lambda db: db.execute("SELECT uses FROM invitations WHERE code = ?",
                                                       [code]).fetchone()[0])
    assert uses == 3


async def test_the_default_invitation_registers_one_person(harness: Harness):
    await harness.send_text(harness.manager, "/invite 办公室")
    code = harness.last(harness.manager).plain.split("start=")[1].split()[0]
    first, second = harness.user(5001), harness.user(5002)
    await harness.send_text(first, f"/start {code}")
    await harness.send_text(second, f"/start {code}")
    assert "欢迎" in harness.last(first).plain and harness.last(second).plain == texts.INVITE_USED_UP
