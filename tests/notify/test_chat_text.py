"""What people wrote reaches chat tools as written: escaped once for Slack, as TextRuns on a
Teams card."""

import json

import jsonschema_rs
import pytest
from sqlalchemy import select

from crisisdesk.extensions import db
from crisisdesk.incidents import entries
from crisisdesk.incidents import service as incidents
from crisisdesk.notify import chat, service, worker
from crisisdesk.timeline.describe import describe
from crisisdesk.timeline.models import TimelineEvent

from .conftest import NOTE, TITLE

SECRET = "s3cret-s3cret-s3cret"

#: the required properties of the Adaptive Cards 1.4 types the desk uses (adaptive-card.json),
#: and the message envelope Teams Workflows webhooks take
CARD_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["type", "attachments"],
    "properties": {
        "type": {"const": "message"},
        "attachments": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["contentType", "content"],
                "properties": {
                    "contentType": {"const": "application/vnd.microsoft.card.adaptive"},
                    "contentUrl": {"type": "null"},
                    "content": {"$ref": "#/$defs/AdaptiveCard"},
                },
            },
        },
    },
    "$defs": {
        "AdaptiveCard": {
            "type": "object",
            "required": ["type", "version"],
            "properties": {
                "type": {"const": "AdaptiveCard"},
                "version": {"type": "string"},
                "$schema": {"type": "string", "format": "uri"},
                "body": {"type": "array", "items": {"$ref": "#/$defs/Element"}},
                "actions": {"type": "array", "items": {"$ref": "#/$defs/Action.OpenUrl"}},
            },
        },
        "Element": {
            "oneOf": [
                {"$ref": "#/$defs/TextBlock"},
                {"$ref": "#/$defs/RichTextBlock"},
                {"$ref": "#/$defs/FactSet"},
            ]
        },
        "TextBlock": {
            "type": "object",
            "required": ["type", "text"],
            "properties": {"type": {"const": "TextBlock"}, "text": {"type": "string"}},
        },
        "RichTextBlock": {
            "type": "object",
            "required": ["type", "inlines"],
            "properties": {
                "type": {"const": "RichTextBlock"},
                "inlines": {
                    "type": "array",
                    "items": {"oneOf": [{"$ref": "#/$defs/TextRun"}, {"type": "string"}]},
                },
            },
        },
        "TextRun": {
            "type": "object",
            "required": ["type", "text"],
            "properties": {
                "type": {"const": "TextRun"},
                "text": {"type": "string"},
                "weight": {"enum": ["default", "lighter", "bolder"]},
                "size": {"enum": ["default", "small", "medium", "large", "extraLarge"]},
            },
        },
        "FactSet": {
            "type": "object",
            "required": ["type", "facts"],
            "properties": {
                "type": {"const": "FactSet"},
                "facts": {"type": "array", "items": {"$ref": "#/$defs/Fact"}},
            },
        },
        "Fact": {
            "type": "object",
            "required": ["title", "value"],
            "properties": {"title": {"type": "string"}, "value": {"type": "string"}},
        },
        "Action.OpenUrl": {
            "type": "object",
            "required": ["type", "url"],
            "properties": {
                "type": {"const": "Action.OpenUrl"},
                "url": {"type": "string", "format": "uri"},
                "title": {"type": "string"},
            },
        },
    },
}


def note_sent_to(receiver, fmt: str, olga):
    service.add_webhook(receiver.url, SECRET, events=["note_added"], format=fmt)
    incident = incidents.open_incident(
        actor=olga, title=TITLE, severity=2, playbook="it-provider-outage-en"
    )
    entries.add_note(incident.id, NOTE, actor=olga)
    worker.tick()
    assert len(receiver.requests) == 1
    return incident, json.loads(receiver.requests[0]["body"])


def note_sentence() -> str:
    """The note event as webhooks tell it (in the
    desk's default language: a webhook has no reader).
    """
    db.session.rollback()
    return "olga " + describe(
        db.session.scalar(select(TimelineEvent).where(TimelineEvent.kind == "note_added"))
    )


def slack_unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def test_chat_text_escapes_everything_people_wrote_exactly_once(app, clock, receiver, olga):
    incident, body = note_sent_to(receiver, "chat", olga)
    text = body["text"]
    assert "<" not in text and ">" not in text  # no <!channel>, no <url|disguise>
    assert "&lt;!channel&gt;" in text and "&lt;!here&gt;" in text
    assert (
        slack_unescape(text) == f"[{incident.ref}] {TITLE}: {note_sentence()}"
    )  # once: what was typed
    assert note_sentence().endswith(NOTE)
    assert body["crisisdesk"]["data"]["text"] == NOTE  # the JSON beside it keeps the raw value


@pytest.mark.parametrize(
    "typed, sent",
    [
        ("<!channel>", "&lt;!channel&gt;"),
        ("&lt;", "&amp;lt;"),
        ("<@U123>", "&lt;@U123&gt;"),
        ("a & b", "a &amp; b"),
        ("*bold* _it_ ~x~", "*bold* _it_ ~x~"),
    ],
)
def test_slack_escape(typed, sent):
    assert chat.slack_escape(typed) == sent


def test_teams_card_has_the_required_parts_and_shows_text_as_written(app, clock, receiver, olga):
    incident, body = note_sent_to(receiver, "teams", olga)
    validator = jsonschema_rs.validator_for(CARD_SCHEMA)
    validator.validate(body)
    card = body["attachments"][0]["content"]
    assert (
        card["version"] == "1.4"
        and card["$schema"] == "http://adaptivecards.io/schemas/adaptive-card.json"
    )
    runs = [
        inline["text"]
        for element in card["body"]
        if element["type"] == "RichTextBlock"
        for inline in element["inlines"]
    ]
    assert f"{incident.ref} · {TITLE}" in runs and note_sentence() in runs  # TextRun: no Markdown
    assert note_sentence().endswith(NOTE)
    assert all(
        element["type"] != "TextBlock" for element in card["body"]
    )  # nothing Markdown would read
    facts = {
        fact["title"]: fact["value"]
        for element in card["body"]
        if element["type"] == "FactSet"
        for fact in element["facts"]
    }
    assert "2" in facts.values()
    assert [(a["type"], a["url"]) for a in card["actions"]] == [
        ("Action.OpenUrl", f"http://127.0.0.1:5000/incidents/{incident.id}")
    ]


def test_the_card_schema_refuses_a_card_without_its_required_parts():
    validator = jsonschema_rs.validator_for(CARD_SCHEMA)
    good = {
        "type": "message",
        "attachments": [
            {
                "contentType": "application/vnd.microsoft.card.adaptive",
                "contentUrl": None,
                "content": {"type": "AdaptiveCard", "version": "1.4", "body": []},
            }
        ],
    }
    assert validator.is_valid(good)
    for broken in (
        {"type": "AdaptiveCard", "body": []},
        {"type": "AdaptiveCard", "version": "1.4", "body": [{"type": "RichTextBlock"}]},
        {
            "type": "AdaptiveCard",
            "version": "1.4",
            "body": [{"type": "FactSet", "facts": [{"title": "x"}]}],
        },
        {"type": "AdaptiveCard", "version": "1.4", "actions": [{"type": "Action.OpenUrl"}]},
    ):
        assert not validator.is_valid(
            {**good, "attachments": [{**good["attachments"][0], "content": broken}]}
        )


def test_cli_and_form_offer_teams(runner, client, make_user):
    result = runner.invoke(
        args=[
            "webhooks",
            "add",
            "https://hooks.example/t",
            "--secret",
            "0123456789abcdef",
            "--format",
            "teams",
        ]
    )
    assert result.exit_code == 0, result.output
    make_user("ada", roles=["admin"])
    client.post("/login", data={"username": "ada", "password": "correct horse battery"})
    assert 'value="teams"' in client.get("/admin/webhooks").get_data(as_text=True)
    assert (
        client.post(
            "/admin/webhooks",
            data={
                "url": "https://hooks.example/u",
                "secret": "0123456789abcdef",
                "format": "teams",
            },
        ).status_code
        == 302
    )
    assert "teams" in runner.invoke(args=["webhooks", "list"]).output
