"""Drill scripts: library content with objectives and timed injects, checked with file and line."""

import pytest

from crisisdesk.library.loader import load_library

from .conftest import CONTENT, edit, problems_text

DRILL = "drills/it-provider-outage.de.md"


def test_the_shipped_scripts_cover_four_crises_in_both_languages():
    library = load_library(CONTENT)
    assert library.problems == []
    for language in ("de", "en"):
        scripts = [s for s in library.drills.values() if s.language == language]
        playbooks = {library.playbooks[s.playbook].slug.rsplit("-", 1)[0] for s in scripts}
        assert {"it-provider-outage", "phishing-wave", "data-breach", "branch-closure"} <= playbooks
        for script in scripts:
            assert library.drills[script.twin].language != language
            assert script.objectives and len(script.injects) >= 4, script.slug
            assert any(inject.expects for inject in script.injects), script.slug
            assert all(i.at_minute <= script.duration_minutes for i in script.injects)
    english = library.drills["it-provider-outage-drill-en"]
    german = library.drills["it-provider-outage-drill-de"]
    assert [(i.id, i.at_minute, i.kind) for i in english.injects] == [
        (i.id, i.at_minute, i.kind) for i in german.injects
    ]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("measure: legal_review", "measure: vibes", "measure must be one of first_acknowledgement"),
        ("kind: press_call", "kind: carrier_pigeon", "kind must be one of social_post"),
        ("platform: x", "platform: myspace", "platform must be one of x, instagram"),
        ("    expects: publish\n", "", "'expects' and 'within_minutes' come together"),
        ("    expects: reply", "    expects: applause", "expects must be one of reply"),
        ("at_minute: 45", "at_minute: 400", "'at_minute' must be a whole number from 0 to 90"),
        ("count: 12", "count: 0", "'count' must be a whole number from 1 to 500"),
        ("reach: 850", "reach: many", "'reach' must be a whole number"),
        ("severity: 1\n", "severity: 7\n", "'severity' must be a whole number from 1 to 4"),
        (
            "playbook: it-provider-outage-de",
            "playbook: it-provider-outage-en",
            "does not exist in de",
        ),
        ('    author: "Jana', '    colour: red\n    author: "Jana', "a press_call has no colour"),
        ("  - id: holding-out", "  - id: first-ack", "duplicate id 'first-ack' in 'objectives'"),
        ("target_minutes: 30", "target_minutes: 0", "'target_minutes' must be a whole number"),
    ],
)
def test_a_broken_script_is_reported_with_file_and_line(folder, old, new, message):
    edit(folder / DRILL, old, new)
    found = problems_text(folder)
    assert message in found and found.startswith("playbooks/drills/it-provider-outage.de.md:")
    assert "it-provider-outage-drill-de" not in load_library(folder).drills
