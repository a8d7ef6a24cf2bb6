"""Taking quizzes through the service: assignments, attempts, idempotent answers, results, restarts."""

import random

import pytest

from bot.config import QuizConfig
from bot.quiz.bank import QuestionType, load_banks
from bot.quiz.models import AssignmentStatus
from bot.services.quizzes import Answered, AttemptResult, QuestionStep, QuizService, Refusal, Refused
from bot.store import quizzes as q
from bot.store.db import Store
from tests.quizfixture import DEMO, RULE_IDS, Clock, write_bank

USER, OTHER = 101, 202


@pytest.fixture
def banks(tmp_path):
    return load_banks(write_bank(tmp_path / "quizzes"), RULE_IDS)


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "desk.db")
    yield s
    s.close()


@pytest.fixture
def service(banks, store):
    return QuizService(banks, store, QuizConfig(onboarding=["demo"]), clock=Clock(), rng=random.Random(7))


async def answer_all(service, step, *, right=True):
    """Answer every remaining question (right or wrong) and return the last Answered."""
    answered = None
    while isinstance(step, QuestionStep):
        answered = await service.answer(USER, step.attempt_id, step.position, pick(step, right))
        assert isinstance(answered, Answered), answered
        step = answered.next
    return answered


def pick(step: QuestionStep, right: bool) -> tuple[int, ...]:
    if right:
        return step.right
    wrong = [i for i in range(len(step.options)) if i not in step.right]
    return (wrong[0],)


async def test_assigned_quiz_taken_to_a_pass(service, store):
    assignment, created = await service.assign(USER, "demo", by=9)
    assert created and assignment.due_on.isoformat() == "2026-03-09"  # Shanghai day + due_days 7
    listing = await service.overview(USER)
    assert [(item.quiz.id, item.assignment is not None, item.attempts_left) for item in listing] == [("demo", True, 2)]
    step = await service.start(USER, "demo", channel="test")
    assert isinstance(step, QuestionStep) and (step.position, step.total) == (0, 3)
    done = await answer_all(service, step)
    result = done.result
    assert isinstance(result, AttemptResult)
    assert (result.score.correct, result.score.total, result.score.passed, result.missed) == (3, 3, True, ())
    assert not result.can_retry
    stored = await store.run(q.get_assignment, assignment.id)
    assert stored.status is AssignmentStatus.PASSED and stored.best_score == 100 and stored.attempts_used == 1


async def test_answers_count_once_and_foreign_or_stale_ones_are_refused(service, store):
    await service.assign(USER, "demo")
    step = await service.start(USER, "demo")
    first = await service.answer(USER, step.attempt_id, 0, pick(step, False))
    assert not first.feedback.correct and not first.feedback.already
    again = await service.answer(USER, step.attempt_id, 0, pick(step, True))  # a second tap, now "right"
    assert again.feedback.already and not again.feedback.correct
    assert again.next.position == 1
    # someone else's attempt, a position not reached yet, and an unknown attempt look alike: closed
    for user, attempt_id, position in ((OTHER, step.attempt_id, 1), (USER, step.attempt_id, 2), (USER, 999, 0)):
        refused = await service.answer(user, attempt_id, position, (0,))
        assert refused == Refused(Refusal.CLOSED, "此题已关闭")
    done = await answer_all(service, again.next)
    assert done.result.score.correct == 2  # the first question counted once, as wrong
    late = await service.answer(USER, step.attempt_id, 0, (0,))
    assert isinstance(late, Refused) and late.reason is Refusal.CLOSED
    rows = await store.run(q.attempt_answers, step.attempt_id)
    assert [r.correct for r in rows].count(False) == 1


async def test_single_choice_takes_one_option(service):
    step = await service.start(USER, "demo")
    assert (await service.answer(USER, step.attempt_id, step.position, ())).reason is Refusal.EMPTY_SELECTION
    if step.question.type is not QuestionType.MULTIPLE:
        assert (await service.answer(USER, step.attempt_id, step.position, (0, 1))).reason is Refusal.EMPTY_SELECTION


async def test_multiple_choice_toggles_survive_a_restart(tmp_path, banks):
    text = DEMO.replace("draw: 3", "draw: 1")
    banks = load_banks(write_bank(tmp_path / "multi", text.replace("type: single", "type: multiple").replace(
        "answer: [2]\n", "answer: [1, 2]\n").replace("answer: [1]\n    explanation: 预算法", "answer: [0, 1]\n    explanation: 预算法").replace(
        "    verdict: proactive\n", "").replace("type: true_false", "type: multiple\n    options: [甲, 乙]").replace(
        "answer: [true]", "answer: [0, 1]").replace("answer: [false]", "answer: [0, 1]")), RULE_IDS)
    path = tmp_path / "restart.db"
    store = Store(path)
    service = QuizService(banks, store, clock=Clock(), rng=random.Random(3))
    step = await service.start(USER, "demo")
    assert step.question.type is QuestionType.MULTIPLE
    for shown in step.right:
        step = await service.toggle(USER, step.attempt_id, step.position, shown)
    wrong = next(i for i in range(len(step.options)) if i not in step.right)
    step = await service.toggle(USER, step.attempt_id, step.position, wrong)
    step = await service.toggle(USER, step.attempt_id, step.position, wrong)  # untick
    assert (await service.toggle(OTHER, step.attempt_id, step.position, 0)).reason is Refusal.CLOSED
    store.close()

    store = Store(path)  # a new process on the same file
    service = QuizService(banks, store, clock=Clock())
    resumed = await service.start(USER, "demo")
    assert (resumed.attempt_id, resumed.position, resumed.selected) == (step.attempt_id, 0, tuple(sorted(step.right)))
    assert resumed.options == step.options  # the stored shuffle, not a new one
    done = await service.answer(USER, resumed.attempt_id, 0)  # submit the stored selection
    assert done.feedback.correct and done.result.score.passed
    store.close()


async def test_restart_mid_quiz_loses_nothing_and_counts_nothing_twice(tmp_path, banks):
    path = tmp_path / "kill.db"
    store = Store(path)
    service = QuizService(banks, store, clock=Clock(), rng=random.Random(1))
    await service.assign(USER, "demo")
    step = await service.start(USER, "demo")
    answered = await service.answer(USER, step.attempt_id, 0, pick(step, True))
    store.close()  # "killed" after the first answer

    store = Store(path)
    service = QuizService(banks, store, clock=Clock(), rng=random.Random(2))
    listing = await service.overview(USER)
    assert listing[0].open_attempt.id == step.attempt_id
    resumed = await service.start(USER, "demo")
    assert (resumed.attempt_id, resumed.position) == (step.attempt_id, 1)
    assert resumed.question.id == answered.next.question.id
    replay = await service.answer(USER, step.attempt_id, 0, pick(step, True))  # the old button once more
    assert replay.feedback.already
    done = await answer_all(service, resumed)
    assert (done.result.score.correct, done.result.score.total) == (3, 3)
    store.close()


async def test_finish_interrupted_after_the_last_answer_is_completed_once(service, store):
    await service.assign(USER, "demo")
    step = await service.start(USER, "demo")
    for position in range(step.total):  # every answer written, then the process died before finishing
        assert await store.run(q.record_answer, step.attempt_id, position, (0,), False, "2026-03-02T01:00:00+00:00")
    result = await service.current(USER, step.attempt_id)
    assert isinstance(result, AttemptResult) and result.score.correct == 0 and len(result.missed) == 3
    again = await service.current(USER, step.attempt_id)
    assert again.score == result.score
    assignment = await store.run(q.open_assignment, USER, "demo")
    assert assignment.attempts_used == 1


async def test_retry_while_attempts_remain_then_failed(service, store):
    assignment, _ = await service.assign(USER, "demo")
    step = await service.start(USER, "demo")
    first = (await answer_all(service, step, right=False)).result
    assert not first.score.passed and first.can_retry and first.attempts_left == 1
    first_questions = {r.question_id for r in await store.run(q.attempt_answers, step.attempt_id)}
    step = await service.retry(USER, step.attempt_id)
    second_questions = {r.question_id for r in await store.run(q.attempt_answers, step.attempt_id)}
    assert len(second_questions - first_questions) == 2  # the 2 unseen questions are used
    second = (await answer_all(service, step, right=False)).result
    assert not second.can_retry and second.attempts_left == 0
    assert (await service.retry(USER, step.attempt_id)).reason is Refusal.NO_ATTEMPTS
    assert (await store.run(q.get_assignment, assignment.id)).status is AssignmentStatus.FAILED
    # a new push after a failure opens a fresh assignment with fresh attempts
    fresh, created = await service.assign(USER, "demo")
    assert created and fresh.id != assignment.id and fresh.attempts_used == 0


async def test_practice_without_assignment_is_unlimited_and_off_the_record(service, store):
    for _ in range(3):
        step = await service.start(USER, "demo")
        result = (await answer_all(service, step, right=False)).result
        assert result.assignment is None and result.can_retry and result.attempts_left is None
    assert await store.run(q.user_assignments, USER) == []


async def test_second_assign_keeps_the_open_assignment(service):
    first, created = await service.assign(USER, "demo")
    again, created_again = await service.assign(USER, "demo")
    assert created and not created_again and again.id == first.id and again.due_on == first.due_on
    from datetime import date
    moved, _ = await service.assign(USER, "demo", due_on=date(2026, 4, 1))
    assert moved.id == first.id and moved.due_on == date(2026, 4, 1)
    assert (await service.assign(USER, "demo", due_on=date(2026, 1, 1))).reason is Refusal.BAD_DUE
    assert (await service.assign(USER, "nope")).reason is Refusal.UNKNOWN_QUIZ


async def test_question_withdrawn_from_the_bank_is_voided(tmp_path, service, store):
    step = await service.start(USER, "demo")
    remaining = {r.question_id for r in await store.run(q.attempt_answers, step.attempt_id)} - {step.question.id}
    gone = sorted(remaining)[0]
    kept = DEMO.split("  - id: ")
    text = "  - id: ".join(part for part in kept if not part.startswith(gone + "\n"))
    service.banks = load_banks(write_bank(tmp_path / "reloaded", text.replace("draw: 3", "draw: 2")), RULE_IDS)
    done = await answer_all(service, step)
    assert (done.result.score.correct, done.result.score.total) == (2, 2)
