"""Quizzes in the console chat: listing, playing by typed letters, results, and the same store as Telegram."""

import io
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import load_config
from bot.console import Console
from bot.console_quiz import CONSOLE_USER, parse_choice
from bot.core import Core
from bot.quiz.texts import letters
from bot.store.db import open_database
from tests.quizfixture import write_bank

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def quiz_core(tmp_path, config_path):
    write_bank(tmp_path / "quizzes")
    core = Core.build(load_config(config_path))
    yield core
    core.close()


def test_parse_choice():
    assert parse_choice("a", 4) == (0,)
    assert parse_choice("C a", 4) == (0, 2)
    assert parse_choice("1、3", 4) == (0, 2)
    assert parse_choice("对", 2) == (0,) and parse_choice("错", 2) == (1,)
    assert parse_choice("E", 4) is None and parse_choice("好的", 4) is None and parse_choice("", 4) is None


async def test_console_plays_a_quiz_to_the_end(quiz_core):
    out = io.StringIO()
    console = Console(quiz_core, stdin=io.StringIO(), stdout=out)
    await console.handle("/quiz")
    assert "演示测验（demo，5 题抽 3）— 自选练习" in out.getvalue()
    await console.handle("1")
    assert "第 1/3 题" in out.getvalue()
    await console.handle("不是选项")
    assert "请输入选项字母" in out.getvalue()
    for _ in range(3):
        step = await quiz_core.quizzes.start(CONSOLE_USER, "demo")  # resumes: the question on screen
        await console.handle(letters(step.right))
    text = out.getvalue()
    assert text.count("✅ 回答正确") == 3 and "正确答案：" in text and "解析：" in text and "依据：" in text
    assert "得分 100%（答对 3/3）" in text and "✅ 通过" in text and "自选练习" in text
    assert console.handler is None
    await console.handle("/quiz nope")
    assert "没有编号为 nope 的测验" in out.getvalue()


def test_console_quiz_through_a_pipe(tmp_path, config_path):
    write_bank(tmp_path / "quizzes")
    lines = ["/quiz", "1", "A", "B", "A", "/quiz"]
    out = subprocess.run(
        [sys.executable, str(ROOT / "bot.py"), "--config", str(config_path), "console"],
        input="\n".join(lines) + "\n", capture_output=True, text=True, timeout=120, cwd=ROOT,
    )
    assert out.returncode == 0, out.stderr
    assert "第 3/3 题" in out.stdout and "测验完成" in out.stdout
    db = open_database(tmp_path / "desk.db")
    attempt = list(db.query("SELECT * FROM attempts"))[0]
    assert attempt["finished_at"] and attempt["total"] == 3 and attempt["channel"] == "console"
    assert db.execute("SELECT COUNT(*) FROM attempt_answers WHERE answered_at IS NOT NULL").fetchone()[0] == 3
