import pytest

from bot.privacy import mask_personal_numbers


@pytest.mark.parametrize(
    ("text", "hidden"),
    [
        ("身份证110101199003071234有人要", "110101199003071234"),
        ("身份证11010119900307123X", "11010119900307123X"),
        ("电话13812345678", "13812345678"),
        ("卡号6222021234567890123", "6222021234567890123"),
    ],
)
def test_masks(text, hidden):
    masked = mask_personal_numbers(text)
    assert hidden not in masked
    assert "*" in masked


def test_leaves_ordinary_numbers():
    text = "2019年第711号令，20个工作日，文号〔2014〕130号"
    assert mask_personal_numbers(text) == text
