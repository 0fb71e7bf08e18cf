"""A drill cannot be taken for a real incident: DRILL on mail and notes; no webhook hears of it."""

from sqlalchemy import select

from crisisdesk.extensions import db
from crisisdesk.incidents.models import Incident
from crisisdesk.notify import service as notify
from crisisdesk.notify import worker
from crisisdesk.notify.mailer import compose_mail
from crisisdesk.notify.models import Delivery, Notification
from crisisdesk.timeline.models import TimelineEvent

from ..conftest import login


def test_participants_see_each_inject_under_their_bell_marked_drill(client, drill, team):
    worker.tick()
    db.session.rollback()
    notes = db.session.scalars(select(Notification).where(Notification.kind == "drill")).all()
    assert {note.user_id for note in notes} == {team["olga"].id, team["lena"].id}
    login(client, "olga")
    page = client.get("/notifications").get_data(as_text=True)
    assert "DRILL: something new arrived in the exercise" in page and ">DRILL</span>" in page


def test_no_webhook_hears_of_a_drill(app, drill, team, make_user):
    admin = make_user("ada", roles=["admin"])
    notify.add_webhook("https://hooks.example/x", "0123456789abcdef", actor=admin)
    worker.dispatch_events()
    db.session.rollback()
    assert db.session.scalar(select(Delivery.id).where(Delivery.webhook_id.is_not(None))) is None


def test_a_drills_mail_says_drill_in_its_subject_and_first_line(app, drill, team):
    incident = db.session.get(Incident, drill.incident_id)
    event = db.session.scalars(
        select(TimelineEvent).where(TimelineEvent.incident_id == incident.id)
    ).first()
    message = compose_mail(event, team["olga"], incident)
    assert message["Subject"].startswith("[DRILL] [")
    assert "DRILL · An exercise, not a real incident" in message.get_body(("plain",)).get_content()


def test_every_export_of_a_drill_says_drill(client, drill, token_for, team):
    import io
    import json
    import zipfile

    login(client, "olga")
    incident = drill.incident_id
    markdown = client.get(f"/incidents/{incident}/postmortem.md").get_data(as_text=True)
    assert markdown.startswith("# DRILL · Post-mortem ") and "an exercise, not a real" in markdown
    assert json.loads(client.get(f"/incidents/{incident}/events.json").data)["incident"]["drill"]
    pack = zipfile.ZipFile(
        io.BytesIO(client.get(f"/incidents/{incident}/regulatory/evidence.zip").data)
    )
    assert json.loads(pack.read("evidence.json"))["incident"]["drill"] is True
    assert "DRILL" in pack.read("evidence.md").decode().splitlines()[0]
    olga = token_for(team["olga"])
    draft = client.get(f"/api/v1/incidents/{incident}/report-draft?kind=initial", headers=olga)
    assert draft.json["drill"] is True
    for page in ("postmortem", "postmortem/print", "regulatory", "said", "responses/new"):
        text = client.get(f"/incidents/{incident}/{page}").get_data(as_text=True)
        assert 'class="alert alert-warning py-1 mb-2 drill-banner"' in text, page


def test_a_real_incidents_exports_say_nothing_of_drills(client, team):
    import json

    from crisisdesk.incidents.service import open_incident

    real = open_incident(
        actor=team["olga"], title="Outage", severity=2, playbook="it-provider-outage-en"
    )
    login(client, "olga")
    markdown = client.get(f"/incidents/{real.id}/postmortem.md").get_data(as_text=True)
    assert "DRILL" not in markdown
    assert (
        json.loads(client.get(f"/incidents/{real.id}/events.json").data)["incident"]["drill"]
        is False
    )
    assert "drill-banner" not in client.get(f"/incidents/{real.id}/postmortem").get_data(
        as_text=True
    )


def test_publishing_in_a_drill_asks_to_record_what_would_have_been_posted(client, drill, team):
    from crisisdesk.responses import service as responses

    draft = responses.draft_response(drill.incident_id, actor=team["olga"], channel="x", body="Hi")
    responses.submit_response(draft.id, actor=team["olga"])
    responses.approve_response(draft.id, actor=team["lena"])
    login(client, "olga")
    page = client.get(f"/responses/{draft.id}").get_data(as_text=True)
    assert "Record what would have been posted" in page
    assert "Post the text below exactly as it stands" not in page
