from bot.presenting import as_text, one_line, view
from bot.verdicts import Verdict


def test_one_line_keeps_the_first_sentence():
    assert one_line("第一句说明。第二句细节。") == "第一句说明。"
    long = "甲" * 200
    cut = one_line(long)
    assert len(cut) == 80 and cut.endswith("…")


def test_release_answers_carry_the_reminder_and_withholding_ones_do_not(engine):
    release = engine.ask("我们局的预决算要不要挂网")
    assert release.verdict is Verdict.PROACTIVE
    assert view(release).reminder and "第十七条" in as_text(release)
    withheld = engine.ask("涉密文件能给申请人吗")
    assert withheld.verdict is Verdict.MUST_NOT
    assert not view(withheld).reminder


def test_abstentions_say_so(engine):
    assert "不属于政府信息公开业务" in as_text(engine.ask("明天天气怎么样"))
    assert "培训老师" in as_text(engine.ask("公车GPS轨迹能给吗"))
