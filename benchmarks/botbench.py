"""Bot and push benchmarks: the REAL PTB Application (``build_application``) on an offline Bot API.

``bot_figures(smoke)``: updates per second for registered users asking questions from the bundled
knowledge base, next to PTB's own ceiling (an Application whose one handler replies a fixed text) on the
same transport in the same run; offline and with a simulated 50 ms round trip on every Bot API call.
Updates enter the Application's update queue as polling would put them there (parsed from JSON with
``Update.de_json``) and the clock stops when the queue has been fully processed (``update_queue.join()``).

The shipped application sends through PTB's ``AIORateLimiter``, which holds every outgoing message to
Telegram's 30 a second: measured as shipped, the bot can never show more than ~30 updates/s, whatever its
capacity. The capacity rows therefore lift that one limit (``overall_max_rate=0``, everything else as
shipped); the "as shipped" row shows the limiter at work.

It also checks correctness under concurrency: many users double-tap a quiz answer and a 👎 at once, and
each tap pair must count once (one verdict toast, one next question, one gap). The same taps through PTB's
plain concurrent processor (no per-user serialisation) are reported for contrast.

``push_figures(smoke)``: ``/push`` of a quiz to every registered staff member through a fake Bot API that
enforces Telegram's flood limits (30 messages in any second, one a second per chat; 429 ``retry_after``
otherwise): time from the command to the report against the floor of users/30 s, and messages lost.
Measured for the quiz feature's own delivery (``PushService.deliver``: one by one, 40 ms apart) and for
``bot.telegram.pacing.deliver_paced`` (overlapping sends through a flood gate), offline and at 50 ms.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import random
import statistics
import tempfile
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from telegram import Update
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, MessageHandler, SimpleUpdateProcessor, filters

from benchmarks.fakeapi import TOKEN, FloodLimits, OfflineBotApi, Sent, press_update, text_update

ROOT = Path(__file__).resolve().parent.parent
MANAGER = 1001
FIRST_USER = 200_000
ROUND_TRIP_S = 0.05
QUIZ = "basics"
FILLERS = ["", "", "请问", "你好，", "麻烦问下，", "我想问一下"]


# -- the core and the applications -----------------------------------------------------------------------
def build_core(folder: Path, *, concurrent_updates: int | None = None):
    """A core on the bundled knowledge base and quizzes, a fresh database in ``folder``."""
    from bot.config import load_config
    from bot.core import Core

    shipped = load_config(ROOT / "config.yaml")
    updates = concurrent_updates or shipped.telegram.concurrent_updates
    path = folder / "config.yaml"
    path.write_text(
        f"database: {folder / 'desk.db'}\nknowledge_dir: {ROOT / 'knowledge'}\nquizzes_dir: {ROOT / 'quizzes'}\n"
        f"log_level: ERROR\naccess:\n  managers: [{MANAGER}]\ntelegram:\n  concurrent_updates: {updates}\n",
        encoding="utf-8",
    )
    return Core.build(load_config(path))


def with_concurrency(core, concurrent_updates: int):
    """The same core (store, services) with another ``telegram.concurrent_updates``."""
    telegram = dataclasses.replace(core.config.telegram, concurrent_updates=concurrent_updates)
    return dataclasses.replace(core, config=dataclasses.replace(core.config, telegram=telegram))


def desk_app(core, api: OfflineBotApi, *, lift_limiter: bool, per_user: bool = True) -> Application:
    """``build_application`` as shipped; or with the outgoing 30/s limit lifted (capacity: the rest of the
    limiter stays, retries and outbox included); or with PTB's plain concurrent processor in place of the
    per-user one (the double-tap contrast). Both changes reach into PTB 22 internals, checked here."""
    from bot.telegram.app import build_application

    app = build_application(core, token=TOKEN, request=api, get_updates_request=api)
    if lift_limiter:
        limiter = app.bot.rate_limiter
        if not isinstance(limiter, AIORateLimiter) or not hasattr(limiter, "_base_limiter"):
            raise RuntimeError(f"cannot lift the overall limit of {limiter!r}")
        limiter._base_limiter = None  # AIORateLimiter(overall_max_rate=0) does the same
    if not per_user:
        if not hasattr(app, "_update_processor"):
            raise RuntimeError("cannot replace the update processor")
        app._update_processor = SimpleUpdateProcessor(app.update_processor.max_concurrent_updates)
    return app


ANSWER_SIZED = (  # as long as a typical answer (median ~480 characters of HTML), same markup
    "<b>【主动公开】</b>\n" + "主动公开。第二十条要求公开应急预案、预警信息和应对情况，公开前须经审查（第十七条）。" * 5
    + "\n\n<b>依据</b>\n" + "• 《政府信息公开条例》第二十条（主动公开的十五项内容）：各机关应主动公开本机关的下列信息。\n" * 3
    + "\n<i>发布前提醒：先按第十七条做公开前审查，并去除个人信息。</i>"
)


def ceiling_app(api: OfflineBotApi, concurrent_updates: int, *, limiter: bool, answer_sized: bool = False) -> Application:
    """PTB's own ceiling: one handler replying a fixed text ("收到"), same transport and concurrency; or,
    ``answer_sized``, a fixed message the size and shape of a real answer (HTML, four buttons)."""
    from telegram import InlineKeyboardButton, InlineKeyboardMarkup
    from telegram.constants import ParseMode

    builder = ApplicationBuilder().token(TOKEN).request(api).get_updates_request(api)
    builder = builder.concurrent_updates(concurrent_updates)
    if limiter:
        builder = builder.rate_limiter(AIORateLimiter())
    app = builder.build()

    async def reply(update: Update, context: Any) -> None:
        await update.effective_message.reply_text("收到")

    async def reply_answer(update: Update, context: Any) -> None:
        keyboard = InlineKeyboardMarkup([
            [InlineKeyboardButton("👍 有用", callback_data="r:1:1"), InlineKeyboardButton("👎 没帮上", callback_data="r:1:0")],
            [InlineKeyboardButton("🔎 突发事件发生后处置情况要主动发布吗？", callback_data="a:1:0")],
            [InlineKeyboardButton("🔎 反恐怖处置预案里的力量部署，有人申请公开怎么办？", callback_data="a:1:1")],
        ])
        await update.effective_message.reply_text(ANSWER_SIZED, parse_mode=ParseMode.HTML, reply_markup=keyboard)

    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, reply_answer if answer_sized else reply))
    return app


@contextlib.asynccontextmanager
async def running(app: Application) -> AsyncIterator[list[BaseException]]:
    """Initialise and start as run_polling would (post_init included), without the network updater;
    yields the errors the error handler saw."""
    errors: list[BaseException] = []

    async def record(update: object, context: Any) -> None:
        errors.append(context.error)

    app.add_error_handler(record)
    await app.initialize()
    if app.post_init:
        await app.post_init(app)
    await app.start()
    if app.job_queue is not None:  # the background menu refresh would compete with the measurement
        for job in app.job_queue.jobs():
            if job.name == "refresh-menus":
                job.schedule_removal()
    try:
        yield errors
    finally:
        await app.stop()
        await app.shutdown()


async def feed(app: Application, updates: list[dict[str, Any]]) -> float:
    """Seconds to parse ``updates`` into the update queue and process them all."""
    started = time.perf_counter()
    for data in updates:
        app.update_queue.put_nowait(Update.de_json(data, app.bot))
    await app.update_queue.join()
    return time.perf_counter() - started


def check(errors: list[BaseException], what: str) -> None:
    if errors:
        raise RuntimeError(f"{what}: the error handler fired {len(errors)} times; first: {errors[0]!r}") from errors[0]


# -- people and questions -------------------------------------------------------------------------------
def register(core, count: int, *, department: str = "办公室", role: str = "staff") -> list[int]:
    from bot.store import users

    ids = list(range(FIRST_USER, FIRST_USER + count))

    def add(db: Any) -> None:
        for uid in ids:
            users.save_user(db, telegram_id=uid, name=f"用户{uid}", username=f"u{uid}", department=department,
                            role=role)

    core.store.run_sync(add)
    return ids


def questions(core, count: int, seed: int = 3) -> list[str]:
    """Phrasings from the bundled base, some with a filler in front, as staff type them."""
    rng = random.Random(seed)
    pool = [p for e in core.engine.kb.entries.values() for p in (e.question, *e.alternates)]
    return [rng.choice(FILLERS) + rng.choice(pool) for _ in range(count)]


def asking_updates(core, users: list[int], per_user: int, seed: int = 3) -> list[dict[str, Any]]:
    """Each user asks ``per_user`` questions; users interleaved, as traffic arrives."""
    texts = iter(questions(core, len(users) * per_user, seed))
    return [text_update(uid, next(texts)) for _ in range(per_user) for uid in users]


# -- bot throughput -------------------------------------------------------------------------------------
@dataclasses.dataclass
class Measured:
    ups: float  # updates per second, wall clock
    cpu_ms: float  # CPU time of the whole process (event loop and database thread) per update
    hops: float = 0.0  # database round trips (Store.run calls) per update


async def measure(app: Application, updates: list[dict[str, Any]], warm: list[dict[str, Any]], what: str,
                  store: Any = None) -> Measured:
    """Throughput of a fresh application over ``updates`` (after a short warm-up); with ``store``, also
    how many database round trips each update made."""
    hops = 0
    if store is not None:
        run = store.run

        async def counted(*args: Any, **kwargs: Any) -> Any:
            nonlocal hops
            hops += 1
            return await run(*args, **kwargs)

        store.run = counted
    try:
        async with running(app) as errors:
            await feed(app, warm)
            hops, cpu = 0, time.process_time()
            seconds = await feed(app, updates)
            cpu = time.process_time() - cpu
            check(errors, what)
    finally:
        if store is not None:
            del store.run
    n = len(updates)
    return Measured(n / seconds, cpu / n * 1000, hops / n)


async def throughput(core, users: list[int], per_user: int, *, latency: float, lift_limiter: bool = True,
                     repeats: int = 1, answer_sized: bool = False) -> dict[str, Any]:
    """The desk app against PTB's ceiling on the same updates and transport, alternately; medians.
    ``answer_sized`` adds PTB replying a fixed answer-sized message (what PTB itself costs per answer)."""
    concurrency = core.config.telegram.concurrent_updates
    warm = asking_updates(core, users[:20], 1, seed=99)
    runs: dict[str, list[Measured]] = {"bot": [], "ceiling": [], "answer_sized": []}
    sends = []
    for r in range(repeats):
        updates = asking_updates(core, users, per_user, seed=r)
        runs["ceiling"].append(await measure(ceiling_app(OfflineBotApi(latency=latency), concurrency,
                                                         limiter=not lift_limiter), updates, warm, "PTB ceiling"))
        if answer_sized:
            runs["answer_sized"].append(await measure(
                ceiling_app(OfflineBotApi(latency=latency), concurrency, limiter=not lift_limiter, answer_sized=True),
                updates, warm, "PTB answer-sized"))
        api = OfflineBotApi(latency=latency)
        runs["bot"].append(await measure(desk_app(core, api, lift_limiter=lift_limiter), updates, warm, "bot",
                                         store=core.store))
        sends.append(api.stats.calls["sendMessage"] / (len(updates) + len(warm)))

    def median(name: str, field: str) -> float:
        return statistics.median(getattr(m, field) for m in runs[name])

    bot, ceiling = median("bot", "ups"), median("ceiling", "ups")
    out = {"updates": len(users) * per_user, "users": len(users), "concurrent_updates": concurrency,
           "round_trip_ms": round(latency * 1000), "outgoing_limiter": "shipped (30/s)" if not lift_limiter else "lifted",
           "bot_ups": round(bot, 1), "ceiling_ups": round(ceiling, 1), "ratio": round(bot / ceiling, 3),
           "bot_cpu_ms": round(median("bot", "cpu_ms"), 2), "ceiling_cpu_ms": round(median("ceiling", "cpu_ms"), 2),
           "database_hops": round(median("bot", "hops"), 2),
           "messages_per_update": round(statistics.mean(sends), 2), "repeats": repeats,
           "runs_ups": {name: [round(m.ups, 1) for m in ms] for name, ms in runs.items() if ms}}
    if answer_sized:
        out["answer_sized_ups"] = round(median("answer_sized", "ups"), 1)
        out["answer_sized_cpu_ms"] = round(median("answer_sized", "cpu_ms"), 2)
    return out


def cost_per_update(core, offline: dict[str, Any], count: int) -> dict[str, float]:
    """Where one update's CPU time goes offline (CPU time is steadier than wall time on a shared machine):
    the bot, PTB alone (from the two ceilings), the engine timed alone on the same kind of questions, and
    the rest (our Telegram layer, services, database hops and the thread hand-offs they cost)."""
    texts = questions(core, count, seed=7)
    started = time.process_time()
    for text in texts:
        core.engine.ask(text)
    engine = (time.process_time() - started) / count * 1000
    bot, ptb_answer = offline["bot_cpu_ms"], offline["answer_sized_cpu_ms"]
    return {"bot_cpu_ms": bot, "ptb_fixed_text_cpu_ms": offline["ceiling_cpu_ms"], "ptb_answer_sized_cpu_ms": ptb_answer,
            "engine_cpu_ms": round(engine, 2), "rest_cpu_ms": round(bot - ptb_answer - engine, 2),
            "database_hops": offline["database_hops"]}


# -- double taps under concurrency ----------------------------------------------------------------------
def latest_with(api: OfflineBotApi, chat_id: int, prefixes: tuple[str, ...]) -> tuple[Sent, str] | None:
    """The newest message in the chat with a button whose data starts with one of ``prefixes``."""
    for message in reversed(api.sent[chat_id]):
        for data in message.callback_data():
            if data.startswith(prefixes):
                return message, data
    return None


def answered_question(core) -> str:
    from bot.matching.engine import Outcome

    for entry in core.engine.kb.entries.values():
        if core.engine.ask(entry.question).outcome is Outcome.ANSWERED:
            return entry.question
    raise RuntimeError("no bundled question is answered")


async def double_taps(core, users: list[int], *, per_user: bool) -> dict[str, Any]:
    """Every user double-taps a quiz answer and 👎 at the same moment; how many taps counted twice."""
    from bot.services.quizzes import CLOSED_TEXT
    from bot.telegram.callbacks import encode
    from bot.telegram.quiz_notices import quiz_key

    api = OfflineBotApi(record=True)
    app = desk_app(core, api, lift_limiter=True, per_user=per_user)
    question = answered_question(core)
    async with running(app) as errors:
        for uid in users:
            await core.quizzes.assign(uid, QUIZ)
        start = encode("qs", quiz_key(QUIZ))
        await feed(app, [press_update(uid, start, Sent(1, "测验通知", None)) for uid in users]
                   + [text_update(uid, question) for uid in users])
        taps: list[dict[str, Any]] = []
        owner: dict[str, int] = {}
        before: dict[int, int] = {}
        gap_questions = []
        for uid in users:
            quiz = latest_with(api, uid, ("qa:", "qt:"))
            rate = latest_with(api, uid, ("r:",))
            if quiz is None or rate is None:
                raise RuntimeError(f"user {uid}: no quiz question or no rating buttons to tap")
            message, data = quiz
            if data.startswith("qt:"):  # multiple choice: tick one option, then the double tap is on 提交
                await feed(app, [press_update(uid, data, message)])
                message, data = latest_with(api, uid, ("qc:",))
            down = next(d for d in rate[0].callback_data() if d.startswith("r:") and d.endswith(":0"))
            gap_questions.append(int(down.split(":")[1]))
            before[uid] = len(api.sent[uid])
            for update in (press_update(uid, data, message), press_update(uid, data, message),
                           press_update(uid, down, rate[0]), press_update(uid, down, rate[0])):
                owner[update["callback_query"]["id"]] = uid
                taps.append(update)
        await feed(app, taps)  # all users' double taps at once
        check(errors, "double taps")
    from bot.telegram import texts

    verdicts = {uid: 0 for uid in users}
    thanks = {uid: 0 for uid in users}
    for query_id, text in api.answers.items():
        uid = owner.get(query_id)
        if uid is None:
            continue
        verdicts[uid] += text.startswith(("✅", "❌"))
        thanks[uid] += text == texts.THANKS_UNHELPFUL
        if text not in (CLOSED_TEXT, texts.ALREADY_RATED, texts.THANKS_UNHELPFUL) and not text.startswith(("✅", "❌")):
            raise RuntimeError(f"unexpected answer to a tap: {text!r}")
    follow_ups = {uid: api.sent[uid][before[uid]:] for uid in users}
    next_steps = {uid: sum(any(d.startswith(("qa:", "qt:", "qr:")) for d in m.callback_data()) for m in msgs)
                  for uid, msgs in follow_ups.items()}
    prompts = {uid: sum(any(d.startswith("s:") for d in m.callback_data()) for m in msgs)
               for uid, msgs in follow_ups.items()}

    def gaps(db: Any) -> dict[int, int]:
        marks = ",".join("?" * len(gap_questions))
        rows = db.execute(f"SELECT question_id, COUNT(*) FROM gaps WHERE question_id IN ({marks}) "
                          "GROUP BY question_id", gap_questions).fetchall()
        return dict(rows)

    gap_counts = core.store.run_sync(gaps)
    twice = {
        "quiz verdict": sum(v > 1 for v in verdicts.values()),
        "next question": sum(v > 1 for v in next_steps.values()),
        "👎 thanks": sum(v > 1 for v in thanks.values()),
        "reason prompt": sum(v > 1 for v in prompts.values()),
        "gap filed": sum(v > 1 for v in gap_counts.values()),
    }
    missing = sum(v == 0 for v in verdicts.values()) + sum(v == 0 for v in thanks.values()) \
        + sum(gap_counts.get(q, 0) == 0 for q in gap_questions)
    return {"users": len(users), "taps": len(taps), "processor": "per-user" if per_user else "PTB plain",
            "counted_twice": sum(twice.values()), "twice": twice, "not_counted": missing}


# -- entry points ---------------------------------------------------------------------------------------
def bot_figures(smoke: bool) -> dict[str, Any]:
    return asyncio.run(_bot_figures(smoke))


async def _bot_figures(smoke: bool) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        core = build_core(Path(tmp))
        try:
            users = register(core, 10 if smoke else 500)
            per_user, repeats = (2, 1) if smoke else (4, 3)
            out: dict[str, Any] = {}
            out["offline"] = await throughput(core, users, per_user, latency=0, repeats=repeats, answer_sized=True)
            out["50 ms round trip"] = await throughput(core, users, per_user, latency=ROUND_TRIP_S, repeats=repeats)
            out["50 ms, as shipped (30/s limiter)"] = await throughput(
                core, users[: 10 if smoke else 100], per_user if smoke else 3, latency=ROUND_TRIP_S, lift_limiter=False)
            cost = cost_per_update(core, out["offline"], 50 if smoke else 500)
            out["50 ms, one update at a time"] = await throughput(
                with_concurrency(core, 1), users[: 5 if smoke else 50], 1 if smoke else 2, latency=ROUND_TRIP_S)
            checks = users[: 5 if smoke else 100]
            taps = {"per-user": await double_taps(core, checks, per_user=True)}
            more = register_more(core, len(checks))
            taps["PTB plain"] = await double_taps(core, more, per_user=False)
            return {"throughput": out, "cost_per_update": cost, "double_taps": taps}
        finally:
            core.close()


def register_more(core, count: int) -> list[int]:
    """Fresh users (no quiz started, nothing rated) after the first batch."""
    from bot.store import users

    start = FIRST_USER + 100_000
    ids = list(range(start, start + count))

    def add(db: Any) -> None:
        for uid in ids:
            users.save_user(db, telegram_id=uid, name=f"用户{uid}", username=f"v{uid}", department="办公室", role="staff")

    core.store.run_sync(add)
    return ids


# -- push -----------------------------------------------------------------------------------------------
async def push_run(count: int, *, latency: float, paced: bool) -> dict[str, Any]:
    """``/push basics all`` to ``count`` staff under Telegram's flood limits, through the shipped app."""
    from bot.telegram.pacing import deliver_paced, gate_of

    with tempfile.TemporaryDirectory() as tmp:
        core = build_core(Path(tmp))
        try:
            staff = register(core, count)
            api = OfflineBotApi(latency=latency, limits=FloodLimits())
            app = desk_app(core, api, lift_limiter=False)
            if paced:  # what on_push would do with `deliver_paced` in place of `core.pushes.deliver`
                own = dataclasses.make_dataclass("Own", [("deliver", Any)])(core.pushes.deliver)

                async def deliver(notices: Any, send: Any, **_: Any) -> Any:
                    return await deliver_paced(own, notices, send, gate=gate_of(app))

                core.pushes.deliver = deliver  # type: ignore[method-assign]
            async with running(app) as errors:
                started = time.monotonic()
                seconds = await feed(app, [text_update(MANAGER, f"/push {QUIZ} all")])
                check(errors, "push")
        finally:
            core.close()
    sends = [(t, chat) for t, chat in api.stats.log if chat != MANAGER]
    floor = count / FloodLimits().per_second
    lost = sum(api.stats.delivered[uid] == 0 for uid in staff)
    twice = sum(api.stats.delivered[uid] > 1 for uid in staff)
    report = [m for m in api.stats.log if m[1] == MANAGER]
    return {
        "users": count, "round_trip_ms": round(latency * 1000), "delivery": "paced" if paced else "quiz feature",
        "seconds": round(seconds, 2), "floor_s": round(floor, 2), "ratio": round(seconds / floor, 3),
        "assign_s": round(sends[0][0] - started, 2) if sends else None,
        "sending_s": round(sends[-1][0] - sends[0][0], 2) if sends else None,
        "messages_per_s": round((len(sends) - 1) / (sends[-1][0] - sends[0][0]), 1) if len(sends) > 1 else None,
        "lost": lost, "sent_twice": twice, "refused_429": api.stats.refused_429, "report_sent": bool(report),
    }


def push_figures(smoke: bool) -> dict[str, Any]:
    return asyncio.run(_push_figures(smoke))


async def _push_figures(smoke: bool) -> dict[str, Any]:
    count = 10 if smoke else 1000
    runs = {}
    for paced in (False, True):
        for latency in (0.0, ROUND_TRIP_S):
            run = await push_run(count, latency=latency, paced=paced)
            runs[f"{run['delivery']}, {run['round_trip_ms']} ms"] = run
    return {"users": count, "floor_s": round(count / FloodLimits().per_second, 2), "runs": runs}
