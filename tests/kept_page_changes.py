"""The changes the kept-pages property test makes to the desk, each drawn by hypothesis."""

from __future__ import annotations

from hypothesis import strategies as st
from sqlalchemy import select

from crisisdesk.accounts import service as accounts
from crisisdesk.extensions import db
from crisisdesk.incidents import entries, escalation, restriction, roles
from crisisdesk.incidents import service as incidents
from crisisdesk.incidents.models import EscalationStep, Incident, IncidentChecklistItem
from crisisdesk.responses import service as responses
from crisisdesk.responses.models import Response
from crisisdesk.review import service as review

PLAYBOOKS = ("phishing-wave-en", "fee-dispute-de", "it-provider-outage-en")


READERS = {  # username: roles, language, zone
    "olga": (["oncall"], "en", "Europe/Berlin"),
    "oskar": (["oncall"], "de", "Europe/Berlin"),
    "lena": (["legal"], "en", "America/New_York"),
    "max": (["management"], "de", "Europe/Berlin"),
    "ada": (["admin"], "en", "UTC"),
    "nora": ([], "en", "Europe/Berlin"),  # signed in, no role: reads no incident
}


def _user(name: str):
    return accounts.find_user(name)


def _pick(data, label: str, query):
    """One of the rows `query` finds (None when there are none)."""
    rows = list(db.session.scalars(query))
    return data.draw(st.sampled_from(rows), label=label) if rows else None


def _incident(data):
    return _pick(data, "incident", select(Incident.id).order_by(Incident.id.desc()).limit(3))


def _open(world, data):
    incidents.open_incident(
        actor=_user(data.draw(st.sampled_from(["olga", "oskar", "ada"]), label="opener")),
        title=data.draw(st.sampled_from(["Outage", "Phishing wave", "Fee storm"]), label="title"),
        severity=data.draw(st.integers(1, 4), label="severity"),
        playbook=data.draw(st.sampled_from(PLAYBOOKS), label="playbook"),
    )


def _note(world, data):
    number = _incident(data)
    if number:
        actor = _user(data.draw(st.sampled_from(list(READERS)), label="author"))
        entries.add_note(
            number, data.draw(st.sampled_from(["Hotline staffed", "<b>"])), actor=actor
        )


def _tick(world, data):
    number = _incident(data)
    key = number and _pick(
        data,
        "item",
        select(IncidentChecklistItem.item_key).where(IncidentChecklistItem.incident_id == number),
    )
    if key:
        entries.set_checklist_item(number, key, data.draw(st.booleans()), actor=_user("olga"))


def _acknowledge(world, data):
    number = _incident(data)
    step = number and _pick(
        data, "step", select(EscalationStep.id).where(EscalationStep.incident_id == number)
    )
    if step:
        actor = _user(data.draw(st.sampled_from(list(READERS)), label="acknowledger"))
        escalation.acknowledge(number, step, actor=actor)


def _worker(world, data):
    escalation.claim_due_steps()


def _assign(world, data):
    number = _incident(data)
    if number:
        role = data.draw(st.sampled_from(list(roles.ROLE_RULES)), label="role")
        holder = data.draw(st.sampled_from(list(READERS)), label="holder")
        actor = _user(data.draw(st.sampled_from(["olga", "ada", "lena", "max"]), label="assigner"))
        roles.assign_role(number, role, holder, actor=actor)


def _take_over(world, data):
    number = _incident(data)
    if number:
        actor = _user(data.draw(st.sampled_from(["olga", "oskar", "ada"]), label="taker"))
        roles.take_over_lead(number, actor=actor, reason="night shift")


def _respond(world, data):
    step = data.draw(st.sampled_from(["draft", "submit", "approve", "publish"]), label="response")
    if step == "draft":
        number = _incident(data)
        if number:
            responses.draft_response(
                number, actor=_user("olga"), channel="facebook", body="We are on it."
            )
        return
    response = _pick(data, "response", select(Response.id).order_by(Response.id.desc()).limit(3))
    if response is None:
        return
    if step == "submit":
        responses.submit_response(response, actor=_user("olga"))
    elif step == "approve":
        responses.approve_response(response, actor=_user("lena"))
    else:
        responses.publish_response(response, actor=_user("olga"))


def _change_incident(world, data):
    number = _incident(data)
    if not number:
        return
    if data.draw(st.booleans(), label="severity or status"):
        changes = {"severity": data.draw(st.integers(1, 4), label="new severity")}
    else:
        changes = {
            "status": data.draw(st.sampled_from(["open", "monitoring", "resolved", "closed"]))
        }
    incidents.update_incident(number, actor=_user("ada"), **changes)


def _postmortem(world, data):
    number = _incident(data)
    if number:
        due = data.draw(st.integers(-2, 3), label="action due in days")
        review.update_postmortem(
            number,
            actor=_user("max"),
            summary="Hotline was late",
            actions=[{"text": "Rotate the roster", "due": _today_plus(due)}],
        )


def _today_plus(days: int) -> str:
    from datetime import timedelta

    from crisisdesk import clock

    return (clock.now() + timedelta(days=days)).date().isoformat()


def _person(world, data):
    name = data.draw(st.sampled_from([n for n in READERS if n != "ada"]), label="person")
    what = data.draw(st.sampled_from(["name", "language", "zone", "roles"]), label="what")
    if what == "name":
        accounts.update_preferences(
            actor=_user(name), display_name=f"{name.title()} {data.draw(st.integers(1, 9))}"
        )
    elif what == "language":
        accounts.update_preferences(
            actor=_user(name), language=data.draw(st.sampled_from(["de", "en"]))
        )
    elif what == "zone":
        zone = data.draw(st.sampled_from(["Europe/Berlin", "America/New_York", "Asia/Tokyo"]))
        accounts.update_preferences(actor=_user(name), timezone=zone)
    else:
        new_roles = data.draw(
            st.sampled_from(
                [[], ["oncall"], ["legal"], ["management"], ["admin"], READERS[name][0]]
            )
        )
        accounts.set_roles(_user(name).id, new_roles, actor=_user("ada"))


def _restrict(world, data):
    number = _incident(data)
    if not number:
        return
    if data.draw(st.booleans(), label="restrict or add a member"):
        restricted = data.draw(st.booleans(), label="restricted")
        restriction.set_restricted(number, restricted, "Need to know", actor=_user("ada"))
    else:
        member = data.draw(st.sampled_from(["lena", "max"]), label="member")
        restriction.add_member(number, member, actor=_user("ada"))


def _failed_sign_in(world, data):
    world.kept.test_client().post("/login", data={"username": "olga", "password": "wrong"})


def _clock_step(world, data):
    from crisisdesk import clock

    clock.advance(minutes=data.draw(st.sampled_from([1, 14, 31, 90, 600, 1440]), label="minutes"))


CHANGES = [
    _open,
    _note,
    _tick,
    _acknowledge,
    _worker,
    _assign,
    _take_over,
    _respond,
    _change_incident,
    _postmortem,
    _person,
    _restrict,
    _failed_sign_in,
    _clock_step,
    _clock_step,
]
