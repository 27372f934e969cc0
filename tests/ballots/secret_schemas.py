"""What the secrecy tests check of each vote's tables: one entry per secret vote of the app.

A vote that uses the ballot engine adds its SecretSchema to SCHEMAS, and
tests/ballots/test_secret_schema.py checks its tables as it checks the evaluation's: no ballot table
refers to a person, the only people near the ballots are the clerks who typed or corrected a
sheet, the roster says only what kind of ballot a deputy received, and no ballot table keeps a
time finer than a day.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SecretSchema:
    name: str
    # The tables that hold or lead to a ballot's choices (and must keep no time).
    ballot_tables: tuple[str, ...]
    # The roster: who attended and what kind of ballot each received, and its exact columns.
    roster_table: str
    roster_columns: frozenset[str]
    # The only columns that name a person near the ballots: {table: the clerk columns}.
    clerk_columns: dict[str, set[str]]
    # Tables of hand-outs besides the roster (adjustments): no link to a ballot either way.
    hand_out_tables: tuple[str, ...] = ()

    @property
    def people_tables(self) -> set[str]:
        return {"deputy", "user", self.roster_table}

    @property
    def ballot_side(self) -> tuple[str, ...]:
        return (*self.ballot_tables, *self.clerk_columns)

    @property
    def hand_out_side(self) -> set[str]:
        return {"deputy", self.roster_table, *self.hand_out_tables}


EVALUATION = SecretSchema(
    name="evaluation",
    ballot_tables=(
        "ballot",
        "ballot_mark",
        "ballot_phone_code",
        "ballot_paper_serial",
        "ballot_sealed",
        "ballot_sealed_mark",
    ),
    roster_table="ballot_attendance",
    roster_columns=frozenset(
        {"id", "meeting_id", "deputy_id", "present", "marked_at", "marked_by_id", "ballot_kind"}
    ),
    clerk_columns={
        "ballot_paper_entry": {"entered_by_id"},
        "ballot_correction": {"made_by_id"},
    },
    hand_out_tables=("ballot_adjustment",),
)

# The livelihood vote: the engine's tables, plus the vote's own line table (a candidate on a round's
# ballot), which must not lead to a person either.
LIVELIHOOD = SecretSchema(
    name="livelihood",
    ballot_tables=(*EVALUATION.ballot_tables, "livelihood_candidate_line"),
    roster_table=EVALUATION.roster_table,
    roster_columns=EVALUATION.roster_columns,
    clerk_columns=EVALUATION.clerk_columns,
    hand_out_tables=EVALUATION.hand_out_tables,
)

SCHEMAS = [EVALUATION, LIVELIHOOD]
