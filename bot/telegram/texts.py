"""Every Chinese string the Telegram front end shows, in one place (HTML: escape what you interpolate).

Strings containing ``{}`` placeholders are filled with ``str.format`` by the handlers, after escaping.
"""

from __future__ import annotations

ROLE_LABELS = {"staff": "工作人员", "trainer": "培训老师", "manager": "管理员"}
# Words accepted for a role in /invite and /role, besides the English codes.
ROLE_WORDS = {
    "staff": "staff", "trainer": "trainer", "manager": "manager",
    "工作人员": "staff", "培训老师": "trainer", "管理员": "manager",
}

# -- access -------------------------------------------------------------------------------------
NOT_REGISTERED = (
    "您还没有开通使用权限。本助手仅供受邀的政务公开工作人员使用：请联系本单位管理员获取邀请链接，"
    "点开链接后即可开始使用。"
)
ROLE_REQUIRED = "这个命令需要{role}权限，您当前的角色是{current}。"
PRIVATE_ONLY = "这个命令只能在与我的私聊中使用。"
GROUPS_REGISTERED_HINT = "在群里请 @我 提问，或回复我的消息。"

WELCOME_NEW = (
    "欢迎，{name}！您已加入<b>{department}</b>，角色：{role}。\n\n"
    "直接输入问题即可，例如：\n“会议纪要有人申请公开，给不给？”\n\n输入 /help 查看全部命令。"
)
WELCOME_BACK = "您好，{name}！直接输入问题即可；输入 /help 查看全部命令。"
ALREADY_REGISTERED = "您已经注册过了（{department}，{role}），邀请链接没有被使用。直接提问即可。"
INVITE_UNKNOWN = "这个邀请链接无效。请向管理员索取新的邀请链接。"
INVITE_EXPIRED = "这个邀请链接已过期。请向管理员索取新的邀请链接。"
INVITE_USED_UP = "这个邀请链接已被使用过。每个链接只能按规定次数使用，请向管理员索取新的邀请链接。"

INVITE_USAGE = "用法：/invite 部门 [staff|trainer|manager]\n例如：/invite 办公室 staff"
INVITE_ROLE_REFUSED = "培训老师只能邀请工作人员；邀请培训老师或管理员请联系管理员。"
INVITE_CREATED = (
    "邀请链接已生成（{department}，{role}）：\n{link}\n\n"
    "有效期至 {expires}，可使用 {uses} 次。请只发给被邀请人本人。"
)

USERS_EMPTY = "没有找到用户。"
USERS_HEADER = "<b>{department}</b>（{count}人）"
USERS_NO_DEPARTMENT = "未填部门"
USERS_LINE = "• {name}{username} · {role} · <code>{id}</code>"

ROLE_USAGE = "用法：/role @用户名或数字ID staff|trainer|manager"
ROLE_CHANGED = "已将 {name} 的角色调整为{role}。"
ROLE_NOTICE = "您的角色已调整为{role}。输入 /help 查看可用命令。"
REMOVE_USAGE = "用法：/remove @用户名或数字ID"
REMOVED = "已移除 {name}，对方将无法再使用本助手。"
REFUSED_NOT_FOUND = "没有找到这个用户（请用 @用户名 或数字ID，用户需已注册）。"
REFUSED_SELF = "不能调整或移除自己。"
REFUSED_CONFIG_MANAGER = "这位是配置文件中指定的管理员，只能在 config.yaml 中修改。"
REFUSED_ROLE = "您没有权限进行这个操作。"

# -- help ---------------------------------------------------------------------------------------
HELP_HEADER = "直接输入问题，我会给出公开属性、依据和注意事项。\n\n<b>可用命令</b>"
HELP_LINE = "/{name} — {description}"

# -- asking -------------------------------------------------------------------------------------
BASIS = "依据"
CAVEATS = "注意"
RELATED = "相关问题"
SUGGEST_FOOTER = "点下面的问题直接查看答案。如果都不是，您的问题已记录，培训老师会看到。"
BUTTON_HELPFUL = "👍 有用"
BUTTON_UNHELPFUL = "👎 没帮上"
BUTTON_SKIP = "跳过"
BUTTON_TRIAGE = "🧭 逐步判定"
THANKS_HELPFUL = "谢谢反馈！"
THANKS_UNHELPFUL = "已记录，培训老师会看到这个问题。"
ALREADY_RATED = "这个回答已经评价过了。"
ASK_REASON = (
    "抱歉没帮上。可以用一句话说说哪里不对吗？（可选：{minutes}分钟内直接发给我；"
    "想继续提问请先点「跳过」。）"
)
REASON_SAVED = "谢谢，原因已记录，培训老师会看到。"
REASON_SKIPPED = "好的。"
NOT_YOURS = "这不是您的问题，不能操作。"
BUTTON_EXPIRED = "这个按钮已失效，请重新提问。"
MEDIA_HINT = "我只能看懂文字问题：请直接用文字输入您的问题。"
UNKNOWN_COMMAND = "没有这个命令，输入 /help 查看可用命令。"

# -- errors -------------------------------------------------------------------------------------
ERROR = "抱歉，处理时出了点问题，已经记录下来了。请稍后再试，或换个说法提问。"
