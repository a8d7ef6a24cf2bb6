"""The console chat, driven through a pipe as a user at a terminal would."""

import subprocess
import sys
from pathlib import Path

from bot.store.db import open_database

ROOT = Path(__file__).resolve().parent.parent


def chat(config: Path, lines: list[str]) -> str:
    out = subprocess.run(
        [sys.executable, str(ROOT / "bot.py"), "--config", str(config), "console"],
        input="\n".join(lines) + "\n", capture_output=True, text=True, timeout=120, cwd=ROOT,
    )
    assert out.returncode == 0, out.stderr
    return out.stdout


def test_console_answers_and_logs(config_path, tmp_path):
    out = chat(config_path, ["我们局的预决算要不要挂网", "/bad 没说三公经费", "明天天气怎么样", "/help", "/nosuch"])
    assert "【主动公开】" in out
    assert "发布前提醒" in out
    assert "不属于政府信息公开业务" in out
    assert "/bad" in out and "没有 /nosuch 这个命令" in out
    db = open_database(tmp_path / "desk.db")
    rows = list(db.query("SELECT outcome, verdict FROM questions ORDER BY id"))
    assert [r["outcome"] for r in rows] == ["answered", "out_of_scope"]
    gaps = list(db.query("SELECT reason FROM gaps"))
    assert gaps and gaps[0]["reason"].startswith("unhelpful")


def test_console_suggestions_by_number(config_path):
    out = chat(config_path, ["处罚决定和值班表申请公开", "1"])
    assert out.count("【") >= 2


def test_console_ends_on_eof_and_quit(config_path):
    assert "再见" in chat(config_path, ["/quit", "this is never read"])
    assert "再见" in chat(config_path, [])
