"""/reload: a valid base replaces the old one; an invalid one leaves the bot answering from the old."""

from bot.matching.engine import Outcome
from tests.quizfixture import DEMO, write_bank

NEW_ENTRY = """\
entries:
  - id: village-accounts
    question: 村委会的账目有人向镇政府申请公开
    alternates: [村民向乡镇申请公开村里的财务账, 村集体收支明细能向政府申请吗, 村务账目要镇里答复吗]
    verdict: out_of_regime
    answer: 不属于政府信息公开范围。村务公开按村民委员会组织法办理。
    basis: [reg-2]
"""


async def test_reload_serves_new_entries_at_once(core, kb_dir):
    question = "村民向乡镇申请公开村里的财务账"
    assert core.engine.ask(question).outcome is not Outcome.ANSWERED
    (kb_dir / "entries" / "village.yaml").write_text(NEW_ENTRY, encoding="utf-8")
    result = await core.reloader.reload()
    assert result.ok and result.entries == 8 and not result.problems
    assert core.engine.ask(question).entry.id == "village-accounts"
    assert (await core.asking.ask(question, user_id=1, channel="test")).answer.entry.id == "village-accounts"


async def test_reload_keeps_the_old_base_and_names_file_and_line(core, kb_dir, tmp_path):
    before = core.engine
    broken = NEW_ENTRY.replace("basis: [reg-2]", "basis: [reg-99]")
    (kb_dir / "entries" / "village.yaml").write_text(broken, encoding="utf-8")
    (kb_dir / "local" / "taught.yaml").write_text("entries:\n  - id: x\n    question: [unclosed\n", encoding="utf-8")
    result = await core.reloader.reload()
    assert not result.ok
    assert core.engine is before
    assert core.engine.ask("我们局的预决算要不要挂网").entry.id == "budget-accounts"
    assert any(p.startswith("knowledge/entries/village.yaml:2:") and "reg-99" in p for p in result.problems), result.problems
    assert any(p.startswith("knowledge/local/taught.yaml:") and "YAML" in p for p in result.problems), result.problems


async def test_reload_keeps_the_old_quizzes_when_a_bank_is_broken(core, tmp_path):
    quizzes = tmp_path / "quizzes"
    write_bank(quizzes)
    assert (await core.reloader.reload()).quizzes == 1
    banks = core.quizzes.banks
    write_bank(quizzes, DEMO.replace("answer: [2]", "answer: [7]"))
    result = await core.reloader.reload()
    assert not result.ok and any(p.startswith("quizzes/demo.yaml:") for p in result.problems), result.problems
    assert core.quizzes.banks is banks
