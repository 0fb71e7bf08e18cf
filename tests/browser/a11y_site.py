"""A desk with something on every page, built through the services, and the pages each role
reaches: what the accessibility checks walk through."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

from crisisdesk import clock
from crisisdesk.accounts.service import find_user
from crisisdesk.drills.service import start_drill
from crisisdesk.errors import Conflict
from crisisdesk.extensions import db
from crisisdesk.impersonation import cases
from crisisdesk.incidents import entries
from crisisdesk.incidents import service as incidents
from crisisdesk.incidents.escalation import claim_due_steps
from crisisdesk.library import service as library
from crisisdesk.notify import service as notify
from crisisdesk.notify import worker
from crisisdesk.public.notices import notice_of
from crisisdesk.regulatory import service as regulatory
from crisisdesk.regulatory.submissions import record_submission
from crisisdesk.responses import service as responses
from crisisdesk.review import service as review

#: a published post's address with no place to break: it must wrap, not widen the page
LONG_URL = "https://x.com/examplebank/status/" + "1234567890" * 8 + "?s=20&t=AbCdEfGhIjKlMnOpQr"
LONG_WORD = "Onlinebankingstörungsbenachrichtigungsübermittlungsverzögerung" * 2


def build_desk(app) -> SimpleNamespace:
    """Open, respond to, close and review incidents so that every page has content."""
    with app.app_context():
        oncall, legal, boss = find_user("oncall"), find_user("legal"), find_user("management")
        admin = find_user("admin")
        # opened three hours ago: its escalation steps are overdue (notified, not acknowledged)
        clock.freeze(clock.now() - timedelta(hours=3))
        try:
            live = incidents.open_incident(
                actor=oncall,
                title=f"Online banking unreachable {LONG_WORD}",
                summary=f"Customers cannot sign in. {LONG_WORD}",
                severity=1,
                playbook="it-provider-outage-en",
                channels=["x", "facebook"],
                source_links=[LONG_URL],
            )
        finally:
            clock.unfreeze()
        claim_due_steps()
        entries.add_note(live.id, f"Press office informed. {LONG_URL}", actor=admin)
        fake = cases.add_items(live.id, [LONG_URL], actor=oncall).created[0]
        cases.move_item(fake.id, "reported", actor=oncall, reference="CASE-4711")
        try:  # `flask demo` may have signed it off already
            library.approve_statement(
                "holding-social-en", actor=legal, free_placeholders=["issue", "help_place"]
            )
        except Conflict:
            db.session.rollback()

        def free_text(text):
            return responses.draft_response(live.id, actor=oncall, channel="facebook", body=text)

        draft = free_text(f"We are looking into it. {LONG_WORD}")
        pending = free_text("We are aware of problems with online banking.")
        responses.submit_response(pending.id, actor=oncall)
        approved = free_text("Online banking works again.")
        responses.submit_response(approved.id, actor=oncall)
        responses.approve_response(approved.id, actor=legal, comment="Fine.")
        rejected = free_text("It is the provider's fault.")
        responses.submit_response(rejected.id, actor=oncall)
        responses.reject_response(rejected.id, actor=legal, comment=f"No blame. {LONG_WORD}")
        published = free_text(f"Next update at 15:00. {LONG_URL}")
        responses.submit_response(published.id, actor=oncall)
        responses.approve_response(published.id, actor=legal)
        responses.publish_response(published.id, actor=oncall, url=LONG_URL)

        # the dark page put live: the public notice pages have an update to show
        try:
            library.approve_statement("it-outage-page-en", actor=legal)
        except Conflict:
            db.session.rollback()
        page = responses.draft_response(
            live.id,
            actor=oncall,
            channel="website",
            statement="it-outage-page-en",
            values={
                "affected": "online banking and the app",
                "since": "2026-11-29T09:00",
                "workaround": "You can get cash in our branches during the usual opening hours.",
                "next_update": "11:00",
            },
        )
        responses.publish_response(page.id, actor=oncall)
        notice = notice_of(live.id).public_id
        drill = start_drill("it-provider-outage-drill-en", actor=boss, participants=["oncall"])

        # a major incident with a breach, its initial notification made: every clock state shows
        regulatory.update_assessment(
            live.id,
            actor=boss,
            criteria={
                "critical_services": {"met": True, "value": "online banking"},
                "clients": {"met": True, "value": "40 % of clients", "evidence": LONG_URL},
                "reputational": {"met": True, "evidence": LONG_WORD},
            },
            decision="major",
            reasons=f"Online banking down for most clients. {LONG_WORD}",
            personal_data_breach=True,
        )
        record_submission(live.id, actor=boss, kind="dora_initial", reference="BAFIN-42")

        closed = incidents.open_incident(
            actor=oncall, title="Phishing wave in our name", severity=2, playbook="phishing-wave-en"
        )
        review.update_postmortem(
            closed.id,
            actor=boss,
            summary=f"Warned customers within 20 min. {LONG_URL}",
            lessons="Keep the SMS warning pre-approved.",
            actions=[{"text": "Review SMS texts", "owner": "Legal", "due": "2026-12-10"}],
        )
        for status in ("monitoring", "resolved", "closed"):
            incidents.update_incident(closed.id, actor=oncall, status=status)
        hook = notify.add_webhook(
            "https://hooks.example.com/crisisdesk", "s" * 20, actor=admin, events=["note_added"]
        )
        worker.dispatch_events()  # in-app notifications and webhook deliveries to show
        return SimpleNamespace(
            live=live.id,
            closed=closed.id,
            draft=draft.id,
            pending=pending.id,
            approved=approved.id,
            rejected=rejected.id,
            published=published.id,
            hook=hook.id,
            legal_user=legal.id,
            notice=notice,
            drill_room=drill.incident_id,
            drill=drill.id,
        )


def pages_by_role(desk: SimpleNamespace, language: str) -> dict[str, list[str]]:
    """Every page each role can reach, with the library in the page's language."""
    live, closed = desk.live, desk.closed
    playbook = f"/library/playbooks/it-provider-outage-{language}"
    statement = f"/library/statements/holding-social-{language}"
    return {
        "oncall": [
            "/",
            "/incidents/new",
            f"/incidents/{live}",
            f"/incidents/{closed}",
            f"/incidents/{live}/responses/new",
            f"/incidents/{live}/responses/new?free=1",
            f"/incidents/{live}/responses/new?statement=holding-social-en",
            f"/incidents/{live}/responses/new?statement=it-outage-page-{language}",
            *(
                f"/responses/{rid}"
                for rid in (
                    desk.draft,
                    desk.pending,
                    desk.approved,
                    desk.rejected,
                    desk.published,
                )
            ),
            f"/incidents/{live}/said",
            "/search",
            "/search?q=Online",
            "/search?q=%3F",  # the form's error
            f"/incidents/{live}/said-before?q=online",
            f"/incidents/{live}/impersonations",
            f"/incidents/{live}/regulatory",
            "/contacts",
            "/contacts/1",
            "/official-accounts",
            "/duties",
            "/duties/legal-duty",
            f"/library/?q=phishing&language={language}",
            playbook,
            statement,
            "/notifications",
            "/profile/",
            "/incidents/999999",  # the error page
        ],
        "legal": [
            "/responses/review",
            f"/responses/{desk.pending}",
            "/library/review",
            statement,
            f"/library/statements/outage-update-{language}",
        ],
        "management": [
            "/dashboard",
            "/drills",
            "/drills/programme",
            "/official-accounts/new",
            "/official-accounts/2",
            f"/incidents/{desk.drill_room}",
            f"/drills/{desk.drill}/report",
            f"/incidents/{live}/postmortem",
            f"/incidents/{closed}/postmortem",
            f"/incidents/{closed}/postmortem/print",
            f"/incidents/{live}/regulatory",
            f"/incidents/{live}/regulatory/report?kind=intermediate",
            "/contacts?tag=it-provider",
            "/contacts/new",
            "/contacts/1",
            "/duties/new",
            "/duties/management-duty",
        ],
        "admin": [
            "/admin/users",
            "/admin/users/new",
            f"/admin/users/{desk.legal_user}",
            "/admin/webhooks",
            f"/admin/webhooks/{desk.hook}",
            "/admin/offline/",
        ],
        None: [
            "/login",
            "/no-such-page",
            *_public_pages(desk.notice, language),
        ],
    }


def _public_pages(notice: str, language: str) -> list[str]:
    """The public site in one language: index, the notice, official channels, a 404."""
    folder = "" if language == "de" else f"{language}/"
    return [
        f"/public/{folder}",
        f"/public/{folder}notices/{notice}",
        f"/public/{folder}channels",
        f"/public/{folder}notices/no-such-notice",
    ]
