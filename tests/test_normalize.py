from bot.content.models import Dictionary
from bot.matching.normalize import Normalizer, basic_normalize


def test_width_punctuation_and_case():
    assert basic_normalize("ＡＢＣ，政府 信息！？123") == "abc政府信息123"


def test_fillers_and_aliases():
    n = Normalizer(Dictionary(aliases={"生态环境局": ("环保局",), "三公经费": ("三公",)}, fillers=("请问", "吗")))
    assert n.normalize("请问环保局的文件要公开吗？") == "生态环境局的文件要公开"
    # an alias inside its own canonical word is left alone
    assert n.normalize("三公经费") == "三公经费"
    assert n.normalize("三公") == "三公经费"


def test_filler_only_question_is_kept():
    n = Normalizer(Dictionary(fillers=("吗",)))
    assert n.normalize("吗") == "吗"


def test_tokens_are_bigrams_plus_terms():
    n = Normalizer(Dictionary(terms=("三公经费",)))
    tokens = n.tokens("三公经费公开")
    assert tokens[:5] == ["三公", "公经", "经费", "费公", "公开"]
    assert "#三公经费" in tokens
    assert n.tokens("密") == ["密"]


def test_huge_input_is_capped():
    n = Normalizer(Dictionary())
    assert len(n.normalize("公开" * 100_000)) <= 600
