"""The surplus rule (差额): how many candidates a plan of N places needs, and what it says when
there are too few, in Chinese and English."""

from __future__ import annotations

import pytest

from supervise.livelihood.plan_models import surplus_check


@pytest.mark.parametrize(
    "count_,places,percent,ok,required",
    [
        (12, 10, 20, True, 12),  # the common rule: 12 for 10
        (11, 10, 20, False, 12),
        (13, 10, 20, True, 12),
        (2, 1, 20, True, 2),  # 1 × 20% = 0.2, rounded up: one more
        (1, 1, 20, False, 2),
        (6, 5, 20, True, 6),  # exactly 20%
        (7, 6, 20, False, 8),  # 1.2 rounded up to 2
        (10, 10, 0, True, 10),  # no surplus asked
        (15, 10, 50, True, 15),
        (5, 0, 20, False, 0),  # no places: refused whatever the count
    ],
)
def test_the_surplus_rule(count_, places, percent, ok, required):
    check = surplus_check(count_, places, percent)
    assert (check.ok, check.required) == (ok, required)


def test_the_surplus_texts(app):
    with app.test_request_context():
        rule = "规则要求至少 20%"
        assert surplus_check(12, 10, 20).text == f"候选项目 12 个，应选 10 个，差额 2 个（20%，{rule}）"
        assert surplus_check(4, 3, 20).text == f"候选项目 4 个，应选 3 个，差额 1 个（33%，{rule}）"
        assert "至少应有 12 个候选项目" in surplus_check(11, 10, 20).text
        assert "至少为 1 个" in surplus_check(3, 0, 20).text


SURPLUS_TEXTS = [
    ("zh", 0, 3, 20, "还没有候选项目，应选 3 个，至少应有 4 个候选项目"),
    ("zh", 0, 3, 0, "还没有候选项目，应选 3 个，至少应有 3 个候选项目"),
    ("zh", 2, 3, 0, "候选项目只有 2 个，少于应选的 3 个；至少应有 3 个候选项目，还差 1 个"),
    ("zh", 2, 3, 20, "候选项目只有 2 个，少于应选的 3 个；至少应有 4 个候选项目，还差 2 个"),
    (
        "zh",
        11,
        10,
        20,
        "候选项目 11 个，应选 10 个，差额未达到规则要求的 20%；至少应有 12 个候选项目，还差 1 个",
    ),
    ("zh", 10, 10, 0, "候选项目 10 个，应选 10 个，差额 0 个（规则不要求差额）"),
    ("en", 0, 1, 20, "No candidates yet: at least 2 candidates are needed (places to fill: 1)"),
    ("en", 0, 1, 0, "No candidates yet: at least 1 candidate is needed (places to fill: 1)"),
    ("en", 3, 1, 0, "Candidates: 3, places to fill: 1, 2 more (no surplus required)"),
    ("en", 2, 1, 20, "Candidates: 2, places to fill: 1, 1 more (100%; the rule asks for at least 20%)"),
    (
        "en",
        2,
        3,
        0,
        "Candidates so far: 2, fewer than the places to fill (3); 1 more candidate is needed to reach 3",
    ),
    (
        "en",
        11,
        10,
        20,
        "Candidates: 11, places to fill: 10, fewer than 20% more; 1 more candidate is needed to reach 12",
    ),
]


@pytest.mark.parametrize("locale, count_, places, percent, said", SURPLUS_TEXTS)
def test_a_short_or_empty_candidate_list_says_what_is_missing(app, locale, count_, places, percent, said):
    from flask_babel import force_locale

    with app.test_request_context(), force_locale(locale):
        check = surplus_check(count_, places, percent)
        assert check.text == said
        # A 0% rule asks for no surplus: nothing says a surplus is short of, or at least, 0%.
        assert (
            "不足 0%" not in check.text
            and "至少 0%" not in check.rule_text
            and "least 0%" not in check.rule_text
        )
        assert "1 places" not in check.rule_text and "1 places" not in check.text
