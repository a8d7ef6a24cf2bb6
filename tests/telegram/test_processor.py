"""Per-user serialisation: one user's updates never overlap; different users' updates do."""

import asyncio

from telegram import Update

from bot.telegram.processor import PerUserUpdateProcessor


def update(update_id: int, user_id: int) -> Update:
    return Update.de_json({"update_id": update_id, "message": {
        "message_id": update_id, "date": 0, "text": "x",
        "from": {"id": user_id, "is_bot": False, "first_name": "u"},
        "chat": {"id": user_id, "type": "private"},
    }}, None)


async def run(users: list[int]) -> tuple[list[tuple[str, int]], int]:
    processor = PerUserUpdateProcessor(16)
    events: list[tuple[str, int]] = []
    running: set[int] = set()
    peak = 0

    async def work(n: int, user: int) -> None:
        nonlocal peak
        events.append(("start", n))
        running.add(n)
        peak = max(peak, len(running))
        await asyncio.sleep(0.01)
        running.discard(n)
        events.append(("end", n))

    await asyncio.gather(*(processor.process_update(update(n, u), work(n, u)) for n, u in enumerate(users)))
    assert not processor._locks and not processor._users  # idle users are forgotten
    return events, peak


async def test_same_user_runs_one_at_a_time_in_order():
    events, peak = await run([7, 7, 7, 7])
    assert peak == 1
    assert events == [(kind, n) for n in range(4) for kind in ("start", "end")]


async def test_different_users_run_concurrently():
    _, peak = await run([1, 2, 3, 4])
    assert peak == 4
