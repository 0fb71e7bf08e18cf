"""An alert is one transaction: receipts, the key's lock, reopening, link or the new incident."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select, text

from crisisdesk.database import begin_write
from crisisdesk.extensions import db
from crisisdesk.incidents import alerts, entries, service
from crisisdesk.incidents.models import AlertReceipt, Incident, SourceLink
from crisisdesk.timeline.models import TimelineEvent

from ..counting import counted_commits
from .conftest import PLAYBOOK

KEY = "listening-42"


def alert(actor, **fields):
    fields.setdefault("title", "Phishing SMS wave")
    fields.setdefault("playbook", PLAYBOOK)
    return alerts.receive_alert(actor=actor, dedupe_key=KEY, **fields)


def resolved_incident(olga) -> Incident:
    incident = alert(olga, source_url="https://x.com/a/1").incident
    for status in ("monitoring", "resolved"):
        service.update_incident(incident.id, actor=olga, status=status)
    return incident


def kinds_after(seq: int) -> list[str]:
    db.session.rollback()
    return list(
        db.session.scalars(
            select(TimelineEvent.kind).where(TimelineEvent.seq > seq).order_by(TimelineEvent.seq)
        )
    )


def head() -> int:
    return db.session.scalar(select(func.max(TimelineEvent.seq))) or 0


def test_an_alert_that_opens_commits_once_with_the_content_versions_it_records(olga, clock):
    before = head()
    with counted_commits() as commits:
        outcome = alert(olga)
    assert outcome.action == "opened" and len(commits) == 1
    assert kinds_after(before) == ["content_synced", "incident_opened"]


def test_an_alert_that_reopens_and_links_commits_once(olga, clock):
    incident = resolved_incident(olga)
    before = head()
    with counted_commits() as commits:
        outcome = alert(olga, source_url="https://x.com/a/2")
    assert (outcome.action, outcome.incident.id, len(commits)) == ("reopened", incident.id, 1)
    assert kinds_after(before) == ["status_changed", "source_link_added"]
    assert db.session.get(Incident, incident.id).status == "open"


def test_an_alert_failing_half_way_leaves_no_trace(olga, clock, monkeypatch):
    incident = resolved_incident(olga)
    before = head()
    real = entries.append_event

    def refuse_links(kind, **kwargs):
        if kind == "source_link_added":
            raise RuntimeError("the disk is full")
        return real(kind, **kwargs)

    monkeypatch.setattr(entries, "append_event", refuse_links)
    receipt = {"signature:abc": clock.now() + timedelta(minutes=5)}
    with pytest.raises(RuntimeError):
        alert(olga, source_url="https://x.com/a/2", receipts=receipt)
    db.session.rollback()
    assert db.session.get(Incident, incident.id).status == "resolved"  # not reopened
    assert kinds_after(before) == []
    assert db.session.scalar(select(func.count()).select_from(AlertReceipt)) == 0
    assert db.session.scalar(select(func.count()).select_from(SourceLink)) == 1


def test_on_postgresql_the_key_stays_locked_until_the_alert_commits(app, olga, clock):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("advisory locks are PostgreSQL's")
    resolved_incident(olga)
    held = []

    def another_connection_tries_the_lock():
        with db.engine.connect() as other:
            taken = other.execute(
                text("SELECT pg_try_advisory_xact_lock(hashtext(:key))"), {"key": KEY}
            ).scalar()
            other.rollback()  # an xact lock taken here ends with this transaction
        held.append(not taken)

    with counted_commits(before_commit=another_connection_tries_the_lock):
        alert(olga, source_url="https://x.com/a/2")
    assert held == [True]  # one commit, and the key was still locked when it came
    with db.engine.connect() as other:
        assert other.execute(
            text("SELECT pg_try_advisory_xact_lock(hashtext(:key))"), {"key": KEY}
        ).scalar()


def test_the_inner_functions_never_commit_and_the_services_commit_once(olga, clock):
    incident = service.open_incident(actor=olga, title="First", severity=2, playbook=PLAYBOOK)
    inner = [
        lambda: service.open_incident_in_transaction(
            actor=olga, title="Inner", severity=2, playbook=PLAYBOOK
        ),
        lambda: service.update_incident_in_transaction(incident.id, actor=olga, title="Renamed"),
        lambda: entries.add_source_link_in_transaction(
            incident.id, "https://x.com/inner", actor=olga
        ),
    ]
    for call in inner:
        begin_write()
        with counted_commits() as commits:
            call()
        assert commits == []
        db.session.rollback()
    outer = [
        lambda: service.open_incident(actor=olga, title="Outer", severity=2, playbook=PLAYBOOK),
        lambda: service.update_incident(incident.id, actor=olga, title="Renamed"),
        lambda: entries.add_source_link(incident.id, "https://x.com/outer", actor=olga),
    ]
    for call in outer:
        with counted_commits() as commits:
            call()
        assert len(commits) == 1
