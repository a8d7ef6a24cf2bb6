"""Running the bot: long polling or a webhook, until SIGINT/SIGTERM, then a graceful shutdown.

PTB's ``run_polling``/``run_webhook`` install the signal handlers; on a signal they stop fetching,
let the updates being processed finish, run ``post_stop``/``post_shutdown``, and return. The database
is closed after that, so no handler loses its store mid-write.
"""

from __future__ import annotations

import logging
import signal
import sys
from urllib.parse import urlsplit

from telegram import Update
from telegram.ext import Application

from bot.config import Config
from bot.core import Core
from bot.telegram.app import build_application

log = logging.getLogger(__name__)
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def quiet_http_logs() -> None:
    """httpx logs every request URL at INFO, and the URL contains the bot token; python-telegram-bot at
    DEBUG logs the token (in its URLs) and every update with the text people typed. Both stay above that
    even when log_level is DEBUG (the bot's own loggers still follow it)."""
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    ptb = logging.getLogger("telegram")
    ptb.setLevel(max(logging.INFO, ptb.getEffectiveLevel()))


def webhook_problem(config: Config) -> str | None:
    """Why the webhook settings cannot work, or None."""
    hook = config.telegram.webhook
    if not hook.url:
        return "telegram.webhook.url 未设置：webhook 模式需要一个公网 HTTPS 地址（或改用 mode: polling）。"
    if urlsplit(hook.url).scheme != "https":
        return "telegram.webhook.url 必须以 https:// 开头（Telegram 只调用 HTTPS 地址）。"
    if hook.secret_token and not all(c.isalnum() or c in "_-" for c in hook.secret_token):
        return "telegram.webhook.secret_token 只能包含字母、数字、_ 和 -。"
    return None


def serve(app: Application, config: Config) -> None:
    """Block until a stop signal: polling or webhook, as configured."""
    if config.telegram.mode == "webhook":
        hook = config.telegram.webhook
        app.run_webhook(
            listen=hook.listen, port=hook.port, url_path=urlsplit(hook.url).path.lstrip("/"),
            webhook_url=hook.url, secret_token=hook.secret_token or None,
            allowed_updates=Update.ALL_TYPES, stop_signals=STOP_SIGNALS,
        )
    else:
        app.run_polling(allowed_updates=Update.ALL_TYPES, stop_signals=STOP_SIGNALS)


def run_bot(config: Config) -> int:
    """``python bot.py run``: the exit status (2 for unusable settings)."""
    quiet_http_logs()
    if config.telegram.mode == "webhook" and (problem := webhook_problem(config)):
        print(f"配置错误 / config error: {problem}", file=sys.stderr)
        return 2
    core = Core.build(config)
    try:
        app = build_application(core)
        log.info("starting the Telegram bot (%s)", config.telegram.mode)
        serve(app, config)
    finally:
        core.close()
    log.info("stopped")
    return 0
