"""kill -9 the production server in the middle of writes:
nothing acknowledged is lost, nothing half-written.

gunicorn (2 workers, as in the README) serves the desk on the test's database; threads of this
process send notes and open incidents through the API; once enough writes have been answered the
whole server process group gets SIGKILL while requests are in flight. After three such crashes
and restarts every write that got a 2xx is in the database exactly as answered, every incident
that exists is complete, the sequence has no gap and the chain verifies.
"""

from __future__ import annotations

import http.client
import threading

import pytest
from sqlalchemy import func, select, text

from crisisdesk.accounts import tokens
from crisisdesk.extensions import db
from crisisdesk.incidents import service as incidents
from crisisdesk.incidents.models import EscalationStep, Incident, IncidentChecklistItem
from crisisdesk.timeline.chain import decoded_data, verify_chain
from crisisdesk.timeline.models import TimelineEvent

from .servers import Node, call_api, desk_environment

pytestmark = pytest.mark.slow

ROUNDS, WRITERS, WRITES_BEFORE_KILL = 3, 4, 40
PLAYBOOK = "it-provider-outage-en"


def _post(port: int, path: str, body: dict, token: str):
    return call_api(port, "POST", path, token, body)


def _drive(
    server: Node,
    token: str,
    incident_id: int,
    label: str,
    answered: list,
    enough: threading.Event,
    stop: threading.Event,
) -> None:
    """Write until stopped: mostly notes, every fifth
    an incident; keep what the server confirmed.
    """
    count = 0
    while not stop.is_set():
        count += 1
        try:
            if count % 5:
                text_ = f"{label}-{count}"
                status, body = _post(
                    server.port, f"/incidents/{incident_id}/notes", {"text": text_}, token
                )
                answered.append(("note", text_, body["seq"], body["hash"]))
            else:
                status, body = _post(
                    server.port,
                    "/incidents",
                    {"title": f"{label}-{count}", "severity": 2, "playbook": PLAYBOOK},
                    token,
                )
                answered.append(("incident", body["title"], body["id"], body["ref"]))
            assert status == 201
        except (OSError, http.client.HTTPException):  # URLError is an OSError
            answered.append(
                ("unconfirmed", label, count, None)
            )  # the server died under this request
            continue
        if sum(entry[0] != "unconfirmed" for entry in answered) >= WRITES_BEFORE_KILL * (
            int(label.split("-")[0]) + 1
        ):
            enough.set()


def _crash_round(server: Node, token: str, incident_id: int, round_no: int, answered: list) -> None:
    enough, stop = threading.Event(), threading.Event()
    writers = [
        threading.Thread(
            target=_drive,
            args=(server, token, incident_id, f"{round_no}-{n}", answered, enough, stop),
        )
        for n in range(WRITERS)
    ]
    for writer in writers:
        writer.start()
    assert enough.wait(timeout=120), "the writers never got enough answers"
    server.kill()  # writers are mid-request now
    stop.set()
    for writer in writers:
        writer.join(timeout=30)
    server.start()


def test_kill_minus_nine_loses_no_confirmed_write(app, make_user, tmp_path, capsys):
    olga = make_user("olga", roles=["oncall"])
    _row, token = tokens.create_token(olga, "crash")
    incident_id = incidents.open_incident(
        actor=olga, title="Crash target", severity=1, playbook=PLAYBOOK
    ).id
    db.session.remove()
    env = desk_environment(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path)
    server = Node(env, tmp_path / "gunicorn.log")
    answered: list = []
    server.start()
    try:
        for round_no in range(ROUNDS):
            _crash_round(server, token, incident_id, round_no, answered)
        status, after = _post(
            server.port, f"/incidents/{incident_id}/notes", {"text": "after the crashes"}, token
        )
        assert status == 201
    finally:
        server.kill()

    db.session.remove()
    notes = {
        event.seq: event
        for event in db.session.scalars(
            select(TimelineEvent).where(TimelineEvent.kind == "note_added")
        )
    }
    confirmed_notes = [entry for entry in answered if entry[0] == "note"]
    confirmed_incidents = [entry for entry in answered if entry[0] == "incident"]
    for _kind, text_, seq, hash_ in confirmed_notes:
        assert (
            seq in notes and notes[seq].hash == hash_ and decoded_data(notes[seq])["text"] == text_
        )
    stored = {row.id: row for row in db.session.scalars(select(Incident))}
    for _kind, title, incident, ref in confirmed_incidents:
        assert stored[incident].ref == ref and stored[incident].title == title
    for incident in stored.values():  # confirmed or not: whatever committed is whole
        opened = db.session.scalar(
            select(func.count())
            .select_from(TimelineEvent)
            .where(
                TimelineEvent.incident_id == incident.id, TimelineEvent.kind == "incident_opened"
            )
        )
        items = db.session.scalar(
            select(func.count())
            .select_from(IncidentChecklistItem)
            .where(IncidentChecklistItem.incident_id == incident.id)
        )
        steps = db.session.scalar(
            select(func.count())
            .select_from(EscalationStep)
            .where(EscalationStep.incident_id == incident.id)
        )
        assert (opened, incident.lead_id is not None, items > 0, steps > 0) == (1, True, True, True)
    seqs = list(db.session.scalars(select(TimelineEvent.seq).order_by(TimelineEvent.seq)))
    assert seqs == list(range(1, len(seqs) + 1))
    result = verify_chain()
    assert result.ok, result
    if db.engine.dialect.name == "sqlite":
        assert db.session.execute(text("PRAGMA integrity_check")).scalar() == "ok"
    assert after["seq"] == seqs[-1]
    unconfirmed = len([entry for entry in answered if entry[0] == "unconfirmed"])
    assert len(answered) - unconfirmed >= ROUNDS * WRITES_BEFORE_KILL and unconfirmed >= ROUNDS
    with capsys.disabled():
        print(
            f"\n  crash ({db.engine.dialect.name}): {ROUNDS} kill -9 under {WRITERS} writers, "
            f"{len(answered) - unconfirmed} writes confirmed "
            f"({len(confirmed_incidents)} incidents), 0 lost, "
            f"{unconfirmed} cut off by the kill; "
            f"{len(stored)} incidents and {len(seqs)} events stored, chain verifies"
        )
