"""THE command registry: every slash command and every button kind of the bot, in one place.

Adding a command is one line in ``COMMANDS``::

    Command("quiz", "开始或继续测验", "staff", quiz.on_quiz),
    #        name    menu text / help   lowest role  handler: async def on_quiz(update, context) -> None

That line gives it a CommandHandler whose role check refuses lower roles (and unregistered people) with
a polite message, an entry in the ``set_my_commands`` menu of every role allowed to use it, and a line in
/help (tests/telegram/test_registry.py checks the three agree). ``role`` is None (anyone, even before
registering), "staff", "trainer" or "manager"; roles are ordered staff < trainer < manager. Pass
``private=True`` for commands that show lists, links or personal data: they are refused in groups.
In the handler, ``context.member`` is the registered user (``.telegram_id``, ``.department``,
``.role``) and ``context.core`` the core; ``context.args`` the words after the command.

Adding a button kind is one line in ``BUTTONS`` plus one row in the table of ``callbacks.py``::

    Button("q", 3, "staff", quiz.on_answer),   # callback data q:<attempt>:<n>:<option>

Build the data with ``callbacks.encode("q", attempt, n, option)``. The handler reads the integers from
``context.button.args`` (the count is already checked), must verify they belong to
``context.member`` (data can be forged), and answers with ``await context.answer("…")`` (or not at all:
the dispatcher answers every query it was not told to answer).
"""

from __future__ import annotations

from bot.telegram.commands import Button, Command, Registry, on_help
from bot.telegram.handlers import access, asking, cases, gaps, quizzes, reports, triage

COMMANDS: tuple[Command, ...] = (
    Command("start", "开始使用（用邀请链接注册）", None, access.on_start, private=True),
    Command("help", "使用说明和命令列表", None, on_help),
    Command("invite", "生成邀请链接：/invite 部门 [staff|trainer|manager]", "trainer", access.on_invite, private=True),
    Command("users", "查看已注册用户：/users [部门]", "manager", access.on_users, private=True),
    Command("role", "调整角色：/role @用户名 角色", "manager", access.on_role, private=True),
    Command("remove", "移除用户：/remove @用户名", "manager", access.on_remove, private=True),
    Command("quiz", "我的测验：开始或继续作答", "staff", quizzes.on_quiz, private=True),
    Command("push", "布置测验：/push 测验编号 目标 [due=YYYY-MM-DD]", "trainer", quizzes.on_push, private=True),
    Command("reassign", "调岗：/reassign @用户名 新部门（自动布置入门测验）", "trainer", quizzes.on_reassign, private=True),
    Command("triage", "逐步判定：按条例顺序一步步判断能否公开", "staff", triage.on_triage, private=True),
    Command("deadline", "期限计算：/deadline 收到日期（YYYY-MM-DD）", "staff", cases.on_deadline, private=True),
    Command("cases", "我的未结案件和剩余工作日", "staff", cases.on_cases, private=True),
    Command("close", "结案：/close 编号或名称", "staff", cases.on_close, private=True),
    Command("gaps", "待补充的问题：按相似问法分组，关联或新增答案", "trainer", gaps.on_gaps, private=True),
    Command("reload", "重新加载知识库和测验（出错时保留原来的）", "trainer", gaps.on_reload, private=True),
    Command("report", "培训完成情况：/report [部门]", "manager", reports.on_report, private=True),
    Command("export", "导出 Excel：/export（或 /export csv）", "manager", reports.on_export, private=True),
    Command("stats", "图表：各部门完成情况和每周提问", "manager", reports.on_stats, private=True),
)

BUTTONS: tuple[Button, ...] = (
    Button("r", 2, "staff", asking.on_rate),
    Button("a", 2, "staff", asking.on_choose),
    Button("s", 1, "staff", asking.on_skip),
    Button("qs", 1, "staff", quizzes.on_start_quiz),
    Button("qa", 3, "staff", quizzes.on_answer),
    Button("qt", 3, "staff", quizzes.on_toggle),
    Button("qc", 2, "staff", quizzes.on_submit),
    Button("qr", 1, "staff", quizzes.on_retry),
    Button("ts", 1, "staff", triage.on_start_from_answer),
    Button("tc", 3, "staff", triage.on_choice),
    Button("tb", 2, "staff", triage.on_back),
    Button("tx", 1, "staff", triage.on_quit),
    Button("cs", 1, "staff", cases.on_save),
    Button("gp", 1, "trainer", gaps.on_gaps_page),
    Button("gv", 1, "trainer", gaps.on_group),
    Button("gl", 1, "trainer", gaps.on_link_menu),
    Button("gk", 2, "trainer", gaps.on_link),
    Button("gn", 1, "trainer", gaps.on_new),
    Button("gi", 1, "trainer", gaps.on_ignore),
    Button("gd", 1, "trainer", gaps.on_draft_verdict),
    Button("gc", 1, "trainer", gaps.on_draft_confirm),
    Button("rp", 2, "manager", reports.on_report_page),
)

REGISTRY = Registry(COMMANDS, BUTTONS)
