"""axe-core (WCAG 2.1 A and AA) on every page each role reaches, in English and German, on a
phone and a desktop: no serious or critical violation, and nothing scrolls sideways on a phone."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.base import AXE_FILE_PATH
from playwright.sync_api import Browser, Page, expect

from crisisdesk.accounts import service as accounts
from crisisdesk.accounts.service import find_user

from .a11y_site import build_desk, pages_by_role
from .conftest import PHONE, create_demo_users, serving

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
BLOCKING = {"serious", "critical"}
#: best-practice rules outside the WCAG tags that fail whatever their impact: two regions with
#: one name cannot be told apart in a screen reader's landmark list
ALSO_REQUIRED = {"runOnly": {"type": "rule", "values": ["landmark-unique"]}}
DESKTOP = {"width": 1280, "height": 800}
PASSWORDS = {name: f"{name}-demo-pass" for name in ("oncall", "legal", "management", "admin")}
LOCALES = {"en": "en-GB", "de": "de-DE"}
ROLES = ["oncall", "legal", "management", "admin", None]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """One live server and one desk full of data for the whole module."""
    with serving(tmp_path_factory.mktemp("a11y")) as server:
        create_demo_users(server.app)
        server.desk = build_desk(server.app)
        yield server


def _open_as(browser: Browser, site, role, language: str, viewport: dict) -> Page:
    """A page signed in as `role` (None: nobody) that reads `language`."""
    context = browser.new_context(viewport=viewport, locale=LOCALES[language])
    page = context.new_page()
    if role is None:
        return page
    with site.app.app_context():  # the language is kept on the profile
        accounts.update_preferences(actor=find_user(role), language=language)
    page.goto(f"{site.url}/login")
    page.locator('input[name="username"]').fill(role)
    page.locator('input[name="password"]').fill(PASSWORDS[role])
    page.get_by_role("main").locator('button[type="submit"]').click()
    expect(page.locator('input[name="password"]')).to_have_count(0)
    return page


def _axe_findings(page: Page) -> list[str]:
    """The serious and critical WCAG 2.1 A/AA violations axe finds on the page, one line each."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(AXE_FILE_PATH.read_text(encoding="utf-8"))
    wcag = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
    required = page.evaluate("options => axe.run(document, options)", ALSO_REQUIRED)
    return [
        f"{violation['id']} ({violation['impact']}) {node['target']}: "
        f"{node.get('failureSummary', '').splitlines()[-1].strip()}"
        for violation in [
            *(v for v in wcag["violations"] if v["impact"] in BLOCKING),
            *required["violations"],
        ]
        for node in violation["nodes"]
    ]


def _overflow(page: Page) -> str | None:
    """Why the page scrolls sideways (its widest element), or None."""
    page.wait_for_load_state("load")  # measured with desk.css applied, as a person sees it
    return page.evaluate(
        """() => {
          const root = document.documentElement;
          if (root.scrollWidth <= window.innerWidth) return null;
          const past = el => {
            const box = el.getBoundingClientRect();
            const spills = el.scrollWidth > el.clientWidth + 1
              && getComputedStyle(el).overflowX === 'visible';
            return box.width > 1 && (box.right > window.innerWidth + 0.5 || spills);
          };
          const wide = [...document.querySelectorAll('body *')]
            .filter(el => past(el) && ![...el.children].some(past))
            .map(el => `${el.tagName.toLowerCase()} "${el.textContent.trim().slice(0, 40)}"`);
          return `${root.scrollWidth} px wide; past the edge: ${wide.slice(-3).join(' | ')}`;
        }"""
    )


def _check_pages(page: Page, base_url: str, paths: list[str], narrow: bool) -> list[str]:
    problems = []
    for path in paths:
        page.goto(base_url + path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        problems += [f"{path}: {finding}" for finding in _axe_findings(page)]
        if narrow and (why := _overflow(page)):
            problems.append(f"{path}: scrolls sideways: {why}")
        if not page.locator('meta[name="viewport"][content*="width=device-width"]').count():
            problems.append(f"{path}: no viewport meta, a phone shows it at desktop width")
    return problems


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375px", "1280px"])
@pytest.mark.parametrize("language", ["en", "de"])
@pytest.mark.parametrize("role", ROLES, ids=lambda role: role or "anonymous")
def test_every_page_passes_axe_and_fits(browser: Browser, site, role, language, viewport):
    paths = pages_by_role(site.desk, language)[role]
    page = _open_as(browser, site, role, language, viewport)
    try:
        problems = _check_pages(page, site.url, paths, narrow=viewport is PHONE)
    finally:
        page.context.close()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375px", "1280px"])
def test_chart_text_is_readable_or_the_table_stands_in(browser: Browser, site, viewport):
    page = _open_as(browser, site, "management", "en", viewport)
    try:
        for path in ("postmortem", "postmortem/print"):
            page.goto(f"{site.url}/incidents/{site.desk.closed}/{path}")
            chart = page.locator("svg.incident-chart")
            expect(chart).to_have_count(1)
            table = page.locator("table.chart-table")
            if chart.is_visible():
                sizes = chart.evaluate(
                    """svg => [...svg.querySelectorAll('text')].map(
                         t => parseFloat(getComputedStyle(t).fontSize) * svg.getScreenCTM().a)"""
                )
                assert min(sizes) >= 11, (path, sizes)
            else:
                expect(table).to_be_visible()
                expect(table).to_contain_text(re.compile("Severity"))
                expect(table.locator("tbody tr")).not_to_have_count(0)
            if viewport is PHONE:  # too narrow for the chart's text anywhere
                expect(chart).to_be_hidden()
    finally:
        page.context.close()
