"""After a full incident, every public file holds only what may appear: the published website
texts, their titles, times, the bank's name, its official channels and the pages' own words."""

import json
import re
from html.parser import HTMLParser
from pathlib import Path

from babel.dates import format_datetime
from flask_babel import force_locale

from crisisdesk.extensions import db
from crisisdesk.i18n import template_gettext
from crisisdesk.impersonation.official import add_account, change_account
from crisisdesk.incidents import entries
from crisisdesk.incidents import service as incidents
from crisisdesk.people.contacts import create_contact
from crisisdesk.plaintext import markdown_to_plain
from crisisdesk.public.render import render_site
from crisisdesk.responses import service as responses
from crisisdesk.responses.models import Response
from crisisdesk.responses.publishing import retract_response

from .conftest import VALUES

TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "public"
SECRETS = {
    "INTERNAL-TITLE",
    "INTERNAL-SUMMARY",
    "INTERNAL-NOTE",
    "intranet.example",
    "Oncall-Secret",
    "Legal-Secret",
    "olga",
    "lena",
    "LEGAL-COMMENT",
    "RETRACT-REASON",
    "REJECTED-DRAFT",
    "X-ONLY-POST",
    "CONTACT-NAME",
    "030 23125 999",
    "SECOND-FACTOR-HOLDER",
    "RECOVERY-PERSON",
    "ACCOUNT-OWNER",
    "ACCOUNT-PURPOSE",
    "RETIRED-ACCOUNT",
}
CHANNELS = [
    {"platform": "instagram", "handle": "@bank.example", "url": "https://social.example/@bank"},
    {"platform": "website", "handle": "bank.example", "url": "https://bank.example/"},
]


class Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts = []

    def handle_data(self, data):
        self.parts.append(data)

    def handle_starttag(self, tag, attrs):
        self.parts.extend(value or "" for name, value in attrs if name in ("title", "aria-label"))


def words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.casefold()))


def chrome_words() -> set[str]:
    """Every word of the public templates' own messages, in every language."""
    found = set()
    for template in TEMPLATES.glob("*.html"):
        for message in re.findall(r"""_\(\s*["']([^"']+)["']""", template.read_text()):
            for language in ("de", "en"):
                with force_locale(language):
                    found |= words(template_gettext(message).replace("%(", " ").replace(")s", " "))
    return found | words("Deutsch English")


def full_incident(outage, people, publish, clock):
    olga, lena = people["olga"], people["lena"]
    entries.add_note(outage.id, "INTERNAL-NOTE the provider's CEO called", actor=olga)
    entries.add_source_link(outage.id, "https://intranet.example/ticket/4711", actor=olga)
    create_contact(
        actor=people["ada"], name="CONTACT-NAME", phones=["030 23125 999"], tags=["press-office"]
    )
    for channel in CHANNELS:
        add_account(
            actor=people["ada"],
            **channel,
            verified=True,
            owner="ACCOUNT-OWNER",
            purpose="ACCOUNT-PURPOSE",
            second_factor="SECOND-FACTOR-HOLDER",
            recovery_contacts="RECOVERY-PERSON",
        )
    retired = add_account(
        actor=people["ada"], platform="x", handle="RETIRED-ACCOUNT", url="https://x.example/old"
    )
    change_account(retired.id, actor=people["ada"], active=False)
    x_post = responses.draft_response(outage.id, actor=olga, channel="x", body="X-ONLY-POST outage")
    responses.submit_response(x_post.id, actor=olga)
    responses.approve_response(x_post.id, actor=lena, comment="LEGAL-COMMENT fine")
    rejected = responses.draft_response(
        outage.id, actor=olga, channel="website", body="REJECTED-DRAFT"
    )
    responses.submit_response(rejected.id, actor=olga)
    responses.reject_response(rejected.id, actor=lena, comment="LEGAL-COMMENT too vague")
    first = publish()
    clock.advance(minutes=20)
    retracted = publish(values={**VALUES, "affected": "ATMs"})
    retract_response(retracted.id, "RETRACT-REASON wrong service", actor=olga)
    clock.advance(minutes=20)
    publish(body="## Update\n\nOnline banking works again in parts.", corrects=first.id)
    incidents.update_incident(outage.id, status="monitoring", actor=olga)


def test_every_public_file_holds_only_what_may_appear(app, outage, people, publish, clock):
    full_incident(outage, people, publish, clock)
    files = render_site()
    db.session.rollback()
    live = (
        db.session.query(Response)
        .filter(
            Response.channel == "website",
            Response.status == "published",
            Response.retracted_at.is_(None),
        )
        .all()
    )
    assert len(live) == 2
    allowed = chrome_words() | words(app.config["BANK_NAME"]) | words(app.config["TIMEZONE"])
    for channel in CHANNELS:
        allowed |= words(f"{channel['platform']} {channel['handle']} {channel['url']}")
    for response in live:
        allowed |= words(markdown_to_plain(response.current.body))
    allowed |= words("Disruption to cards, ATMs or online banking")
    allowed |= words("Störung bei Karten, Geldautomaten oder Online-Banking")
    for language in ("de", "en"):
        allowed |= words(format_datetime(clock.now(), "MMMM y HH mm", locale=language)) | {"uhr"}
    for relative, body in files.items():
        text = body.decode("utf-8")
        for secret in SECRETS:
            assert secret.casefold() not in text.casefold(), (relative, secret)
        assert outage.ref not in text, relative
        if relative.endswith(".html"):
            parser = Text()
            parser.feed(text)
            visible = " ".join(parser.parts)
            unknown = {w for w in words(visible) - allowed if not w.isdigit()}
            assert not unknown, (relative, sorted(unknown))
        if relative == "feed.json":
            for item in json.loads(text)["items"]:
                assert set(item) == {
                    "id",
                    "url",
                    "title",
                    "content_html",
                    "content_text",
                    "date_published",
                    "language",
                }
                assert words(item["content_text"]) <= allowed
