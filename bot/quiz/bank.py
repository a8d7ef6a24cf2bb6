"""Quiz banks: quizzes/*.yaml → typed, frozen Quiz and Question, with `file:line` problems.

The format is docs/knowledge-format.md, section quizzes/*.yaml. A true/false question has the implied
options 对 (index 0) and 错 (index 1); its answer ``[true]`` is stored as index 0, ``[false]`` as 1.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from bot.content.knowledge import ID_PATTERN, KnowledgeError
from bot.content.yamlfile import Problem, line_of, read_yaml, text_of, unknown_keys
from bot.verdicts import Verdict, parse_verdict

TRUE_FALSE_OPTIONS = ("对", "错")
QUIZ_KEYS = {"id", "title", "description", "pass_mark", "draw", "due_days", "max_attempts"}
QUESTION_KEYS = {"id", "type", "stem", "options", "answer", "explanation", "basis", "verdict"}
MAX_OPTIONS = 8  # buttons A-H; more would not fit a phone screen


class QuestionType(StrEnum):
    SINGLE = "single"
    MULTIPLE = "multiple"
    TRUE_FALSE = "true_false"


@dataclass(frozen=True)
class Question:
    id: str
    quiz_id: str
    type: QuestionType
    stem: str
    options: tuple[str, ...]
    answer: frozenset[int]  # 0-based indexes into ``options``
    explanation: str
    basis: tuple[str, ...]
    verdict: Verdict | None = None
    source: str = ""

    @property
    def answer_texts(self) -> tuple[str, ...]:
        return tuple(self.options[i] for i in sorted(self.answer))


@dataclass(frozen=True)
class Quiz:
    id: str
    title: str
    description: str
    pass_mark: int  # percent
    draw: int  # questions per attempt
    due_days: int
    max_attempts: int
    questions: tuple[Question, ...]
    source: str = ""

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)


@dataclass(frozen=True)
class Banks:
    """Every loaded quiz by id; replaced as a whole on reload."""

    quizzes: dict[str, Quiz]

    def get(self, quiz_id: str) -> Quiz | None:
        return self.quizzes.get(quiz_id)

    def question(self, question_id: str) -> Question | None:
        for quiz in self.quizzes.values():
            found = quiz.question(question_id)
            if found is not None:
                return found
        return None

    def questions(self) -> list[Question]:
        return [q for quiz in self.quizzes.values() for q in quiz.questions]


class QuizError(KnowledgeError):
    """The quiz banks have problems (a content error, reported like the knowledge base's)."""


def load_banks(root: Path, rule_ids: set[str] | None = None) -> Banks:
    """The validated banks under ``root``; raises QuizError listing every problem."""
    banks, problems = read_banks(root, rule_ids)
    if problems:
        raise QuizError(problems)
    return banks


def check_banks(quizzes_dir: Path, rule_ids: set[str]) -> list[Problem]:
    """Every problem in the banks, including basis ids that are not among ``rule_ids``."""
    return read_banks(quizzes_dir, rule_ids)[1]


def read_banks(root: Path, rule_ids: set[str] | None = None) -> tuple[Banks, list[Problem]]:
    """Read every bank, collect every problem; ``rule_ids=None`` skips the basis cross-check."""
    problems: list[Problem] = []
    quizzes: dict[str, Quiz] = {}
    seen_questions: dict[str, str] = {}
    for path in sorted(root.glob("*.yaml")) if root.is_dir() else []:
        quiz = _bank(path, rule_ids, seen_questions, problems)
        if quiz is None:
            continue
        if quiz.id in quizzes:
            problems.append(Problem(str(path), _line(quiz.source), f"duplicate quiz id '{quiz.id}' (also in {quizzes[quiz.id].source})"))
            continue
        quizzes[quiz.id] = quiz
    return Banks(quizzes=quizzes), problems


def _line(source: str) -> int:
    return int(source.rsplit(":", 1)[1]) if ":" in source else 1


def _bank(path: Path, rule_ids: set[str] | None, seen: dict[str, str], problems: list[Problem]) -> Quiz | None:
    data = read_yaml(path, problems)
    if data is None:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("quiz"), dict) or not isinstance(data.get("questions"), list):
        problems.append(Problem(str(path), line_of(data), "expected a 'quiz:' mapping and a 'questions:' list"))
        return None
    unknown_keys(path, data, {"quiz", "questions"}, problems)
    head = data["quiz"]
    unknown_keys(path, head, QUIZ_KEYS, problems)
    where = line_of(head)
    quiz_id = head.get("id")
    ok = True
    if not isinstance(quiz_id, str) or not ID_PATTERN.match(quiz_id):
        problems.append(Problem(str(path), where, f"bad or missing quiz id {quiz_id!r} (use a-z, 0-9, -)"))
        ok = False
    title = text_of(head, "title")
    if not title:
        problems.append(Problem(str(path), where, f"quiz {quiz_id}: empty title"))
        ok = False
    numbers = {}
    for key, low, high in (("pass_mark", 1, 100), ("draw", 1, 1000), ("due_days", 1, 3650), ("max_attempts", 1, 100)):
        value = head.get(key)
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            problems.append(Problem(str(path), where, f"quiz {quiz_id}: '{key}' must be a whole number {low}-{high}"))
            ok = False
        numbers[key] = value
    questions: list[Question] = []
    for item in data["questions"]:
        if not isinstance(item, dict):
            problems.append(Problem(str(path), line_of(data), "each of 'questions' must be a mapping"))
            continue
        question = _question(path, item, str(quiz_id), rule_ids, problems)
        if question is None:
            continue
        if question.id in seen:
            problems.append(Problem(str(path), line_of(item), f"duplicate question id '{question.id}' (also in {seen[question.id]})"))
            continue
        seen[question.id] = question.source
        questions.append(question)
    if ok and numbers["draw"] > len(questions):
        problems.append(Problem(str(path), where, f"quiz {quiz_id}: draw {numbers['draw']} is more than its {len(questions)} valid questions"))
        ok = False
    if not ok:
        return None
    return Quiz(
        id=quiz_id, title=title, description=text_of(head, "description"), pass_mark=numbers["pass_mark"],
        draw=numbers["draw"], due_days=numbers["due_days"], max_attempts=numbers["max_attempts"],
        questions=tuple(questions), source=f"{path}:{where}",
    )


def _question(path: Path, item: dict, quiz_id: str, rule_ids: set[str] | None, problems: list[Problem]) -> Question | None:
    unknown_keys(path, item, QUESTION_KEYS, problems)
    where = line_of(item)
    before = len(problems)

    def bad(message: str) -> None:
        problems.append(Problem(str(path), where, f"question {ident}: {message}"))

    ident = item.get("id")
    if not isinstance(ident, str) or not ID_PATTERN.match(ident):
        problems.append(Problem(str(path), where, f"bad or missing question id {ident!r} (use a-z, 0-9, -)"))
    kind = item.get("type")
    if kind not in {t.value for t in QuestionType}:
        bad(f"unknown type {kind!r} (single, multiple or true_false)")
        return None
    kind = QuestionType(kind)
    stem, explanation = text_of(item, "stem"), text_of(item, "explanation")
    if not stem:
        bad("empty stem")
    if not explanation:
        bad("empty explanation")
    options = _options(kind, item.get("options"), bad)
    answer = _answer(kind, item.get("answer"), len(options), bad)
    basis = item.get("basis")
    if not isinstance(basis, list) or not basis or not all(isinstance(b, str) and b for b in basis):
        bad("'basis' must be a non-empty list of rule ids")
        basis = []
    elif rule_ids is not None:
        for rid in basis:
            if rid not in rule_ids:
                bad(f"unknown rule '{rid}' in basis")
    verdict = None
    if item.get("verdict") is not None:
        verdict = parse_verdict(item["verdict"])
        if verdict is None:
            bad(f"unknown verdict {item['verdict']!r}")
        elif kind is not QuestionType.SINGLE:
            bad("a question keyed by a verdict must be of type single")
        elif answer and options[min(answer)] not in (verdict.label, verdict.label.split("（")[0]):
            bad(f"verdict {verdict.value}: the correct option should read '{verdict.label}'")
    if len(problems) > before:
        return None
    return Question(
        id=ident, quiz_id=quiz_id, type=kind, stem=stem, options=options, answer=answer,
        explanation=explanation, basis=tuple(basis), verdict=verdict, source=f"{path}:{where}",
    )


def _options(kind: QuestionType, value: Any, bad) -> tuple[str, ...]:
    if kind is QuestionType.TRUE_FALSE:
        if value is not None:
            bad("true_false questions have no options (对/错 are implied)")
        return TRUE_FALSE_OPTIONS
    if not isinstance(value, list) or not all(isinstance(v, str | int | float) and str(v).strip() for v in value):
        bad("'options' must be a list of non-empty texts")
        return ()
    options = tuple(str(v).strip() for v in value)
    if not 2 <= len(options) <= MAX_OPTIONS:
        bad(f"needs 2-{MAX_OPTIONS} options, has {len(options)}")
    if len(set(options)) != len(options):
        bad("two options are the same")
    return options


def _answer(kind: QuestionType, value: Any, n_options: int, bad) -> frozenset[int]:
    if kind is QuestionType.TRUE_FALSE:
        if not (isinstance(value, list) and len(value) == 1 and isinstance(value[0], bool)):  # 1 == True in Python
            bad("true_false answer must be [true] or [false]")
            return frozenset()
        return frozenset({0 if value[0] else 1})
    if not isinstance(value, list) or not value or not all(isinstance(v, int) and not isinstance(v, bool) for v in value):
        bad("'answer' must be a list of 0-based option indexes")
        return frozenset()
    if len(set(value)) != len(value):
        bad("an answer index is repeated")
    out_of_range = [v for v in value if not 0 <= v < n_options]
    if out_of_range and n_options:
        bad(f"answer index {out_of_range[0]} is out of range (options 0-{n_options - 1})")
        return frozenset()
    if kind is QuestionType.SINGLE and len(value) != 1:
        bad("a single-choice question has exactly one correct option")
    if kind is QuestionType.MULTIPLE and len(set(value)) < 2:
        bad("a multiple-choice question needs at least 2 correct options")
    return frozenset(value)


