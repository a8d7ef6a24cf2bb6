"""Callback data: ids only, at most 64 bytes, and anything forged decodes to None."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.telegram.callbacks import MAX_BYTES, Callback, decode, encode

ids = st.integers(min_value=0, max_value=10**15 - 1)


@given(kind=st.from_regex(r"[a-z]{1,4}", fullmatch=True), args=st.lists(ids, max_size=3))
def test_round_trip_within_64_bytes(kind, args):
    data = encode(kind, *args)
    assert len(data.encode("utf-8")) <= MAX_BYTES
    assert decode(data) == Callback(kind, tuple(args))


@given(st.text(max_size=100))
def test_anything_decodes_without_raising(data):
    result = decode(data)
    assert result is None or encode(result.kind, *result.args) == data


@pytest.mark.parametrize("data", [None, "", "r:", "r:1:", "R:1", "r:-1", "r:01", "r:1:2:3:4:5", "答:1",
                                  "r:1 ", "toolong:1", "r:" + "9" * 16, "r:1\n"])
def test_malformed_data_is_rejected(data):
    assert decode(data) is None


@pytest.mark.parametrize("kind,args", [("答", (1,)), ("r", (-1,)), ("r", (1, 2, 3, 4, 5)), ("r", (10**15,))])
def test_encode_refuses_what_would_not_decode(kind, args):
    with pytest.raises(ValueError):
        encode(kind, *args)
