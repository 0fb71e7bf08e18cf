"""Running the audit and remembering each run (the dashboard shows the latest)."""

from __future__ import annotations

from sqlalchemy import select

from ..accounts.permissions import require_role
from ..database import begin_write
from ..extensions import db
from .models import AuditRun
from .report import failure_detail, verify_all


def verify_and_record(*, actor=None, workers: int = 1, checkpoints=None, public_key=None) -> dict:
    """Check chain, records and triggers (management, admin; `actor=None` is the command line).

    The run is remembered. Only the command line splits the work over processes and reads
    checkpoint files; a web worker does neither.
    """
    if actor is not None:
        require_role(actor, "management", "admin")
        workers, checkpoints, public_key = 1, None, None
    report = verify_all(workers=workers, checkpoints=checkpoints, public_key=public_key)
    begin_write()
    db.session.add(
        AuditRun(
            ok=report["ok"],
            events_checked=report["events_checked"],
            first_bad_event=report.get("first_bad_event"),
            by=actor.username if actor else "system",
            failed_check=report.get("failed_check"),
            problem=report.get("problem"),
            detail=failure_detail(report),
        )
    )
    db.session.commit()
    return report


def last_audit() -> AuditRun | None:
    """The latest run of the audit."""
    return db.session.scalar(select(AuditRun).order_by(AuditRun.id.desc()).limit(1))
