"""Drive ``serve_bot`` in a subprocess: send updates, read what the bot sent, kill it (SIGKILL), restart."""

from __future__ import annotations

import itertools
import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.telegram.fakebot import BOT_USER, html_to_text

ROOT = Path(__file__).resolve().parents[2]
_update_ids = itertools.count(1)
_query_ids = itertools.count(1)


@dataclass
class Event:
    event: str
    chat: int
    id: int
    text: str
    buttons: list[tuple[str, str]]

    @property
    def plain(self) -> str:
        return html_to_text(self.text)


@dataclass
class BotProcess:
    """One run of the bot; ``events`` collects what it sent, in order."""

    config: Path
    env: dict[str, str] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)
    jobs: list[str] = field(default_factory=list)
    ready: bool = False
    ended: bool = False

    def __post_init__(self) -> None:
        self.stderr_path = self.config.parent / f"bot-stderr-{time.monotonic_ns()}.log"
        self._stderr = self.stderr_path.open("w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.reliability.serve_bot", str(self.config)], cwd=ROOT,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._stderr, text=True, bufsize=1,
            env={**os.environ, **self.env},
        )
        self._lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.wait(lambda: self.ready, what="READY")

    def _read(self) -> None:
        for line in self.proc.stdout:
            self._lines.put(line.rstrip("\n"))
        self._lines.put(None)

    def _drain(self, timeout: float) -> None:
        """Take one line (waiting up to ``timeout``) and record it."""
        try:
            line = self._lines.get(timeout=timeout)
        except queue.Empty:
            return
        if line is None:
            self.ended = True
        elif line == "READY":
            self.ready = True
        elif line.startswith("JOBS"):
            self.jobs = [j for j in line[5:].split(",") if j]
        elif line.startswith("EV "):
            data = json.loads(line[3:])
            self.events.append(Event(data["event"], data["chat"], data["id"], data["text"],
                                     [tuple(b) for b in data["buttons"]]))

    def wait(self, condition: Callable[[], bool], *, timeout: float = 60, what: str = "") -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if self.ended or time.monotonic() > deadline:
                recent = "\n".join(f"  {e.event} {e.chat}: {e.plain[:80]!r} {e.buttons}" for e in self.events[-6:])
                raise AssertionError(f"bot process: no {what} within {timeout}s; last events:\n{recent}\n"
                                     f"stderr:\n{self.stderr()[-3000:]}")
            self._drain(0.05)

    def pump(self, seconds: float = 0.0) -> None:
        """Record what arrives during ``seconds``, then whatever is already waiting."""
        deadline = time.monotonic() + seconds
        while (remaining := deadline - time.monotonic()) > 0:
            self._drain(min(0.05, remaining))
        while not self._lines.empty():
            self._drain(0)

    def stderr(self) -> str:
        if not self._stderr.closed:
            self._stderr.flush()
        return self.stderr_path.read_text(errors="replace")

    # -- input ----------------------------------------------------------------------------------
    def send(self, update: dict[str, Any]) -> None:
        self.proc.stdin.write(json.dumps({"update_id": next(_update_ids), **update}, ensure_ascii=False) + "\n")
        self.proc.stdin.flush()

    def text(self, user_id: int, text: str, name: str = "用户") -> None:
        message: dict[str, Any] = {
            "message_id": next(_update_ids), "date": int(time.time()), "text": text,
            "from": {"id": user_id, "is_bot": False, "first_name": name},
            "chat": {"id": user_id, "type": "private", "first_name": name},
        }
        if text.startswith("/"):
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        self.send({"message": message})

    def press(self, user_id: int, data: str, message: Event) -> None:
        self.send({"callback_query": {
            "id": f"q{next(_query_ids)}", "from": {"id": user_id, "is_bot": False, "first_name": "用户"},
            "chat_instance": str(user_id), "data": data,
            "message": {"message_id": message.id, "date": int(time.time()), "from": BOT_USER,
                        "chat": {"id": message.chat, "type": "private", "first_name": "用户"},
                        "text": message.plain},
        }})

    # -- reading --------------------------------------------------------------------------------
    def sent_to(self, chat: int) -> list[Event]:
        return [e for e in self.events if e.chat == chat and e.event == "sent"]

    def wait_sent(self, chat: int, count: int, timeout: float = 60) -> Event:
        """Wait until ``chat`` has ``count`` messages; returns the newest."""
        self.wait(lambda: len(self.sent_to(chat)) >= count, timeout=timeout, what=f"message {count} to {chat}")
        return self.sent_to(chat)[-1]

    # -- ending ---------------------------------------------------------------------------------
    def kill(self) -> None:
        """SIGKILL: no shutdown code runs, as when the power goes."""
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)
        self._stderr.close()

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=60)
        self.pump()
        self._stderr.close()
        assert self.proc.returncode == 0, self.stderr()[-3000:]
