"""100+ hostile payloads in every user-text field, rendered on every page that shows them, in
Chromium: the `window.__xss` hook the payloads try to call is never called."""

from playwright.sync_api import Page

from crisisdesk.accounts import service as accounts
from crisisdesk.accounts.service import find_user
from crisisdesk.incidents import entries
from crisisdesk.incidents import service as incidents
from crisisdesk.responses import service as responses
from crisisdesk.review import service as review

from .test_login import sign_in

VECTORS = [
    "<script>__xss()</script>",
    "<img src=x onerror=__xss()>",
    "<svg onload=__xss()>",
    "<svg><script>__xss()</script>",
    "<body onload=__xss()>",
    '<iframe src="javascript:__xss()"></iframe>',
    '<a href="javascript:__xss()">x</a>',
    '<a href="data:text/html,<script>parent.__xss()</script>">d</a>',
    "<details open ontoggle=__xss()>",
    "<input autofocus onfocus=__xss()>",
    "<video><source onerror=__xss()></video>",
    '"><script>__xss()</script>',
    "'><img src=x onerror=__xss()>",
    "</textarea><script>__xss()</script>",
    "</title><script>__xss()</script>",
    "[x](javascript:__xss())",
    "![x](javascript:__xss())",
    "<math><mtext><img src=x onerror=__xss()>",
    '<object data="javascript:__xss()">',
    "<style>@import 'javascript:__xss()';</style>",
    "{{ 7*7 }}<script>__xss()</script>",
    "<scr<script>ipt>__xss()</script>",
    "<img src=`x` onerror=__xss()>",
    '<a href="jav&#x09;ascript:__xss()">t</a>',
    "<marquee onstart=__xss()>",
]
WRAPPERS = ["{}", "Störung {}", "{} <b>broken", "*{}*"]
PAYLOADS = [wrapper.format(vector) for vector in VECTORS for wrapper in WRAPPERS]  # 100


def test_no_payload_ever_runs(page: Page, live_server, demo_users):
    assert len(PAYLOADS) >= 100
    ids = []
    with live_server.app.app_context():
        oncall, legal, boss = find_user("oncall"), find_user("legal"), find_user("management")
        accounts.create_user(
            "mallory", password="mallory-pass-123", roles=["oncall"], display_name=PAYLOADS[1][:120]
        )
        for number, payload in enumerate(PAYLOADS):
            incident = incidents.open_incident(
                actor=oncall,
                title=payload[:200],
                summary=payload,
                severity=3,
                playbook="fee-dispute-en",
                source_links=["https://x.com/a/1"],
            )
            entries.add_note(incident.id, payload, actor=oncall)
            draft = responses.draft_response(
                incident.id, actor=oncall, channel="facebook", body=payload
            )
            if number % 10 == 0:
                responses.submit_response(draft.id, actor=oncall)
                responses.reject_response(draft.id, actor=legal, comment=payload)
                review.update_postmortem(
                    incident.id,
                    actor=boss,
                    summary=payload,
                    lessons=payload,
                    actions=[{"text": payload[:2000], "owner": payload[:120]}],
                )
            ids.append((incident.id, draft.id))
    page.add_init_script("window.__xssCalls = 0; window.__xss = () => { window.__xssCalls += 1; };")
    # control: on a page without escaping or CSP, one of the payloads does call the hook
    page.set_content(
        "<script>window.__xssCalls = 0; window.__xss = () => { window.__xssCalls += 1; };</script>"
        + VECTORS[1]
    )
    page.wait_for_function("window.__xssCalls === 1")
    sign_in(page, live_server.url, "admin", "admin-demo-pass")
    paths = ["/", "/admin/users", "/responses/review", "/dashboard"]
    paths += [f"/?q={i}" for i in ("script", "onerror", "svg")]
    for incident_id, response_id in ids[::3]:
        paths += [
            f"/incidents/{incident_id}",
            f"/responses/{response_id}",
            f"/incidents/{incident_id}/said",
        ]
    for incident_id, _ in ids[::10]:
        paths += [
            f"/incidents/{incident_id}/postmortem",
            f"/incidents/{incident_id}/postmortem/print",
        ]
    paths += [
        f"/library/statements/holding-social-en?issue={p[:50]}&next_update=14:30"
        for p in PAYLOADS[::7]
    ]
    for path in paths:
        page.goto(live_server.url + path)
        assert page.evaluate("window.__xssCalls") == 0, path
    page.goto(f"{live_server.url}/incidents/{ids[0][0]}")
    assert (
        "<script>__xss()</script>" in page.locator("h1").inner_text()
    )  # shown as text, not dropped
    assert len(paths) > 80
