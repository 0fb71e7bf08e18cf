"""Legal's wording rules (playbooks/wording.yaml): promises, claims, words, banking secrecy."""

import pytest

from .conftest import SECRECY, problems, write


@pytest.mark.parametrize(
    "lang,where,value",
    [
        ("de", "body", "Zinsen und Entgelte gleichen wir automatisch aus."),
        ("de", "option", "Die Gebühr erstatten wir."),
        ("en", "body", "We will refund every fee."),
        ("en", "option", "YOUR MONEY BACK"),
    ],
)
def test_a_promise_of_compensation_in_a_statement_is_reported(folder, lang, where, value):
    write(folder, lang, statement={where: value})
    found = [p for p in problems(folder) if "promises compensation" in p]
    assert found and found[0].startswith(f"playbooks/statements/note.{lang}.md:")
    line = found[0].split(":")[1]
    text = (folder / "statements" / f"note.{lang}.md").read_text().splitlines()
    assert value.casefold()[:12] in text[int(line) - 1].casefold()


def test_a_playbook_may_warn_against_promises_in_its_guidance(folder):
    write(folder, "en", playbook={"secrecy": "Keep banking secrecy. Never say: we will refund."})
    assert problems(folder) == []


@pytest.mark.parametrize(
    "word,instead",
    [("Lead", "Leitung"), ("Incident-Raum", "Vorfall"), ("Geschäftsstellen", "Filiale")],
)
def test_german_files_use_the_banks_words(folder, word, instead):
    write(folder, "de", playbook={"first": f"{word} prüfen"})
    found = "\n".join(problems(folder))
    assert f"playbooks/storm.de.md:17: say '{instead}'" in found


def test_the_avoided_german_words_are_words_not_parts_of_words(folder):
    write(folder, "de", playbook={"first": "Fakten klären"}, statement={"body": "Leadership"})
    assert "Leitung" in "\n".join(problems(folder))  # "Lead" starts the word
    write(folder, "de", statement={"body": f"Unser Fehler. {SECRECY['de']}."})
    write(folder, "en", playbook={"first": "The lead checks the facts"})
    assert problems(folder) == []  # English files keep their own words


def test_every_playbook_states_banking_secrecy(folder):
    write(folder, "de", playbook={"secrecy": "Nichts dazu."})
    assert any(
        p.startswith("playbooks/storm.de.md:") and "Bankgeheimnis" in p for p in problems(folder)
    )


def test_a_public_reply_to_one_person_states_banking_secrecy(folder):
    reply = {"audience": "commenter", "channels": "facebook", "body": "Thanks for asking."}
    write(folder, "en", statement=reply)
    assert any("must state banking secrecy" in p for p in problems(folder))
    write(folder, "en", statement={**reply, "body": "Because of banking secrecy, DM us."})
    assert problems(folder) == []


def test_the_bank_name_is_filled_by_the_desk_and_counted_at_its_longest(folder):
    sms = {"audience": "customers", "channels": "sms", "body": "{{ bank_name }}: " + "x" * 100}
    write(folder, "en", statement=sms)
    assert problems(folder) == []  # 40 + 2 + 100 + 1 + 7 ("in town") = 150
    write(folder, "en", statement={**sms, "body": "{{ bank_name }}: " + "x" * 111})
    assert any("sms allows 160" in p for p in problems(folder))


def test_missing_or_broken_wording_rules_are_reported(folder):
    (folder / "wording.yaml").write_text("promises: [\n")
    assert any(p.startswith("playbooks/wording.yaml:") for p in problems(folder))
    (folder / "wording.yaml").write_text("promises: {}\n")
    assert any("needs mappings promises, overclaims, reveals" in p for p in problems(folder))
    (folder / "wording.yaml").unlink()
    assert "playbooks/wording.yaml:1: the wording rules are missing" in problems(folder)


@pytest.mark.parametrize("audience,channel", [("customers", "sms"), ("affected", "letter")])
def test_a_text_that_arrives_unasked_names_its_sender(folder, audience, channel):
    write(folder, "en", statement={"audience": audience, "channels": channel})
    assert any("must name its sender" in p for p in problems(folder))
    signed = {"audience": audience, "channels": channel, "body": "{{bank_name}}: Note."}
    write(folder, "en", statement=signed)
    assert problems(folder) == []


@pytest.mark.parametrize(
    "lang,body",
    [
        ("de", "Unser Service schreibt Sie nie zuerst an."),
        ("de", "Ab sofort funktioniert wieder alles."),
        ("en", "Your data is safe with us."),
    ],
)
def test_a_statement_claiming_more_than_anyone_can_know_is_reported(folder, lang, body):
    write(folder, lang, statement={"body": f"{body} {SECRECY[lang]}."})
    assert any("claims more than anyone can know" in p for p in problems(folder))


def test_a_public_reply_must_not_tell_everyone_the_person_is_a_customer(folder):
    reply = {"audience": "commenter", "channels": "facebook"}
    body = "It depends on your contract. Because of banking secrecy, please DM us."
    write(folder, "en", statement={**reply, "body": body})
    assert any("tells the public the person is a customer" in p for p in problems(folder))
    write(folder, "en", statement={"body": body})  # a notice to all may say "your contract"
    assert problems(folder) == []
