"""Drawing questions and shuffling options."""

import random
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from bot.quiz.bank import load_banks
from bot.quiz.draw import decode_order, draw_questions, encode_order, shuffle_options, to_original, to_shown
from tests.quizfixture import RULE_IDS, write_bank


def demo(tmp_path: Path):
    return load_banks(write_bank(tmp_path / "q"), RULE_IDS).get("demo")


def test_draw_avoids_the_previous_attempt_when_the_bank_allows(tmp_path):
    quiz = demo(tmp_path)  # 5 questions, draw 3
    for seed in range(30):
        first = draw_questions(quiz, (), random.Random(seed))
        second = draw_questions(quiz, first, random.Random(seed + 1000))
        assert len(first) == len(set(first)) == 3
        # only 2 questions were not drawn: both are used, one repeat fills the third place
        assert len(set(second) - set(first)) == 2 and len(set(second) & set(first)) == 1


def test_draw_without_history_uses_every_question_eventually(tmp_path):
    quiz = demo(tmp_path)
    seen = set()
    for seed in range(40):
        seen.update(draw_questions(quiz, (), random.Random(seed)))
    assert seen == {q.id for q in quiz.questions}


def test_true_false_keeps_its_order_and_others_shuffle(tmp_path):
    quiz = demo(tmp_path)
    assert {shuffle_options(quiz.question("demo-03"), random.Random(s)) for s in range(20)} == {(0, 1)}
    orders = {shuffle_options(quiz.question("demo-01"), random.Random(s)) for s in range(20)}
    assert len(orders) > 1 and all(sorted(o) == [0, 1, 2, 3] for o in orders)


@given(st.permutations(range(6)), st.sets(st.integers(0, 5)))
def test_positions_and_bank_indexes_round_trip(order, shown):
    order = tuple(order)
    assert decode_order(encode_order(order)) == order
    assert set(to_shown(order, to_original(order, shown))) == shown


def test_forged_positions_are_dropped():
    assert to_original((2, 0, 1), [0, 7, -1]) == {2}
