"""The reconciliation (对账) of a secret vote, as arithmetic: the accounts that must balance before
voting closes, whatever the ballot says. A meeting says each imbalance in its own words (its sheet
has its own name: 测评表, 选票).

    issued = returned + not returned          (every numbered sheet handed out is accounted for)
    returned = valid + invalid                (every sheet entered is one or the other)
    issued = deputies recorded as given a sheet
    phone ballots ≤ deputies recorded as given a code
    no sheet whose second entry disagrees with its first
    no sheet entered once only (double entry: every returned sheet is checked by a second clerk)

The result of a meeting counts its paper and phone ballots together (``ballots_issued`` …): a code
handed to a deputy is a ballot issued, a code cast a ballot returned.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class Imbalance(enum.Enum):
    """What keeps the accounts from balancing, in the order a meeting reports it."""

    outstanding = "outstanding"  # sheets handed out, neither entered nor recorded as not returned
    returned_not_sorted = "returned_not_sorted"  # returned ≠ valid + invalid
    issued_not_handed = "issued_not_handed"  # sheets issued ≠ deputies given a sheet
    phone_surplus = "phone_surplus"  # more phone ballots than deputies given a code
    mismatched = "mismatched"  # a second entry disagrees with the first
    unchecked = "unchecked"  # a returned sheet entered once, never checked by a second entry


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
    unchecked: list[int] = field(default_factory=list)

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
        if self.unchecked:
            found.append(Imbalance.unchecked)
        return found

    @property
    def balances(self) -> bool:
        return not self.imbalances()

    # The meeting's ballots, paper and phone together, as its result and report print them: every
    # deputy handed a ballot got one numbered sheet or one code (a code voided and replaced is still
    # one deputy's), and a code cast is a ballot returned. 发出 = 收回 + 未收回, 收回 = 有效 + 无效.

    @property
    def ballots_issued(self) -> int:
        """发出: numbered sheets handed out (spoiled ones exchanged are not counted) + codes handed out."""
        return self.issued + self.phone_handed

    @property
    def ballots_returned(self) -> int:
        """收回: sheets returned and entered + phone ballots cast."""
        return self.returned + self.phone_ballots

    @property
    def ballots_not_returned(self) -> int:
        """未收回: sheets recorded as not returned (or not yet entered) + codes handed out unused."""
        return self.ballots_issued - self.ballots_returned
