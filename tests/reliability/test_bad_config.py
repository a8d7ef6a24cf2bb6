"""Bad configuration and content: ``python bot.py`` (a real process) stops at start with ``file:line`` and a
non-zero exit for malformed YAML, unknown keys, wrong types and invalid knowledge or quiz files; /reload
with a broken file keeps serving the old base and says where the problem is."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.kbfixture import write_config
from tests.quizfixture import write_bank
from tests.reliability.helpers import ALL_QUESTIONS, QUIZ_CONFIG
from tests.telegram.fakebot import HARNESS_CONFIG, Harness

ROOT = Path(__file__).resolve().parents[2]
OFFLINE = "telegram:\n  base_url: http://127.0.0.1:9/bot\n  base_file_url: http://127.0.0.1:9/file/bot\n"


def run_bot(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``python bot.py --config CONFIG run`` with a token set (it must stop before going online)."""
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": "123456:TEST-TOKEN"}
    return subprocess.run([sys.executable, "bot.py", "--config", str(config), *(args or ("run",))], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=120)


def config_with(tmp_path: Path, kb_dir: Path, body: str) -> Path:
    path = write_config(tmp_path, kb_dir)  # knowledge_dir, quizzes_dir, database: lines 1-3
    path.write_text(path.read_text(encoding="utf-8") + body, encoding="utf-8")
    return path


@pytest.mark.parametrize(("body", "line", "message"), [
    ("log_level: INFO\nmatching: {answer_threshold: 0.3\n", None, "YAML syntax error"),
    ("log_level: INFO\nloglevel: DEBUG\n", 5, "unknown key 'loglevel'"),
    ("telegram:\n  mode: polling\n  concurrent_updates: many\n", 6, "'telegram.concurrent_updates' must be a whole number"),
    ("telegram:\n  mode: carrier-pigeon\n", 5, "'telegram.mode' must be one of polling, webhook"),
    ("access:\n  managers:\n    - 1001\n    - boss\n", 7, "'access.managers[1]' must be a whole number"),
    ("question_log_days: [30]\n", 4, "'question_log_days' must be a whole number"),
    ("calendar:\n  extra_holidays:\n    - 2026-02-30\n", 6, "calendar.extra_holidays[0]"),
])
def test_bad_config_stops_start_up_with_file_and_line(tmp_path, kb_dir, body, line, message):
    config = config_with(tmp_path, kb_dir, body)
    done = run_bot(config)
    assert done.returncode == 2, done.stderr
    found = re.search(rf"{re.escape(str(config))}:(\d+): ", done.stderr)
    assert found, done.stderr
    if line is not None:
        assert int(found.group(1)) == line, done.stderr
    assert message in done.stderr
    assert "Traceback" not in done.stderr


def test_a_config_that_is_not_a_mapping(tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text("- just\n- a list\n", encoding="utf-8")
    done = run_bot(config)
    assert done.returncode == 2 and f"{config}:1: the top level must be a mapping" in done.stderr, done.stderr


def test_a_yaml_syntax_error_names_its_line(tmp_path, kb_dir):
    config = config_with(tmp_path, kb_dir, "log_level: INFO\ntelegram:\n  mode: polling\n   groups: refuse\n")
    done = run_bot(config)
    assert done.returncode == 2 and re.search(rf"{re.escape(str(config))}:7: YAML syntax error", done.stderr), done.stderr


@pytest.mark.parametrize(("broken", "line", "message"), [
    ("entries:\n  - id: x\n    question: [unclosed\n", 3, ""),
    ("entries:\n  - id: new-entry\n    question: 新的问题\n    verdict: proactive\n    answer: 主动公开。\n"
     "    basis: [reg-999]\n", 2, "reg-999"),  # problems point at the entry's first line
    ("entries:\n  - id: budget-accounts\n    question: 重复的编号\n    verdict: proactive\n    answer: 主动公开。\n"
     "    basis: [reg-20]\n", 2, "budget-accounts"),
])
def test_broken_knowledge_stops_start_up_with_file_and_line(tmp_path, kb_dir, broken, line, message):
    (kb_dir / "entries" / "zz_broken.yaml").write_text(broken, encoding="utf-8")
    done = run_bot(config_with(tmp_path, kb_dir, OFFLINE))
    assert done.returncode == 1, done.stderr
    found = re.search(r"zz_broken\.yaml:(\d+)", done.stderr)
    assert found and int(found.group(1)) == line, done.stderr
    assert message in done.stderr and "Traceback" not in done.stderr


def test_a_broken_quiz_bank_stops_start_up_with_file_and_line(tmp_path, kb_dir):
    write_bank(tmp_path / "quizzes", ALL_QUESTIONS.replace("answer: [2]", "answer: [7]"))
    done = run_bot(config_with(tmp_path, kb_dir, OFFLINE))
    assert done.returncode == 1, done.stderr
    assert re.search(r"demo\.yaml:\d+", done.stderr) and "Traceback" not in done.stderr


def test_check_reports_the_same_problems_without_starting(tmp_path, kb_dir):
    (kb_dir / "entries" / "zz_broken.yaml").write_text("entries:\n  - id: x\n    question: [unclosed\n",
                                                      encoding="utf-8")
    done = run_bot(config_with(tmp_path, kb_dir, ""), "check")
    assert done.returncode == 1 and "zz_broken.yaml:3" in done.stdout


async def test_reload_with_a_broken_file_keeps_the_old_base(tmp_path, kb_dir):
    from bot.config import load_config
    from bot.core import Core

    write_bank(tmp_path / "quizzes", ALL_QUESTIONS)
    core = Core.build(load_config(write_config(tmp_path, kb_dir, HARNESS_CONFIG + QUIZ_CONFIG)))
    try:
        async with Harness.start(core) as h:
            trainer = await h.member(3001, "trainer")
            alice = await h.member(2001)
            await h.send_text(alice, "三公经费要不要公开")
            before = h.last(alice).plain
            engine, banks = core.engine, core.quizzes.banks

            (kb_dir / "entries" / "zz_broken.yaml").write_text("entries:\n  - id: x\n    question: [unclosed\n",
                                                              encoding="utf-8")
            await h.send_text(trainer, "/reload")
            reply = " ".join(h.texts(trainer)[-2:])
            assert "zz_broken.yaml:3" in reply
            assert core.engine is engine and core.quizzes.banks is banks  # nothing swapped
            await h.send_text(alice, "三公经费要不要公开")
            assert h.last(alice).plain == before  # still answering from the old base

            write_bank(tmp_path / "quizzes", ALL_QUESTIONS.replace("answer: [2]", "answer: [7]"))
            (kb_dir / "entries" / "zz_broken.yaml").unlink()
            await h.send_text(trainer, "/reload")
            assert "demo.yaml:" in " ".join(h.texts(trainer)[-2:])
            assert core.engine is engine and core.quizzes.banks is banks  # all or nothing

            write_bank(tmp_path / "quizzes", ALL_QUESTIONS)
            await h.send_text(trainer, "/reload")
            assert "已重新加载" in h.last(trainer).plain and core.engine is not engine
    finally:
        core.close()
