"""Every registered route × every kind of caller,
against one table. A new route without a row fails.
"""

import re

import pytest

from .route_world import DUTY_SLUG, ROLES, build_world, call, outcome

IDENTITIES = ("anonymous", *ROLES, "deactivated", "revoked")
ANY, PUBLIC = set(ROLES), "public"
WRITERS, OPENERS = {"oncall", "admin"}, {"oncall", "admin"}
LEAD_OR_REVIEW = {"oncall", "management", "admin"}  # the lead (oncall here), management, admin
ASSESSORS = {"compliance", "management", "admin"}  # regulatory assessments and reports made
DIRECTORY = {"management", "admin"}  # who keeps the contact directory and the duties
SWAPPERS = {"oncall", "management", "admin"}  # the world's duty has oncall on its rota
LEADS = {"management", "admin"}  # who runs drills
KEEPERS = {"oncall", "admin"}  # who sees a need-to-know incident: its lead (oncall here), admins

#: (method, rule) → who gets through: a set of roles, or PUBLIC (anyone, signed in or not)
MATRIX = {
    ("GET", "/"): ANY,
    ("GET", "/admin/users"): {"admin"},
    ("GET", "/admin/mailbox"): {"admin"},
    ("GET", "/favicon.ico"): PUBLIC,
    ("GET", "/admin/users/<int:user_id>"): {"admin"},
    ("POST", "/admin/users/<int:user_id>"): {"admin"},
    ("POST", "/admin/users/<int:user_id>/active"): {"admin"},
    ("GET", "/admin/users/new"): {"admin"},
    ("POST", "/admin/users/new"): {"admin"},
    ("POST", "/admin/users/<int:user_id>/sessions/<int:session_id>/end"): {"admin"},
    ("POST", "/admin/users/<int:user_id>/sessions/end-all"): {"admin"},
    ("POST", "/admin/users/<int:user_id>/tokens/<int:token_id>/revoke"): {"admin"},
    ("GET", "/admin/webhooks"): {"admin"},
    ("POST", "/admin/webhooks"): {"admin"},
    ("GET", "/admin/webhooks/<int:hook_id>"): {"admin"},
    ("POST", "/admin/webhooks/<int:hook_id>/active"): {"admin"},
    ("POST", "/admin/webhooks/<int:hook_id>/cancel"): {"admin"},
    ("GET", "/admin/offline/"): {"admin"},
    ("POST", "/admin/offline/"): {"admin"},
    ("POST", "/api/v1/alerts"): OPENERS,
    ("GET", "/api/v1/audit/verify"): {"management", "admin"},
    ("POST", "/api/v1/incidents"): OPENERS,
    ("GET", "/api/v1/incidents"): ANY,
    ("GET", "/api/v1/incidents/<int:incident_id>"): ANY,
    ("PATCH", "/api/v1/incidents/<int:incident_id>"): WRITERS,
    ("POST", "/api/v1/incidents/<int:incident_id>/checklist/<item_id>"): WRITERS,
    ("POST", "/api/v1/incidents/<int:incident_id>/escalations/<int:step_id>/ack"): {"oncall"},
    ("POST", "/api/v1/incidents/<int:incident_id>/lead"): {"oncall", "admin"},
    ("POST", "/api/v1/incidents/<int:incident_id>/links"): WRITERS,
    ("POST", "/api/v1/incidents/<int:incident_id>/notes"): WRITERS,
    ("GET", "/api/v1/incidents/<int:incident_id>/assessment"): ANY,
    ("PUT", "/api/v1/incidents/<int:incident_id>/assessment"): ASSESSORS,
    ("GET", "/api/v1/incidents/<int:incident_id>/clocks"): ANY,
    ("GET", "/api/v1/incidents/<int:incident_id>/submissions"): ANY,
    ("POST", "/api/v1/incidents/<int:incident_id>/submissions"): ASSESSORS,
    ("GET", "/api/v1/incidents/<int:incident_id>/report-draft"): ANY,
    ("GET", "/api/v1/incidents/<int:incident_id>/evidence-pack"): ANY,
    ("GET", "/api/v1/clocks"): ANY,
    ("GET", "/api/v1/incidents/restricted"): ANY,
    ("GET", "/api/v1/incidents/<int:incident_id>/public-notice"): ANY,
    ("PATCH", "/api/v1/incidents/<int:incident_id>/public-notice"): KEEPERS,
    ("POST", "/incidents/<int:incident_id>/public-notice"): KEEPERS,
    ("GET", "/drills"): LEADS,
    ("GET", "/drills/programme"): LEADS,
    ("POST", "/drills/programme"): LEADS,
    ("POST", "/drills"): LEADS,
    ("POST", "/drills/<int:drill_id>/move"): LEADS,
    ("GET", "/drills/<int:drill_id>/report"): LEADS,
    ("GET", "/drills/<int:drill_id>/report.md"): LEADS,
    ("POST", "/drills/<int:drill_id>/sign-off"): LEADS,
    ("GET", "/api/v1/drills/<int:drill_id>/report"): LEADS,
    ("POST", "/api/v1/drills/<int:drill_id>/sign-off"): LEADS,
    ("POST", "/api/v1/drills"): LEADS,
    ("GET", "/api/v1/drills"): LEADS,
    ("GET", "/api/v1/official-accounts"): ANY,
    ("POST", "/api/v1/official-accounts"): DIRECTORY,
    ("GET", "/api/v1/official-accounts/<int:account_id>"): ANY,
    ("PATCH", "/api/v1/official-accounts/<int:account_id>"): DIRECTORY,
    ("GET", "/official-accounts"): ANY,
    ("GET", "/api/v1/incidents/<int:incident_id>/impersonations"): ANY,
    ("POST", "/api/v1/incidents/<int:incident_id>/impersonations"): WRITERS,
    ("GET", "/api/v1/impersonations/<int:suspect_id>"): ANY,
    ("PATCH", "/api/v1/impersonations/<int:suspect_id>"): WRITERS,
    ("GET", "/incidents/<int:incident_id>/impersonations"): ANY,
    ("POST", "/incidents/<int:incident_id>/impersonations"): WRITERS,
    ("POST", "/impersonations/<int:suspect_id>/move"): WRITERS,
    ("GET", "/api/v1/incidents/<int:incident_id>/evidence"): ANY,
    ("POST", "/api/v1/incidents/<int:incident_id>/evidence"): WRITERS,
    ("POST", "/incidents/<int:incident_id>/evidence"): WRITERS,
    ("GET", "/evidence/<int:evidence_id>"): ANY,
    ("GET", "/official-accounts/new"): DIRECTORY,
    ("POST", "/official-accounts/new"): DIRECTORY,
    ("GET", "/official-accounts/<int:account_id>"): DIRECTORY,
    ("POST", "/official-accounts/<int:account_id>"): DIRECTORY,
    ("GET", "/api/v1/drills/programme"): LEADS,
    ("PUT", "/api/v1/drills/programme/<scenario>"): LEADS,
    ("GET", "/api/v1/drills/<int:drill_id>"): LEADS,
    ("POST", "/api/v1/drills/<int:drill_id>/pause"): LEADS,
    ("POST", "/api/v1/drills/<int:drill_id>/resume"): LEADS,
    ("POST", "/api/v1/drills/<int:drill_id>/end"): LEADS,
    ("POST", "/api/v1/drills/<int:drill_id>/fast-forward"): LEADS,
    ("GET", "/public/"): PUBLIC,
    ("GET", "/public/<path:rest>"): PUBLIC,
    ("PUT", "/api/v1/incidents/<int:incident_id>/members/<username>"): KEEPERS,
    ("DELETE", "/api/v1/incidents/<int:incident_id>/members/<username>"): KEEPERS,
    ("GET", "/api/v1/duties"): ANY,
    ("GET", "/api/v1/duties/<slug>/on-duty"): ANY,
    ("POST", "/api/v1/duties/<slug>/overrides"): SWAPPERS,
    ("GET", "/api/v1/contacts"): ANY,
    ("POST", "/api/v1/contacts"): DIRECTORY,
    ("GET", "/api/v1/contacts/<int:contact_id>"): ANY,
    ("PATCH", "/api/v1/contacts/<int:contact_id>"): DIRECTORY,
    ("DELETE", "/api/v1/contacts/<int:contact_id>"): DIRECTORY,
    ("GET", "/api/v1/incidents/<int:incident_id>/postmortem"): ANY,
    ("PUT", "/api/v1/incidents/<int:incident_id>/postmortem"): LEAD_OR_REVIEW,
    ("GET", "/api/v1/incidents/<int:incident_id>/postmortem.md"): ANY,
    ("POST", "/api/v1/incidents/<int:incident_id>/responses"): WRITERS,
    ("GET", "/api/v1/incidents/<int:incident_id>/responses"): ANY,
    ("PUT", "/api/v1/incidents/<int:incident_id>/roles/<role>"): WRITERS,
    ("GET", "/api/v1/incidents/<int:incident_id>/timeline"): ANY,
    ("GET", "/api/v1/me"): ANY,
    ("GET", "/api/v1/channels"): ANY,
    ("PATCH", "/api/v1/me"): ANY,
    ("GET", "/api/v1/openapi.json"): PUBLIC,
    ("GET", "/api/v1/playbooks"): ANY,
    ("GET", "/api/v1/playbooks/<slug>"): ANY,
    ("GET", "/api/v1/responses/<int:response_id>"): ANY,
    ("PATCH", "/api/v1/responses/<int:response_id>"): WRITERS,
    ("POST", "/api/v1/responses/<int:response_id>/approve"): {"legal"},
    ("POST", "/api/v1/responses/<int:response_id>/reject"): {"legal"},
    ("POST", "/api/v1/responses/<int:response_id>/publish"): WRITERS,
    ("POST", "/api/v1/responses/<int:response_id>/retract"): WRITERS,
    ("POST", "/api/v1/responses/<int:response_id>/submit"): WRITERS,
    ("GET", "/api/v1/statements"): ANY,
    ("GET", "/api/v1/statements/<slug>"): ANY,
    ("POST", "/api/v1/statements/<slug>/approve"): {"legal"},
    ("POST", "/audit/verify"): {"management", "admin"},
    ("GET", "/bootstrap/static/<path:filename>"): PUBLIC,
    ("GET", "/static/<path:filename>"): PUBLIC,
    ("GET", "/dashboard"): {"management", "admin"},
    ("POST", "/incidents/<int:incident_id>/restriction"): KEEPERS,
    ("POST", "/incidents/<int:incident_id>/members"): KEEPERS,
    ("POST", "/incidents/<int:incident_id>/members/<username>/remove"): KEEPERS,
    ("GET", "/calendar/<token>.ics"): PUBLIC,
    ("GET", "/duties"): ANY,
    ("POST", "/duties"): ANY,  # a new address for one's own shift calendar
    ("GET", "/duties/new"): DIRECTORY,
    ("POST", "/duties/new"): DIRECTORY,
    ("GET", "/duties/<slug>"): ANY,
    ("POST", "/duties/<slug>"): DIRECTORY,
    ("POST", "/duties/<slug>/overrides"): SWAPPERS,
    ("GET", "/contacts"): ANY,
    ("GET", "/contacts/new"): DIRECTORY,
    ("POST", "/contacts/new"): DIRECTORY,
    ("GET", "/contacts/<int:contact_id>"): ANY,
    ("POST", "/contacts/<int:contact_id>"): DIRECTORY,
    ("POST", "/contacts/<int:contact_id>/reviewed"): DIRECTORY,
    ("POST", "/contacts/<int:contact_id>/delete"): DIRECTORY,
    ("POST", "/contacts/import"): DIRECTORY,
    ("GET", "/contacts/export.<any(csv, vcf):kind>"): DIRECTORY,
    ("GET", "/incidents/<int:incident_id>"): ANY,
    ("GET", "/incidents/<int:incident_id>/events"): ANY,
    ("GET", "/incidents/<int:incident_id>/events.json"): ANY,
    ("POST", "/incidents/<int:incident_id>/checklist/<item_key>"): WRITERS,
    ("POST", "/incidents/<int:incident_id>/lead"): {"oncall", "admin"},
    ("POST", "/incidents/<int:incident_id>/links"): WRITERS,
    ("POST", "/incidents/<int:incident_id>/notes"): WRITERS,
    ("GET", "/incidents/<int:incident_id>/regulatory"): ANY,
    ("POST", "/incidents/<int:incident_id>/regulatory"): ASSESSORS,
    ("POST", "/incidents/<int:incident_id>/regulatory/submissions"): ASSESSORS,
    ("GET", "/incidents/<int:incident_id>/regulatory/report"): ANY,
    ("GET", "/incidents/<int:incident_id>/regulatory/evidence.zip"): ANY,
    ("GET", "/incidents/<int:incident_id>/postmortem"): ANY,
    ("POST", "/incidents/<int:incident_id>/postmortem"): LEAD_OR_REVIEW,
    ("GET", "/incidents/<int:incident_id>/postmortem.md"): ANY,
    ("GET", "/incidents/<int:incident_id>/postmortem/print"): ANY,
    ("GET", "/incidents/<int:incident_id>/responses/new"): WRITERS,
    ("POST", "/incidents/<int:incident_id>/responses/new"): WRITERS,
    ("POST", "/incidents/<int:incident_id>/responses/preview"): WRITERS,
    # every desk role reaches the form: legal and management
    # assign their own incident roles (the rule table decides)
    ("POST", "/incidents/<int:incident_id>/roles"): ANY,
    ("GET", "/incidents/<int:incident_id>/said"): ANY,
    ("POST", "/incidents/<int:incident_id>/severity"): WRITERS,
    ("POST", "/incidents/<int:incident_id>/status"): WRITERS,
    ("POST", "/incidents/<int:incident_id>/steps/<int:step_id>/ack"): {"oncall"},
    ("GET", "/incidents/new"): OPENERS,
    ("POST", "/incidents/new"): OPENERS,
    ("GET", "/incidents/suggest"): ANY,
    ("POST", "/language"): PUBLIC,
    ("GET", "/library/"): ANY,
    ("GET", "/library/playbooks/<slug>"): ANY,
    ("GET", "/library/review"): {"legal", "admin"},
    ("GET", "/library/statements/<slug>"): ANY,
    ("POST", "/library/statements/<slug>/approve"): {"legal"},
    ("GET", "/library/qa/<slug>"): ANY,
    ("POST", "/library/qa/<slug>/approve"): {"legal"},
    ("GET", "/api/v1/qa"): ANY,
    ("GET", "/api/v1/qa/<slug>"): ANY,
    ("POST", "/api/v1/qa/<slug>/approve"): {"legal"},
    ("GET", "/login"): PUBLIC,
    ("POST", "/login"): PUBLIC,
    ("POST", "/logout"): ANY,
    ("GET", "/notifications"): ANY,
    ("POST", "/notifications/mail"): ANY,
    ("POST", "/notifications/read"): ANY,
    ("GET", "/profile/"): ANY,
    ("POST", "/profile/password"): ANY,
    ("POST", "/profile/preferences"): ANY,
    ("POST", "/profile/tokens"): ANY,
    ("POST", "/profile/tokens/<int:token_id>/revoke"): ANY,
    ("POST", "/profile/sessions/<int:session_id>/end"): ANY,
    ("POST", "/profile/sessions/end-all"): ANY,
    ("GET", "/responses/<int:response_id>"): ANY,
    ("POST", "/responses/<int:response_id>/approve"): {"legal"},
    ("POST", "/responses/<int:response_id>/reject"): {"legal"},
    ("POST", "/responses/<int:response_id>/publish"): WRITERS,
    ("POST", "/responses/<int:response_id>/retract"): WRITERS,
    ("POST", "/responses/<int:response_id>/revise"): WRITERS,
    ("POST", "/responses/<int:response_id>/submit"): WRITERS,
    ("GET", "/responses/review"): {"legal", "admin"},
    ("GET", "/incidents/<int:incident_id>/service-sheet"): ANY,
    ("POST", "/incidents/<int:incident_id>/service-sheet/issue"): WRITERS,
    ("GET", "/search"): ANY,
    ("GET", "/api/v1/search"): ANY,
    ("GET", "/incidents/<int:incident_id>/said-before"): ANY,
    ("GET", "/api/v1/incidents/<int:incident_id>/said-before"): ANY,
}
VALUES = {
    "incident_id": "1",
    "step_id": "1",
    "response_id": "1",
    "item_id": "pause-marketing",
    "item_key": "pause-marketing",
    "slug": DUTY_SLUG,
    "role": "scribe",
    "filename": "css/desk.css",
    "user_id": "1",
    "hook_id": "1",
    "token_id": "1",
    "session_id": "1",
    "contact_id": "1",
    "kind": "csv",
    "token": "not-a-calendar-secret-0123456789",
    "username": "legal",
    "rest": "en/channels",
    "drill_id": "1",
    "suspect_id": "1",
    "evidence_id": "1",
    "scenario": "it-provider-outage",
    "account_id": "1",
}


def routes(app):
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield method, rule.rule


def url_for_rule(rule: str) -> str:
    path = re.sub(r"<(?:\w+(?:\([^)]*\))?:)?(\w+)>", lambda m: VALUES[m.group(1)], rule)
    return path.replace("/bootstrap/static/css/desk.css", "/bootstrap/static/css/bootstrap.min.css")


@pytest.fixture
def world(app, make_user):
    """The users, tokens, incident and response the table's rows are aimed at."""
    return build_world(make_user)


def test_every_route_is_in_the_table(app):
    served = set(routes(app))
    assert served - set(MATRIX) == set(), "add the new route to MATRIX"
    assert set(MATRIX) - served == set(), "a route in MATRIX no longer exists"


def test_route_role_matrix(app, world):
    mismatches = []
    for method, rule in sorted(MATRIX):
        allowed = MATRIX[(method, rule)]
        for identity in IDENTITIES:
            if identity == "revoked" and not rule.startswith("/api/"):
                continue  # a revoked token only means something to the API
            if allowed == PUBLIC:
                expected = "allowed"
            elif identity in ROLES:
                expected = "allowed" if identity in allowed else "denied"
            else:
                expected = "auth"
            got = outcome(call(app, identity, method, url_for_rule(rule), world))
            if got != expected:
                mismatches.append(f"{method} {rule} as {identity}: expected {expected}, got {got}")
    assert mismatches == [], "\n".join(mismatches)
