"""Demo contacts (development only): invented people and numbers from the range Germany keeps
for films and examples (030 23125 xxx), so a demo call never reaches anyone."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from .. import clock
from ..extensions import db
from .contacts import import_contacts
from .duties import save_duty
from .models import Contact, Duty

#: name, organisation, function, phone, tags, languages
DEMO_CONTACTS = [
    (
        "Dr. Jana Weber",
        "Volksbank Musterstadt eG",
        "Vorstand",
        "+49 30 23125 101",
        ["board"],
        ["de"],
    ),
    (
        "Tobias Krüger",
        "Volksbank Musterstadt eG",
        "Pressesprecher",
        "+49 30 23125 102",
        ["press-office"],
        ["de", "en"],
    ),
    (
        "Leonie Schäfer",
        "Volksbank Musterstadt eG",
        "Rechtsbereitschaft",
        "+49 30 23125 103",
        ["legal-duty"],
        ["de"],
    ),
    (
        "Murat Yilmaz",
        "Volksbank Musterstadt eG",
        "Datenschutzbeauftragter",
        "+49 30 23125 104",
        ["dpo"],
        ["de", "en", "tr"],
    ),
    (
        "Sabine Hoffmann",
        "Volksbank Musterstadt eG",
        "Informationssicherheit",
        "+49 30 23125 105",
        ["infosec"],
        ["de"],
    ),
    (
        "Servicecenter",
        "Volksbank Musterstadt eG",
        "Kundenservice, Schichtleitung",
        "+49 30 23125 106",
        ["service-centre"],
        ["de", "en"],
    ),
    (
        "Filialleitung Nord",
        "Volksbank Musterstadt eG",
        "Regionalleiter Filialen",
        "+49 30 23125 107",
        ["branches"],
        ["de"],
    ),
    (
        "Personalabteilung",
        "Volksbank Musterstadt eG",
        "Personal",
        "+49 30 23125 108",
        ["hr"],
        ["de"],
    ),
    (
        "Bereitschaft Vorstandsstab",
        "Volksbank Musterstadt eG",
        "Managementbereitschaft",
        "+49 30 23125 109",
        ["management-duty"],
        ["de"],
    ),
    (
        "Marketing",
        "Volksbank Musterstadt eG",
        "Kampagnen und Werbung",
        "+49 30 23125 110",
        ["marketing"],
        ["de"],
    ),
    (
        "Störungshotline",
        "IT-Dienstleister (Beispiel)",
        "24/7 Betriebsleitstand",
        "+49 30 23125 201",
        ["it-provider"],
        ["de", "en"],
    ),
    (
        "Meldewesen",
        "BaFin (Beispiel)",
        "DORA-Meldungen über das MVP-Portal",
        "+49 30 23125 202",
        ["bafin"],
        ["de"],
    ),
    (
        "Datenschutzaufsicht",
        "Landesamt für Datenschutzaufsicht (Beispiel)",
        "Meldungen nach Art. 33 DSGVO",
        "+49 30 23125 203",
        ["data-protection-authority"],
        ["de"],
    ),
    (
        "Zentrale Ansprechstelle Cybercrime",
        "Landeskriminalamt (Beispiel)",
        "ZAC",
        "+49 30 23125 204",
        ["police-cybercrime", "police"],
        ["de"],
    ),
    (
        "Polizeiinspektion Mitte",
        "Polizei (Beispiel)",
        "Wache",
        "+49 30 23125 205",
        ["police"],
        ["de"],
    ),
    (
        "Krisenberatung",
        "Genossenschaftsverband (Beispiel)",
        "Kommunikation",
        "+49 30 23125 206",
        ["cooperative-association"],
        ["de"],
    ),
    (
        "Trust & Safety",
        "Plattform-Support (Beispiel)",
        "Meldungen von Fake-Profilen",
        "+49 30 23125 207",
        ["platform-support"],
        ["en"],
    ),
]


def load_demo_contacts(users: dict) -> str:
    """Add the demo contacts once, as the demo administrator; say how many the directory holds."""
    if not db.session.scalar(select(func.count()).select_from(Contact)):
        rows = [
            (
                number,
                {
                    "name": name,
                    "organisation": organisation,
                    "function": function,
                    "phones": [phone],
                    "tags": tags,
                    "languages": languages,
                },
            )
            for number, (name, organisation, function, phone, tags, languages) in enumerate(
                DEMO_CONTACTS, start=1
            )
        ]
        import_contacts(rows, actor=users["admin"])
    count = db.session.scalar(select(func.count()).select_from(Contact))
    return f"Contacts in the directory: {count}"


#: slug, title, the demo users taking turns (two legal reviewers; one person for the others)
DEMO_DUTIES = [
    ("social-media-duty", "Social-Media-Bereitschaft", ["oncall", "admin"]),
    ("legal-duty", "Rechtsbereitschaft", ["legal", "legal2"]),
    ("management-duty", "Managementbereitschaft", ["management"]),
]


def load_demo_duties(users: dict) -> str:
    """Set up the demo duties once (weekly, hand-over Monday 08:00 Berlin); say how many exist."""
    if not db.session.scalar(select(func.count()).select_from(Duty)):
        today = clock.now().date()
        monday = today - timedelta(days=today.weekday())
        for slug, title, members in DEMO_DUTIES:
            save_duty(
                slug,
                actor=users["admin"],
                title=title,
                period="weekly",
                members=members,
                starts_on=monday,
                handover="08:00",
                zone="Europe/Berlin",
            )
    count = db.session.scalar(select(func.count()).select_from(Duty))
    return f"Duties with rotas: {count}"
