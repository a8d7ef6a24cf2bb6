"""The real bot in a process of its own, against a fake Bot API, driven through stdin/stdout.

``python -m tests.reliability.serve_bot CONFIG`` sets up logging as ``bot.py`` does, builds the application
with ``build_application`` and runs it with the real runner (``serve``: long polling, signal handling).
Tests kill it with SIGKILL and start it again on the same database.

- stdin: one raw update (JSON) per line, served to ``getUpdates`` in order;
- stdout: ``READY`` once polling starts, ``JOBS name,name`` whenever the scheduled jobs change, and for
  every message sent or edited ``EV {"event": "sent"|"edited", "chat", "id", "text", "buttons"}``;
- ``SEND_DELAY_S`` (environment): each sendMessage takes this long (a slow network), to kill mid-push;
  ``QUIZ_SEED``: seeds the quiz draw and shuffles, so a test knows which question comes when.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import random
import sys
import threading
import time
from pathlib import Path
from typing import Any

from bot.cli import setup_logging
from bot.config import load_config
from bot.core import Core
from bot.telegram.app import build_application
from bot.telegram.runner import quiet_http_logs, serve
from tests.telegram.fakebot import TOKEN, ApiError, FakeBotApi, SentMessage


class ProcessBotApi(FakeBotApi):
    """Every positive chat id is a private chat that exists; events go to stdout."""

    def __init__(self, send_delay: float = 0.0):
        super().__init__()
        self.send_delay = send_delay
        self.loop: asyncio.AbstractEventLoop | None = None
        self.jobs: str | None = None
        self.app: Any = None
        # Message ids differ from one run to the next, as Telegram's do: a button pressed under a message
        # of an earlier run must not land on a message of this one.
        self._ids = itertools.count(int(time.time() * 1000) % 10**9 * 10)

    def _chat(self, chat_id: Any) -> dict[str, Any]:
        chat_id = int(chat_id)
        if chat_id > 0 and chat_id not in self.chats:
            self.chats[chat_id] = {"id": chat_id, "type": "private", "first_name": "用户"}
        if chat_id not in self.chats:
            raise ApiError(400, "Bad Request: chat not found")
        return self.chats[chat_id]

    @staticmethod
    def emit(event: str, message: SentMessage) -> None:
        print("EV", json.dumps({"event": event, "chat": message.chat_id, "id": message.message_id,
                                "text": message.text, "buttons": message.buttons}, ensure_ascii=False), flush=True)

    async def api_sendMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        if self.send_delay:
            await asyncio.sleep(self.send_delay)
        result = super().api_sendMessage(params)
        self.emit("sent", self.messages[(int(params["chat_id"]), result["message_id"])])
        return result

    def api_editMessageText(self, params: dict[str, Any]) -> dict[str, Any]:
        result = super().api_editMessageText(params)
        self.emit("edited", self._existing(params))
        return result

    def api_editMessageReplyMarkup(self, params: dict[str, Any]) -> dict[str, Any]:
        result = super().api_editMessageReplyMarkup(params)
        self.emit("edited", self._existing(params))
        return result

    def api_deleteWebhook(self, params: dict[str, Any]) -> bool:
        print("READY", flush=True)
        return True

    async def api_getUpdates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        if self.loop is None:
            self.loop = asyncio.get_running_loop()
            threading.Thread(target=self._read_stdin, daemon=True).start()
        if self.app is not None and self.app.job_queue is not None:
            jobs = ",".join(sorted(job.name for job in self.app.job_queue.jobs()))
            if jobs != self.jobs:
                self.jobs = jobs
                print("JOBS", jobs, flush=True)
        return await super().api_getUpdates(params)

    def _read_stdin(self) -> None:
        for line in sys.stdin:
            if line.strip():
                self.loop.call_soon_threadsafe(self.updates.put_nowait, json.loads(line))


def main(config_path: str) -> int:
    config = load_config(Path(config_path))
    setup_logging(config)  # as bot.py does
    quiet_http_logs()  # as run_bot does
    core = Core.build(config)
    if "QUIZ_SEED" in os.environ:
        core.quizzes.rng = random.Random(int(os.environ["QUIZ_SEED"]))
    api = ProcessBotApi(float(os.environ.get("SEND_DELAY_S", "0")))
    app = build_application(core, token=os.environ.get("TELEGRAM_BOT_TOKEN", TOKEN), request=api,
                            get_updates_request=api)
    api.app = app
    try:
        serve(app, config)
    finally:
        core.close()
        print("CLOSED", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
