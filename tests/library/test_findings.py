"""The shipped library keeps what a review of it by legal and a crisis adviser asked for.

Rules that hold for every file live in wording.yaml and rules.py; these are the findings about
particular texts that no general rule can see.
"""

import re

import pytest

from crisisdesk.library.loader import load_library
from crisisdesk.library.placeholders import fill

from .conftest import CONTENT

LIBRARY = load_library(CONTENT)
BANK = "Raiffeisenbank Testtal eG"


def statement(slug):
    return LIBRARY.statements[slug]


def filled(slug: str, **values) -> str:
    """The statement's text with these values, the rest at a plain sample, the bank's name set."""
    item = statement(slug)
    sample = {"date": "2026-12-03", "time": "14:30", "datetime": "2026-12-03T14:30"}
    rendered = {
        p.name: values.get(p.name, p.options[0] if p.options else sample.get(p.type, "sample"))
        for p in item.placeholders
    }
    return fill(item.body, {**rendered, "bank_name": BANK})


@pytest.mark.parametrize(
    "slug",
    [
        "holding-press",
        "holding-social",
        "outage-update",
        "outage-all-clear",
        "branch-closure-holding",
    ]
    + ["fee-dispute-holding", "misconduct-holding", "merger-leak-holding"],
)
@pytest.mark.parametrize("language", ["de", "en"])
def test_texts_for_crises_without_fraud_name_no_card_blocking(slug, language):
    # a card-blocking number in a text about fees or a closure suggests a security incident
    body = statement(f"{slug}-{language}").body
    assert "116 116" not in body and "PIN" not in body


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_impersonation_warning_may_leave_the_fake_profile_unnamed(language):
    item = statement(f"impersonation-warning-{language}")
    handle = next(p for p in item.placeholders if p.name == "fake_handle")
    assert not handle.required  # naming a fake spreads it: a choice, with guidance
    assert handle.help
    text = filled(item.slug, fake_handle="")
    assert all("  " not in line for line in text.split("\n")) and "\n\n\n" not in text
    # a social profile is a "Profil": "Konto" reads as a bank account
    assert not re.search(r"\bKonto\b", filled("impersonation-warning-de"))


@pytest.mark.parametrize("slug", ["sms-outage-de", "sms-all-clear-de", "card-outage-sms-de"])
def test_sms_name_the_bank_and_read_as_german(slug):
    affected = next((p for p in statement(slug).placeholders if p.name == "affected"), None)
    for option in affected.options if affected else [None]:
        text = filled(slug, **({"affected": option} if option else {}))
        assert text.startswith(f"{BANK}:")
        assert not re.search(r"\bbei (Online-Banking|der App|Banking-App)\b", text)


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_leak_rumour_holding_invites_no_card_blocking_and_assumes_no_victims(language):
    body = statement(f"data-incident-holding-{language}").body
    assert "116 116" not in body
    assert "Betroffene direkt" not in body and "those affected directly" not in body


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_breach_notice_goes_to_the_affected_and_reports_only_what_was_done(language):
    item = statement(f"data-breach-notice-{language}")
    assert item.audience == "affected" and set(item.channels) == {"letter", "email"}
    report = next(p for p in item.placeholders if p.name == "report_status")
    assert report.type == "choice" and len(report.options) >= 2
    assert BANK in filled(item.slug)


@pytest.mark.parametrize("language,word", [("de", "Vormerkung"), ("en", "pre-authorisation")])
def test_double_charging_tells_a_double_reservation_from_a_double_booking(language, word):
    options = [
        o for p in statement(f"double-charging-notice-{language}").placeholders for o in p.options
    ]
    assert any(word in option for option in options)
    assert not any("automatisch aus" in option for option in options)


@pytest.mark.parametrize("language,sorry", [("de", "Entschuldigen"), ("en", "apologise")])
def test_the_all_clear_names_one_service_a_time_and_apologises(language, sorry):
    item = statement(f"outage-all-clear-{language}")
    assert any(p.type == "datetime" for p in item.placeholders)
    assert sorry in item.body
    affected = next(p for p in item.placeholders if p.name == "affected")
    assert not any("all" in option.casefold() for option in affected.options)


def test_replies_to_fee_claims_treat_repayment_as_a_right_under_banking_secrecy():
    for language, secrecy in (("de", "Bankgeheimnis"), ("en", "banking secrecy")):
        item = statement(f"fee-dispute-reply-{language}")
        assert item.audience == "commenter" and secrecy in item.body
        assert "Kulanz" not in item.body and "goodwill" not in item.body
    misconduct = LIBRARY.playbooks["employee-misconduct-de"]
    assert "Telefon durch Filialleitung" not in misconduct.text


def test_the_atm_blasting_notice_says_what_happened_and_who_pays_for_damage():
    item = statement("atm-blasting-notice-de")
    assert "gesprengt" in item.body and "beschädigt" not in item.body
    assert any("damage" in p.name for p in item.placeholders)


def test_the_takedown_request_is_a_letter_to_the_platform():
    for language in ("de", "en"):
        item = statement(f"takedown-request-{language}")
        assert item.audience == "platform" and set(item.channels) <= {"letter", "email"}


def first_told(playbook: str, severity: int, role: str) -> int | None:
    steps = LIBRARY.playbooks[playbook].escalation[severity]
    return min((s.after_minutes for s in steps if s.target_role == role), default=None)


@pytest.mark.parametrize("language", ["de", "en"])
def test_escalation_agrees_with_what_the_playbooks_say(language):
    # the data-protection officer is in from the first minutes, at every severity
    assert all(first_told(f"data-breach-{language}", s, "dpo") <= 10 for s in (1, 2, 3, 4))
    # a single misdirected letter (severity 3) does not go to the supervisory board
    breach = LIBRARY.playbooks[f"data-breach-{language}"]
    board = ("Aufsichtsrat", "supervisory board")
    assert not any(any(w in s.action for w in board) for s in breach.escalation[3])
    # "clarify with legal" comes first in a fee dispute: legal is told within the hour
    assert first_told(f"fee-dispute-{language}", 3, "legal") <= 60
    # a text legal owns goes out in the first hour of misconduct: legal is told well before
    assert first_told(f"employee-misconduct-{language}", 2, "legal") <= 30
    # a serious incident needs a board member's decision on dark site and SMS within the hour
    assert [s.after_minutes for s in LIBRARY.policy[language][2] if s.target_role == "management"][
        :2
    ] == [15, 60]
