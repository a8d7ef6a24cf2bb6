"""The flood gate for bulk sends: evenly spaced starts, one chat's messages apart, outcomes in order."""

import asyncio
from itertools import pairwise
from types import SimpleNamespace

from bot.services.quiz_push import Delivery
from bot.telegram.pacing import FloodGate, deliver_paced, gate_of


async def starts(gate: FloodGate, chats: list[int]) -> list[float]:
    loop = asyncio.get_running_loop()
    times: list[float] = []

    async def one(chat: int) -> None:
        await gate.wait(chat)
        times.append(loop.time())

    await asyncio.gather(*(one(c) for c in chats))
    return sorted(times)


async def test_starts_are_evenly_spaced():
    times = await starts(FloodGate(per_second=50), list(range(10)))
    gaps = [b - a for a, b in pairwise(times)]
    assert min(gaps) >= 0.02 - 0.003  # no burst: 50 a second means one every 20 ms


async def test_one_chat_waits_between_its_messages_and_others_do_not():
    gate = FloodGate(per_second=1000, per_chat_s=0.1)
    times = await starts(gate, [7, 7, 7])
    assert [round(b - a, 2) >= 0.1 for a, b in pairwise(times)] == [True, True]
    loop = asyncio.get_running_loop()
    before = loop.time()
    await gate.wait(8)  # another chat is not held up by chat 7
    assert loop.time() - before < 0.05
    assert not gate._chat_locks and not gate._chat_waiting  # idle chats are forgotten


class FakePushes:
    """``PushService.deliver``'s contract: send each notice, return what was reached."""

    def __init__(self):
        self.running = 0
        self.peak = 0

    async def deliver(self, notices, send, *, pause):
        assert pause == 0
        reached = []
        for notice in notices:
            self.running += 1
            self.peak = max(self.peak, self.running)
            try:
                await send(notice)
            finally:
                self.running -= 1
            reached.append(notice.person)
        return Delivery(reached=tuple(reached))


async def test_deliver_paced_overlaps_sends_and_keeps_the_order():
    people = [SimpleNamespace(telegram_id=i) for i in range(12)]
    notices = [SimpleNamespace(person=p) for p in people]
    pushes = FakePushes()

    async def send(notice):
        await asyncio.sleep(0.05 if notice.person.telegram_id % 2 else 0.01)  # a slow network, unevenly

    delivery = await deliver_paced(pushes, notices, send, gate=FloodGate(per_second=500), in_flight=4)
    assert list(delivery.reached) == people
    assert 1 < pushes.peak <= 4


def test_one_gate_per_application():
    app = SimpleNamespace(bot_data={})
    assert gate_of(app) is gate_of(app)
