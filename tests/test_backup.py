"""Backups: a consistent SQLite copy that restores with
the chain intact; PostgreSQL gets pg_dump guidance.
"""

from sqlalchemy import func, select

from crisisdesk.extensions import db
from crisisdesk.incidents import service as incidents
from crisisdesk.incidents.models import Incident


def test_backup_and_restore_keep_the_chain(app, runner, make_user, tmp_path):
    if db.engine.dialect.name != "sqlite":
        result = runner.invoke(args=["backup", str(tmp_path / "x.sqlite")])
        assert result.exit_code != 0 and "pg_dump" in result.output
        return
    olga = make_user("olga", roles=["oncall"])
    incidents.open_incident(
        actor=olga, title="Before the backup", severity=2, playbook="phishing-wave-en"
    )
    target = tmp_path / "backup.sqlite"
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code == 0 and target.stat().st_size > 0
    assert runner.invoke(args=["backup", str(target)]).exit_code != 0  # never overwrites
    incidents.open_incident(
        actor=olga, title="After the backup", severity=2, playbook="phishing-wave-en"
    )
    db.session.remove()
    result = runner.invoke(args=["restore", str(target), "--yes"])
    assert result.exit_code == 0 and "chain intact" in result.output
    titles = db.session.scalars(select(Incident.title)).all()
    assert titles == ["Before the backup"]


def test_restore_refuses_a_file_that_is_not_a_backup(app, runner, tmp_path):
    bogus = tmp_path / "bogus.sqlite"
    bogus.write_text("not a database")
    result = runner.invoke(args=["restore", str(bogus), "--yes"])
    assert result.exit_code != 0
    assert db.session.scalar(select(func.count()).select_from(Incident)) == 0
