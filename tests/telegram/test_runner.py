"""The runner in a real process: polling and webhook against the fake Bot API, stopped by SIGTERM."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from bot.config import load_config
from bot.telegram.runner import run_bot
from tests.kbfixture import write_config
from tests.telegram.fakebot import HARNESS_CONFIG, MANAGER_ID

ROOT = Path(__file__).resolve().parents[2]


def start(config: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.telegram.serve_fake", str(config)], cwd=ROOT,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def wait_for(proc: subprocess.Popen[str], prefix: str, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if line.startswith(prefix):
            return line
        if not line and proc.poll() is not None:
            break
    proc.kill()
    raise AssertionError(f"no {prefix!r} from the bot; stderr:\n{proc.stderr.read()}")


def stop(proc: subprocess.Popen[str]) -> str:
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert "CLOSED" in out, err
    return err


def test_polling_answers_and_stops_gracefully_on_sigterm(tmp_path, kb_dir):
    proc = start(write_config(tmp_path, kb_dir, HARNESS_CONFIG))
    wait_for(proc, "READY")
    assert "可用命令" in wait_for(proc, "SENT")  # the queued /help from the config manager
    err = stop(proc)
    assert "123456:TEST-TOKEN" not in err  # the token never reaches the log


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_webhook_checks_secret_answers_and_stops(tmp_path, kb_dir):
    port = free_port()
    extra = (f"  mode: webhook\n  webhook:\n    listen: 127.0.0.1\n    port: {port}\n"
             "    url: https://bot.example.gov.cn/telegram\n    secret_token: s3cret-token\n")
    config = write_config(tmp_path, kb_dir, HARNESS_CONFIG + extra)
    proc = start(config)
    wait_for(proc, "READY")
    update = {"update_id": 7, "message": {
        "message_id": 1, "date": int(time.time()), "text": "/help",
        "entities": [{"type": "bot_command", "offset": 0, "length": 5}],
        "from": {"id": MANAGER_ID, "is_bot": False, "first_name": "管理员"},
        "chat": {"id": MANAGER_ID, "type": "private", "first_name": "管理员"},
    }}
    url = f"http://127.0.0.1:{port}/telegram"
    body = json.dumps(update)
    headers = {"Content-Type": "application/json"}
    forged = httpx.post(url, content=body, headers=headers, timeout=10)
    assert forged.status_code == 403
    ok = httpx.post(url, content=body, headers={**headers, "X-Telegram-Bot-Api-Secret-Token": "s3cret-token"},
                    timeout=10)
    assert ok.status_code == 200
    assert "可用命令" in wait_for(proc, "SENT")
    stop(proc)


def test_webhook_without_url_is_a_config_error(tmp_path, kb_dir, capsys):
    config = load_config(write_config(tmp_path, kb_dir, "telegram:\n  mode: webhook\n"))
    assert run_bot(config) == 2
    assert "telegram.webhook.url" in capsys.readouterr().err
