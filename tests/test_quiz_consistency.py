"""Quiz and answers never disagree: every scenario question keyed by a verdict, asked of the answer engine
over the bundled knowledge base, must get that verdict."""

from pathlib import Path

import pytest

from bot.config import load_config
from bot.content.knowledge import KnowledgeError
from bot.core import load_engine
from bot.quiz.bank import read_banks

ROOT = Path(__file__).resolve().parent.parent


def test_quiz_and_answers_never_disagree():
    config = load_config(ROOT / "config.yaml")
    entries = config.path(config.knowledge_dir) / "entries"
    if not any(entries.glob("*.yaml")):
        pytest.skip("knowledge/entries is still empty: no answers to compare the quiz keys with")
    banks, problems = read_banks(config.path(config.quizzes_dir))
    assert not problems, "\n".join(map(str, problems[:20]))
    keyed = [q for q in banks.questions() if q.verdict is not None]
    assert keyed, "no quiz question is keyed by a verdict"
    try:
        engine = load_engine(config)
    except KnowledgeError as exc:
        pytest.fail(f"the bundled knowledge base does not load ({len(exc.problems)} problems), first: {exc.problems[0]}")
    disagreements = []
    for question in keyed:
        answer = engine.ask(question.stem)
        if answer.verdict is not question.verdict:
            got = answer.verdict.value if answer.verdict else f"no answer ({answer.outcome.value})"
            entry = answer.entry.id if answer.entry else "-"
            disagreements.append(f"{question.source}: {question.id} key {question.verdict.value}, engine {got} "
                                 f"(entry {entry}, confidence {answer.confidence:.2f}): {question.stem}")
    assert not disagreements, f"{len(disagreements)} of {len(keyed)} keyed questions disagree:\n" + "\n".join(disagreements)
