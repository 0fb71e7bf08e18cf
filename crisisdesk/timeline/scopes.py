"""Which heads each kind of event moves: the registry kept answers are invalidated by.

A head is the sequence number of the last event that changed what it names. Answers kept in
memory (readcache) are keyed by the heads of the scopes they read, so an event moves exactly
the answers that may have changed:

- "incidents": every event with an incident_id (incidents, their steps, roles, checklist,
  notes, responses, post-mortems and action items). Such an event also moves the incident's
  own head, "incident:<id>", which is the seq of its last event.
- "people": users, their roles, names, languages, zones and activity, and sessions and tokens
  made or ended: whatever the signed-in user, token and session look-ups and name lists read;
  and the contact directory, which the room's "who to call" shows.
- "library": content versions, statement approvals and their expiry.

A kind that moves nothing changes nothing a kept answer shows (a failed or throttled sign-in,
a sign-in, mail preferences, webhooks, deliveries). append_event() refuses a kind missing here.
"""

from __future__ import annotations

INCIDENTS, PEOPLE, LIBRARY = "incidents", "people", "library"
NAMED_HEADS = (INCIDENTS, PEOPLE, LIBRARY)
INCIDENT_PREFIX = "incident:"

#: a response's events (the audit replays them into the response tables)
RESPONSE_KINDS = (
    "response_drafted",
    "response_revised",
    "response_submitted",
    "response_approved",
    "response_rejected",
    "response_published",
    "response_retracted",
    "response_approval_lapsed",
)
_INCIDENT_KINDS = (
    "incident_opened",
    "title_changed",
    "summary_changed",
    "severity_changed",
    "status_changed",
    "note_added",
    "source_link_added",
    "checklist_done",
    "checklist_undone",
    "role_assigned",
    "lead_taken_over",
    "escalation_notified",
    "escalation_acknowledged",
    "update_reminder",
    "postmortem_updated",
    "restriction_changed",
    "member_added",
    "member_removed",
    "regulatory_assessed",
    "regulatory_submission_recorded",
    "regulatory_reminder",
    "public_notice_opened",
    "public_notice_changed",
    "drill_started",
    "drill_inject",
    "drill_paused",
    "drill_resumed",
    "drill_ended",
    "drill_signed_off",
    "impersonation_added",
    "impersonation_status_changed",
    "evidence_added",
    "qa_sheet_issued",
    *RESPONSE_KINDS,
)
_PEOPLE_KINDS = (
    "user_created",
    "roles_changed",
    "user_deactivated",
    "user_reactivated",
    "profile_updated",
    "password_changed",
    "signed_out",
    "session_ended",
    "sessions_ended",
    "token_created",
    "token_revoked",
    # the room shows the contacts and who is on duty
    "contact_created",
    "contact_changed",
    "contact_reviewed",
    "contact_deleted",
    "contacts_imported",
    # the room names who holds a step's duty when it falls due
    "duty_created",
    "duty_changed",
    "duty_override_added",
)
_LIBRARY_KINDS = ("content_synced", "statement_approved", "statement_approval_expired")
# a new session or token is unknown to every kept look-up (a miss is never kept), so a sign-in
# moves nothing; the others change no state any kept answer reads
_SILENT_KINDS = (
    "login_failed",
    "login_throttled",
    "signed_in",
    "mail_preferences_changed",
    "webhook_added",
    "webhook_changed",
    "deliveries_cancelled",
    "calendar_feed_rotated",
    # an offline bundle is written outside the database; no page the desk keeps shows it
    "offline_bundle_made",
    # the drill programme is read fresh on its page and the dashboard, never kept
    "drill_plan_changed",
    # the registry is read fresh; the worker rewrites the public channels page after these
    "official_account_added",
    "official_account_changed",
)

#: every kind the desk appends → the named heads it moves (an incident_id adds "incidents")
HEADS_BY_KIND: dict[str, tuple[str, ...]] = {
    **{kind: (INCIDENTS,) for kind in _INCIDENT_KINDS},
    **{kind: (PEOPLE,) for kind in _PEOPLE_KINDS},
    **{kind: (LIBRARY,) for kind in _LIBRARY_KINDS},
    **{kind: () for kind in _SILENT_KINDS},
}


class UnknownKind(ValueError):
    """An event kind the registry does not classify (a programming error, never user input)."""


def heads_moved(kind: str, incident_id: int | None) -> tuple[str, ...]:
    """The named heads an event of `kind` moves; raise UnknownKind for a kind not registered."""
    try:
        names = HEADS_BY_KIND[kind]
    except KeyError:
        raise UnknownKind(
            f"event kind {kind!r} is not in timeline/scopes.py: say which heads it moves"
        ) from None
    if incident_id is not None and INCIDENTS not in names:
        return (*names, INCIDENTS)
    return names


def incident_scope(incident_id: int) -> str:
    """The scope of one incident: its own head is the seq of its last event."""
    return f"{INCIDENT_PREFIX}{int(incident_id)}"


def is_scope(name: str) -> bool:
    """Whether `name` names a head: a named one or "incident:<id>"."""
    if name in NAMED_HEADS:
        return True
    number = name[len(INCIDENT_PREFIX) :] if name.startswith(INCIDENT_PREFIX) else ""
    return number.isascii() and number.isdigit() and len(number) <= 10
