"""Generated input through every HTML form the desk renders, as every role: never a 5xx.

The forms are not listed by hand: each role's client follows the links of the desk from `/`
and reads every `<form method=post>` on the way. A POST route of the app that no page offers
a form for fails the test, so a new form cannot escape. Hypothesis then fills each form with
the options it offers, hostile text, numbers, dates, missing and repeated fields.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from urllib.parse import parse_qsl, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crisisdesk.library.store import get_library

from ..conftest import PASSWORD, login
from .forms import FormSpec, merge, read_page
from .world import ROLE_USERS, build_world

pytestmark = pytest.mark.slow

EXAMPLES = int(os.environ.get("CRISISDESK_FORM_EXAMPLES", "8"))
ROLES = ["oncall", "legal", "management", "admin"]  # admin last: its forms change other accounts
PAGE_LIMIT = 200  #: pages read per role
#: pages read per route and set of query keys: forty playbook pages hold the same forms, and a
#: bigger library must not push the forms further down the crawl than the page limit reaches
PER_SHAPE = 10
#: POST routes whose form takes no input worth generating, and why
NOT_FUZZED = {"/logout": "ends the session the rest of the run needs; no fields"}
#: the draft form's script posts the form's fields, with its statement, to the live preview
DRAFT_FORM = re.compile(r"^(/incidents/\d+/responses)/new$")


def scripted_forms(forms: dict[str, FormSpec], statements: list[str]) -> dict[str, FormSpec]:
    """The requests a page's script makes with one of its forms' fields, as forms to fuzz."""
    derived = {}
    for action, spec in forms.items():
        match = DRAFT_FORM.match(action)
        if match:
            target = f"{match[1]}/preview"
            derived[target] = FormSpec(target, {**spec.fields, "statement": statements})
    return derived


HOSTILE = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "0",
        "-1",
        "99999999999999999999",
        "1e308",
        "NaN",
        "true",
        "null",
        "[]",
        "{}",
        "2026-02-30T25:61",
        "9999-12-31T23:59",
        "0001-01-01T00:00",
        "<script>alert(1)</script>",
        "javascript:alert(1)",
        "'; DROP TABLE incident; --",
        "%s%n",
        "../../etc/passwd",
        "\u202e\u200b",
        "https://example.org/" + "a" * 3000,
        "x" * 25000,
        "ä" * 5001,
    ]
)
VALUE = st.one_of(
    HOSTILE,
    st.text(max_size=300),
    st.integers().map(str),
    st.datetimes().map(lambda moment: moment.isoformat(timespec="minutes")),
)


def crawl(client, start: str = "/") -> tuple[dict[str, FormSpec], int]:
    """Follow the desk's own links from `start`; return
    the POST forms found by action, and pages read.
    """
    found: dict[str, FormSpec] = {}
    queue, seen, read, shapes = [start], {start}, 0, Counter()
    routes = client.application.url_map.bind("localhost")
    while queue and read < PAGE_LIMIT:
        url = queue.pop(0)
        shape = _shape(routes, url)
        if shapes[shape] >= PER_SHAPE:
            continue
        shapes[shape] += 1
        read += 1
        response = client.get(url)
        if response.status_code != 200 or not response.mimetype == "text/html":
            continue
        forms, links = read_page(response.get_data(as_text=True), url)
        merge(found, forms)
        for link in links:
            parts = urlsplit(link)
            if (
                parts.netloc
                or not parts.path.startswith("/")
                or parts.path.startswith(("/static", "/bootstrap", "/api/"))
            ):
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if target not in seen and not parts.path.endswith((".md", ".json")):
                seen.add(target)
                queue.append(target)
    return found, read


def _shape(routes, url: str) -> tuple:
    """The route a desk address reaches and the names of its query parameters."""
    parts = urlsplit(url)
    try:
        endpoint = routes.match(parts.path, method="GET")[0]
    except Exception:  # a redirect or an unknown address: the path is its own shape
        endpoint = parts.path
    return endpoint, tuple(sorted({key for key, _ in parse_qsl(parts.query, True)}))


def _payloads(spec: FormSpec):
    """A form body: each field omitted, one of its offered
    options, hostile or random; sometimes extra fields.
    """

    def field_value(options):
        choices = [VALUE, st.lists(VALUE, min_size=2, max_size=3)]
        if options:
            choices.insert(0, st.sampled_from(options))
        return st.one_of(*choices)

    known = st.fixed_dictionaries(
        {},
        optional={
            name: field_value(options)
            for name, options in spec.fields.items()
            if name != "csrf_token"
        },
    )
    extra = st.dictionaries(st.text(min_size=1, max_size=20), VALUE, max_size=2)
    return st.builds(lambda base, more: {**more, **base}, known, extra)


def _fuzz_form(client, spec: FormSpec, statuses: list[int]) -> None:
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(body=_payloads(spec))
    def check(body):
        response = client.post(spec.action, data=body)
        statuses.append(response.status_code)
        assert response.status_code < 500, f"{spec.action} {body!r} → {response.status_code}"

    check()


def _rule_pattern(rule: str) -> re.Pattern:
    return re.compile("^" + re.sub(r"<(?:[^:<>]+:)?[^<>]+>", "[^/]+", rule) + "$")


def test_every_form_survives_generated_input(app, capsys):
    build_world(app)
    post_rules = sorted(
        rule.rule
        for rule in app.url_map.iter_rules()
        if "POST" in rule.methods and not rule.rule.startswith("/api/")
    )
    with app.app_context():
        statements = sorted(get_library().statements)
    anonymous = app.test_client()
    found, pages = crawl(anonymous, "/login")
    clients = {"anonymous": (anonymous, found)}
    for role in ROLES:
        client = app.test_client()
        login(client, ROLE_USERS[role], PASSWORD)
        role_forms, role_pages = crawl(client)
        role_forms.update(scripted_forms(role_forms, statements))
        pages += role_pages
        clients[role] = (client, role_forms)
        merge(found, role_forms.values())
    unreached = [
        rule
        for rule in post_rules
        if rule not in NOT_FUZZED and not any(_rule_pattern(rule).match(action) for action in found)
    ]
    assert not unreached, f"POST routes with no form on any page the desk links to: {unreached}"

    statuses: list[int] = []
    for _role, (client, forms) in clients.items():
        # forms that end sessions go last: before, they would
        # sign the client out for the rest of its forms
        for action, spec in sorted(
            forms.items(), key=lambda item: ("/sessions/" in item[0], item[0])
        ):
            if action not in NOT_FUZZED:
                _fuzz_form(client, spec, statuses)
    with capsys.disabled():
        print(
            f"\n  form fuzz: {pages} pages crawled, {len(found)} forms, {len(statuses)} requests, "
            f"{sum(s < 400 for s in statuses)} accepted or redirected, "
            f"{sum(s >= 500 for s in statuses)} server errors"
        )
    assert len(statuses) >= len(found) * EXAMPLES
