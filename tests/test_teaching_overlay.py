"""The trainers' overlay in knowledge/local/: new entries and phrasings linked to existing entries."""

from bot.content.knowledge import check_knowledge, load_knowledge
from bot.matching.engine import Engine, Outcome


def write_local(kb_dir, name, text):
    (kb_dir / "local" / name).write_text(text, encoding="utf-8")


def test_linked_phrasings_are_added_to_the_entry(kb_dir):
    write_local(kb_dir, "linked.yaml", "alternates:\n  - entry: reply-deadline\n    phrasings: [信息公开申请拖了一个月还没回复算不算超期]\n")
    kb = load_knowledge(kb_dir)
    assert "信息公开申请拖了一个月还没回复算不算超期" in kb.entries["reply-deadline"].alternates
    answer = Engine(kb).ask("信息公开申请拖了一个月还没回复算不算超期")
    assert answer.outcome is Outcome.ANSWERED and answer.entry.id == "reply-deadline"


def test_linked_phrasing_of_another_entry_is_an_error_at_the_overlay_line(kb_dir):
    write_local(kb_dir, "linked.yaml", "alternates:\n  - entry: reply-deadline\n    phrasings: [涉密文件能给申请人吗]\n  - entry: nope\n    phrasings: [x]\n")
    _, problems = check_knowledge(kb_dir)
    messages = [str(p) for p in problems]
    assert any("linked.yaml:2:" in m and "already belongs to entry secret-documents" in m for m in messages), messages
    assert any("linked.yaml:4:" in m and "unknown entry 'nope'" in m for m in messages), messages


def test_local_entries_need_no_alternates_and_a_bad_file_is_named(kb_dir):
    write_local(kb_dir, "taught.yaml", (
        "entries:\n  - id: taught-1\n    question: 公务员招录体检结果能公开吗\n    verdict: partial\n"
        "    answer: 部分公开。去除个人隐私后公开结论。\n    basis: [reg-37]\n"
    ))
    assert "taught-1" in load_knowledge(kb_dir).entries
    write_local(kb_dir, "other.yaml", "something: else\n")
    _, problems = check_knowledge(kb_dir)
    assert any("other.yaml:1:" in str(p) and "'entries:' or 'alternates:'" in str(p) for p in problems)
