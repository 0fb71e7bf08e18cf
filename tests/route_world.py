"""The world the route × role table is run against, and how one call is made and judged."""

from crisisdesk.accounts import service as accounts
from crisisdesk.accounts import tokens
from crisisdesk.extensions import db
from crisisdesk.impersonation import cases, official
from crisisdesk.incidents import roles
from crisisdesk.incidents import service as incidents
from crisisdesk.incidents.models import Incident
from crisisdesk.notify import service as notify
from crisisdesk.people import contacts, duties
from crisisdesk.responses import service as responses

from .conftest import PASSWORD

ROLES = ("oncall", "legal", "management", "compliance", "admin")
#: the duty's slug is the one the table's slug routes use
DUTY_SLUG = "holding-social-en"


def build_world(make_user) -> dict:
    """A dummy user 1 and webhook 1 to aim destructive routes
    at, an incident led by oncall, a pending response.
    """
    make_user("dummy", roles=["oncall"])
    users = {role: make_user(role, roles=[role]) for role in ROLES}
    make_user("gone", roles=["oncall"])
    make_user("revoked", roles=["oncall"])
    tokens.create_token(
        users["oncall"], "dummy token"
    )  # token 1: revoking it only ever hits the owner's
    headers = {
        role: {"Authorization": f"Bearer {tokens.create_token(users[role], 't')[1]}"}
        for role in ROLES
    }
    gone_token = tokens.create_token(accounts.find_user("gone"), "t")[1]
    revoked_row, revoked_secret = tokens.create_token(accounts.find_user("revoked"), "t")
    tokens.revoke_token(revoked_row.id, actor=accounts.find_user("revoked"))
    notify.add_webhook("https://hooks.example/x", "0123456789abcdef")
    contacts.create_contact(actor=users["admin"], name="Hotline", phones=["+49 30 23125 201"])
    official.add_account(
        actor=users["admin"], platform="x", handle="@bank", url="https://social.example/bank"
    )
    # the duty's slug is the one the table's slug routes use
    duties.save_duty(
        DUTY_SLUG,
        actor=users["admin"],
        title="On call",
        period="weekly",
        members=["oncall"],
        starts_on="2026-11-30",
        handover="08:00",
        zone="Europe/Berlin",
    )
    incident = incidents.open_incident(
        actor=users["oncall"], title="Matrix", severity=1, playbook="it-provider-outage-en"
    )
    draft = responses.draft_response(
        incident.id, actor=users["oncall"], channel="facebook", body="Text"
    )
    responses.submit_response(draft.id, actor=users["oncall"])
    cases.add_items(incident.id, ["https://social.example/fake-bank"], actor=users["oncall"])
    headers["deactivated"] = {"Authorization": f"Bearer {gone_token}"}
    headers["revoked"] = {"Authorization": f"Bearer {revoked_secret}"}
    return headers


def outcome(response) -> str:
    if response.status_code == 401:
        return "auth"
    if response.status_code in (301, 302, 303) and "/login?next=" in response.headers.get(
        "Location", ""
    ):
        return "auth"
    return "denied" if response.status_code == 403 else "allowed"


def call(app, identity: str, method: str, path: str, headers: dict):
    client = app.test_client()
    if identity in ROLES and not path.startswith("/api/"):
        client.post("/login", data={"username": identity, "password": PASSWORD})
    if identity == "deactivated":
        if not path.startswith("/api/"):
            client.post("/login", data={"username": "gone", "password": PASSWORD})
        accounts.set_active(accounts.find_user("gone").id, False)
    api_headers = headers.get(identity, {}) if path.startswith("/api/") else {}
    response = client.open(
        path,
        method=method,
        headers=api_headers,
        json={} if path.startswith("/api/") and method != "GET" else None,
    )
    if identity == "deactivated":
        accounts.set_active(accounts.find_user("gone").id, True)
    if (
        path.endswith("/lead")
        and db.session.get(Incident, 1).lead_id != accounts.find_user("oncall").id
    ):
        # a take-over moved the lead: hand it back, so later rows meet the world they expect
        roles.assign_role(1, "lead", "oncall", actor=accounts.find_user("admin"))
    db.session.remove()
    return response
