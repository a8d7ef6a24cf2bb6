"""``build_application(core)``: the one PTB Application for ``bot.py`` and for the tests.

Handler groups: -1 the access gate (every update), 0 the registry's commands and buttons, then plain
text (questions), media hints and unknown commands.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from telegram import LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.ext import (
    Application,
    ApplicationBuilder,
    ContextTypes,
    Defaults,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.request import BaseRequest

from bot.core import Core
from bot.telegram import case_reminders, delivery, gaps_digest, housekeeping, quiz_notices, registry
from bot.telegram.commands import Registry, install, set_default_menus, set_menu
from bot.telegram.context import CORE_KEY, DeskContext
from bot.telegram.handlers import asking, basic, cases, errors, gaps, gate
from bot.telegram.processor import PerUserUpdateProcessor

TIMEZONE = ZoneInfo("Asia/Shanghai")
RATE_LIMIT_RETRIES = 3
MEDIA = (
    filters.Sticker.ALL | filters.PHOTO | filters.VOICE | filters.AUDIO | filters.VIDEO | filters.VIDEO_NOTE
    | filters.Document.ALL | filters.LOCATION | filters.CONTACT | filters.ANIMATION
)


def defaults() -> Defaults:
    return Defaults(
        parse_mode=ParseMode.HTML,
        tzinfo=TIMEZONE,
        link_preview_options=LinkPreviewOptions(is_disabled=True),
    )


def build_application(
    core: Core,
    *,
    token: str | None = None,
    request: BaseRequest | None = None,
    get_updates_request: BaseRequest | None = None,
    commands: Registry | None = None,
) -> Application:
    """The configured Application (not yet initialised). ``token`` defaults to TELEGRAM_BOT_TOKEN;
    ``request``/``get_updates_request`` replace the HTTP transport (tests pass a fake Bot API)."""
    token = token or core.config.token
    if not token:
        raise ValueError("no Telegram bot token: export TELEGRAM_BOT_TOKEN")
    tg = core.config.telegram
    builder = (
        ApplicationBuilder()
        .token(token)
        .base_url(tg.base_url)
        .base_file_url(tg.base_file_url)
        .defaults(defaults())
        .rate_limiter(delivery.DeliveryLimiter(core.store, max_retries=RATE_LIMIT_RETRIES))
        .concurrent_updates(PerUserUpdateProcessor(max(1, tg.concurrent_updates)))
        .context_types(ContextTypes(context=DeskContext))
        .post_init(_post_init)
    )
    if request is not None:
        builder = builder.request(request)
    if get_updates_request is not None:
        builder = builder.get_updates_request(get_updates_request)
    app = builder.build()
    app.bot_data[CORE_KEY] = core
    app.add_handler(TypeHandler(Update, gate.on_any_update), group=-1)
    install(app, commands or registry.REGISTRY)
    private = filters.ChatType.PRIVATE
    app.add_handler(cases.name_reply_handler())  # a reply naming a saved deadline, before it becomes a question
    app.add_handler(gaps.draft_reply_handler())  # a trainer's reply in the 新增答案 dialogue, likewise
    app.add_handler(MessageHandler(filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND, asking.on_text))
    app.add_handler(MessageHandler(filters.UpdateType.MESSAGE & private & MEDIA, basic.on_media))
    app.add_handler(MessageHandler(filters.UpdateType.MESSAGE & private & filters.COMMAND, basic.on_unknown_command))
    app.add_error_handler(errors.on_error)
    return app


REFRESH_MENUS_JOB = "refresh-menus"


async def _post_init(app: Application) -> None:
    """Menus: the defaults and each config manager's now; every member's soon after, in the background."""
    await set_default_menus(app)
    core: Core = app.bot_data[CORE_KEY]
    for manager in core.config.access.managers:
        await set_menu(app, manager, "manager")
    # Personal menus are set at registration; commands added since then reach people at the next start.
    app.job_queue.run_once(refresh_menus, when=2, name=REFRESH_MENUS_JOB)
    await quiz_notices.on_start(app)  # daily reminder job rebuilt; unsent assignment notices delivered
    await case_reminders.on_start(app)  # daily due-date reminder job rebuilt from SQLite
    await gaps_digest.on_start(app)  # trainers' morning line about open gaps, rebuilt likewise
    await delivery.on_start(app)  # replies queued while Telegram was in trouble: retried every 30 s
    await housekeeping.on_start(app)  # question log retention: pruned now and every night


async def refresh_menus(context: DeskContext) -> None:
    """Re-send every member's personal menu (the rate limiter spaces the calls)."""
    managers = set(context.core.config.access.managers)
    for member in await context.core.access.members():
        if member.telegram_id not in managers:
            await set_menu(context.application, member.telegram_id, member.role)
