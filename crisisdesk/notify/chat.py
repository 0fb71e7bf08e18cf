"""Webhook bodies for chat tools: Slack-compatible text and a Microsoft Teams Adaptive Card.

What people wrote (titles, notes, names, comments) is data: in Slack's text it is escaped once,
so `<!channel>` cannot ping a channel and `<url|text>` cannot disguise a link; on the card it
goes into TextRun elements, which show text as it is (no Markdown).
"""

from __future__ import annotations

from flask_babel import gettext as _

from ..i18n import status_label
from ..timeline.describe import describe

CARD_SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"


def slack_escape(text: str) -> str:
    """Escape `&`, `<` and `>` as Slack's message formatting asks (nothing else is special)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def chat_text(event, incident) -> str:
    """One line for Slack-compatible tools: `[ref] title: actor sentence`, every part escaped."""
    sentence = f"{event.actor_name} {describe(event)}"
    if incident is None:
        return slack_escape(sentence)
    return slack_escape(f"[{incident.ref}] {incident.title}: {sentence}")


def chat_body(event, incident, payload: dict) -> dict:
    """The Slack-compatible body: the text line and, beside it, the JSON payload for bots."""
    return {"text": chat_text(event, incident), "crisisdesk": payload}


def _text(text: str, **style) -> dict:
    return {"type": "RichTextBlock", "inlines": [{"type": "TextRun", "text": text, **style}]}


def teams_body(event, incident, link: str) -> dict:
    """A Teams Workflows message: one Adaptive Card with title, severity, the event and a link."""
    title = f"{incident.ref} · {incident.title}" if incident is not None else _("CrisisDesk")
    body = [_text(title, weight="bolder", size="medium")]
    if incident is not None:
        body.append(
            {
                "type": "FactSet",
                "facts": [
                    {"title": _("Severity"), "value": str(incident.severity)},
                    {"title": _("Status"), "value": status_label(incident.status)},
                ],
            }
        )
    body.append(_text(f"{event.actor_name} {describe(event)}"))
    card = {
        "$schema": CARD_SCHEMA,
        "type": "AdaptiveCard",
        "version": "1.4",
        "body": body,
        "actions": [{"type": "Action.OpenUrl", "title": _("Open in CrisisDesk"), "url": link}],
    }
    return {
        "type": "message",
        "attachments": [{"contentType": CARD_CONTENT_TYPE, "contentUrl": None, "content": card}],
    }
