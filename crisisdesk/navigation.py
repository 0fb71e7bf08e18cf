"""The navigation: each feature adds its entries with the roles that see them."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, g
from flask_babel import lazy_gettext as _l
from flask_login import current_user


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: object  #: a lazy string, translated when shown
    hint: object
    roles: tuple[str, ...]  #: empty: everyone signed in; ANY_ROLE: everyone with a desk role


#: an entry for whoever holds any role on the desk (compliance, the DPO, HR … read incidents too)
ANY_ROLE = ("*",)


ITEMS: list[NavItem] = [
    NavItem(
        "incidents.board",
        _l("Board"),
        _l("Live incidents, overdue steps."),
        ANY_ROLE,
    ),
    NavItem(
        "incidents.new",
        _l("Open incident"),
        _l("Open an incident in under a minute."),
        ("oncall", "admin"),
    ),
    NavItem(
        "search.index",
        _l("Search"),
        _l("Everything said in incidents: notes, responses, sources, post-mortems."),
        ANY_ROLE,
    ),
    NavItem(
        "library.index",
        _l("Library"),
        _l("Playbooks and pre-approved statements."),
        ANY_ROLE,
    ),
    NavItem(
        "duties.index",
        _l("Duties"),
        _l("Who is on duty now, the rotas and your next shifts."),
        ANY_ROLE,
    ),
    NavItem(
        "people.index",
        _l("Contacts"),
        _l("Who to call, inside the bank and outside it."),
        ANY_ROLE,
    ),
    NavItem(
        "official.index",
        _l("Official accounts"),
        _l("The bank's own accounts, who holds their second factor, when access was reviewed."),
        ANY_ROLE,
    ),
    NavItem(
        "responses.review_queue",
        _l("Review"),
        _l("Responses waiting for legal approval."),
        ("legal",),
    ),
    NavItem(
        "library.review_queue",
        _l("Sign-off"),
        _l("Statements and Q&A sheets awaiting legal approval."),
        ("legal",),
    ),
    NavItem(
        "dashboard.index",
        _l("Dashboard"),
        _l("Live incidents, trends, action items, audit."),
        ("management", "admin"),
    ),
    NavItem(
        "drills.index",
        _l("Drills"),
        _l("Rehearse a crisis on the real desk, from a scenario with timed injects."),
        ("management", "admin"),
    ),
    NavItem(
        "offline.index",
        _l("Offline copy"),
        _l("The signed offline bundle of the library, its key and its schedule."),
        ("admin",),
    ),
    NavItem(
        "notify.webhooks",
        _l("Webhooks"),
        _l("Outbound webhooks and failed deliveries."),
        ("admin",),
    ),
    NavItem(
        "admin.users", _l("Users"), _l("Create users, set roles, deactivate accounts."), ("admin",)
    ),
]


def visible_items() -> list[NavItem]:
    """The entries the signed-in user may open."""
    if not current_user.is_authenticated:
        return []
    return [
        item
        for item in ITEMS
        if not item.roles
        or (item.roles == ANY_ROLE and bool(current_user.roles))
        or current_user.has_role(*item.roles)
    ]


def unread_notifications() -> int:
    """The bell's number for the signed-in user."""
    from .notify.bell import unread_count

    return unread_count(current_user) if current_user.is_authenticated else 0


def waiting():
    """What waits for the signed-in user (room.waiting), counted once per request."""
    from .room.waiting import waiting_for

    if "waiting" not in g:
        g.waiting = waiting_for(current_user)
    return g.waiting


#: deadlines the board's strip shows at most
DEADLINES_SHOWN = 5


def deadlines() -> list:
    """The soonest running or overdue regulatory clocks, (incident, clock) pairs, for the board."""
    from .regulatory.submissions import running_clocks

    if not (current_user.is_authenticated and current_user.roles):
        return []
    return running_clocks(actor=current_user)[:DEADLINES_SHOWN]


def duty_holders() -> list:
    """(duty title, display name or None, until) for each duty now, once per request."""
    from .accounts.service import find_user
    from .clock import now
    from .people.duties import on_duty_now
    from .people.rotation import hands_over

    if not (current_user.is_authenticated and current_user.roles):
        return []
    if "duty_holders" not in g:
        g.duty_holders = [
            (
                held.duty.title,
                (find_user(held.shift.user).display_name if held.shift else None),
                held.shift.ends if held.shift and hands_over(held.shift, now()) else None,
            )
            for held in on_duty_now()
        ]
    return g.duty_holders


def restricted_incidents() -> list:
    """The restricted incidents the signed-in user may see (outside the board's kept list)."""
    from .incidents.queries import restricted_for

    if not (current_user.is_authenticated and current_user.roles):
        return []
    return restricted_for(current_user)


def register_navigation(app: Flask) -> None:
    """Offer nav_items(), the bell's count and the waiting work to templates."""
    app.jinja_env.globals["nav_items"] = visible_items
    app.jinja_env.globals["unread_notifications"] = unread_notifications
    app.jinja_env.globals["waiting"] = waiting
    app.jinja_env.globals["deadlines"] = deadlines
    app.jinja_env.globals["duty_holders"] = duty_holders
    app.jinja_env.globals["restricted_incidents"] = restricted_incidents
