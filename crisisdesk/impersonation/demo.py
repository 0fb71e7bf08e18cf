"""The demo bank's official accounts, registered once by `flask demo`."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from .. import clock
from ..extensions import db
from .models import OfficialAccount
from .official import add_account

#: days since each demo account's last access review: all current but the last, so the registry
#: shows what an overdue review looks like without flagging everything
REVIEWED_DAYS_AGO = (20, 45, 45, 200)
DEMO_ACCOUNTS = [
    {
        "platform": "website",
        "handle": "volksbank-musterstadt.example",
        "url": "https://www.volksbank-musterstadt.example/",
        "purpose": "Website, home of the public notices",
        "owner": "Corporate Communications",
        "second_factor": "Web team (hardware key in the safe)",
    },
    {
        "platform": "instagram",
        "handle": "@volksbank.musterstadt.example",
        "url": "https://social.example/@volksbank.musterstadt",
        "verified": True,
        "purpose": "Stories from the region, service notices",
        "owner": "Social media team",
        "second_factor": "Olga Oncall (authenticator app on the team phone)",
        "recovery_contacts": "Platform business support; Ada Admin",
    },
    {
        "platform": "facebook",
        "handle": "Volksbank Musterstadt eG",
        "url": "https://social.example/volksbank-musterstadt",
        "verified": True,
        "purpose": "Customer questions, service notices",
        "owner": "Social media team",
        "second_factor": "Olga Oncall (authenticator app on the team phone)",
        "recovery_contacts": "Platform business support; Ada Admin",
    },
    {
        "platform": "linkedin",
        "handle": "Volksbank Musterstadt eG",
        "url": "https://social.example/company/volksbank-musterstadt",
        "purpose": "Employer brand, press",
        "owner": "Corporate Communications",
        "second_factor": "Max Management",
    },
]


def load_demo_accounts(users: dict) -> str:
    """Register the demo accounts once, as the demo administrator; say how many there are."""
    if not db.session.scalar(select(func.count()).select_from(OfficialAccount)):
        today = clock.now().date()
        for values, days in zip(DEMO_ACCOUNTS, REVIEWED_DAYS_AGO, strict=True):
            reviewed = (today - timedelta(days=days)).isoformat()
            add_account(actor=users["admin"], last_access_review=reviewed, **values)
    count = db.session.scalar(select(func.count()).select_from(OfficialAccount))
    return f"Official accounts in the registry: {count}"
