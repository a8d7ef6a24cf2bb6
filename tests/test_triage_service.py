"""Triage sessions through the service: answers, back, cancel, stale and forged taps, and a restart."""

from __future__ import annotations

from datetime import date

import pytest

from bot.services.triage import TriageClosed, TriageResult, TriageService, TriageStep
from bot.store import triage as st
from bot.store.db import Store
from bot.verdicts import Verdict


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "desk.db")
    yield s
    s.close()


@pytest.fixture
def service(store):
    return TriageService(store, today=lambda: date(2025, 3, 6))


def index(step: TriageStep, key: str) -> int:
    return [c.key for c in step.choices].index(key)


async def answer(service: TriageService, user: int, step: TriageStep, *keys: str):
    result = step
    for key in keys:
        assert isinstance(result, TriageStep), result
        result = await service.choose(user, result.session_id, result.number, index(result, key))
    return result


async def test_a_walk_to_partial_is_recorded(service, store):
    step = await service.start(7, channel="console")
    assert step.number == 1 and step.step.id == "gov_info" and not step.can_go_back
    result = await answer(service, 7, step, "yes", "yes", "no", "part", "none", "none", "yes")
    assert isinstance(result, TriageResult) and result.outcome.verdict is Verdict.PARTIAL
    assert "判定日期：2025-03-06" in result.summary and "结论：部分公开（区分处理）" in result.summary
    row = await store.run(st.get_session, step.session_id)
    assert row.status == "done" and row.verdict == "partial"
    assert row.choices == ("yes", "yes", "no", "part", "none", "none", "yes")
    assert await service.current(7) is None


async def test_back_undoes_one_answer_and_stays_on_the_first(service):
    step = await service.start(7, channel="console")
    same = await service.back(7, step.session_id, 1)
    assert isinstance(same, TriageStep) and same.number == 1
    third = await answer(service, 7, step, "yes", "yes")
    assert third.step.id == "published" and third.can_go_back
    second = await service.back(7, third.session_id, third.number)
    assert second.step.id == "ours" and second.number == 2
    # Back then a different answer: a new branch.
    ended = await answer(service, 7, second, "other_organ")
    assert isinstance(ended, TriageResult) and ended.outcome.verdict is Verdict.PROCEDURE


async def test_cancel_closes_the_session(service, store):
    step = await service.start(7, channel="telegram")
    step = await answer(service, 7, step, "yes")
    assert await service.cancel(7, step.session_id)
    assert (await store.run(st.get_session, step.session_id)).status == "cancelled"
    assert isinstance(await service.choose(7, step.session_id, 2, 0), TriageClosed)
    assert isinstance(await service.back(7, step.session_id, 2), TriageClosed)
    assert not await service.cancel(7)


async def test_stale_double_and_forged_taps_change_nothing(service, store):
    step = await service.start(7, channel="telegram")
    second = await service.choose(7, step.session_id, 1, index(step, "yes"))
    assert isinstance(second, TriageStep)
    # The same button again (double tap), an old question number, an index out of range, another user.
    assert isinstance(await service.choose(7, step.session_id, 1, 0), TriageClosed)
    assert isinstance(await service.choose(7, step.session_id, 2, 99), TriageClosed)
    assert isinstance(await service.choose(8, step.session_id, 2, 0), TriageClosed)
    assert isinstance(await service.choose(7, 999, 1, 0), TriageClosed)
    assert isinstance(await service.back(8, step.session_id, 2), TriageClosed)
    assert not await service.cancel(8, step.session_id)
    assert (await store.run(st.get_session, step.session_id)).choices == ("yes",)


async def test_starting_again_cancels_the_open_session(service, store):
    first = await service.start(7, channel="console")
    second = await service.start(7, channel="console", question_id=42)
    assert (await store.run(st.get_session, first.session_id)).status == "cancelled"
    assert isinstance(await service.choose(7, first.session_id, 1, 0), TriageClosed)
    ended = await answer(service, 7, second, "yes", "yes", "yes")
    assert isinstance(ended, TriageResult) and ended.question_id == 42
    assert ended.outcome.verdict is Verdict.PROACTIVE


async def test_a_session_survives_a_restart(tmp_path):
    path = tmp_path / "desk.db"
    store = Store(path)
    step = await answer(TriageService(store), 7, await TriageService(store).start(7, channel="telegram"), "yes", "yes")
    store.close()
    store = Store(path)
    try:
        service = TriageService(store)
        resumed = await service.current(7)
        assert resumed is not None and resumed.session_id == step.session_id and resumed.step.id == "published"
        ended = await service.choose(7, resumed.session_id, resumed.number, index(resumed, "yes"))
        assert isinstance(ended, TriageResult)
    finally:
        store.close()


async def test_a_session_the_tree_no_longer_fits_is_closed(service, store):
    step = await service.start(7, channel="console")
    assert await store.run(st.update_session, step.session_id, expected=(), choices=("retired_key",))
    assert await service.current(7) is None
    assert isinstance(await service.choose(7, step.session_id, 2, 0), TriageClosed)
