"""Quiz banks: the documented format loads into typed models; every mistake is a file:line problem."""

import re
from pathlib import Path

import pytest

from bot.quiz.bank import QuestionType, QuizError, check_banks, load_banks, read_banks
from bot.verdicts import Verdict
from tests.quizfixture import DEMO, RULE_IDS, write_bank

ROOT = Path(__file__).resolve().parent.parent


def test_demo_bank_loads_typed(tmp_path):
    banks = load_banks(write_bank(tmp_path / "q"), RULE_IDS)
    quiz = banks.get("demo")
    assert (quiz.title, quiz.pass_mark, quiz.draw, quiz.due_days, quiz.max_attempts) == ("演示测验", 60, 3, 7, 2)
    assert [q.type for q in quiz.questions][:3] == [QuestionType.SINGLE, QuestionType.MULTIPLE, QuestionType.TRUE_FALSE]
    tf = banks.question("demo-03")
    assert tf.options == ("对", "错") and tf.answer == {0}
    assert banks.question("demo-05").answer == {1}
    assert banks.question("demo-02").answer == {0, 1, 2}
    assert banks.question("demo-04").verdict is Verdict.PROACTIVE
    assert banks.question("demo-04").source.endswith("demo.yaml:31")


def problems_for(tmp_path, text, rule_ids=RULE_IDS):
    return [str(p) for p in check_banks(write_bank(tmp_path / "q", text), rule_ids)]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("answer: [2]\n", "answer: [4]\n", "answer index 4 is out of range"),
        ("answer: [0, 1, 2]", "answer: [1]", "multiple-choice question needs at least 2 correct"),
        ("type: single\n    stem: 依申请", "type: essay\n    stem: 依申请", "unknown type 'essay'"),
        ("answer: [true]", "answer: [1]", "true_false answer must be [true] or [false]"),
        ("basis: [reg-33]", "basis: [reg-99]", "unknown rule 'reg-99'"),
        ("verdict: proactive", "verdict: public", "unknown verdict 'public'"),
        ("verdict: proactive", "verdict: must_not", "the correct option should read '不予公开'"),
        ("draw: 3", "draw: 6", "draw 6 is more than its 5 valid questions"),
        ("pass_mark: 60", "pass_mark: 160", "'pass_mark' must be a whole number 1-100"),
        ("- id: demo-02", "- id: demo-01", "duplicate question id 'demo-01'"),
        ("explanation: 第十六条。", "explanation: ''", "empty explanation"),
        ("options: [依申请公开, 主动公开, 不予公开]", "options: [主动公开, 主动公开, 不予公开]", "two options are the same"),
        ("    basis: [reg-14]\n", "    basis: [reg-14]\n    hint: 无\n", "unknown field 'hint'"),
        ("answer: [2]\n", "answer: [true]\n", "'answer' must be a list of 0-based option indexes"),
    ],
)
def test_each_mistake_is_reported_with_its_line(tmp_path, old, new, message):
    assert old in DEMO
    found = problems_for(tmp_path, DEMO.replace(old, new, 1))
    assert any(message in p for p in found), found
    assert all(re.match(r"^.+demo\.yaml:\d+: ", p) for p in found), found  # path:line: message


def test_line_points_at_the_question(tmp_path):
    (problem,) = problems_for(tmp_path, DEMO.replace("basis: [reg-33]", "basis: [reg-99]"))
    assert problem.startswith(str(tmp_path / "q" / "demo.yaml") + ":10: question demo-01")


def test_ids_unique_across_banks_and_syntax_errors(tmp_path):
    folder = write_bank(tmp_path / "q")
    write_bank(folder, DEMO.replace("id: demo\n", "id: demo2\n"), name="copy.yaml")
    write_bank(folder, "quiz: [unclosed\n", name="broken.yaml")
    found = [str(p) for p in check_banks(folder, RULE_IDS)]
    assert any("demo.yaml" in p and "duplicate question id 'demo-01' (also in" in p for p in found)
    assert any("broken.yaml" in p and "YAML syntax error" in p for p in found)
    banks, _ = read_banks(folder, RULE_IDS)
    assert set(banks.quizzes) == {"demo2"}  # copy.yaml sorts first; demo.yaml keeps no valid question


def test_load_raises_listing_problems(tmp_path):
    with pytest.raises(QuizError) as err:
        load_banks(write_bank(tmp_path / "q", DEMO.replace("answer: [2]", "answer: [9]")), RULE_IDS)
    assert "out of range" in str(err.value)


def test_missing_folder_is_no_banks(tmp_path):
    assert load_banks(tmp_path / "nothing").quizzes == {}


def test_bundled_banks_have_the_documented_shape():
    banks, problems = read_banks(ROOT / "quizzes")  # rule ids are checked by `bot.py check` against knowledge/
    assert not problems, "\n".join(map(str, problems[:30]))
    assert {"basics", "applications", "attributes"} <= set(banks.quizzes)
    assert len(banks.questions()) >= 80
