"""HTML rendering: every value escaped, every message valid Telegram HTML and under 4096 characters."""

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.matching.engine import Outcome
from bot.presenting import RELEASE_REMINDER, AnswerView, Basis
from bot.telegram.render import MAX_MESSAGE, answer_keyboard, answer_messages, pack, para, split_text, without_kind
from tests.telegram.fakebot import check_html, html_to_text

nasty = st.text(alphabet=st.sampled_from(list("<>&\"'公开申请。，；\n 　ａ<b></b>&amp;😀\u202e\x00")), max_size=300)


def test_answer_layout_and_escaping():
    view = AnswerView(
        headline="主动公开", body="批复后<20日>内公开 & 挂网",
        basis=(Basis("《预算法》第十四条", "预决算公开", "批准后20日内公开"),),
        caveats=("涉密部分除外",), reminder=RELEASE_REMINDER,
    )
    (html,) = answer_messages(view, Outcome.ANSWERED)
    assert html.startswith("<b>【主动公开】</b>\n批复后&lt;20日&gt;内公开 &amp; 挂网")
    assert "<b>依据</b>\n• 《预算法》第十四条（预决算公开）：批准后20日内公开" in html
    assert "<b>注意</b>\n• 涉密部分除外" in html
    assert f"<i>{RELEASE_REMINDER}</i>" in html
    assert check_html(html) is None


def test_long_answer_is_split_below_the_limit_on_paragraphs():
    body = "\n".join(f"第{i}段：" + "政府信息公开" * 60 for i in range(40))
    view = AnswerView(headline="办理程序", body=body, caveats=tuple("注意事项" * 50 for _ in range(20)))
    messages = answer_messages(view, Outcome.ANSWERED)
    assert len(messages) > 3
    assert all(len(m) <= MAX_MESSAGE and check_html(m) is None for m in messages)
    assert "".join(html_to_text(m) for m in messages).replace("\n", "") == html_to_text(
        "\n".join(["<b>【办理程序】</b>", body, "<b>注意</b>", *("• " + c for c in view.caveats)])).replace("\n", "")


@settings(max_examples=200, deadline=None)
@given(text=nasty, limit=st.integers(min_value=20, max_value=400))
def test_para_keeps_every_character_and_every_piece_fits(text, limit):
    blocks = para(text, "<i>{}</i>", limit=limit)
    assert all(len(b) <= limit and check_html(b) is None for b in blocks)
    assert "".join(html_to_text(b) for b in blocks) == text


@settings(max_examples=200, deadline=None)
@given(text=nasty)
def test_split_text_fits_and_is_valid(text):
    for message in split_text(text * 20):
        assert len(message) <= MAX_MESSAGE and check_html(message) is None


def test_pack_never_cuts_a_block():
    blocks = ["<b>标题</b>", "x" * 3000, "y" * 3000, "", "z"]
    assert pack(blocks) == ["<b>标题</b>\n" + "x" * 3000, "y" * 3000 + "\n\nz"]


def test_keyboard_carries_ids_only_and_rating_row_can_be_dropped():
    keyboard = answer_keyboard(123456789, ["行政处罚决定书里有当事人身份证号，申请公开怎么处理" * 3, "值班表"], rate=True)
    rows = keyboard.inline_keyboard
    assert [b.callback_data for b in rows[0]] == ["r:123456789:1", "r:123456789:0"]
    assert [row[0].callback_data for row in rows[1:]] == ["a:123456789:0", "a:123456789:1"]
    assert all(len(b.text) <= 42 for row in rows for b in row)
    rest = without_kind(keyboard, "r")
    assert [row[0].callback_data for row in rest.inline_keyboard] == ["a:123456789:0", "a:123456789:1"]
    assert without_kind(answer_keyboard(1, [], rate=True), "r") is None
