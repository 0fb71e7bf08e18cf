"""The bell and the webhook pages read through the notify service, in a fixed number of queries."""

import pytest

from crisisdesk.errors import Forbidden, NotFound
from crisisdesk.extensions import db
from crisisdesk.incidents import service as incidents
from crisisdesk.notify import bell as bells
from crisisdesk.notify import service, worker

from ..conftest import login
from ..counting import counted_statements


def crisis(actor, title):
    # as an alert opens it: no person has taken the minute-0 step, so all on call hear of it
    return incidents.open_incident(
        actor=actor, title=title, severity=1, playbook="it-provider-outage-en", by_alert=True
    )


def test_the_bell_brings_each_note_with_its_event_in_a_fixed_number_of_queries(
    app, make_user, clock
):
    olga = make_user("olga", roles=["oncall"])
    otto = make_user("otto", roles=["oncall"])
    counts = []
    for total in (1, 6):
        for _attempt in range(2 * total):  # bounded: a missing notification fails, never hangs
            if len(bells.notifications(otto)) >= total:
                break
            crisis(olga, f"Crisis {len(bells.notifications(otto))}")
            worker.tick()
        db.session.commit()
        db.session.expire_all()
        with counted_statements() as statements:
            bell = bells.bell(otto)
        counts.append(len(statements))
    assert counts[0] == counts[1], counts
    assert len(bell.notes) == 6 and {note.event_seq for note in bell.notes} == set(bell.events)
    assert all(bell.events[note.event_seq].incident_id == note.incident_id for note in bell.notes)
    assert bell.mail["escalation"] is True


def test_the_bell_page_tells_what_happened(client, make_user, clock):
    olga = make_user("olga", roles=["oncall"])
    make_user("otto", roles=["oncall"])
    crisis(olga, "Online banking down")
    worker.tick()
    login(client, "otto")
    page = client.get("/notifications").get_data(as_text=True)
    assert "system Escalation due for On call: Lead takes over" in page


def test_a_webhook_log_is_for_admins_and_an_unknown_one_is_404(client, make_user):
    ada = make_user("ada", roles=["admin"])
    olga = make_user("olga", roles=["oncall"])
    hook = service.add_webhook("https://hooks.example/x", "0123456789abcdef", actor=ada)
    assert service.webhook_log(hook.id, actor=ada) == (hook, [])
    with pytest.raises(Forbidden):
        service.webhook_log(hook.id, actor=olga)
    with pytest.raises(NotFound):
        service.webhook_log(hook.id + 1, actor=ada)
    login(client, "ada")
    missing = client.get(f"/admin/webhooks/{hook.id + 1}")
    assert missing.status_code == 404 and "There is no such webhook." in missing.get_data(
        as_text=True
    )
