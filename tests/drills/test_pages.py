"""The drills page and the room's drill buttons, for exercise leads only."""

from crisisdesk.drills.models import Drill
from crisisdesk.extensions import db

from ..conftest import login
from .conftest import SCRIPT


def test_management_starts_a_drill_from_the_page(client, team, clock):
    login(client, "max")
    page = client.get("/drills").get_data(as_text=True)
    assert f'value="{SCRIPT}"' in page and "No drill yet." in page
    reply = client.post(
        "/drills", data={"script": SCRIPT, "participants": ["olga"], "announced": "y"}
    )
    assert reply.status_code == 302
    started = db.session.query(Drill).one()
    assert reply.headers["Location"].endswith(f"/incidents/{started.incident_id}")
    assert started.participant_names() == ["olga"] and started.announced


def test_a_bad_start_is_a_form_error_and_starts_nothing(client, team):
    login(client, "max")
    reply = client.post("/drills", data={"script": "nope", "participants": ["olga"]})
    assert reply.status_code == 422 and "There is no drill script nope." in reply.get_data(
        as_text=True
    )
    reply = client.post("/drills", data={"script": SCRIPT, "participants": ["lena"]})
    assert reply.status_code == 422 and "Name at least one on-call participant" in reply.get_data(
        as_text=True
    )
    assert db.session.query(Drill).count() == 0


def test_on_call_sees_the_drill_but_not_its_controls(client, drill):
    login(client, "olga")
    assert client.get("/drills").status_code == 403
    room = client.get(f"/incidents/{drill.incident_id}").get_data(as_text=True)
    assert 'id="drill"' in room and "End the drill" not in room
    moved = client.post(f"/drills/{drill.id}/move", data={"move": "end"})
    assert moved.status_code == 403


def test_the_exercise_lead_pauses_brings_forward_and_ends_from_the_room(client, drill):
    login(client, "max")
    room = client.get(f"/incidents/{drill.incident_id}").get_data(as_text=True)
    assert "Bring the next inject forward" in room and "Pause" in room
    for move, status in (("pause", "paused"), ("fast-forward", "paused"), ("end", "ended")):
        reply = client.post(f"/drills/{drill.id}/move", data={"move": move})
        assert reply.status_code == 302 and reply.headers["Location"].endswith("#drill")
        db.session.rollback()
        assert db.session.get(Drill, drill.id).status == status
    assert client.post(f"/drills/{drill.id}/move", data={"move": "dance"}).status_code == 302
