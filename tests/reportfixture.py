"""A small training history with known figures, written straight into the tables (reports only read).

Today is 2026-03-02 (the quiz fixture's Clock). Expected figures:
- 人社局: 张三 passed demo (2 attempts, best 100; an older failed assignment is superseded),
  李四 demo open and overdue (due 2026-02-20, no attempt).
- 财政局: 王五 failed demo (2 attempts, best 33) and has 'other' open (due 2026-03-20; one practice attempt,
  which does not count); 赵六 has nothing assigned.
- 钱七 (办公室) was removed and appears nowhere.
- Questions: demo-02 answered 4 times, right once (25 %, the most missed); demo-01 and demo-03 3 times,
  right twice; demo-04 once, right; demo-05 voided (not counted).
- Weeks (Beijing, from Monday): 2026-02-23: 主动公开 3, 不予公开 1, 未答出 2;
  2026-03-02: 主动公开 1 (asked Sunday 20:00 UTC = Monday 04:00 Beijing), 未答出 1, 不在服务范围 1.
"""

from __future__ import annotations

from tests.quizfixture import Clock, add_user, write_bank

ID_NUMBER = "110101199003071234"
PHONE = "13812345678"
BANK_CARD = "6222021234567890123"


def fill(db) -> None:
    add_user(db, 1, name="张三", username="zhangsan", department="人社局")
    add_user(db, 2, name="李四", department="人社局")
    add_user(db, 3, name="王五", department="财政局")
    add_user(db, 4, name="赵六", department="财政局")
    add_user(db, 5, name="钱七", department="办公室", role="manager")
    c = db.conn
    c.execute("UPDATE users SET removed_at = '2026-02-01T00:00:00+00:00' WHERE telegram_id = 5")
    assignments = [  # id, user, quiz, assigned_at, due_on, status, best
        (1, 1, "demo", "2026-01-05T01:00:00+00:00", "2026-01-19", "failed", 0),
        (2, 1, "demo", "2026-02-16T01:00:00+00:00", "2026-03-09", "passed", 100),
        (3, 2, "demo", "2026-02-06T01:00:00+00:00", "2026-02-20", "assigned", None),
        (4, 3, "demo", "2026-02-16T01:00:00+00:00", "2026-03-02", "failed", 33),
        (5, 3, "other", "2026-02-27T01:00:00+00:00", "2026-03-20", "assigned", None),
        (6, 5, "demo", "2026-02-16T01:00:00+00:00", "2026-03-02", "assigned", None),
    ]
    c.executemany("INSERT INTO assignments (id, user_id, quiz_id, assigned_at, due_on, status, best_score)"
                  " VALUES (?, ?, ?, ?, ?, ?, ?)", assignments)
    attempts = [  # id, user, quiz, assignment, number, started, finished, correct, total, score, passed
        (1, 1, "demo", 2, 1, "2026-02-17T02:00:00+00:00", "2026-02-17T02:10:00+00:00", 1, 3, 33, 0),
        (2, 1, "demo", 2, 2, "2026-02-18T02:00:00+00:00", "2026-02-18T02:10:00+00:00", 3, 3, 100, 1),
        (3, 3, "demo", 4, 1, "2026-02-17T03:00:00+00:00", "2026-02-17T03:10:00+00:00", 1, 3, 33, 0),
        (4, 3, "demo", 4, 2, "2026-02-19T03:00:00+00:00", "2026-02-19T03:10:00+00:00", 1, 3, 33, 0),
        (5, 3, "other", None, 1, "2026-02-28T03:00:00+00:00", "2026-02-28T03:10:00+00:00", 0, 1, 0, 0),
    ]
    c.executemany("INSERT INTO attempts (id, user_id, quiz_id, assignment_id, number, started_at, finished_at,"
                  " correct, total, score, passed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", attempts)
    answers = [  # attempt, position, question, correct
        (1, 0, "demo-01", 1), (1, 1, "demo-02", 0), (1, 2, "demo-03", 0),
        (2, 0, "demo-01", 1), (2, 1, "demo-02", 1), (2, 2, "demo-03", 1),
        (3, 0, "demo-01", 0), (3, 1, "demo-02", 0), (3, 2, "demo-04", 1),
        (4, 0, "demo-02", 0), (4, 1, "demo-03", 1), (4, 2, "demo-05", None),
    ]
    c.executemany("INSERT INTO attempt_answers (attempt_id, position, question_id, option_order, chosen, correct, answered_at)"
                  " VALUES (?, ?, ?, '0,1,2,3', '0', ?, '2026-02-17T02:05:00+00:00')", answers)
    questions = [  # asked_at, user, outcome, verdict
        *[("2026-02-23T02:00:00+00:00", 1, "answered", "proactive")] * 3,
        ("2026-02-24T02:00:00+00:00", 3, "answered", "must_not"),
        *[("2026-02-25T02:00:00+00:00", 2, "unknown", None)] * 2,
        ("2026-03-01T20:00:00+00:00", 1, "answered", "proactive"),
        ("2026-03-02T02:00:00+00:00", 3, "suggested", None),
        ("2026-03-02T03:00:00+00:00", 4, "out_of_scope", None),
        ("2026-03-02T03:00:00+00:00", 4, "empty", None),
    ]
    c.executemany("INSERT INTO questions (asked_at, user_id, channel, text, outcome, verdict, confidence, latency_ms)"
                  " VALUES (?, ?, 'telegram', '问题', ?, ?, 0.5, 1.0)", questions)
    gaps = [  # rows as an older version may have stored them: unmasked
        (2, "人社局", f"申请人要公开身份证{ID_NUMBER}的体检结果", "unknown", "open", None),
        (1, "人社局", "预决算要不要挂网", f"unhelpful: 请打{PHONE}联系我，卡号{BANK_CARD}", "answered", "budget-accounts"),
    ]
    c.executemany("INSERT INTO gaps (user_id, department, text, normalized, reason, created_at, status, entry_id)"
                  " VALUES (?, ?, ?, '', ?, '2026-02-25T02:00:00+00:00', ?, ?)", gaps)
    c.commit()


async def prepare(core, quizzes_dir):
    """The core with the demo bank loaded, the clock at 2026-03-02, and the history above; its reports."""
    write_bank(quizzes_dir)
    assert (await core.reloader.reload()).ok
    core.quizzes.clock = Clock()
    await core.store.run(fill)
    return core.reports
