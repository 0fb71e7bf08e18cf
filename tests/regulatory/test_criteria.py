"""Art. 8 of Delegated Regulation (EU) 2024/1772: when an ICT-related incident is major."""

import itertools

import pytest

from crisisdesk.regulatory.criteria import (
    CRITERIA,
    HELP,
    LABELS,
    THRESHOLDS,
    Proposal,
    propose,
)


def test_without_critical_services_nothing_is_major():
    everything_else = {name: True for name in CRITERIA if name != "critical_services"}
    assert propose(everything_else) == Proposal("not_major", None)


def test_a_malicious_access_to_critical_services_is_major_on_its_own():
    proposal = propose({"critical_services": True, "malicious_access": True})
    assert proposal == Proposal("major", "critical_services+malicious_access")


@pytest.mark.parametrize("one", THRESHOLDS)
def test_one_threshold_with_critical_services_is_not_enough(one):
    assert propose({"critical_services": True, one: True}).decision == "not_major"


@pytest.mark.parametrize("pair", list(itertools.combinations(THRESHOLDS, 2)))
def test_any_two_thresholds_with_critical_services_make_it_major_and_say_which(pair):
    proposal = propose({"critical_services": True, **{name: True for name in pair}})
    assert proposal.decision == "major"
    assert proposal.rule == "+".join(["critical_services", *pair])


def test_criteria_marked_not_met_count_as_not_met():
    met = {name: False for name in CRITERIA} | {"critical_services": True, "clients": True}
    assert propose(met).decision == "not_major"


def test_an_unknown_criterion_is_refused():
    with pytest.raises(ValueError, match="unknown criteria: members"):
        propose({"members": True})


def test_every_criterion_has_a_label_and_help_in_german_and_english(app):
    from flask_babel import force_locale

    with app.test_request_context():
        for language in ("de", "en"):
            with force_locale(language):
                texts = [(str(LABELS[name]), str(HELP[name])) for name in CRITERIA]
            assert all(label and help_text for label, help_text in texts)
            if language == "de":
                german = texts
        english = texts
    assert german != english  # the German catalogue has them
