"""Trainers' morning digest of open gaps: sent at the reminder hour, once a day per trainer."""

from datetime import timedelta

from bot.telegram import gaps_digest
from bot.telegram.pacing import GATE_KEY, FloodGate
from tests.gapfixture import EXAM
from tests.quizfixture import Clock


async def test_trainers_hear_about_open_gaps_once_a_day(harness):
    clock = Clock()  # Monday 09:00 in Shanghai
    harness.core.quizzes.clock = clock
    harness.app.bot_data[GATE_KEY] = FloodGate(per_chat_s=0)  # the next "day" comes a moment later here
    trainer = await harness.member(3001, "trainer")
    staff = await harness.member(2001, "staff")
    assert await gaps_digest.send_digest(harness.app) == 0  # nothing open: nothing said
    for text in EXAM[10:13]:
        await harness.send_text(staff, text)
    assert await gaps_digest.send_digest(harness.app) == 1
    line = harness.last(trainer).plain
    assert line.startswith("早上好。目前有 3 条问题还没有答案（1 组）") and "/gaps" in line
    assert await gaps_digest.send_digest(harness.app) == 0  # a restart the same morning says nothing new
    assert not any("早上好" in t for t in harness.texts(staff))
    clock.moment += timedelta(days=1)
    assert await gaps_digest.send_digest(harness.app) == 1


async def test_the_daily_job_is_scheduled_at_start(harness):
    [job] = harness.app.job_queue.get_jobs_by_name(gaps_digest.DIGEST_JOB)
    assert job.next_t is not None
