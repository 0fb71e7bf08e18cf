"""verify_all(): the chain, the tables it speaks of, the
triggers guarding them, and (on request) checkpoints.
"""

from __future__ import annotations

from ..extensions import db
from ..timeline.chain import verify_chain
from .checkpoints import verify_checkpoints
from .records import verify_records
from .triggers import missing_triggers

#: the order failures are reported in: the chain first, since every other check reads its events
CHECKS = ("chain", "records", "triggers", "checkpoints")


def verify_all(
    *, workers: int = 1, checkpoints=None, public_key: str | bytes | None = None
) -> dict:
    """Run every check; the report keeps verify_chain()'s
    fields and names the first check that failed.

    `ok`, `events_checked`, `records_checked`, `missing_triggers`, `checks` and `records` (the
    records check's own report, also when the chain failed first) always; when not ok,
    `failed_check`, `first_bad_event`, `problem` and what it concerns (`table`, `row`, `field`,
    `mismatches` for records; `file` for checkpoints). `checkpoints` (a folder) adds their report.
    """
    chain = verify_chain(workers=workers)
    records = verify_records()
    with db.engine.connect() as connection:
        missing = missing_triggers(connection)
    signed = verify_checkpoints(checkpoints, public_key) if checkpoints is not None else None
    passed = {"chain": chain.ok, "records": records.ok, "triggers": not missing}
    if signed is not None:
        passed["checkpoints"] = signed.ok
    report = {
        "ok": all(passed.values()),
        "events_checked": chain.events_checked,
        "records_checked": records.records_checked,
        "missing_triggers": missing,
        "checks": passed,
        "records": records.as_dict(),
    }
    if signed is not None:
        report["checkpoints"] = signed.as_dict()
    failed = next((name for name in CHECKS if passed.get(name) is False), None)
    if failed == "chain":
        report.update(
            failed_check="chain", first_bad_event=chain.first_bad_event, problem=chain.problem
        )
    elif failed == "records":
        first = records.first
        report.update(
            failed_check="records",
            first_bad_event=first.seq,
            problem=first.problem,
            table=first.table,
            row=first.row,
            field=first.field,
            mismatches=records.mismatches,
        )
    elif failed == "triggers":
        report.update(failed_check="triggers", first_bad_event=None, problem="missing_triggers")
    elif failed == "checkpoints":
        name, problem = signed.problems[0]
        report.update(failed_check="checkpoints", first_bad_event=None, problem=problem, file=name)
    return report


def failure_detail(report: dict) -> str | None:
    """What the first failure concerns, in a line (kept with the audit run)."""
    check = report.get("failed_check")
    if check == "records":
        where = (
            f"{report['table']} #{report['row']}"
            if report.get("row") is not None
            else report["table"]
        )
        return f"{where} {report['field']}" if report.get("field") else where
    if check == "triggers":
        return ", ".join(report["missing_triggers"])[:500]
    if check == "checkpoints":
        return report.get("file")
    return None
