"""A fake Bot API and a harness that drives the REAL PTB Application with real Update objects.

``FakeBotApi`` is a ``telegram.request.BaseRequest``: PTB builds every request exactly as it would for
Telegram (method, form parameters, base_url + token in the URL) and hands it to us instead of the network.
It answers like Telegram does where it matters for bugs: HTML that Telegram would reject ("can't parse
entities"), texts over 4096 characters, callback data over 64 bytes, a callback query answered twice,
editing a message to identical content ("message is not modified"). Faults (429, 5xx, 403) can be queued.

``Harness`` wraps an Application built by ``build_application``::

    async def test_asks(harness):
        alice = await harness.member(2001, "staff", department="办公室")   # registered directly
        await harness.send_text(alice, "三公经费要不要公开")                  # an Update through the app
        assert "主动公开" in harness.last(alice).text                      # what the bot sent to her chat
        await harness.press(alice, harness.button(alice, "👍"))             # a callback query
        assert harness.answered()                                            # every query was answered

Every ``send_*``/``press`` fails the test at once if the application's error handler fired (use
``with harness.allow_errors():`` around an update that is meant to fail), and ``press`` fails if the
callback query was left unanswered. The fixtures ``harness`` (in tests/telegram and tests/flows) build a
core on the tiny knowledge base of ``tests/kbfixture.py`` with ``MANAGER`` as the config manager.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import itertools
import json
import re
import time
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from telegram import Update
from telegram.ext import Application
from telegram.request import BaseRequest, RequestData

from bot.config import load_config
from bot.core import Core
from bot.telegram.app import REFRESH_MENUS_JOB, build_application
from tests.kbfixture import write_config

TOKEN = "123456:TEST-TOKEN"
BOT_USER = {"id": 123456, "is_bot": True, "first_name": "政务公开助手", "username": "DisclosureDeskBot",
            "can_join_groups": True, "can_read_all_group_messages": False, "supports_inline_queries": False}
MANAGER_ID = 1001
ALLOWED_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre", "tg-spoiler",
                "span", "blockquote", "tg-emoji"}
_HTML_TOKEN = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s[^<>]*)?)>|&(?:#[0-9]+|#x[0-9a-fA-F]+|lt|gt|amp|quot);|[<>&]")


class ApiError(Exception):
    def __init__(self, status: int, description: str, parameters: dict[str, Any] | None = None):
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters


@dataclass
class ApiCall:
    """One Bot API request as PTB sent it."""

    method: str
    params: dict[str, Any]
    url: str


@dataclass
class SentMessage:
    """A message the bot sent, as it stands now (edits applied); ``text`` is the HTML sent."""

    chat_id: int
    message_id: int
    text: str
    reply_markup: dict[str, Any] | None = None
    method: str = "sendMessage"
    edits: int = 0

    @property
    def buttons(self) -> list[tuple[str, str]]:
        """(label, callback_data) of every inline button, row by row."""
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [(b["text"], b.get("callback_data", "")) for row in rows for b in row]

    @property
    def plain(self) -> str:
        return html_to_text(self.text)


def html_to_text(text: str) -> str:
    """What a user sees of an HTML message (tags removed, entities decoded)."""
    return html.unescape(re.sub(r"<[^<>]+>", "", text))


def check_html(text: str) -> str | None:
    """Telegram's complaint about this HTML, or None when it would be accepted."""
    stack: list[str] = []
    for match in _HTML_TOKEN.finditer(text):
        token = match.group(0)
        if token in "<>&":
            return f"Can't parse entities: unexpected '{token}' at byte offset {match.start()}"
        if match.group(2) is None:
            continue
        tag = match.group(2).lower()
        if tag not in ALLOWED_TAGS:
            return f"Can't parse entities: unsupported start tag \"{tag}\""
        if match.group(1):
            if not stack or stack.pop() != tag:
                return f"Can't parse entities: unmatched end tag \"{tag}\""
        else:
            stack.append(tag)
    return f"Can't parse entities: unclosed start tag \"{stack[-1]}\"" if stack else None


class FakeBotApi(BaseRequest):
    """An in-process Bot API server; every request is recorded in ``calls``."""

    def __init__(self, bot_user: dict[str, Any] | None = None):
        self.bot_user = bot_user or BOT_USER
        self.calls: list[ApiCall] = []
        self.messages: dict[tuple[int, int], SentMessage] = {}
        self.chats: dict[int, dict[str, Any]] = {}
        self.answered: dict[str, dict[str, Any]] = {}
        self.faults: dict[str, list[ApiError]] = {}
        self.handlers: dict[str, Callable[[dict[str, Any]], Any]] = {}  # override or add a method
        self.updates: asyncio.Queue[dict[str, Any]] = asyncio.Queue()  # served to getUpdates
        self._ids = itertools.count(1)

    # -- BaseRequest ----------------------------------------------------------------------------
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
        params = dict(request_data.parameters) if request_data else {}
        self.calls.append(ApiCall(api_method, params, url))
        try:
            if self.faults.get(api_method):
                raise self.faults[api_method].pop(0)
            handler = self.handlers.get(api_method) or getattr(self, f"api_{api_method}", self.api_default)
            result = handler(params)
            if asyncio.iscoroutine(result):
                result = await result
        except ApiError as exc:
            body: dict[str, Any] = {"ok": False, "error_code": exc.status, "description": exc.description}
            if exc.parameters:
                body["parameters"] = exc.parameters
            return exc.status, json.dumps(body).encode()
        return 200, json.dumps({"ok": True, "result": result}).encode()

    # -- faults ---------------------------------------------------------------------------------
    def fail(self, method: str, status: int = 500, description: str = "Internal Server Error",
             retry_after: int | None = None, times: int = 1) -> None:
        """The next ``times`` calls of ``method`` fail (429 with ``retry_after`` is a flood limit)."""
        parameters = {"retry_after": retry_after} if retry_after is not None else None
        if status == 429 and not description.startswith("Too Many"):
            description = f"Too Many Requests: retry after {retry_after or 1}"
        self.faults.setdefault(method, []).extend(ApiError(status, description, parameters) for _ in range(times))

    # -- methods --------------------------------------------------------------------------------
    def api_getMe(self, params: dict[str, Any]) -> dict[str, Any]:
        return self.bot_user

    def api_default(self, params: dict[str, Any]) -> Any:
        return True

    async def api_getUpdates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        try:
            first = await asyncio.wait_for(self.updates.get(), timeout=min(float(params.get("timeout", 0)), 0.2))
        except TimeoutError:
            return []
        batch = [first]
        while not self.updates.empty():
            batch.append(self.updates.get_nowait())
        return batch

    def _chat(self, chat_id: Any) -> dict[str, Any]:
        chat_id = int(chat_id)
        if chat_id not in self.chats:
            raise ApiError(400, "Bad Request: chat not found")
        return self.chats[chat_id]

    def _check_text(self, params: dict[str, Any]) -> str:
        text = str(params.get("text", ""))
        if not text.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if params.get("parse_mode") == "HTML" and (problem := check_html(text)):
            raise ApiError(400, f"Bad Request: {problem}")
        visible = html_to_text(text) if params.get("parse_mode") == "HTML" else text
        if len(visible) > 4096:
            raise ApiError(400, "Bad Request: message is too long")
        self._check_markup(params.get("reply_markup"))
        return text

    def _check_markup(self, markup: Any) -> None:
        if isinstance(markup, str):
            markup = json.loads(markup)
        for row in (markup or {}).get("inline_keyboard", []):
            for button in row:
                data = button.get("callback_data")
                if not button.get("text"):
                    raise ApiError(400, "Bad Request: text buttons are unallowed in the inline keyboard")
                if data is not None and not 1 <= len(data.encode("utf-8")) <= 64:
                    raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")

    def _message_json(self, message: SentMessage) -> dict[str, Any]:
        out = {"message_id": message.message_id, "date": int(time.time()), "chat": self._chat(message.chat_id),
               "from": self.bot_user, "text": html_to_text(message.text)}
        if message.reply_markup and "inline_keyboard" in message.reply_markup:
            out["reply_markup"] = message.reply_markup  # Telegram returns inline keyboards only (not force_reply)
        return out

    def _markup(self, params: dict[str, Any]) -> dict[str, Any] | None:
        markup = params.get("reply_markup")
        return json.loads(markup) if isinstance(markup, str) else markup

    def api_sendMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        text = self._check_text(params)
        chat_id = int(params["chat_id"])
        self._chat(chat_id)
        message = SentMessage(chat_id, next(self._ids) + 100000, text, self._markup(params))
        self.messages[(chat_id, message.message_id)] = message
        return self._message_json(message)

    def _existing(self, params: dict[str, Any]) -> SentMessage:
        key = (int(params.get("chat_id", 0)), int(params.get("message_id", 0)))
        if key not in self.messages:
            raise ApiError(400, "Bad Request: message to edit not found")
        return self.messages[key]

    def api_editMessageText(self, params: dict[str, Any]) -> dict[str, Any]:
        text = self._check_text(params)
        message = self._existing(params)
        markup = self._markup(params)
        if (text, markup) == (message.text, message.reply_markup):
            raise ApiError(400, "Bad Request: message is not modified: specified new message content and reply "
                                "markup are exactly the same as a current content and reply markup of the message")
        message.text, message.reply_markup, message.edits = text, markup, message.edits + 1
        return self._message_json(message)

    def api_editMessageReplyMarkup(self, params: dict[str, Any]) -> dict[str, Any]:
        message = self._existing(params)
        markup = self._markup(params)
        self._check_markup(markup)
        if markup == message.reply_markup or (not markup and not message.reply_markup):
            raise ApiError(400, "Bad Request: message is not modified: specified new message content and reply "
                                "markup are exactly the same as a current content and reply markup of the message")
        message.reply_markup, message.edits = markup, message.edits + 1
        return self._message_json(message)

    def api_answerCallbackQuery(self, params: dict[str, Any]) -> bool:
        query_id = str(params["callback_query_id"])
        if query_id in self.answered:
            raise ApiError(400, "Bad Request: query is too old and response timeout expired or query ID is invalid")
        if len(str(params.get("text", ""))) > 200:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        self.answered[query_id] = params
        return True

    def api_setMyCommands(self, params: dict[str, Any]) -> bool:
        commands = params["commands"]
        commands = json.loads(commands) if isinstance(commands, str) else commands
        for c in commands:
            if not re.fullmatch(r"[a-z0-9_]{1,32}", c["command"]) or not 1 <= len(c["description"]) <= 256:
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
        scope = params.get("scope")
        scope = json.loads(scope) if isinstance(scope, str) else scope
        if scope and scope.get("type") == "chat":
            self._chat(scope["chat_id"])
        return True


@dataclass(frozen=True)
class FakeUser:
    id: int
    first_name: str = "测试"
    username: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.username:
            out["username"] = self.username
        return out


@dataclass(frozen=True)
class FakeChat:
    id: int
    type: str = "group"
    title: str = "测试群"

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "type": self.type, "title": self.title}


@dataclass
class Harness:
    """Drives ``app`` (built by ``build_application``) with updates and reads what it sent."""

    app: Application
    api: FakeBotApi
    core: Core
    errors: list[BaseException] = field(default_factory=list)
    _allow_errors: int = 0
    _update_ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    _query_ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    _message_ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    @classmethod
    @contextlib.asynccontextmanager
    async def start(cls, core: Core, **build_kwargs: Any) -> AsyncIterator[Harness]:
        """Build, initialise and start the application (post_init runs, as under run_polling)."""
        api = FakeBotApi()
        app = build_application(core, token=TOKEN, request=api, get_updates_request=api, **build_kwargs)
        harness = cls(app=app, api=api, core=core)
        for manager in core.config.access.managers:
            api.chats[manager] = {"id": manager, "type": "private", "first_name": "管理员"}

        async def record(update: object, context: Any) -> None:
            harness.errors.append(context.error)

        app.add_error_handler(record)
        await app.initialize()
        if app.post_init:
            await app.post_init(app)
        await app.start()
        for job in app.job_queue.get_jobs_by_name(REFRESH_MENUS_JOB):  # deterministic tests: run it by hand
            job.schedule_removal()
        try:
            yield harness
        finally:
            await app.stop()
            await app.shutdown()
        if harness.errors and not harness._allow_errors:
            raise AssertionError(f"the error handler fired: {harness.errors!r}")

    # -- people and chats -----------------------------------------------------------------------
    def user(self, user_id: int, first_name: str = "测试", username: str | None = None) -> FakeUser:
        user = FakeUser(user_id, first_name, username)
        chat = {"id": user_id, "type": "private", "first_name": first_name}
        if username:
            chat["username"] = username
        self.api.chats[user_id] = chat
        return user

    def group(self, chat_id: int = -100123, title: str = "测试群", type: str = "supergroup") -> FakeChat:
        chat = FakeChat(chat_id, type, title)
        self.api.chats[chat_id] = chat.to_dict()
        return chat

    @property
    def manager(self) -> FakeUser:
        """The first config manager (``MANAGER_ID`` in the default fixture)."""
        return self.user(self.core.config.access.managers[0], "管理员", "boss")

    async def member(self, user_id: int, role: str = "staff", *, department: str = "办公室",
                     first_name: str = "测试", username: str | None = None) -> FakeUser:
        """A user registered directly through the access service (skips the invitation dialogue)."""
        user = self.user(user_id, first_name, username)
        inviter = await self.core.access.identify(self.core.config.access.managers[0], "管理员", "boss")
        invitation = await self.core.access.invite(inviter, department, role)
        await self.core.access.register(invitation.code, telegram_id=user_id, name=first_name,
                                        username=username or "")
        return user

    # -- updates --------------------------------------------------------------------------------
    def _message(self, user: FakeUser, chat: FakeChat | None, **fields: Any) -> dict[str, Any]:
        return {"message_id": next(self._message_ids), "date": int(time.time()), "from": user.to_dict(),
                "chat": chat.to_dict() if chat else {**self.api.chats.get(user.id, {}), "id": user.id,
                                                     "type": "private"}, **fields}

    def text_message(self, user: FakeUser, text: str, *, chat: FakeChat | None = None,
                     reply_to: SentMessage | None = None) -> dict[str, Any]:
        """A message dict with the entities Telegram would add (commands, @mentions)."""
        entities = []
        if text.startswith("/"):
            entities.append({"type": "bot_command", "offset": 0, "length": len(text.split()[0])})
        for match in re.finditer(r"@[A-Za-z0-9_]{5,32}", text):
            entities.append({"type": "mention", "offset": _utf16_len(text[: match.start()]),
                             "length": _utf16_len(match.group(0))})
        fields: dict[str, Any] = {"text": text}
        if entities:
            fields["entities"] = entities
        if reply_to is not None:
            fields["reply_to_message"] = {**self.api._message_json(reply_to)}
        return self._message(user, chat, **fields)

    async def send_text(self, user: FakeUser, text: str, *, chat: FakeChat | None = None,
                        reply_to: SentMessage | None = None) -> list[ApiCall]:
        """The user types ``text`` (in their private chat unless ``chat``); returns the API calls it caused."""
        return await self.process({"message": self.text_message(user, text, chat=chat, reply_to=reply_to)})

    async def send_media(self, user: FakeUser, kind: str = "sticker", *, chat: FakeChat | None = None) -> list[ApiCall]:
        """A sticker, photo, voice or document."""
        file = {"file_id": "f1", "file_unique_id": "u1"}
        payloads = {
            "sticker": {"sticker": {**file, "width": 512, "height": 512, "is_animated": False,
                                    "is_video": False, "type": "regular"}},
            "photo": {"photo": [{**file, "width": 90, "height": 90}]},
            "voice": {"voice": {**file, "duration": 3}},
            "document": {"document": {**file, "file_name": "申请书.pdf"}},
        }
        return await self.process({"message": self._message(user, chat, **payloads[kind])})

    async def press(self, user: FakeUser, data: str, *, message: SentMessage | None = None,
                    chat: FakeChat | None = None) -> list[ApiCall]:
        """The user taps a button with ``data`` (under ``message``, else the latest message carrying it,
        else a message that does not exist: forged data). Fails if the query was not answered."""
        chat_id = chat.id if chat else user.id
        if message is None:
            message = next((m for m in reversed(list(self.api.messages.values()))
                            if m.chat_id == chat_id and any(d == data for _, d in m.buttons)), None)
        if message is None:
            self.api.chats.setdefault(chat_id, {"id": chat_id, "type": "private", "first_name": user.first_name})
            message_json = {"message_id": 999999, "date": int(time.time()), "chat": self.api.chats[chat_id],
                            "from": self.api.bot_user, "text": "……"}
        else:
            message_json = self.api._message_json(message)
        query_id = str(next(self._query_ids))
        calls = await self.process({"callback_query": {
            "id": query_id, "from": user.to_dict(), "chat_instance": str(chat_id), "data": data,
            "message": message_json,
        }})
        if query_id not in self.api.answered:
            raise AssertionError(f"callback query {data!r} was not answered; calls: {[c.method for c in calls]}")
        return calls

    async def process(self, data: dict[str, Any]) -> list[ApiCall]:
        """Feed one raw update through the update processor and the application, as polling does."""
        data = {"update_id": next(self._update_ids), **data}
        update = Update.de_json(data, self.app.bot)
        before = len(self.api.calls)
        await self.app.update_processor.process_update(update, self.app.process_update(update))
        self._raise_errors()
        return self.api.calls[before:]

    async def process_concurrently(self, updates: list[dict[str, Any]]) -> None:
        """Several raw updates at once (as with concurrent_updates), e.g. a double-tapped button."""
        objs = [Update.de_json({"update_id": next(self._update_ids), **d}, self.app.bot) for d in updates]
        await asyncio.gather(*(self.app.update_processor.process_update(u, self.app.process_update(u)) for u in objs))
        self._raise_errors()

    def _raise_errors(self) -> None:
        if self.errors and not self._allow_errors:
            errors, self.errors = self.errors, []
            raise AssertionError(f"the error handler fired: {errors!r}") from errors[0]

    @contextlib.contextmanager
    def allow_errors(self) -> Iterator[list[BaseException]]:
        """For updates that are meant to reach the error handler; yields the errors seen."""
        self._allow_errors += 1
        try:
            yield self.errors
        finally:
            self._allow_errors -= 1
        self.errors = [] if not self._allow_errors else self.errors

    # -- reading what the bot did ---------------------------------------------------------------
    def sent(self, chat: FakeUser | FakeChat | int) -> list[SentMessage]:
        """Messages the bot sent to a chat, oldest first, as they stand now (edits applied)."""
        chat_id = chat if isinstance(chat, int) else chat.id
        return [m for (c, _), m in self.api.messages.items() if c == chat_id]

    def last(self, chat: FakeUser | FakeChat | int) -> SentMessage:
        messages = self.sent(chat)
        assert messages, f"the bot sent nothing to {chat}"
        return messages[-1]

    def texts(self, chat: FakeUser | FakeChat | int) -> list[str]:
        """Plain text (as the user reads it) of every message in the chat."""
        return [m.plain for m in self.sent(chat)]

    def button(self, chat: FakeUser | FakeChat | int, label: str) -> str:
        """The callback data of the newest button whose label contains ``label``."""
        for message in reversed(self.sent(chat)):
            for text, data in message.buttons:
                if label in text:
                    return data
        raise AssertionError(f"no button with {label!r} in chat {chat}")

    def calls(self, method: str | None = None) -> list[ApiCall]:
        return [c for c in self.api.calls if method is None or c.method == method]

    def answered(self, query_id: str | None = None) -> dict[str, Any]:
        """The answerCallbackQuery parameters of a query (the latest one by default)."""
        if query_id is None:
            assert self.api.answered, "no callback query was answered"
            return list(self.api.answered.values())[-1]
        return self.api.answered[query_id]


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


# -- fixtures (imported by tests/telegram/conftest.py and tests/flows/conftest.py) -------------------
HARNESS_CONFIG = f"access:\n  managers: [{MANAGER_ID}]\ntelegram:\n  concurrent_updates: 8\n"


def build_core(tmp_path: Path, kb_dir: Path, extra_config: str = "") -> Core:
    """A core on the tiny knowledge base and a fresh database, ``MANAGER_ID`` as config manager."""
    return Core.build(load_config(write_config(tmp_path, kb_dir, HARNESS_CONFIG + extra_config)))


@pytest.fixture
async def harness(tmp_path: Path, kb_dir: Path) -> AsyncIterator[Harness]:
    core = build_core(tmp_path, kb_dir)
    try:
        async with Harness.start(core) as h:
            yield h
    finally:
        core.close()
