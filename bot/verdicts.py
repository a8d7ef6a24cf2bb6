"""The verdict codes: what data and JSON carry, and the Chinese labels users see."""

from __future__ import annotations

from enum import StrEnum


class Verdict(StrEnum):
    PROACTIVE = "proactive"
    ON_REQUEST = "on_request"
    PARTIAL = "partial"
    MUST_NOT = "must_not"
    MAY_WITHHOLD = "may_withhold"
    THIRD_PARTY = "third_party"
    CASE_BY_CASE = "case_by_case"
    OUT_OF_REGIME = "out_of_regime"
    PROCEDURE = "procedure"

    @property
    def label(self) -> str:
        return LABELS[self]

    @property
    def leads_to_release(self) -> bool:
        """Verdicts that end with the document going out (they need the pre-release reminder)."""
        return self in RELEASE

    @property
    def withholds(self) -> bool:
        return self in (Verdict.MUST_NOT, Verdict.MAY_WITHHOLD)


LABELS: dict[Verdict, str] = {
    Verdict.PROACTIVE: "主动公开",
    Verdict.ON_REQUEST: "依申请公开",
    Verdict.PARTIAL: "部分公开（区分处理）",
    Verdict.MUST_NOT: "不予公开",
    Verdict.MAY_WITHHOLD: "可以不予公开",
    Verdict.THIRD_PARTY: "征求第三方意见",
    Verdict.CASE_BY_CASE: "视情况/需审查",
    Verdict.OUT_OF_REGIME: "不属于政府信息公开范围",
    Verdict.PROCEDURE: "办理程序",
}

RELEASE = frozenset({Verdict.PROACTIVE, Verdict.ON_REQUEST, Verdict.PARTIAL})

CODES = frozenset(v.value for v in Verdict)


def parse_verdict(value: object) -> Verdict | None:
    """The Verdict for a code such as ``"must_not"``, or None when it is not a code."""
    if isinstance(value, str) and value in CODES:
        return Verdict(value)
    return None


def verdict_by_label(label: str) -> Verdict | None:
    for verdict, text in LABELS.items():
        if text == label:
            return verdict
    return None
