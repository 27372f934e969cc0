"""The reconciliation (对账) of a secret vote, as arithmetic: the accounts that must balance before
voting closes, whatever the ballot says. A meeting says each imbalance in its own words (its sheet
has its own name: 测评表, 选票).

    issued = returned + not returned          (every numbered sheet handed out is accounted for)
    returned = valid + invalid                (every sheet entered is one or the other)
    issued = deputies recorded as given a sheet
    phone ballots ≤ deputies recorded as given a code
    no sheet whose second entry disagrees with its first
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Imbalance(enum.Enum):
    """What keeps the accounts from balancing, in the order a meeting reports it."""

    outstanding = "outstanding"  # sheets handed out, neither entered nor recorded as not returned
    returned_not_sorted = "returned_not_sorted"  # returned ≠ valid + invalid
    issued_not_handed = "issued_not_handed"  # sheets issued ≠ deputies given a sheet
    phone_surplus = "phone_surplus"  # more phone ballots than deputies given a code
    mismatched = "mismatched"  # a second entry disagrees with the first


@dataclass(frozen=True)
class Accounts:
    """The paper sheets and the hand-outs counted against each other."""

    issued: int
    returned: int
    not_returned: int
    spoiled: int
    outstanding: list[int]
    valid: int
    invalid: int
    paper_handed: int
    phone_handed: int
    phone_ballots: int
    mismatched: list[int]

    def imbalances(self) -> list[Imbalance]:
        found = []
        if self.outstanding:
            found.append(Imbalance.outstanding)
        if self.returned != self.valid + self.invalid:
            found.append(Imbalance.returned_not_sorted)
        if self.issued != self.paper_handed:
            found.append(Imbalance.issued_not_handed)
        if self.phone_ballots > self.phone_handed:
            found.append(Imbalance.phone_surplus)
        if self.mismatched:
            found.append(Imbalance.mismatched)
        return found

    @property
    def balances(self) -> bool:
        return not self.imbalances()
