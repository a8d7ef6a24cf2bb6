import pytest

from bot.privacy import mask_personal_numbers


@pytest.mark.parametrize(
    ("text", "hidden"),
    [
        ("身份证110101199003071234有人要", "110101199003071234"),
        ("身份证11010119900307123X", "11010119900307123X"),
        ("电话13812345678", "13812345678"),
        ("卡号6222021234567890123", "6222021234567890123"),
        # typed the way people type them: grouped, hyphenated, full width, with +86, the old 15-digit ID
        ("身份证 110101 1990 0307 1234", "0307 1234"),
        ("电话138-1234-5678", "1234-5678"),
        ("电话 138 1234 5678", "1234 5678"),
        ("+8613812345678", "12345678"),
        ("手机１３８１２３４５６７８", "12345678"),  # read as ASCII digits, then masked
        ("卡号 6222 0212 3456 7890 123", "0212 3456"),
        ("老身份证110101900307123", "110101900307123"),
        ("13812345678abc", "13812345678"),
    ],
)
def test_masks(text, hidden):
    masked = mask_personal_numbers(text)
    assert hidden not in masked
    assert "*" in masked


def test_leaves_ordinary_numbers():
    text = "2019年第711号令，20个工作日，文号〔2014〕130号，2024-01-01至2024-12-31，ISBN 978-7-111-12345-6"
    assert mask_personal_numbers(text) == text


def test_two_numbers_side_by_side_are_masked_each():
    assert mask_personal_numbers("13812345678 13912345678") == "138******78 139******78"
    assert mask_personal_numbers("2019 13812345678") == "2019 138******78"
