"""The people in the offline copy: the directory and the rotas, only the fields it shows."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select

from ..accounts.models import User
from ..extensions import db
from ..people import contacts as directory
from ..people import duties
from ..people.models import Contact
from ..people.rotation import on_duty, schedule

ROTA_AHEAD = timedelta(days=14)


def contact_rows() -> list[dict]:
    """The directory with the fields the bundle shows, and no others (notes stay in the desk)."""
    rows = db.session.scalars(select(Contact).order_by(func.lower(Contact.name), Contact.id))
    return [
        {
            "name": c.name,
            "function": c.function,
            "organisation": c.organisation,
            "phones": directory.listed(c, "phones"),
            "email": c.email,
            "languages": directory.listed(c, "languages"),
            "groups": directory.listed(c, "tags"),
        }
        for c in rows
    ]


def rota_rows(made_at: datetime) -> list[dict]:
    """Each duty, who held it when the bundle was made and the shifts of the next two weeks."""
    rotas = []
    for duty in duties.all_duties():
        rotation, overrides = duties.rotation_of(duty), duties.overrides_of(duty)
        shifts = schedule(rotation, overrides, made_at, made_at + ROTA_AHEAD)
        holder = on_duty(rotation, overrides, made_at)
        rotas.append(
            {
                "slug": duty.slug,
                "title": duty.title,
                "period": duty.period,
                "handover": duty.handover,
                "zone": duty.zone,
                "members": list(rotation.members),
                "holder": holder.user if holder else None,
                "shifts": [
                    {"starts": s.starts, "ends": s.ends, "name": s.user, "override": s.override}
                    for s in shifts
                ],
            }
        )
    names = _display_names({u for r in rotas for u in [*r["members"], r["holder"]] if u})
    for rota in rotas:
        rota["members"] = [names.get(u, u) for u in rota["members"]]
        rota["holder"] = names.get(rota["holder"], rota["holder"])
        for shift in rota["shifts"]:
            shift["name"] = names.get(shift["name"], shift["name"])
    return rotas


def _display_names(usernames: set[str]) -> dict[str, str]:
    if not usernames:
        return {}
    rows = db.session.execute(
        select(User.username, User.display_name).where(User.username.in_(usernames))
    )
    return {username: display or username for username, display in rows}


def contact_groups(contacts: list[dict]) -> list[tuple[str, list[dict]]]:
    """Contacts under each of their groups, groups A–Z, those without one last."""
    groups: dict[str, list[dict]] = {}
    for contact in contacts:
        for group in contact["groups"] or [""]:
            groups.setdefault(group, []).append(contact)
    return sorted(groups.items(), key=lambda pair: (not pair[0], pair[0]))
