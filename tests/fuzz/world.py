"""A small, real desk for generated requests to land
in: one user and token per role, incidents, responses.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from crisisdesk.accounts import service as accounts
from crisisdesk.accounts import sessions, tokens
from crisisdesk.database import begin_write
from crisisdesk.drills.service import set_state, start_drill
from crisisdesk.extensions import db
from crisisdesk.impersonation import cases, official
from crisisdesk.incidents import restriction
from crisisdesk.incidents import service as incidents
from crisisdesk.incidents.models import EscalationStep, IncidentChecklistItem
from crisisdesk.library import service as library
from crisisdesk.library.content import INCIDENT_ROLES
from crisisdesk.notify import service as notify
from crisisdesk.notify import worker
from crisisdesk.people import contacts, duties
from crisisdesk.regulatory import service as regulatory
from crisisdesk.regulatory.submissions import record_submission
from crisisdesk.responses import service as responses

from ..conftest import PASSWORD

ROLE_USERS = {"oncall": "olga", "legal": "lena", "management": "mia", "admin": "adam"}
VALUES = {
    "issue": "disruption in online banking",
    "help_place": "on our website",
    "next_update": "14:30",
}


@dataclass
class World:
    """What exists before the first generated request, by the names path parameters use."""

    headers: dict[str, dict] = field(default_factory=dict)
    users: dict[str, object] = field(default_factory=dict)
    incident_ids: list[int] = field(default_factory=list)
    response_ids: list[int] = field(default_factory=list)
    step_ids: list[int] = field(default_factory=list)
    item_keys: list[str] = field(default_factory=list)
    slugs: list[str] = field(default_factory=list)
    hook_ids: list[int] = field(default_factory=list)
    incident_roles: list[str] = field(default_factory=lambda: list(INCIDENT_ROLES))


def build_world(app) -> World:
    """Users of every role with API tokens, two incidents,
    responses in several states, a statement approved.
    """
    world = World()
    for role, name in ROLE_USERS.items():
        user = accounts.create_user(name, password=PASSWORD, roles=[role], language="en")
        _row, secret = tokens.create_token(user, "fuzz")
        world.users[role] = user
        world.headers[role] = {"Authorization": f"Bearer {secret}"}
    world.headers["anonymous"] = {}
    olga, lena = world.users["oncall"], world.users["legal"]
    library.approve_statement(
        "holding-social-en", actor=lena, free_placeholders=["issue", "help_place"]
    )
    for title, severity, playbook in (
        ("Outage", 2, "it-provider-outage-en"),
        ("Phishing wave", 1, "phishing-wave-en"),
    ):
        world.incident_ids.append(
            incidents.open_incident(
                actor=olga, title=title, severity=severity, playbook=playbook
            ).id
        )
    first = world.incident_ids[0]
    # a fake on the phishing wave: its status form is on the page
    cases.add_items(world.incident_ids[1], ["https://social.example/fake-bank"], actor=olga)
    preapproved = responses.draft_response(
        first, actor=olga, channel="x", statement="holding-social-en", values=VALUES
    )
    submitted = responses.draft_response(
        first, actor=olga, channel="website", body="We are looking into it."
    )
    responses.submit_response(submitted.id, actor=olga)
    draft = responses.draft_response(first, actor=olga, channel="facebook", body="Draft words.")
    published = responses.draft_response(
        first, actor=olga, channel="instagram", statement="holding-social-en", values=VALUES
    )
    responses.publish_response(published.id, actor=olga)
    world.response_ids = [preapproved.id, submitted.id, draft.id, published.id]
    # a drill with an on-call participant: its room offers the exercise lead's buttons
    for ended in (False, True):  # a running one (its buttons), an ended one (its sign-off)
        drill = start_drill(
            "it-provider-outage-drill-en",
            actor=world.users["management"],
            participants=[olga.username],
        )
        if ended:
            set_state(drill.id, "end", actor=world.users["management"])
    # a public notice on the second incident: its room offers the notice's buttons
    website = responses.draft_response(
        world.incident_ids[1], actor=olga, channel="website", body="Beware of fake messages."
    )
    responses.submit_response(website.id, actor=olga)
    responses.approve_response(website.id, actor=lena)
    responses.publish_response(website.id, actor=olga)
    # a major incident with a breach and its initial notification: every clock has a state
    regulatory.update_assessment(
        first,
        actor=world.users["management"],
        criteria={"critical_services": {"met": True}, "malicious_access": {"met": True}},
        decision="major",
        reasons="Provider compromised",
        personal_data_breach=True,
    )
    record_submission(first, actor=world.users["management"], kind="dora_initial", reference="B-1")
    # a need-to-know incident olga leads, with lena as a member: its member forms are in its room
    restricted = incidents.open_incident(
        actor=olga,
        title="Misconduct",
        severity=2,
        playbook="employee-misconduct-en",
        restricted=True,
        restriction_reason="Personnel matter",
    )
    restriction.add_member(restricted.id, "lena", actor=olga)
    world.incident_ids.append(restricted.id)
    # a contact and a duty with the on-call user on its rota: their forms are on the pages
    contacts.create_contact(actor=world.users["admin"], name="Hotline", phones=["+49 30 23125 201"])
    official.add_account(
        actor=world.users["admin"], platform="x", handle="@bank", url="https://social.example/bank"
    )
    duties.save_duty(
        "legal-duty",
        actor=world.users["admin"],
        title="Legal duty",
        period="weekly",
        members=["olga", "lena"],
        starts_on="2026-11-30",
        handover="08:00",
        zone="Europe/Berlin",
    )
    notify.add_webhook("https://hooks.example/desk", "0123456789abcdef")
    world.hook_ids = [1]
    worker.dispatch_events()  # the webhook's deliveries are queued …
    notify.set_webhook_active(
        1, False, actor=world.users["admin"]
    )  # … and held: the cancel form shows
    for (
        user
    ) in world.users.values():  # a second browser each, so every profile offers to end a session
        begin_write()
        sessions.start_session(
            user, address="10.0.0.9", user_agent="Mozilla/5.0 (Android 14) Firefox/130.0"
        )
        db.session.commit()
    world.step_ids = list(db.session.scalars(select(EscalationStep.id)))
    world.item_keys = sorted(set(db.session.scalars(select(IncidentChecklistItem.item_key))))
    world.slugs = [
        "holding-social-en",
        "holding-social-de",
        "phishing-wave-en",
        "it-provider-outage-de",
    ]
    db.session.remove()
    return world


def isolated_wsgi(app):
    """The app as a WSGI callable whose every request gets its own app context, as in production."""

    def wsgi(environ, start_response):
        environ.setdefault("HTTP_ACCEPT_LANGUAGE", "en")
        with app.app_context():
            return app(environ, start_response)

    return wsgi
