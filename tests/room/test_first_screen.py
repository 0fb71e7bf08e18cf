"""The room's first screen, the status control, and the work waiting for each person."""

from __future__ import annotations

import re
from datetime import timedelta

from crisisdesk.incidents import escalation
from crisisdesk.incidents import service as incidents
from crisisdesk.responses import service as responses
from crisisdesk.room.guidance import split_guidance
from crisisdesk.room.waiting import waiting_for

from ..conftest import login, signed_in_client

PLAYBOOK = "phishing-wave-en"


def _page(client, url):
    reply = client.get(url)
    assert reply.status_code == 200
    return reply.get_data(as_text=True)


def test_the_next_step_checklist_and_drafting_come_before_everything_else(client, make_user):
    olga = make_user("olga")
    incident = incidents.open_incident(actor=olga, title="Phishing", severity=1, playbook=PLAYBOOK)
    login(client, "olga")
    page = _page(client, f"/incidents/{incident.id}")
    now = page.index('id="now"')
    later = [page.index(f'id="{name}"') for name in ("guidance", "steps", "checklist", "timeline")]
    assert now < min(later) and page.index('id="links"') > now
    card = page[now : page.index("</section>", now)]
    pending = [s for s in incident.steps if s.status == "pending"]
    # the next open step (the minute-0 one is the opener's already) with its button
    assert f"/steps/{pending[0].id}/ack" in card and ">Acknowledge<" in card
    open_items = [item for item in incident.checklist if not item.done][:3]
    assert [f"/checklist/{item.item_key}" in card for item in open_items] == [True] * 3
    assert f"/checklist/{incident.checklist[3].item_key}" not in card
    assert ">Draft a response<" in card
    # the first-hour guidance is open while the incident is open; the script folds it later
    assert re.search(r'<details class="guidance-first" open data-close-after="[^"]+Z">', page)
    assert "The first 15 minutes" in page


def test_ticking_on_the_first_screen_returns_there_and_shows_the_next_item(client, make_user):
    olga = make_user("olga")
    incident = incidents.open_incident(actor=olga, title="Phishing", severity=2, playbook=PLAYBOOK)
    first, fourth = incident.checklist[0].item_key, incident.checklist[3].item_key
    login(client, "olga")
    reply = client.post(
        f"/incidents/{incident.id}/checklist/{first}", data={"done": "1", "from": "now"}
    )
    assert reply.status_code == 302 and reply.headers["Location"].endswith("#now")
    card = _page(client, f"/incidents/{incident.id}")
    card = card[card.index('id="now"') : card.index("</section>", card.index('id="now"'))]
    assert f"/checklist/{first}" not in card and f"/checklist/{fourth}" in card
    reply = client.post(f"/incidents/{incident.id}/checklist/{first}", data={"done": "0"})
    assert reply.headers["Location"].endswith("#checklist")


def test_a_closed_room_has_no_first_screen_card(client, make_user, clock):
    olga = make_user("olga")
    incident = incidents.open_incident(actor=olga, title="Phishing", severity=3, playbook=PLAYBOOK)
    login(client, "olga")
    assert 'id="now"' in _page(client, f"/incidents/{incident.id}")
    incidents.update_incident(incident.id, actor=olga, status="monitoring")
    page = _page(client, f"/incidents/{incident.id}")
    # no longer open: the first-hour guidance is no longer opened for the reader
    assert '<details class="guidance-first">' in page


def test_status_shows_as_text_with_a_button_per_allowed_move(client, make_user):
    olga = make_user("olga")
    incident = incidents.open_incident(actor=olga, title="Phishing", severity=3, playbook=PLAYBOOK)
    login(client, "olga")
    page = _page(client, f"/incidents/{incident.id}")
    manage = page[page.index('id="manage"') :]
    assert '<strong class="current-status">open</strong>' in manage
    assert re.findall(r'name="status" value="(\w+)"', manage) == ["monitoring"]
    assert "<select" not in manage[: manage.index("</form>")]
    reply = client.post(f"/incidents/{incident.id}/status", data={"status": "monitoring"})
    assert reply.status_code == 302
    manage = _page(client, f"/incidents/{incident.id}")
    manage = manage[manage.index('id="manage"') :]
    assert '<strong class="current-status">monitoring</strong>' in manage
    assert re.findall(r'name="status" value="(\w+)"', manage) == ["open", "resolved"]


def test_a_rejection_stands_in_the_room_until_a_new_revision_exists(client, make_user):
    olga, lena = make_user("olga"), make_user("lena", roles=["legal"])
    incident = incidents.open_incident(actor=olga, title="Phishing", severity=2, playbook=PLAYBOOK)
    response = responses.draft_response(
        incident.id, actor=olga, channel="x", body="We look into it"
    )
    responses.submit_response(response.id, actor=olga)
    responses.reject_response(response.id, actor=lena, comment="Name the hotline.")
    login(client, "olga")
    page = _page(client, f"/incidents/{incident.id}")
    card = page[page.index('id="now"') : page.index("</section>", page.index('id="now"'))]
    assert "Name the hotline." in card and f"/responses/{response.id}" in card
    responses.revise_response(response.id, actor=olga, body="Call 116 116 to block your card.")
    page = _page(client, f"/incidents/{incident.id}")
    card = page[page.index('id="now"') : page.index("</section>", page.index('id="now"'))]
    assert "Name the hotline." not in card and "Legal rejected" not in card


def test_waiting_work_shows_on_the_bar_and_the_board(app, client, make_user, clock):
    olga, _lena = make_user("olga"), make_user("lena", roles=["legal"])
    make_user("mia", roles=["management"])
    incident = incidents.open_incident(actor=olga, title="Phishing", severity=1, playbook=PLAYBOOK)
    response = responses.draft_response(
        incident.id, actor=olga, channel="x", body="We look into it"
    )
    responses.submit_response(response.id, actor=olga)
    login(client, "lena")
    board = _page(client, "/")
    # legal: one response to review and every unapproved statement; no step is due yet
    strip = board[
        board.index('id="waiting"') : board.index("</section>", board.index('id="waiting"'))
    ]
    assert "1 response to review" in strip and "library texts to sign off" in strip
    assert "escalation step" not in strip
    count = int(re.search(r'waiting-count"[^>]*>(\d+) waiting for you', board).group(1))
    signs = int(re.search(r"(\d+) library texts to sign off", strip).group(1))
    assert count == 1 + signs
    # management has nothing yet; once its step falls due it does, on every page's bar
    client = signed_in_client(app, "mia")
    assert "waiting for you" not in _page(client, "/library/")
    due = min(s.due_at for s in incident.steps if s.target_role == "management")
    clock.freeze(due + timedelta(seconds=1))
    page = _page(client, "/library/")
    assert re.search(r'waiting-count"[^>]*>1 waiting for you', page)
    board = _page(client, "/")
    assert f'/incidents/{incident.id}#now">1 escalation step to acknowledge' in board
    step = next(s for s in incident.steps if s.target_role == "management" and s.due_at == due)
    escalation.acknowledge(incident.id, step.id, actor=olga)
    assert "waiting for you" not in _page(client, "/library/")


def test_the_sign_off_queue_shows_the_text_before_the_approve_button(client, make_user):
    make_user("lena", roles=["legal"])
    login(client, "lena")
    page = _page(client, "/library/review")
    article = page[page.index("<article") : page.index("</article>")]
    assert 'class="statement-text sign-off-text' in article
    assert article.index("sign-off-text") < article.index("Approve for one year")


def test_guidance_splits_at_the_second_section():
    html = "<p>Intro</p><h2>The first 15 minutes</h2><ul><li>a</li></ul><h2>Do</h2><p>b</p>"
    guidance = split_guidance(html, "First steps")
    assert guidance.first_title == "The first 15 minutes"
    assert str(guidance.first) == "<p>Intro</p><ul><li>a</li></ul>"
    assert str(guidance.rest) == "<h2>Do</h2><p>b</p>"
    assert split_guidance("<p>Only</p>", "First steps").first_title == "First steps"


def test_due_steps_are_counted_whole_and_the_earliest_named(app, make_user, clock):
    olga, mia = make_user("olga"), make_user("mia", roles=["management"])
    opened = [
        incidents.open_incident(actor=olga, title=f"Phishing {n}", severity=1, playbook=PLAYBOOK)
        for n in range(3)
    ]
    clock.advance(minutes=1)
    hidden = incidents.open_incident(
        actor=olga,
        title="Secret",
        severity=1,
        playbook=PLAYBOOK,
        restricted=True,
        restriction_reason="Personalsache",
    )
    clock.advance(hours=6)
    steps = [
        (step.due_at, step.id, incident.id)
        for incident in opened
        for step in incident.steps
        if step.target_role == "management" and step.status in ("pending", "notified")
    ]
    assert len(steps) > len(opened)  # several per incident, so the count is not of incidents
    seen = waiting_for(mia)
    # the restricted incident's steps are not mia's to see, so not hers to count
    assert (seen.steps, seen.step_incident_id) == (len(steps), min(steps)[2])
    assert any(step.target_role == "management" for step in hidden.steps)
