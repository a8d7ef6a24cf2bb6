"""Run the real runner (``serve``: run_polling / run_webhook with signal handling) against a fake Bot API.

Used by test_runner.py in a subprocess, because PTB's runners own the event loop and the signals:
``python -m tests.telegram.serve_fake CONFIG`` prints ``READY`` once the bot is up and ``SENT <text>``
for every message it sends; SIGTERM must make it exit 0 after a graceful shutdown (``CLOSED``).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from bot.config import load_config
from bot.core import Core
from bot.telegram.app import build_application
from bot.telegram.runner import serve
from tests.telegram.fakebot import MANAGER_ID, TOKEN, FakeBotApi


def main(config_path: str) -> int:
    config = load_config(Path(config_path))
    core = Core.build(config)
    api = FakeBotApi()
    api.chats[MANAGER_ID] = {"id": MANAGER_ID, "type": "private", "first_name": "管理员"}
    send = api.api_sendMessage

    def sent(params):
        result = send(params)
        print("SENT", params["text"].replace("\n", " "), flush=True)
        return result

    def ready(params):
        print("READY", flush=True)
        return True

    api.handlers["sendMessage"] = sent
    api.handlers["deleteWebhook"] = ready  # polling: called once at start-up
    api.handlers["setWebhook"] = ready  # webhook: called once at start-up
    api.updates.put_nowait({"update_id": 1, "message": {
        "message_id": 1, "date": int(time.time()), "text": "/help",
        "entities": [{"type": "bot_command", "offset": 0, "length": 5}],
        "from": {"id": MANAGER_ID, "is_bot": False, "first_name": "管理员"},
        "chat": {"id": MANAGER_ID, "type": "private", "first_name": "管理员"},
    }})
    app = build_application(core, token=TOKEN, request=api,
                            get_updates_request=api)
    try:
        serve(app, config)
    finally:
        core.close()
        print("CLOSED", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
