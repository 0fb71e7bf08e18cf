"""The desk's signals: one blinker namespace, each signal documented.

Services never send signals: they append timeline events. The notification worker
(`flask worker`) reads committed events in order and sends the matching signals, so a
signal always stands for a committed, hash-chained event. Receivers (crisisdesk.notify.
receivers) only enqueue deliveries, inside the worker's transaction; nothing is sent from
a receiver. Every signal: sender is the app; kwargs ``event`` (TimelineEvent), ``data``
(its decoded data dict) and ``incident`` (Incident or None).
"""

from blinker import Namespace

desk_signals = Namespace()

#: Any committed timeline event (webhooks listen here).
event_committed = desk_signals.signal("event-committed")
#: An incident was opened (kind ``incident_opened``).
incident_opened = desk_signals.signal("incident-opened")
#: An incident's severity changed (``severity_changed``).
severity_changed = desk_signals.signal("severity-changed")
#: An escalation step fell due and was claimed (``escalation_notified``).
escalation_due = desk_signals.signal("escalation-due")
#: Someone was given an incident role (``role_assigned``).
role_assigned = desk_signals.signal("role-assigned")
#: Someone took over an incident's lead (``lead_taken_over``).
lead_taken_over = desk_signals.signal("lead-taken-over")
#: A response waits for legal (``response_submitted``).
response_submitted = desk_signals.signal("response-submitted")
#: Legal approved a response (``response_approved``).
response_approved = desk_signals.signal("response-approved")
#: Legal rejected a response (``response_rejected``).
response_rejected = desk_signals.signal("response-rejected")
#: A response was published (``response_published``).
response_published = desk_signals.signal("response-published")
#: An incident was closed (``status_changed`` to closed).
incident_closed = desk_signals.signal("incident-closed")
#: No public update within the playbook's cadence (``update_reminder``).
reminder_due = desk_signals.signal("reminder-due")
#: A regulatory report falls due soon or is overdue (``regulatory_reminder``).
regulatory_reminder_due = desk_signals.signal("regulatory-reminder-due")
#: A drill released an inject onto its incident's timeline (``drill_inject``).
drill_inject = desk_signals.signal("drill-inject")

BY_KIND = {
    "incident_opened": incident_opened,
    "severity_changed": severity_changed,
    "escalation_notified": escalation_due,
    "role_assigned": role_assigned,
    "lead_taken_over": lead_taken_over,
    "response_submitted": response_submitted,
    "response_approved": response_approved,
    "response_rejected": response_rejected,
    "response_published": response_published,
    "update_reminder": reminder_due,
    "regulatory_reminder": regulatory_reminder_due,
    "drill_inject": drill_inject,
}


def signal_for(kind: str, data: dict):
    """The specific signal for an event kind, or None."""
    if kind == "status_changed" and data.get("after") == "closed":
        return incident_closed
    return BY_KIND.get(kind)
