"""Scoring: exact sets, pass marks on exact fractions."""

from bot.quiz.bank import load_banks
from bot.quiz.scoring import is_correct, score
from tests.quizfixture import RULE_IDS, write_bank


def test_multiple_choice_needs_exactly_the_key(tmp_path):
    question = load_banks(write_bank(tmp_path / "q"), RULE_IDS).question("demo-02")  # key {0, 1, 2}
    assert is_correct(question, [2, 0, 1])
    assert not is_correct(question, [0, 1])  # missing one
    assert not is_correct(question, [0, 1, 2, 3])  # one too many
    assert not is_correct(question, [])


def test_pass_mark_on_the_exact_fraction():
    assert score([True, True, False], 60).passed  # 66.7 %
    assert not score([True, False, False], 34).passed  # 33.3 % < 34 though it rounds to 33
    s = score([True] * 8 + [False] * 2, 80)
    assert (s.correct, s.total, s.percent, s.passed) == (8, 10, 80, True)
    assert not score([True] * 7 + [False] * 3, 80).passed
    assert score([], 80).percent == 0 and not score([], 80).passed
