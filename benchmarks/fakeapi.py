"""An offline Bot API for benchmarks: a ``telegram.request.BaseRequest`` that answers in-process.

PTB builds every request exactly as for Telegram and hands it here instead of the network; the answers are
valid Bot API JSON (``sendMessage`` returns a Message, ``answerCallbackQuery`` True), so PTB parses them as
it would Telegram's. Optional extras:

* ``latency``: a simulated round trip on every call (half before Telegram "sees" it, half after);
* ``limits``: Telegram's flood limits, enforced like Telegram does: a message over the bulk limit
  (30 in any 1 s window) or a second message to one chat within 1 s is refused with
  ``429 Too Many Requests`` and ``retry_after`` (whole seconds, at least 1);
* ``record``: keep what was sent (per chat) and how callback queries were answered, for checks.

Deliberately minimal and independent of tests/ (tests/telegram/fakebot.py is the strict one for flows).
"""

from __future__ import annotations

import asyncio
import collections
import itertools
import json
import math
import time
from dataclasses import dataclass, field
from typing import Any

from telegram.request import BaseRequest, RequestData

TOKEN = "123456:BENCHMARK-TOKEN"
BOT_USER = {"id": 123456, "is_bot": True, "first_name": "政务公开助手", "username": "DisclosureDeskBot",
            "can_join_groups": True, "can_read_all_group_messages": False, "supports_inline_queries": False}
MESSAGE_METHODS = {"sendMessage", "editMessageText", "editMessageReplyMarkup"}
COUNTED = {"sendMessage"}  # what the flood limits count: new messages


@dataclass(frozen=True)
class FloodLimits:
    """Telegram's limits for bots (Bot FAQ): about 30 messages a second in bulk, one a second per chat."""

    per_second: int = 30
    window_s: float = 1.0
    per_chat_interval_s: float = 1.0


@dataclass
class Sent:
    message_id: int
    text: str
    markup: dict[str, Any] | None

    def callback_data(self) -> list[str]:
        rows = (self.markup or {}).get("inline_keyboard", [])
        return [b.get("callback_data", "") for row in rows for b in row]


@dataclass
class Stats:
    calls: collections.Counter = field(default_factory=collections.Counter)
    refused_429: int = 0
    delivered: collections.Counter = field(default_factory=collections.Counter)  # chat id -> messages accepted
    log: list[tuple[float, int]] = field(default_factory=list)  # (time.monotonic(), chat id) of each accepted


class OfflineBotApi(BaseRequest):
    def __init__(self, *, latency: float = 0.0, limits: FloodLimits | None = None, record: bool = False):
        self.latency = latency
        self.limits = limits
        self.record = record
        self.stats = Stats()
        self.sent: dict[int, list[Sent]] = collections.defaultdict(list)  # with record=True
        self.answers: dict[str, str] = {}  # callback query id -> text it was answered with (record=True)
        self._ids = itertools.count(1000)
        self._window: collections.deque[float] = collections.deque()
        self._last_in_chat: dict[int, float] = {}

    @property
    def read_timeout(self) -> float | None:
        return 5.0

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         read_timeout: Any = None, write_timeout: Any = None, connect_timeout: Any = None,
                         pool_timeout: Any = None) -> tuple[int, bytes]:
        api_method = url.rsplit("/", 1)[-1]
        params = request_data.json_parameters if request_data else {}  # what an HTTP transport would post
        self.stats.calls[api_method] += 1
        if self.latency:
            await asyncio.sleep(self.latency / 2)
        refusal = self._flood_check(api_method, params)
        if refusal is None:
            result = self._answer(api_method, params)
            body = {"ok": True, "result": result}
        else:
            body = {"ok": False, "error_code": 429, "description": f"Too Many Requests: retry after {refusal}",
                    "parameters": {"retry_after": refusal}}
        if self.latency:
            await asyncio.sleep(self.latency / 2)
        return (200 if refusal is None else 429), json.dumps(body, ensure_ascii=False).encode()

    # -- flood limits -------------------------------------------------------------------------------
    def _flood_check(self, api_method: str, params: dict[str, Any]) -> int | None:
        """None when accepted (and counted), else the retry_after to answer with."""
        if api_method not in COUNTED:
            return None
        now = time.monotonic()
        chat_id = int(params.get("chat_id", 0))
        if self.limits is not None:
            while self._window and now - self._window[0] >= self.limits.window_s:
                self._window.popleft()
            waits = []
            if len(self._window) >= self.limits.per_second:
                waits.append(self._window[0] + self.limits.window_s - now)
            last = self._last_in_chat.get(chat_id)
            if last is not None and now - last < self.limits.per_chat_interval_s:
                waits.append(last + self.limits.per_chat_interval_s - now)
            if waits:
                self.stats.refused_429 += 1
                return max(1, math.ceil(max(waits)))
            self._window.append(now)
            self._last_in_chat[chat_id] = now
        self.stats.delivered[chat_id] += 1
        self.stats.log.append((now, chat_id))
        return None

    # -- answers ------------------------------------------------------------------------------------
    def _answer(self, api_method: str, params: dict[str, Any]) -> Any:
        if api_method == "getMe":
            return BOT_USER
        if api_method == "getUpdates":
            return []
        if api_method == "answerCallbackQuery":
            if self.record:
                self.answers[str(params["callback_query_id"])] = str(params.get("text", ""))
            return True
        if api_method in MESSAGE_METHODS:
            return self._message(api_method, params)
        return True  # setMyCommands, setChatMenuButton, deleteWebhook, ...

    def _message(self, api_method: str, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = int(params["chat_id"])
        markup = params.get("reply_markup")
        markup = json.loads(markup) if isinstance(markup, str) else markup
        if api_method == "sendMessage":
            message_id = next(self._ids)
            text = str(params.get("text", ""))
        else:
            message_id = int(params["message_id"])
            text = str(params.get("text", "…"))
        if self.record:
            messages = self.sent[chat_id]
            old = next((m for m in messages if m.message_id == message_id), None)
            if old is None:
                messages.append(Sent(message_id, text, markup))
            else:
                old.text = text if api_method == "editMessageText" else old.text
                old.markup = markup
        out = {"message_id": message_id, "date": int(time.time()), "from": BOT_USER, "text": text,
               "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup",
                        **({"first_name": "测试"} if chat_id > 0 else {"title": "测试群"})}}
        if markup:
            out["reply_markup"] = markup
        return out


# -- updates as Telegram would send them ---------------------------------------------------------------
_update_ids = itertools.count(1)
_message_ids = itertools.count(1)
_query_ids = itertools.count(1)


def user_json(user_id: int) -> dict[str, Any]:
    return {"id": user_id, "is_bot": False, "first_name": f"用户{user_id}"}


def text_update(user_id: int, text: str) -> dict[str, Any]:
    message: dict[str, Any] = {
        "message_id": next(_message_ids), "date": int(time.time()), "text": text, "from": user_json(user_id),
        "chat": {"id": user_id, "type": "private", "first_name": f"用户{user_id}"},
    }
    if text.startswith("/"):
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
    return {"update_id": next(_update_ids), "message": message}


def press_update(user_id: int, data: str, message: Sent) -> dict[str, Any]:
    """A tap on a button of ``message`` (a message the bot sent to the user's private chat)."""
    query_id = str(next(_query_ids))
    shown: dict[str, Any] = {
        "message_id": message.message_id, "date": int(time.time()), "from": BOT_USER, "text": message.text,
        "chat": {"id": user_id, "type": "private", "first_name": f"用户{user_id}"},
    }
    if message.markup:
        shown["reply_markup"] = message.markup
    return {"update_id": next(_update_ids), "callback_query": {
        "id": query_id, "from": user_json(user_id), "chat_instance": str(user_id), "data": data, "message": shown,
    }}
