"""A playbook may tell our own people first; it must then offer a text to tell them with."""

from .conftest import edit, problems_text


def test_a_rule_without_a_text_for_our_own_people_is_reported(folder):
    edit(
        folder / "it-provider-outage.en.md",
        "default_severity:",
        "internal_first_minutes: 10\ndefault_severity:",
    )
    edit(folder / "it-provider-outage.en.md", "staff-briefing-en, ", "")
    assert "internal_first_minutes needs a statement for staff" in problems_text(folder)
    edit(folder / "merger.en.md", "internal_first_minutes: 10", "internal_first_minutes: 999")
    assert "'internal_first_minutes' must be a whole number from 0 to 240" in problems_text(folder)
