"""What verify_records() finds (each mismatch, the report, the tally), and how it reads rows."""

from __future__ import annotations

from dataclasses import dataclass

STREAM = {"yield_per": 2000}  #: rows come from the server in slices, not all at once


@dataclass
class Mismatch:
    """One stored row (or missing row) that the events do not tell."""

    seq: int | None  #: the event that recorded what differs (None: a row no event recorded)
    problem: str  #: row_differs, row_missing, row_without_event
    table: str
    row: int | None
    field: str | None = None

    def rank(self) -> tuple:
        return (self.seq is None, self.seq or 0, self.table, self.row or 0)


@dataclass
class RecordsReport:
    """What verify_records() found: the first mismatch by event order, and how many there are."""

    ok: bool
    records_checked: int
    mismatches: int = 0
    first: Mismatch | None = None

    def as_dict(self) -> dict:
        report = {"ok": self.ok, "records_checked": self.records_checked}
        if self.first is not None:
            report.update(
                first_bad_event=self.first.seq,
                problem=self.first.problem,
                table=self.first.table,
                row=self.first.row,
                field=self.first.field,
                mismatches=self.mismatches,
            )
        return report


class _Findings:
    def __init__(self):
        self.checked, self.count, self.first = 0, 0, None

    def add(self, seq, problem, table, row, field=None) -> None:
        found = Mismatch(seq, problem, table, row, field)
        self.count += 1
        if self.first is None or found.rank() < self.first.rank():
            self.first = found
