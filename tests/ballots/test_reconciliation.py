"""The reconciliation's arithmetic (对账), whatever the ballot says: which accounts fail to balance."""

from __future__ import annotations

from dataclasses import replace

import pytest

from supervise.ballots.reconciliation import Accounts, Imbalance

BALANCED = Accounts(
    issued=20,
    returned=18,
    not_returned=2,
    spoiled=1,
    outstanding=[],
    valid=17,
    invalid=1,
    paper_handed=20,
    phone_handed=10,
    phone_ballots=9,
    mismatched=[],
)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({}, []),
        ({"outstanding": [7]}, [Imbalance.outstanding]),
        ({"valid": 16}, [Imbalance.returned_not_sorted]),
        ({"invalid": 2}, [Imbalance.returned_not_sorted]),
        ({"paper_handed": 21}, [Imbalance.issued_not_handed]),
        ({"phone_ballots": 11}, [Imbalance.phone_surplus]),
        ({"phone_ballots": 10}, []),  # every code used: still balances
        ({"mismatched": [3]}, [Imbalance.mismatched]),
        (
            {"outstanding": [5], "valid": 10, "mismatched": [1]},
            [Imbalance.outstanding, Imbalance.returned_not_sorted, Imbalance.mismatched],
        ),
    ],
)
def test_which_accounts_fail_to_balance(change, expected):
    accounts = replace(BALANCED, **change)
    assert accounts.imbalances() == expected
    assert accounts.balances == (not expected)


def test_the_meetings_ballots_count_paper_and_phone_together():
    """发出 / 收回 / 未收回 of the whole meeting, as the result page and report print them: each
    deputy handed a ballot got one numbered sheet or one code; a cast phone ballot is returned."""
    assert BALANCED.ballots_issued == 20 + 10
    assert BALANCED.ballots_returned == 18 + 9
    assert BALANCED.ballots_not_returned == 2 + 1
    assert BALANCED.ballots_issued == BALANCED.ballots_returned + BALANCED.ballots_not_returned
    spent = replace(BALANCED, phone_ballots=10)
    assert (spent.ballots_returned, spent.ballots_not_returned) == (28, 2)
