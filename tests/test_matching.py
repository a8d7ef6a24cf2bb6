import pytest

from bot.matching.engine import Outcome
from bot.verdicts import Verdict


@pytest.mark.parametrize(
    ("question", "entry_id"),
    [
        ("部门预算和决算要主动公开吗", "budget-accounts"),  # verbatim
        ("请问，我们局的预决算要不要挂网呀？", "budget-accounts"),  # filler and punctuation
        ("三公要公开不", "budget-accounts"),  # alias
        ("部门决算报表有人问要不要公",  "budget-accounts"),  # dropped character
        ("涉密的文件能给申请人吗", "secret-documents"),
        ("单位内部值班表，申请人要复印", "internal-duty-roster"),
        ("收到申请后几个工作日内要答复", "reply-deadline"),
        ("群众找县政府要法院的判决书", "court-judgment"),
    ],
)
def test_paraphrases_find_their_entry(engine, question, entry_id):
    answer = engine.ask(question)
    assert answer.outcome is Outcome.ANSWERED, answer
    assert answer.entry.id == entry_id
    assert 0 < answer.confidence <= 1


@pytest.mark.parametrize("question", ["明天天气怎么样", "请假要走什么流程", "帮我订一份午饭", "OA密码忘了"])
def test_unrelated_questions_are_out_of_scope(engine, question):
    answer = engine.ask(question)
    assert answer.outcome is Outcome.OUT_OF_SCOPE
    assert answer.verdict is None and not answer.is_gap


def test_disclosure_question_without_an_answer_is_a_gap(engine):
    answer = engine.ask("公车GPS轨迹能给吗")
    assert answer.abstained and answer.is_gap
    assert answer.verdict is None


@pytest.mark.parametrize("question", ["", "   ", "？！。", "😀😀"])
def test_empty_questions(engine, question):
    assert engine.ask(question).outcome is Outcome.EMPTY


def test_answer_carries_rules_and_alternatives(engine):
    answer = engine.ask("我们局的预决算要不要挂网")
    assert [r.id for r in answer.rules] == ["reg-20", "budget-14"]
    assert all(a.entry_id != "budget-accounts" for a in answer.alternatives)


def test_never_releases_what_the_question_marks_sensitive(engine):
    # The closest entry by words is the budget one (release), but the question names ID numbers:
    # the engine must not hand out a release verdict from an entry that does not deal with them.
    answer = engine.ask("部门决算报表里有职工的身份证号，要不要公开")
    assert answer.verdict not in (Verdict.PROACTIVE, Verdict.ON_REQUEST)
    assert "个人隐私" in answer.sensitive


def test_release_entry_that_handles_the_sensitive_data_is_allowed(engine):
    answer = engine.ask("处罚决定书里有身份证号，申请公开怎么处理")
    assert answer.verdict is Verdict.PARTIAL


def test_huge_message_is_answered_quickly(engine):
    answer = engine.ask("值班表" + "啊" * 50_000)
    assert answer.outcome in set(Outcome)


def test_answer_entry_gives_that_entry_or_none(engine):
    answer = engine.answer_entry("internal-duty-roster")
    assert answer.entry.id == "internal-duty-roster" and answer.verdict is Verdict.MAY_WITHHOLD
    assert [r.id for r in answer.rules] == ["reg-16"]
    assert engine.answer_entry("removed-since") is None


def test_negated_markers_do_not_count():
    from bot.matching.engine import _mentions

    assert _mentions("这份文件涉密", ("涉密",))
    assert not _mentions("这份文件不涉密", ("涉密",))
    assert not _mentions("并非国家秘密", ("国家秘密",))
    assert _mentions("不是普通文件而是国家秘密", ("国家秘密",))


def test_protected_data_inside_a_releasable_document_is_severed(engine):
    # budget documents are proactive; with ID numbers inside them the answer is partial release (Art. 37)
    answer = engine.ask("部门决算报表附件里有职工的身份证号，要不要公开")
    assert answer.verdict is Verdict.PARTIAL
    assert any("第三十七条" in n for n in answer.notes)


def test_severance_must_name_a_partial_entry(kb_dir):
    from bot.content.knowledge import check_knowledge

    path = kb_dir / "dictionary.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("个人隐私: penalty-decision-redaction", "个人隐私: secret-documents"),
                    encoding="utf-8")
    assert any("severance" in str(p) for p in check_knowledge(kb_dir)[1])
