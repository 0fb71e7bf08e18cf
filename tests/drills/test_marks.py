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
